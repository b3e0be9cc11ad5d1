/*
 * ccm/map_oscal.c - OSCAL 1.2 mapping-collection JSON: reading into the mapping model, and
 * writing a stored set back out.
 *
 * The document goes through the OSCAL reader (size and depth limits, syntax errors with
 * line:column, duplicate keys, identity fields); this file then walks the mapping model and
 * reports problems by JSON pointer. Structural errors (a map without sources, a relationship that
 * is not a string) stop the import; deviations seen in real files (provenance method "manual",
 * "id_ref" for "id-ref", hrefs that do not resolve) are warnings. The collection, each mapping
 * and each map are kept as JSON so that export gives back the same content.
 */
#include "ccm/map_model.h"
#include "oscal/doc.h"
#include "store/map_store.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct rd {
    const char *source;
    const char *base_dir;
    tr_map_model *m;
    tr_jptr ptr;
} rd;

static int enum_ok(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return 1;
    return 0;
}

/* Warn when member key of obj is present but not one of allowed. */
static void check_enum(rd *r, json_t *obj, const char *key, const char *const *allowed,
                       int required)
{
    json_t *v = json_object_get(obj, key);
    size_t mark = tr_jptr_push_key(&r->ptr, key);
    if (!v) {
        if (required)
            tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr),
                            "required member \"%s\" is missing (OSCAL schema)", key);
    } else if (!json_is_string(v)) {
        tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr), "expected a string, found %s",
                        tr_json_type_name(v));
    } else if (!enum_ok(json_string_value(v), allowed)) {
        char list[256] = "";
        for (const char *const *a = allowed; *a; a++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     a == allowed ? "" : ", ", *a);
        tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr),
                        "\"%s\" is not an allowed value (%s); kept as written",
                        json_string_value(v), list);
    }
    tr_jptr_pop(&r->ptr, mark);
}

static const char *const methods[] = {"human", "automation", "hybrid", NULL};
static const char *const rationales[] = {"syntactic", "semantic", "functional", NULL};
static const char *const statuses[] = {"complete", "not-complete", "draft", "deprecated",
                                       "superseded", NULL};

static char *dump_compact(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!s)
        tr_error_oom();
    return s;
}

/* Percent-decode (in place). */
static void pct_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        int h1, h2;
        if (p[0] == '%' && p[1] && p[2] && sscanf(p + 1, "%1x%1x", &h1, &h2) == 2 && (h1 || h2)) {
            *o++ = (char)(h1 * 16 + h2);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* A name for a resource from its href: "catalogs/NIST_SP-800-53_rev5/catalog.json" gives
 * "NIST_SP-800-53_rev5", "x/rev4.json" gives "rev4", "#<uuid>" gives the uuid. */
static char *name_from_href(const char *href)
{
    char *s = tr_strdup(href);
    if (!s)
        return NULL;
    s[strcspn(s, "?#")] = '\0';
    if (!*s) { /* a fragment only */
        free(s);
        const char *h = strchr(href, '#');
        return tr_strdup(h ? h + 1 : href);
    }
    pct_decode(s);
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        s[--n] = '\0';
    char *base = strrchr(s, '/');
    char *name = base ? base + 1 : s;
    char *dot = strrchr(name, '.');
    if (dot && dot != name)
        *dot = '\0';
    static const char *const generic[] = {"catalog", "profile", "resolved-profile_catalog",
                                          "resolved-profile", NULL};
    if (base && enum_ok(name, generic)) {
        *base = '\0';
        char *parent = strrchr(s, '/');
        name = parent ? parent + 1 : s;
    }
    char *out = tr_strdup(*name ? name : href);
    free(s);
    return out;
}

/* The first canonical uuid inside s, or NULL. */
static char *uuid_in(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 36 <= n; i++)
        if (tr_map_is_uuid(s + i, 36) && (i == 0 || s[i - 1] == ':' || s[i - 1] == '#' ||
                                          s[i - 1] == '/'))
            return strndup(s + i, 36);
    return NULL;
}

/* Find a relative href as a file beside the document or in one of its parent folders (OSCAL
 * tools often write hrefs relative to a workspace root); returns its catalog uuid or NULL. */
static char *uuid_behind_href(rd *r, const char *href, const char *pointer)
{
    if (!r->base_dir || !*href || strchr(href, ':') || href[0] == '/' || href[0] == '#' ||
        strstr(href, ".."))
        return NULL;
    char *rel = tr_strdup(href);
    if (!rel)
        return NULL;
    rel[strcspn(rel, "?#")] = '\0';
    pct_decode(rel);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", r->base_dir);
    char *found = NULL;
    for (int up = 0; up < 5 && !found; up++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            trustreg_oscal_doc *doc = NULL;
            if (tr_oscal_doc_load(&doc, path, 0) == TRUSTREG_OK) {
                found = tr_strdup(doc->uuid);
                trustreg_oscal_doc_free(doc);
            } else {
                tr_map_warn_ptr(&r->m->warns, pointer,
                                "href \"%s\" names %s, which is not a readable OSCAL document",
                                href, path);
                trustreg_error_clear();
                break;
            }
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    free(rel);
    return found;
}

static int read_end(rd *r, json_t *mapping, const char *key, tr_map_end *end)
{
    json_t *res;
    int rc = tr_json_get_object(mapping, key, 1, r->source, &r->ptr, &res);
    if (rc)
        return rc;
    size_t mark = tr_jptr_push_key(&r->ptr, key);
    const char *href, *type;
    if ((rc = tr_json_get_string(res, "href", 1, r->source, &r->ptr, &href)) ||
        (rc = tr_json_get_string(res, "type", 0, r->source, &r->ptr, &type))) {
        tr_jptr_pop(&r->ptr, mark);
        return rc;
    }
    static const char *const types[] = {"catalog", "profile", NULL};
    check_enum(r, res, "type", types, 1);
    end->href = tr_strdup(href);
    end->name = name_from_href(href);
    end->where = tr_strdup(tr_jptr_str(&r->ptr));
    end->catalog_uuid = uuid_in(href);
    if (!end->catalog_uuid)
        end->catalog_uuid = uuid_behind_href(r, href, tr_jptr_str(&r->ptr));
    tr_jptr_pop(&r->ptr, mark);
    if (!end->href || !end->name || !end->where)
        return tr_error_oom();
    return TRUSTREG_OK;
}

static int read_items(rd *r, json_t *map, const char *key, tr_map_entry *e, int target)
{
    json_t *arr;
    int rc = tr_json_get_array(map, key, 1, r->source, &r->ptr, &arr);
    if (rc)
        return rc;
    size_t mark = tr_jptr_push_key(&r->ptr, key);
    if (json_array_size(arr) == 0)
        rc = tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                          "expected at least one %s", target ? "target" : "source");
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        if (rc)
            break;
        size_t m2 = tr_jptr_push_index(&r->ptr, i);
        if (!json_is_object(item)) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                              "expected an object, found %s", tr_json_type_name(item));
            break;
        }
        const char *id = NULL, *type = NULL;
        json_t *v = json_object_get(item, "id-ref");
        if (!v && (v = json_object_get(item, "id_ref"))) {
            size_t m3 = tr_jptr_push_key(&r->ptr, "id_ref");
            tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr),
                            "\"id_ref\" is not an OSCAL member; read as \"id-ref\"");
            tr_jptr_pop(&r->ptr, m3);
            if (!json_is_string(v))
                rc = tr_json_get_string(item, "id_ref", 1, r->source, &r->ptr, &id);
            else
                id = json_string_value(v);
        } else {
            rc = tr_json_get_string(item, "id-ref", 1, r->source, &r->ptr, &id);
        }
        if (!rc)
            rc = tr_json_get_string(item, "type", 0, r->source, &r->ptr, &type);
        if (!rc) {
            static const char *const itypes[] = {"control", "statement", NULL};
            check_enum(r, item, "type", itypes, 1);
            size_t len = strlen(id);
            while (len && (id[len - 1] == ' ' || id[len - 1] == '\t' || id[len - 1] == '\n'))
                len--;
            while (len && (*id == ' ' || *id == '\t' || *id == '\n'))
                id++, len--;
            if (!len)
                rc = tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                                  "empty control id");
            else
                rc = tr_map_entry_add_item(e, target, id, len,
                                           type && strcmp(type, "statement") == 0);
        }
        tr_jptr_pop(&r->ptr, m2);
    }
    tr_jptr_pop(&r->ptr, mark);
    return rc;
}

/* Strength 0-10 from a prop named "strength" (trustreg's export writes one). */
static void read_strength(rd *r, json_t *map, tr_map_entry *e)
{
    json_t *props = json_object_get(map, "props"), *p;
    size_t i;
    if (!json_is_array(props))
        return;
    json_array_foreach(props, i, p) {
        json_t *name = json_object_get(p, "name"), *value = json_object_get(p, "value");
        if (!json_is_string(name) || strcmp(json_string_value(name), "strength") != 0 ||
            !json_is_string(value))
            continue;
        const char *v = json_string_value(value);
        char *end;
        long s = strtol(v, &end, 10);
        if (*v && !*end && s >= 0 && s <= 10) {
            e->strength = (int)s;
        } else {
            size_t m1 = tr_jptr_push_key(&r->ptr, "props");
            size_t m2 = tr_jptr_push_index(&r->ptr, i);
            tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr),
                            "strength \"%s\" is not an integer from 0 to 10; ignored", v);
            tr_jptr_pop(&r->ptr, m2);
            tr_jptr_pop(&r->ptr, m1);
        }
    }
}

static int read_map(rd *r, json_t *map, tr_map_mapping *g, const char *rationale)
{
    if (!json_is_object(map))
        return tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                            "expected an object, found %s", tr_json_type_name(map));
    tr_map_entry *e = tr_map_mapping_add_map(g);
    if (!e)
        return TRUSTREG_EINTERNAL;
    const char *uuid, *token, *ns, *mr;
    int rc;
    if ((rc = tr_json_get_string(map, "uuid", 1, r->source, &r->ptr, &uuid)) ||
        (rc = tr_json_get_string(map, "relationship", 1, r->source, &r->ptr, &token)) ||
        (rc = tr_json_get_string(map, "ns", 0, r->source, &r->ptr, &ns)) ||
        (rc = tr_json_get_string(map, "matching-rationale", 0, r->source, &r->ptr, &mr)))
        return rc;
    check_enum(r, map, "matching-rationale", rationales, 0);
    e->uuid = tr_strdup(uuid);
    e->token = tr_strdup(token);
    e->rationale = tr_strdup(mr ? mr : rationale);
    e->where = tr_strdup(tr_jptr_str(&r->ptr));
    e->body = dump_compact(map);
    if (!e->uuid || !e->token || !e->rationale || !e->where || !e->body)
        return tr_error_oom();
    size_t mark = tr_jptr_push_key(&r->ptr, "relationship");
    if (ns && strcmp(ns, TR_OSCAL_NS) != 0) {
        e->rel = TRUSTREG_MAP_RELATED;
        if (!(strcmp(ns, TR_MAP_NS) == 0 && strcmp(token, "related") == 0))
            tr_map_warn_ptr(&r->m->warns, tr_jptr_str(&r->ptr),
                            "relationship \"%s\" of namespace %s is not understood; stored as "
                            "related (no conclusion drawn from it)",
                            token, ns);
    } else if (trustreg_map_rel_parse(token, &e->rel) || e->rel == TRUSTREG_MAP_RELATED) {
        rc = tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                          "unknown relationship \"%s\": expected equivalent-to, equal-to, "
                          "subset-of, superset-of, intersects-with or no-relationship",
                          token);
    }
    tr_jptr_pop(&r->ptr, mark);
    if (rc)
        return rc;
    if ((rc = read_items(r, map, "sources", e, 0)) || (rc = read_items(r, map, "targets", e, 1)))
        return rc;
    read_strength(r, map, e);
    return TRUSTREG_OK;
}

static int read_mapping(rd *r, json_t *mapping, const char *rationale)
{
    if (!json_is_object(mapping))
        return tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                            "expected an object, found %s", tr_json_type_name(mapping));
    tr_map_mapping *g = tr_map_model_add_mapping(r->m);
    if (!g)
        return TRUSTREG_EINTERNAL;
    const char *uuid, *mr;
    json_t *maps;
    int rc;
    if ((rc = tr_json_get_string(mapping, "uuid", 1, r->source, &r->ptr, &uuid)) ||
        (rc = tr_json_get_string(mapping, "matching-rationale", 0, r->source, &r->ptr, &mr)) ||
        (rc = read_end(r, mapping, "source-resource", &g->src)) ||
        (rc = read_end(r, mapping, "target-resource", &g->dst)) ||
        (rc = tr_json_get_array(mapping, "maps", 1, r->source, &r->ptr, &maps)))
        return rc;
    check_enum(r, mapping, "method", methods, 0);
    check_enum(r, mapping, "matching-rationale", rationales, 0);
    check_enum(r, mapping, "status", statuses, 0);
    if (mr)
        rationale = mr;
    size_t mark = tr_jptr_push_key(&r->ptr, "maps");
    if (json_array_size(maps) == 0)
        rc = tr_error_ptr(TRUSTREG_EINPUT, r->source, tr_jptr_str(&r->ptr),
                          "expected at least one map");
    size_t i;
    json_t *map;
    json_array_foreach(maps, i, map) {
        if (rc)
            break;
        size_t m2 = tr_jptr_push_index(&r->ptr, i);
        rc = read_map(r, map, g, rationale);
        tr_jptr_pop(&r->ptr, m2);
    }
    tr_jptr_pop(&r->ptr, mark);
    if (rc)
        return rc;
    /* the mapping without its maps, "maps" kept in place for export */
    json_t *copy = json_copy(mapping);
    if (!copy || json_object_set_new(copy, "maps", json_null())) {
        json_decref(copy);
        return tr_error_oom();
    }
    g->body = dump_compact(copy);
    json_decref(copy);
    return g->body ? TRUSTREG_OK : TRUSTREG_EINTERNAL;
}

int tr_map_read_oscal(const void *bytes, size_t len, const char *source, const char *base_dir,
                      tr_map_model *out)
{
    memset(out, 0, sizeof *out);
    out->format = TRUSTREG_MAP_FORMAT_OSCAL;
    trustreg_oscal_doc *doc = NULL;
    int rc = trustreg_oscal_doc_parse(&doc, bytes, len, source);
    if (rc)
        return rc;
    out->warns.source = source;
    rd r = {source, base_dir, out, {{0}, 0, 0}};
    tr_jptr_init(&r.ptr);
    if (doc->model != TRUSTREG_MODEL_MAPPING_COLLECTION) {
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, "",
                          "expected an OSCAL mapping-collection, found a %s (import it with "
                          "'trustreg import')",
                          trustreg_oscal_model_name(doc->model));
        goto done;
    }
    memcpy(out->sha256, doc->sha256, sizeof out->sha256);
    out->uuid = tr_strdup(doc->uuid);
    out->title = tr_strdup(doc->title);
    out->version = tr_strdup(doc->version);
    out->oscal_version = tr_strdup(doc->oscal_version);
    if (!out->uuid || !out->title || !out->version || !out->oscal_version) {
        rc = tr_error_oom();
        goto done;
    }
    tr_jptr_push_key(&r.ptr, "mapping-collection");
    json_t *body = doc->body, *prov, *mappings;
    const char *rationale = "";
    if ((rc = tr_json_get_object(body, "provenance", 0, source, &r.ptr, &prov)))
        goto done;
    if (!prov) {
        size_t m1 = tr_jptr_push_key(&r.ptr, "provenance");
        tr_map_warn_ptr(&out->warns, tr_jptr_str(&r.ptr),
                        "required member \"provenance\" is missing (OSCAL schema)");
        tr_jptr_pop(&r.ptr, m1);
    } else {
        size_t m1 = tr_jptr_push_key(&r.ptr, "provenance");
        check_enum(&r, prov, "method", methods, 1);
        check_enum(&r, prov, "matching-rationale", rationales, 1);
        check_enum(&r, prov, "status", statuses, 1);
        if (!json_object_get(prov, "mapping-description"))
            tr_map_warn_ptr(&out->warns, tr_jptr_str(&r.ptr),
                            "required member \"mapping-description\" is missing (OSCAL schema)");
        /* the provenance's rationale describes the whole collection; a map's rationale is
         * only what the map (or its mapping) states, so exports do not multiply it */
        tr_jptr_pop(&r.ptr, m1);
    }
    mappings = json_object_get(body, "mappings");
    size_t m1 = tr_jptr_push_key(&r.ptr, "mappings");
    if (!mappings) {
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&r.ptr),
                          "required member \"mappings\" is missing");
    } else if (json_is_object(mappings)) { /* the schema allows one mapping without an array */
        rc = read_mapping(&r, mappings, rationale);
    } else if (!json_is_array(mappings) || json_array_size(mappings) == 0) {
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&r.ptr),
                          "expected a non-empty array of mappings, found %s",
                          json_is_array(mappings) ? "an empty array" : tr_json_type_name(mappings));
    } else {
        size_t i;
        json_t *g;
        json_array_foreach(mappings, i, g) {
            size_t m2 = tr_jptr_push_index(&r.ptr, i);
            rc = read_mapping(&r, g, rationale);
            tr_jptr_pop(&r.ptr, m2);
            if (rc)
                break;
        }
    }
    tr_jptr_pop(&r.ptr, m1);
    if (rc)
        goto done;
    json_t *head = json_copy(doc->root);
    json_t *hb = head ? json_object_get(head, "mapping-collection") : NULL;
    json_t *hcopy = hb ? json_copy(hb) : NULL;
    if (!hcopy || json_object_set_new(hcopy, "mappings", json_null()) ||
        json_object_set_new(head, "mapping-collection", hcopy)) {
        json_decref(head);
        rc = tr_error_oom();
        goto done;
    }
    out->head = dump_compact(head);
    json_decref(head);
    if (!out->head)
        rc = TRUSTREG_EINTERNAL;
    else if (out->warns.oom)
        rc = tr_error_oom();
done:
    trustreg_oscal_doc_free(doc);
    return rc;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct wr {
    json_t *root;     /* the document */
    json_t *coll;     /* root["mapping-collection"] */
    json_t *mappings; /* the array being filled */
    json_t *mapping;  /* current mapping object */
    json_t *maps;     /* its maps array */
    json_t *map;      /* current synthesised map (NULL when the stored body is used) */
    char set_uuid[64];
    long n_mapping;
} wr;

static int w_set(void *ctx, const tr_map_set_row *row)
{
    wr *w = ctx;
    snprintf(w->set_uuid, sizeof w->set_uuid, "%s", row->uuid);
    if (row->head) {
        json_error_t err;
        w->root = json_loads(row->head, 0, &err);
        w->coll = json_object_get(w->root, "mapping-collection");
        if (!w->coll)
            return tr_error(TRUSTREG_ESTORE, "stored mapping set %s is damaged", row->uuid);
    } else {
        w->root = json_object();
        w->coll = json_object();
        json_object_set_new(w->root, "mapping-collection", w->coll);
        json_object_set_new(w->coll, "uuid", json_string(row->uuid));
        json_t *md = json_pack("{s:s, s:s, s:s, s:s}", "title", row->title, "last-modified",
                               row->imported_at, "version", *row->version ? row->version : "1.0",
                               "oscal-version", "1.2.1");
        json_object_set_new(w->coll, "metadata", md);
        char desc[1200];
        snprintf(desc, sizeof desc, "Imported by trustreg from %s (%s).", row->source,
                 row->format);
        json_object_set_new(w->coll, "provenance",
                            json_pack("{s:s, s:s, s:s, s:s}", "method", "human",
                                      "matching-rationale", "semantic", "status", "draft",
                                      "mapping-description", desc));
    }
    w->mappings = json_array();
    json_object_set_new(w->coll, "mappings", w->mappings);
    return w->root && w->mappings ? TRUSTREG_OK : tr_error_oom();
}

/* A valid relative-reference href for a framework name (spaces and the like escaped). */
static json_t *href_for(const char *name)
{
    tr_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            tr_buf_append(&b, (const char *)p, 1);
        else
            tr_buf_printf(&b, "%%%02X", *p);
    }
    json_t *v = json_string(b.data ? b.data : "");
    tr_buf_free(&b);
    return v;
}

static int w_mapping(void *ctx, int64_t id, const char *src_fw, const char *dst_fw,
                     const char *body)
{
    (void)id;
    wr *w = ctx;
    w->n_mapping++;
    if (body) {
        json_error_t err;
        w->mapping = json_loads(body, 0, &err);
    } else {
        char seed[128];
        char uuid[37];
        snprintf(seed, sizeof seed, "%s/mapping/%ld", w->set_uuid, w->n_mapping);
        tr_map_uuid(seed, uuid);
        w->mapping = json_pack("{s:s, s:{s:s, s:o}, s:{s:s, s:o}}", "uuid", uuid,
                               "source-resource", "type", "catalog", "href", href_for(src_fw),
                               "target-resource", "type", "catalog", "href", href_for(dst_fw));
    }
    w->maps = json_array();
    if (!w->mapping || !w->maps || json_object_set_new(w->mapping, "maps", w->maps) ||
        json_array_append_new(w->mappings, w->mapping))
        return tr_error(TRUSTREG_EINTERNAL, "building the mapping-collection failed");
    return TRUSTREG_OK;
}

static int w_map(void *ctx, int64_t mapping_id, const char *uuid, const char *relationship,
                 const char *token, int strength, const char *rationale, const char *body)
{
    (void)mapping_id;
    (void)relationship;
    wr *w = ctx;
    json_t *m;
    w->map = NULL;
    if (body) {
        json_error_t err;
        m = json_loads(body, 0, &err);
    } else {
        m = json_pack("{s:s}", "uuid", uuid);
        if (m && strcmp(token, "related") == 0)
            json_object_set_new(m, "ns", json_string(TR_MAP_NS));
        static const char *const rats[] = {"syntactic", "semantic", "functional", NULL};
        if (m && enum_ok(rationale, rats))
            json_object_set_new(m, "matching-rationale", json_string(rationale));
        if (m)
            json_object_set_new(m, "relationship", json_string(token));
        if (m) {
            json_object_set_new(m, "sources", json_array());
            json_object_set_new(m, "targets", json_array());
        }
        if (m && strength >= 0) {
            char v[16];
            snprintf(v, sizeof v, "%d", strength);
            json_object_set_new(m, "props", json_pack("[{s:s, s:s, s:s}]", "name", "strength",
                                                      "ns", TR_MAP_NS, "value", v));
        }
        if (m && *rationale && !enum_ok(rationale, rats))
            json_object_set_new(m, "remarks", json_string(rationale));
        w->map = m;
    }
    if (!m || json_array_append_new(w->maps, m))
        return tr_error(TRUSTREG_EINTERNAL, "building the mapping-collection failed");
    return TRUSTREG_OK;
}

static int w_item(void *ctx, int target, const char *control)
{
    wr *w = ctx;
    if (!w->map)
        return TRUSTREG_OK; /* the stored body already lists it */
    json_t *arr = json_object_get(w->map, target ? "targets" : "sources");
    if (json_array_append_new(arr, json_pack("{s:s, s:s}", "type", "control", "id-ref", control)))
        return tr_error_oom();
    return TRUSTREG_OK;
}

int tr_map_write_oscal(struct tr_map_store *s, int64_t set_id, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    wr w = {0};
    tr_map_read_cb cb = {&w, w_set, w_mapping, w_map, w_item};
    int rc = tr_map_set_read(s, set_id, &cb);
    if (!rc && w.root) {
        *out = json_dumps(w.root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        if (!*out)
            rc = tr_error_oom();
        else
            *len = strlen(*out);
    }
    json_decref(w.root);
    return rc;
}
