/*
 * tests/unit/test_map_rel.c - the relationship algebra checked against set theory by brute force.
 *
 * Every non-empty subset of a 5-element universe stands for a control's requirements. For every
 * triple (A, B, C) the test computes the actual relationships A-B, B-C and A-C and checks that
 * the composition table is exactly right for every pair of relationships and every pair of
 * relationship sets: sound (each A-C that occurs is in the composed set) and tight (each member of
 * the composed set occurs). The converse, the per-pair reading of maps over several controls,
 * the SQL copy of the table in the schema, and the names are checked the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccm/map_model.h"
#include "testutil.h"
#include "trustreg/trustreg.h"
#include "trustreg/map.h"

#define U 5
#define NSETS ((1 << U) - 1) /* non-empty subsets, as bit masks 1..31 */

/* The one base relationship between two non-empty sets. */
static trustreg_map_rel rel_of(unsigned a, unsigned b)
{
    if (a == b)
        return TRUSTREG_MAP_EQUIVALENT;
    if ((a & b) == a)
        return TRUSTREG_MAP_SUBSET;
    if ((a & b) == b)
        return TRUSTREG_MAP_SUPERSET;
    if (a & b)
        return TRUSTREG_MAP_INTERSECTS;
    return TRUSTREG_MAP_NONE;
}

/* seen[r1][r2]: the set of A-C relationships over all triples with A r1 B and B r2 C. */
static unsigned seen[5][5];

static int setup(void **state)
{
    (void)state;
    memset(seen, 0, sizeof seen);
    for (unsigned a = 1; a <= NSETS; a++)
        for (unsigned b = 1; b <= NSETS; b++)
            for (unsigned c = 1; c <= NSETS; c++)
                seen[rel_of(a, b)][rel_of(b, c)] |= TRUSTREG_MAP_BIT(rel_of(a, c));
    return 0;
}

static void test_every_relationship_occurs(void **state)
{
    (void)state;
    /* the five relationships are exhaustive and each occurs, so the enumeration covers them */
    for (int r1 = 0; r1 < 5; r1++)
        for (int r2 = 0; r2 < 5; r2++)
            assert_int_not_equal(seen[r1][r2], 0);
}

static void test_base_table_is_sound_and_tight(void **state)
{
    (void)state;
    for (int r1 = 0; r1 < 5; r1++) {
        for (int r2 = 0; r2 < 5; r2++) {
            unsigned table = trustreg_map_compose(TRUSTREG_MAP_BIT(r1), TRUSTREG_MAP_BIT(r2));
            if (table != seen[r1][r2])
                fail_msg("%s o %s: table %#x, set theory %#x",
                         trustreg_map_rel_name((trustreg_map_rel)r1),
                         trustreg_map_rel_name((trustreg_map_rel)r2), table, seen[r1][r2]);
        }
    }
}

static void test_set_composition_is_sound_and_tight(void **state)
{
    (void)state;
    for (unsigned m1 = 1; m1 <= TRUSTREG_MAP_ANY; m1++) {
        for (unsigned m2 = 1; m2 <= TRUSTREG_MAP_ANY; m2++) {
            unsigned want = 0;
            for (int r1 = 0; r1 < 5; r1++)
                for (int r2 = 0; r2 < 5; r2++)
                    if ((m1 >> r1 & 1) && (m2 >> r2 & 1))
                        want |= seen[r1][r2];
            assert_int_equal(trustreg_map_compose(m1, m2), want);
        }
    }
    assert_int_equal(trustreg_map_compose(0, TRUSTREG_MAP_ANY), 0);
}

static void test_spec_cases(void **state)
{
    (void)state;
    const unsigned EQ = TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT),
                   SUB = TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET),
                   SUP = TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET),
                   INT = TRUSTREG_MAP_BIT(TRUSTREG_MAP_INTERSECTS),
                   NONE = TRUSTREG_MAP_BIT(TRUSTREG_MAP_NONE);
    assert_int_equal(trustreg_map_compose(SUB, SUB), SUB);
    assert_int_equal(trustreg_map_compose(SUP, SUP), SUP);
    for (unsigned r = 1; r <= TRUSTREG_MAP_ANY; r++) { /* equivalent-to is the identity */
        assert_int_equal(trustreg_map_compose(EQ, r), r);
        assert_int_equal(trustreg_map_compose(r, EQ), r);
    }
    /* intersects-with never becomes equivalent-to on its own */
    for (unsigned r = 1; r <= TRUSTREG_MAP_ANY; r++)
        assert_true((trustreg_map_compose(INT, r) & ~EQ) != 0);
    /* A < B > C says nothing */
    assert_int_equal(trustreg_map_compose(SUB, SUP), TRUSTREG_MAP_ANY);
    /* A > B, B = C: A > C (the example of the issue) */
    assert_int_equal(trustreg_map_compose(SUP, EQ), SUP);
    /* A < B, B ~ C: not definite */
    assert_int_equal(trustreg_map_compose(SUB, INT), SUB | INT | NONE);
    assert_string_equal(trustreg_map_relset_name(SUB | INT), "unknown");
    assert_string_equal(trustreg_map_relset_name(0), "contradiction");
}

static void test_converse(void **state)
{
    (void)state;
    for (unsigned m = 0; m <= TRUSTREG_MAP_ANY; m++) {
        unsigned want = 0;
        for (unsigned a = 1; a <= NSETS; a++)
            for (unsigned b = 1; b <= NSETS; b++)
                if (m >> rel_of(a, b) & 1)
                    want |= TRUSTREG_MAP_BIT(rel_of(b, a));
        assert_int_equal(trustreg_map_converse(m), want);
    }
}

/* A map over two sources (or two targets) read per control: every case the sets allow is in
 * tr_map_pair_rel's answer. */
static void test_group_maps_per_pair(void **state)
{
    (void)state;
    unsigned got_src[5] = {0}, got_dst[5] = {0};
    for (unsigned s1 = 1; s1 <= NSETS; s1++)
        for (unsigned s2 = 1; s2 <= NSETS; s2++)
            for (unsigned t = 1; t <= NSETS; t++) {
                /* sources {s1, s2} -> target t; and source t -> targets {s1, s2} */
                got_src[rel_of(s1 | s2, t)] |= TRUSTREG_MAP_BIT(rel_of(s1, t));
                got_dst[rel_of(t, s1 | s2)] |= TRUSTREG_MAP_BIT(rel_of(t, s1));
            }
    for (int r = 0; r < 5; r++) {
        unsigned two_src = tr_map_pair_rel((trustreg_map_rel)r, 2, 1);
        unsigned two_dst = tr_map_pair_rel((trustreg_map_rel)r, 1, 2);
        assert_int_equal(got_src[r] & ~two_src, 0); /* sound */
        assert_int_equal(got_dst[r] & ~two_dst, 0);
        assert_int_equal(tr_map_pair_rel((trustreg_map_rel)r, 1, 1), TRUSTREG_MAP_BIT(r));
    }
    /* "superset-of" from one source to several targets holds for each target */
    assert_int_equal(tr_map_pair_rel(TRUSTREG_MAP_SUPERSET, 1, 3),
                     TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    assert_int_equal(tr_map_pair_rel(TRUSTREG_MAP_RELATED, 1, 1), TRUSTREG_MAP_ANY);
}

/* The copy of the table in the schema (for SQL users and bench/mapcov.sh) matches. */
static void test_sql_table_matches(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/t.db", dir);
    trustreg_db *db;
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), 0);
    trustreg_db_close(db);
    sqlite3 *sq;
    assert_int_equal(sqlite3_open(path, &sq), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(sq, "SELECT a, b, c FROM map_rel_compose", -1, &st, NULL),
                     SQLITE_OK);
    unsigned sql[5][5] = {{0}};
    while (sqlite3_step(st) == SQLITE_ROW)
        sql[sqlite3_column_int(st, 0)][sqlite3_column_int(st, 1)] |= 1u << sqlite3_column_int(st, 2);
    sqlite3_finalize(st);
    sqlite3_close(sq);
    for (int r1 = 0; r1 < 5; r1++)
        for (int r2 = 0; r2 < 5; r2++)
            assert_int_equal(sql[r1][r2], seen[r1][r2]);
    tu_rmtree(dir);
    free(dir);
}

static void test_names(void **state)
{
    (void)state;
    trustreg_map_rel r;
    assert_int_equal(trustreg_map_rel_parse("equal-to", &r), 0);
    assert_int_equal(r, TRUSTREG_MAP_EQUIVALENT);
    assert_int_equal(trustreg_map_rel_parse("superset-of", &r), 0);
    assert_int_equal(r, TRUSTREG_MAP_SUPERSET);
    assert_int_equal(trustreg_map_rel_parse("superset", &r), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "superset"));
    char buf[128];
    assert_string_equal(trustreg_map_relset_describe(TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET) |
                                                         TRUSTREG_MAP_BIT(TRUSTREG_MAP_INTERSECTS),
                                                     buf, sizeof buf),
                        "one of: subset-of, intersects-with");
    assert_string_equal(trustreg_map_relset_describe(TRUSTREG_MAP_ANY, buf, sizeof buf),
                        "no conclusion");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_relationship_occurs),
        cmocka_unit_test(test_base_table_is_sound_and_tight),
        cmocka_unit_test(test_set_composition_is_sound_and_tight),
        cmocka_unit_test(test_spec_cases),
        cmocka_unit_test(test_converse),
        cmocka_unit_test(test_group_maps_per_pair),
        cmocka_unit_test(test_sql_table_matches),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
