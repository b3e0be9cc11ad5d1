/*
 * util/hash.h - SHA-256 (libsodium) as lowercase hex.
 */
#ifndef TR_UTIL_HASH_H
#define TR_UTIL_HASH_H

#include <stddef.h>

/* Write the lowercase hex SHA-256 of data into hex (65 bytes with the NUL). */
void tr_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
