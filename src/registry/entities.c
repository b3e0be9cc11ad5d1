/*
 * registry/entities.c - providers (organizations), assessors (CPA firms, certification bodies,
 * monitoring providers), services (with their regions and optional platform) and documents
 * (stored with their SHA-256, public or restricted to signed-in customers).
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TR_DOC_MAX (256u << 20) /* 256 MiB per document */

static int need_text(const char *v, const char *what)
{
    if (!v || !*v)
        return tr_error(TRUSTREG_EUSAGE, "%s is required", what);
    if (strlen(v) > 4000)
        return tr_error(TRUSTREG_EINPUT, "%s is too long (at most 4000 bytes)", what);
    return TRUSTREG_OK;
}

static int pick_slug(const char *given, const char *base, char out[64])
{
    if (given && *given) {
        if (!tr_slug_valid(given))
            return tr_error(TRUSTREG_EINPUT,
                            "slug '%s': use lowercase letters, digits and '-', starting with a "
                            "letter or digit, at most 63 characters",
                            given);
        snprintf(out, 64, "%s", given);
        return TRUSTREG_OK;
    }
    tr_slug_from(base, out);
    if (!out[0])
        return tr_error(TRUSTREG_EINPUT, "cannot derive a slug from '%s'; give one with --slug",
                        base);
    return TRUSTREG_OK;
}

static int unique_error(trustreg_registry *reg, const char *what, const char *slug)
{
    if (sqlite3_extended_errcode(reg->sql) == SQLITE_CONSTRAINT_UNIQUE)
        return tr_error(TRUSTREG_EINPUT, "a %s with slug '%s' already exists; choose another "
                                         "with --slug", what, slug);
    return tr_reg_sql_error(reg, what);
}

/* ---- organizations ---- */

typedef struct org_add_ctx {
    const trustreg_org_spec *spec;
    char slug[64];
    int32_t day;
    int64_t id;
} org_add_ctx;

static int org_add_apply(trustreg_registry *reg, void *arg)
{
    org_add_ctx *c = arg;
    const trustreg_org_spec *s = c->spec;
    json_t *contacts = json_array();
    for (size_t i = 0; i < s->n_contacts; i++)
        json_array_append_new(contacts, json_string(s->contacts[i] ? s->contacts[i] : ""));
    char *cj = json_dumps(contacts, JSON_COMPACT);
    static const char ins[] = "INSERT INTO reg_orgs(slug, name, website, description, contacts,"
                              " created_on, recorded_at) VALUES (?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (!rc) {
        char now[21];
        tr_time_now_rfc3339(now);
        tr_bind_text(st, 1, c->slug);
        tr_bind_text(st, 2, s->name);
        tr_bind_text(st, 3, s->website ? s->website : "");
        tr_bind_text(st, 4, s->description ? s->description : "");
        tr_bind_text(st, 5, cj ? cj : "[]");
        tr_bind_day(st, 6, c->day);
        tr_bind_text(st, 7, now);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = unique_error(reg, "provider", c->slug);
        sqlite3_reset(st);
    }
    free(cj);
    if (!rc) {
        c->id = sqlite3_last_insert_rowid(reg->sql);
        json_t *d = json_pack("{s:s, s:s, s:s, s:o}", "slug", c->slug, "name", s->name,
                              "website", s->website ? s->website : "", "contacts", contacts);
        contacts = NULL;
        tr_reg_event ev = {.kind = "org.added", .day = c->day, .org_id = c->id, .data = d};
        rc = tr_reg_event_record(reg, &ev);
        json_decref(d);
    }
    json_decref(contacts);
    return rc;
}

static int check_url(const char *url, const char *what)
{
    if (url && *url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return tr_error(TRUSTREG_EINPUT, "%s '%s': expected an http:// or https:// address", what,
                        url);
    return TRUSTREG_OK;
}

int trustreg_org_add(trustreg_registry *reg, const trustreg_org_spec *spec, int64_t *id)
{
    org_add_ctx c = {.spec = spec};
    int rc;
    if ((rc = need_text(spec->name, "the provider name")) ||
        (rc = check_url(spec->website, "website")) ||
        (rc = pick_slug(spec->slug, spec->name, c.slug)) ||
        (rc = tr_day_arg(spec->date, "--date", reg->today, 0, &c.day)))
        return rc;
    for (size_t i = 0; i < spec->n_contacts; i++)
        if (!spec->contacts[i] || !*spec->contacts[i] || strlen(spec->contacts[i]) > 320)
            return tr_error(TRUSTREG_EINPUT, "contact %zu is empty or too long", i + 1);
    if ((rc = tr_reg_write(reg, org_add_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

int trustreg_org_list(trustreg_registry *reg, json_t **out)
{
    *out = NULL;
    static const char q[] =
        "SELECT o.id, o.slug, o.name, o.website, "
        " (SELECT count(*) FROM reg_services s WHERE s.org_id = o.id) "
        "FROM reg_orgs o ORDER BY o.name COLLATE NOCASE, o.id";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "slug",
                                             tr_col_text(st, 1), "name", tr_col_text(st, 2),
                                             "website", tr_col_text(st, 3), "services",
                                             (json_int_t)sqlite3_column_int64(st, 4)));
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return tr_reg_sql_error(reg, "listing providers");
    }
    *out = arr;
    return TRUSTREG_OK;
}

int trustreg_org_show(trustreg_registry *reg, const char *ref, json_t **out)
{
    *out = NULL;
    int64_t id;
    int rc = tr_reg_org_id(reg, ref, &id);
    if (rc)
        return rc;
    static const char q[] = "SELECT id, slug, name, website, description, contacts, created_on "
                            "FROM reg_orgs WHERE id = ?";
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, q, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return tr_reg_sql_error(reg, "reading a provider");
    }
    json_t *contacts = json_loads(tr_col_text(st, 5), 0, NULL);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id,
                          "slug", tr_col_text(st, 1), "name", tr_col_text(st, 2), "website",
                          tr_col_text(st, 3), "description", tr_col_text(st, 4), "contacts",
                          contacts ? contacts : json_array(), "created_on", tr_col_text(st, 6),
                          "href", "");
    char href[128];
    snprintf(href, sizeof href, "/orgs/%s", tr_col_text(st, 1));
    json_object_set_new(o, "href", json_string(href));
    sqlite3_reset(st);
    json_t *services = NULL;
    if ((rc = trustreg_service_list(reg, ref, &services))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "services", services);
    json_t *docs = json_array();
    if ((rc = tr_reg_documents_json(reg, "org", id, 0, docs))) {
        json_decref(docs);
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "documents", docs);
    *out = o;
    return TRUSTREG_OK;
}

/* ---- assessors ---- */

typedef struct assessor_ctx {
    const trustreg_assessor_spec *spec;
    char slug[64];
    int32_t day;
    int64_t id;
} assessor_ctx;

static int assessor_apply(trustreg_registry *reg, void *arg)
{
    assessor_ctx *c = arg;
    static const char ins[] = "INSERT INTO reg_assessors(slug, name, kind, website, created_on,"
                              " recorded_at) VALUES (?,?,?,?,?,?)";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    tr_bind_text(st, 1, c->slug);
    tr_bind_text(st, 2, c->spec->name);
    tr_bind_text(st, 3, c->spec->kind);
    tr_bind_text(st, 4, c->spec->website ? c->spec->website : "");
    tr_bind_day(st, 5, c->day);
    tr_bind_text(st, 6, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = unique_error(reg, "assessor", c->slug);
    sqlite3_reset(st);
    if (rc)
        return rc;
    c->id = sqlite3_last_insert_rowid(reg->sql);
    json_t *d = json_pack("{s:I, s:s, s:s, s:s}", "assessor", (json_int_t)c->id, "slug", c->slug,
                          "name", c->spec->name, "kind", c->spec->kind);
    tr_reg_event ev = {.kind = "assessor.added", .day = c->day, .data = d};
    rc = tr_reg_event_record(reg, &ev);
    json_decref(d);
    return rc;
}

int trustreg_assessor_add(trustreg_registry *reg, const trustreg_assessor_spec *spec, int64_t *id)
{
    assessor_ctx c = {.spec = spec};
    int rc;
    if ((rc = need_text(spec->name, "the assessor name")) ||
        (rc = need_text(spec->kind, "--kind")) || (rc = check_url(spec->website, "website")) ||
        (rc = pick_slug(spec->slug, spec->name, c.slug)) ||
        (rc = tr_day_arg(spec->date, "--date", reg->today, 0, &c.day)))
        return rc;
    if (strcmp(spec->kind, "cpa-firm") != 0 && strcmp(spec->kind, "certification-body") != 0 &&
        strcmp(spec->kind, "monitoring") != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "assessor kind '%s': expected cpa-firm, certification-body or monitoring",
                        spec->kind);
    if ((rc = tr_reg_write(reg, assessor_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

int trustreg_assessor_list(trustreg_registry *reg, json_t **out)
{
    *out = NULL;
    static const char q[] = "SELECT id, slug, name, kind, website FROM reg_assessors "
                            "ORDER BY name COLLATE NOCASE, id";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "slug",
                                             tr_col_text(st, 1), "name", tr_col_text(st, 2),
                                             "kind", tr_col_text(st, 3), "website",
                                             tr_col_text(st, 4)));
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return tr_reg_sql_error(reg, "listing assessors");
    }
    *out = arr;
    return TRUSTREG_OK;
}

/* ---- services ---- */

typedef struct service_ctx {
    const trustreg_service_spec *spec;
    char slug[64];
    int32_t day;
    int64_t org_id, platform_id, id;
} service_ctx;

static int region_valid(const char *r)
{
    size_t n = r ? strlen(r) : 0;
    if (n == 0 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = r[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return 0;
    }
    return 1;
}

static int service_apply(trustreg_registry *reg, void *arg)
{
    service_ctx *c = arg;
    const trustreg_service_spec *s = c->spec;
    static const char ins[] =
        "INSERT INTO reg_services(org_id, slug, name, category, description, platform_id,"
        " created_on, recorded_at) VALUES (?,?,?,?,?,?,?,?)";
    static const char ins_region[] =
        "INSERT OR IGNORE INTO reg_service_regions(region, service_id) VALUES (?, ?)";
    static const char ins_fts[] =
        "INSERT INTO reg_services_fts(rowid, name, org, category, description) "
        "SELECT ?, ?, o.name, ?, ? FROM reg_orgs o WHERE o.id = ?";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_int64(st, 1, c->org_id);
    tr_bind_text(st, 2, c->slug);
    tr_bind_text(st, 3, s->name);
    tr_bind_text(st, 4, s->category);
    tr_bind_text(st, 5, s->description ? s->description : "");
    if (c->platform_id)
        sqlite3_bind_int64(st, 6, c->platform_id);
    tr_bind_day(st, 7, c->day);
    tr_bind_text(st, 8, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = unique_error(reg, "service", c->slug);
    sqlite3_reset(st);
    if (rc)
        return rc;
    c->id = sqlite3_last_insert_rowid(reg->sql);
    json_t *regions = json_array();
    for (size_t i = 0; i < s->n_regions && !rc; i++) {
        if ((rc = tr_reg_stmt(reg, ins_region, &st)))
            break;
        tr_bind_text(st, 1, s->regions[i]);
        sqlite3_bind_int64(st, 2, c->id);
        rc = tr_reg_exec_stmt(reg, st, "storing a service region");
        json_array_append_new(regions, json_string(s->regions[i]));
    }
    if (!rc && !(rc = tr_reg_stmt(reg, ins_fts, &st))) {
        sqlite3_bind_int64(st, 1, c->id);
        tr_bind_text(st, 2, s->name);
        tr_bind_text(st, 3, s->category);
        tr_bind_text(st, 4, s->description ? s->description : "");
        sqlite3_bind_int64(st, 5, c->org_id);
        rc = tr_reg_exec_stmt(reg, st, "indexing a service");
    }
    if (rc) {
        json_decref(regions);
        return rc;
    }
    json_t *d = json_pack("{s:s, s:s, s:s, s:o}", "slug", c->slug, "name", s->name, "category",
                          s->category, "regions", regions);
    if (c->platform_id)
        json_object_set_new(d, "platform", json_integer(c->platform_id));
    tr_reg_event ev = {.kind = "service.added",
                       .day = c->day,
                       .org_id = c->org_id,
                       .service_id = c->id,
                       .data = d};
    rc = tr_reg_event_record(reg, &ev);
    json_decref(d);
    return rc;
}

int trustreg_service_add(trustreg_registry *reg, const trustreg_service_spec *spec, int64_t *id)
{
    service_ctx c = {.spec = spec};
    int rc;
    if ((rc = need_text(spec->org, "the provider")) ||
        (rc = need_text(spec->name, "the service name")) ||
        (rc = need_text(spec->category, "--category")) ||
        (rc = tr_day_arg(spec->date, "--date", reg->today, 0, &c.day)) ||
        (rc = tr_reg_org_id(reg, spec->org, &c.org_id)))
        return rc;
    for (size_t i = 0; i < spec->n_regions; i++)
        if (!region_valid(spec->regions[i]))
            return tr_error(TRUSTREG_EINPUT,
                            "region '%s': use letters, digits, '-' and '_' (e.g. eu-west-1)",
                            spec->regions[i] ? spec->regions[i] : "");
    if (spec->slug && *spec->slug) {
        if ((rc = pick_slug(spec->slug, spec->name, c.slug)))
            return rc;
    } else {
        /* provider slug + name keeps service slugs unique across providers */
        char base[64], org_slug[64] = "";
        sqlite3_stmt *st;
        if ((rc = tr_reg_stmt(reg, "SELECT slug FROM reg_orgs WHERE id = ?", &st)))
            return rc;
        sqlite3_bind_int64(st, 1, c.org_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(org_slug, sizeof org_slug, "%s", tr_col_text(st, 0));
        sqlite3_reset(st);
        tr_slug_from(spec->name, base);
        char joined[200];
        snprintf(joined, sizeof joined, "%s %s", org_slug, base);
        if ((rc = pick_slug(NULL, joined, c.slug)))
            return rc;
    }
    if (spec->platform && *spec->platform) {
        int64_t porg = 0;
        if ((rc = tr_reg_service_id(reg, spec->platform, &c.platform_id, &porg)))
            return rc;
        if (porg != c.org_id)
            return tr_error(TRUSTREG_EINPUT,
                            "platform '%s' belongs to another provider; a service can only "
                            "belong to a platform of its own provider",
                            spec->platform);
    }
    if ((rc = tr_reg_write(reg, service_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

int trustreg_service_list(trustreg_registry *reg, const char *org, json_t **out)
{
    *out = NULL;
    int64_t org_id = 0;
    int rc;
    if (org && *org && (rc = tr_reg_org_id(reg, org, &org_id)))
        return rc;
    static const char q[] =
        "SELECT s.id, s.slug, s.name, s.category, o.slug, p.slug, "
        " (SELECT json_group_array(region) FROM reg_service_regions r WHERE r.service_id = s.id) "
        "FROM reg_services s JOIN reg_orgs o ON o.id = s.org_id "
        "LEFT JOIN reg_services p ON p.id = s.platform_id "
        "WHERE ?1 = 0 OR s.org_id = ?1 ORDER BY o.name COLLATE NOCASE, s.name COLLATE NOCASE, s.id";
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, q, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, org_id);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *regions = json_loads(tr_col_text(st, 6), 0, NULL);
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
                              (json_int_t)sqlite3_column_int64(st, 0), "slug", tr_col_text(st, 1),
                              "name", tr_col_text(st, 2), "category", tr_col_text(st, 3), "org",
                              tr_col_text(st, 4), "platform", tr_col_json_text(st, 5), "regions",
                              regions ? regions : json_array());
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return tr_reg_sql_error(reg, "listing services");
    }
    *out = arr;
    return TRUSTREG_OK;
}

/* ---- documents ---- */

static const char *const doc_kinds[] = {"caiq",         "caiq-pdf",    "rfi-response",
                                        "ccm-mapping",  "audit-report", "certificate",
                                        "bridge-letter", "monitoring-report", "other"};

static int hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return 1;
}

int tr_reg_store_document(trustreg_registry *reg, const trustreg_doc_spec *doc,
                          const tr_doc_owner *owner, int32_t day, int64_t *id, json_t **info)
{
    *id = 0;
    if (info)
        *info = NULL;
    if (!doc->path || !*doc->path)
        return tr_error(TRUSTREG_EUSAGE, "no document file given");
    int known = 0;
    for (size_t i = 0; doc->kind && i < sizeof doc_kinds / sizeof doc_kinds[0]; i++)
        known |= strcmp(doc->kind, doc_kinds[i]) == 0;
    if (!known)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: document kind '%s': expected caiq, caiq-pdf, rfi-response, "
                        "ccm-mapping, audit-report, certificate, bridge-letter, "
                        "monitoring-report or other",
                        doc->path, doc->kind ? doc->kind : "");
    if (doc->expect_sha256 && *doc->expect_sha256 && !hex64(doc->expect_sha256))
        return tr_error(TRUSTREG_EINPUT, "%s: expected digest '%s' is not a SHA-256 (64 hex digits)",
                        doc->path, doc->expect_sha256);
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tr_file_read(doc->path, TR_DOC_MAX, &data, &len);
    if (rc)
        return rc;
    if (len == 0) {
        free(data);
        return tr_error(TRUSTREG_EINPUT, "%s: the document is empty", doc->path);
    }
    char hex[65];
    tr_sha256_hex(data, len, hex);
    if (doc->expect_sha256 && *doc->expect_sha256 && strcasecmp(hex, doc->expect_sha256) != 0) {
        free(data);
        return tr_error(TRUSTREG_EINPUT,
                        "%s: digest mismatch: the file's SHA-256 is %s, expected %s; the file "
                        "is not the one that was announced",
                        doc->path, hex, doc->expect_sha256);
    }
    const char *base = strrchr(doc->path, '/');
    base = base ? base + 1 : doc->path;
    static const char ins[] =
        "INSERT INTO reg_documents(org_id, service_id, entry_id, attainment_id, kind, title,"
        " filename, sha256, size, restricted, added_on, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, ins, &st))) {
        free(data);
        return rc;
    }
    sqlite3_bind_int64(st, 1, owner->org_id);
    if (owner->service_id)
        sqlite3_bind_int64(st, 2, owner->service_id);
    if (owner->entry_id)
        sqlite3_bind_int64(st, 3, owner->entry_id);
    if (owner->attainment_id)
        sqlite3_bind_int64(st, 4, owner->attainment_id);
    tr_bind_text(st, 5, doc->kind);
    tr_bind_text(st, 6, doc->title && *doc->title ? doc->title : base);
    tr_bind_text(st, 7, base);
    tr_bind_text(st, 8, hex);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)len);
    sqlite3_bind_int(st, 10, doc->restricted ? 1 : 0);
    tr_bind_day(st, 11, day);
    sqlite3_bind_blob64(st, 12, data, len, SQLITE_STATIC);
    rc = tr_reg_exec_stmt(reg, st, "storing a document");
    sqlite3_clear_bindings(st);
    free(data);
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(reg->sql);
    if (info)
        *info = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)*id, "kind",
                          doc->kind, "filename", base, "sha256", hex, "size", (json_int_t)len,
                          "restricted", doc->restricted ? 1 : 0);
    return TRUSTREG_OK;
}

int tr_reg_documents_json(trustreg_registry *reg, const char *column, int64_t owner, int signed_in,
                          json_t *arr)
{
    static const char q_org[] =
        "SELECT id, kind, title, filename, sha256, size, restricted, added_on FROM reg_documents "
        "WHERE org_id = ? AND service_id IS NULL AND entry_id IS NULL AND attainment_id IS NULL "
        "ORDER BY id";
    static const char q_svc[] =
        "SELECT id, kind, title, filename, sha256, size, restricted, added_on FROM reg_documents "
        "WHERE service_id = ? AND entry_id IS NULL AND attainment_id IS NULL ORDER BY id";
    static const char q_ent[] =
        "SELECT id, kind, title, filename, sha256, size, restricted, added_on FROM reg_documents "
        "WHERE entry_id = ? ORDER BY id";
    static const char q_att[] =
        "SELECT id, kind, title, filename, sha256, size, restricted, added_on FROM reg_documents "
        "WHERE attainment_id = ? ORDER BY id";
    const char *q = strcmp(column, "org") == 0       ? q_org
                    : strcmp(column, "service") == 0 ? q_svc
                    : strcmp(column, "entry") == 0   ? q_ent
                                                     : q_att;
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, owner);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int restricted = sqlite3_column_int(st, 6);
        if (restricted && !signed_in)
            continue; /* behind the customer login: not even listed */
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
                           (json_int_t)sqlite3_column_int64(st, 0), "kind", tr_col_text(st, 1),
                           "title", tr_col_text(st, 2), "filename", tr_col_text(st, 3), "sha256",
                           tr_col_text(st, 4), "size", (json_int_t)sqlite3_column_int64(st, 5),
                           "access", restricted ? "restricted" : "public", "added_on",
                           tr_col_text(st, 7)));
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? TRUSTREG_OK : tr_reg_sql_error(reg, "listing documents");
}

int tr_reg_document_body(trustreg_registry *reg, int64_t id, unsigned char **data, size_t *len,
                         char **name)
{
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, "SELECT body, filename FROM reg_documents WHERE id = ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return tr_error(TRUSTREG_ENOTFOUND, "no document %lld", (long long)id);
    }
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    *data = malloc(n + 1);
    *name = tr_strdup(tr_col_text(st, 1));
    if (!*data || !*name) {
        free(*data);
        free(*name);
        sqlite3_reset(st);
        return tr_error_oom();
    }
    if (n)
        memcpy(*data, sqlite3_column_blob(st, 0), n);
    (*data)[n] = 0;
    *len = n;
    sqlite3_reset(st);
    return TRUSTREG_OK;
}

typedef struct doc_ctx {
    const trustreg_doc_spec *doc;
    tr_doc_owner owner;
    int32_t day;
    int64_t id;
} doc_ctx;

static int doc_apply(trustreg_registry *reg, void *arg)
{
    doc_ctx *c = arg;
    json_t *info = NULL;
    int rc = tr_reg_store_document(reg, c->doc, &c->owner, c->day, &c->id, &info);
    if (rc)
        return rc;
    tr_reg_event ev = {.kind = "document.added",
                       .day = c->day,
                       .org_id = c->owner.org_id,
                       .service_id = c->owner.service_id,
                       .data = info};
    rc = tr_reg_event_record(reg, &ev);
    json_decref(info);
    return rc;
}

int trustreg_org_add_document(trustreg_registry *reg, const char *org, const trustreg_doc_spec *doc,
                              const char *date, int64_t *id)
{
    doc_ctx c = {.doc = doc};
    int rc;
    if ((rc = tr_reg_org_id(reg, org, &c.owner.org_id)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = tr_reg_write(reg, doc_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

int trustreg_service_add_document(trustreg_registry *reg, const char *service,
                                  const trustreg_doc_spec *doc, const char *date, int64_t *id)
{
    doc_ctx c = {.doc = doc};
    int rc;
    if ((rc = tr_reg_service_id(reg, service, &c.owner.service_id, &c.owner.org_id)) ||
        (rc = tr_day_arg(date, "--date", reg->today, 0, &c.day)) ||
        (rc = tr_reg_write(reg, doc_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}
