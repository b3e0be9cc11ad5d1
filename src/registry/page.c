/*
 * registry/page.c - the service page: the service and its provider, its platform (and the
 * services built on it), STAR entries grouped by level with status and validity on the chosen
 * day, offerings grouped Global / US Government / Industry / Regional (own or from the
 * platform), documents with their SHA-256, and the history of public events.
 */
#include "registry/internal.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* Events that are public: never the submission or rejection of an entry that was not
 * published, nor documents behind the customer login. */
static int public_event(json_t *ev)
{
    const char *kind = json_string_value(json_object_get(ev, "kind"));
    if (!kind || strcmp(kind, "entry.submitted") == 0 || strcmp(kind, "entry.rejected") == 0)
        return 0;
    json_t *data = json_object_get(ev, "data");
    if (strcmp(kind, "document.added") == 0 && json_is_true(json_object_get(data, "restricted")))
        return 0;
    return 1;
}

int trustreg_service_page(trustreg_registry *reg, const char *ref, const trustreg_view *view,
                          json_t **out)
{
    *out = NULL;
    int64_t id, org_id;
    int32_t day;
    int rc;
    if ((rc = tr_view_day(reg, view, &day)) || (rc = tr_reg_service_id(reg, ref, &id, &org_id)))
        return rc;
    int nonpublic = view && view->include_nonpublic;
    static const char q[] =
        "SELECT s.slug, s.name, s.category, s.description, s.created_on, o.slug, o.name,"
        " o.website, p.slug, p.name,"
        " (SELECT json_group_array(region) FROM (SELECT region FROM reg_service_regions r"
        "   WHERE r.service_id = s.id ORDER BY region)) "
        "FROM reg_services s JOIN reg_orgs o ON o.id = s.org_id"
        " LEFT JOIN reg_services p ON p.id = s.platform_id WHERE s.id = ?";
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, q, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return tr_reg_sql_error(reg, "reading a service");
    }
    char href[200], ohref[100];
    snprintf(href, sizeof href, "/services/%s", tr_col_text(st, 0));
    snprintf(ohref, sizeof ohref, "/orgs/%s", tr_col_text(st, 5));
    json_t *regions = json_loads(tr_col_text(st, 10), 0, NULL);
    json_t *page = json_object();
    char d[11];
    tr_day_format(day, d);
    json_object_set_new(page, "as_of", json_string(d));
    json_object_set_new(
        page, "service",
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)id, "slug",
                  tr_col_text(st, 0), "name", tr_col_text(st, 1), "category", tr_col_text(st, 2),
                  "description", tr_col_text(st, 3), "regions", regions ? regions : json_array(),
                  "created_on", tr_col_text(st, 4), "href", href));
    json_object_set_new(page, "org",
                        json_pack("{s:s, s:s, s:s, s:s}", "slug", tr_col_text(st, 5), "name",
                                  tr_col_text(st, 6), "website", tr_col_text(st, 7), "href",
                                  ohref));
    if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
        char phref[200];
        snprintf(phref, sizeof phref, "/services/%s", tr_col_text(st, 8));
        json_object_set_new(page, "platform",
                            json_pack("{s:s, s:s, s:s}", "slug", tr_col_text(st, 8), "name",
                                      tr_col_text(st, 9), "href", phref));
    } else {
        json_object_set_new(page, "platform", json_null());
    }
    sqlite3_reset(st);

    /* services built on this one */
    json_t *children = json_array();
    if (!(rc = tr_reg_stmt(reg,
                           "SELECT slug, name FROM reg_services WHERE platform_id = ? "
                           "ORDER BY name COLLATE NOCASE",
                           &st))) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(children, json_pack("{s:s, s:s}", "slug", tr_col_text(st, 0),
                                                      "name", tr_col_text(st, 1)));
        sqlite3_reset(st);
    }
    json_object_set_new(page, "platform_services", children);

    /* entries grouped by level */
    json_t *entries = NULL, *offerings = NULL;
    if (!rc)
        entries = tr_reg_entries_of_service(reg, id, day, nonpublic, &rc);
    if (!rc)
        offerings = tr_reg_offerings_of_service(reg, id, day, nonpublic, &rc);
    if (rc) {
        json_decref(entries);
        json_decref(page);
        return rc;
    }
    json_t *by_level = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        const char *lv = json_string_value(json_object_get(e, "level"));
        json_t *arr = json_object_get(by_level, lv);
        if (!arr) {
            arr = json_array();
            json_object_set_new(by_level, lv, arr);
        }
        json_array_append(arr, e);
    }
    json_decref(entries);
    json_object_set_new(page, "entries", by_level);
    json_object_set_new(page, "offerings", offerings);

    json_t *docs = json_array();
    rc = tr_reg_documents_json(reg, "service", id, view && view->signed_in, docs);
    json_object_set_new(page, "documents", docs);
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    json_t *hist = NULL;
    if (!rc)
        rc = trustreg_history(reg, "service", idbuf, &hist);
    if (rc) {
        json_decref(page);
        return rc;
    }
    json_t *shown = json_array();
    json_array_foreach(hist, i, e)
    {
        const char *eday = json_string_value(json_object_get(e, "day"));
        if (eday && strcmp(eday, d) > 0)
            continue; /* after the as-of day */
        if (nonpublic || public_event(e))
            json_array_append(shown, e);
    }
    json_decref(hist);
    json_object_set_new(page, "history", shown);
    *out = page;
    return TRUSTREG_OK;
}
