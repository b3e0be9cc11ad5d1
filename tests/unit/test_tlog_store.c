/*
 * tests/unit/test_tlog_store.c - the stored log on a real SQLite file: 70,000 leaves appended in
 * random batch sizes (crossing full tiles on two tile levels) give, after every batch, the same
 * root as the in-memory RFC 9162 tree, and stored proofs equal the in-memory ones and verify;
 * appends inside a transaction that rolls back leave nothing; a leaf cannot be appended outside
 * a transaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "testutil.h"
#include "tlog/log.h"
#include "tlog/merkle.h"
#include "trustreg/trustreg.h"

#define TOTAL 70000

static uint64_t rng = 0x7106;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void test_tiles_match_memory(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/t.db", dir);
    trustreg_db *db;
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), 0);
    tr_hash *leaves = malloc(TOTAL * sizeof *leaves);
    char (*entries)[24] = malloc(TOTAL * sizeof *entries);
    uint64_t size = 0;
    int round = 0;
    while (size < TOTAL) {
        /* mostly small batches, sometimes one that spans many tiles */
        uint64_t n = round % 7 == 3 ? 1 + rnd() % 20000 : 1 + rnd() % 700;
        if (size + n > TOTAL)
            n = TOTAL - size;
        tr_tlog_bytes *b = malloc(n * sizeof *b);
        for (uint64_t i = 0; i < n; i++) {
            int len = snprintf(entries[size + i], sizeof entries[0], "leaf %llu", (unsigned long long)(size + i));
            b[i].data = entries[size + i];
            b[i].len = (size_t)len;
            tr_merkle_leaf(b[i].data, b[i].len, leaves[size + i]);
        }
        uint64_t first;
        assert_int_equal(tr_store_begin(db), 0);
        assert_int_equal(tr_tlog_append_batch_in_txn(db, b, n, &first), 0);
        assert_int_equal(tr_store_commit(db), 0);
        assert_int_equal(first, size);
        free(b);
        size += n;
        round++;
        /* the stored root equals the in-memory tree's */
        tr_merkle_mem m;
        assert_int_equal(tr_merkle_mem_build(&m, leaves, size), 0);
        tr_merkle_reader r = tr_merkle_mem_reader(&m);
        uint8_t want[32], got[32];
        assert_int_equal(tr_merkle_root(&r, size, want), 0);
        assert_int_equal(trustreg_tlog_root(db, size, got), 0);
        assert_memory_equal(got, want, 32);
        /* a few proofs: equal to the in-memory ones, verifying, within 2 log2(n) node reads */
        for (int k = 0; k < 4; k++) {
            uint64_t idx = rnd() % size, old = 1 + rnd() % size;
            trustreg_tlog_proof p;
            tr_hash mp[TR_MERKLE_MAX_PROOF];
            size_t mn;
            assert_int_equal(trustreg_tlog_prove_inclusion(db, idx, 0, &p), 0);
            assert_int_equal(tr_merkle_prove_inclusion(&r, idx, size, mp, &mn), 0);
            assert_int_equal(p.count, mn);
            if (mn)
                assert_memory_equal(p.hashes, mp, mn * 32);
            assert_memory_equal(p.leaf, leaves[idx], 32);
            assert_int_equal(trustreg_tlog_verify_inclusion(idx, size, leaves[idx], (const uint8_t(*)[32])p.hashes, p.count, want), 0);
            assert_true(p.node_reads <= 2 * 17);
            trustreg_tlog_proof_clear(&p);
            uint8_t oldroot[32];
            assert_int_equal(tr_merkle_root(&r, old, oldroot), 0);
            assert_int_equal(trustreg_tlog_prove_consistency(db, old, 0, &p), 0);
            assert_int_equal(trustreg_tlog_verify_consistency(old, size, oldroot, want, (const uint8_t(*)[32])p.hashes, p.count), 0);
            trustreg_tlog_proof_clear(&p);
        }
        tr_merkle_mem_free(&m);
    }
    assert_true(round > 10);
    json_t *report = NULL;
    assert_int_equal(trustreg_audit(db, &report), 0);
    /* leaves appended without statements are reported as such, and nothing else */
    assert_int_equal(json_integer_value(json_object_get(report, "finding_count")), TOTAL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(report, "findings"), 0), "kind")), "missing");
    json_decref(report);
    trustreg_db_close(db);
    free(leaves);
    free(entries);
    tu_rmtree(dir);
    free(dir);
}

static void test_append_in_caller_transaction(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/t.db", dir);
    trustreg_db *db;
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), 0);
    uint64_t idx, size;
    /* outside a transaction: refused */
    assert_int_equal(tr_tlog_append_in_txn(db, "x", 1, &idx), TRUSTREG_EINTERNAL);
    const char *texts[] = {"{\"b\":1,\"a\":2}"};
    size_t lens[] = {strlen(texts[0])};
    assert_int_equal(trustreg_tlog_append_json(db, texts, lens, NULL, 1, &idx), 0);
    assert_int_equal(idx, 0);
    /* the registry's pattern: its change and the leaf together, rolled back together */
    assert_int_equal(tr_store_begin(db), 0);
    assert_int_equal(tr_tlog_append_in_txn(db, "{\"c\":3}", 7, &idx), 0);
    assert_int_equal(idx, 1);
    tr_store_rollback(db);
    assert_int_equal(trustreg_tlog_size(db, &size), 0);
    assert_int_equal(size, 1);
    unsigned char *bytes;
    size_t len;
    assert_int_equal(trustreg_tlog_entry(db, 0, &bytes, &len), 0);
    assert_int_equal(len, 13);
    assert_memory_equal(bytes, "{\"a\":2,\"b\":1}", 13);
    free(bytes);
    json_t *report = NULL;
    assert_int_equal(trustreg_audit(db, &report), 0);
    assert_true(json_is_true(json_object_get(report, "clean")));
    json_decref(report);
    trustreg_db_close(db);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_in_caller_transaction),
        cmocka_unit_test(test_tiles_match_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
