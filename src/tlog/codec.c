/*
 * tlog/codec.c - base64 and hex helpers (libsodium's constant-time codecs).
 */
#include "tlog/codec.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

char *tr_b64(const void *data, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(n);
    if (!out)
        return NULL;
    sodium_bin2base64(out, n, data, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

int tr_unb64(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n)
{
    const char *end = NULL;
    *n = 0;
    if (len == 0)
        return 0;
    if (sodium_base642bin(out, cap, s, len, NULL, n, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return end == s + len ? 0 : -1;
}

void tr_hex(const void *data, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, data, len);
}

int tr_unhex(const char *s, uint8_t *out, size_t len)
{
    size_t n = 0;
    const char *end = NULL;
    if (strlen(s) != 2 * len)
        return -1;
    if (sodium_hex2bin(out, len, s, 2 * len, NULL, &n, &end) != 0 || n != len)
        return -1;
    return 0;
}
