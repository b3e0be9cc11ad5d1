/*
 * tests/unit/test_store.c - the store through the public API on real SQLite files: creation and
 * migration, refusal of foreign or newer databases, all-or-nothing imports, export round trip,
 * control lookup and full-text search over the real NIST SP 800-53 rev5 catalog.
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

#include "testutil.h"
#include "trustreg/trustreg.h"

#define REV5 "oscal/NIST_SP-800-53_rev5_catalog.json"
#define REV5_UUID "613fca2d-704a-42e7-8e2b-b206fb92b456"

typedef struct fixture {
    char *dir;
    char path[4200];
    trustreg_db *db;
} fixture;

static int setup_rev5(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/sub/dir/t.db", f->dir);
    if (trustreg_db_open(&f->db, f->path, TRUSTREG_DB_CREATE))
        return -1;
    const char *files[] = {tu_shared(REV5)};
    trustreg_import_result *r;
    if (trustreg_oscal_import_files(f->db, files, 1, NULL, NULL, &r))
        return -1;
    trustreg_import_results_free(r, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    trustreg_db_close(f->db);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void test_open_create_and_migrate(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/x.db", dir);
    trustreg_db *db;
    assert_int_equal(trustreg_db_open(&db, path, 0), TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message, "trustreg init"));
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), TRUSTREG_OK);
    int v = 0;
    assert_int_equal(trustreg_db_schema_version(db, &v), TRUSTREG_OK);
    assert_int_equal(v, trustreg_db_schema_version_current());
    trustreg_db_close(db);

    /* a database written by a newer trustreg is refused, not damaged */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "INSERT INTO schema_version VALUES (999, 'future', 'now')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(trustreg_db_open(&db, path, 0), TRUSTREG_ESTORE);
    assert_non_null(strstr(trustreg_error_last()->message, "newer"));

    /* a file that is not a database */
    char *junk = tu_write(dir, "junk.db", "this is not sqlite, just text long enough to read", 49);
    assert_int_equal(trustreg_db_open(&db, junk, 0), TRUSTREG_ESTORE);
    assert_non_null(strstr(trustreg_error_last()->message, "junk.db"));
    free(junk);
    tu_rmtree(dir);
    free(dir);
}

static void test_import_is_all_or_nothing(void **state)
{
    fixture *f = *state;
    char *dir = tu_tmpdir();
    char *bad = tu_write(dir, "bad.json", "{\"catalog\": {\"uuid\": 1}}", 24);
    const char *files[] = {tu_shared("oscal/examples/ssp/json/ssp-example.json"), bad};
    char first[4200];
    snprintf(first, sizeof first, "%s", files[0]);
    files[0] = first;
    trustreg_doc_info *before, *after;
    size_t nb, na;
    assert_int_equal(trustreg_oscal_list(f->db, TRUSTREG_MODEL_UNKNOWN, &before, &nb), 0);
    trustreg_import_result *r = (trustreg_import_result *)1;
    assert_int_equal(trustreg_oscal_import_files(f->db, files, 2, NULL, NULL, &r),
                     TRUSTREG_EINPUT);
    assert_null(r);
    assert_string_equal(trustreg_error_last()->pointer, "/catalog/uuid");
    assert_int_equal(trustreg_oscal_list(f->db, TRUSTREG_MODEL_UNKNOWN, &after, &na), 0);
    assert_int_equal(na, nb); /* the good SSP was not stored either */
    trustreg_doc_infos_free(before, nb);
    trustreg_doc_infos_free(after, na);
    free(bad);
    tu_rmtree(dir);
    free(dir);
}

static void test_reimport_is_unchanged(void **state)
{
    fixture *f = *state;
    const char *files[] = {tu_shared(REV5)};
    trustreg_import_result *r;
    assert_int_equal(trustreg_oscal_import_files(f->db, files, 1, NULL, NULL, &r), TRUSTREG_OK);
    assert_int_equal(r[0].unchanged, 1);
    assert_int_equal(r[0].controls, 1189);
    assert_int_equal(r[0].groups, 20);
    assert_string_equal(r[0].uuid, REV5_UUID);
    trustreg_import_results_free(r, 1);
    trustreg_doc_info *docs;
    size_t n;
    assert_int_equal(trustreg_oscal_list(f->db, TRUSTREG_MODEL_CATALOG, &docs, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(docs[0].controls, 1189);
    trustreg_doc_infos_free(docs, n);
}

static void test_export_round_trip(void **state)
{
    fixture *f = *state;
    char *out;
    size_t len;
    assert_int_equal(trustreg_oscal_export(f->db, REV5_UUID, TRUSTREG_EXPORT_ORIGINAL, &out, &len),
                     0);
    trustreg_oscal_doc *orig;
    assert_int_equal(trustreg_oscal_doc_load_file(&orig, tu_shared(REV5)), 0);
    assert_int_equal(len, orig->len);
    assert_memory_equal(out, orig->bytes, len);
    free(out);
    for (int fmt = TRUSTREG_EXPORT_PRETTY; fmt <= TRUSTREG_EXPORT_COMPACT; fmt++) {
        assert_int_equal(trustreg_oscal_export(f->db, REV5_UUID, fmt, &out, &len), 0);
        json_error_t err;
        json_t *back = json_loadb(out, len, 0, &err);
        assert_non_null(back);
        assert_true(json_equal(back, orig->root));
        json_decref(back);
        free(out);
    }
    trustreg_oscal_doc_free(orig);
    assert_int_equal(trustreg_oscal_export(f->db, "00000000-0000-4000-8000-000000000000",
                                           TRUSTREG_EXPORT_ORIGINAL, &out, &len),
                     TRUSTREG_ENOTFOUND);
}

/* Bodies are stored as zstd frames; a body stored uncompressed (identity, as schema version 1
 * stored them) still exports; a damaged frame is a storage error, never a wrong document. */
static void test_stored_body_encoding(void **state)
{
    fixture *f = *state;
    trustreg_oscal_doc *orig;
    assert_int_equal(trustreg_oscal_doc_load_file(&orig, tu_shared(REV5)), 0);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT body_encoding, length(body), size FROM documents",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "zstd");
    assert_true(sqlite3_column_int64(st, 1) < (sqlite3_int64)orig->len / 4);
    assert_int_equal(sqlite3_column_int64(st, 2), (sqlite3_int64)orig->len);
    sqlite3_finalize(st);

    /* identity body */
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "UPDATE documents SET body_encoding = 'identity', body = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, orig->bytes, (int)orig->len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    char *out;
    size_t len;
    assert_int_equal(trustreg_oscal_export(f->db, REV5_UUID, TRUSTREG_EXPORT_ORIGINAL, &out, &len),
                     0);
    assert_int_equal(len, orig->len);
    assert_memory_equal(out, orig->bytes, len);
    free(out);

    /* a truncated frame, then a frame of another document */
    const char *damage[] = {
        "UPDATE documents SET body_encoding = 'zstd', body = substr(body, 1, 100)",
        "UPDATE documents SET size = size + 1",
    };
    for (int i = 0; i < 2; i++) {
        if (i == 1) { /* restore a good frame first, then lie about the size */
            assert_int_equal(sqlite3_exec(raw, "PRAGMA foreign_keys = ON; DELETE FROM documents", NULL, NULL, NULL),
                             SQLITE_OK);
            const char *files[] = {tu_shared(REV5)};
            trustreg_import_result *r;
            assert_int_equal(trustreg_oscal_import_files(f->db, files, 1, NULL, NULL, &r), 0);
            trustreg_import_results_free(r, 1);
        }
        assert_int_equal(sqlite3_exec(raw, damage[i], NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(
            trustreg_oscal_export(f->db, REV5_UUID, TRUSTREG_EXPORT_ORIGINAL, &out, &len),
            TRUSTREG_ESTORE);
        assert_non_null(strstr(trustreg_error_last()->message, "stored body"));
    }
    sqlite3_close(raw);
    trustreg_oscal_doc_free(orig);
}

static void test_control_lookup(void **state)
{
    fixture *f = *state;
    trustreg_control *c;
    assert_int_equal(trustreg_catalog_control(f->db, REV5_UUID, "AC-2", &c), 0);
    assert_string_equal(c->id, "ac-2");
    assert_string_equal(c->label, "AC-2");
    assert_string_equal(c->title, "Account Management");
    assert_string_equal(c->group_path, "ac");
    assert_string_equal(c->group_title, "Access Control");
    assert_int_equal(c->n_params, 10);
    assert_int_equal(c->n_enhancements, 13);
    assert_string_equal(c->enhancements[0].id, "ac-2.1");
    assert_int_equal(c->enhancements[9].withdrawn, 1); /* AC-2(10) was withdrawn */
    json_t *j = trustreg_control_to_json(c);
    assert_string_equal(json_string_value(json_object_get(j, "title")), "Account Management");
    json_decref(j);
    trustreg_control_free(c);

    assert_int_equal(trustreg_catalog_control(f->db, REV5_UUID, "ac-2(1)", &c), 0);
    assert_string_equal(c->id, "ac-2.1");
    assert_string_equal(c->parent, "ac-2");
    trustreg_control_free(c);

    assert_int_equal(trustreg_catalog_control(f->db, REV5_UUID, "zz-99", &c), TRUSTREG_ENOTFOUND);
    assert_int_equal(
        trustreg_catalog_control(f->db, "00000000-0000-4000-8000-000000000000", "ac-1", &c),
        TRUSTREG_ENOTFOUND);
}

static int has_hit(trustreg_search_hit *h, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].id, id) == 0)
            return 1;
    return 0;
}

static void test_search(void **state)
{
    fixture *f = *state;
    trustreg_search_hit *h;
    size_t n;
    trustreg_search_opts o = {.limit = 50};
    assert_int_equal(trustreg_catalog_search(f->db, "account management", &o, &h, &n), 0);
    assert_true(n > 5);
    assert_true(has_hit(h, n, "ac-2"));
    for (size_t i = 1; i < n; i++)
        assert_true(h[i - 1].score <= h[i].score);
    trustreg_search_hits_free(h, n);

    /* stemming: "encrypting" finds controls about encryption-related words */
    assert_int_equal(trustreg_catalog_search(f->db, "cryptographic key", &o, &h, &n), 0);
    assert_true(has_hit(h, n, "sc-12"));
    trustreg_search_hits_free(h, n);

    /* withdrawn controls only on request */
    o.limit = 2000;
    assert_int_equal(trustreg_catalog_search(f->db, "shared group account credential", &o, &h, &n),
                     0);
    assert_false(has_hit(h, n, "ac-2.10"));
    trustreg_search_hits_free(h, n);
    o.include_withdrawn = 1;
    assert_int_equal(trustreg_catalog_search(f->db, "shared group account credential", &o, &h, &n),
                     0);
    assert_true(has_hit(h, n, "ac-2.10"));
    trustreg_search_hits_free(h, n);

    /* punctuation in plain queries is not FTS syntax */
    assert_int_equal(trustreg_catalog_search(f->db, "\"ac-2 OR (", &o, &h, &n), 0);
    trustreg_search_hits_free(h, n);
    o.raw = 1;
    assert_int_equal(trustreg_catalog_search(f->db, "\"unterminated", &o, &h, &n),
                     TRUSTREG_EINPUT);
    assert_int_equal(trustreg_catalog_search(f->db, "   ", NULL, &h, &n), TRUSTREG_EUSAGE);
    o.raw = 0;
    o.catalog_uuid = "00000000-0000-4000-8000-000000000000";
    assert_int_equal(trustreg_catalog_search(f->db, "account", &o, &h, &n), 0);
    assert_int_equal(n, 0);
    trustreg_search_hits_free(h, n);
}

static void test_readonly_refuses_writes(void **state)
{
    fixture *f = *state;
    trustreg_db *ro;
    assert_int_equal(trustreg_db_open(&ro, f->path, TRUSTREG_DB_READONLY), 0);
    const char *files[] = {tu_shared("oscal/examples/catalog/json/basic-catalog.json")};
    char copy[4200];
    snprintf(copy, sizeof copy, "%s", files[0]);
    files[0] = copy;
    trustreg_import_result *r;
    assert_int_equal(trustreg_oscal_import_files(ro, files, 1, NULL, NULL, &r), TRUSTREG_ESTORE);
    trustreg_db_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_create_and_migrate),
        cmocka_unit_test_setup_teardown(test_import_is_all_or_nothing, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_is_unchanged, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_export_round_trip, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_stored_body_encoding, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_control_lookup, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup_rev5, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_refuses_writes, setup_rev5, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
