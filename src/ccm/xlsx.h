/*
 * ccm/xlsx.h - a streaming, bounded reader of .xlsx workbooks (libzip + libxml2 xmlTextReader).
 *
 * What a raw OOXML reader meets in real CSA workbooks is handled here once: shared strings
 * (rich-text runs concatenated, phonetic runs skipped), inline strings, numbers, booleans,
 * errors, cell references to row/column, rows without references, merged ranges in both
 * spellings ("I5:I5" and "I5"), a missing sharedStrings part, absolute or relative part names.
 *
 * Untrusted input is bounded: every part's uncompressed size and compression ratio are capped
 * (zip bombs), bytes actually inflated are counted (lying headers), shared strings are capped
 * in number and bytes, a DTD is refused outright (no entity expansion, no external loading,
 * XML_PARSE_NONET), and a sheet loaded as a table is capped in cells. Every error names the
 * file, the part or sheet, and the cell when there is one.
 */
#ifndef TR_CCM_XLSX_H
#define TR_CCM_XLSX_H

#include <stddef.h>
#include <stdint.h>

#define TR_XLSX_MAX_PART (256u * 1024u * 1024u) /* largest uncompressed part */
#define TR_XLSX_MAX_RATIO 400u                  /* largest uncompressed/compressed ratio */
#define TR_XLSX_RATIO_FREE (4u * 1024u * 1024u) /* parts this small skip the ratio check */
#define TR_XLSX_MAX_STRINGS 2000000u            /* shared strings */
#define TR_XLSX_MAX_STRING_BYTES (128u * 1024u * 1024u)
#define TR_XLSX_MAX_CELLS 20000000u /* cells of one sheet kept in a table */
#define TR_XLSX_MAX_SHEETS 1024u
#define TR_XLSX_MAX_ROW 1048576u
#define TR_XLSX_MAX_COL 16384u

typedef struct tr_xlsx tr_xlsx;

typedef enum tr_xlsx_type {
    TR_XLSX_EMPTY = 0, /* styled cell with no value */
    TR_XLSX_STRING,    /* shared, inline or formula string */
    TR_XLSX_NUMBER,    /* text holds the number as written */
    TR_XLSX_BOOL,      /* text "TRUE"/"FALSE", num 1/0 */
    TR_XLSX_ERROR,     /* text "#REF!" etc. */
} tr_xlsx_type;

/* One cell as streamed: row and col are 1-based; text is valid until the callback returns. */
typedef struct tr_xlsx_cell {
    uint32_t row, col;
    tr_xlsx_type type;
    const char *text;
    size_t len;
    double num;
} tr_xlsx_cell;

/* A merged range, 1-based and inclusive. */
typedef struct tr_xlsx_merge {
    uint32_t r1, c1, r2, c2;
} tr_xlsx_merge;

/* Open a workbook from a file or from memory (the bytes must outlive the reader). */
int tr_xlsx_open(tr_xlsx **out, const char *path);
int tr_xlsx_open_mem(tr_xlsx **out, const void *bytes, size_t len, const char *source);
void tr_xlsx_close(tr_xlsx *x);

const char *tr_xlsx_source(const tr_xlsx *x);
size_t tr_xlsx_sheet_count(const tr_xlsx *x);
const char *tr_xlsx_sheet_name(const tr_xlsx *x, size_t i);
/* Index of the sheet with this exact name, or -1. */
int tr_xlsx_sheet_find(const tr_xlsx *x, const char *name);

/*
 * Stream the cells of sheet i in document order, one callback per cell that has a value or a
 * style (EMPTY). A non-zero return of the callback stops the read and is returned. Merged ranges
 * (which follow the cells in the XML) are collected and available afterwards.
 */
typedef int (*tr_xlsx_cell_fn)(void *ctx, const tr_xlsx_cell *cell);
int tr_xlsx_sheet_stream(tr_xlsx *x, size_t i, tr_xlsx_cell_fn fn, void *ctx);
const tr_xlsx_merge *tr_xlsx_merges(const tr_xlsx *x, size_t *n);

/* "A1"-style reference of row/col into buf (at least 16 bytes); returns buf. */
char *tr_xlsx_ref(uint32_t row, uint32_t col, char *buf);
/* Parse "AB12" (a leading '$' per part allowed); 0 on success. */
int tr_xlsx_parse_ref(const char *s, size_t n, uint32_t *row, uint32_t *col);
/* Column letters of col (1-based) into buf (at least 8 bytes); returns buf. */
char *tr_xlsx_col_name(uint32_t col, char *buf);

/* ---- a sheet held in memory: rows of cells, merges applied --------------------------------- */

typedef struct tr_table_cell {
    uint32_t col;
    uint8_t type;  /* tr_xlsx_type */
    uint8_t under; /* 1: value copied from a merge's top-left cell */
    const char *text;
} tr_table_cell;

typedef struct tr_table_row {
    uint32_t r;
    uint32_t n;
    tr_table_cell *cells; /* sorted by col */
} tr_table_row;

typedef struct tr_table {
    char *source;       /* file name */
    char *sheet;        /* sheet name ("" for CSV) */
    tr_table_row *rows; /* sorted by r */
    size_t n_rows;
    tr_xlsx_merge *merges;
    size_t n_merges;
    struct tr_arena *arena;
} tr_table;

/*
 * Load sheet i as a table. Cells inside a merged range take the value of its top-left cell
 * (so values hidden under a merge - stale IDs in CAIQ v3 - never leak through), and are marked
 * `under`. Empty cells are dropped.
 */
int tr_xlsx_sheet_table(tr_xlsx *x, size_t i, tr_table **out);

/* Load CSV (RFC 4180, libcsv strict mode) as a one-sheet table; rows are line-based records. */
int tr_csv_table_mem(const void *bytes, size_t len, const char *source, tr_table **out);
int tr_csv_table_file(const char *path, tr_table **out);

/*
 * Stream CSV records: fields are NUL-terminated and valid during the callback; line is the
 * 1-based line where the record starts. A non-zero return stops the read.
 */
typedef int (*tr_csv_record_fn)(void *ctx, size_t line, const char *const *fields,
                                const size_t *lens, size_t n);
int tr_csv_read_mem(const void *bytes, size_t len, const char *source, tr_csv_record_fn fn,
                    void *ctx);

void tr_table_free(tr_table *t);
/* The text of a cell ("" when absent). */
const char *tr_table_get(const tr_table *t, uint32_t row, uint32_t col);
const tr_table_row *tr_table_row_at(const tr_table *t, uint32_t row);
/* The cell at (row, col), NULL when empty. */
const tr_table_cell *tr_table_cell_at(const tr_table *t, uint32_t row, uint32_t col);
/* 1 when (row, col) lies inside a merged range but is not its top-left cell. */
int tr_table_is_under_merge(const tr_table *t, uint32_t row, uint32_t col);

#endif
