/*
 * tlog/merkle.h - the RFC 9162 (section 2.1) Merkle tree: leaf and node hashes, tree heads,
 * inclusion and consistency proofs and their verification.
 *
 * Proof generation reads complete-subtree hashes through a tr_merkle_reader, so the same code
 * serves the in-memory tree (tests, offline tools) and the stored tiles (tlog/tiles.c). A
 * complete subtree is named by (level, index): it covers leaves [index << level,
 * (index + 1) << level). Generation needs at most 2 * log2(size) node reads.
 */
#ifndef TR_TLOG_MERKLE_H
#define TR_TLOG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define TR_HASH_SIZE 32
/* Longest proof for a tree of up to 2^63 leaves (inclusion 63, consistency 64), with margin. */
#define TR_MERKLE_MAX_PROOF 72

typedef uint8_t tr_hash[TR_HASH_SIZE];

/* SHA-256(0x00 || data) */
void tr_merkle_leaf(const void *data, size_t len, uint8_t out[TR_HASH_SIZE]);
/* SHA-256(0x01 || left || right) */
void tr_merkle_node(const uint8_t left[TR_HASH_SIZE], const uint8_t right[TR_HASH_SIZE],
                    uint8_t out[TR_HASH_SIZE]);
/* The root of the empty tree, SHA-256 of the empty string. */
void tr_merkle_empty_root(uint8_t out[TR_HASH_SIZE]);

/* Plain SHA-256 (same implementation as the tree), for digests of statements and documents. */
void tr_sha256(const void *data, size_t len, uint8_t out[TR_HASH_SIZE]);

/* Reads the hash of a complete subtree; returns TRUSTREG_OK or a recorded error. */
typedef int (*tr_merkle_node_fn)(void *ctx, unsigned level, uint64_t index,
                                 uint8_t out[TR_HASH_SIZE]);

typedef struct tr_merkle_reader {
    tr_merkle_node_fn node;
    void *ctx;
    unsigned long reads; /* node reads so far (reported next to proof timings) */
} tr_merkle_reader;

/* Hash of leaves [start, end) as the RFC 9162 MTH of that range (start < end). */
int tr_merkle_range_hash(tr_merkle_reader *r, uint64_t start, uint64_t end,
                         uint8_t out[TR_HASH_SIZE]);
/* Tree head of the first size leaves (the empty root for 0). */
int tr_merkle_root(tr_merkle_reader *r, uint64_t size, uint8_t out[TR_HASH_SIZE]);

/* RFC 9162 2.1.3.1 PATH(index, D[size]); proof holds TR_MERKLE_MAX_PROOF hashes. */
int tr_merkle_prove_inclusion(tr_merkle_reader *r, uint64_t index, uint64_t size,
                              tr_hash *proof, size_t *count);
/* RFC 9162 2.1.4.1 PROOF(size1, D[size2]), 0 < size1 <= size2. */
int tr_merkle_prove_consistency(tr_merkle_reader *r, uint64_t size1, uint64_t size2,
                                tr_hash *proof, size_t *count);

/*
 * RFC 9162 2.1.3.2: verify that leaf (leaf_len bytes, must be 32) is at index in the tree of
 * size with the given root. proof holds count 32-byte hashes. TRUSTREG_OK, or TRUSTREG_EINPUT
 * with the reason recorded.
 */
int tr_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t *leaf,
                               size_t leaf_len, const tr_hash *proof, size_t count,
                               const uint8_t *root, size_t root_len);
/*
 * RFC 9162 2.1.4.2: verify that the tree of size2 with root2 extends the tree of size1 with
 * root1. As in transparency-dev/merkle: size1 == 0 is an error; size1 == size2 needs an empty
 * proof and byte-equal roots.
 */
int tr_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t *root1,
                                 size_t root1_len, const uint8_t *root2, size_t root2_len,
                                 const tr_hash *proof, size_t count);

/* A whole tree in memory: every complete subtree hash, level by level. */
typedef struct tr_merkle_mem {
    uint64_t size;
    unsigned levels;       /* number of levels held (level 0 = leaves) */
    tr_hash *level[64];    /* level[l] has size >> l hashes */
} tr_merkle_mem;

/* Build from leaf hashes (copied). TRUSTREG_EINTERNAL when out of memory. */
int tr_merkle_mem_build(tr_merkle_mem *m, const tr_hash *leaves, uint64_t size);
void tr_merkle_mem_free(tr_merkle_mem *m);
/* A reader over the in-memory tree (ctx = the tr_merkle_mem). */
tr_merkle_reader tr_merkle_mem_reader(tr_merkle_mem *m);

/* Largest power of two strictly below n (n >= 2). */
uint64_t tr_merkle_split(uint64_t n);

#endif
