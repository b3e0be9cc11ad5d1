/*
 * registry/entries.c - CSA STAR entries: submission, Level 1 review (CAIQ completeness check),
 * confirmation by the registered assessor (Level 2, C-STAR, Level 3), publication (which
 * supersedes the previous entry of the same level for the service), "no changes" renewal,
 * monitoring data (Level 3), withdrawal, and the entry's JSON view. Status rules: lifecycle.c.
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static trustreg_caiq_check_fn g_caiq_check;
static void *g_caiq_ctx;

void trustreg_entry_attach_caiq_check(trustreg_caiq_check_fn fn, void *ctx)
{
    g_caiq_check = fn;
    g_caiq_ctx = ctx;
}

static int is_level1(trustreg_level l)
{
    return l == TRUSTREG_LEVEL_1 || l == TRUSTREG_LEVEL_1_CONTINUOUS;
}

static int needs_l1(trustreg_level l)
{
    return l == TRUSTREG_LEVEL_2_ATTESTATION || l == TRUSTREG_LEVEL_2_CERTIFICATION ||
           l == TRUSTREG_LEVEL_CSTAR;
}

static int ccm_version_valid(const char *v)
{
    /* 1 to 4 dot-separated numbers: "4.0", "4.0.12", "3.0.1" */
    if (!v || !*v || strlen(v) > 20)
        return 0;
    int parts = 0, digits = 0;
    for (const char *p = v;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
        } else if (*p == '.' || *p == '\0') {
            if (!digits)
                return 0;
            parts++;
            digits = 0;
            if (!*p)
                break;
        } else {
            return 0;
        }
    }
    return parts <= 4;
}

/* ---- the entry's current record ---- */

typedef struct entry_row {
    int64_t id, service_id, org_id, assessor_id, renews_id, primary_doc;
    trustreg_level level;
    int by_assessor;
    tr_entry_dates d; /* anchor: the latest mark */
    char ccm[24];
} entry_row;

static int load_entry(trustreg_registry *reg, int64_t id, entry_row *e)
{
    static const char q[] =
        "SELECT service_id, org_id, level, assessor_id, by_assessor, renews_id, primary_doc_id,"
        " submitted_on, published_on, rejected_on, withdrawn_on, superseded_on, anchor_on,"
        " assessment_date, expires_on, monitoring_end, ccm_version FROM reg_entries WHERE id = ?";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        if (r != SQLITE_DONE)
            return tr_reg_sql_error(reg, "reading an entry");
        return tr_error(TRUSTREG_ENOTFOUND, "no STAR entry %lld", (long long)id);
    }
    memset(e, 0, sizeof *e);
    e->id = id;
    e->service_id = sqlite3_column_int64(st, 0);
    e->org_id = sqlite3_column_int64(st, 1);
    e->level = trustreg_level_from_name(tr_col_text(st, 2));
    e->assessor_id = sqlite3_column_int64(st, 3);
    e->by_assessor = sqlite3_column_int(st, 4);
    e->renews_id = sqlite3_column_int64(st, 5);
    e->primary_doc = sqlite3_column_int64(st, 6);
    e->d.level = e->level;
    e->d.submitted = tr_col_day(st, 7);
    e->d.published = tr_col_day(st, 8);
    e->d.rejected = tr_col_day(st, 9);
    e->d.withdrawn = tr_col_day(st, 10);
    e->d.superseded = tr_col_day(st, 11);
    e->d.anchor = tr_col_day(st, 12);
    e->d.assessment = tr_col_day(st, 13);
    e->d.expires = tr_col_day(st, 14);
    e->d.monitoring_end = tr_col_day(st, 15);
    snprintf(e->ccm, sizeof e->ccm, "%s", tr_col_text(st, 16));
    sqlite3_reset(st);
    return TRUSTREG_OK;
}

/* The last dated change of an entry: later changes must not be dated before it. */
static int32_t last_change(const entry_row *e)
{
    int32_t m = e->d.submitted;
    const int32_t ds[] = {e->d.published, e->d.rejected, e->d.withdrawn, e->d.superseded,
                          e->d.anchor};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++)
        if (ds[i] != TR_DAY_NONE && ds[i] > m)
            m = ds[i];
    return m;
}

static int check_not_before(const entry_row *e, int32_t day)
{
    int32_t last = last_change(e);
    if (day < last) {
        char a[11], b[11];
        tr_day_format(day, a);
        tr_day_format(last, b);
        return tr_error(TRUSTREG_EINPUT,
                        "--date %s is before the entry's last recorded change (%s); history is "
                        "never rewritten",
                        a, b);
    }
    return TRUSTREG_OK;
}

static const char *level_event_name(const entry_row *e)
{
    return trustreg_level_name(e->level);
}

static int add_mark(trustreg_registry *reg, int64_t id, int32_t day, const char *kind)
{
    static const char ins[] =
        "INSERT OR IGNORE INTO reg_entry_marks(entry_id, day, kind) VALUES (?,?,?)";
    static const char upd[] = "UPDATE reg_entries SET anchor_on = ?2 WHERE id = ?1 AND "
                              "(anchor_on IS NULL OR anchor_on < ?2)";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    tr_bind_day(st, 2, day);
    tr_bind_text(st, 3, kind);
    if ((rc = tr_reg_exec_stmt(reg, st, "recording a clock mark")))
        return rc;
    if ((rc = tr_reg_stmt(reg, upd, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    tr_bind_day(st, 2, day);
    return tr_reg_exec_stmt(reg, st, "moving the entry's clock");
}

static int entry_event(trustreg_registry *reg, const entry_row *e, const char *kind, int32_t day,
                       const char *reason, json_t *data)
{
    json_t *d = data ? data : json_object();
    json_object_set_new(d, "level", json_string(level_event_name(e)));
    tr_reg_event ev = {.kind = kind,
                       .day = day,
                       .org_id = e->org_id,
                       .service_id = e->service_id,
                       .entry_id = e->id,
                       .reason = reason,
                       .data = d};
    int rc = tr_reg_event_record(reg, &ev);
    json_decref(d);
    return rc;
}

/* Publish e on day; supersede the entry it renews and any older published entry of the same
 * level for the same service. */
static int publish(trustreg_registry *reg, const entry_row *e, int32_t day, const char *review,
                   const char *note, const char *summary)
{
    static const char upd[] =
        "UPDATE reg_entries SET published_on = ?2, review = ?3, review_note = ?4,"
        " caiq_summary = ?5 WHERE id = ?1";
    static const char older[] =
        "SELECT id FROM reg_entries WHERE service_id = ?1 AND level = ?2 AND id <> ?3"
        " AND published_on IS NOT NULL AND published_on <= ?4 AND superseded_on IS NULL"
        " AND withdrawn_on IS NULL "
        "UNION SELECT id FROM reg_entries WHERE id = ?5 AND superseded_on IS NULL"
        " AND withdrawn_on IS NULL";
    static const char sup[] =
        "UPDATE reg_entries SET superseded_on = ?2, superseded_by = ?3 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, upd, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, e->id);
    tr_bind_day(st, 2, day);
    tr_bind_text(st, 3, review);
    tr_bind_text(st, 4, note);
    tr_bind_text(st, 5, summary);
    if ((rc = tr_reg_exec_stmt(reg, st, "publishing an entry")) ||
        (rc = add_mark(reg, e->id, day, "published")))
        return rc;
    json_t *d = json_pack("{s:s, s:s?}", "review", review, "note", note);
    if ((rc = entry_event(reg, e, "entry.published", day, NULL, d)))
        return rc;
    /* collect first: the statement cache reuses statements */
    int64_t ids[64];
    size_t n = 0;
    if ((rc = tr_reg_stmt(reg, older, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, e->service_id);
    tr_bind_text(st, 2, trustreg_level_name(e->level));
    sqlite3_bind_int64(st, 3, e->id);
    tr_bind_day(st, 4, day);
    sqlite3_bind_int64(st, 5, e->renews_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && n < 64)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return tr_reg_sql_error(reg, "finding superseded entries");
    for (size_t i = 0; i < n; i++) {
        entry_row old;
        if ((rc = load_entry(reg, ids[i], &old)))
            return rc;
        if (old.d.submitted > day)
            continue;
        if ((rc = tr_reg_stmt(reg, sup, &st)))
            return rc;
        sqlite3_bind_int64(st, 1, old.id);
        tr_bind_day(st, 2, day);
        sqlite3_bind_int64(st, 3, e->id);
        if ((rc = tr_reg_exec_stmt(reg, st, "superseding an entry")))
            return rc;
        if ((rc = entry_event(reg, &old, "entry.superseded", day, NULL,
                              json_pack("{s:I}", "superseded_by", (json_int_t)e->id))))
            return rc;
    }
    return TRUSTREG_OK;
}

/* Status of one entry on day, with the anchor as of that day. */
static int entry_status_on(trustreg_registry *reg, const entry_row *e, int32_t day, tr_status *s)
{
    tr_entry_dates d = e->d;
    if (d.anchor != TR_DAY_NONE && d.anchor > day) {
        sqlite3_stmt *st;
        int rc = tr_reg_stmt(reg,
                             "SELECT max(day) FROM reg_entry_marks WHERE entry_id = ? AND day <= ?",
                             &st);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, e->id);
        tr_bind_day(st, 2, day);
        d.anchor = sqlite3_step(st) == SQLITE_ROW ? tr_col_day(st, 0) : TR_DAY_NONE;
        sqlite3_reset(st);
    }
    *s = tr_entry_status(&d, reg->policy, day);
    return TRUSTREG_OK;
}

/* ---- submission ---- */

typedef struct add_ctx {
    const trustreg_entry_spec *spec;
    int64_t service_id, org_id, assessor_id;
    int64_t scope_ids[64];
    int32_t day, assessment, expires, monitoring_end;
    int64_t id;
} add_ctx;

static int has_published_l1(trustreg_registry *reg, int64_t service_id, int32_t day, int *yes)
{
    static const char q[] =
        "SELECT count(*) FROM reg_entries e WHERE e.service_id = ?2 AND e.level IN ('L1',"
        " 'L1-continuous') AND " TR_SQL_ENTRY_STATUS " = 'published'";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, service_id);
    int r = sqlite3_step(st);
    *yes = r == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
    sqlite3_reset(st);
    return r == SQLITE_ROW ? TRUSTREG_OK : tr_reg_sql_error(reg, "checking the Level 1 entry");
}

static int add_apply(trustreg_registry *reg, void *arg)
{
    add_ctx *c = arg;
    const trustreg_entry_spec *s = c->spec;
    static const char ins[] =
        "INSERT INTO reg_entries(service_id, org_id, level, ccm_version, assessment_date,"
        " expires_on, monitoring_end, frequency_days, assessor_id, by_assessor, regions,"
        " submitted_on, renews_id, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char ins_scope[] =
        "INSERT OR IGNORE INTO reg_entry_scope(entry_id, service_id) VALUES (?, ?)";
    static const char set_doc[] = "UPDATE reg_entries SET primary_doc_id = ? WHERE id = ?";
    json_t *regions = json_array();
    for (size_t i = 0; i < s->n_regions; i++)
        json_array_append_new(regions, json_string(s->regions[i]));
    char *rj = json_dumps(regions, JSON_COMPACT);
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (!rc) {
        char now[21];
        tr_time_now_rfc3339(now);
        sqlite3_bind_int64(st, 1, c->service_id);
        sqlite3_bind_int64(st, 2, c->org_id);
        tr_bind_text(st, 3, trustreg_level_name(s->level));
        tr_bind_text(st, 4, s->ccm_version);
        tr_bind_day(st, 5, c->assessment);
        tr_bind_day(st, 6, c->expires);
        tr_bind_day(st, 7, c->monitoring_end);
        if (s->level == TRUSTREG_LEVEL_3)
            sqlite3_bind_int(st, 8, s->frequency_days);
        if (c->assessor_id)
            sqlite3_bind_int64(st, 9, c->assessor_id);
        sqlite3_bind_int(st, 10, s->by_assessor ? 1 : 0);
        tr_bind_text(st, 11, rj ? rj : "[]");
        tr_bind_day(st, 12, c->day);
        if (s->renews)
            sqlite3_bind_int64(st, 13, s->renews);
        tr_bind_text(st, 14, now);
        rc = tr_reg_exec_stmt(reg, st, "storing an entry");
    }
    free(rj);
    if (rc) {
        json_decref(regions);
        return rc;
    }
    c->id = sqlite3_last_insert_rowid(reg->sql);
    for (size_t i = 0; i < s->n_scope_services && !rc; i++) {
        if ((rc = tr_reg_stmt(reg, ins_scope, &st)))
            break;
        sqlite3_bind_int64(st, 1, c->id);
        sqlite3_bind_int64(st, 2, c->scope_ids[i]);
        rc = tr_reg_exec_stmt(reg, st, "storing the entry's scope");
    }
    json_t *docs = json_array();
    tr_doc_owner owner = {.org_id = c->org_id, .service_id = c->service_id, .entry_id = c->id};
    for (size_t i = 0; i < s->n_docs && !rc; i++) {
        int64_t did;
        json_t *info = NULL;
        rc = tr_reg_store_document(reg, &s->docs[i], &owner, c->day, &did, &info);
        if (!rc) {
            json_array_append_new(docs, info);
            if (i == 0 && !(rc = tr_reg_stmt(reg, set_doc, &st))) {
                sqlite3_bind_int64(st, 1, did);
                sqlite3_bind_int64(st, 2, c->id);
                rc = tr_reg_exec_stmt(reg, st, "linking the primary document");
            }
        }
    }
    if (rc) {
        json_decref(regions);
        json_decref(docs);
        return rc;
    }
    entry_row e;
    if ((rc = load_entry(reg, c->id, &e))) {
        json_decref(regions);
        json_decref(docs);
        return rc;
    }
    char ad[11];
    tr_day_format(c->assessment, ad);
    json_t *d = json_pack("{s:s, s:s, s:o, s:o, s:b}", "ccm_version", s->ccm_version,
                          "assessment_date", ad, "regions", regions, "documents", docs,
                          "by_assessor", s->by_assessor ? 1 : 0);
    if (c->expires != TR_DAY_NONE) {
        char ex[11];
        tr_day_format(c->expires, ex);
        json_object_set_new(d, "expires", json_string(ex));
    }
    if (c->assessor_id)
        json_object_set_new(d, "assessor", json_integer(c->assessor_id));
    if (s->renews)
        json_object_set_new(d, "renews", json_integer(s->renews));
    if ((rc = entry_event(reg, &e, "entry.submitted", c->day, NULL, d)))
        return rc;
    if (s->by_assessor && !is_level1(s->level))
        rc = publish(reg, &e, c->day, "assessor", NULL, NULL);
    return rc;
}

int trustreg_entry_add(trustreg_registry *reg, const trustreg_entry_spec *s, int64_t *id)
{
    add_ctx c = {.spec = s, .expires = TR_DAY_NONE, .monitoring_end = TR_DAY_NONE};
    int rc;
    if (s->level == TRUSTREG_LEVEL_NONE)
        return tr_error(TRUSTREG_EINPUT, "unknown STAR level; expected L1, L1-continuous, "
                                         "L2-attestation, L2-certification, C-STAR or L3");
    if (!ccm_version_valid(s->ccm_version))
        return tr_error(TRUSTREG_EINPUT, "CCM version '%s': expected numbers such as 4.0.12",
                        s->ccm_version ? s->ccm_version : "");
    if (!s->assessment_date || !*s->assessment_date)
        return tr_error(TRUSTREG_EUSAGE, "--assessment-date is required");
    if ((rc = tr_day_arg(s->date, "--date", reg->today, 0, &c.day)) ||
        (rc = tr_day_arg(s->assessment_date, "--assessment-date", reg->today, 0, &c.assessment)))
        return rc;
    if (c.assessment > c.day)
        return tr_error(TRUSTREG_EINPUT,
                        "--assessment-date %s is after the submission date; an assessment "
                        "cannot be submitted before it happened",
                        s->assessment_date);
    if ((rc = tr_reg_service_id(reg, s->service, &c.service_id, &c.org_id)))
        return rc;
    if (s->n_scope_services > 64)
        return tr_error(TRUSTREG_EINPUT, "at most 64 further services in scope");
    for (size_t i = 0; i < s->n_scope_services; i++) {
        int64_t org = 0;
        if ((rc = tr_reg_service_id(reg, s->scope_services[i], &c.scope_ids[i], &org)))
            return rc;
        if (org != c.org_id)
            return tr_error(TRUSTREG_EINPUT, "scope service '%s' belongs to another provider",
                            s->scope_services[i]);
    }
    /* documents */
    if (is_level1(s->level)) {
        if (s->n_docs == 0 || !s->docs[0].kind || strcmp(s->docs[0].kind, "caiq") != 0)
            return tr_error(TRUSTREG_EUSAGE,
                            "a Level 1 entry needs its CAIQ (--caiq FILE) as primary document");
    }
    /* dates and assessor per level */
    int certificate = s->level == TRUSTREG_LEVEL_2_CERTIFICATION || s->level == TRUSTREG_LEVEL_CSTAR;
    if (certificate) {
        if (!s->expires || !*s->expires)
            return tr_error(TRUSTREG_EUSAGE, "%s needs --expires (the certificate's last valid day)",
                            trustreg_level_name(s->level));
        if ((rc = tr_day_arg(s->expires, "--expires", 0, 1, &c.expires)))
            return rc;
        int max = s->level == TRUSTREG_LEVEL_CSTAR ? reg->policy->cstar_max_months
                                                   : reg->policy->l2c_max_months;
        if (c.expires <= c.assessment ||
            c.expires >= tr_day_add_months(c.assessment, max))
            return tr_error(TRUSTREG_EINPUT,
                            "--expires %s: a certificate must expire after the assessment date "
                            "and within %d months of it (policy)",
                            s->expires, max);
    } else if (s->expires && *s->expires) {
        return tr_error(TRUSTREG_EUSAGE, "--expires applies to L2-certification and C-STAR only; "
                                         "validity of other levels follows the policy");
    }
    if (s->level == TRUSTREG_LEVEL_3) {
        if (s->frequency_days < 1 || s->frequency_days > 366)
            return tr_error(TRUSTREG_EUSAGE, "L3 needs --frequency-days from 1 to 366");
        if (s->monitoring_end && *s->monitoring_end) {
            if ((rc = tr_day_arg(s->monitoring_end, "--monitoring-end", 0, 1, &c.monitoring_end)))
                return rc;
            if (c.monitoring_end < c.assessment)
                return tr_error(TRUSTREG_EINPUT, "--monitoring-end is before the monitoring start");
        }
    }
    if (!is_level1(s->level)) {
        if (!s->assessor || !*s->assessor)
            return tr_error(TRUSTREG_EUSAGE, "%s needs --assessor (a registered assessor)",
                            trustreg_level_name(s->level));
        const char *kind = NULL;
        if ((rc = tr_reg_assessor_id(reg, s->assessor, &c.assessor_id, &kind)))
            return rc;
        const char *want = s->level == TRUSTREG_LEVEL_2_ATTESTATION ? "cpa-firm"
                           : certificate                           ? "certification-body"
                                                                   : NULL;
        if (want && strcmp(kind, want) != 0)
            return tr_error(TRUSTREG_EINPUT, "%s needs a %s as assessor; '%s' is a %s",
                            trustreg_level_name(s->level), want, s->assessor, kind);
    } else if (s->assessor && *s->assessor) {
        return tr_error(TRUSTREG_EUSAGE, "Level 1 is a self-assessment: no --assessor");
    }
    if (needs_l1(s->level) && reg->policy->l2_needs_l1) {
        int ok = 0;
        if ((rc = has_published_l1(reg, c.service_id, c.day, &ok)))
            return rc;
        if (!ok)
            return tr_error(TRUSTREG_EINPUT,
                            "%s requires a published Level 1 entry for the same service on the "
                            "submission date; publish (or renew) the Level 1 self-assessment first",
                            trustreg_level_name(s->level));
    }
    if (s->renews) {
        entry_row old;
        if ((rc = load_entry(reg, s->renews, &old)))
            return rc;
        if (old.service_id != c.service_id || old.level != s->level)
            return tr_error(TRUSTREG_EINPUT,
                            "entry %lld is not a %s entry of this service; a renewal replaces an "
                            "entry of the same level and service",
                            (long long)s->renews, trustreg_level_name(s->level));
        if (old.d.withdrawn != TR_DAY_NONE || old.d.superseded != TR_DAY_NONE)
            return tr_error(TRUSTREG_EINPUT, "entry %lld is already %s", (long long)s->renews,
                            old.d.withdrawn != TR_DAY_NONE ? "withdrawn" : "superseded");
    }
    if ((rc = tr_reg_write(reg, add_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

/* ---- review, confirmation ---- */

typedef struct decide_ctx {
    entry_row e;
    int32_t day;
    int accept;
    const char *reason;
    const char *review;
    const char *note;
    char *summary;
} decide_ctx;

static int decide_apply(trustreg_registry *reg, void *arg)
{
    decide_ctx *c = arg;
    if (c->accept)
        return publish(reg, &c->e, c->day, c->review, c->note, c->summary);
    static const char upd[] =
        "UPDATE reg_entries SET rejected_on = ?2, reason = ?3, review = ?4 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, upd, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->e.id);
    tr_bind_day(st, 2, c->day);
    tr_bind_text(st, 3, c->reason);
    tr_bind_text(st, 4, c->review);
    if ((rc = tr_reg_exec_stmt(reg, st, "rejecting an entry")))
        return rc;
    return entry_event(reg, &c->e, "entry.rejected", c->day, c->reason,
                       json_pack("{s:s}", "review", c->review));
}

static int pending(const entry_row *e)
{
    if (e->d.published != TR_DAY_NONE || e->d.rejected != TR_DAY_NONE ||
        e->d.withdrawn != TR_DAY_NONE)
        return tr_error(TRUSTREG_EINPUT, "entry %lld is not awaiting a decision (already %s)",
                        (long long)e->id,
                        e->d.withdrawn != TR_DAY_NONE   ? "withdrawn"
                        : e->d.rejected != TR_DAY_NONE ? "rejected"
                                                        : "published");
    return TRUSTREG_OK;
}

int trustreg_entry_review(trustreg_registry *reg, int64_t id, int accept, const char *reason,
                          const char *manual_note, const char *date)
{
    decide_ctx c = {.accept = accept};
    int rc;
    if ((rc = load_entry(reg, id, &c.e)) || (rc = pending(&c.e)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = check_not_before(&c.e, c.day)))
        return rc;
    if (!is_level1(c.e.level))
        return tr_error(TRUSTREG_EUSAGE,
                        "entry %lld is %s: it is confirmed by its assessor ('entry confirm'), "
                        "not reviewed",
                        (long long)id, trustreg_level_name(c.e.level));
    if (!accept) {
        if (!reason || !*reason)
            return tr_error(TRUSTREG_EUSAGE, "a rejection needs a reason (--reject REASON)");
        c.reason = reason;
        c.review = "manual";
        return tr_reg_write(reg, decide_apply, &c);
    }
    if (!g_caiq_check) {
        /* Never pretend the completeness check ran. */
        if (!manual_note || !*manual_note)
            return tr_error(TRUSTREG_EUSAGE,
                            "no CAIQ completeness checker is available in this build; accept "
                            "only after checking the CAIQ yourself, with --manual NOTE saying "
                            "what was checked (recorded as a manual review)");
        c.review = "manual";
        c.note = manual_note;
        return tr_reg_write(reg, decide_apply, &c);
    }
    unsigned char *data = NULL;
    size_t len = 0;
    char *name = NULL;
    if ((rc = tr_reg_document_body(reg, c.e.primary_doc, &data, &len, &name)))
        return rc;
    json_t *summary = NULL;
    trustreg_error_clear();
    int check = g_caiq_check(g_caiq_ctx, data, len, name, c.e.ccm, &summary);
    free(data);
    free(name);
    c.review = "caiq-check";
    c.note = manual_note;
    if (check == TRUSTREG_EINPUT) {
        /* incomplete or altered: rejected with the checker's reasons */
        char *why = tr_strdup(trustreg_error_last()->message);
        json_decref(summary);
        if (!why)
            return tr_error_oom();
        c.accept = 0;
        c.reason = why;
        rc = tr_reg_write(reg, decide_apply, &c);
        free(why);
        return rc;
    }
    if (check != TRUSTREG_OK) {
        json_decref(summary);
        return check;
    }
    c.summary = summary ? json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(summary);
    rc = tr_reg_write(reg, decide_apply, &c);
    free(c.summary);
    return rc;
}

int trustreg_entry_confirm(trustreg_registry *reg, int64_t id, const char *assessor,
                           const char *date)
{
    decide_ctx c = {.accept = 1, .review = "assessor"};
    int rc;
    int64_t aid = 0;
    if ((rc = load_entry(reg, id, &c.e)) || (rc = pending(&c.e)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = check_not_before(&c.e, c.day)))
        return rc;
    if (is_level1(c.e.level))
        return tr_error(TRUSTREG_EUSAGE, "entry %lld is a Level 1 self-assessment: it is "
                                         "reviewed ('entry review'), not confirmed",
                        (long long)id);
    if ((rc = tr_reg_assessor_id(reg, assessor, &aid, NULL)))
        return rc;
    if (aid != c.e.assessor_id)
        return tr_error(TRUSTREG_EINPUT,
                        "'%s' is not the assessor of entry %lld; only the registered assessor "
                        "named in the entry can confirm it",
                        assessor, (long long)id);
    return tr_reg_write(reg, decide_apply, &c);
}

/* ---- renewal, monitoring data, withdrawal ---- */

typedef struct mark_ctx {
    entry_row e;
    int32_t day;
    const char *kind; /* "renewed" or "data" */
} mark_ctx;

static int mark_apply(trustreg_registry *reg, void *arg)
{
    mark_ctx *c = arg;
    int rc = add_mark(reg, c->e.id, c->day, c->kind);
    if (rc)
        return rc;
    return entry_event(reg, &c->e,
                       strcmp(c->kind, "renewed") == 0 ? "entry.renewed" : "entry.monitoring_data",
                       c->day, NULL, NULL);
}

int trustreg_entry_renew_unchanged(trustreg_registry *reg, int64_t id, const char *date)
{
    mark_ctx c = {.kind = "renewed"};
    int rc;
    if ((rc = load_entry(reg, id, &c.e)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = check_not_before(&c.e, c.day)))
        return rc;
    if (!is_level1(c.e.level))
        return tr_error(TRUSTREG_EUSAGE,
                        "only Level 1 entries renew without changes; a %s is renewed by a new "
                        "report or certificate ('entry add --renews %lld')",
                        trustreg_level_name(c.e.level), (long long)id);
    tr_status s;
    if ((rc = entry_status_on(reg, &c.e, c.day, &s)))
        return rc;
    if (s != TR_ST_PUBLISHED && s != TR_ST_DEPRECATED) {
        char d[11];
        tr_day_format(c.day, d);
        return tr_error(TRUSTREG_EINPUT,
                        "entry %lld is %s on %s; \"no changes\" renewal is allowed only while the "
                        "entry is visible (published or deprecated); submit a new CAIQ instead",
                        (long long)id, tr_status_name(s), d);
    }
    return tr_reg_write(reg, mark_apply, &c);
}

int trustreg_entry_monitoring(trustreg_registry *reg, int64_t id, const char *date)
{
    mark_ctx c = {.kind = "data"};
    int rc;
    if ((rc = load_entry(reg, id, &c.e)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = check_not_before(&c.e, c.day)))
        return rc;
    if (c.e.level != TRUSTREG_LEVEL_3)
        return tr_error(TRUSTREG_EUSAGE, "monitoring data applies to Level 3 entries only");
    tr_status s;
    if ((rc = entry_status_on(reg, &c.e, c.day, &s)))
        return rc;
    if (s != TR_ST_PUBLISHED && s != TR_ST_STALE)
        return tr_error(TRUSTREG_EINPUT, "entry %lld is %s: it takes no monitoring data",
                        (long long)id, tr_status_name(s));
    return tr_reg_write(reg, mark_apply, &c);
}

typedef struct withdraw_ctx {
    entry_row e;
    int32_t day;
    const char *reason;
} withdraw_ctx;

static int withdraw_apply(trustreg_registry *reg, void *arg)
{
    withdraw_ctx *c = arg;
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, "UPDATE reg_entries SET withdrawn_on = ?2, reason = ?3 WHERE id = ?1",
                         &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->e.id);
    tr_bind_day(st, 2, c->day);
    tr_bind_text(st, 3, c->reason);
    if ((rc = tr_reg_exec_stmt(reg, st, "withdrawing an entry")))
        return rc;
    return entry_event(reg, &c->e, "entry.withdrawn", c->day, c->reason, NULL);
}

int trustreg_entry_withdraw(trustreg_registry *reg, int64_t id, const char *reason,
                            const char *date)
{
    withdraw_ctx c = {.reason = reason};
    int rc;
    if (!reason || !*reason)
        return tr_error(TRUSTREG_EUSAGE, "a withdrawal needs a reason (--reason TEXT)");
    if ((rc = load_entry(reg, id, &c.e)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = check_not_before(&c.e, c.day)))
        return rc;
    if (c.e.d.withdrawn != TR_DAY_NONE)
        return tr_error(TRUSTREG_EINPUT, "entry %lld is already withdrawn", (long long)id);
    return tr_reg_write(reg, withdraw_apply, &c);
}

/* ---- JSON view ---- */

static void put_day(json_t *o, const char *key, sqlite3_stmt *st, int col)
{
    json_object_set_new(o, key, tr_col_json_text(st, col));
}

json_t *tr_reg_entry_json(trustreg_registry *reg, sqlite3_stmt *st)
{
    json_t *o = json_object();
    int64_t id = sqlite3_column_int64(st, 0);
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "level", json_string(tr_col_text(st, 1)));
    json_object_set_new(o, "status", json_string(tr_col_text(st, 28)));
    json_object_set_new(o, "ccm_version", json_string(tr_col_text(st, 2)));
    put_day(o, "assessment_date", st, 3);
    tr_entry_dates d = {
        .level = trustreg_level_from_name(tr_col_text(st, 1)),
        .assessment = tr_col_day(st, 3),
        .expires = tr_col_day(st, 4),
        .submitted = tr_col_day(st, 5),
        .published = tr_col_day(st, 6),
        .rejected = tr_col_day(st, 7),
        .withdrawn = tr_col_day(st, 8),
        .superseded = tr_col_day(st, 9),
        .anchor = tr_col_day(st, 12),
        .monitoring_end = tr_col_day(st, 13),
    };
    int32_t vu = tr_entry_valid_until(&d, reg->policy);
    if (vu != TR_DAY_NONE) {
        char b[11];
        tr_day_format(vu, b);
        json_object_set_new(o, "valid_until", json_string(b));
    } else {
        json_object_set_new(o, "valid_until", json_null());
    }
    put_day(o, "submitted_on", st, 5);
    put_day(o, "published_on", st, 6);
    if (d.level == TRUSTREG_LEVEL_1 || d.level == TRUSTREG_LEVEL_1_CONTINUOUS)
        put_day(o, "last_renewed_on", st, 12);
    put_day(o, "rejected_on", st, 7);
    put_day(o, "withdrawn_on", st, 8);
    put_day(o, "superseded_on", st, 9);
    if (d.expires != TR_DAY_NONE)
        put_day(o, "certificate_expires", st, 4);
    json_object_set_new(o, "superseded_by", sqlite3_column_type(st, 10) == SQLITE_NULL
                                                ? json_null()
                                                : json_integer(sqlite3_column_int64(st, 10)));
    json_object_set_new(o, "renews", sqlite3_column_type(st, 11) == SQLITE_NULL
                                         ? json_null()
                                         : json_integer(sqlite3_column_int64(st, 11)));
    if (d.level == TRUSTREG_LEVEL_3) {
        json_t *m = json_object();
        put_day(m, "start", st, 3);
        put_day(m, "end", st, 13);
        json_object_set_new(m, "frequency_days", json_integer(sqlite3_column_int(st, 14)));
        put_day(m, "last_data_on", st, 12);
        json_object_set_new(o, "monitoring", m);
    }
    json_object_set_new(o, "review", tr_col_json_text(st, 15));
    json_object_set_new(o, "review_note", tr_col_json_text(st, 16));
    json_object_set_new(o, "reason", tr_col_json_text(st, 17));
    json_t *regions = json_loads(tr_col_text(st, 18), 0, NULL);
    json_object_set_new(o, "regions", regions ? regions : json_array());
    json_t *summary = sqlite3_column_type(st, 19) == SQLITE_NULL
                          ? NULL
                          : json_loads(tr_col_text(st, 19), 0, NULL);
    json_object_set_new(o, "caiq_summary", summary ? summary : json_null());
    if (sqlite3_column_type(st, 20) != SQLITE_NULL)
        json_object_set_new(o, "assessor",
                            json_pack("{s:s, s:s, s:s}", "slug", tr_col_text(st, 20), "name",
                                      tr_col_text(st, 21), "kind", tr_col_text(st, 22)));
    else
        json_object_set_new(o, "assessor", json_null());
    json_object_set_new(o, "service",
                        json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 23),
                                  "slug", tr_col_text(st, 24), "name", tr_col_text(st, 25),
                                  "category", tr_col_text(st, 29)));
    json_object_set_new(o, "org", json_pack("{s:s, s:s}", "slug", tr_col_text(st, 26), "name",
                                            tr_col_text(st, 27)));
    char href[64];
    snprintf(href, sizeof href, "/entries/%lld", (long long)id);
    json_object_set_new(o, "href", json_string(href));
    return o;
}

int trustreg_entry_show(trustreg_registry *reg, int64_t id, const trustreg_view *view,
                        json_t **out)
{
    *out = NULL;
    int32_t day;
    int rc = tr_view_day(reg, view, &day);
    if (rc)
        return rc;
    static const char q[] = TR_SQL_ENTRY_SELECT "WHERE e.id = ?2";
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, q, &st)))
        return rc;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, id);
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        if (r != SQLITE_DONE)
            return tr_reg_sql_error(reg, "reading an entry");
        return tr_error(TRUSTREG_ENOTFOUND, "no STAR entry %lld", (long long)id);
    }
    json_t *o = tr_reg_entry_json(reg, st);
    sqlite3_reset(st);
    tr_status s = tr_status_from_name(json_string_value(json_object_get(o, "status")));
    int never_public = s == TR_ST_NONE || s == TR_ST_SUBMITTED || s == TR_ST_REJECTED;
    if (never_public && !(view && view->include_nonpublic)) {
        json_decref(o);
        char d[11];
        tr_day_format(day, d);
        return tr_error(TRUSTREG_ENOTFOUND,
                        "no public STAR entry %lld on %s (submitted, rejected or not yet "
                        "recorded entries are visible to registry operators only: --all)",
                        (long long)id, d);
    }
    json_t *docs = json_array();
    if ((rc = tr_reg_documents_json(reg, "entry", id, view && view->signed_in, docs))) {
        json_decref(docs);
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "documents", docs);
    sqlite3_stmt *sc;
    if (!(rc = tr_reg_stmt(reg,
                           "SELECT s.slug FROM reg_entry_scope x JOIN reg_services s ON s.id = "
                           "x.service_id WHERE x.entry_id = ? ORDER BY s.slug",
                           &sc))) {
        json_t *scope = json_array();
        sqlite3_bind_int64(sc, 1, id);
        while (sqlite3_step(sc) == SQLITE_ROW)
            json_array_append_new(scope, json_string(tr_col_text(sc, 0)));
        sqlite3_reset(sc);
        json_object_set_new(o, "scope_services", scope);
    }
    char d[11];
    tr_day_format(day, d);
    json_object_set_new(o, "as_of", json_string(d));
    *out = o;
    return rc;
}

json_t *tr_reg_entries_of_service(trustreg_registry *reg, int64_t service_id, int32_t day,
                                  int include_nonpublic, int *err)
{
    static const char q[] = TR_SQL_ENTRY_SELECT "WHERE e.service_id = ?2 AND e.submitted_on <= ?1 "
                                         "ORDER BY e.level, e.submitted_on DESC, e.id DESC";
    sqlite3_stmt *st;
    *err = tr_reg_stmt(reg, q, &st);
    if (*err)
        return NULL;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, service_id);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = tr_col_text(st, 28);
        if (!include_nonpublic && !trustreg_status_is_public(status))
            continue;
        json_array_append_new(arr, tr_reg_entry_json(reg, st));
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        *err = tr_reg_sql_error(reg, "listing entries");
        return NULL;
    }
    return arr;
}
