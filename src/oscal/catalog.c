/*
 * oscal/catalog.c - reading the control index: one control with its enhancements, and the
 * full-text search over titles and prose (query building, result shapes).
 */
#include "store/store.h"
#include "trustreg/catalog.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

int trustreg_catalog_control(trustreg_db *db, const char *catalog_uuid, const char *control_id,
                             trustreg_control **out)
{
    *out = NULL;
    if (!catalog_uuid || !*catalog_uuid || !control_id || !*control_id)
        return tr_error(TRUSTREG_EUSAGE, "a catalog uuid and a control id are required");
    return db->ops->control_get(db->impl, catalog_uuid, control_id, out);
}

void trustreg_control_free(trustreg_control *c)
{
    if (!c)
        return;
    free(c->catalog_uuid);
    free(c->catalog_title);
    free(c->id);
    free(c->label);
    free(c->title);
    free(c->class_);
    free(c->parent);
    free(c->group_path);
    free(c->group_title);
    free(c->statement);
    free(c->guidance);
    for (size_t i = 0; i < c->n_params; i++) {
        free(c->params[i].id);
        free(c->params[i].text);
    }
    free(c->params);
    for (size_t i = 0; i < c->n_enhancements; i++) {
        free(c->enhancements[i].id);
        free(c->enhancements[i].label);
        free(c->enhancements[i].title);
    }
    free(c->enhancements);
    free(c);
}

json_t *trustreg_control_to_json(const trustreg_control *c)
{
    json_t *params = json_array();
    for (size_t i = 0; i < c->n_params; i++)
        json_array_append_new(params, json_pack("{s:s, s:s}", "id", c->params[i].id, "text",
                                                c->params[i].text));
    json_t *enh = json_array();
    for (size_t i = 0; i < c->n_enhancements; i++)
        json_array_append_new(enh, json_pack("{s:s, s:s, s:s, s:b}", "id", c->enhancements[i].id,
                                             "label", c->enhancements[i].label, "title",
                                             c->enhancements[i].title, "withdrawn",
                                             c->enhancements[i].withdrawn));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:s, s:s, s:o, s:o}",
                     "catalog_uuid", c->catalog_uuid, "catalog_title", c->catalog_title, "id",
                     c->id, "label", c->label, "title", c->title, "class", c->class_, "parent",
                     c->parent, "group_path", c->group_path, "group_title", c->group_title,
                     "withdrawn", c->withdrawn, "order", (json_int_t)c->order, "statement",
                     c->statement, "guidance", c->guidance, "params", params, "enhancements",
                     enh);
}

/*
 * Plain-words query to FTS5: every word becomes a quoted string (so punctuation such as "-" or
 * ":" is never read as FTS syntax) and all words must match.
 */
static char *plain_to_fts(const char *query)
{
    tr_buf out = {0};
    const char *p = query;
    int words = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        if (words++)
            tr_buf_puts(&out, " ");
        tr_buf_puts(&out, "\"");
        for (const char *q = start; q < p; q++) {
            if (*q == '"')
                tr_buf_puts(&out, "\"\"");
            else
                tr_buf_append(&out, q, 1);
        }
        tr_buf_puts(&out, "\"");
    }
    return tr_buf_steal(&out);
}

int trustreg_catalog_search(trustreg_db *db, const char *query, const trustreg_search_opts *opts,
                            trustreg_search_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    trustreg_search_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    if (!query)
        query = "";
    if (opts->limit < 0)
        return tr_error(TRUSTREG_EUSAGE, "search limit must be positive, got %d", opts->limit);
    char *fts = opts->raw ? tr_strdup(query) : plain_to_fts(query);
    if (!fts)
        return tr_error_oom();
    if (!*fts) {
        free(fts);
        return tr_error(TRUSTREG_EUSAGE, "empty search query");
    }
    int rc = db->ops->search(db->impl, fts, opts, hits, n);
    free(fts);
    return rc;
}

void trustreg_search_hits_free(trustreg_search_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++) {
        free(hits[i].catalog_uuid);
        free(hits[i].catalog_title);
        free(hits[i].id);
        free(hits[i].label);
        free(hits[i].title);
        free(hits[i].snippet);
    }
    free(hits);
}

json_t *trustreg_search_hit_to_json(const trustreg_search_hit *h)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:f}", "catalog_uuid", h->catalog_uuid,
                     "catalog_title", h->catalog_title, "id", h->id, "label", h->label, "title",
                     h->title, "snippet", h->snippet, "withdrawn", h->withdrawn, "score", h->score);
}
