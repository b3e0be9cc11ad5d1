/*
 * ccm/ccm_read.c - reading CCM / CAIQ workbooks into the model of ccm_model.h.
 *
 * Layouts (docs/ccm.md, measured facts in ../shared/data/ccm/LAYOUT-FACTS.md):
 *   CAIQ v4.0.x   sheet "CAIQv4.0.x", header row 2, one question per row, I/J/K/L merged per
 *                 control/domain, footer "End of Standard" in the Question ID column;
 *   CCM v4 matrix sheets "CCM" (controls, domain banner rows), "CAIQ" (questions) and
 *                 "Scope Applicability (Mappings)" (framework mapping columns);
 *   CAIQ v3.x     sheet "CSA CAIQ v3.0.1" or "CAIQ v3.1", header rows 2-4, A/B/D merged per
 *                 control, answers as marks in F/G/H, notes in I, mapping columns from J;
 *   CSV           a questionnaire sheet exported as CSV (labels located in the first rows).
 * Columns are located by their header label; a label found in another column than the template's
 * is reported as an altered form, a missing one too. The control of a question comes from the
 * question ID (merged cells may hide stale IDs), the domain from the domain column or banner.
 */
#include "ccm/ccm_model.h"
#include "ccm/xlsx.h"
#include "util/error.h"
#include "util/file.h"
#include "util/mem.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- text helpers -------------------------------------------------------------------------- */

static int is_space_at(const char *s, size_t *n)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
        *n = 1;
        return 1;
    }
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0) { /* U+00A0 no-break space */
        *n = 2;
        return 1;
    }
    return 0;
}

char *tr_ccm_norm_id(const char *s)
{
    tr_buf b = {0};
    tr_buf_puts(&b, "");
    while (*s) {
        size_t n;
        if (is_space_at(s, &n)) {
            s += n;
            continue;
        }
        tr_buf_append(&b, s, 1);
        s++;
    }
    return tr_buf_steal(&b);
}

char *tr_ccm_norm_label(const char *s)
{
    tr_buf b = {0};
    tr_buf_puts(&b, "");
    int pending = 0;
    while (*s) {
        size_t n;
        if (is_space_at(s, &n)) {
            pending = b.len > 0;
            s += n;
            continue;
        }
        if (pending)
            tr_buf_append(&b, " ", 1);
        pending = 0;
        tr_buf_append(&b, s, 1);
        s++;
    }
    return tr_buf_steal(&b);
}

int tr_ccm_is_question_id(const char *s)
{
    const char *p = s;
    while (*p && (isupper((unsigned char)*p) || *p == '&'))
        p++;
    if (p == s || *p++ != '-' || !isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p++ != '.' || !isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0';
}

static int is_control_id(const char *s)
{
    const char *p = s;
    while (*p && (isupper((unsigned char)*p) || *p == '&'))
        p++;
    if (p == s || *p++ != '-' || !isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0';
}

char *tr_ccm_question_control(const char *qid)
{
    const char *dot = strrchr(qid, '.');
    size_t n = dot ? (size_t)(dot - qid) : strlen(qid);
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, qid, n);
        r[n] = '\0';
    }
    return r;
}

static char *domain_of(const char *control_id)
{
    const char *dash = strrchr(control_id, '-');
    size_t n = dash ? (size_t)(dash - control_id) : strlen(control_id);
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, control_id, n);
        r[n] = '\0';
    }
    return r;
}

static int label_eq(const char *cell, const char *label)
{
    char *n = tr_ccm_norm_label(cell);
    int eq = n && strcasecmp(n, label) == 0;
    free(n);
    return eq;
}

int tr_ccm_add_issue(trustreg_ccm *c, int severity, const char *code, const char *cell,
                     const char *fmt, ...)
{
    if (c->n_issues == c->cap_issues) {
        size_t cap = c->cap_issues ? c->cap_issues * 2 : 8;
        tr_form_issue *n = realloc(c->issues, cap * sizeof *n);
        if (!n)
            return tr_error_oom();
        c->issues = n;
        c->cap_issues = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tr_form_issue *i = &c->issues[c->n_issues++];
    i->severity = severity;
    i->code = tr_strdup(code);
    i->cell = tr_strdup(cell);
    i->message = tr_strdup(msg);
    return (i->code && i->cell && i->message) ? TRUSTREG_OK : tr_error_oom();
}

/* ---- model building ------------------------------------------------------------------------ */

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            size_t ncap_ = (cap) ? (cap)*2 : 32;                                                   \
            void *p_ = realloc((arr), ncap_ * sizeof *(arr));                                      \
            if (!p_)                                                                               \
                return tr_error_oom();                                                             \
            (arr) = p_;                                                                            \
            (cap) = ncap_;                                                                         \
        }                                                                                          \
    } while (0)

static int domain_index(trustreg_ccm *c, const char *abbr, const char *title, size_t *out)
{
    for (size_t i = c->n_domains; i-- > 0;)
        if (strcmp(c->domains[i].abbr, abbr) == 0) {
            if (!c->domains[i].title[0] && title && title[0]) {
                free(c->domains[i].title);
                c->domains[i].title = tr_ccm_norm_label(title);
            }
            *out = i;
            return TRUSTREG_OK;
        }
    GROW(c->domains, c->n_domains, c->cap_domains);
    tr_ccm_domain *d = &c->domains[c->n_domains];
    d->abbr = tr_strdup(abbr);
    d->title = tr_ccm_norm_label(title ? title : "");
    if (!d->abbr || !d->title)
        return tr_error_oom();
    *out = c->n_domains++;
    return TRUSTREG_OK;
}

static size_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return (size_t)h;
}

/* Index of the control with this id, or (size_t)-1; *slot gets the free slot when absent. */
static size_t control_find(const trustreg_ccm *c, const char *id, size_t *slot)
{
    if (!c->ctl_hash_cap)
        return (size_t)-1;
    size_t h = hash_id(id) & (c->ctl_hash_cap - 1);
    while (c->ctl_hash[h]) {
        if (strcmp(c->controls[c->ctl_hash[h] - 1].id, id) == 0)
            return c->ctl_hash[h] - 1;
        h = (h + 1) & (c->ctl_hash_cap - 1);
    }
    if (slot)
        *slot = h;
    return (size_t)-1;
}

/* Keep the hash at most half full. */
static int control_hash_grow(trustreg_ccm *c)
{
    if ((c->n_controls + 1) * 2 <= c->ctl_hash_cap)
        return TRUSTREG_OK;
    size_t cap = c->ctl_hash_cap ? c->ctl_hash_cap * 2 : 512;
    size_t *h = calloc(cap, sizeof *h);
    if (!h)
        return tr_error_oom();
    free(c->ctl_hash);
    c->ctl_hash = h;
    c->ctl_hash_cap = cap;
    for (size_t i = 0; i < c->n_controls; i++) {
        size_t k = hash_id(c->controls[i].id) & (cap - 1);
        while (h[k])
            k = (k + 1) & (cap - 1);
        h[k] = i + 1;
    }
    return TRUSTREG_OK;
}

/* The control with this ID, added (with its domain) when new. */
static int control_index(trustreg_ccm *c, const char *id, const char *title, const char *spec,
                         const char *domain_title, size_t *out)
{
    if (c->n_controls && strcmp(c->controls[c->n_controls - 1].id, id) == 0) {
        *out = c->n_controls - 1;
        return TRUSTREG_OK;
    }
    size_t found = control_find(c, id, NULL);
    if (found != (size_t)-1) {
        *out = found;
        return TRUSTREG_OK;
    }
    int grc = control_hash_grow(c);
    if (grc)
        return grc;
    char *abbr = domain_of(id);
    if (!abbr)
        return tr_error_oom();
    size_t d;
    int rc = domain_index(c, abbr, domain_title, &d);
    free(abbr);
    if (rc)
        return rc;
    GROW(c->controls, c->n_controls, c->cap_controls);
    tr_ccm_control *ctl = &c->controls[c->n_controls];
    memset(ctl, 0, sizeof *ctl);
    ctl->id = tr_strdup(id);
    ctl->title = tr_ccm_norm_label(title ? title : "");
    ctl->spec = tr_strdup(spec);
    ctl->domain = d;
    if (!ctl->id || !ctl->title || !ctl->spec)
        return tr_error_oom();
    size_t slot = 0;
    control_find(c, id, &slot);
    c->ctl_hash[slot] = c->n_controls + 1;
    *out = c->n_controls++;
    return TRUSTREG_OK;
}

static int add_mapping(trustreg_ccm *c, const char *control, const char *framework,
                       const char *column, const char *text, const char *gap, const char *sheet,
                       uint32_t row, uint32_t col)
{
    GROW(c->mappings, c->n_mappings, c->cap_mappings);
    char ref[16];
    trustreg_ccm_mapping *m = &c->mappings[c->n_mappings++];
    m->control_id = tr_strdup(control);
    m->framework = tr_ccm_norm_label(framework);
    m->column = tr_ccm_norm_label(column);
    m->text = tr_strdup(text);
    m->gap_level = tr_ccm_norm_label(gap);
    m->sheet = tr_strdup(sheet);
    m->cell = tr_strdup(tr_xlsx_ref(row, col, ref));
    if (!m->control_id || !m->framework || !m->column || !m->text || !m->gap_level || !m->sheet ||
        !m->cell)
        return tr_error_oom();
    return TRUSTREG_OK;
}

/* ---- header labels ------------------------------------------------------------------------ */

typedef struct label_spec {
    const char *label;
    uint32_t col; /* where the template has it */
    int required; /* 2: cannot read without it; 1: an altered form; 0: optional */
    int slot;     /* COL_* or -1 */
} label_spec;

/* Column of label in rows 1..max_row; *row_out gets its row. 0 when absent. */
static uint32_t find_label(const tr_table *t, const char *label, uint32_t max_row,
                           uint32_t prefer_col, uint32_t *row_out)
{
    uint32_t found = 0;
    for (uint32_t r = 1; r <= max_row; r++) {
        const tr_table_row *row = tr_table_row_at(t, r);
        if (!row)
            continue;
        /* the template's position first: a label repeated under a merge stays where it was */
        if (prefer_col) {
            const tr_table_cell *cell = tr_table_cell_at(t, r, prefer_col);
            if (cell && label_eq(cell->text, label)) {
                *row_out = r;
                return prefer_col;
            }
        }
        for (uint32_t i = 0; !found && i < row->n; i++)
            if (!row->cells[i].under && label_eq(row->cells[i].text, label)) {
                found = row->cells[i].col;
                *row_out = r;
            }
    }
    return found;
}

/*
 * Locate every label; report moved and missing columns. Returns the last header row, or 0 with
 * an error recorded when a label needed to read the sheet at all is missing.
 */
static int check_header(trustreg_ccm *c, const tr_table *t, const label_spec *specs, size_t n,
                        uint32_t max_row, uint32_t *cols, uint32_t *header_end)
{
    *header_end = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t row = 0;
        uint32_t col = find_label(t, specs[i].label, max_row, specs[i].col, &row);
        char ref[16], now[8], was[8];
        cols[i] = col;
        if (!col) {
            if (specs[i].required == 2)
                return tr_error(TRUSTREG_EINPUT,
                                "%s: sheet '%s': no column labelled '%s' in the first %u rows "
                                "(not a CAIQ layout, or the form was altered)",
                                c->source, c->sheet, specs[i].label, (unsigned)max_row);
            if (specs[i].required == 1) {
                int rc = tr_ccm_add_issue(c, TRUSTREG_CAIQ_ERROR, "column-missing",
                                          tr_xlsx_col_name(specs[i].col, ref),
                                          "the column '%s' was removed or renamed", specs[i].label);
                if (rc)
                    return rc;
            }
            continue;
        }
        if (row > *header_end)
            *header_end = row;
        if (col != specs[i].col && !c->csv && specs[i].required) {
            int rc = tr_ccm_add_issue(
                c, TRUSTREG_CAIQ_WARNING, "column-moved", tr_xlsx_ref(row, col, ref),
                "the column '%s' is in %s, the template has it in %s", specs[i].label,
                tr_xlsx_col_name(col, now), tr_xlsx_col_name(specs[i].col, was));
            if (rc)
                return rc;
        }
        if (specs[i].slot >= 0)
            c->cols[specs[i].slot] = col;
    }
    return TRUSTREG_OK;
}

static const char *cell_at(const tr_table *t, uint32_t r, uint32_t col)
{
    return col ? tr_table_get(t, r, col) : "";
}

/* ---- CAIQ v4 questionnaire ---------------------------------------------------------------- */

static const label_spec v4_labels[] = {
    {"Question ID", 1, 2, -1},
    {"Question", 2, 1, -1},
    {"CSP CAIQ Answer", 3, 1, COL_ANSWER},
    {"SSRM Control Ownership", 4, 1, COL_OWNERSHIP},
    {"CSP Implementation Description (Optional/Recommended)", 5, 1, COL_IMPL},
    {"CSC Responsibilities (Optional/Recommended)", 6, 1, COL_CSC},
    {"CCM Control ID", 9, 0, -1},
    {"CCM Control Specification", 10, 0, -1},
    {"CCM Control Title", 11, 0, -1},
    {"CCM Domain Title", 12, 0, -1},
};

static int is_footer(const char *id_cell)
{
    return label_eq(id_cell, "End of Standard");
}

static int row_has_answer(const trustreg_ccm *c, const tr_table *t, uint32_t r)
{
    for (int k = 0; k < COL_N; k++)
        if (c->cols[k] && tr_table_get(t, r, c->cols[k])[0])
            return 1;
    return 0;
}

static int add_question(trustreg_ccm *c, const tr_table *t, uint32_t r, const char *raw,
                        const char *qid, const char *text, size_t control)
{
    GROW(c->questions, c->n_questions, c->cap_questions);
    tr_ccm_question *q = &c->questions[c->n_questions++];
    memset(q, 0, sizeof *q);
    q->id = tr_strdup(qid);
    q->raw_id = raw;
    q->text = text;
    q->control = control;
    q->row = r;
    q->answer = cell_at(t, r, c->cols[COL_ANSWER]);
    q->ownership = cell_at(t, r, c->cols[COL_OWNERSHIP]);
    q->impl = cell_at(t, r, c->cols[COL_IMPL]);
    q->csc = cell_at(t, r, c->cols[COL_CSC]);
    q->mark[0] = cell_at(t, r, c->cols[COL_YES]);
    q->mark[1] = cell_at(t, r, c->cols[COL_NO]);
    q->mark[2] = cell_at(t, r, c->cols[COL_NA]);
    q->notes = cell_at(t, r, c->cols[COL_NOTES]);
    return q->id ? TRUSTREG_OK : tr_error_oom();
}

/*
 * A row whose ID cell is not a question ID: the footer (stop), an empty row (skip), or a row with
 * answers but no usable ID (reported). Returns 1 to stop, 0 to skip, <0 on error.
 */
static int odd_row(trustreg_ccm *c, const tr_table *t, uint32_t r, uint32_t id_col, const char *raw)
{
    if (is_footer(raw))
        return 1;
    if (!row_has_answer(c, t, r))
        return raw[0] ? 1 : 0; /* a copyright line after the last question ends the data */
    char ref[16];
    int rc = raw[0] ? tr_ccm_add_issue(c, TRUSTREG_CAIQ_ERROR, "question-id-invalid",
                                       tr_xlsx_ref(r, id_col, ref),
                                       "'%.60s' is not a question ID, but the row has answers", raw)
                    : tr_ccm_add_issue(c, TRUSTREG_CAIQ_ERROR, "question-id-blank",
                                       tr_xlsx_ref(r, id_col, ref),
                                       "a row with answers but no question ID");
    return rc ? rc : 0;
}

static int read_v4_sheet(trustreg_ccm *c, const tr_table *t)
{
    uint32_t cols[10] = {0}, header_end;
    int rc = check_header(c, t, v4_labels, 10, 6, cols, &header_end);
    if (rc)
        return rc;
    uint32_t last = t->n_rows ? t->rows[t->n_rows - 1].r : 0;
    for (uint32_t r = header_end + 1; r <= last; r++) {
        const char *raw = tr_table_get(t, r, cols[0]);
        char *qid = tr_ccm_norm_id(raw);
        if (!qid)
            return tr_error_oom();
        if (!tr_ccm_is_question_id(qid)) {
            free(qid);
            int stop = odd_row(c, t, r, cols[0], raw);
            if (stop < 0)
                return stop;
            if (stop)
                break;
            continue;
        }
        char *ctl = tr_ccm_question_control(qid);
        char *written = cols[6] ? tr_ccm_norm_id(tr_table_get(t, r, cols[6])) : tr_strdup("");
        size_t ci = 0;
        if (!ctl || !written)
            rc = tr_error_oom();
        else if (written[0] && is_control_id(written) && strcmp(written, ctl) != 0) {
            char ref[16];
            rc = tr_ccm_add_issue(c, TRUSTREG_CAIQ_WARNING, "control-mismatch",
                                  tr_xlsx_ref(r, cols[6], ref),
                                  "question %s sits beside control %s", qid, written);
        }
        if (!rc)
            rc = control_index(c, ctl, cols[8] ? tr_table_get(t, r, cols[8]) : "",
                               cols[7] ? tr_table_get(t, r, cols[7]) : "",
                               cols[9] ? tr_table_get(t, r, cols[9]) : "", &ci);
        if (!rc)
            rc = add_question(c, t, r, raw, qid, tr_table_get(t, r, cols[1]), ci);
        free(ctl);
        free(written);
        free(qid);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* ---- CAIQ v3.x questionnaire ---------------------------------------------------------------- */

static const label_spec v3_labels[] = {
    {"Question ID", 3, 2, -1},
    {"Control Domain", 1, 1, -1},
    {"Control ID", 2, 1, -1},
    {"Control Specification", 4, 1, -1},
    {"Consensus Assessment Questions", 5, 1, -1},
    {"Consensus Assessment Answers", 6, 0, -1},
    {"Yes", 6, 1, COL_YES},
    {"No", 7, 1, COL_NO},
    {"Not Applicable", 8, 1, COL_NA},
    {"Notes", 9, 1, COL_NOTES},
};

static int read_v3_mappings(trustreg_ccm *c, const tr_table *t, uint32_t header_end)
{
    /* the block starts at the column labelled "CCM v3.0.1 Compliance Mapping" in row 2 */
    const tr_table_row *r2 = tr_table_row_at(t, 2);
    uint32_t first = 0;
    for (uint32_t i = 0; r2 && i < r2->n && !first; i++)
        if (label_eq(r2->cells[i].text, "CCM v3.0.1 Compliance Mapping"))
            first = r2->cells[i].col;
    if (!first)
        return TRUSTREG_OK;
    const tr_table_row *r3 = tr_table_row_at(t, 3);
    for (uint32_t i = 0; r3 && i < r3->n; i++) {
        uint32_t col = r3->cells[i].col;
        const char *top = tr_table_get(t, 2, col);
        if (col < first || (top[0] && !label_eq(top, "CCM v3.0.1 Compliance Mapping")))
            continue;
        const char *fw = r3->cells[i].text;
        const char *sub = header_end >= 4 ? tr_table_get(t, 4, col) : "";
        for (size_t q = 0; q < c->n_questions; q++) {
            const tr_table_cell *cell = tr_table_cell_at(t, c->questions[q].row, col);
            /* values hidden under a vertical merge are copies of the control's cell (or stale) */
            if (!cell || cell->under || !cell->text[0])
                continue;
            int rc = add_mapping(c, c->controls[c->questions[q].control].id, fw, sub, cell->text,
                                 "", c->sheet, c->questions[q].row, col);
            if (rc)
                return rc;
        }
    }
    return TRUSTREG_OK;
}

static int read_v3_sheet(trustreg_ccm *c, const tr_table *t)
{
    uint32_t cols[10] = {0}, header_end;
    int rc = check_header(c, t, v3_labels, 10, 6, cols, &header_end);
    if (rc)
        return rc;
    uint32_t last = t->n_rows ? t->rows[t->n_rows - 1].r : 0;
    for (uint32_t r = header_end + 1; r <= last; r++) {
        const tr_table_cell *idc = tr_table_cell_at(t, r, cols[0]);
        /* a footer merged across A:D reads as its text in the ID column: under a merge */
        const char *raw = idc && !idc->under ? idc->text : "";
        char *qid = tr_ccm_norm_id(raw);
        if (!qid)
            return tr_error_oom();
        if (!tr_ccm_is_question_id(qid)) {
            free(qid);
            if (!raw[0] && !row_has_answer(c, t, r))
                continue; /* empty rows before the copyright line */
            int stop = odd_row(c, t, r, cols[0], raw);
            if (stop < 0)
                return stop;
            if (stop)
                break;
            continue;
        }
        /* column A: "<domain name>\n<control title>" (written once, merged down) */
        const char *a = cols[1] ? tr_table_get(t, r, cols[1]) : "";
        const char *nl = strchr(a, '\n');
        char *dom = nl ? strndup(a, (size_t)(nl - a)) : tr_strdup(a);
        char *ctl = tr_ccm_question_control(qid);
        size_t ci = 0;
        if (!dom || !ctl)
            rc = tr_error_oom();
        else
            rc = control_index(c, ctl, nl ? nl + 1 : "", cols[3] ? tr_table_get(t, r, cols[3]) : "",
                               dom, &ci);
        if (!rc)
            rc = add_question(c, t, r, raw, qid, cols[4] ? tr_table_get(t, r, cols[4]) : "", ci);
        free(dom);
        free(ctl);
        free(qid);
        if (rc)
            return rc;
    }
    return read_v3_mappings(c, t, header_end);
}

/* ---- CCM v4 matrix -------------------------------------------------------------------------- */

/* "Domain Name - ABBR" (or "Domain Name-ABBR"): split into title and abbreviation. */
static int split_banner(const char *s, char **title, char **abbr)
{
    char *n = tr_ccm_norm_label(s);
    if (!n)
        return tr_error_oom();
    char *dash = strrchr(n, '-');
    *title = *abbr = NULL;
    if (dash) {
        char *a = tr_ccm_norm_id(dash + 1);
        if (a && a[0] && strlen(a) <= 8) {
            int ok = 1;
            for (char *p = a; *p; p++)
                if (!isupper((unsigned char)*p) && *p != '&')
                    ok = 0;
            if (ok) {
                *dash = '\0';
                *title = tr_ccm_norm_label(n);
                *abbr = a;
                free(n);
                return TRUSTREG_OK;
            }
        }
        free(a);
    }
    free(n);
    return TRUSTREG_OK;
}

static int read_matrix_controls(trustreg_ccm *c, const tr_table *t)
{
    static const char *const props[] = {"CCM Lite", "IaaS", "PaaS", "SaaS"};
    uint32_t hdr = 0;
    uint32_t col_id = find_label(t, "Control ID", 6, 3, &hdr);
    uint32_t col_title = find_label(t, "Control Title", 6, 2, &hdr);
    uint32_t col_spec = find_label(t, "Control Specification", 6, 4, &hdr);
    if (!col_id || !col_title || !col_spec)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: sheet 'CCM': the header row has no 'Control ID', 'Control Title' or "
                        "'Control Specification'",
                        c->source);
    uint32_t pcols[4];
    for (int k = 0; k < 4; k++) {
        uint32_t r0;
        pcols[k] = find_label(t, props[k], 6, 0, &r0);
    }
    uint32_t last = t->n_rows ? t->rows[t->n_rows - 1].r : 0;
    char *dom_title = NULL;
    int rc = TRUSTREG_OK;
    for (uint32_t r = hdr + 1; r <= last && !rc; r++) {
        const char *a = tr_table_get(t, r, 1);
        const tr_table_cell *idc = tr_table_cell_at(t, r, col_id);
        if (is_footer(a))
            break;
        if (!idc || idc->under) { /* a banner row, merged across A:E */
            char *title = NULL, *abbr = NULL;
            if ((rc = split_banner(a, &title, &abbr)))
                break;
            if (abbr) {
                free(dom_title);
                dom_title = title;
                size_t d;
                rc = domain_index(c, abbr, title, &d);
                free(abbr);
            } else {
                free(title);
            }
            continue;
        }
        char *id = tr_ccm_norm_id(idc->text);
        if (!id)
            return tr_error_oom();
        if (!is_control_id(id)) {
            free(id);
            continue;
        }
        size_t ci;
        rc = control_index(c, id, tr_table_get(t, r, col_title), tr_table_get(t, r, col_spec),
                           dom_title ? dom_title : "", &ci);
        for (int k = 0; !rc && k < 4; k++)
            if (pcols[k]) {
                free(c->controls[ci].props[k]);
                c->controls[ci].props[k] = tr_ccm_norm_label(tr_table_get(t, r, pcols[k]));
            }
        free(id);
    }
    free(dom_title);
    return rc;
}

static int read_matrix_questions(trustreg_ccm *c, const tr_table *t)
{
    uint32_t hdr = 0;
    uint32_t col_q = find_label(t, "Question ID", 6, 5, &hdr);
    uint32_t col_text = find_label(t, "Consensus Assessments Question", 6, 6, &hdr);
    if (!col_q)
        return tr_error(TRUSTREG_EINPUT, "%s: sheet 'CAIQ': no 'Question ID' column", c->source);
    uint32_t last = t->n_rows ? t->rows[t->n_rows - 1].r : 0;
    for (uint32_t r = hdr + 1; r <= last; r++) {
        const tr_table_cell *idc = tr_table_cell_at(t, r, col_q);
        if (!idc || idc->under)
            continue;
        char *qid = tr_ccm_norm_id(idc->text);
        if (!qid)
            return tr_error_oom();
        int rc = TRUSTREG_OK;
        if (tr_ccm_is_question_id(qid)) {
            char *ctl = tr_ccm_question_control(qid);
            size_t ci = ctl ? control_find(c, ctl, NULL) : (size_t)-1;
            int found = ci != (size_t)-1;
            char ref[16];
            if (!ctl)
                rc = tr_error_oom();
            else if (!found)
                rc = tr_error(TRUSTREG_EINPUT,
                              "%s: sheet 'CAIQ' cell %s: question %s of a control "
                              "not in the 'CCM' sheet",
                              c->source, tr_xlsx_ref(r, col_q, ref), qid);
            else
                rc = add_question(c, t, r, idc->text, qid,
                                  col_text ? tr_table_get(t, r, col_text) : "", ci);
            free(ctl);
        }
        free(qid);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

static int read_matrix_mappings(trustreg_ccm *c, const tr_table *t, const char *sheet)
{
    uint32_t hdr = 0;
    uint32_t col_id = find_label(t, "Control ID", 6, 3, &hdr);
    if (!col_id)
        return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s': no 'Control ID' column", c->source,
                        sheet);
    const tr_table_row *sub = tr_table_row_at(t, hdr);
    uint32_t last = t->n_rows ? t->rows[t->n_rows - 1].r : 0;
    /* the "Control Mapping" columns, each with its framework (merged over three columns above) */
    uint32_t cols[256], gaps[256];
    size_t n = 0;
    for (uint32_t i = 0; sub && i < sub->n && n < 256; i++) {
        uint32_t col = sub->cells[i].col;
        if (col <= col_id + 1 || !label_eq(sub->cells[i].text, "Control Mapping"))
            continue;
        gaps[n] = label_eq(tr_table_get(t, hdr, col + 1), "Gap Level") ? col + 1 : 0;
        cols[n++] = col;
    }
    /* row by row, so that the cells come in workbook order, control by control */
    for (uint32_t r = hdr + 1; r <= last; r++) {
        const tr_table_cell *idc = tr_table_cell_at(t, r, col_id);
        if (!idc || idc->under)
            continue;
        char *id = tr_ccm_norm_id(idc->text);
        if (!id)
            return tr_error_oom();
        int rc = TRUSTREG_OK;
        for (size_t k = 0; !rc && k < n && is_control_id(id); k++) {
            const tr_table_cell *cell = tr_table_cell_at(t, r, cols[k]);
            if (!cell || cell->under || !cell->text[0])
                continue;
            rc =
                add_mapping(c, id, tr_table_get(t, hdr - 1, cols[k]), "Control Mapping", cell->text,
                            gaps[k] ? tr_table_get(t, r, gaps[k]) : "", sheet, r, cols[k]);
        }
        free(id);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* ---- entry points --------------------------------------------------------------------------- */

static char *version_after(const char *s, const char *prefix)
{
    char *n = tr_ccm_norm_id(s);
    if (!n)
        return NULL;
    const char *v = n;
    if (strncasecmp(v, prefix, strlen(prefix)) == 0)
        v += strlen(prefix);
    if (*v == 'v' || *v == 'V')
        v++;
    char *r = strndup(v, strcspn(v, "+"));
    free(n);
    return r;
}

static int load_sheet(tr_xlsx *x, const char *name, tr_table **t)
{
    int i = tr_xlsx_sheet_find(x, name);
    if (i < 0)
        return tr_error(TRUSTREG_EINPUT, "%s: missing sheet '%s'", tr_xlsx_source(x), name);
    return tr_xlsx_sheet_table(x, (size_t)i, t);
}

/* The model keeps the tables its question strings point into. */
static void keep(trustreg_ccm *c, tr_table **t)
{
    if (!*t)
        return;
    if (c->n_tables < sizeof c->tables / sizeof c->tables[0])
        c->tables[c->n_tables++] = *t;
    else
        tr_table_free(*t);
    *t = NULL;
}

static int read_xlsx(trustreg_ccm *c, tr_xlsx *x)
{
    tr_table *t = NULL;
    int rc = TRUSTREG_OK;
    int caiq4 = -1, v301 = tr_xlsx_sheet_find(x, "CSA CAIQ v3.0.1"),
        v31 = tr_xlsx_sheet_find(x, "CAIQ v3.1");
    for (size_t i = 0; i < tr_xlsx_sheet_count(x); i++)
        if (strncmp(tr_xlsx_sheet_name(x, i), "CAIQv4", 6) == 0)
            caiq4 = (int)i;
    if (caiq4 >= 0) {
        c->family = TRUSTREG_CCM_V4;
        c->layout = "caiq-v4";
        c->sheet = tr_strdup(tr_xlsx_sheet_name(x, (size_t)caiq4));
        c->caiq_version = tr_strdup(c->sheet + 5);
        c->ccm_version = tr_strdup("4.0");
        if ((rc = tr_xlsx_sheet_table(x, (size_t)caiq4, &t)))
            return rc;
        rc = read_v4_sheet(c, t);
    } else if (v301 >= 0 || v31 >= 0) {
        int i = v301 >= 0 ? v301 : v31;
        c->family = v301 >= 0 ? TRUSTREG_CCM_V3_0_1 : TRUSTREG_CCM_V3_1;
        c->layout = "caiq-v3";
        c->sheet = tr_strdup(tr_xlsx_sheet_name(x, (size_t)i));
        c->caiq_version = tr_strdup(v301 >= 0 ? "3.0.1" : "3.1");
        c->ccm_version = tr_strdup("3.0.1");
        if ((rc = tr_xlsx_sheet_table(x, (size_t)i, &t)))
            return rc;
        rc = read_v3_sheet(c, t);
    } else if (tr_xlsx_sheet_find(x, "CCM") >= 0) {
        c->family = TRUSTREG_CCM_V4;
        c->layout = "ccm-v4-matrix";
        c->sheet = tr_strdup("CCM");
        if ((rc = load_sheet(x, "CCM", &t)))
            return rc;
        c->ccm_version = version_after(tr_table_get(t, 1, 1), "");
        rc = read_matrix_controls(c, t);
        tr_table_free(t);
        t = NULL;
        if (!rc && !(rc = load_sheet(x, "CAIQ", &t))) {
            c->caiq_version = version_after(tr_table_get(t, 1, 1), "");
            rc = read_matrix_questions(c, t);
            keep(c, &t);
        }
        const char *ms = "Scope Applicability (Mappings)";
        if (!rc && tr_xlsx_sheet_find(x, ms) >= 0 && !(rc = load_sheet(x, ms, &t)))
            rc = read_matrix_mappings(c, t, ms);
    } else {
        tr_buf names = {0};
        for (size_t i = 0; i < tr_xlsx_sheet_count(x); i++)
            tr_buf_printf(&names, "%s'%s'", i ? ", " : "", tr_xlsx_sheet_name(x, i));
        rc = tr_error(TRUSTREG_EINPUT,
                      "%s: missing sheet: no 'CAIQv4.0.x', 'CSA CAIQ v3.0.1', 'CAIQ v3.1' or 'CCM' "
                      "sheet (found %s)",
                      c->source, names.data ? names.data : "none");
        tr_buf_free(&names);
    }
    keep(c, &t);
    return rc;
}

static int read_csv(trustreg_ccm *c, const char *path, const char *version)
{
    tr_table *t = NULL;
    int rc = tr_csv_table_file(path, &t);
    if (rc)
        return rc;
    c->csv = 1;
    c->sheet = tr_strdup("");
    uint32_t r0;
    if (find_label(t, "CSP CAIQ Answer", 6, 0, &r0) || find_label(t, "CCM Control ID", 6, 0, &r0)) {
        c->family = TRUSTREG_CCM_V4;
        c->layout = "caiq-v4-csv";
        c->caiq_version = tr_strdup(version ? version : "4.0");
        c->ccm_version = tr_strdup("4.0");
        rc = read_v4_sheet(c, t);
    } else if (find_label(t, "Consensus Assessment Questions", 6, 0, &r0)) {
        c->family = trustreg_ccm_family_from_version(version ? version : "");
        c->layout = "caiq-v3-csv";
        if (c->family != TRUSTREG_CCM_V3_0_1 && c->family != TRUSTREG_CCM_V3_1)
            rc = tr_error(TRUSTREG_EINPUT,
                          "%s: a CAIQ v3 CSV export does not say whether it is v3.0.1 or v3.1; "
                          "pass --version 3.0.1 or --version 3.1",
                          path);
        else {
            c->caiq_version = tr_strdup(c->family == TRUSTREG_CCM_V3_0_1 ? "3.0.1" : "3.1");
            c->ccm_version = tr_strdup("3.0.1");
            rc = read_v3_sheet(c, t);
        }
    } else {
        rc = tr_error(TRUSTREG_EINPUT,
                      "%s: neither an xlsx workbook nor a CSV export of a CAIQ questionnaire (no "
                      "'Question ID' with 'CSP CAIQ Answer' or 'Consensus Assessment Questions' "
                      "header in the first rows)",
                      path);
    }
    keep(c, &t);
    return rc;
}

const char *trustreg_ccm_family_name(trustreg_ccm_family f)
{
    switch (f) {
    case TRUSTREG_CCM_V4:
        return "v4";
    case TRUSTREG_CCM_V3_0_1:
        return "v3.0.1";
    case TRUSTREG_CCM_V3_1:
        return "v3.1";
    default:
        return NULL;
    }
}

trustreg_ccm_family trustreg_ccm_family_from_version(const char *v)
{
    if (!v)
        return TRUSTREG_CCM_FAMILY_UNKNOWN;
    if (*v == 'v' || *v == 'V')
        v++;
    if (strcmp(v, "3.0.1") == 0)
        return TRUSTREG_CCM_V3_0_1;
    if (strcmp(v, "3.1") == 0 || strncmp(v, "3.1.", 4) == 0)
        return TRUSTREG_CCM_V3_1;
    if (strcmp(v, "4") == 0 || strncmp(v, "4.", 2) == 0)
        return TRUSTREG_CCM_V4;
    return TRUSTREG_CCM_FAMILY_UNKNOWN;
}

int trustreg_ccm_read(trustreg_ccm **out, const char *path, const char *version)
{
    *out = NULL;
    if (!path)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_ccm_read: no path");
    if (version && !trustreg_ccm_family_from_version(version))
        return tr_error(TRUSTREG_EUSAGE,
                        "unknown CCM/CAIQ version '%s' (expected 4, 4.0.x, 3.0.1 or 3.1)", version);
    trustreg_ccm *c = calloc(1, sizeof *c);
    if (!c || !(c->source = tr_strdup(path))) {
        free(c);
        return tr_error_oom();
    }
    /* xlsx by content: a zip archive starts with "PK" */
    unsigned char magic[2] = {0, 0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        trustreg_ccm_free(c);
        return tr_error(TRUSTREG_ENOTFOUND, "%s: no such file", path);
    }
    size_t got = fread(magic, 1, 2, f);
    fclose(f);
    int rc;
    if (got == 2 && magic[0] == 'P' && magic[1] == 'K') {
        tr_xlsx *x = NULL;
        rc = tr_xlsx_open(&x, path);
        if (!rc)
            rc = read_xlsx(c, x);
        tr_xlsx_close(x);
    } else {
        rc = read_csv(c, path, version);
    }
    if (!rc && (!c->sheet || !c->caiq_version || !c->ccm_version))
        rc = tr_error_oom();
    if (!rc && version && trustreg_ccm_family_from_version(version) != c->family)
        rc = tr_error(TRUSTREG_EINPUT, "%s: this is a CAIQ %s workbook, not version %s", path,
                      trustreg_ccm_family_name(c->family), version);
    if (!rc && c->n_questions == 0 && c->n_controls == 0)
        rc = tr_error(TRUSTREG_EINPUT, "%s: sheet '%s': no controls or questions found", path,
                      c->sheet);
    if (rc) {
        trustreg_ccm_free(c);
        return rc;
    }
    *out = c;
    return TRUSTREG_OK;
}

void trustreg_ccm_free(trustreg_ccm *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_domains; i++) {
        free(c->domains[i].abbr);
        free(c->domains[i].title);
    }
    for (size_t i = 0; i < c->n_controls; i++) {
        free(c->controls[i].id);
        free(c->controls[i].title);
        free(c->controls[i].spec);
        for (int k = 0; k < 8; k++)
            free(c->controls[i].props[k]);
    }
    for (size_t i = 0; i < c->n_questions; i++) {
        tr_ccm_question *q = &c->questions[i];
        free(q->id);
    }
    for (size_t i = 0; i < c->n_tables; i++)
        tr_table_free(c->tables[i]);
    for (size_t i = 0; i < c->n_mappings; i++) {
        trustreg_ccm_mapping *m = &c->mappings[i];
        free((char *)m->control_id);
        free((char *)m->framework);
        free((char *)m->column);
        free((char *)m->text);
        free((char *)m->gap_level);
        free((char *)m->sheet);
        free((char *)m->cell);
    }
    for (size_t i = 0; i < c->n_issues; i++) {
        free(c->issues[i].code);
        free(c->issues[i].cell);
        free(c->issues[i].message);
    }
    free(c->domains);
    free(c->ctl_hash);
    free(c->controls);
    free(c->questions);
    free(c->mappings);
    free(c->issues);
    free(c->ccm_version);
    free(c->caiq_version);
    free(c->source);
    free(c->sheet);
    free(c);
}

void trustreg_ccm_info_get(const trustreg_ccm *c, trustreg_ccm_info *info)
{
    info->family = c->family;
    info->layout = c->layout;
    info->ccm_version = c->ccm_version;
    info->caiq_version = c->caiq_version;
    info->source = c->source;
    info->sheet = c->sheet;
    info->domains = c->n_domains;
    info->controls = c->n_controls;
    info->questions = c->n_questions;
    info->mappings = c->n_mappings;
}

size_t trustreg_ccm_mapping_count(const trustreg_ccm *c)
{
    return c->n_mappings;
}

const trustreg_ccm_mapping *trustreg_ccm_mapping_at(const trustreg_ccm *c, size_t i)
{
    return i < c->n_mappings ? &c->mappings[i] : NULL;
}
