/*
 * tests/unit/test_tlog_merkle.c - the RFC 9162 Merkle tree against the shared vectors
 * (../shared/data/tlog/vectors.json and the 196 transparency-dev/merkle probe files), and
 * property tests: trees of random sizes up to 100,000 leaves, where every sampled inclusion and
 * consistency proof verifies and any flipped bit makes it fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tlog/merkle.h"
#include "trustreg/errors.h"

static json_t *load_json(const char *rel)
{
    json_error_t err;
    json_t *j = json_load_file(tu_shared(rel), 0, &err);
    if (!j)
        fail_msg("%s: %s", rel, err.text);
    return j;
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    assert_int_equal(sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &n, NULL), 0);
    return n;
}

static void hash_from_hex(const char *hex, tr_hash out)
{
    assert_int_equal(unhex(hex, out, TR_HASH_SIZE), TR_HASH_SIZE);
}

/* Naive recursive MTH straight from RFC 9162 2.1.1, used as the oracle for small trees. */
static void naive_mth(const tr_hash *leaves, uint64_t n, uint8_t out[32])
{
    if (n == 0) {
        tr_merkle_empty_root(out);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves[0], 32);
        return;
    }
    uint64_t k = tr_merkle_split(n);
    uint8_t l[32], r[32];
    naive_mth(leaves, k, l);
    naive_mth(leaves + k, n - k, r);
    tr_merkle_node(l, r, out);
}

static void test_vectors_hashes_and_roots(void **state)
{
    (void)state;
    json_t *v = load_json("tlog/vectors.json");
    json_t *inputs = json_object_get(v, "leaf_inputs_hex");
    json_t *nodes = json_object_get(v, "node_hashes");
    size_t nleaves = json_array_size(inputs);
    assert_int_equal(nleaves, 8);
    tr_hash leaves[8];
    for (size_t i = 0; i < nleaves; i++) {
        uint8_t buf[64];
        size_t n = unhex(json_string_value(json_array_get(inputs, i)), buf, sizeof buf);
        tr_merkle_leaf(buf, n, leaves[i]);
        tr_hash want;
        hash_from_hex(json_string_value(json_array_get(json_array_get(nodes, 0), i)), want);
        assert_memory_equal(leaves[i], want, 32);
    }
    /* every complete subtree hash, through the in-memory tree */
    tr_merkle_mem m;
    assert_int_equal(tr_merkle_mem_build(&m, leaves, 8), 0);
    tr_merkle_reader r = tr_merkle_mem_reader(&m);
    size_t checked = 0;
    for (size_t level = 0; level < json_array_size(nodes); level++) {
        json_t *row = json_array_get(nodes, level);
        for (size_t i = 0; i < json_array_size(row); i++) {
            tr_hash want, got;
            hash_from_hex(json_string_value(json_array_get(row, i)), want);
            assert_int_equal(r.node(r.ctx, (unsigned)level, i, got), 0);
            assert_memory_equal(got, want, 32);
            checked++;
        }
    }
    assert_int_equal(checked, 15);
    /* roots for sizes 0..8: range hashes, the naive oracle and the vectors agree */
    json_t *roots = json_object_get(v, "roots");
    assert_int_equal(json_array_size(roots), 9);
    for (size_t i = 0; i < json_array_size(roots); i++) {
        json_t *e = json_array_get(roots, i);
        uint64_t size = (uint64_t)json_integer_value(json_object_get(e, "tree_size"));
        tr_hash want, got, naive;
        hash_from_hex(json_string_value(json_object_get(e, "root")), want);
        assert_int_equal(tr_merkle_root(&r, size, got), 0);
        naive_mth(leaves, size, naive);
        assert_memory_equal(got, want, 32);
        assert_memory_equal(naive, want, 32);
    }
    /* hasher vectors */
    json_t *hv = json_object_get(v, "hasher_vectors");
    assert_int_equal(json_array_size(hv), 4);
    for (size_t i = 0; i < json_array_size(hv); i++) {
        json_t *e = json_array_get(hv, i);
        const char *kind = json_string_value(json_object_get(e, "kind"));
        tr_hash want, got;
        hash_from_hex(json_string_value(json_object_get(e, "want")), want);
        if (strcmp(kind, "empty_tree_root") == 0) {
            tr_merkle_empty_root(got);
        } else if (strcmp(kind, "leaf") == 0) {
            uint8_t buf[64];
            size_t n = unhex(json_string_value(json_object_get(e, "input_hex")), buf, sizeof buf);
            tr_merkle_leaf(buf, n, got);
        } else {
            /* HashChildren over two 4-byte strings: 0x01 || left || right */
            uint8_t buf[9] = {0x01};
            assert_int_equal(unhex(json_string_value(json_object_get(e, "left_hex")), buf + 1, 4), 4);
            assert_int_equal(unhex(json_string_value(json_object_get(e, "right_hex")), buf + 5, 4), 4);
            tr_sha256(buf, sizeof buf, got);
        }
        assert_memory_equal(got, want, 32);
    }
    tr_merkle_mem_free(&m);
    json_decref(v);
}

static size_t proof_from_hex(json_t *arr, tr_hash *out)
{
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++)
        hash_from_hex(json_string_value(json_array_get(arr, i)), out[i]);
    return n;
}

static void test_vectors_proofs(void **state)
{
    (void)state;
    json_t *v = load_json("tlog/vectors.json");
    json_t *inputs = json_object_get(v, "leaf_inputs_hex");
    tr_hash leaves[8];
    for (size_t i = 0; i < 8; i++) {
        uint8_t buf[64];
        size_t n = unhex(json_string_value(json_array_get(inputs, i)), buf, sizeof buf);
        tr_merkle_leaf(buf, n, leaves[i]);
    }
    tr_merkle_mem m;
    assert_int_equal(tr_merkle_mem_build(&m, leaves, 8), 0);
    tr_merkle_reader r = tr_merkle_mem_reader(&m);

    json_t *inc = json_object_get(v, "inclusion_proofs");
    assert_int_equal(json_array_size(inc), 7);
    for (size_t i = 0; i < json_array_size(inc); i++) {
        json_t *e = json_array_get(inc, i);
        uint64_t index = (uint64_t)json_integer_value(json_object_get(e, "leaf_index"));
        uint64_t size = (uint64_t)json_integer_value(json_object_get(e, "tree_size"));
        tr_hash want[TR_MERKLE_MAX_PROOF], got[TR_MERKLE_MAX_PROOF], leaf, root;
        size_t nwant = proof_from_hex(json_object_get(e, "proof"), want), ngot = 0;
        hash_from_hex(json_string_value(json_object_get(e, "leaf_hash")), leaf);
        hash_from_hex(json_string_value(json_object_get(e, "root")), root);
        assert_int_equal(tr_merkle_prove_inclusion(&r, index, size, got, &ngot), 0);
        assert_int_equal(ngot, nwant);
        if (nwant)
            assert_memory_equal(got, want, nwant * 32);
        assert_int_equal(tr_merkle_verify_inclusion(index, size, leaf, 32, want, nwant, root, 32), 0);
        for (size_t j = 0; j < nwant; j++) {
            want[j][j % 32] ^= 0x10;
            assert_int_equal(tr_merkle_verify_inclusion(index, size, leaf, 32, want, nwant, root, 32),
                             TRUSTREG_EINPUT);
            want[j][j % 32] ^= 0x10;
        }
    }
    json_t *con = json_object_get(v, "consistency_proofs");
    assert_int_equal(json_array_size(con), 5);
    for (size_t i = 0; i < json_array_size(con); i++) {
        json_t *e = json_array_get(con, i);
        uint64_t s1 = (uint64_t)json_integer_value(json_object_get(e, "size1"));
        uint64_t s2 = (uint64_t)json_integer_value(json_object_get(e, "size2"));
        tr_hash want[TR_MERKLE_MAX_PROOF], got[TR_MERKLE_MAX_PROOF], r1, r2;
        size_t nwant = proof_from_hex(json_object_get(e, "proof"), want), ngot = 0;
        hash_from_hex(json_string_value(json_object_get(e, "root1")), r1);
        hash_from_hex(json_string_value(json_object_get(e, "root2")), r2);
        assert_int_equal(tr_merkle_prove_consistency(&r, s1, s2, got, &ngot), 0);
        assert_int_equal(ngot, nwant);
        if (nwant)
            assert_memory_equal(got, want, nwant * 32);
        assert_int_equal(tr_merkle_verify_consistency(s1, s2, r1, 32, r2, 32, want, nwant), 0);
        for (size_t j = 0; j < nwant; j++) {
            want[j][31 - j % 32] ^= 0x01;
            assert_int_equal(tr_merkle_verify_consistency(s1, s2, r1, 32, r2, 32, want, nwant),
                             TRUSTREG_EINPUT);
            want[j][31 - j % 32] ^= 0x01;
        }
    }
    tr_merkle_mem_free(&m);
    json_decref(v);
}

/* A probe field as bytes: standard padded base64, "" or null for empty. */
static size_t b64(json_t *j, uint8_t *out, size_t cap)
{
    const char *s = json_string_value(j);
    if (!s || !*s)
        return 0;
    size_t n = 0;
    if (sodium_base642bin(out, cap, s, strlen(s), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        fail_msg("bad base64 in probe: %s", s);
    return n;
}

/* A probe integer (decoded as a real) as uint64, clamped at 2^64 - 1. */
static uint64_t u64(json_t *j)
{
    double d = json_number_value(j);
    if (d >= 18446744073709551615.0)
        return UINT64_MAX;
    return d <= 0 ? 0 : (uint64_t)d;
}

/* Returns 0 when the probe verifies, non-zero when it is rejected. */
static int run_probe(json_t *p, int consistency)
{
    json_t *jp = json_object_get(p, "proof");
    tr_hash proof[TR_MERKLE_MAX_PROOF];
    size_t count = json_array_size(jp);
    if (count > TR_MERKLE_MAX_PROOF)
        return 1;
    for (size_t i = 0; i < count; i++) {
        uint8_t buf[128];
        if (b64(json_array_get(jp, i), buf, sizeof buf) != TR_HASH_SIZE)
            return 1; /* a proof element that is not a SHA-256 hash */
        memcpy(proof[i], buf, TR_HASH_SIZE);
    }
    if (consistency) {
        uint8_t r1[128], r2[128];
        size_t n1 = b64(json_object_get(p, "root1"), r1, sizeof r1);
        size_t n2 = b64(json_object_get(p, "root2"), r2, sizeof r2);
        return tr_merkle_verify_consistency(
            u64(json_object_get(p, "size1")),
            u64(json_object_get(p, "size2")), r1, n1, r2, n2, proof, count);
    }
    uint8_t leaf[128], root[128];
    size_t nl = b64(json_object_get(p, "leafHash"), leaf, sizeof leaf);
    size_t nr = b64(json_object_get(p, "root"), root, sizeof root);
    return tr_merkle_verify_inclusion(u64(json_object_get(p, "leafIdx")),
                                      u64(json_object_get(p, "treeSize")),
                                      leaf, nl, proof, count, root, nr);
}

/* Run every probe file under dir (recursively); returns the number of files. */
static int run_probe_dir(const char *dir, int consistency, int *ok_count)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!strstr(e->d_name, ".json")) {
            files += run_probe_dir(path, consistency, ok_count);
            continue;
        }
        json_error_t err;
        /* integers as reals: two probes hold 2^64 - 1, which jansson's int cannot */
        json_t *p = json_load_file(path, JSON_DECODE_INT_AS_REAL, &err);
        assert_non_null(p);
        int want_err = json_is_true(json_object_get(p, "wantErr"));
        int got_err = run_probe(p, consistency) != 0;
        if (want_err != got_err) {
            fprintf(stderr, "%s: expected %s, got %s (%s)\n", path,
                    want_err ? "an error" : "success", got_err ? "an error" : "success",
                    trustreg_error_last()->message);
            fail();
        }
        if (!got_err)
            (*ok_count)++;
        files++;
        json_decref(p);
    }
    closedir(d);
    return files;
}

static void test_probes(void **state)
{
    (void)state;
    int ok = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tu_shared("tlog/merkle-testdata/inclusion"));
    int n = run_probe_dir(dir, 0, &ok);
    snprintf(dir, sizeof dir, "%s", tu_shared("tlog/merkle-testdata/consistency"));
    n += run_probe_dir(dir, 1, &ok);
    /* README: 98 inclusion + 98 consistency probes */
    assert_int_equal(n, 196);
    assert_true(ok > 10); /* the happy paths really verified */
}

/* splitmix64: deterministic, seeded, so a failure can be replayed */
static uint64_t rng_state = 0x5eed7106;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define BIG 100000

static void test_property_random_sizes(void **state)
{
    (void)state;
    tr_hash *leaves = malloc((size_t)BIG * sizeof *leaves);
    assert_non_null(leaves);
    for (uint64_t i = 0; i < BIG; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "entry %llu", (unsigned long long)i);
        tr_merkle_leaf(buf, (size_t)n, leaves[i]);
    }
    /* one tree of 100,000 leaves holds every complete subtree of every smaller prefix */
    tr_merkle_mem m;
    assert_int_equal(tr_merkle_mem_build(&m, leaves, BIG), 0);
    tr_merkle_reader r = tr_merkle_mem_reader(&m);

    /* the roots agree with the naive RFC definition on every size up to 300 */
    for (uint64_t s = 0; s <= 300; s++) {
        tr_hash a, b;
        assert_int_equal(tr_merkle_root(&r, s, a), 0);
        naive_mth(leaves, s, b);
        assert_memory_equal(a, b, 32);
    }
    tr_hash big_naive, big_root;
    naive_mth(leaves, BIG, big_naive);
    assert_int_equal(tr_merkle_root(&r, BIG, big_root), 0);
    assert_memory_equal(big_naive, big_root, 32);

    for (int iter = 0; iter < 1500; iter++) {
        uint64_t size = iter == 0 ? BIG : 1 + rnd() % BIG;
        uint64_t index = rnd() % size;
        tr_hash root, proof[TR_MERKLE_MAX_PROOF];
        size_t n;
        assert_int_equal(tr_merkle_root(&r, size, root), 0);
        assert_int_equal(tr_merkle_prove_inclusion(&r, index, size, proof, &n), 0);
        assert_int_equal(tr_merkle_verify_inclusion(index, size, leaves[index], 32, proof, n, root, 32), 0);
        /* a flipped bit anywhere (proof, leaf, root) fails */
        uint64_t bit = rnd() % ((n + 2) * 256);
        uint8_t *target = bit / 256 < n ? proof[bit / 256] : bit / 256 == n ? leaves[index] : root;
        target[(bit % 256) / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(tr_merkle_verify_inclusion(index, size, leaves[index], 32, proof, n, root, 32),
                         TRUSTREG_EINPUT);
        target[(bit % 256) / 8] ^= (uint8_t)(1u << (bit % 8));
        /* the wrong index fails too */
        if (size > 1)
            assert_int_not_equal(tr_merkle_verify_inclusion((index + 1) % size, size, leaves[index],
                                                            32, proof, n, root, 32),
                                 0);

        uint64_t size1 = 1 + rnd() % size;
        tr_hash root1;
        assert_int_equal(tr_merkle_root(&r, size1, root1), 0);
        assert_int_equal(tr_merkle_prove_consistency(&r, size1, size, proof, &n), 0);
        assert_int_equal(tr_merkle_verify_consistency(size1, size, root1, 32, root, 32, proof, n), 0);
        bit = rnd() % ((n + 2) * 256);
        target = bit / 256 < n ? proof[bit / 256] : bit / 256 == n ? root1 : root;
        target[(bit % 256) / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(tr_merkle_verify_consistency(size1, size, root1, 32, root, 32, proof, n),
                         TRUSTREG_EINPUT);
        target[(bit % 256) / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    tr_merkle_mem_free(&m);
    free(leaves);
}

/* Every proof of every pair of sizes up to 64: exhaustive where trees are small. */
static void test_exhaustive_small(void **state)
{
    (void)state;
    tr_hash leaves[64];
    for (int i = 0; i < 64; i++)
        tr_merkle_leaf(&i, sizeof i, leaves[i]);
    tr_merkle_mem m;
    assert_int_equal(tr_merkle_mem_build(&m, leaves, 64), 0);
    tr_merkle_reader r = tr_merkle_mem_reader(&m);
    for (uint64_t s2 = 1; s2 <= 64; s2++) {
        tr_hash root2, proof[TR_MERKLE_MAX_PROOF];
        size_t n;
        naive_mth(leaves, s2, root2);
        for (uint64_t i = 0; i < s2; i++) {
            assert_int_equal(tr_merkle_prove_inclusion(&r, i, s2, proof, &n), 0);
            assert_int_equal(tr_merkle_verify_inclusion(i, s2, leaves[i], 32, proof, n, root2, 32), 0);
            if (n > 0) /* one hash short fails */
                assert_int_not_equal(tr_merkle_verify_inclusion(i, s2, leaves[i], 32, proof, n - 1, root2, 32), 0);
        }
        for (uint64_t s1 = 1; s1 <= s2; s1++) {
            tr_hash root1;
            naive_mth(leaves, s1, root1);
            assert_int_equal(tr_merkle_prove_consistency(&r, s1, s2, proof, &n), 0);
            assert_int_equal(tr_merkle_verify_consistency(s1, s2, root1, 32, root2, 32, proof, n), 0);
        }
    }
    assert_int_not_equal(tr_merkle_prove_consistency(&r, 0, 5, NULL, &(size_t){0}), 0);
    tr_merkle_mem_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_hashes_and_roots),
        cmocka_unit_test(test_vectors_proofs),
        cmocka_unit_test(test_probes),
        cmocka_unit_test(test_exhaustive_small),
        cmocka_unit_test(test_property_random_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
