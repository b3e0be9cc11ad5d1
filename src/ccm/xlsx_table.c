/*
 * ccm/xlsx_table.c - a sheet held in memory as sorted rows of cells, built from the xlsx cell
 * stream or from CSV (libcsv, RFC 4180). Merged ranges are applied here: every cell inside a
 * range reads as the range's top-left cell, so values hidden under merges never leak through.
 */
#include "ccm/xlsx.h"
#include "util/error.h"
#include "util/file.h"
#include "util/mem.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (256u * 1024u)
#define MAX_CSV_BYTES (256u * 1024u * 1024u)

/* Strings of a table: bump allocation in large chunks, freed at once. */
typedef struct tr_arena {
    struct chunk {
        struct chunk *next;
        size_t used, cap;
        char data[];
    } * head;
} tr_arena;

static void *arena_alloc(tr_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        struct chunk *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static const char *arena_strndup(tr_arena *a, const char *s, size_t n)
{
    if (n == 0)
        return "";
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void tr_table_free(tr_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free(t->rows[i].cells);
    free(t->rows);
    free(t->merges);
    if (t->arena) {
        struct chunk *c = t->arena->head;
        while (c) {
            struct chunk *next = c->next;
            free(c);
            c = next;
        }
        free(t->arena);
    }
    free(t->source);
    free(t->sheet);
    free(t);
}

static tr_table *table_new(const char *source, const char *sheet)
{
    tr_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->arena = calloc(1, sizeof *t->arena);
    t->source = tr_strdup(source);
    t->sheet = tr_strdup(sheet);
    if (!t->arena || !t->source || !t->sheet) {
        tr_table_free(t);
        return NULL;
    }
    return t;
}

/* Builder state: rows are appended in order; cells of the last row appended in order. */
typedef struct builder {
    tr_table *t;
    size_t cap_rows;
    uint32_t cap_cells; /* of the last row */
    size_t cells;
} builder;

static int add_cell(builder *b, uint32_t row, uint32_t col, uint8_t type, const char *text,
                    size_t len)
{
    tr_table *t = b->t;
    if (++b->cells > TR_XLSX_MAX_CELLS)
        return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s' has more than %u cells", t->source,
                        t->sheet, TR_XLSX_MAX_CELLS);
    if (!t->n_rows || t->rows[t->n_rows - 1].r != row) {
        if (t->n_rows && t->rows[t->n_rows - 1].r > row)
            return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s': rows out of order at row %u",
                            t->source, t->sheet, (unsigned)row);
        if (t->n_rows == b->cap_rows) {
            size_t cap = b->cap_rows ? b->cap_rows * 2 : 256;
            tr_table_row *nr = realloc(t->rows, cap * sizeof *nr);
            if (!nr)
                return tr_error_oom();
            t->rows = nr;
            b->cap_rows = cap;
        }
        t->rows[t->n_rows++] = (tr_table_row){row, 0, NULL};
        b->cap_cells = 0;
    }
    tr_table_row *r = &t->rows[t->n_rows - 1];
    if (r->n && r->cells[r->n - 1].col >= col) {
        char ref[16];
        return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s' cell %s: cells out of order or repeated",
                        t->source, t->sheet, tr_xlsx_ref(row, col, ref));
    }
    if (r->n == b->cap_cells) {
        uint32_t cap = b->cap_cells ? b->cap_cells * 2 : 16;
        tr_table_cell *nc = realloc(r->cells, cap * sizeof *nc);
        if (!nc)
            return tr_error_oom();
        r->cells = nc;
        b->cap_cells = cap;
    }
    const char *s = arena_strndup(t->arena, text, len);
    if (!s)
        return tr_error_oom();
    r->cells[r->n++] = (tr_table_cell){col, type, 0, s};
    return TRUSTREG_OK;
}

static int on_xlsx_cell(void *ctx, const tr_xlsx_cell *c)
{
    if (c->type == TR_XLSX_EMPTY || c->len == 0)
        return TRUSTREG_OK;
    return add_cell(ctx, c->row, c->col, (uint8_t)c->type, c->text, c->len);
}

const tr_table_row *tr_table_row_at(const tr_table *t, uint32_t row)
{
    size_t lo = 0, hi = t->n_rows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->rows[mid].r < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n_rows && t->rows[lo].r == row ? &t->rows[lo] : NULL;
}

static tr_table_cell *cell_in(const tr_table_row *r, uint32_t col)
{
    uint32_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (r->cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->cells[lo].col == col ? &r->cells[lo] : NULL;
}

const tr_table_cell *tr_table_cell_at(const tr_table *t, uint32_t row, uint32_t col)
{
    const tr_table_row *r = tr_table_row_at(t, row);
    return r ? cell_in(r, col) : NULL;
}

const char *tr_table_get(const tr_table *t, uint32_t row, uint32_t col)
{
    const tr_table_row *r = tr_table_row_at(t, row);
    const tr_table_cell *c = r ? cell_in(r, col) : NULL;
    return c ? c->text : "";
}

int tr_table_is_under_merge(const tr_table *t, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < t->n_merges; i++) {
        const tr_xlsx_merge *m = &t->merges[i];
        if (row >= m->r1 && row <= m->r2 && col >= m->c1 && col <= m->c2)
            return !(row == m->r1 && col == m->c1);
    }
    return 0;
}

static int cmp_cell(const void *a, const void *b)
{
    uint32_t x = ((const tr_table_cell *)a)->col, y = ((const tr_table_cell *)b)->col;
    return x < y ? -1 : x > y;
}

/*
 * Rebuild the table so that every cell under a merge holds the top-left value (or nothing when
 * the top-left is empty). Only merges spanning a bounded area are expanded; a merge over a whole
 * column is unusual and would only blow up memory, so its hidden cells are just cleared.
 */
static int apply_merges(tr_table *t)
{
    builder b = {t, t->n_rows, 0, 0};
    for (size_t m = 0; m < t->n_merges; m++) {
        const tr_xlsx_merge *g = &t->merges[m];
        const char *top = tr_table_get(t, g->r1, g->c1);
        uint64_t area = (uint64_t)(g->r2 - g->r1 + 1) * (g->c2 - g->c1 + 1);
        for (uint32_t r = g->r1; r <= g->r2; r++) {
            /* the row may not exist yet: insert it in order */
            tr_table_row *row = (tr_table_row *)tr_table_row_at(t, r);
            if (!row && *top && area <= 100000) {
                tr_table_row *nr = realloc(t->rows, (t->n_rows + 1) * sizeof *nr);
                if (!nr)
                    return tr_error_oom();
                t->rows = nr;
                size_t at = 0;
                while (at < t->n_rows && t->rows[at].r < r)
                    at++;
                memmove(&t->rows[at + 1], &t->rows[at], (t->n_rows - at) * sizeof *nr);
                t->rows[at] = (tr_table_row){r, 0, NULL};
                t->n_rows++;
                row = &t->rows[at];
            }
            if (!row)
                continue;
            for (uint32_t c = g->c1; c <= g->c2; c++) {
                if (r == g->r1 && c == g->c1)
                    continue;
                tr_table_cell *cell = cell_in(row, c);
                if (cell) {
                    cell->text = top;
                    cell->under = 1;
                } else if (*top && area <= 100000) {
                    if (++b.cells > TR_XLSX_MAX_CELLS)
                        return tr_error(TRUSTREG_EINPUT,
                                        "%s: sheet '%s': merges expand past %u cells", t->source,
                                        t->sheet, TR_XLSX_MAX_CELLS);
                    tr_table_cell *nc = realloc(row->cells, (row->n + 1) * sizeof *nc);
                    if (!nc)
                        return tr_error_oom();
                    row->cells = nc;
                    row->cells[row->n++] = (tr_table_cell){c, TR_XLSX_STRING, 1, top};
                    qsort(row->cells, row->n, sizeof *row->cells, cmp_cell);
                }
            }
        }
    }
    return TRUSTREG_OK;
}

int tr_xlsx_sheet_table(tr_xlsx *x, size_t i, tr_table **out)
{
    *out = NULL;
    tr_table *t =
        table_new(tr_xlsx_source(x), tr_xlsx_sheet_name(x, i) ? tr_xlsx_sheet_name(x, i) : "");
    if (!t)
        return tr_error_oom();
    builder b = {t, 0, 0, 0};
    int rc = tr_xlsx_sheet_stream(x, i, on_xlsx_cell, &b);
    if (!rc) {
        size_t n;
        const tr_xlsx_merge *m = tr_xlsx_merges(x, &n);
        if (n) {
            t->merges = malloc(n * sizeof *m);
            if (!t->merges)
                rc = tr_error_oom();
            else {
                memcpy(t->merges, m, n * sizeof *m);
                t->n_merges = n;
                rc = apply_merges(t);
            }
        }
    }
    if (rc) {
        tr_table_free(t);
        return rc;
    }
    *out = t;
    return TRUSTREG_OK;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

typedef struct csv_state {
    const char *source;
    tr_csv_record_fn fn;
    void *ctx;
    char **fields;
    size_t *lens;
    size_t n, cap;
    size_t line, record_line; /* line where the current record starts */
    const unsigned char *base;
    const unsigned char *chunk;
    int rc;
} csv_state;

static void csv_field(void *s, size_t len, void *data)
{
    csv_state *st = data;
    if (st->rc)
        return;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        if (cap > TR_XLSX_MAX_COL) {
            st->rc = tr_error(TRUSTREG_EINPUT, "%s:%zu: more than %u fields in a record",
                              st->source, st->record_line, TR_XLSX_MAX_COL);
            return;
        }
        char **nf = realloc(st->fields, cap * sizeof *nf);
        size_t *nl = nf ? realloc(st->lens, cap * sizeof *nl) : NULL;
        if (nf)
            st->fields = nf;
        if (!nl) {
            st->rc = tr_error_oom();
            return;
        }
        st->lens = nl;
        st->cap = cap;
    }
    char *f = malloc(len + 1);
    if (!f) {
        st->rc = tr_error_oom();
        return;
    }
    if (len)
        memcpy(f, s, len);
    f[len] = '\0';
    st->fields[st->n] = f;
    st->lens[st->n] = len;
    st->n++;
}

static void csv_drop_fields(csv_state *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->fields[i]);
    st->n = 0;
}

static void csv_record(int c, void *data)
{
    (void)c;
    csv_state *st = data;
    if (!st->rc && st->n)
        st->rc = st->fn(st->ctx, st->record_line, (const char *const *)st->fields, st->lens, st->n);
    csv_drop_fields(st);
}

static int keep_spaces(unsigned char c)
{
    (void)c;
    return 0;
}

int tr_csv_read_mem(const void *bytes, size_t len, const char *source, tr_csv_record_fn fn,
                    void *ctx)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        return tr_error_oom();
    csv_set_realloc_func(&p, realloc);
    csv_set_space_func(&p, keep_spaces); /* RFC 4180: spaces are part of a field */
    csv_state st = {.source = source, .fn = fn, .ctx = ctx, .line = 1, .record_line = 1};
    const unsigned char *s = bytes;
    size_t at = 0;
    /* skip a UTF-8 byte order mark, as spreadsheet programs write one */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        at = 3;
    /* feed line by line so that every record knows the line it starts on */
    int in_record = 0;
    while (at < len && !st.rc) {
        const unsigned char *nl = memchr(s + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (s + at)) + 1 : len - at;
        if (!in_record)
            st.record_line = st.line;
        if (csv_parse(&p, s + at, n, csv_field, csv_record, &st) != n) {
            int e = csv_error(&p);
            if (!st.rc)
                st.rc = tr_error_at(TRUSTREG_EINPUT, source, (int)st.line, 0, "CSV: %s",
                                    csv_strerror(e));
            break;
        }
        /* a record is open when the parser holds a partial field or quoted newline */
        in_record = p.pstate != 0 || p.entry_pos != 0 || st.n != 0;
        at += n;
        st.line++;
    }
    if (!st.rc && csv_fini(&p, csv_field, csv_record, &st) != 0)
        st.rc = tr_error_at(TRUSTREG_EINPUT, source, (int)st.record_line, 0,
                            "CSV: %s (an unterminated quoted field?)", csv_strerror(csv_error(&p)));
    csv_drop_fields(&st);
    free(st.fields);
    free(st.lens);
    csv_free(&p);
    return st.rc;
}

/* libcsv calls back from inside csv_parse: wrap it so line numbers are right. */
typedef struct csv_table_ctx {
    builder b;
    uint32_t row;
} csv_table_ctx;

static int on_csv_record(void *ctx, size_t line, const char *const *fields, const size_t *lens,
                         size_t n)
{
    csv_table_ctx *c = ctx;
    (void)line;
    if (c->row >= TR_XLSX_MAX_ROW)
        return tr_error(TRUSTREG_EINPUT, "%s: more than %u records", c->b.t->source,
                        TR_XLSX_MAX_ROW);
    c->row++;
    for (size_t i = 0; i < n; i++) {
        if (!lens[i])
            continue;
        int rc = add_cell(&c->b, c->row, (uint32_t)i + 1, TR_XLSX_STRING, fields[i], lens[i]);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

int tr_csv_table_mem(const void *bytes, size_t len, const char *source, tr_table **out)
{
    *out = NULL;
    tr_table *t = table_new(source, "");
    if (!t)
        return tr_error_oom();
    csv_table_ctx c = {{t, 0, 0, 0}, 0};
    int rc = tr_csv_read_mem(bytes, len, source, on_csv_record, &c);
    if (rc) {
        tr_table_free(t);
        return rc;
    }
    *out = t;
    return TRUSTREG_OK;
}

int tr_csv_table_file(const char *path, tr_table **out)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = tr_file_read(path, MAX_CSV_BYTES, &buf, &len);
    if (rc)
        return rc;
    rc = tr_csv_table_mem(buf, len, path, out);
    free(buf);
    return rc;
}
