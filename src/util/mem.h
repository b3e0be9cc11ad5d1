/*
 * util/mem.h - small allocation and string helpers used across the library.
 * Allocation failures are reported through the error record (tr_error_oom) by the callers.
 */
#ifndef TR_UTIL_MEM_H
#define TR_UTIL_MEM_H

#include <stddef.h>

/* strdup that accepts NULL (returns a copy of "") */
char *tr_strdup(const char *s);

/* A growable byte/text buffer; always NUL-terminated once anything was appended. */
typedef struct tr_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* an allocation failed; further appends are ignored */
} tr_buf;

void tr_buf_append(tr_buf *b, const char *s, size_t n);
void tr_buf_puts(tr_buf *b, const char *s);
void tr_buf_printf(tr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Detach the contents (caller frees); returns "" copy when empty, NULL on failure. */
char *tr_buf_steal(tr_buf *b);
void tr_buf_free(tr_buf *b);

#endif
