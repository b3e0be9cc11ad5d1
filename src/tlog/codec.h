/*
 * tlog/codec.h - base64 (RFC 4648 standard alphabet, padded) and hex for the log's formats,
 * through libsodium; decoding is strict (no spaces, no missing padding).
 */
#ifndef TR_TLOG_CODEC_H
#define TR_TLOG_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* malloc'ed, NUL-terminated base64 of data; NULL when out of memory. */
char *tr_b64(const void *data, size_t len);
/* Decode len characters of base64 into out (cap bytes); returns 0 and *n, or -1 when invalid
 * or too long. */
int tr_unb64(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n);
/* Lowercase hex into out (2 * len + 1 bytes). */
void tr_hex(const void *data, size_t len, char *out);
/* Parse exactly 2 * len hex digits; returns 0 or -1. */
int tr_unhex(const char *s, uint8_t *out, size_t len);

#endif
