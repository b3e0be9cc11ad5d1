/*
 * util/hash.c - SHA-256 digests through libsodium.
 */
#include "util/hash.h"

#include <sodium.h>

void tr_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}
