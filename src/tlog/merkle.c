/*
 * tlog/merkle.c - RFC 9162 Merkle tree hashing, proof generation over a node reader, proof
 * verification, and an in-memory tree.
 *
 * SHA-256 comes from nettle, which uses the CPU's SHA extensions when present: appending a
 * leaf costs one leaf hash and about one node hash, so the hash speed bounds the append rate.
 */
#include "tlog/merkle.h"
#include "util/error.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

void tr_sha256(const void *data, size_t len, uint8_t out[TR_HASH_SIZE])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, TR_HASH_SIZE, out);
}

void tr_merkle_leaf(const void *data, size_t len, uint8_t out[TR_HASH_SIZE])
{
    static const uint8_t prefix = 0x00;
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, 1, &prefix);
    sha256_update(&c, len, data);
    sha256_digest(&c, TR_HASH_SIZE, out);
}

void tr_merkle_node(const uint8_t left[TR_HASH_SIZE], const uint8_t right[TR_HASH_SIZE],
                    uint8_t out[TR_HASH_SIZE])
{
    uint8_t buf[1 + 2 * TR_HASH_SIZE];
    buf[0] = 0x01;
    memcpy(buf + 1, left, TR_HASH_SIZE);
    memcpy(buf + 1 + TR_HASH_SIZE, right, TR_HASH_SIZE);
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, sizeof buf, buf);
    sha256_digest(&c, TR_HASH_SIZE, out);
}

void tr_merkle_empty_root(uint8_t out[TR_HASH_SIZE])
{
    tr_sha256("", 0, out);
}

uint64_t tr_merkle_split(uint64_t n)
{
    /* n >= 2: the highest set bit of n - 1 */
    return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

static int read_node(tr_merkle_reader *r, unsigned level, uint64_t index, uint8_t out[TR_HASH_SIZE])
{
    r->reads++;
    return r->node(r->ctx, level, index, out);
}

int tr_merkle_range_hash(tr_merkle_reader *r, uint64_t start, uint64_t end,
                         uint8_t out[TR_HASH_SIZE])
{
    if (start >= end)
        return tr_error(TRUSTREG_EINTERNAL, "Merkle range [%llu, %llu) is empty",
                        (unsigned long long)start, (unsigned long long)end);
    /* Split [start, end) into maximal aligned complete subtrees from the left; the RFC hash of
     * the range folds them from the right: node(s1, node(s2, ... sk)). */
    tr_hash parts[64];
    int n = 0;
    uint64_t a = start;
    while (a < end) {
        unsigned level = 0;
        while (level < 63) {
            uint64_t s = (uint64_t)1 << (level + 1);
            if ((a & (s - 1)) != 0 || end - a < s)
                break;
            level++;
        }
        int rc = read_node(r, level, a >> level, parts[n]);
        if (rc)
            return rc;
        n++;
        a += (uint64_t)1 << level;
    }
    if (n == 0) /* not reached: start < end */
        return tr_error(TRUSTREG_EINTERNAL, "empty Merkle range");
    memcpy(out, parts[n - 1], TR_HASH_SIZE);
    for (int i = n - 2; i >= 0; i--)
        tr_merkle_node(parts[i], out, out);
    return TRUSTREG_OK;
}

int tr_merkle_root(tr_merkle_reader *r, uint64_t size, uint8_t out[TR_HASH_SIZE])
{
    if (size == 0) {
        tr_merkle_empty_root(out);
        return TRUSTREG_OK;
    }
    return tr_merkle_range_hash(r, 0, size, out);
}

static void reverse(tr_hash *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        tr_hash t;
        memcpy(t, p[i], TR_HASH_SIZE);
        memcpy(p[i], p[n - 1 - i], TR_HASH_SIZE);
        memcpy(p[n - 1 - i], t, TR_HASH_SIZE);
    }
}

int tr_merkle_prove_inclusion(tr_merkle_reader *r, uint64_t index, uint64_t size,
                              tr_hash *proof, size_t *count)
{
    *count = 0;
    if (index >= size)
        return tr_error(TRUSTREG_EUSAGE, "leaf index %llu is not in a tree of size %llu",
                        (unsigned long long)index, (unsigned long long)size);
    /* PATH top-down, reversed at the end (the RFC lists the deepest sibling first) */
    uint64_t a = 0, b = size;
    size_t n = 0;
    while (b - a > 1) {
        uint64_t k = tr_merkle_split(b - a);
        int rc;
        if (index < a + k) {
            rc = tr_merkle_range_hash(r, a + k, b, proof[n]);
            b = a + k;
        } else {
            rc = tr_merkle_range_hash(r, a, a + k, proof[n]);
            a = a + k;
        }
        if (rc)
            return rc;
        n++;
    }
    reverse(proof, n);
    *count = n;
    return TRUSTREG_OK;
}

int tr_merkle_prove_consistency(tr_merkle_reader *r, uint64_t size1, uint64_t size2,
                                tr_hash *proof, size_t *count)
{
    *count = 0;
    if (size1 == 0 || size1 > size2)
        return tr_error(TRUSTREG_EUSAGE,
                        "no consistency proof from size %llu to size %llu (need 0 < old <= new)",
                        (unsigned long long)size1, (unsigned long long)size2);
    uint64_t a = 0, b = size2, m = size1;
    int complete = 1; /* the RFC's flag b: the old tree is a complete subtree seen so far */
    size_t n = 0;
    for (;;) {
        int rc = TRUSTREG_OK;
        if (m == b - a) {
            if (!complete)
                rc = tr_merkle_range_hash(r, a, b, proof[n++]);
            if (rc)
                return rc;
            break;
        }
        uint64_t k = tr_merkle_split(b - a);
        if (m <= k) {
            rc = tr_merkle_range_hash(r, a + k, b, proof[n++]);
            b = a + k;
        } else {
            rc = tr_merkle_range_hash(r, a, a + k, proof[n++]);
            a = a + k;
            m -= k;
            complete = 0;
        }
        if (rc)
            return rc;
    }
    reverse(proof, n);
    *count = n;
    return TRUSTREG_OK;
}

static void hex8(const uint8_t *h, size_t len, char out[17])
{
    static const char digits[] = "0123456789abcdef";
    size_t n = len < 8 ? len : 8;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[2 * n] = '\0';
}

int tr_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t *leaf,
                               size_t leaf_len, const tr_hash *proof, size_t count,
                               const uint8_t *root, size_t root_len)
{
    if (index >= size)
        return tr_error(TRUSTREG_EINPUT,
                        "inclusion proof: leaf index %llu is beyond the tree size %llu",
                        (unsigned long long)index, (unsigned long long)size);
    if (leaf_len != TR_HASH_SIZE)
        return tr_error(TRUSTREG_EINPUT, "inclusion proof: the leaf hash has %zu bytes, not 32",
                        leaf_len);
    uint64_t fn = index, sn = size - 1;
    uint8_t h[TR_HASH_SIZE];
    memcpy(h, leaf, TR_HASH_SIZE);
    for (size_t i = 0; i < count; i++) {
        if (sn == 0)
            return tr_error(TRUSTREG_EINPUT,
                            "inclusion proof has %zu hashes, more than a tree of size %llu needs",
                            count, (unsigned long long)size);
        if ((fn & 1) || fn == sn) {
            tr_merkle_node(proof[i], h, h);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            tr_merkle_node(h, proof[i], h);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "inclusion proof has %zu hashes, fewer than a tree of size %llu needs",
                        count, (unsigned long long)size);
    if (root_len != TR_HASH_SIZE || memcmp(h, root, TR_HASH_SIZE) != 0) {
        char got[17], want[17];
        hex8(h, TR_HASH_SIZE, got);
        hex8(root, root_len, want);
        return tr_error(TRUSTREG_EINPUT,
                        "inclusion proof does not verify: it leads to root %s..., the tree head "
                        "says %s...",
                        got, want);
    }
    return TRUSTREG_OK;
}

int tr_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t *root1,
                                 size_t root1_len, const uint8_t *root2, size_t root2_len,
                                 const tr_hash *proof, size_t count)
{
    if (size1 == 0)
        return tr_error(TRUSTREG_EINPUT,
                        "consistency proof: the old tree size is 0 (every tree extends the empty "
                        "tree; there is nothing to prove)");
    if (size2 < size1)
        return tr_error(TRUSTREG_EINPUT,
                        "consistency proof: the new tree size %llu is smaller than the old %llu",
                        (unsigned long long)size2, (unsigned long long)size1);
    if (size1 == size2) {
        if (count != 0)
            return tr_error(TRUSTREG_EINPUT,
                            "consistency proof between equal sizes must be empty, it has %zu "
                            "hashes",
                            count);
        if (root1_len != root2_len || memcmp(root1, root2, root1_len) != 0)
            return tr_error(TRUSTREG_EINPUT,
                            "split view: two different roots for the same tree size %llu",
                            (unsigned long long)size1);
        return TRUSTREG_OK;
    }
    if (count == 0)
        return tr_error(TRUSTREG_EINPUT, "consistency proof is empty");
    if (root1_len != TR_HASH_SIZE || root2_len != TR_HASH_SIZE)
        return tr_error(TRUSTREG_EINPUT, "consistency proof: a root hash is not 32 bytes");
    /* When size1 is a power of two, the old root is itself the first node of the path. */
    const uint8_t *first;
    size_t next;
    if ((size1 & (size1 - 1)) == 0) {
        first = root1;
        next = 0;
    } else {
        first = proof[0];
        next = 1;
    }
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    uint8_t fr[TR_HASH_SIZE], sr[TR_HASH_SIZE];
    memcpy(fr, first, TR_HASH_SIZE);
    memcpy(sr, first, TR_HASH_SIZE);
    for (size_t i = next; i < count; i++) {
        if (sn == 0)
            return tr_error(TRUSTREG_EINPUT,
                            "consistency proof has %zu hashes, more than sizes %llu -> %llu need",
                            count, (unsigned long long)size1, (unsigned long long)size2);
        if ((fn & 1) || fn == sn) {
            tr_merkle_node(proof[i], fr, fr);
            tr_merkle_node(proof[i], sr, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            tr_merkle_node(sr, proof[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "consistency proof has %zu hashes, fewer than sizes %llu -> %llu need",
                        count, (unsigned long long)size1, (unsigned long long)size2);
    if (memcmp(fr, root1, TR_HASH_SIZE) != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "consistency proof does not lead to the old root of size %llu",
                        (unsigned long long)size1);
    if (memcmp(sr, root2, TR_HASH_SIZE) != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "consistency proof does not lead to the new root of size %llu",
                        (unsigned long long)size2);
    return TRUSTREG_OK;
}

int tr_merkle_mem_build(tr_merkle_mem *m, const tr_hash *leaves, uint64_t size)
{
    memset(m, 0, sizeof *m);
    m->size = size;
    uint64_t n = size;
    for (unsigned l = 0; n > 0 && l < 64; l++, n >>= 1) {
        m->level[l] = malloc((size_t)n * TR_HASH_SIZE);
        if (!m->level[l]) {
            tr_merkle_mem_free(m);
            return tr_error_oom();
        }
        m->levels = l + 1;
        if (l == 0) {
            memcpy(m->level[0], leaves, (size_t)n * TR_HASH_SIZE);
            continue;
        }
        for (uint64_t i = 0; i < n; i++)
            tr_merkle_node(m->level[l - 1][2 * i], m->level[l - 1][2 * i + 1], m->level[l][i]);
    }
    return TRUSTREG_OK;
}

void tr_merkle_mem_free(tr_merkle_mem *m)
{
    for (unsigned l = 0; l < 64; l++)
        free(m->level[l]);
    memset(m, 0, sizeof *m);
}

static int mem_node(void *ctx, unsigned level, uint64_t index, uint8_t out[TR_HASH_SIZE])
{
    tr_merkle_mem *m = ctx;
    if (level >= m->levels || index >= (m->size >> level))
        return tr_error(TRUSTREG_EINTERNAL, "no complete subtree at level %u index %llu", level,
                        (unsigned long long)index);
    memcpy(out, m->level[level][index], TR_HASH_SIZE);
    return TRUSTREG_OK;
}

tr_merkle_reader tr_merkle_mem_reader(tr_merkle_mem *m)
{
    tr_merkle_reader r = {mem_node, m, 0};
    return r;
}
