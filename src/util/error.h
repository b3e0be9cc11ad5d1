/*
 * util/error.h - internal side of the error pattern: how library code records a failure.
 *
 * Each setter formats the message, stores it in the thread-local record read by
 * trustreg_error_last() and returns the code, so failures read as
 *     return tr_error(TRUSTREG_EINPUT, "%s: expected a string", name);
 */
#ifndef TR_UTIL_ERROR_H
#define TR_UTIL_ERROR_H

#include "trustreg/errors.h"

#define TR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Record code with a message. Returns code. */
int tr_error(int code, const char *fmt, ...) TR_PRINTF(2, 3);

/* Record an error at source:line:column ("file.json:3:14: message"). */
int tr_error_at(int code, const char *source, int line, int column, const char *fmt, ...)
    TR_PRINTF(5, 6);

/* Record an error at a JSON pointer ("file.json: /catalog/uuid: message"). */
int tr_error_ptr(int code, const char *source, const char *pointer, const char *fmt, ...)
    TR_PRINTF(4, 5);

/* Out of memory: records and returns TRUSTREG_EINTERNAL. */
int tr_error_oom(void);

/* Prefix the current message with "prefix: " (adds context while unwinding). */
void tr_error_prefix(const char *fmt, ...) TR_PRINTF(1, 2);

#endif
