/*
 * tlog/jcs.c - RFC 8785 JSON Canonicalization Scheme: the exact bytes of every logged statement.
 *
 * Parsing is jansson's (strict RFC 8259, UTF-8 checked, lone surrogates refused) with duplicate
 * keys refused and every number read as an IEEE double, which is the JCS data model. Output:
 * no whitespace; object members sorted by their names as UTF-16 code units; strings with only
 * the mandatory escapes; numbers as ECMAScript's Number.prototype.toString (shortest
 * round-trip digits, exponent outside [1e-6, 1e21)).
 */
#include "tlog/jcs.h"
#include "trustreg/tlog.h"
#include "util/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Next UTF-16 code unit of a UTF-8 string (valid UTF-8, as jansson guarantees). *pending holds
 * the low surrogate of a supplementary character between calls. Returns -1 at the end. */
static int next_unit(const unsigned char **p, int *pending)
{
    if (*pending) {
        int u = *pending;
        *pending = 0;
        return u;
    }
    const unsigned char *s = *p;
    if (!*s)
        return -1;
    unsigned cp;
    if (s[0] < 0x80) {
        cp = s[0];
        *p += 1;
    } else if ((s[0] & 0xe0) == 0xc0) {
        cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
        *p += 2;
    } else if ((s[0] & 0xf0) == 0xe0) {
        cp = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
        *p += 3;
    } else {
        cp = ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3f) << 12) |
             ((unsigned)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
        *p += 4;
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *pending = (int)(0xdc00 + (cp & 0x3ff));
        return (int)(0xd800 + (cp >> 10));
    }
    return (int)cp;
}

static int cmp_utf16(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a;
    const unsigned char *y = *(const unsigned char *const *)b;
    int px = 0, py = 0;
    for (;;) {
        int ux = next_unit(&x, &px), uy = next_unit(&y, &py);
        if (ux != uy)
            return ux < uy ? -1 : 1;
        if (ux < 0)
            return 0;
    }
}

void tr_jcs_number(double d, char out[32])
{
    if (d == 0) { /* also -0 */
        strcpy(out, "0");
        return;
    }
    char *o = out;
    if (d < 0) {
        *o++ = '-';
        d = -d;
    }
    /* shortest precision that reads back as the same double; %e rounds correctly, so the
     * digits are the closest ones of that length, as ECMAScript requires */
    char buf[40];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    char digits[20];
    int k = 0;
    const char *s = buf;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[k++] = *s;
    while (k > 1 && digits[k - 1] == '0') /* %.*e at the minimal precision has none, but be safe */
        k--;
    digits[k] = '\0';
    int e = atoi(s + 1);
    int n = e + 1; /* the value is 0.d1d2...dk x 10^n */
    if (k <= n && n <= 21) {
        memcpy(o, digits, (size_t)k);
        o += k;
        for (int i = 0; i < n - k; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)k);
        o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 >= 0 ? '+' : '-', n - 1 >= 0 ? n - 1 : -(n - 1));
    }
    *o = '\0';
}

static void put_string(tr_buf *b, const char *s, size_t len)
{
    static const char hexd[] = "0123456789abcdef";
    tr_buf_append(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hexd[c >> 4];
                u[5] = hexd[c & 15];
                u[6] = '\0';
                esc = u;
            }
        }
        if (esc) {
            tr_buf_append(b, s + i - run, run);
            run = 0;
            tr_buf_puts(b, esc);
        } else {
            run++;
        }
    }
    tr_buf_append(b, s + len - run, run);
    tr_buf_append(b, "\"", 1);
}

int tr_jcs_dump(const json_t *v, tr_buf *b)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v);
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        if (!keys)
            return tr_error_oom();
        size_t i = 0;
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val) keys[i++] = key;
        qsort(keys, n, sizeof *keys, cmp_utf16);
        tr_buf_append(b, "{", 1);
        int rc = TRUSTREG_OK;
        for (i = 0; i < n && !rc; i++) {
            if (i)
                tr_buf_append(b, ",", 1);
            put_string(b, keys[i], strlen(keys[i]));
            tr_buf_append(b, ":", 1);
            rc = tr_jcs_dump(json_object_get(v, keys[i]), b);
        }
        tr_buf_append(b, "}", 1);
        free(keys);
        return rc;
    }
    case JSON_ARRAY: {
        tr_buf_append(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                tr_buf_append(b, ",", 1);
            int rc = tr_jcs_dump(json_array_get(v, i), b);
            if (rc)
                return rc;
        }
        tr_buf_append(b, "]", 1);
        return TRUSTREG_OK;
    }
    case JSON_STRING:
        put_string(b, json_string_value(v), json_string_length(v));
        return TRUSTREG_OK;
    case JSON_INTEGER:
    case JSON_REAL: {
        double d = json_number_value(v);
        if (!isfinite(d))
            return tr_error(TRUSTREG_EINPUT, "canonical JSON has no form for %g", d);
        char num[32];
        tr_jcs_number(d, num);
        tr_buf_puts(b, num);
        return TRUSTREG_OK;
    }
    case JSON_TRUE:
        tr_buf_puts(b, "true");
        return TRUSTREG_OK;
    case JSON_FALSE:
        tr_buf_puts(b, "false");
        return TRUSTREG_OK;
    case JSON_NULL:
        tr_buf_puts(b, "null");
        return TRUSTREG_OK;
    }
    return tr_error(TRUSTREG_EINTERNAL, "unknown JSON type");
}

int tr_jcs_parse(const void *json, size_t len, const char *source, json_t **out)
{
    json_error_t err;
    *out = json_loadb(json, len,
                      JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES |
                          JSON_ALLOW_NUL,
                      &err);
    if (!*out)
        return tr_error_at(TRUSTREG_EINPUT, source ? source : "JSON", err.line, err.column,
                           "not valid JSON for canonicalisation: %s", err.text);
    return TRUSTREG_OK;
}

int trustreg_jcs_canonicalize(const void *json, size_t len, const char *source, char **out,
                              size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    json_t *v;
    int rc = tr_jcs_parse(json, len, source, &v);
    if (rc)
        return rc;
    tr_buf b = {0};
    rc = tr_jcs_dump(v, &b);
    json_decref(v);
    if (!rc && b.failed)
        rc = tr_error_oom();
    if (rc) {
        tr_buf_free(&b);
        return rc;
    }
    *out_len = b.len;
    *out = tr_buf_steal(&b);
    return *out ? TRUSTREG_OK : tr_error_oom();
}
