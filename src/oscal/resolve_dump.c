/*
 * oscal/resolve_dump.c - writing a resolved catalog as text: two-space indent, member order
 * kept, UTF-8 as is, the same layout and escapes as jansson's json_dumps(JSON_INDENT(2)).
 *
 * Why not json_dumps: for the 3.6 MB FedRAMP MODERATE result it was a quarter of the whole
 * resolution (a callback per token and a string buffer grown by copying); this writer appends
 * runs of plain characters in one call into one buffer (docs/performance.md).
 */
#include "oscal/resolve.h"
#include "util/error.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_string(tr_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    tr_buf_append(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        tr_buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        tr_buf_append(b, esc, len);
    }
    tr_buf_append(b, s + run, n - run);
    tr_buf_append(b, "\"", 1);
}

static void newline(tr_buf *b, int depth)
{
    static const char spaces[] = "\n                                                                ";
    size_t want = 1 + 2 * (size_t)depth;
    while (want > sizeof spaces - 1) {
        tr_buf_append(b, spaces, sizeof spaces - 1);
        want -= sizeof spaces - 2;
    }
    tr_buf_append(b, spaces, want);
}

static void put_value(tr_buf *b, const json_t *v, int depth)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (json_object_size(v) == 0) {
            tr_buf_append(b, "{}", 2);
            return;
        }
        tr_buf_append(b, "{", 1);
        const char *key;
        json_t *m;
        int first = 1;
        json_object_foreach((json_t *)v, key, m) {
            if (!first)
                tr_buf_append(b, ",", 1);
            first = 0;
            newline(b, depth + 1);
            put_string(b, key, strlen(key));
            tr_buf_append(b, ": ", 2);
            put_value(b, m, depth + 1);
        }
        newline(b, depth);
        tr_buf_append(b, "}", 1);
        return;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        if (n == 0) {
            tr_buf_append(b, "[]", 2);
            return;
        }
        tr_buf_append(b, "[", 1);
        for (size_t i = 0; i < n; i++) {
            if (i)
                tr_buf_append(b, ",", 1);
            newline(b, depth + 1);
            put_value(b, json_array_get(v, i), depth + 1);
        }
        newline(b, depth);
        tr_buf_append(b, "]", 1);
        return;
    }
    case JSON_STRING:
        put_string(b, json_string_value(v), json_string_length(v));
        return;
    case JSON_INTEGER:
        tr_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    case JSON_REAL: {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        if (!s) {
            b->failed = 1;
            return;
        }
        tr_buf_puts(b, s);
        free(s);
        return;
    }
    case JSON_TRUE:
        tr_buf_append(b, "true", 4);
        return;
    case JSON_FALSE:
        tr_buf_append(b, "false", 5);
        return;
    case JSON_NULL:
        tr_buf_append(b, "null", 4);
        return;
    }
}

int trustreg_resolved_dump(const json_t *catalog, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!json_is_object(catalog))
        return tr_error(TRUSTREG_EUSAGE, "trustreg_resolved_dump: not a JSON object");
    tr_buf b = {0};
    b.data = malloc(1u << 20); /* most results are a few MB: start at 1 MB */
    if (b.data) {
        b.cap = 1u << 20;
        b.data[0] = '\0';
    }
    put_value(&b, catalog, 0);
    tr_buf_append(&b, "\n", 1);
    if (b.failed || !b.data) {
        tr_buf_free(&b);
        return tr_error_oom();
    }
    *len = b.len;
    *out = b.data;
    return TRUSTREG_OK;
}
