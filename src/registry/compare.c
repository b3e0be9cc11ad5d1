/*
 * registry/compare.c - two to five services or providers side by side on a given day: the best
 * public status per STAR level, the offerings held (active or expiring; for a service also
 * through its platform), and the CAIQ domain summary of the current Level 1 entry when the CAIQ
 * checker produced one. The union of levels and offerings is given for drawing the table.
 */
#include "registry/internal.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Higher is better when several entries of a level exist. */
static int status_rank(const char *s)
{
    static const char *const order[] = {"published", "stale", "deprecated", "expired",
                                        "submitted", "hidden", "superseded", "rejected",
                                        "withdrawn"};
    for (int i = 0; i < 9; i++)
        if (strcmp(s, order[i]) == 0)
            return 100 - i;
    return 0;
}

static void add_unique(json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return;
    json_array_append_new(arr, json_string(s));
}

static int levels_of(trustreg_registry *reg, int orgs, int64_t id, int32_t day, int nonpublic,
                     json_t *levels, json_t **summary)
{
    static const char q_svc[] = TR_SQL_ENTRY_SELECT "WHERE e.service_id = ?2 AND e.submitted_on "
                                                    "<= ?1 ORDER BY e.id DESC";
    static const char q_org[] = TR_SQL_ENTRY_SELECT "WHERE e.org_id = ?2 AND e.submitted_on "
                                                    "<= ?1 ORDER BY e.id DESC";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, orgs ? q_org : q_svc, &st);
    if (rc)
        return rc;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *level = tr_col_text(st, 1), *status = tr_col_text(st, 28);
        if (!nonpublic && !trustreg_status_is_public(status))
            continue;
        json_t *cur = json_object_get(levels, level);
        if (!cur || status_rank(status) > status_rank(json_string_value(cur)))
            json_object_set_new(levels, level, json_string(status));
        if (!orgs && !*summary && sqlite3_column_type(st, 19) != SQLITE_NULL &&
            (strcmp(status, "published") == 0 || strcmp(status, "deprecated") == 0))
            *summary = json_loads(tr_col_text(st, 19), 0, NULL);
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? TRUSTREG_OK : tr_reg_sql_error(reg, "comparing entries");
}

static int org_offerings(trustreg_registry *reg, int64_t org_id, int32_t day, json_t *out)
{
    static const char q[] =
        "SELECT DISTINCT f.slug FROM reg_attainments a JOIN reg_offerings f ON f.id = "
        "a.offering_id WHERE a.org_id = ?2 AND " TR_SQL_ATT_STATUS " IN ('active', 'expiring') "
        "ORDER BY f.id";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, q, &st);
    if (rc)
        return rc;
    tr_bind_day(st, 1, day);
    sqlite3_bind_int64(st, 2, org_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_string(tr_col_text(st, 0)));
    sqlite3_reset(st);
    return TRUSTREG_OK;
}

static int column(trustreg_registry *reg, int orgs, const char *ref, int32_t day, int nonpublic,
                  json_t **out)
{
    int64_t id, org_id = 0;
    int rc = orgs ? tr_reg_org_id(reg, ref, &id) : tr_reg_service_id(reg, ref, &id, &org_id);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg,
                          orgs ? "SELECT slug, name, '' FROM reg_orgs WHERE id = ?"
                               : "SELECT s.slug, s.name, o.name FROM reg_services s JOIN reg_orgs "
                                 "o ON o.id = s.org_id WHERE s.id = ?",
                          &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return tr_reg_sql_error(reg, "reading a compared record");
    }
    json_t *col = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "slug", tr_col_text(st, 0),
                            "name", tr_col_text(st, 1));
    if (!orgs)
        json_object_set_new(col, "org", json_string(tr_col_text(st, 2)));
    sqlite3_reset(st);
    json_t *levels = json_object(), *summary = NULL, *offs = json_array();
    rc = levels_of(reg, orgs, id, day, nonpublic, levels, &summary);
    if (!rc && orgs) {
        rc = org_offerings(reg, id, day, offs);
    } else if (!rc) {
        json_t *groups = tr_reg_offerings_of_service(reg, id, day, 0, &rc);
        const char *cat;
        json_t *arr;
        json_object_foreach(groups, cat, arr)
        {
            size_t i;
            json_t *o;
            json_array_foreach(arr, i, o)
            {
                const char *s = json_string_value(json_object_get(o, "status"));
                if (strcmp(s, "active") == 0 || strcmp(s, "expiring") == 0)
                    add_unique(offs, json_string_value(json_object_get(o, "offering")));
            }
        }
        json_decref(groups);
    }
    json_object_set_new(col, "levels", levels);
    json_object_set_new(col, "offerings", offs);
    json_object_set_new(col, "caiq_summary", summary ? summary : json_null());
    if (rc) {
        json_decref(col);
        return rc;
    }
    *out = col;
    return TRUSTREG_OK;
}

int trustreg_compare(trustreg_registry *reg, int orgs, const char *const *refs, size_t n,
                     const trustreg_view *view, json_t **out)
{
    *out = NULL;
    if (n < 2 || n > 5)
        return tr_error(TRUSTREG_EUSAGE, "compare takes 2 to 5 %s, got %zu",
                        orgs ? "providers" : "services", n);
    int32_t day;
    int rc = tr_view_day(reg, view, &day);
    if (rc)
        return rc;
    json_t *cols = json_array(), *all_levels = json_array(), *all_offs = json_array();
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *col = NULL;
        if ((rc = column(reg, orgs, refs[i], day, view && view->include_nonpublic, &col)))
            break;
        size_t k;
        json_t *c;
        json_array_foreach(cols, k, c) if (json_integer_value(json_object_get(c, "id")) ==
                                           json_integer_value(json_object_get(col, "id")))
        {
            rc = tr_error(TRUSTREG_EUSAGE, "'%s' is named twice", refs[i]);
        }
        const char *lv;
        json_t *v;
        json_object_foreach(json_object_get(col, "levels"), lv, v) add_unique(all_levels, lv);
        json_array_foreach(json_object_get(col, "offerings"), k, v)
            add_unique(all_offs, json_string_value(v));
        json_array_append_new(cols, col);
    }
    if (rc) {
        json_decref(cols);
        json_decref(all_levels);
        json_decref(all_offs);
        return rc;
    }
    char d[11];
    tr_day_format(day, d);
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "as_of", d, "kind", orgs ? "orgs" : "services",
                     "levels", all_levels, "offerings", all_offs, "columns", cols);
    return TRUSTREG_OK;
}
