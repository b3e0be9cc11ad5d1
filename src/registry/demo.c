/*
 * registry/demo.c - the demo data generator: clearly fictional providers ("Example ... Cloud"),
 * assessors, services (some on a platform), STAR entries of every level with a realistic
 * spread of dates and outcomes (renewals, supersessions, expiries, rejections, withdrawals,
 * Level 3 data), and offering attainments covering several services each.
 *
 * Deterministic: a small PRNG (splitmix64) seeded with opts->seed, dates relative to
 * opts->today. Fast at scale: one write transaction, cached prepared statements, row ids
 * computed ahead (rows are never deleted, so the next id is max(id) + 1). Every change still
 * goes through the write path and gets its history event, like any other registry write.
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int below(rng *r, int n)
{
    return n <= 1 ? 0 : (int)(next(r) % (uint64_t)n);
}

static int chance(rng *r, int percent)
{
    return below(r, 100) < percent;
}

static const char *const adjectives[] = {
    "Nimbus", "Cirrus", "Stratus", "Cumulus", "Aurora", "Zephyr", "Halcyon", "Boreal", "Cobalt",
    "Meridian", "Quartz", "Juniper", "Solstice", "Tundra", "Harbor", "Summit", "Lumen", "Vector",
    "Orbit", "Cascade", "Granite", "Beacon", "Mistral", "Sierra"};
static const char *const nouns[] = {"Data", "Compute", "Systems", "Networks", "Works", "Labs",
                                    "Hosting", "Stack", "Grid", "Vault", "Fabric", "Cloudworks"};
static const struct {
    const char *category, *name;
} service_kinds[] = {
    {"Compute", "Virtual Machines"}, {"Compute", "Kubernetes"},  {"Storage", "Object Storage"},
    {"Storage", "Block Storage"},    {"Backup", "Backup"},       {"Database", "Managed SQL"},
    {"Database", "Document DB"},     {"Networking", "CDN"},      {"Networking", "Load Balancer"},
    {"Security", "Key Management"},  {"Security", "Firewall"},   {"Identity", "Directory"},
    {"Analytics", "Data Warehouse"}, {"AI", "Model Hosting"},    {"Messaging", "Queues"},
    {"Collaboration", "Mail"},       {"CRM", "Sales Suite"},     {"HR", "Payroll"},
    {"Payments", "Checkout"},        {"DevOps", "CI Pipelines"},
};
static const char *const regions[] = {"eu-west-1",      "eu-central-1",   "us-east-1",
                                      "us-west-2",      "ap-southeast-1", "ap-northeast-1",
                                      "sa-east-1",      "cn-north-1",     "me-central-1",
                                      "af-south-1"};
static const char *const ccm_versions[] = {"3.0.1", "4.0.5", "4.0.10", "4.0.12"};
/* offerings with a rough weight: how often a provider holds them */
static const struct {
    const char *slug;
    int percent;
} offer_weights[] = {
    {"iso-27001", 70}, {"iso-27017", 35}, {"iso-27018", 30}, {"iso-27701", 15},
    {"iso-22301", 15}, {"iso-9001", 20},  {"soc-1", 25},     {"soc-2", 65},
    {"soc-3", 25},     {"csa-star-attestation", 15}, {"csa-star-certification", 12},
    {"fedramp-moderate", 10}, {"fedramp-high", 5}, {"dod-il2", 4}, {"dod-il4", 3},
    {"fips-140-3", 8}, {"hipaa", 30}, {"hitrust", 10}, {"pci-dss", 30}, {"gdpr", 45},
    {"c5", 12}, {"ens", 5}, {"irap", 6}, {"mtcs", 4}, {"cyber-essentials-plus", 10},
};

typedef struct gen {
    trustreg_registry *reg;
    const trustreg_demo_opts *o;
    trustreg_demo_counts *n;
    rng r;
    int32_t today;
    int64_t next_entry, next_service, next_org, next_att;
    int64_t assessors[3][4]; /* by kind: cpa, cb, monitoring */
    int n_assessors[3];
    int64_t offering_ids[sizeof offer_weights / sizeof offer_weights[0]];
    int offering_months[sizeof offer_weights / sizeof offer_weights[0]];
    char now[21];
} gen;

static int event(gen *g, const char *kind, int32_t day, int64_t org, int64_t svc, int64_t entry,
                 int64_t att, const char *level, const char *reason)
{
    json_t *d = json_pack("{s:b}", "demo", 1);
    if (level)
        json_object_set_new(d, "level", json_string(level));
    tr_reg_event ev = {.kind = kind, .day = day, .org_id = org, .service_id = svc,
                       .entry_id = entry, .attainment_id = att, .reason = reason, .data = d};
    int rc = tr_reg_event_record(g->reg, &ev);
    json_decref(d);
    g->n->events++;
    return rc;
}

static int64_t max_id(gen *g, const char *sql)
{
    sqlite3_stmt *st;
    if (tr_reg_stmt(g->reg, sql, &st))
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

static int add_assessors(gen *g, int32_t day)
{
    static const struct {
        const char *name, *kind;
        int k;
    } list[] = {
        {"Example Assurance CPA LLP", "cpa-firm", 0},
        {"Example Attest Partners (fictional)", "cpa-firm", 0},
        {"Example Ledger & Audit (fictional)", "cpa-firm", 0},
        {"Example Certification Services", "certification-body", 1},
        {"Example Registrar Ltd (fictional)", "certification-body", 1},
        {"Example Conformity Institute", "certification-body", 1},
        {"Example Continuous Monitor (fictional)", "monitoring", 2},
        {"Example Telemetry Assurance", "monitoring", 2},
    };
    static const char ins[] = "INSERT INTO reg_assessors(slug, name, kind, website, created_on,"
                              " recorded_at) VALUES (?,?,?,?,?,?)";
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        char slug[64];
        tr_slug_from(list[i].name, slug);
        sqlite3_stmt *st;
        int rc = tr_reg_stmt(g->reg, "SELECT id FROM reg_assessors WHERE slug = ?", &st);
        if (rc)
            return rc;
        tr_bind_text(st, 1, slug);
        int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (!id) {
            if ((rc = tr_reg_stmt(g->reg, ins, &st)))
                return rc;
            tr_bind_text(st, 1, slug);
            tr_bind_text(st, 2, list[i].name);
            tr_bind_text(st, 3, list[i].kind);
            tr_bind_text(st, 4, "https://assessor.example");
            tr_bind_day(st, 5, day);
            tr_bind_text(st, 6, g->now);
            if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: assessor")))
                return rc;
            id = sqlite3_last_insert_rowid(g->reg->sql);
            g->n->assessors++;
            if ((rc = event(g, "assessor.added", day, 0, 0, 0, 0, NULL, NULL)))
                return rc;
        }
        g->assessors[list[i].k][g->n_assessors[list[i].k]++] = id;
    }
    return TRUSTREG_OK;
}

/* One planned entry of a service, kept in memory until the service's timeline is complete. */
typedef struct plan {
    trustreg_level level;
    int32_t assessment, submitted, published, rejected, withdrawn, superseded, expires, anchor;
    int32_t renewed, last_data, mon_end;
    int64_t id, superseded_by, assessor;
    const char *ccm;
    const char *reason;
} plan;

static int insert_entry(gen *g, int64_t svc, int64_t org, const plan *p)
{
    static const char ins[] =
        "INSERT INTO reg_entries(id, service_id, org_id, level, ccm_version, assessment_date,"
        " expires_on, monitoring_end, frequency_days, assessor_id, by_assessor, regions,"
        " submitted_on, published_on, rejected_on, withdrawn_on, superseded_on, anchor_on,"
        " superseded_by, review, review_note, reason, recorded_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,'[]',?,?,?,?,?,?,?,?,?,?,?)";
    static const char mark[] =
        "INSERT OR IGNORE INTO reg_entry_marks(entry_id, day, kind) VALUES (?,?,?)";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(g->reg, ins, &st);
    if (rc)
        return rc;
    const char *lv = trustreg_level_name(p->level);
    int l1 = p->level == TRUSTREG_LEVEL_1 || p->level == TRUSTREG_LEVEL_1_CONTINUOUS;
    int32_t anchor = p->published == TR_DAY_NONE ? TR_DAY_NONE
                     : p->level == TRUSTREG_LEVEL_3 && p->last_data != TR_DAY_NONE
                         ? p->last_data
                     : p->renewed != TR_DAY_NONE ? p->renewed
                                                 : p->published;
    sqlite3_bind_int64(st, 1, p->id);
    sqlite3_bind_int64(st, 2, svc);
    sqlite3_bind_int64(st, 3, org);
    tr_bind_text(st, 4, lv);
    tr_bind_text(st, 5, p->ccm);
    tr_bind_day(st, 6, p->assessment);
    tr_bind_day(st, 7, p->expires);
    tr_bind_day(st, 8, p->mon_end);
    if (p->level == TRUSTREG_LEVEL_3)
        sqlite3_bind_int(st, 9, 1);
    if (p->assessor)
        sqlite3_bind_int64(st, 10, p->assessor);
    sqlite3_bind_int(st, 11, !l1);
    tr_bind_day(st, 12, p->submitted);
    tr_bind_day(st, 13, p->published);
    tr_bind_day(st, 14, p->rejected);
    tr_bind_day(st, 15, p->withdrawn);
    tr_bind_day(st, 16, p->superseded);
    tr_bind_day(st, 17, anchor);
    if (p->superseded_by)
        sqlite3_bind_int64(st, 18, p->superseded_by);
    tr_bind_text(st, 19, l1 ? "demo" : "assessor");
    tr_bind_text(st, 20, l1 ? "demo data: the CAIQ completeness check was not run" : NULL);
    tr_bind_text(st, 21, p->reason);
    tr_bind_text(st, 22, g->now);
    if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: entry")))
        return rc;
    g->n->entries++;
    if ((rc = event(g, "entry.submitted", p->submitted, org, svc, p->id, 0, lv, NULL)))
        return rc;
    const int32_t marks[3] = {p->published, p->renewed, p->last_data};
    const char *kinds[3] = {"published", "renewed", "data"};
    for (int i = 0; i < 3; i++) {
        if (marks[i] == TR_DAY_NONE)
            continue;
        if ((rc = tr_reg_stmt(g->reg, mark, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, p->id);
        tr_bind_day(st, 2, marks[i]);
        tr_bind_text(st, 3, kinds[i]);
        if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: mark")))
            return rc;
    }
    if (p->published != TR_DAY_NONE &&
        (rc = event(g, "entry.published", p->published, org, svc, p->id, 0, lv, NULL)))
        return rc;
    if (p->rejected != TR_DAY_NONE &&
        (rc = event(g, "entry.rejected", p->rejected, org, svc, p->id, 0, lv, p->reason)))
        return rc;
    if (p->renewed != TR_DAY_NONE &&
        (rc = event(g, "entry.renewed", p->renewed, org, svc, p->id, 0, lv, NULL)))
        return rc;
    if (p->superseded != TR_DAY_NONE &&
        (rc = event(g, "entry.superseded", p->superseded, org, svc, p->id, 0, lv, NULL)))
        return rc;
    if (p->withdrawn != TR_DAY_NONE &&
        (rc = event(g, "entry.withdrawn", p->withdrawn, org, svc, p->id, 0, lv, p->reason)))
        return rc;
    return TRUSTREG_OK;
}

/* Plan and write a service's entries. */
static int service_entries(gen *g, int64_t svc, int64_t org, int china, int32_t created)
{
    plan ps[16];
    int n = 0;
    long want = g->o->entries_per_service > 0 ? g->o->entries_per_service : 2;
    int target = (int)want - 1 + below(&g->r, 3);
    if (target < 1)
        target = 1;
    if (target > 16)
        target = 16;
    int32_t span = g->today - created;
    if (span < 30)
        return TRUSTREG_OK;
    int32_t t = created + below(&g->r, span / 2 + 1);
    int32_t last_l1 = TR_DAY_NONE;  /* publication of the current Level 1 */
    int32_t last_ren = TR_DAY_NONE; /* and its "no changes" renewal */
    int cur_ccm = below(&g->r, 4);
    for (int i = 0; i < target && t < g->today - 2; i++) {
        plan *p = &ps[n];
        memset(p, 0, sizeof *p);
        p->submitted = p->published = p->rejected = p->withdrawn = p->superseded = TR_DAY_NONE;
        p->expires = p->anchor = p->renewed = p->last_data = p->mon_end = TR_DAY_NONE;
        p->id = g->next_entry + n;
        int roll = below(&g->r, 100);
        /* Level 2 and C-STAR need a Level 1 that is still fresh (not deprecated) */
        int l1_fresh = last_l1 != TR_DAY_NONE && last_l1 <= t &&
                       (t < tr_day_add_months(last_l1, 12) ||
                        (last_ren != TR_DAY_NONE && last_ren <= t &&
                         t < tr_day_add_months(last_ren, 12)));
        if (i == 0 || !l1_fresh || roll < 40) {
            p->level = chance(&g->r, 8) ? TRUSTREG_LEVEL_1_CONTINUOUS : TRUSTREG_LEVEL_1;
            if (cur_ccm < 3 && chance(&g->r, 50))
                cur_ccm++;
        } else if (roll < 62) {
            p->level = TRUSTREG_LEVEL_2_ATTESTATION;
        } else if (roll < 80) {
            p->level = TRUSTREG_LEVEL_2_CERTIFICATION;
        } else if (roll < 88 && china) {
            p->level = TRUSTREG_LEVEL_CSTAR;
        } else {
            p->level = TRUSTREG_LEVEL_3;
        }
        int l1 = p->level == TRUSTREG_LEVEL_1 || p->level == TRUSTREG_LEVEL_1_CONTINUOUS;
        p->ccm = ccm_versions[cur_ccm];
        p->assessment = t - below(&g->r, 20);
        p->submitted = t;
        int32_t decided = t + 1 + below(&g->r, 14);
        if (decided > g->today) {
            n++; /* still in review */
            break;
        }
        if (l1 && chance(&g->r, 4)) {
            p->rejected = decided;
            p->reason = "demo: CAIQ incomplete (invented reason)";
        } else {
            p->published = decided;
        }
        if (!l1) {
            int k = p->level == TRUSTREG_LEVEL_2_ATTESTATION ? 0
                    : p->level == TRUSTREG_LEVEL_3          ? 2
                                                            : 1;
            p->assessor = g->assessors[k][below(&g->r, g->n_assessors[k])];
        }
        if (p->level == TRUSTREG_LEVEL_2_CERTIFICATION || p->level == TRUSTREG_LEVEL_CSTAR)
            p->expires = tr_day_add_months(p->assessment, 36) - 1;
        if (p->level == TRUSTREG_LEVEL_3 && p->published != TR_DAY_NONE) {
            int32_t last = g->today - below(&g->r, 40);
            p->last_data = last > p->published ? last : TR_DAY_NONE;
        }
        if (l1 && p->published != TR_DAY_NONE) {
            int32_t r = tr_day_add_months(p->published, 11 + below(&g->r, 4));
            if (r < g->today && chance(&g->r, 35))
                p->renewed = r;
            last_l1 = p->published;
            last_ren = p->renewed;
        }
        /* a newer published entry of the same level supersedes the older one */
        if (p->published != TR_DAY_NONE)
            for (int k = n - 1; k >= 0; k--)
                if (ps[k].level == p->level && ps[k].published != TR_DAY_NONE &&
                    ps[k].superseded == TR_DAY_NONE) {
                    ps[k].superseded = p->published;
                    ps[k].superseded_by = p->id;
                    if (ps[k].renewed != TR_DAY_NONE && ps[k].renewed >= p->published)
                        ps[k].renewed = TR_DAY_NONE;
                    if (ps[k].last_data != TR_DAY_NONE && ps[k].last_data >= p->published)
                        ps[k].last_data = TR_DAY_NONE;
                    break;
                }
        n++;
        t = decided + 60 + below(&g->r, 420);
    }
    /* now and then the latest entry is withdrawn */
    if (n > 0 && chance(&g->r, 3)) {
        plan *p = &ps[n - 1];
        int32_t from = p->published != TR_DAY_NONE ? p->published : p->submitted;
        int32_t w = from + 1 + below(&g->r, 200);
        if (w < g->today && p->rejected == TR_DAY_NONE) {
            if (p->renewed != TR_DAY_NONE && p->renewed >= w)
                p->renewed = TR_DAY_NONE;
            if (p->last_data != TR_DAY_NONE && p->last_data >= w)
                p->last_data = TR_DAY_NONE;
            p->withdrawn = w;
            p->reason = "demo: service discontinued (invented reason)";
        }
    }
    for (int i = 0; i < n; i++) {
        int rc = insert_entry(g, svc, org, &ps[i]);
        if (rc)
            return rc;
    }
    g->next_entry += n;
    return TRUSTREG_OK;
}

static int add_provider(gen *g, long index)
{
    static const char ins_org[] =
        "INSERT INTO reg_orgs(id, slug, name, website, description, contacts, created_on,"
        " recorded_at) VALUES (?,?,?,?,?,?,?,?)";
    static const char ins_svc[] =
        "INSERT INTO reg_services(id, org_id, slug, name, category, description, platform_id,"
        " created_on, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)";
    static const char ins_region[] =
        "INSERT OR IGNORE INTO reg_service_regions(region, service_id) VALUES (?, ?)";
    static const char ins_fts[] =
        "INSERT INTO reg_services_fts(rowid, name, org, category, description) VALUES (?,?,?,?,?)";
    static const char ins_att[] =
        "INSERT INTO reg_attainments(id, org_id, offering_id, reference, issued_on, expires_on,"
        " expires_derived, assessor_id, notes, recorded_on, withdrawn_on, reason, recorded_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char ins_att_svc[] =
        "INSERT OR IGNORE INTO reg_attainment_services(service_id, attainment_id) VALUES (?, ?)";
    int64_t org = g->next_org++;
    char name[160], slug[64], desc[200];
    const char *adj = adjectives[below(&g->r, sizeof adjectives / sizeof adjectives[0])];
    const char *noun = nouns[below(&g->r, sizeof nouns / sizeof nouns[0])];
    snprintf(name, sizeof name, "Example %s %s Cloud %ld", adj, noun, index + 1);
    snprintf(slug, sizeof slug, "demo-%lld", (long long)org);
    snprintf(desc, sizeof desc,
             "Fictional cloud provider generated by 'trustreg demo' (seed %llu).",
             (unsigned long long)g->o->seed);
    int32_t created = g->today - 200 - below(&g->r, 5 * 365);
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(g->reg, ins_org, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, org);
    tr_bind_text(st, 2, slug);
    tr_bind_text(st, 3, name);
    tr_bind_text(st, 4, "https://provider.example");
    tr_bind_text(st, 5, desc);
    tr_bind_text(st, 6, "[\"security@provider.example\"]");
    tr_bind_day(st, 7, created);
    tr_bind_text(st, 8, g->now);
    if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: provider")) ||
        (rc = event(g, "org.added", created, org, 0, 0, 0, NULL, NULL)))
        return rc;
    g->n->providers++;

    long avg = g->o->services_per_provider > 0 ? g->o->services_per_provider : 4;
    int nsvc = 1 + below(&g->r, (int)(2 * avg - 1));
    int64_t first = g->next_service, platform = 0;
    int64_t svc_ids[2000];
    if (nsvc > 2000)
        nsvc = 2000;
    for (int i = 0; i < nsvc; i++) {
        int64_t svc = g->next_service++;
        svc_ids[i] = svc;
        int k = i == 0 && nsvc > 2 ? 0 : below(&g->r, sizeof service_kinds / sizeof service_kinds[0]);
        char sname[160], sslug[64];
        if (i == 0 && nsvc > 2)
            snprintf(sname, sizeof sname, "%s Platform", adj);
        else
            snprintf(sname, sizeof sname, "%s %s %d", adj, service_kinds[k].name, i + 1);
        snprintf(sslug, sizeof sslug, "demo-%lld-%lld", (long long)org, (long long)(svc - first + 1));
        int64_t plat = i > 0 && platform && chance(&g->r, 35) ? platform : 0;
        int32_t screated = created + below(&g->r, 90);
        if ((rc = tr_reg_stmt(g->reg, ins_svc, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, svc);
        sqlite3_bind_int64(st, 2, org);
        tr_bind_text(st, 3, sslug);
        tr_bind_text(st, 4, sname);
        tr_bind_text(st, 5, service_kinds[k].category);
        tr_bind_text(st, 6, "Fictional demo service.");
        if (plat)
            sqlite3_bind_int64(st, 7, plat);
        tr_bind_day(st, 8, screated);
        tr_bind_text(st, 9, g->now);
        if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: service")))
            return rc;
        if (i == 0 && nsvc > 2)
            platform = svc;
        int china = 0;
        int nreg = 1 + below(&g->r, 4);
        int start = below(&g->r, 10);
        for (int r = 0; r < nreg; r++) {
            const char *region = regions[(start + r * 3) % 10];
            china |= strncmp(region, "cn-", 3) == 0;
            if ((rc = tr_reg_stmt(g->reg, ins_region, &st)))
                return rc;
            tr_bind_text(st, 1, region);
            sqlite3_bind_int64(st, 2, svc);
            if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: region")))
                return rc;
        }
        if ((rc = tr_reg_stmt(g->reg, ins_fts, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, svc);
        tr_bind_text(st, 2, sname);
        tr_bind_text(st, 3, name);
        tr_bind_text(st, 4, service_kinds[k].category);
        tr_bind_text(st, 5, "Fictional demo service.");
        if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: index")) ||
            (rc = event(g, "service.added", screated, org, svc, 0, 0, NULL, NULL)))
            return rc;
        g->n->services++;
        if ((rc = service_entries(g, svc, org, china, screated)))
            return rc;
    }

    /* offerings: each held offering is one attainment covering some of the services */
    for (size_t f = 0; f < sizeof offer_weights / sizeof offer_weights[0]; f++) {
        if (!chance(&g->r, offer_weights[f].percent))
            continue;
        int64_t att = g->next_att++;
        int32_t issued = g->today - below(&g->r, 3 * 365);
        if (issued < created)
            issued = created + below(&g->r, 30);
        if (issued > g->today)
            issued = g->today;
        int months = g->offering_months[f];
        int32_t expires = months ? tr_day_add_months(issued, months) - 1 : TR_DAY_NONE;
        int32_t withdrawn = chance(&g->r, 3) && issued + 30 < g->today
                                ? issued + 1 + below(&g->r, g->today - issued - 1)
                                : TR_DAY_NONE;
        char ref[64];
        snprintf(ref, sizeof ref, "DEMO-%s-%lld", offer_weights[f].slug, (long long)att);
        if ((rc = tr_reg_stmt(g->reg, ins_att, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, att);
        sqlite3_bind_int64(st, 2, org);
        sqlite3_bind_int64(st, 3, g->offering_ids[f]);
        tr_bind_text(st, 4, ref);
        tr_bind_day(st, 5, issued);
        tr_bind_day(st, 6, expires);
        sqlite3_bind_int(st, 7, months ? 1 : 0);
        if (months)
            sqlite3_bind_int64(st, 8, g->assessors[1][below(&g->r, g->n_assessors[1])]);
        tr_bind_text(st, 9, "Fictional demo attainment.");
        tr_bind_day(st, 10, issued);
        tr_bind_day(st, 11, withdrawn);
        tr_bind_text(st, 12, withdrawn != TR_DAY_NONE ? "demo: scope reduced (invented)" : NULL);
        tr_bind_text(st, 13, g->now);
        if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: attainment")))
            return rc;
        g->n->attainments++;
        int covered = 0;
        for (int i = 0; i < nsvc; i++) {
            if (!(svc_ids[i] == platform || chance(&g->r, 45) || (i == nsvc - 1 && !covered)))
                continue;
            covered++;
            if ((rc = tr_reg_stmt(g->reg, ins_att_svc, &st)))
                return rc;
            sqlite3_bind_int64(st, 1, svc_ids[i]);
            sqlite3_bind_int64(st, 2, att);
            if ((rc = tr_reg_exec_stmt(g->reg, st, "demo: attainment scope")))
                return rc;
        }
        if ((rc = event(g, "attainment.added", issued, org, 0, 0, att, NULL, NULL)))
            return rc;
        if (withdrawn != TR_DAY_NONE &&
            (rc = event(g, "attainment.withdrawn", withdrawn, org, 0, 0, att, NULL,
                        "demo: scope reduced (invented)")))
            return rc;
    }
    return TRUSTREG_OK;
}

static int demo_apply(trustreg_registry *reg, void *arg)
{
    gen *g = arg;
    int64_t m;
    if ((m = max_id(g, "SELECT coalesce(max(id), 0) FROM reg_entries")) < 0)
        return tr_reg_sql_error(reg, "demo: reading ids");
    g->next_entry = m + 1;
    if ((m = max_id(g, "SELECT coalesce(max(id), 0) FROM reg_services")) < 0)
        return tr_reg_sql_error(reg, "demo: reading ids");
    g->next_service = m + 1;
    if ((m = max_id(g, "SELECT coalesce(max(id), 0) FROM reg_orgs")) < 0)
        return tr_reg_sql_error(reg, "demo: reading ids");
    g->next_org = m + 1;
    if ((m = max_id(g, "SELECT coalesce(max(id), 0) FROM reg_attainments")) < 0)
        return tr_reg_sql_error(reg, "demo: reading ids");
    g->next_att = m + 1;
    for (size_t f = 0; f < sizeof offer_weights / sizeof offer_weights[0]; f++) {
        sqlite3_stmt *st;
        int rc = tr_reg_stmt(reg, "SELECT id, coalesce(typical_validity_months, 0) FROM "
                                  "reg_offerings WHERE slug = ?",
                             &st);
        if (rc)
            return rc;
        tr_bind_text(st, 1, offer_weights[f].slug);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            return tr_error(TRUSTREG_EINTERNAL, "demo: offering %s missing",
                            offer_weights[f].slug);
        }
        g->offering_ids[f] = sqlite3_column_int64(st, 0);
        g->offering_months[f] = sqlite3_column_int(st, 1);
        sqlite3_reset(st);
    }
    int rc = add_assessors(g, g->today - 6 * 365);
    long providers = g->o->providers > 0 ? g->o->providers : 25;
    for (long i = 0; i < providers && !rc; i++) {
        rc = add_provider(g, i);
        if (g->o->progress && (i % 64 == 0 || i + 1 == providers))
            g->o->progress(g->o->progress_ctx, (uint64_t)(i + 1), (uint64_t)providers,
                           "demo providers");
    }
    return rc;
}

int trustreg_demo_generate(trustreg_registry *reg, const trustreg_demo_opts *opts,
                           trustreg_demo_counts *counts)
{
    gen g = {.reg = reg, .o = opts, .n = counts};
    memset(counts, 0, sizeof *counts);
    int rc = tr_day_arg(opts->today, "--today", reg->today, 0, &g.today);
    if (rc)
        return rc;
    g.r.s = opts->seed ? opts->seed : 1;
    tr_time_now_rfc3339(g.now);
    rc = tr_reg_write(reg, demo_apply, &g);
    if (rc)
        memset(counts, 0, sizeof *counts);
    return rc;
}
