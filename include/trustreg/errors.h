/*
 * trustreg/errors.h - the one error pattern of libtrustreg.
 *
 * Every function that can fail returns an int: TRUSTREG_OK (0) or a negative TRUSTREG_E* code.
 * On failure the library records what went wrong in a thread-local error that the caller reads
 * with trustreg_error_last(): the code, a message meant for people, and where known the input
 * that was wrong (file name, line:column, or a JSON pointer). The record stays until the next
 * failing call on the same thread or trustreg_error_clear().
 */
#ifndef TRUSTREG_ERRORS_H
#define TRUSTREG_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum trustreg_status {
    TRUSTREG_OK = 0,
    TRUSTREG_EUSAGE = -1,    /* the caller passed invalid arguments or options */
    TRUSTREG_EINPUT = -2,    /* the input is malformed, of the wrong type, or too large */
    TRUSTREG_ENOTFOUND = -3, /* the named file, document, catalog or control does not exist */
    TRUSTREG_ESTORE = -4,    /* the database failed (I/O, locked, corrupt, wrong schema) */
    TRUSTREG_EINTERNAL = -5, /* out of memory or a bug; the message says which */
} trustreg_status;

typedef struct trustreg_error {
    int code;            /* one of trustreg_status */
    const char *message; /* full message, with source and position when known */
    const char *source;  /* file or input name, "" when none */
    int line;            /* 1-based line of the problem in source, 0 when unknown */
    int column;          /* 1-based column, 0 when unknown */
    const char *pointer; /* RFC 6901 JSON pointer into the input, "" when none */
} trustreg_error;

/* The last error recorded on this thread; never NULL (code TRUSTREG_OK when none). */
const trustreg_error *trustreg_error_last(void);

/* Forget the last error of this thread. */
void trustreg_error_clear(void);

/* The short name of a status code ("bad input", "not found", ...). */
const char *trustreg_status_name(int code);

/*
 * The process exit code the trustreg command uses for a status code:
 * 0 ok, 1 usage, 2 bad input, 3 not found, 4 storage or internal error.
 */
int trustreg_status_exit_code(int code);

#ifdef __cplusplus
}
#endif
#endif
