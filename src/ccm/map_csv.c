/*
 * ccm/map_csv.c - mappings as CSV (RFC 4180, parsed with libcsv in strict mode):
 *
 *   source_catalog,source_control,relationship,target_catalog,target_control,strength[,rationale]
 *
 * The first record is the header (column names in any order, case-insensitive; strength and
 * rationale optional). Each following record is one map; a control cell may list several ids
 * ("ac-2; ac-3"), which then form one map over their union. Records without a target are
 * skipped (crosswalks list controls that map to nothing). Errors name line and field.
 */
#include "ccm/map_model.h"
#include "store/map_store.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/mem.h"

#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_SRC_CAT, C_SRC_CTL, C_REL, C_DST_CAT, C_DST_CTL, C_STRENGTH, C_RATIONALE, C_N };
static const char *const col_names[C_N] = {"source_catalog", "source_control", "relationship",
                                           "target_catalog", "target_control", "strength",
                                           "rationale"};

typedef struct csvrd {
    const char *source;
    tr_map_model *m;
    int line;     /* line of the chunk being parsed */
    int row_line; /* line where the current record started */
    int pending;  /* a record ended; the next non-empty chunk starts one */
    char **fields;
    size_t nf, capf;
    int header_done;
    int ncols;
    int col[C_N]; /* field index of each known column, -1 when absent */
    int rc;
    long skipped;
    tr_map_hash pairs;
} csvrd;

static void clear_fields(csvrd *r)
{
    for (size_t i = 0; i < r->nf; i++)
        free(r->fields[i]);
    r->nf = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
    csvrd *r = ctx;
    if (r->rc)
        return;
    if (!tr_map_utf8_ok(data ? data : "", data ? len : 0)) {
        r->rc = tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, (int)r->nf + 1,
                            "field %zu is not valid UTF-8 text (or holds a NUL byte)", r->nf + 1);
        return;
    }
    if (r->nf == r->capf) {
        size_t cap = r->capf ? r->capf * 2 : 8;
        char **v = realloc(r->fields, cap * sizeof *v);
        if (!v) {
            r->rc = tr_error_oom();
            return;
        }
        r->fields = v;
        r->capf = cap;
    }
    char *f = malloc(len + 1);
    if (!f) {
        r->rc = tr_error_oom();
        return;
    }
    if (len)
        memcpy(f, data, len);
    f[len] = '\0';
    r->fields[r->nf++] = f;
}

/* Trim ASCII white space and no-break spaces in place. */
static char *trim(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
            s += 2;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
            n--;
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 && (unsigned char)s[n - 1] == 0xa0)
            n -= 2;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

static int header(csvrd *r)
{
    for (int c = 0; c < C_N; c++)
        r->col[c] = -1;
    r->ncols = (int)r->nf;
    for (size_t i = 0; i < r->nf; i++) {
        char *name = trim(r->fields[i]);
        if (i == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0) /* byte order mark */
            name += 3;
        int known = -1;
        for (int c = 0; c < C_N; c++)
            if (strcasecmp(name, col_names[c]) == 0)
                known = c;
        if (known < 0) {
            tr_map_warn_at(&r->m->warns, r->row_line, (int)i + 1,
                           "column \"%s\" is not a mapping column; ignored", name);
        } else if (r->col[known] >= 0) {
            return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, (int)i + 1,
                               "column \"%s\" appears twice", col_names[known]);
        } else {
            r->col[known] = (int)i;
        }
    }
    for (int c = 0; c <= C_DST_CTL; c++)
        if (r->col[c] < 0)
            return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, 1,
                               "the header has no \"%s\" column (expected source_catalog,"
                               "source_control,relationship,target_catalog,target_control,"
                               "strength)",
                               col_names[c]);
    r->header_done = 1;
    return TRUSTREG_OK;
}

static tr_map_mapping *mapping_for(csvrd *r, const char *src, const char *dst)
{
    tr_buf key = {0};
    tr_buf_printf(&key, "%s\x1f%s", src, dst);
    if (key.failed) {
        tr_buf_free(&key);
        tr_error_oom();
        return NULL;
    }
    void **slot = tr_map_hash_slot(&r->pairs, key.data, 1);
    tr_buf_free(&key);
    if (!slot)
        return NULL;
    if (*slot)
        return &r->m->mappings[(uintptr_t)*slot - 1];
    tr_map_mapping *g = tr_map_model_add_mapping(r->m);
    if (!g)
        return NULL;
    *slot = (void *)(uintptr_t)r->m->n;
    g->src.name = tr_strdup(src);
    g->dst.name = tr_strdup(dst);
    g->src.href = tr_strdup("");
    g->dst.href = tr_strdup("");
    g->src.where = tr_strdup("");
    g->dst.where = tr_strdup("");
    if (!g->src.name || !g->dst.name || !g->src.href || !g->dst.href || !g->src.where ||
        !g->dst.where) {
        tr_error_oom();
        return NULL;
    }
    return g;
}

static int row(csvrd *r)
{
    int all_empty = 1;
    for (size_t i = 0; i < r->nf; i++) {
        char *t = trim(r->fields[i]);
        if (t != r->fields[i])
            memmove(r->fields[i], t, strlen(t) + 1);
        if (*r->fields[i])
            all_empty = 0;
    }
    if (all_empty)
        return TRUSTREG_OK;
    if ((int)r->nf != r->ncols)
        return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, (int)r->nf,
                           "expected %d fields as in the header, found %zu", r->ncols, r->nf);
    const char *v[C_N];
    for (int c = 0; c < C_N; c++)
        v[c] = r->col[c] >= 0 ? r->fields[r->col[c]] : "";
    if (!*v[C_DST_CTL]) {
        r->skipped++;
        return TRUSTREG_OK;
    }
    for (int c = 0; c <= C_DST_CAT; c++)
        if (!*v[c])
            return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, r->col[c] + 1,
                               "%s is empty", col_names[c]);
    trustreg_map_rel rel;
    if (trustreg_map_rel_parse(v[C_REL], &rel))
        return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, r->col[C_REL] + 1,
                           "unknown relationship \"%s\": expected equivalent-to, equal-to, "
                           "subset-of, superset-of, intersects-with, no-relationship or related",
                           v[C_REL]);
    int strength = -1;
    if (*v[C_STRENGTH]) {
        const char *p = v[C_STRENGTH];
        strength = 0;
        for (; *p >= '0' && *p <= '9' && strength <= 10; p++)
            strength = strength * 10 + (*p - '0');
        if (*p || strength > 10)
            return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line, r->col[C_STRENGTH] + 1,
                               "strength \"%s\" is not an integer from 0 to 10", v[C_STRENGTH]);
    }
    tr_map_mapping *g = mapping_for(r, v[C_SRC_CAT], v[C_DST_CAT]);
    if (!g)
        return TRUSTREG_EINTERNAL;
    tr_map_entry *e = tr_map_mapping_add_map(g);
    if (!e)
        return TRUSTREG_EINTERNAL;
    char seed[128], uuid[37];
    snprintf(seed, sizeof seed, "%s/map/%d", r->m->sha256, r->row_line);
    tr_map_uuid(seed, uuid);
    e->uuid = tr_strdup(uuid);
    e->token = tr_strdup(v[C_REL]);
    e->rel = rel;
    e->strength = strength;
    e->rationale = tr_strdup(v[C_RATIONALE]);
    e->where = tr_strdup("");
    e->line = r->row_line;
    if (!e->uuid || !e->token || !e->rationale || !e->where)
        return tr_error_oom();
    if (tr_map_entry_add_ids(e, 0, v[C_SRC_CTL]) < 0 || tr_map_entry_add_ids(e, 1, v[C_DST_CTL]) < 0)
        return TRUSTREG_EINTERNAL;
    if (!e->n_sources || !e->n_targets)
        return tr_error_at(TRUSTREG_EINPUT, r->source, r->row_line,
                           r->col[e->n_sources ? C_DST_CTL : C_SRC_CTL] + 1,
                           "no control id in the cell");
    return TRUSTREG_OK;
}

static void on_record(int term, void *ctx)
{
    (void)term;
    csvrd *r = ctx;
    if (!r->rc)
        r->rc = r->header_done ? row(r) : header(r);
    clear_fields(r);
    r->pending = 1;
}

int tr_map_read_csv(const void *bytes, size_t len, const char *source, tr_map_model *out)
{
    memset(out, 0, sizeof *out);
    out->format = TRUSTREG_MAP_FORMAT_CSV;
    out->warns.source = source;
    tr_sha256_hex(bytes, len, out->sha256);
    char uuid[37];
    tr_map_uuid(out->sha256, uuid);
    out->uuid = tr_strdup(uuid);
    out->version = tr_strdup("");
    out->oscal_version = tr_strdup("");
    if (!out->uuid || !out->version || !out->oscal_version)
        return tr_error_oom();
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return tr_error_oom();
    csvrd r = {.source = source, .m = out, .line = 1, .row_line = 1};
    const char *s = bytes, *end = s + len;
    while (s < end && !r.rc) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        int blank = (n == 1 && *s == '\n') || (n == 2 && s[0] == '\r' && s[1] == '\n');
        if (r.pending && !blank) {
            r.row_line = r.line;
            r.pending = 0;
        }
        size_t done = csv_parse(&p, s, n, on_field, on_record, &r);
        if (done != n && !r.rc)
            r.rc = tr_error_at(TRUSTREG_EINPUT, source, r.line, (int)done + 1, "malformed CSV: %s",
                               csv_strerror(csv_error(&p)));
        s += n;
        r.line++;
    }
    if (!r.rc && csv_fini(&p, on_field, on_record, &r) != 0 && !r.rc)
        r.rc = tr_error_at(TRUSTREG_EINPUT, source, r.row_line, 1,
                           "malformed CSV: %s (a quoted field is not closed)",
                           csv_strerror(csv_error(&p)));
    csv_free(&p);
    clear_fields(&r);
    free(r.fields);
    tr_map_hash_free(&r.pairs, NULL);
    if (!r.rc && !r.header_done)
        r.rc = tr_error_at(TRUSTREG_EINPUT, source, 1, 1,
                           "empty CSV: expected a header source_catalog,source_control,"
                           "relationship,target_catalog,target_control,strength");
    if (!r.rc && r.skipped)
        tr_map_warn_at(&out->warns, 0, 0, "%ld records without a target control were skipped",
                       r.skipped);
    if (!r.rc && out->warns.oom)
        r.rc = tr_error_oom();
    return r.rc;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct cw {
    tr_buf out;
    char *src_fw, *dst_fw;
    int have_map;
    char token[64];
    int strength;
    char *rationale;
    tr_buf srcs, dsts;
} cw;

static void put_field(tr_buf *b, const char *v, int last)
{
    size_t n = strlen(v);
    int quote = n && (v[0] == ' ' || v[n - 1] == ' ');
    for (const char *p = v; *p && !quote; p++)
        if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
            quote = 1;
    if (quote) {
        tr_buf_puts(b, "\"");
        for (const char *p = v; *p; p++)
            tr_buf_puts(b, *p == '"' ? "\"\"" : (char[2]){*p, '\0'});
        tr_buf_puts(b, "\"");
    } else {
        tr_buf_append(b, v, n);
    }
    tr_buf_puts(b, last ? "\r\n" : ",");
}

static void flush_map(cw *w)
{
    if (!w->have_map)
        return;
    char strength[16] = "";
    if (w->strength >= 0)
        snprintf(strength, sizeof strength, "%d", w->strength);
    put_field(&w->out, w->src_fw, 0);
    put_field(&w->out, w->srcs.data ? w->srcs.data : "", 0);
    put_field(&w->out, w->token, 0);
    put_field(&w->out, w->dst_fw, 0);
    put_field(&w->out, w->dsts.data ? w->dsts.data : "", 0);
    put_field(&w->out, strength, 0);
    put_field(&w->out, w->rationale ? w->rationale : "", 1);
    tr_buf_free(&w->srcs);
    tr_buf_free(&w->dsts);
    free(w->rationale);
    w->rationale = NULL;
    w->have_map = 0;
}

static int c_set(void *ctx, const tr_map_set_row *row)
{
    (void)row;
    cw *w = ctx;
    tr_buf_puts(&w->out, "source_catalog,source_control,relationship,target_catalog,"
                         "target_control,strength,rationale\r\n");
    return TRUSTREG_OK;
}

static int c_mapping(void *ctx, int64_t id, const char *src_fw, const char *dst_fw,
                     const char *body)
{
    (void)id;
    (void)body;
    cw *w = ctx;
    flush_map(w);
    free(w->src_fw);
    free(w->dst_fw);
    w->src_fw = tr_strdup(src_fw);
    w->dst_fw = tr_strdup(dst_fw);
    return w->src_fw && w->dst_fw ? TRUSTREG_OK : tr_error_oom();
}

static int c_map(void *ctx, int64_t mapping_id, const char *uuid, const char *relationship,
                 const char *token, int strength, const char *rationale, const char *body)
{
    (void)mapping_id;
    (void)uuid;
    (void)relationship;
    (void)body;
    cw *w = ctx;
    flush_map(w);
    snprintf(w->token, sizeof w->token, "%s", token);
    w->strength = strength;
    w->rationale = tr_strdup(rationale);
    w->have_map = 1;
    return w->rationale ? TRUSTREG_OK : tr_error_oom();
}

static int c_item(void *ctx, int target, const char *control)
{
    cw *w = ctx;
    tr_buf *b = target ? &w->dsts : &w->srcs;
    if (b->len)
        tr_buf_puts(b, "; ");
    tr_buf_puts(b, control);
    return TRUSTREG_OK;
}

int tr_map_write_csv(struct tr_map_store *s, int64_t set_id, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    cw w = {0};
    tr_map_read_cb cb = {&w, c_set, c_mapping, c_map, c_item};
    int rc = tr_map_set_read(s, set_id, &cb);
    flush_map(&w);
    free(w.src_fw);
    free(w.dst_fw);
    tr_buf_free(&w.srcs);
    tr_buf_free(&w.dsts);
    free(w.rationale);
    if (!rc && w.out.failed)
        rc = tr_error_oom();
    if (!rc) {
        *len = w.out.len;
        *out = tr_buf_steal(&w.out);
        if (!*out)
            rc = tr_error_oom();
    }
    tr_buf_free(&w.out);
    return rc;
}
