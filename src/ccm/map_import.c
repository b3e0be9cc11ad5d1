/*
 * ccm/map_import.c - storing mapping sets: from a file or buffer (OSCAL or CSV), or from rows a
 * caller builds (CCM mapping columns); plus listing and export.
 *
 * The readers give a tr_map_model; here each end of a mapping is resolved to a framework (a
 * catalog uuid named by the href or the caller binds it; else the name is kept and a warning
 * says so), control ids are checked against the stored catalog (case-insensitive, labels such as
 * "AC-2(1)" accepted; unknown ids are kept and reported), and the set is written in one
 * transaction with the control pairs the queries walk.
 */
#include "ccm/map_model.h"
#include "store/map_store.h"
#include "trustreg/oscal.h"
#include "store/store.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/mem.h"

#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fwinfo {
    int64_t id;
    char *name;
    char *catalog_uuid;
    char *catalog_title;
    int stored;
    tr_map_hash ids; /* lower-case id and label -> canonical id */
} fwinfo;

typedef struct imp {
    tr_map_store *s;
    tr_map_model *m;
    tr_map_hash fws;     /* framework id -> fwinfo */
    tr_map_hash unknown; /* "fw\x1fid" already reported */
} imp;

static void fwinfo_free(void *p)
{
    fwinfo *f = p;
    if (!f)
        return;
    free(f->name);
    free(f->catalog_uuid);
    free(f->catalog_title);
    tr_map_hash_free(&f->ids, free);
    free(f);
}

static int add_id(void *ctx, const char *id, const char *label, const char *title, int withdrawn)
{
    (void)title;
    (void)withdrawn;
    fwinfo *f = ctx;
    const char *keys[2] = {id, label};
    for (int i = 0; i < 2; i++) {
        if (!*keys[i])
            continue;
        char *k = tr_map_lower(keys[i]);
        if (!k)
            return tr_error_oom();
        void **slot = tr_map_hash_slot(&f->ids, k, 1);
        free(k);
        if (!slot)
            return TRUSTREG_EINTERNAL;
        if (!*slot && !(*slot = tr_strdup(id)))
            return tr_error_oom();
    }
    return TRUSTREG_OK;
}

static int fw_info(imp *x, const tr_map_fw *fw, const tr_map_end *end, fwinfo **out)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)fw->id);
    void **slot = tr_map_hash_slot(&x->fws, key, 1);
    if (!slot)
        return TRUSTREG_EINTERNAL;
    if (*slot) {
        *out = *slot;
        return TRUSTREG_OK;
    }
    fwinfo *f = calloc(1, sizeof *f);
    if (!f)
        return tr_error_oom();
    *slot = f;
    f->id = fw->id;
    f->name = tr_strdup(fw->name);
    f->catalog_uuid = tr_strdup(fw->catalog_uuid);
    if (!f->name || !f->catalog_uuid)
        return tr_error_oom();
    int rc;
    if (*f->catalog_uuid) {
        if ((rc = tr_map_catalog_title(x->s, f->catalog_uuid, &f->stored, &f->catalog_title)))
            return rc;
        if (f->stored && (rc = tr_map_catalog_controls(x->s, f->catalog_uuid, add_id, f)))
            return rc;
    }
    if (!f->stored && *f->catalog_uuid)
        tr_map_warn_ptr(&x->m->warns, end->where,
                        "framework \"%s\": catalog %s is not stored; control ids are kept as "
                        "given and not checked (import the catalog to check them)",
                        f->name, f->catalog_uuid);
    else if (!f->stored)
        tr_map_warn_ptr(&x->m->warns, end->where,
                        "framework \"%s\"%s%s%s is not bound to a stored catalog; control ids are "
                        "kept as given (name its catalog uuid with --source/--target)",
                        f->name, *end->href ? " (href \"" : "", end->href,
                        *end->href ? "\")" : "");
    *out = f;
    return TRUSTREG_OK;
}

static int is_stored_catalog(imp *x, const char *key, int *stored)
{
    *stored = 0;
    if (!tr_map_is_uuid(key, strlen(key)))
        return TRUSTREG_OK;
    return tr_map_catalog_title(x->s, key, stored, NULL);
}

/*
 * Resolve one end of a mapping to a framework row, creating or binding it as needed. The caller's
 * override (a catalog uuid or a name) wins over the file; a uuid override keeps the name the file
 * gives (from its href) so that paths read "NIST_SP-800-53_rev5", not a uuid.
 */
static int resolve_end(imp *x, const tr_map_end *end, const char *override, fwinfo **out)
{
    const char *name = end->name, *hint = end->catalog_uuid;
    int by_caller = override != NULL;
    if (override) {
        int is_uuid = tr_map_is_uuid(override, strlen(override));
        hint = is_uuid ? override : NULL;
        name = is_uuid && *end->href ? end->name : override;
    }
    tr_map_fw fw = {0};
    int rc = TRUSTREG_OK;
    if (hint)
        rc = tr_map_fw_find(x->s, hint, &fw);
    if (!rc && !fw.id) {
        rc = tr_map_fw_find(x->s, name, &fw);
        if (!rc && fw.id && hint && *fw.catalog_uuid && strcasecmp(fw.catalog_uuid, hint) != 0) {
            if (by_caller) { /* the name is taken by another catalog: use the uuid as name */
                tr_map_fw_clear(&fw);
                name = hint;
            } else {
                tr_map_warn_ptr(&x->m->warns, end->where,
                                "framework \"%s\" is bound to catalog %s, but this mapping names "
                                "catalog %s; the existing binding is kept",
                                fw.name, fw.catalog_uuid, hint);
            }
        }
    }
    if (rc)
        return rc;
    if (!fw.id) {
        int stored = 0;
        if (!hint && (rc = is_stored_catalog(x, name, &stored)))
            return rc;
        const char *uuid = hint ? hint : stored ? name : "";
        if ((rc = tr_map_fw_insert(x->s, name, uuid, end->href, &fw.id)))
            return rc;
        fw.name = tr_strdup(name);
        fw.catalog_uuid = tr_strdup(uuid);
        fw.href = tr_strdup(end->href);
        if (!fw.name || !fw.catalog_uuid || !fw.href) {
            tr_map_fw_clear(&fw);
            return tr_error_oom();
        }
    } else if (hint && !*fw.catalog_uuid) {
        if ((rc = tr_map_fw_bind(x->s, fw.id, hint))) {
            tr_map_fw_clear(&fw);
            return rc;
        }
        free(fw.catalog_uuid);
        fw.catalog_uuid = tr_strdup(hint);
    }
    rc = fw_info(x, &fw, end, out);
    tr_map_fw_clear(&fw);
    return rc;
}

/* The id the edges use: the catalog's own id when stored, else the id as given. */
static const char *canonical(imp *x, fwinfo *f, const tr_map_entry *e, const tr_map_item *it)
{
    if (!f->stored || it->statement)
        return it->id;
    char *k = tr_map_lower(it->id);
    if (!k)
        return NULL;
    void **slot = tr_map_hash_slot(&f->ids, k, 0);
    free(k);
    if (slot)
        return *slot;
    char rep[512];
    snprintf(rep, sizeof rep, "%lld\x1f%s", (long long)f->id, it->id);
    void **seen = tr_map_hash_slot(&x->unknown, rep, 1);
    if (seen && !*seen) {
        *seen = (void *)1;
        if (e->line)
            tr_map_warn_at(&x->m->warns, e->line, 0,
                           "control \"%s\" is not in catalog \"%s\" (framework %s); kept as given",
                           it->id, f->catalog_title, f->name);
        else
            tr_map_warn_ptr(&x->m->warns, e->where,
                            "control \"%s\" is not in catalog \"%s\" (framework %s); kept as given",
                            it->id, f->catalog_title, f->name);
    }
    return it->id;
}

static int store_map(imp *x, int64_t mapping_id, long ord, const tr_map_entry *e, fwinfo *src,
                     fwinfo *dst, long *edges)
{
    int64_t map_id;
    int rc = tr_map_map_insert(x->s, mapping_id, ord, e->uuid, trustreg_map_rel_name(e->rel),
                               e->token, e->strength, e->rationale, e->body, &map_id);
    for (size_t i = 0; !rc && i < e->n_sources; i++)
        rc = tr_map_item_insert(x->s, map_id, 0, (long)i, e->sources[i].id);
    for (size_t i = 0; !rc && i < e->n_targets; i++)
        rc = tr_map_item_insert(x->s, map_id, 1, (long)i, e->targets[i].id);
    if (rc)
        return rc;
    trustreg_map_relset rel = tr_map_pair_rel(e->rel, e->n_sources, e->n_targets);
    int group = e->n_sources > 1 || e->n_targets > 1;
    for (size_t i = 0; i < e->n_sources; i++) {
        const char *a = canonical(x, src, e, &e->sources[i]);
        if (!a)
            return tr_error_oom();
        for (size_t j = 0; j < e->n_targets; j++) {
            const char *b = canonical(x, dst, e, &e->targets[j]);
            if (!b)
                return tr_error_oom();
            if ((rc = tr_map_edge_insert(x->s, map_id, src->id, a, dst->id, b, rel, group)))
                return rc;
            (*edges)++;
        }
    }
    return TRUSTREG_OK;
}

static int result_new(const char *file, const tr_map_model *m, trustreg_map_import_result **out)
{
    trustreg_map_import_result *r = calloc(1, sizeof *r);
    if (!r)
        return tr_error_oom();
    r->file = tr_strdup(file);
    r->set_uuid = tr_strdup(m->uuid);
    r->title = tr_strdup(m->title);
    r->format = m->format;
    if (!r->file || !r->set_uuid || !r->title) {
        trustreg_map_import_result_free(r);
        return tr_error_oom();
    }
    *out = r;
    return TRUSTREG_OK;
}

/* Store a model in one transaction; on success *out describes it and owns the warnings. */
static int store_model(trustreg_db *db, tr_map_model *m, const char *file,
                       const trustreg_map_import_opts *opts, trustreg_map_import_result **out)
{
    *out = NULL;
    tr_map_store *s;
    int rc = tr_map_store_open(db, &s);
    if (rc)
        return rc;
    trustreg_map_import_result *r = NULL;
    if ((rc = result_new(file, m, &r)))
        goto done;
    int64_t existing;
    if ((rc = tr_map_set_find_sha(s, m->sha256, &existing)))
        goto done;
    if (existing) {
        r->unchanged = 1;
        r->set_id = existing;
        rc = tr_map_set_counts(s, existing, &r->mappings, &r->maps, &r->edges);
        goto done;
    }
    if ((rc = tr_store_begin(db)))
        goto done;
    imp x = {s, m, {0}, {0}};
    tr_map_set_row row = {m->uuid, trustreg_map_format_name(m->format), m->title, m->version,
                          m->oscal_version, file, m->sha256, m->head, NULL};
    rc = tr_map_set_insert(s, &row, &r->set_id);
    for (size_t i = 0; !rc && i < m->n; i++) {
        tr_map_mapping *g = &m->mappings[i];
        fwinfo *src, *dst;
        int64_t gid;
        if ((rc = resolve_end(&x, &g->src, opts ? opts->source_catalog : NULL, &src)) ||
            (rc = resolve_end(&x, &g->dst, opts ? opts->target_catalog : NULL, &dst)) ||
            (rc = tr_map_mapping_insert(s, r->set_id, (long)i, src->id, dst->id, g->body, &gid)))
            break;
        r->mappings++;
        for (size_t j = 0; !rc && j < g->n_maps; j++) {
            rc = store_map(&x, gid, (long)j, &g->maps[j], src, dst, &r->edges);
            r->maps++;
        }
    }
    if (!rc && m->warns.oom)
        rc = tr_error_oom();
    if (!rc)
        rc = tr_store_commit(db);
    if (rc)
        tr_store_rollback(db);
    tr_map_hash_free(&x.fws, fwinfo_free);
    tr_map_hash_free(&x.unknown, NULL);
done:
    tr_map_store_close(s);
    if (rc) {
        trustreg_map_import_result_free(r);
        return rc;
    }
    r->warnings = m->warns.v;
    r->n_warnings = m->warns.n;
    m->warns.v = NULL;
    m->warns.n = m->warns.cap = 0;
    *out = r;
    return TRUSTREG_OK;
}

static trustreg_map_format detect(const void *bytes, size_t len, const char *name,
                                  trustreg_map_format asked)
{
    if (asked != TRUSTREG_MAP_FORMAT_AUTO)
        return asked;
    size_t n = name ? strlen(name) : 0;
    if (n >= 4 && strcasecmp(name + n - 4, ".csv") == 0)
        return TRUSTREG_MAP_FORMAT_CSV;
    if (n >= 5 && strcasecmp(name + n - 5, ".json") == 0)
        return TRUSTREG_MAP_FORMAT_OSCAL;
    const unsigned char *p = bytes;
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < len && p[i] == '{' ? TRUSTREG_MAP_FORMAT_OSCAL : TRUSTREG_MAP_FORMAT_CSV;
}

static int import_bytes(trustreg_db *db, const void *bytes, size_t len, const char *source,
                        const char *base_dir, const trustreg_map_import_opts *opts,
                        trustreg_map_import_result **out)
{
    *out = NULL;
    tr_map_model m;
    trustreg_map_format f = detect(bytes, len, source, opts ? opts->format : 0);
    int rc;
    if (f == TRUSTREG_MAP_FORMAT_OSCAL)
        rc = tr_map_read_oscal(bytes, len, source, base_dir, &m);
    else if (f == TRUSTREG_MAP_FORMAT_CSV)
        rc = tr_map_read_csv(bytes, len, source, &m);
    else
        return tr_error(TRUSTREG_EUSAGE, "mapping files are OSCAL JSON or CSV");
    if (!rc && (!m.title || (opts && opts->title))) {
        const char *base = strrchr(source, '/');
        free(m.title);
        if (!(m.title = tr_strdup(opts && opts->title ? opts->title : base ? base + 1 : source)))
            rc = tr_error_oom();
    }
    if (!rc)
        rc = store_model(db, &m, source, opts, out);
    tr_map_model_free(&m);
    return rc;
}

int trustreg_map_import_buffer(trustreg_db *db, const void *bytes, size_t len, const char *source,
                               const trustreg_map_import_opts *opts,
                               trustreg_map_import_result **out)
{
    return import_bytes(db, bytes, len, source ? source : "<input>", NULL, opts, out);
}

int trustreg_map_import_file(trustreg_db *db, const char *path,
                             const trustreg_map_import_opts *opts,
                             trustreg_map_import_result **out)
{
    *out = NULL;
    unsigned char *bytes;
    size_t len;
    int rc = tr_file_read(path, TRUSTREG_OSCAL_MAX_BYTES, &bytes, &len);
    if (rc)
        return rc;
    int stdin_ = strcmp(path, "-") == 0;
    char *copy = tr_strdup(path);
    if (!copy) {
        free(bytes);
        return tr_error_oom();
    }
    rc = import_bytes(db, bytes, len, stdin_ ? "<stdin>" : path, stdin_ ? NULL : dirname(copy),
                      opts, out);
    free(copy);
    free(bytes);
    return rc;
}

int trustreg_map_import_rows(trustreg_db *db, const trustreg_map_row *rows, size_t n,
                             const char *title, const char *source,
                             trustreg_map_import_result **out)
{
    *out = NULL;
    if (!source)
        source = "<rows>";
    tr_map_model m = {0};
    m.format = TRUSTREG_MAP_FORMAT_ROWS;
    m.warns.source = source;
    tr_buf all = {0};
    tr_map_hash pairs = {0};
    int rc = TRUSTREG_OK;
    for (size_t i = 0; i < n; i++) {
        const trustreg_map_row *w = &rows[i];
        tr_buf_printf(&all, "%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%d\x1f%s\x1e",
                      w->source_catalog ? w->source_catalog : "",
                      w->source_control ? w->source_control : "", (int)w->relationship,
                      w->target_catalog ? w->target_catalog : "",
                      w->target_controls ? w->target_controls : "", w->strength,
                      w->rationale ? w->rationale : "");
    }
    if (all.failed) {
        rc = tr_error_oom();
        goto done;
    }
    tr_sha256_hex(all.data ? all.data : "", all.len, m.sha256);
    char uuid[37];
    tr_map_uuid(m.sha256, uuid);
    m.uuid = tr_strdup(uuid);
    m.title = tr_strdup(title ? title : source);
    m.version = tr_strdup("");
    m.oscal_version = tr_strdup("");
    if (!m.uuid || !m.title || !m.version || !m.oscal_version) {
        rc = tr_error_oom();
        goto done;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const trustreg_map_row *w = &rows[i];
        const char *where = w->where ? w->where : "";
        if (!w->source_catalog || !*w->source_catalog || !w->target_catalog ||
            !*w->target_catalog || !w->source_control) {
            rc = tr_error(TRUSTREG_EUSAGE, "%s: row %zu%s%s: a catalog or the source control is "
                          "missing", source, i + 1, *where ? " " : "", where);
            break;
        }
        if ((unsigned)w->relationship > TRUSTREG_MAP_RELATED || w->strength < -1 ||
            w->strength > 10) {
            rc = tr_error(TRUSTREG_EUSAGE, "%s: row %zu%s%s: relationship or strength out of "
                          "range", source, i + 1, *where ? " " : "", where);
            break;
        }
        if (!w->target_controls)
            continue;
        tr_map_entry probe = {0};
        long nt = tr_map_entry_add_ids(&probe, 1, w->target_controls);
        if (nt <= 0) { /* an empty mapping cell: nothing to import */
            for (size_t k = 0; k < probe.n_targets; k++)
                free(probe.targets[k].id);
            free(probe.targets);
            if (nt < 0)
                rc = TRUSTREG_EINTERNAL;
            continue;
        }
        char key[1024];
        snprintf(key, sizeof key, "%s\x1f%s", w->source_catalog, w->target_catalog);
        void **slot = tr_map_hash_slot(&pairs, key, 1);
        tr_map_mapping *g = NULL;
        if (slot && *slot) {
            g = &m.mappings[(uintptr_t)*slot - 1];
        } else if (slot && (g = tr_map_model_add_mapping(&m))) {
            *slot = (void *)(uintptr_t)m.n;
            g->src.name = tr_strdup(w->source_catalog);
            g->dst.name = tr_strdup(w->target_catalog);
            g->src.href = tr_strdup("");
            g->dst.href = tr_strdup("");
            g->src.where = tr_strdup(where);
            g->dst.where = tr_strdup(where);
        }
        tr_map_entry *e = g ? tr_map_mapping_add_map(g) : NULL;
        if (!e) {
            for (size_t k = 0; k < probe.n_targets; k++)
                free(probe.targets[k].id);
            free(probe.targets);
            rc = tr_error_oom();
            break;
        }
        e->targets = probe.targets;
        e->n_targets = probe.n_targets;
        char seed[128];
        snprintf(seed, sizeof seed, "%s/map/%zu", m.sha256, i);
        tr_map_uuid(seed, uuid);
        e->uuid = tr_strdup(uuid);
        e->rel = w->relationship;
        e->token = tr_strdup(trustreg_map_rel_name(w->relationship));
        e->strength = w->strength;
        e->rationale = tr_strdup(w->rationale ? w->rationale : "");
        e->where = tr_strdup(where);
        if (!g->src.name || !g->dst.name || !g->src.href || !g->dst.href || !g->src.where ||
            !g->dst.where || !e->uuid || !e->token || !e->rationale || !e->where ||
            tr_map_entry_add_ids(e, 0, w->source_control) < 0) {
            rc = tr_error_oom();
            break;
        }
        if (e->n_sources != 1)
            rc = tr_error(TRUSTREG_EUSAGE, "%s: row %zu%s%s: source control \"%s\" is not one id",
                          source, i + 1, *where ? " " : "", where, w->source_control);
    }
    if (!rc)
        rc = store_model(db, &m, source, NULL, out);
done:
    tr_buf_free(&all);
    tr_map_hash_free(&pairs, NULL);
    tr_map_model_free(&m);
    return rc;
}

void trustreg_map_import_result_free(trustreg_map_import_result *r)
{
    if (!r)
        return;
    tr_map_warns w = {NULL, r->warnings, r->n_warnings, r->n_warnings, 0};
    tr_map_warns_free(&w);
    free(r->file);
    free(r->set_uuid);
    free(r->title);
    free(r);
}

const char *trustreg_map_format_name(trustreg_map_format f)
{
    switch (f) {
    case TRUSTREG_MAP_FORMAT_OSCAL:
        return "oscal";
    case TRUSTREG_MAP_FORMAT_CSV:
        return "csv";
    case TRUSTREG_MAP_FORMAT_ROWS:
        return "rows";
    default:
        return "auto";
    }
}

json_t *trustreg_map_import_result_to_json(const trustreg_map_import_result *r)
{
    json_t *w = json_array();
    for (size_t i = 0; i < r->n_warnings; i++)
        json_array_append_new(w, json_string(r->warnings[i].message));
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:o}", "file", r->file, "format",
                     trustreg_map_format_name(r->format), "uuid", r->set_uuid, "title", r->title,
                     "mappings", (json_int_t)r->mappings, "maps", (json_int_t)r->maps, "edges",
                     (json_int_t)r->edges, "unchanged", r->unchanged, "warnings", w);
}

/* ---- listing and export ------------------------------------------------------------------- */

typedef struct lst {
    trustreg_map_set_info *v;
    size_t n, cap;
} lst;

static int list_one(void *ctx, int64_t id, const tr_map_set_row *row, const char *imported_at,
                    const char *frameworks, long maps, long edges)
{
    lst *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        trustreg_map_set_info *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return tr_error_oom();
        l->v = v;
        l->cap = cap;
    }
    trustreg_map_set_info *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->uuid = tr_strdup(row->uuid);
    s->title = tr_strdup(row->title);
    s->format = strcmp(row->format, "csv") == 0    ? TRUSTREG_MAP_FORMAT_CSV
                : strcmp(row->format, "rows") == 0 ? TRUSTREG_MAP_FORMAT_ROWS
                                                   : TRUSTREG_MAP_FORMAT_OSCAL;
    s->source = tr_strdup(row->source);
    s->sha256 = tr_strdup(row->sha256);
    s->imported_at = tr_strdup(imported_at);
    s->frameworks = tr_strdup(frameworks);
    s->maps = maps;
    s->edges = edges;
    if (!s->uuid || !s->title || !s->source || !s->sha256 || !s->imported_at || !s->frameworks)
        return tr_error_oom();
    return TRUSTREG_OK;
}

int trustreg_map_list(trustreg_db *db, trustreg_map_set_info **sets, size_t *n)
{
    *sets = NULL;
    *n = 0;
    tr_map_store *s;
    int rc = tr_map_store_open(db, &s);
    if (rc)
        return rc;
    lst l = {0};
    rc = tr_map_set_list(s, list_one, &l);
    tr_map_store_close(s);
    if (rc) {
        trustreg_map_set_infos_free(l.v, l.n);
        return rc;
    }
    *sets = l.v;
    *n = l.n;
    return TRUSTREG_OK;
}

void trustreg_map_set_infos_free(trustreg_map_set_info *sets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(sets[i].uuid);
        free(sets[i].title);
        free(sets[i].source);
        free(sets[i].sha256);
        free(sets[i].imported_at);
        free(sets[i].frameworks);
    }
    free(sets);
}

json_t *trustreg_map_set_info_to_json(const trustreg_map_set_info *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)s->id,
                     "uuid", s->uuid, "title", s->title, "format",
                     trustreg_map_format_name(s->format), "source", s->source, "sha256", s->sha256,
                     "imported_at", s->imported_at, "frameworks", s->frameworks, "maps",
                     (json_int_t)s->maps, "edges", (json_int_t)s->edges);
}

int trustreg_map_export(trustreg_db *db, const char *set, trustreg_map_format format, char **out,
                        size_t *len)
{
    *out = NULL;
    *len = 0;
    tr_map_store *s;
    int rc = tr_map_store_open(db, &s);
    if (rc)
        return rc;
    int64_t id;
    if (!(rc = tr_map_set_resolve(s, set, &id))) {
        if (!id)
            rc = tr_error(TRUSTREG_ENOTFOUND,
                          "no mapping set \"%s\" (give its uuid, SHA-256 or id; see 'trustreg map "
                          "list')",
                          set);
        else if (format == TRUSTREG_MAP_FORMAT_CSV)
            rc = tr_map_write_csv(s, id, out, len);
        else
            rc = tr_map_write_oscal(s, id, out, len);
    }
    tr_map_store_close(s);
    return rc;
}

int trustreg_map_export_file(trustreg_db *db, const char *set, trustreg_map_format format,
                             const char *path)
{
    char *data;
    size_t len;
    int rc = trustreg_map_export(db, set, format, &data, &len);
    if (rc)
        return rc;
    rc = tr_file_write_atomic(path, data, len);
    free(data);
    return rc;
}
