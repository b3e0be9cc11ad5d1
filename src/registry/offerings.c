/*
 * registry/offerings.c - compliance offerings (the reference list from schema_sql.c) and
 * attainments: one provider's certificate, attestation or report for one offering, covering
 * many of its services. Two views of the same rows: the provider's offering page and the
 * offerings part of a service page (its own and its platform's). Links ("href") are built from
 * the row being shown, so a page cannot point at another offering.
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const categories[] = {"global", "us-government", "industry", "regional"};

int trustreg_offering_list(trustreg_registry *reg, const char *category, json_t **out)
{
    *out = NULL;
    if (category && *category) {
        int ok = 0;
        for (size_t i = 0; i < 4; i++)
            ok |= strcmp(category, categories[i]) == 0;
        if (!ok)
            return tr_error(TRUSTREG_EINPUT, "category '%s': expected global, us-government, "
                                             "industry or regional",
                            category);
    }
    static const char q[] =
        "SELECT id, slug, name, category, issuer, kind, region, typical_validity_months,"
        " description FROM reg_offerings WHERE ?1 IS NULL OR category = ?1 "
        "ORDER BY CASE category WHEN 'global' THEN 0 WHEN 'us-government' THEN 1"
        " WHEN 'industry' THEN 2 ELSE 3 END, id";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    tr_bind_text(st, 1, category && *category ? category : NULL);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "slug", tr_col_text(st, 1), "name",
            tr_col_text(st, 2), "category", tr_col_text(st, 3), "issuer", tr_col_text(st, 4),
            "kind", tr_col_text(st, 5), "region", tr_col_text(st, 6), "typical_validity_months",
            sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
                                                      : json_integer(sqlite3_column_int(st, 7)),
            "description", tr_col_text(st, 8));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return tr_reg_sql_error(reg, "listing offerings");
    }
    *out = arr;
    return TRUSTREG_OK;
}

/* ---- attainments ---- */

typedef struct att_ctx {
    const trustreg_attainment_spec *spec;
    int64_t org_id, offering_id, assessor_id, id;
    int64_t service_ids[256];
    int32_t day, issued, expires, pstart, pend;
    int derived;
} att_ctx;

static int att_apply(trustreg_registry *reg, void *arg)
{
    att_ctx *c = arg;
    const trustreg_attainment_spec *s = c->spec;
    static const char ins[] =
        "INSERT INTO reg_attainments(org_id, offering_id, reference, issued_on, expires_on,"
        " expires_derived, period_start, period_end, assessor_id, notes, recorded_on,"
        " supersedes_id, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char ins_svc[] =
        "INSERT OR IGNORE INTO reg_attainment_services(service_id, attainment_id) VALUES (?, ?)";
    static const char sup[] = "UPDATE reg_attainments SET superseded_on = ?2, superseded_by = ?3 "
                              "WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_int64(st, 1, c->org_id);
    sqlite3_bind_int64(st, 2, c->offering_id);
    tr_bind_text(st, 3, s->reference ? s->reference : "");
    tr_bind_day(st, 4, c->issued);
    tr_bind_day(st, 5, c->expires);
    sqlite3_bind_int(st, 6, c->derived);
    tr_bind_day(st, 7, c->pstart);
    tr_bind_day(st, 8, c->pend);
    if (c->assessor_id)
        sqlite3_bind_int64(st, 9, c->assessor_id);
    tr_bind_text(st, 10, s->notes ? s->notes : "");
    tr_bind_day(st, 11, c->day);
    if (s->supersedes)
        sqlite3_bind_int64(st, 12, s->supersedes);
    tr_bind_text(st, 13, now);
    if ((rc = tr_reg_exec_stmt(reg, st, "storing an attainment")))
        return rc;
    c->id = sqlite3_last_insert_rowid(reg->sql);
    json_t *svcs = json_array();
    for (size_t i = 0; i < s->n_services && !rc; i++) {
        if ((rc = tr_reg_stmt(reg, ins_svc, &st)))
            break;
        sqlite3_bind_int64(st, 1, c->service_ids[i]);
        sqlite3_bind_int64(st, 2, c->id);
        rc = tr_reg_exec_stmt(reg, st, "storing the attainment's scope");
        json_array_append_new(svcs, json_integer(c->service_ids[i]));
    }
    json_t *docs = json_array();
    tr_doc_owner owner = {.org_id = c->org_id, .attainment_id = c->id};
    for (size_t i = 0; i < s->n_docs && !rc; i++) {
        int64_t did;
        json_t *info = NULL;
        if (!(rc = tr_reg_store_document(reg, &s->docs[i], &owner, c->day, &did, &info)))
            json_array_append_new(docs, info);
    }
    if (rc) {
        json_decref(svcs);
        json_decref(docs);
        return rc;
    }
    char iss[11], exp[11] = "";
    tr_day_format(c->issued, iss);
    if (c->expires != TR_DAY_NONE)
        tr_day_format(c->expires, exp);
    json_t *d = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o}", "offering", s->offering, "reference",
                          s->reference ? s->reference : "", "issued", iss, "expires",
                          exp[0] ? exp : NULL, "services", svcs, "documents", docs);
    tr_reg_event ev = {.kind = "attainment.added",
                       .day = c->day,
                       .org_id = c->org_id,
                       .attainment_id = c->id,
                       .data = d};
    rc = tr_reg_event_record(reg, &ev);
    json_decref(d);
    if (rc || !s->supersedes)
        return rc;
    if ((rc = tr_reg_stmt(reg, sup, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, s->supersedes);
    tr_bind_day(st, 2, c->day);
    sqlite3_bind_int64(st, 3, c->id);
    if ((rc = tr_reg_exec_stmt(reg, st, "superseding an attainment")))
        return rc;
    json_t *d2 = json_pack("{s:I}", "superseded_by", (json_int_t)c->id);
    tr_reg_event ev2 = {.kind = "attainment.superseded",
                        .day = c->day,
                        .org_id = c->org_id,
                        .attainment_id = s->supersedes,
                        .data = d2};
    rc = tr_reg_event_record(reg, &ev2);
    json_decref(d2);
    return rc;
}

int trustreg_attainment_add(trustreg_registry *reg, const trustreg_attainment_spec *s,
                            int64_t *id)
{
    att_ctx c = {.spec = s, .expires = TR_DAY_NONE, .pstart = TR_DAY_NONE, .pend = TR_DAY_NONE};
    int rc;
    if (!s->issued || !*s->issued)
        return tr_error(TRUSTREG_EUSAGE, "--issued is required (certificate or report date)");
    if ((rc = tr_reg_org_id(reg, s->org, &c.org_id)) ||
        (rc = tr_reg_offering_id(reg, s->offering, &c.offering_id)) ||
        (rc = tr_day_arg(s->date, "--date", reg->today, 0, &c.day)) ||
        (rc = tr_day_arg(s->issued, "--issued", reg->today, 0, &c.issued)) ||
        (rc = tr_day_arg(s->expires, "--expires", TR_DAY_NONE, 1, &c.expires)) ||
        (rc = tr_day_arg(s->period_start, "--period-start", TR_DAY_NONE, 0, &c.pstart)) ||
        (rc = tr_day_arg(s->period_end, "--period-end", TR_DAY_NONE, 0, &c.pend)))
        return rc;
    if (c.issued > c.day)
        return tr_error(TRUSTREG_EINPUT, "--issued %s is after the recording date", s->issued);
    if (c.expires != TR_DAY_NONE && c.expires <= c.issued)
        return tr_error(TRUSTREG_EINPUT, "--expires %s is not after --issued %s", s->expires,
                        s->issued);
    if ((c.pstart == TR_DAY_NONE) != (c.pend == TR_DAY_NONE))
        return tr_error(TRUSTREG_EUSAGE, "give both --period-start and --period-end, or neither");
    if (c.pstart != TR_DAY_NONE && (c.pend < c.pstart || c.pend > c.issued))
        return tr_error(TRUSTREG_EINPUT, "the audit period must end on or after its start and "
                                         "on or before the report date");
    if (s->n_services == 0)
        return tr_error(TRUSTREG_EUSAGE, "name at least one in-scope service (--service)");
    if (s->n_services > 256)
        return tr_error(TRUSTREG_EINPUT, "at most 256 services per attainment");
    for (size_t i = 0; i < s->n_services; i++) {
        int64_t org = 0;
        if ((rc = tr_reg_service_id(reg, s->services[i], &c.service_ids[i], &org)))
            return rc;
        if (org != c.org_id)
            return tr_error(TRUSTREG_EINPUT,
                            "service '%s' belongs to another provider; an attainment covers "
                            "services of its own provider",
                            s->services[i]);
    }
    if (s->assessor && *s->assessor && (rc = tr_reg_assessor_id(reg, s->assessor, &c.assessor_id,
                                                                NULL)))
        return rc;
    if (c.expires == TR_DAY_NONE && reg->policy->offering_typical) {
        sqlite3_stmt *st;
        if ((rc = tr_reg_stmt(reg, "SELECT typical_validity_months FROM reg_offerings WHERE id = ?",
                              &st)))
            return rc;
        sqlite3_bind_int64(st, 1, c.offering_id);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            c.expires = tr_day_add_months(c.issued, sqlite3_column_int(st, 0)) - 1;
            c.derived = 1;
        }
        sqlite3_reset(st);
    }
    if (s->supersedes) {
        sqlite3_stmt *st;
        if ((rc = tr_reg_stmt(reg,
                              "SELECT org_id, offering_id, superseded_on IS NULL AND withdrawn_on "
                              "IS NULL FROM reg_attainments WHERE id = ?",
                              &st)))
            return rc;
        sqlite3_bind_int64(st, 1, s->supersedes);
        int r = sqlite3_step(st);
        int ok = r == SQLITE_ROW && sqlite3_column_int64(st, 0) == c.org_id &&
                 sqlite3_column_int64(st, 1) == c.offering_id && sqlite3_column_int(st, 2);
        sqlite3_reset(st);
        if (!ok)
            return tr_error(r == SQLITE_ROW ? TRUSTREG_EINPUT : TRUSTREG_ENOTFOUND,
                            "--supersedes %lld: not a current attainment of this provider for "
                            "this offering",
                            (long long)s->supersedes);
    }
    if ((rc = tr_reg_write(reg, att_apply, &c)))
        return rc;
    if (id)
        *id = c.id;
    return TRUSTREG_OK;
}

typedef struct att_wd_ctx {
    int64_t id, org_id;
    int32_t day;
    const char *reason;
} att_wd_ctx;

static int att_withdraw_apply(trustreg_registry *reg, void *arg)
{
    att_wd_ctx *c = arg;
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg,
                         "UPDATE reg_attainments SET withdrawn_on = ?2, reason = ?3 WHERE id = ?1",
                         &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->id);
    tr_bind_day(st, 2, c->day);
    tr_bind_text(st, 3, c->reason);
    if ((rc = tr_reg_exec_stmt(reg, st, "withdrawing an attainment")))
        return rc;
    tr_reg_event ev = {.kind = "attainment.withdrawn",
                       .day = c->day,
                       .org_id = c->org_id,
                       .attainment_id = c->id,
                       .reason = c->reason};
    return tr_reg_event_record(reg, &ev);
}

int trustreg_attainment_withdraw(trustreg_registry *reg, int64_t id, const char *reason,
                                 const char *date)
{
    att_wd_ctx c = {.id = id, .reason = reason};
    if (!reason || !*reason)
        return tr_error(TRUSTREG_EUSAGE, "a withdrawal needs a reason (--reason TEXT)");
    int rc = tr_day_arg(date, "--date", reg->today, 0, &c.day);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg,
                          "SELECT org_id, withdrawn_on IS NOT NULL, recorded_on, superseded_on "
                          "FROM reg_attainments WHERE id = ?",
                          &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return tr_error(TRUSTREG_ENOTFOUND, "no attainment %lld", (long long)id);
    }
    c.org_id = sqlite3_column_int64(st, 0);
    int withdrawn = sqlite3_column_int(st, 1);
    int32_t recorded = tr_col_day(st, 2), superseded = tr_col_day(st, 3);
    sqlite3_reset(st);
    if (withdrawn)
        return tr_error(TRUSTREG_EINPUT, "attainment %lld is already withdrawn", (long long)id);
    if (c.day < recorded || (superseded != TR_DAY_NONE && c.day < superseded))
        return tr_error(TRUSTREG_EINPUT, "--date is before the attainment's last recorded change");
    return tr_reg_write(reg, att_withdraw_apply, &c);
}

/* ---- views ---- */

static json_t *empty_groups(void)
{
    json_t *g = json_object();
    for (size_t i = 0; i < 4; i++)
        json_object_set_new(g, categories[i], json_array());
    return g;
}

json_t *tr_reg_offerings_of_service(trustreg_registry *reg, int64_t service_id, int32_t day,
                                    int include_nonpublic, int *err)
{
    static const char q[] =
        "SELECT f.slug, f.name, f.category, a.id, x.service_id = ?2, " TR_SQL_ATT_STATUS ","
        " a.issued_on, a.expires_on, a.expires_derived, a.reference, o.slug "
        "FROM reg_attainment_services x JOIN reg_attainments a ON a.id = x.attainment_id"
        " JOIN reg_offerings f ON f.id = a.offering_id JOIN reg_orgs o ON o.id = a.org_id "
        "WHERE x.service_id IN (?2, (SELECT platform_id FROM reg_services WHERE id = ?2)) "
        "ORDER BY f.id, x.service_id <> ?2, a.issued_on DESC";
    sqlite3_stmt *st;
    *err = tr_reg_stmt(reg, q, &st);
    if (*err)
        return NULL;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, service_id);
    json_t *groups = empty_groups();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = tr_col_text(st, 5);
        if (strcmp(status, "none") == 0)
            continue;
        if (!include_nonpublic && (strcmp(status, "withdrawn") == 0 ||
                                   strcmp(status, "superseded") == 0))
            continue;
        char href[200];
        snprintf(href, sizeof href, "/orgs/%s/offerings/%s", tr_col_text(st, 10),
                 tr_col_text(st, 0));
        json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:b, s:s, s:s}", "offering",
                              tr_col_text(st, 0), "name", tr_col_text(st, 1), "attainment",
                              (json_int_t)sqlite3_column_int64(st, 3), "source",
                              sqlite3_column_int(st, 4) ? "own" : "platform", "status", status,
                              "issued_on", tr_col_json_text(st, 6), "expires_on",
                              tr_col_json_text(st, 7), "expiry_derived",
                              sqlite3_column_int(st, 8), "reference", tr_col_text(st, 9), "href",
                              href);
        json_t *arr = json_object_get(groups, tr_col_text(st, 2));
        if (arr)
            json_array_append_new(arr, o);
        else
            json_decref(o);
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(groups);
        *err = tr_reg_sql_error(reg, "listing a service's offerings");
        return NULL;
    }
    return groups;
}

static int offering_info(trustreg_registry *reg, int64_t oid, json_t **out)
{
    json_t *all = NULL;
    int rc = trustreg_offering_list(reg, NULL, &all);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, "SELECT slug FROM reg_offerings WHERE id = ?", &st))) {
        json_decref(all);
        return rc;
    }
    sqlite3_bind_int64(st, 1, oid);
    char slug[64] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(slug, sizeof slug, "%s", tr_col_text(st, 0));
    sqlite3_reset(st);
    size_t i;
    json_t *v;
    *out = NULL;
    json_array_foreach(all, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "slug")), slug) == 0) {
            *out = json_incref(v);
            break;
        }
    }
    json_decref(all);
    return *out ? TRUSTREG_OK : tr_error(TRUSTREG_ENOTFOUND, "no offering %lld", (long long)oid);
}

int trustreg_offering_page(trustreg_registry *reg, const char *offering, const char *org,
                           const trustreg_view *view, json_t **out)
{
    *out = NULL;
    int64_t oid, org_id = 0;
    int32_t day;
    int rc;
    if ((rc = tr_view_day(reg, view, &day)) || (rc = tr_reg_offering_id(reg, offering, &oid)) ||
        (org && *org && (rc = tr_reg_org_id(reg, org, &org_id))))
        return rc;
    json_t *page = NULL;
    if ((rc = offering_info(reg, oid, &page)))
        return rc;
    char d[11];
    tr_day_format(day, d);
    json_object_set_new(page, "as_of", json_string(d));
    static const char q[] =
        "SELECT a.id, o.slug, o.name, a.reference, a.issued_on, a.expires_on, a.expires_derived,"
        " a.period_start, a.period_end, s.slug, s.name, a.notes, " TR_SQL_ATT_STATUS ","
        " a.superseded_by, a.reason "
        "FROM reg_attainments a JOIN reg_orgs o ON o.id = a.org_id"
        " LEFT JOIN reg_assessors s ON s.id = a.assessor_id "
        "WHERE a.offering_id = ?2 AND (?3 = 0 OR a.org_id = ?3) "
        "ORDER BY o.name COLLATE NOCASE, a.issued_on DESC, a.id DESC";
    static const char q_svc[] =
        "SELECT s.id, s.slug, s.name FROM reg_attainment_services x JOIN reg_services s ON s.id ="
        " x.service_id WHERE x.attainment_id = ? ORDER BY s.name COLLATE NOCASE";
    sqlite3_stmt *st;
    if ((rc = tr_reg_prepare(reg, q, &st))) {
        json_decref(page);
        return rc;
    }
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, oid);
    sqlite3_bind_int64(st, 3, org_id);
    json_t *atts = json_array();
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *status = tr_col_text(st, 12);
        if (strcmp(status, "none") == 0)
            continue;
        if (!(view && view->include_nonpublic) &&
            (strcmp(status, "withdrawn") == 0 || strcmp(status, "superseded") == 0))
            continue;
        int64_t aid = sqlite3_column_int64(st, 0);
        char href[200];
        snprintf(href, sizeof href, "/orgs/%s/offerings/%s", tr_col_text(st, 1),
                 json_string_value(json_object_get(page, "slug")));
        json_t *a = json_pack(
            "{s:I, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:s, s:s}", "id",
            (json_int_t)aid, "org", "slug", tr_col_text(st, 1), "name", tr_col_text(st, 2),
            "reference", tr_col_text(st, 3), "status", status, "issued_on",
            tr_col_json_text(st, 4), "expires_on", tr_col_json_text(st, 5), "expiry_derived",
            sqlite3_column_int(st, 6), "period",
            sqlite3_column_type(st, 7) == SQLITE_NULL
                ? json_null()
                : json_pack("{s:s, s:s}", "start", tr_col_text(st, 7), "end", tr_col_text(st, 8)),
            "assessor",
            sqlite3_column_type(st, 9) == SQLITE_NULL
                ? json_null()
                : json_pack("{s:s, s:s}", "slug", tr_col_text(st, 9), "name", tr_col_text(st, 10)),
            "notes", tr_col_text(st, 11), "href", href);
        if (strcmp(status, "expiring") == 0) {
            char w[160];
            snprintf(w, sizeof w, "expires on %s, within %d days", tr_col_text(st, 5),
                     reg->policy->offering_warn_days);
            json_object_set_new(a, "warning", json_string(w));
        }
        if (view && view->include_nonpublic) {
            json_object_set_new(a, "superseded_by", sqlite3_column_type(st, 13) == SQLITE_NULL
                                                        ? json_null()
                                                        : json_integer(sqlite3_column_int64(st, 13)));
            json_object_set_new(a, "reason", tr_col_json_text(st, 14));
        }
        json_t *svcs = json_array();
        sqlite3_stmt *s2;
        if (!(rc = tr_reg_stmt(reg, q_svc, &s2))) {
            sqlite3_bind_int64(s2, 1, aid);
            while (sqlite3_step(s2) == SQLITE_ROW)
                json_array_append_new(svcs, json_pack("{s:I, s:s, s:s}", "id",
                                                      (json_int_t)sqlite3_column_int64(s2, 0),
                                                      "slug", tr_col_text(s2, 1), "name",
                                                      tr_col_text(s2, 2)));
            sqlite3_reset(s2);
        }
        json_object_set_new(a, "services", svcs);
        json_t *docs = json_array();
        if (!rc)
            rc = tr_reg_documents_json(reg, "attainment", aid, view && view->signed_in, docs);
        json_object_set_new(a, "documents", docs);
        json_array_append_new(atts, a);
    }
    if (!rc && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = tr_reg_sql_error(reg, "reading attainments");
    sqlite3_finalize(st);
    if (rc) {
        json_decref(atts);
        json_decref(page);
        return rc;
    }
    json_object_set_new(page, "attainments", atts);
    *out = page;
    return TRUSTREG_OK;
}
