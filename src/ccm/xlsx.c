/*
 * ccm/xlsx.c - the zip and XML side of the .xlsx reader: opening the archive with bounds against
 * zip bombs, streaming parts through xmlTextReader with DTDs refused, the workbook's sheet list,
 * shared strings, and the cell stream of a sheet. Tables built on top live in xlsx_table.c.
 */
#include "ccm/xlsx.h"
#include "util/error.h"
#include "util/mem.h"

#include <libxml/xmlreader.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_CELL_TEXT (1u << 20) /* Excel's own limit is 32767 characters */
#define MAX_MERGES 1000000u

typedef struct sheet_info {
    char *name;
    char *part; /* "xl/worksheets/sheet1.xml" */
} sheet_info;

struct tr_xlsx {
    char *source;
    zip_t *zip;
    sheet_info *sheets;
    size_t n_sheets;
    /* shared strings: offsets into one buffer */
    char *sst;
    size_t sst_len, sst_cap;
    size_t *sst_off;
    uint32_t *sst_n;
    size_t n_sst, cap_sst;
    tr_xlsx_merge *merges;
    size_t n_merges, cap_merges;
};

/* ---- reading one part of the archive -------------------------------------------------------- */

typedef struct part_reader {
    tr_xlsx *x;
    const char *part;
    zip_file_t *zf;
    uint64_t declared, done;
    int failed; /* an error was recorded by the read callback */
    char xml_error[512];
    int xml_line;
    char tail[8]; /* last bytes of the previous read (DOCTYPE detection) */
    size_t tail_n;
} part_reader;

static int has_doctype(const char *buf, size_t n)
{
    for (size_t i = 0; i + 9 <= n; i++)
        if (buf[i] == '<' && memcmp(buf + i, "<!DOCTYPE", 9) == 0)
            return 1;
    return 0;
}

static int io_read(void *ctx, char *buf, int len)
{
    part_reader *p = ctx;
    zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        zip_error_t *ze = zip_file_get_error(p->zf);
        tr_error(TRUSTREG_EINPUT, "%s: %s: cannot inflate: %s (truncated or damaged archive?)",
                 p->x->source, p->part, zip_error_strerror(ze));
        p->failed = 1;
        return -1;
    }
    int doctype = 0;
    if (p->done < 65536 && n > 0) {
        /* the prolog, where a DOCTYPE would be; also across the boundary of two reads */
        char joint[16];
        size_t k = (size_t)n < 8 ? (size_t)n : 8;
        memcpy(joint, p->tail, p->tail_n);
        memcpy(joint + p->tail_n, buf, k);
        doctype = has_doctype(joint, p->tail_n + k) || has_doctype(buf, (size_t)n);
        k = (size_t)n < 8 ? (size_t)n : 8;
        memcpy(p->tail, buf + n - (zip_int64_t)k, k);
        p->tail_n = k;
    }
    if (doctype) {
        /* refused before libxml2 sees it: no DTD, so no entity can ever be declared */
        tr_error(TRUSTREG_EINPUT,
                 "%s: %s: a DTD is not allowed in a workbook part (entity expansion attack?)",
                 p->x->source, p->part);
        p->failed = 1;
        return -1;
    }
    p->done += (uint64_t)n;
    if (p->done > p->declared || p->done > TR_XLSX_MAX_PART) {
        tr_error(TRUSTREG_EINPUT, "%s: %s: inflates past its declared size (zip bomb?)",
                 p->x->source, p->part);
        p->failed = 1;
        return -1;
    }
    return (int)n;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void xml_error_cb(void *arg, const char *msg, xmlParserSeverities severity,
                         xmlTextReaderLocatorPtr loc)
{
    part_reader *p = arg;
    if (p->xml_error[0] ||
        (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR))
        return;
    snprintf(p->xml_error, sizeof p->xml_error, "%s", msg ? msg : "XML error");
    size_t n = strlen(p->xml_error);
    while (n && (p->xml_error[n - 1] == '\n' || p->xml_error[n - 1] == ' '))
        p->xml_error[--n] = '\0';
    p->xml_line = xmlTextReaderLocatorLineNumber(loc);
}

static int part_open(tr_xlsx *x, const char *part, part_reader *p, xmlTextReaderPtr *reader,
                     int required)
{
    memset(p, 0, sizeof *p);
    p->x = x;
    p->part = part;
    *reader = NULL;
    zip_int64_t idx = zip_name_locate(x->zip, part, 0);
    if (idx < 0) {
        if (!required)
            return TRUSTREG_ENOTFOUND;
        return tr_error(TRUSTREG_EINPUT, "%s: not an xlsx workbook: part %s is missing", x->source,
                        part);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE))
        return tr_error(TRUSTREG_EINPUT, "%s: %s: cannot read its zip entry", x->source, part);
    if (st.size > TR_XLSX_MAX_PART)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: %s: uncompressed size %llu exceeds the limit of %u bytes (zip bomb?)",
                        x->source, part, (unsigned long long)st.size, TR_XLSX_MAX_PART);
    if (st.size > TR_XLSX_RATIO_FREE &&
        st.size / (st.comp_size ? st.comp_size : 1) > TR_XLSX_MAX_RATIO)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: %s: compression ratio %llu:1 exceeds %u:1 (zip bomb?)", x->source,
                        part, (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
                        TR_XLSX_MAX_RATIO);
    p->declared = st.size;
    p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!p->zf)
        return tr_error(TRUSTREG_EINPUT, "%s: %s: cannot open: %s", x->source, part,
                        zip_strerror(x->zip));
    *reader = xmlReaderForIO(io_read, io_close, p, part, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!*reader) {
        zip_fclose(p->zf);
        p->zf = NULL;
        return tr_error_oom();
    }
    xmlTextReaderSetErrorHandler(*reader, xml_error_cb, p);
    return TRUSTREG_OK;
}

static void part_close(part_reader *p, xmlTextReaderPtr reader)
{
    if (reader)
        xmlFreeTextReader(reader);
    if (p->zf)
        zip_fclose(p->zf);
    p->zf = NULL;
}

/*
 * Next node of a part. Returns 1 with a node, 0 at the end, or an error code. A DTD is refused:
 * OOXML parts never have one, and refusing it is the simplest defence against entity expansion.
 */
static int part_next(part_reader *p, xmlTextReaderPtr r, const char *what)
{
    int rc = xmlTextReaderRead(r);
    if (rc == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE)
            return tr_error(TRUSTREG_EINPUT,
                            "%s: %s (%s): a DTD is not allowed in a workbook part (entity "
                            "expansion attack?)",
                            p->x->source, p->part, what);
        return 1;
    }
    if (rc == 0)
        return 0;
    if (p->failed)
        return TRUSTREG_EINPUT;
    if (p->xml_error[0] && p->xml_line > 0)
        return tr_error(TRUSTREG_EINPUT, "%s: %s (%s) line %d: malformed XML: %s", p->x->source,
                        p->part, what, p->xml_line, p->xml_error);
    if (p->xml_error[0])
        return tr_error(TRUSTREG_EINPUT, "%s: %s (%s): malformed XML: %s", p->x->source, p->part,
                        what, p->xml_error);
    return tr_error(TRUSTREG_EINPUT, "%s: %s (%s): malformed XML", p->x->source, p->part, what);
}

static const char *lname(xmlTextReaderPtr r)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n ? (const char *)n : "";
}

static int is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

/* ---- cell references -------------------------------------------------------------------- */

char *tr_xlsx_col_name(uint32_t col, char *buf)
{
    char tmp[8];
    int n = 0;
    while (col > 0 && n < 7) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *tr_xlsx_ref(uint32_t row, uint32_t col, char *buf)
{
    char c[8];
    snprintf(buf, 16, "%s%u", tr_xlsx_col_name(col, c), (unsigned)row);
    return buf;
}

int tr_xlsx_parse_ref(const char *s, size_t n, uint32_t *row, uint32_t *col)
{
    size_t i = 0;
    uint32_t c = 0, r = 0;
    if (i < n && s[i] == '$')
        i++;
    size_t start = i;
    while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
        c = c * 26 + (uint32_t)((s[i] | 0x20) - 'a' + 1);
        if (c > TR_XLSX_MAX_COL)
            return -1;
        i++;
    }
    if (i == start)
        return -1;
    if (i < n && s[i] == '$')
        i++;
    start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        r = r * 10 + (uint32_t)(s[i] - '0');
        if (r > TR_XLSX_MAX_ROW)
            return -1;
        i++;
    }
    if (i == start || i != n || r == 0)
        return -1;
    *row = r;
    *col = c;
    return 0;
}

/* ---- workbook: sheet names and parts ------------------------------------------------------ */

typedef struct rel {
    char *id, *target, *type;
} rel;

static void rels_free(rel *rels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rels[i].id);
        free(rels[i].target);
        free(rels[i].type);
    }
    free(rels);
}

static int read_rels(tr_xlsx *x, rel **out, size_t *n_out)
{
    part_reader p;
    xmlTextReaderPtr r;
    *out = NULL;
    *n_out = 0;
    int rc = part_open(x, "xl/_rels/workbook.xml.rels", &p, &r, 1);
    if (rc)
        return rc;
    rel *rels = NULL;
    size_t n = 0, cap = 0;
    while ((rc = part_next(&p, r, "relationships")) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            strcmp(lname(r), "Relationship") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            if (cap > 4 * TR_XLSX_MAX_SHEETS) {
                rc = tr_error(TRUSTREG_EINPUT, "%s: too many workbook relationships", x->source);
                break;
            }
            rel *nr = realloc(rels, cap * sizeof *nr);
            if (!nr) {
                rc = tr_error_oom();
                break;
            }
            rels = nr;
        }
        rel *e = &rels[n++];
        memset(e, 0, sizeof *e);
        while (xmlTextReaderMoveToNextAttribute(r) == 1) {
            const char *an = lname(r), *av = (const char *)xmlTextReaderConstValue(r);
            if (strcmp(an, "Id") == 0)
                e->id = tr_strdup(av);
            else if (strcmp(an, "Target") == 0)
                e->target = tr_strdup(av);
            else if (strcmp(an, "Type") == 0)
                e->type = tr_strdup(av);
        }
    }
    part_close(&p, r);
    if (rc < 0) {
        rels_free(rels, n);
        return rc;
    }
    *out = rels;
    *n_out = n;
    return TRUSTREG_OK;
}

static char *resolve_target(const char *target)
{
    tr_buf b = {0};
    if (target[0] == '/')
        tr_buf_puts(&b, target + 1);
    else {
        tr_buf_puts(&b, "xl/");
        while (strncmp(target, "../", 3) == 0)
            target += 3;
        tr_buf_puts(&b, target);
    }
    return tr_buf_steal(&b);
}

static int read_workbook(tr_xlsx *x, const rel *rels, size_t n_rels)
{
    part_reader p;
    xmlTextReaderPtr r;
    int rc = part_open(x, "xl/workbook.xml", &p, &r, 1);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = part_next(&p, r, "workbook")) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || strcmp(lname(r), "sheet") != 0)
            continue;
        char *name = NULL, *rid = NULL;
        while (xmlTextReaderMoveToNextAttribute(r) == 1) {
            const char *an = lname(r), *av = (const char *)xmlTextReaderConstValue(r);
            const xmlChar *prefix = xmlTextReaderConstPrefix(r);
            if (strcmp(an, "name") == 0 && !prefix)
                name = tr_strdup(av);
            else if (strcmp(an, "id") == 0 && prefix)
                rid = tr_strdup(av);
        }
        const char *target = NULL;
        for (size_t i = 0; rid && i < n_rels; i++)
            if (rels[i].id && rels[i].target && strcmp(rels[i].id, rid) == 0)
                target = rels[i].target;
        free(rid);
        if (!name || !target) {
            free(name);
            rc = tr_error(TRUSTREG_EINPUT, "%s: xl/workbook.xml: a sheet without a name or part",
                          x->source);
            break;
        }
        if (x->n_sheets == cap) {
            cap = cap ? cap * 2 : 8;
            sheet_info *ns = cap > TR_XLSX_MAX_SHEETS ? NULL : realloc(x->sheets, cap * sizeof *ns);
            if (!ns) {
                free(name);
                rc = tr_error(TRUSTREG_EINPUT, "%s: too many sheets", x->source);
                break;
            }
            x->sheets = ns;
        }
        x->sheets[x->n_sheets].name = name;
        x->sheets[x->n_sheets].part = resolve_target(target);
        x->n_sheets++;
    }
    part_close(&p, r);
    return rc < 0 ? rc : TRUSTREG_OK;
}

/* ---- shared strings ------------------------------------------------------------------------ */

static int sst_push(tr_xlsx *x, const char *s, size_t n)
{
    if (x->n_sst >= TR_XLSX_MAX_STRINGS)
        return tr_error(TRUSTREG_EINPUT, "%s: more than %u shared strings", x->source,
                        TR_XLSX_MAX_STRINGS);
    if (x->sst_len + n + 1 > TR_XLSX_MAX_STRING_BYTES)
        return tr_error(TRUSTREG_EINPUT, "%s: shared strings exceed %u bytes", x->source,
                        TR_XLSX_MAX_STRING_BYTES);
    if (x->n_sst == x->cap_sst) {
        size_t cap = x->cap_sst ? x->cap_sst * 2 : 256;
        size_t *no = realloc(x->sst_off, cap * sizeof *no);
        if (!no)
            return tr_error_oom();
        x->sst_off = no;
        uint32_t *nn = realloc(x->sst_n, cap * sizeof *nn);
        if (!nn)
            return tr_error_oom();
        x->sst_n = nn;
        x->cap_sst = cap;
    }
    if (x->sst_len + n + 1 > x->sst_cap) {
        size_t cap = x->sst_cap ? x->sst_cap : 4096;
        while (cap < x->sst_len + n + 1)
            cap *= 2;
        char *ns = realloc(x->sst, cap);
        if (!ns)
            return tr_error_oom();
        x->sst = ns;
        x->sst_cap = cap;
    }
    memcpy(x->sst + x->sst_len, s, n);
    x->sst[x->sst_len + n] = '\0';
    x->sst_off[x->n_sst] = x->sst_len;
    x->sst_n[x->n_sst] = (uint32_t)n;
    x->n_sst++;
    x->sst_len += n + 1;
    return TRUSTREG_OK;
}

/*
 * Text of a string item (<si> or <is>): every <t> directly in it or in a rich-text run <r>,
 * concatenated; phonetic runs (<rPh>) are left out. Called on the start element; reads to its end.
 */
static int read_string_item(part_reader *p, xmlTextReaderPtr r, tr_buf *out, const char *what)
{
    out->len = 0;
    if (out->data)
        out->data[0] = '\0';
    if (xmlTextReaderIsEmptyElement(r))
        return TRUSTREG_OK;
    int depth = xmlTextReaderDepth(r);
    int in_t = 0, in_rph = 0, rc;
    while ((rc = part_next(p, r, what)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *n = lname(r);
            if (strcmp(n, "rPh") == 0 && !xmlTextReaderIsEmptyElement(r))
                in_rph++;
            else if (strcmp(n, "t") == 0 && !xmlTextReaderIsEmptyElement(r))
                in_t = 1;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xmlTextReaderDepth(r) == depth)
                return out->failed ? tr_error_oom() : TRUSTREG_OK;
            const char *n = lname(r);
            if (strcmp(n, "rPh") == 0 && in_rph)
                in_rph--;
            else if (strcmp(n, "t") == 0)
                in_t = 0;
        } else if (in_t && !in_rph && is_text_node(type)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            size_t n = v ? strlen(v) : 0;
            if (out->len + n > MAX_CELL_TEXT)
                return tr_error(TRUSTREG_EINPUT, "%s: %s: a string longer than %u bytes",
                                p->x->source, p->part, MAX_CELL_TEXT);
            tr_buf_append(out, v ? v : "", n);
        }
    }
    if (rc == 0)
        return tr_error(TRUSTREG_EINPUT, "%s: %s: truncated string item", p->x->source, p->part);
    return rc;
}

static int read_shared_strings(tr_xlsx *x, const rel *rels, size_t n_rels)
{
    char *part = NULL;
    for (size_t i = 0; i < n_rels; i++) {
        const char *t = rels[i].type;
        size_t tl = t ? strlen(t) : 0;
        if (tl >= 14 && strcmp(t + tl - 14, "/sharedStrings") == 0 && rels[i].target)
            part = resolve_target(rels[i].target);
    }
    part_reader p;
    xmlTextReaderPtr r;
    int rc = part_open(x, part ? part : "xl/sharedStrings.xml", &p, &r, 0);
    if (rc == TRUSTREG_ENOTFOUND) { /* openpyxl writes inline strings only */
        free(part);
        return TRUSTREG_OK;
    }
    if (rc) {
        free(part);
        return rc;
    }
    tr_buf text = {0};
    while ((rc = part_next(&p, r, "shared strings")) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || strcmp(lname(r), "si") != 0)
            continue;
        if ((rc = read_string_item(&p, r, &text, "shared strings")) ||
            (rc = sst_push(x, text.data ? text.data : "", text.len)))
            break;
    }
    tr_buf_free(&text);
    part_close(&p, r);
    free(part);
    return rc < 0 ? rc : TRUSTREG_OK;
}

/* ---- open / close -------------------------------------------------------------------------- */

static int open_common(tr_xlsx *x)
{
    static int inited;
    if (!inited) {
        xmlInitParser();
        inited = 1;
    }
    rel *rels = NULL;
    size_t n_rels = 0;
    int rc = read_rels(x, &rels, &n_rels);
    if (!rc)
        rc = read_workbook(x, rels, n_rels);
    if (!rc)
        rc = read_shared_strings(x, rels, n_rels);
    rels_free(rels, n_rels);
    if (!rc && x->n_sheets == 0)
        rc = tr_error(TRUSTREG_EINPUT, "%s: the workbook has no sheets", x->source);
    return rc;
}

static int zip_fail(const char *source, int zerr)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    int rc;
    if (zerr == ZIP_ER_NOZIP)
        rc = tr_error(TRUSTREG_EINPUT, "%s: not an xlsx workbook (not a zip archive)", source);
    else if (zerr == ZIP_ER_NOENT)
        rc = tr_error(TRUSTREG_ENOTFOUND, "%s: no such file", source);
    else
        rc = tr_error(TRUSTREG_EINPUT, "%s: cannot open as xlsx: %s", source,
                      zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
}

int tr_xlsx_open(tr_xlsx **out, const char *path)
{
    *out = NULL;
    tr_xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->source = tr_strdup(path))) {
        free(x);
        return tr_error_oom();
    }
    int zerr = 0;
    x->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!x->zip) {
        int rc = zip_fail(path, zerr);
        tr_xlsx_close(x);
        return rc;
    }
    int rc = open_common(x);
    if (rc) {
        tr_xlsx_close(x);
        return rc;
    }
    *out = x;
    return TRUSTREG_OK;
}

int tr_xlsx_open_mem(tr_xlsx **out, const void *bytes, size_t len, const char *source)
{
    *out = NULL;
    tr_xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->source = tr_strdup(source))) {
        free(x);
        return tr_error_oom();
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        tr_xlsx_close(x);
        return tr_error_oom();
    }
    x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!x->zip) {
        int zerr = zip_error_code_zip(&ze);
        zip_source_free(src);
        zip_error_fini(&ze);
        int rc = zip_fail(source, zerr);
        tr_xlsx_close(x);
        return rc;
    }
    zip_error_fini(&ze);
    int rc = open_common(x);
    if (rc) {
        tr_xlsx_close(x);
        return rc;
    }
    *out = x;
    return TRUSTREG_OK;
}

void tr_xlsx_close(tr_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    for (size_t i = 0; i < x->n_sheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    free(x->sst);
    free(x->sst_off);
    free(x->sst_n);
    free(x->merges);
    free(x->source);
    free(x);
}

const char *tr_xlsx_source(const tr_xlsx *x)
{
    return x->source;
}

size_t tr_xlsx_sheet_count(const tr_xlsx *x)
{
    return x->n_sheets;
}

const char *tr_xlsx_sheet_name(const tr_xlsx *x, size_t i)
{
    return i < x->n_sheets ? x->sheets[i].name : NULL;
}

int tr_xlsx_sheet_find(const tr_xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->n_sheets; i++)
        if (strcmp(x->sheets[i].name, name) == 0)
            return (int)i;
    return -1;
}

const tr_xlsx_merge *tr_xlsx_merges(const tr_xlsx *x, size_t *n)
{
    *n = x->n_merges;
    return x->merges;
}

/* ---- the cell stream of a sheet ------------------------------------------------------------ */

typedef struct sheet_state {
    tr_xlsx *x;
    part_reader *p;
    xmlTextReaderPtr r;
    const char *sheet;
    tr_buf text;
    uint32_t row, next_col;
} sheet_state;

static int cell_error(sheet_state *s, uint32_t row, uint32_t col, const char *fmt, ...)
    TR_PRINTF(4, 5);

static int cell_error(sheet_state *s, uint32_t row, uint32_t col, const char *fmt, ...)
{
    char msg[512], ref[16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (row && col)
        return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s' cell %s: %s", s->x->source, s->sheet,
                        tr_xlsx_ref(row, col, ref), msg);
    return tr_error(TRUSTREG_EINPUT, "%s: sheet '%s': %s", s->x->source, s->sheet, msg);
}

static int add_merge(sheet_state *s, const char *ref)
{
    tr_xlsx *x = s->x;
    tr_xlsx_merge m;
    const char *colon = strchr(ref, ':');
    size_t n1 = colon ? (size_t)(colon - ref) : strlen(ref);
    if (tr_xlsx_parse_ref(ref, n1, &m.r1, &m.c1) != 0 ||
        (colon ? tr_xlsx_parse_ref(colon + 1, strlen(colon + 1), &m.r2, &m.c2) != 0
               : (m.r2 = m.r1, m.c2 = m.c1, 0)))
        return cell_error(s, 0, 0, "merged range '%.40s' is not a cell range", ref);
    if (m.r2 < m.r1 || m.c2 < m.c1) {
        uint32_t t;
        if (m.r2 < m.r1)
            t = m.r1, m.r1 = m.r2, m.r2 = t;
        if (m.c2 < m.c1)
            t = m.c1, m.c1 = m.c2, m.c2 = t;
    }
    if (x->n_merges == x->cap_merges) {
        size_t cap = x->cap_merges ? x->cap_merges * 2 : 64;
        if (cap > MAX_MERGES)
            return cell_error(s, 0, 0, "more than %u merged ranges", MAX_MERGES);
        tr_xlsx_merge *nm = realloc(x->merges, cap * sizeof *nm);
        if (!nm)
            return tr_error_oom();
        x->merges = nm;
        x->cap_merges = cap;
    }
    x->merges[x->n_merges++] = m;
    return TRUSTREG_OK;
}

/* Read one <c> element (the reader is on its start tag) and hand it to fn. */
static int read_cell(sheet_state *s, tr_xlsx_cell_fn fn, void *ctx)
{
    xmlTextReaderPtr r = s->r;
    int empty = xmlTextReaderIsEmptyElement(r);
    uint32_t row = s->row, col = s->next_col;
    char t = 'n';
    int have_ref = 0;
    while (xmlTextReaderMoveToNextAttribute(r) == 1) {
        const char *an = lname(r);
        const char *av = (const char *)xmlTextReaderConstValue(r);
        if (an[0] == 'r' && an[1] == '\0') {
            if (tr_xlsx_parse_ref(av, strlen(av), &row, &col) != 0)
                return cell_error(s, s->row, s->next_col, "bad cell reference '%.20s'", av);
            have_ref = 1;
        } else if (an[0] == 't' && an[1] == '\0') {
            if (strcmp(av, "s") == 0)
                t = 's';
            else if (strcmp(av, "inlineStr") == 0)
                t = 'i';
            else if (strcmp(av, "str") == 0)
                t = 'f';
            else if (strcmp(av, "b") == 0)
                t = 'b';
            else if (strcmp(av, "e") == 0)
                t = 'e';
            else if (strcmp(av, "n") == 0 || strcmp(av, "d") == 0)
                t = 'n';
            else
                return cell_error(s, row, col, "unknown cell type '%.20s'", av);
        }
    }
    xmlTextReaderMoveToElement(r);
    if (have_ref && s->row && row != s->row)
        return cell_error(s, row, col, "cell outside its row %u", (unsigned)s->row);
    if (!s->row)
        s->row = row;
    s->next_col = col + 1;
    if (col > TR_XLSX_MAX_COL)
        return cell_error(s, row, TR_XLSX_MAX_COL, "column past XFD");
    s->text.len = 0;
    if (s->text.data)
        s->text.data[0] = '\0';
    int have_value = 0, rc;
    if (!empty) {
        int depth = xmlTextReaderDepth(r);
        int in_v = 0;
        while ((rc = part_next(s->p, r, s->sheet)) == 1) {
            int type = xmlTextReaderNodeType(r);
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth)
                break;
            if (type == XML_READER_TYPE_ELEMENT) {
                const char *n = lname(r);
                if (strcmp(n, "v") == 0) {
                    in_v = !xmlTextReaderIsEmptyElement(r);
                    have_value = 1;
                } else if (strcmp(n, "is") == 0) {
                    if ((rc = read_string_item(s->p, r, &s->text, s->sheet)))
                        return rc;
                    have_value = 1;
                }
            } else if (type == XML_READER_TYPE_END_ELEMENT) {
                if (strcmp(lname(r), "v") == 0)
                    in_v = 0;
            } else if (in_v && is_text_node(type)) {
                const char *v = (const char *)xmlTextReaderConstValue(r);
                size_t n = v ? strlen(v) : 0;
                if (s->text.len + n > MAX_CELL_TEXT)
                    return cell_error(s, row, col, "value longer than %u bytes", MAX_CELL_TEXT);
                tr_buf_append(&s->text, v ? v : "", n);
            }
        }
        if (rc == 0)
            return cell_error(s, row, col, "truncated cell");
        if (rc < 0)
            return rc;
        if (s->text.failed)
            return tr_error_oom();
    }
    tr_xlsx_cell cell = {row, col, TR_XLSX_EMPTY, "", 0, 0};
    const char *v = s->text.data ? s->text.data : "";
    if (have_value) {
        switch (t) {
        case 's': {
            char *end;
            unsigned long long i = strtoull(v, &end, 10);
            if (end == v || *end || i >= s->x->n_sst)
                return cell_error(s, row, col,
                                  "shared string index '%.20s' out of range (%zu strings)", v,
                                  s->x->n_sst);
            cell.type = TR_XLSX_STRING;
            cell.text = s->x->sst + s->x->sst_off[i];
            cell.len = s->x->sst_n[i];
            break;
        }
        case 'i':
        case 'f':
        case 'e':
            cell.type = t == 'e' ? TR_XLSX_ERROR : TR_XLSX_STRING;
            cell.text = v;
            cell.len = s->text.len;
            break;
        case 'b':
            cell.type = TR_XLSX_BOOL;
            cell.num = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
            cell.text = cell.num ? "TRUE" : "FALSE";
            cell.len = strlen(cell.text);
            break;
        default: {
            if (!s->text.len)
                break;
            char *end;
            cell.num = strtod(v, &end);
            if (end == v || *end)
                return cell_error(s, row, col, "number cell holds '%.20s'", v);
            cell.type = TR_XLSX_NUMBER;
            cell.text = v;
            cell.len = s->text.len;
        }
        }
    }
    return fn(ctx, &cell);
}

int tr_xlsx_sheet_stream(tr_xlsx *x, size_t i, tr_xlsx_cell_fn fn, void *ctx)
{
    if (i >= x->n_sheets)
        return tr_error(TRUSTREG_EUSAGE, "%s: no sheet number %zu", x->source, i);
    x->n_merges = 0;
    part_reader p;
    xmlTextReaderPtr r;
    int rc = part_open(x, x->sheets[i].part, &p, &r, 1);
    if (rc)
        return rc;
    sheet_state s = {.x = x, .p = &p, .r = r, .sheet = x->sheets[i].name};
    uint32_t last_row = 0;
    while ((rc = part_next(&p, r, s.sheet)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = lname(r);
        if (n[0] == 'c' && n[1] == '\0') {
            if ((rc = read_cell(&s, fn, ctx)))
                break;
        } else if (strcmp(n, "row") == 0) {
            uint32_t row = last_row + 1;
            while (xmlTextReaderMoveToNextAttribute(r) == 1) {
                const char *an = lname(r);
                if (an[0] == 'r' && an[1] == '\0') {
                    const char *av = (const char *)xmlTextReaderConstValue(r);
                    char *end;
                    unsigned long v = strtoul(av, &end, 10);
                    if (end == av || *end || v == 0 || v > TR_XLSX_MAX_ROW) {
                        rc = cell_error(&s, 0, 0, "bad row number '%.20s'", av);
                        break;
                    }
                    row = (uint32_t)v;
                }
            }
            if (rc < 0)
                break;
            rc = 0;
            if (row <= last_row) {
                rc = cell_error(&s, row, 1, "row %u comes after row %u", (unsigned)row,
                                (unsigned)last_row);
                break;
            }
            s.row = last_row = row;
            s.next_col = 1;
        } else if (strcmp(n, "mergeCell") == 0) {
            rc = 0;
            while (xmlTextReaderMoveToNextAttribute(r) == 1)
                if (strcmp(lname(r), "ref") == 0 &&
                    (rc = add_merge(&s, (const char *)xmlTextReaderConstValue(r))))
                    break;
            if (rc)
                break;
        }
    }
    tr_buf_free(&s.text);
    part_close(&p, r);
    return rc;
}
