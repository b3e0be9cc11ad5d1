/*
 * util/error.c - the thread-local "last error" record behind trustreg_error_last().
 *
 * One fixed-size record per thread: setting an error never allocates, so out-of-memory can be
 * reported like anything else. Messages longer than the buffer are cut, never overflowed.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TR_MSG_MAX 2048
#define TR_SRC_MAX 512
#define TR_PTR_MAX 512

typedef struct tr_error_state {
    trustreg_error pub;
    char message[TR_MSG_MAX];
    char source[TR_SRC_MAX];
    char pointer[TR_PTR_MAX];
} tr_error_state;

static _Thread_local tr_error_state g_err;

static void reset(int code)
{
    g_err.pub.code = code;
    g_err.message[0] = '\0';
    g_err.source[0] = '\0';
    g_err.pointer[0] = '\0';
    g_err.pub.line = 0;
    g_err.pub.column = 0;
    g_err.pub.message = g_err.message;
    g_err.pub.source = g_err.source;
    g_err.pub.pointer = g_err.pointer;
}

static void copy(char *dst, size_t cap, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, cap, "%s", src);
}

const trustreg_error *trustreg_error_last(void)
{
    if (g_err.pub.message == NULL)
        reset(TRUSTREG_OK);
    return &g_err.pub;
}

void trustreg_error_clear(void)
{
    reset(TRUSTREG_OK);
}

const char *trustreg_status_name(int code)
{
    switch (code) {
    case TRUSTREG_OK: return "ok";
    case TRUSTREG_EUSAGE: return "usage error";
    case TRUSTREG_EINPUT: return "bad input";
    case TRUSTREG_ENOTFOUND: return "not found";
    case TRUSTREG_ESTORE: return "storage error";
    case TRUSTREG_EINTERNAL: return "internal error";
    default: return "unknown error";
    }
}

int trustreg_status_exit_code(int code)
{
    switch (code) {
    case TRUSTREG_OK: return 0;
    case TRUSTREG_EUSAGE: return 1;
    case TRUSTREG_EINPUT: return 2;
    case TRUSTREG_ENOTFOUND: return 3;
    default: return 4;
    }
}

/* Append formatted text to buf (capacity cap) at *len, cutting what does not fit. */
static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...) TR_PRINTF(4, 5);
static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = (*len + (size_t)n < cap) ? *len + (size_t)n : cap - 1;
}

static int vset(int code, const char *source, int line, int column, const char *pointer,
                const char *fmt, va_list ap) TR_PRINTF(6, 0);
static int vset(int code, const char *source, int line, int column, const char *pointer,
                const char *fmt, va_list ap)
{
    char text[TR_MSG_MAX];
    vsnprintf(text, sizeof text, fmt, ap);
    reset(code);
    copy(g_err.source, sizeof g_err.source, source);
    copy(g_err.pointer, sizeof g_err.pointer, pointer);
    g_err.pub.line = line;
    g_err.pub.column = column;
    size_t len = 0;
    char *m = g_err.message;
    size_t cap = sizeof g_err.message;
    if (source && *source && line > 0)
        appendf(m, cap, &len, "%s:%d:%d: ", source, line, column);
    else if (source && *source && pointer)
        appendf(m, cap, &len, "%s: at %s: ", source, *pointer ? pointer : "/");
    else if (source && *source)
        appendf(m, cap, &len, "%s: ", source);
    appendf(m, cap, &len, "%s", text);
    return code;
}

int tr_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(code, NULL, 0, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int tr_error_at(int code, const char *source, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(code, source, line, column, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int tr_error_ptr(int code, const char *source, const char *pointer, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(code, source, 0, 0, pointer ? pointer : "", fmt, ap);
    va_end(ap);
    return code;
}

int tr_error_oom(void)
{
    return tr_error(TRUSTREG_EINTERNAL, "out of memory");
}

void tr_error_prefix(const char *fmt, ...)
{
    char prefix[TR_MSG_MAX];
    char old[TR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, g_err.message, sizeof old);
    size_t len = 0;
    appendf(g_err.message, sizeof g_err.message, &len, "%s: ", prefix);
    appendf(g_err.message, sizeof g_err.message, &len, "%s", old);
}
