/*
 * oscal/resolve.c - profile resolution: the driver (import, merge, modify, final operations, in
 * the order the specification recommends) and the acquisition of imported documents
 * ("Import href Requirements", "Internal References", "Resolving Imports of Profiles").
 *
 * Acquisition never touches the network. An href is looked up in the caller's map first (exact
 * text); "#uuid" names a back-matter resource of the importing profile whose rlinks are tried
 * JSON first then in order, then its base64 content; a relative href is resolved against the
 * importing file's folder, and an ".xml" or ".yaml" href is read from the ".json" sibling; an
 * absolute URL must be mapped. Imported profiles are resolved recursively with the chain of
 * profiles being resolved kept by real path, so a cycle is found before it recurses, and every
 * error names the chain. Each file is read once per resolution (a cache by real path).
 */
#include "oscal/resolve.h"
#include "oscal/doc.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void tr_resolve_warn(tr_resolver *r, const char *fmt, ...)
{
    if (!r->opts || !r->opts->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->opts->warn(r->opts->warn_ctx, msg);
}

int tr_resolve_note_version(tr_resolver *r, const char *source, const char *version)
{
    int v[3] = {0, 0, 0};
    if (!version || sscanf(version, "%d.%d.%d", &v[0], &v[1], &v[2]) < 1)
        return TRUSTREG_OK; /* the document reader already required a string */
    int tool = 0;
    sscanf(TRUSTREG_RESOLVE_OSCAL_VERSION, "%d", &tool);
    if (v[0] != tool)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: oscal-version %s has major version %d; this resolver implements "
                        "OSCAL %s and refuses a different major version (specification: "
                        "Metadata Resolution)",
                        source, version, v[0], TRUSTREG_RESOLVE_OSCAL_VERSION);
    if (!r->ver_seen || v[1] > r->ver[1] || (v[1] == r->ver[1] && v[2] > r->ver[2]))
        memcpy(r->ver, v, sizeof v);
    r->ver_seen = 1;
    return TRUSTREG_OK;
}

/* "a.json -> b.json" for the profiles being resolved, plus next when not NULL. */
static void chain_str(const tr_resolver *r, const char *next, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i <= r->depth && i <= TRUSTREG_RESOLVE_MAX_DEPTH; i++) {
        if (!r->chain[i])
            continue;
        int n = snprintf(out + len, cap - len, "%s%s", len ? " -> " : "", r->chain[i]);
        if (n < 0 || (size_t)n >= cap - len)
            return;
        len += (size_t)n;
    }
    if (next)
        snprintf(out + len, cap - len, "%s%s", len ? " -> " : "", next);
}

/* ---- where an href points ---- */

static int is_absolute_url(const char *href)
{
    const char *p = href;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static const char *mapped(const tr_resolver *r, const char *href)
{
    for (size_t i = 0; r->opts && i < r->opts->n_maps; i++)
        if (r->opts->maps[i].href && strcmp(r->opts->maps[i].href, href) == 0)
            return r->opts->maps[i].file;
    return NULL;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Join base_dir and a relative reference (query and fragment dropped, "%20"-style escapes kept
 * as written). */
static char *join_path(const char *base_dir, const char *href)
{
    size_t n = strcspn(href, "?#");
    tr_buf b = {0};
    if (href[0] != '/' && base_dir && *base_dir && strcmp(base_dir, ".") != 0) {
        tr_buf_puts(&b, base_dir);
        if (b.len && b.data[b.len - 1] != '/')
            tr_buf_puts(&b, "/");
    }
    tr_buf_append(&b, href, n);
    if (b.failed) {
        tr_buf_free(&b);
        return NULL;
    }
    return tr_buf_steal(&b);
}

/* The ".json" sibling of an ".xml"/".yaml"/".yml" path (a new string), or NULL. */
static char *json_sibling(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    if (strcmp(dot, ".xml") != 0 && strcmp(dot, ".yaml") != 0 && strcmp(dot, ".yml") != 0)
        return NULL;
    size_t stem = (size_t)(dot - path);
    char *s = malloc(stem + 6);
    if (!s)
        return NULL;
    memcpy(s, path, stem);
    memcpy(s + stem, ".json", 6);
    return s;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return tr_strdup(".");
    if (slash == path)
        return tr_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/*
 * The local file an href (not "#uuid") names, or NULL with *why set: mapped, file:// URL,
 * relative path or its .json sibling. *path is malloc'ed.
 */
static int locate(const tr_resolver *r, const char *href, const char *base_dir, char **path,
                  char *why, size_t why_cap)
{
    *path = NULL;
    const char *m = mapped(r, href);
    if (m) {
        if (!file_exists(m)) {
            snprintf(why, why_cap, "mapped to %s, which does not exist", m);
            return TRUSTREG_ENOTFOUND;
        }
        *path = tr_strdup(m);
        return *path ? TRUSTREG_OK : tr_error_oom();
    }
    const char *local = href;
    if (strncmp(href, "file://", 7) == 0) {
        local = href + 7; /* file:///abs/path, or file://localhost/abs/path */
        if (strncmp(local, "localhost/", 10) == 0)
            local += 9;
        if (*local != '/') {
            snprintf(why, why_cap, "not a local file URL");
            return TRUSTREG_ENOTFOUND;
        }
    } else if (is_absolute_url(href)) {
        snprintf(why, why_cap,
                 "an absolute URL, never fetched (no network access); map it to a local file "
                 "with --map '%.300s=FILE'",
                 href);
        return TRUSTREG_ENOTFOUND;
    }
    char *p = join_path(base_dir, local);
    if (!p)
        return tr_error_oom();
    char *sib = json_sibling(p);
    if (sib && file_exists(sib)) {
        free(p);
        *path = sib;
        return TRUSTREG_OK;
    }
    if (sib) {
        snprintf(why, why_cap, "only JSON is read and %.400s does not exist", sib);
        free(sib);
        free(p);
        return TRUSTREG_ENOTFOUND;
    }
    if (!file_exists(p)) {
        snprintf(why, why_cap, "%.400s does not exist", p);
        free(p);
        return TRUSTREG_ENOTFOUND;
    }
    *path = p;
    return TRUSTREG_OK;
}

/* ---- loading and resolving one imported document ---- */

/* An imported catalog as a flat tree (util/jdom.h): the selection copies only what it includes
 * into jansson, so the bulk of a large catalog is never turned into a mutable tree. */
struct tr_imported {
    char *key; /* real path, or "source#uuid" for base64 content */
    trustreg_oscal_doc *doc;
};

static trustreg_oscal_doc *cached(const tr_resolver *r, const char *key)
{
    for (size_t i = 0; i < r->n_cache; i++)
        if (strcmp(r->cache[i].key, key) == 0)
            return r->cache[i].doc;
    return NULL;
}

/* The cache takes doc (freed on failure). */
static int cache_add(tr_resolver *r, const char *key, trustreg_oscal_doc *doc)
{
    if (r->n_cache == r->cap_cache) {
        size_t cap = r->cap_cache ? 2 * r->cap_cache : 4;
        struct tr_imported *nc = realloc(r->cache, cap * sizeof *nc);
        if (!nc) {
            trustreg_oscal_doc_free(doc);
            return tr_error_oom();
        }
        r->cache = nc;
        r->cap_cache = cap;
    }
    char *k = tr_strdup(key);
    if (!k) {
        trustreg_oscal_doc_free(doc);
        return tr_error_oom();
    }
    r->cache[r->n_cache++] = (struct tr_imported){k, doc};
    return TRUSTREG_OK;
}

static void cache_free(tr_resolver *r)
{
    for (size_t i = 0; i < r->n_cache; i++) {
        free(r->cache[i].key);
        trustreg_oscal_doc_free(r->cache[i].doc);
    }
    free(r->cache);
}

/* A document holding the catalog a profile resolved into, as a flat tree. */
static int doc_from_catalog(const json_t *catalog, const char *source, trustreg_oscal_doc **out)
{
    *out = NULL;
    trustreg_oscal_doc *doc = calloc(1, sizeof *doc);
    char *text = json_dumps(catalog, JSON_COMPACT);
    if (!doc || !text || !(doc->dom = calloc(1, sizeof *doc->dom)) ||
        !(doc->source = tr_strdup(source))) {
        free(text);
        trustreg_oscal_doc_free(doc);
        return tr_error_oom();
    }
    doc->bytes = (unsigned char *)text;
    doc->len = strlen(text);
    doc->model = TRUSTREG_MODEL_CATALOG;
    int rc = tr_jdom_parse(doc->dom, doc->bytes, doc->len, 4 * TRUSTREG_OSCAL_MAX_DEPTH, source);
    if (rc) {
        trustreg_oscal_doc_free(doc);
        return rc;
    }
    *out = doc;
    return TRUSTREG_OK;
}

static int resolve_doc(tr_resolver *r, trustreg_oscal_doc *doc, const char *key,
                       const char *base_dir, trustreg_oscal_doc **cat_out);

/* Load a local file (once per resolution) and resolve it when it is a profile; *cat_out is
 * owned by the cache. */
static int load_path(tr_resolver *r, const char *path, trustreg_oscal_doc **cat_out)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return tr_error(TRUSTREG_ENOTFOUND, "%s: cannot open", path);
    if ((*cat_out = cached(r, real)))
        return TRUSTREG_OK;
    for (int i = 0; i <= r->depth; i++) {
        if (r->real[i] && strcmp(r->real[i], real) == 0) {
            char chain[2048];
            chain_str(r, path, chain, sizeof chain);
            return tr_error(TRUSTREG_EINPUT,
                            "import cycle: %s (a profile may not import itself, directly or "
                            "through other profiles)",
                            chain);
        }
    }
    trustreg_oscal_doc *doc = NULL;
    int rc = tr_oscal_doc_load(&doc, path, 0); /* no jansson tree for catalogs */
    if (rc)
        return rc;
    char *dir = dir_of(path);
    rc = dir ? resolve_doc(r, doc, real, dir, cat_out) : tr_error_oom();
    free(dir);
    return rc;
}

/* A catalog is used as is; a profile is resolved first ("Resolving Imports of Profiles").
 * Takes doc; *cat_out (doc itself or the resolved catalog) is owned by the cache under key. */
static int resolve_doc(tr_resolver *r, trustreg_oscal_doc *doc, const char *key,
                       const char *base_dir, trustreg_oscal_doc **cat_out)
{
    *cat_out = NULL;
    if (doc->model == TRUSTREG_MODEL_CATALOG) {
        int rc = tr_resolve_note_version(r, doc->source, doc->oscal_version);
        if (rc) {
            trustreg_oscal_doc_free(doc);
            return rc;
        }
        if ((rc = cache_add(r, key, doc))) /* frees doc on failure */
            return rc;
        *cat_out = doc;
        return TRUSTREG_OK;
    }
    int rc = TRUSTREG_OK;
    if (doc->model != TRUSTREG_MODEL_PROFILE)
        rc = tr_error(TRUSTREG_EINPUT, "%s: imported document is a %s; an import must be a "
                                       "catalog or a profile",
                      doc->source, trustreg_oscal_model_name(doc->model));
    if (!rc && r->depth >= TRUSTREG_RESOLVE_MAX_DEPTH) {
        char chain[2048];
        chain_str(r, doc->source, chain, sizeof chain);
        rc = tr_error(TRUSTREG_EINPUT, "profiles import profiles more than %d deep: %s",
                      TRUSTREG_RESOLVE_MAX_DEPTH, chain);
    }
    if (!rc && !doc->root) {
        doc->root = tr_jdom_to_json(doc->dom, 0);
        doc->body = json_object_get(doc->root, "profile");
        if (!doc->root)
            rc = tr_error_oom();
    }
    json_t *catalog = NULL;
    if (!rc) {
        r->depth++;
        r->chain[r->depth] = doc->source;
        r->real[r->depth] = tr_strdup(key);
        rc = r->real[r->depth]
                 ? tr_resolve_profile_body(r, doc->body, doc->source, base_dir, &catalog)
                 : tr_error_oom();
        free(r->real[r->depth]);
        r->real[r->depth] = NULL;
        r->chain[r->depth] = NULL;
        r->depth--;
    }
    trustreg_oscal_doc *cat = NULL;
    if (!rc)
        rc = doc_from_catalog(catalog, doc->source, &cat);
    json_decref(catalog);
    trustreg_oscal_doc_free(doc);
    if (!rc && !(rc = cache_add(r, key, cat)))
        *cat_out = cat;
    return rc;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* RFC 4648 section 4 (white space ignored, padding optional). NULL when not base64. */
static unsigned char *b64_decode(const char *s, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *out = malloc(n / 4 * 3 + 4);
    if (!out)
        return NULL;
    unsigned acc = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '=' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
            continue;
        int v = b64_value((unsigned char)*p);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *len = o;
    return out;
}

static int json_rlink(const json_t *rlink)
{
    const char *mt = json_string_value(json_object_get(rlink, "media-type"));
    const char *href = json_string_value(json_object_get(rlink, "href"));
    if (mt && strstr(mt, "json"))
        return 1;
    size_t n = href ? strcspn(href, "?#") : 0;
    return n >= 5 && strncmp(href + n - 5, ".json", 5) == 0;
}

/* "#uuid": the resource of the profile's back-matter ("Internal References"). */
static int acquire_internal(tr_resolver *r, const json_t *profile, const char *href,
                            const char *source, const char *base_dir, const char *ptr,
                            trustreg_oscal_doc **root_out)
{
    const json_t *resource = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(profile, "back-matter"), "resources"), i,
                       v) {
        const char *u = json_string_value(json_object_get(v, "uuid"));
        if (u && strcmp(u, href + 1) == 0) {
            resource = v;
            break;
        }
    }
    char chain[2048];
    if (!resource) {
        chain_str(r, NULL, chain, sizeof chain);
        return tr_error_ptr(TRUSTREG_ENOTFOUND, source, ptr,
                            "import \"%s\": no back-matter resource with uuid %s (import chain: "
                            "%s)",
                            href, href + 1, chain);
    }
    tr_buf tried = {0};
    json_t *rlinks = json_object_get(resource, "rlinks");
    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(rlinks, i, v) {
            const char *h = json_string_value(json_object_get(v, "href"));
            if (!h || json_rlink(v) != (pass == 0))
                continue;
            char why[600];
            char *path = NULL;
            int rc = locate(r, h, base_dir, &path, why, sizeof why);
            if (rc == TRUSTREG_OK) {
                tr_buf_free(&tried);
                rc = load_path(r, path, root_out);
                free(path);
                return rc;
            }
            if (rc != TRUSTREG_ENOTFOUND) {
                tr_buf_free(&tried);
                return rc;
            }
            tr_buf_printf(&tried, "\n  rlink %s: %s", h, why);
        }
    }
    json_t *b64 = json_object_get(resource, "base64");
    const char *val = json_string_value(json_object_get(b64, "value"));
    if (val) {
        size_t len = 0;
        unsigned char *bytes = b64_decode(val, &len);
        if (bytes) {
            tr_buf_free(&tried);
            char name[1200];
            snprintf(name, sizeof name, "%s%s (base64)", source, href);
            if ((*root_out = cached(r, name))) {
                free(bytes);
                return TRUSTREG_OK;
            }
            trustreg_oscal_doc *doc = NULL;
            int rc = trustreg_oscal_doc_parse(&doc, bytes, len, name);
            free(bytes);
            return rc ? rc : resolve_doc(r, doc, name, base_dir, root_out);
        }
        tr_buf_printf(&tried, "\n  base64: not valid base64");
    }
    chain_str(r, NULL, chain, sizeof chain);
    int rc = tr_error_ptr(TRUSTREG_ENOTFOUND, source, ptr,
                          "import \"%s\" (import chain: %s): no rlink or base64 of the resource "
                          "could be read:%s",
                          href, chain, tried.data ? tried.data : " it has none");
    tr_buf_free(&tried);
    return rc;
}

/* The catalog an import names, as a flat tree owned by the resolver's cache. */
static int acquire(tr_resolver *r, const json_t *profile, const json_t *import,
                   const char *source, const char *base_dir, const char *ptr,
                   trustreg_oscal_doc **root_out)
{
    *root_out = NULL;
    const char *href = json_string_value(json_object_get(import, "href"));
    if (!href || !*href) {
        char p[1100];
        snprintf(p, sizeof p, "%s/href", ptr);
        return tr_error_ptr(TRUSTREG_EINPUT, source, p, "expected an href (string)");
    }
    const char *m = mapped(r, href);
    if (href[0] == '#' && !m)
        return acquire_internal(r, profile, href, source, base_dir, ptr, root_out);
    char why[600], *path = NULL;
    int rc = locate(r, href, base_dir, &path, why, sizeof why);
    if (rc == TRUSTREG_ENOTFOUND) {
        char chain[2048], p[1100];
        chain_str(r, NULL, chain, sizeof chain);
        snprintf(p, sizeof p, "%s/href", ptr);
        return tr_error_ptr(TRUSTREG_ENOTFOUND, source, p,
                            "import \"%s\" (import chain: %s): %s", href, chain, why);
    }
    if (rc)
        return rc;
    rc = load_path(r, path, root_out);
    free(path);
    return rc;
}

/* ---- the driver ---- */

static int warn_clashes(tr_resolver *r, json_t *seen, const json_t *owner, const char *source)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(owner, "controls"), i, c) {
        const char *id = json_string_value(json_object_get(c, "id"));
        if (id && json_object_get(seen, id))
            tr_resolve_warn(r, "%s: control \"%s\" appears more than once in the result (merge "
                               "combine keep)",
                            source, id);
        else if (id && json_object_set(seen, id, json_true()))
            return tr_error_oom();
        int rc = warn_clashes(r, seen, c, source);
        if (rc)
            return rc;
    }
    json_array_foreach(json_object_get(owner, "groups"), i, c) {
        int rc = warn_clashes(r, seen, c, source);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

int tr_resolve_profile_body(tr_resolver *r, const json_t *profile, const char *source,
                            const char *base_dir, json_t **catalog_out)
{
    *catalog_out = NULL;
    int rc = tr_resolve_note_version(
        r, source,
        json_string_value(json_object_get(json_object_get(profile, "metadata"), "oscal-version")));
    if (rc)
        return rc;
    json_t *imports = json_object_get(profile, "imports");
    if (!json_is_array(imports) || json_array_size(imports) == 0)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/imports",
                            "expected a non-empty array of imports, found %s (if nothing is "
                            "imported, no catalog is produced)",
                            imports ? tr_json_type_name(imports) : "nothing");
    json_t *selections = json_array();
    if (!selections)
        return tr_error_oom();
    size_t i;
    json_t *imp;
    json_array_foreach(imports, i, imp) {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/profile/imports/%zu", i);
        if (!json_is_object(imp)) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected an object, found %s",
                              tr_json_type_name(imp));
            break;
        }
        trustreg_oscal_doc *cat = NULL;
        json_t *sel = NULL;
        rc = acquire(r, profile, imp, source, base_dir, ptr, &cat);
        if (!rc)
            rc = tr_resolve_select(cat->dom, tr_oscal_doc_body(cat), imp, source, ptr, &sel);
        if (!rc && json_array_append_new(selections, sel))
            rc = tr_error_oom();
        if (rc)
            break;
    }
    json_t *body = rc ? NULL : json_object();
    if (!rc && !body)
        rc = tr_error_oom();
    char uuid[37];
    const char *u = r->opts && r->opts->uuid && r->depth == 0 ? r->opts->uuid : NULL;
    if (!u) {
        tr_resolve_uuid_v4(uuid);
        u = uuid;
    }
    if (!rc && json_object_set_new(body, "uuid", json_string(u)))
        rc = tr_error_oom();
    if (!rc)
        rc = tr_resolve_merge(r, selections, json_object_get(profile, "merge"), source, body);
    if (!rc) {
        const char *method = json_string_value(
            json_object_get(json_object_get(json_object_get(profile, "merge"), "combine"),
                            "method"));
        if (!method || strcmp(method, "keep") == 0) {
            json_t *seen = json_object();
            rc = seen ? warn_clashes(r, seen, body, source) : tr_error_oom();
            json_decref(seen);
        }
    }
    if (!rc)
        rc = tr_resolve_modify(r, body, json_object_get(profile, "modify"), source);
    if (!rc)
        rc = tr_resolve_metadata(r, body, profile, selections, source);
    if (!rc)
        rc = tr_resolve_backmatter(body, selections, profile);
    if (!rc)
        rc = tr_json_reorder(body, tr_order_catalog);
    json_t *root = NULL;
    if (!rc) {
        root = json_object();
        if (!root || json_object_set(root, "catalog", body))
            rc = tr_error_oom();
    }
    json_decref(body);
    json_decref(selections);
    if (rc) {
        json_decref(root);
        return rc;
    }
    *catalog_out = root;
    return TRUSTREG_OK;
}

/* ---- public API ---- */

static int run(trustreg_oscal_doc *doc, const char *base_dir, const trustreg_resolve_opts *opts,
               json_t **catalog_out)
{
    if (doc->model != TRUSTREG_MODEL_PROFILE)
        return tr_error(TRUSTREG_EINPUT, "%s: a %s, not a profile; only profiles are resolved",
                        doc->source, trustreg_oscal_model_name(doc->model));
    tr_resolver r = {0};
    r.opts = opts;
    char real[PATH_MAX];
    r.chain[0] = doc->source;
    if (realpath(doc->source, real))
        r.real[0] = tr_strdup(real); /* NULL (no cycle check at the top) only without memory */
    int rc = tr_resolve_profile_body(&r, doc->body, doc->source, base_dir, catalog_out);
    free(r.real[0]);
    cache_free(&r);
    return rc;
}

int trustreg_profile_resolve(const char *profile_path, const trustreg_resolve_opts *opts,
                             json_t **catalog_out)
{
    if (!catalog_out)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_profile_resolve: catalog_out is NULL");
    *catalog_out = NULL;
    if (!profile_path)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_profile_resolve: no profile path");
    trustreg_oscal_doc *doc = NULL;
    int rc = tr_oscal_doc_load(&doc, profile_path, 0);
    if (rc)
        return rc;
    /* the jansson tree from the flat one: cheaper than parsing the text a second time */
    doc->root = tr_jdom_to_json(doc->dom, 0);
    doc->body = json_object_get(doc->root, trustreg_oscal_model_name(doc->model));
    if (!doc->root) {
        trustreg_oscal_doc_free(doc);
        return tr_error_oom();
    }
    char *dir = strcmp(profile_path, "-") == 0 ? tr_strdup(".") : dir_of(profile_path);
    rc = dir ? run(doc, dir, opts, catalog_out) : tr_error_oom();
    free(dir);
    trustreg_oscal_doc_free(doc);
    return rc;
}

int trustreg_profile_resolve_mem(const void *bytes, size_t len, const char *source,
                                 const char *base_dir, const trustreg_resolve_opts *opts,
                                 json_t **catalog_out)
{
    if (!catalog_out)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_profile_resolve_mem: catalog_out is NULL");
    *catalog_out = NULL;
    trustreg_oscal_doc *doc = NULL;
    int rc = trustreg_oscal_doc_parse(&doc, bytes, len, source);
    if (rc)
        return rc;
    rc = run(doc, base_dir ? base_dir : ".", opts, catalog_out);
    trustreg_oscal_doc_free(doc);
    return rc;
}

static void count(const json_t *owner, long *controls, long *groups)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(owner, "controls"), i, v) {
        (*controls)++;
        count(v, controls, groups);
    }
    json_array_foreach(json_object_get(owner, "groups"), i, v) {
        (*groups)++;
        count(v, controls, groups);
    }
}

void trustreg_resolved_counts(const json_t *catalog, long *controls, long *groups)
{
    long c = 0, g = 0;
    const json_t *body = json_object_get(catalog, "catalog");
    count(body ? body : catalog, &c, &g);
    if (controls)
        *controls = c;
    if (groups)
        *groups = g;
}

int trustreg_resolved_store(trustreg_db *db, const json_t *catalog, const char *source,
                            trustreg_import_result **result)
{
    *result = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = trustreg_resolved_dump(catalog, &text, &len);
    if (rc)
        return rc;
    trustreg_oscal_doc *doc = NULL;
    rc = trustreg_oscal_doc_parse(&doc, text, len, source ? source : "<resolved>");
    free(text);
    if (rc)
        return rc;
    rc = trustreg_oscal_import_docs(db, &doc, 1, result);
    trustreg_oscal_doc_free(doc);
    return rc;
}
