/*
 * tests/unit/test_map.c - framework mappings through the public API on real SQLite files: import
 * of the real OSCAL mapping collections (counts derived from the files, schema deviations as
 * warnings, unknown controls reported), export round trips (OSCAL and CSV), CSV errors with their
 * positions and all-or-nothing writes, rows as the CCM importer will give them, and the show and
 * coverage queries on chains built for the purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "trustreg/map.h"
#include "trustreg/trustreg.h"

#define MC "mappings/example-mapping/mapping-collections/"
#define R5R4 MC "NIST_SP-800-53_rev5-to-NIST_SP-800-53_rev4/mapping-collection.json"
#define CSF53 MC "NIST_CSF_v2.0-to-NIST_SP-800-53_rev5/mapping-collection.json"
#define REV5 "oscal/NIST_SP-800-53_rev5_catalog.json"
#define REV5_UUID "613fca2d-704a-42e7-8e2b-b206fb92b456"

typedef struct fx {
    char *dir;
    char path[4200];
    trustreg_db *db;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/m.db", f->dir);
    if (trustreg_db_open(&f->db, f->path, TRUSTREG_DB_CREATE))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    trustreg_db_close(f->db);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void import_rev5(fx *f)
{
    const char *files[] = {tu_shared(REV5)};
    trustreg_import_result *r;
    assert_int_equal(trustreg_oscal_import_files(f->db, files, 1, NULL, NULL, &r), 0);
    trustreg_import_results_free(r, 1);
}

/* Number of maps and of target references in a collection, counted with jansson. */
static void count_file(const char *path, long *maps, long *targets)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    *maps = *targets = 0;
    json_t *g, *m;
    size_t i, j;
    json_array_foreach(json_object_get(json_object_get(root, "mapping-collection"), "mappings"), i,
                       g) {
        json_array_foreach(json_object_get(g, "maps"), j, m) {
            (*maps)++;
            *targets += (long)json_array_size(json_object_get(m, "targets"));
        }
    }
    json_decref(root);
}

static size_t count_warnings(const trustreg_map_import_result *r, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i].message, needle))
            n++;
    return n;
}

static void test_import_rev5_rev4(void **state)
{
    fx *f = *state;
    long maps, targets;
    count_file(tu_shared(R5R4), &maps, &targets);
    assert_int_equal(maps, 740); /* the README's figure, recounted */
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_file(f->db, tu_shared(R5R4), NULL, &r), 0);
    assert_int_equal(r->maps, 740);
    assert_int_equal(r->edges, targets);
    assert_int_equal(r->mappings, 1);
    assert_false(r->unchanged);
    /* provenance.method "manual" is reported by pointer, not fatal */
    size_t k;
    for (k = 0; k < r->n_warnings; k++)
        if (strcmp(r->warnings[k].pointer, "/mapping-collection/provenance/method") == 0)
            break;
    assert_true(k < r->n_warnings);
    assert_non_null(strstr(r->warnings[k].message, "\"manual\""));
    /* neither catalog is stored: the names come from the hrefs and it is said */
    assert_int_equal(count_warnings(r, "is not bound to a stored catalog"), 2);
    trustreg_map_import_result_free(r);
    /* again: unchanged, nothing added */
    assert_int_equal(trustreg_map_import_file(f->db, tu_shared(R5R4), NULL, &r), 0);
    assert_true(r->unchanged);
    assert_int_equal(r->maps, 740);
    trustreg_map_import_result_free(r);
    trustreg_map_set_info *sets;
    size_t n;
    assert_int_equal(trustreg_map_list(f->db, &sets, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(sets[0].frameworks, "NIST_SP-800-53_rev5 -> NIST_SP-800-53_rev4");
    trustreg_map_set_infos_free(sets, n);
}

static void test_import_csf_bound(void **state)
{
    fx *f = *state;
    import_rev5(f);
    long maps, targets;
    count_file(tu_shared(CSF53), &maps, &targets);
    trustreg_map_import_opts o = {.target_catalog = REV5_UUID};
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_file(f->db, tu_shared(CSF53), &o, &r), 0);
    assert_int_equal(r->maps, maps);
    assert_int_equal(r->edges, targets);
    /* the four SP 800-53 release 5.2.0 ids are not in the 5.0.1 catalog: reported, kept */
    assert_int_equal(count_warnings(r, "is not in catalog"), 4);
    const char *ids[] = {"\"ia-13\"", "\"sa-15.13\"", "\"sa-24\"", "\"si-2.7\""};
    for (int i = 0; i < 4; i++)
        assert_int_equal(count_warnings(r, ids[i]), 1);
    trustreg_map_import_result_free(r);
    /* every map is superset-of with one source: each rev5 control is contained in pr.aa-01 */
    trustreg_map_hit *hits;
    size_t n;
    assert_int_equal(trustreg_map_show(f->db, "NIST_CSF_v2.0", "pr.aa-01", NULL, &hits, &n), 0);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(hits[i].catalog, "NIST_SP-800-53_rev5");
        assert_string_equal(hits[i].catalog_uuid, REV5_UUID);
        assert_int_equal(hits[i].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    }
    trustreg_map_hits_free(hits, n);
    /* by catalog uuid and by label: AC-2 is a subset of the CSF subcategories that list it */
    assert_int_equal(trustreg_map_show(f->db, REV5_UUID, "AC-2", NULL, &hits, &n), 0);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(hits[i].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET));
    trustreg_map_hits_free(hits, n);
    assert_int_equal(trustreg_map_show(f->db, "nope", "x", NULL, &hits, &n), TRUSTREG_ENOTFOUND);
    assert_int_equal(trustreg_map_show(f->db, REV5_UUID, "zz-9", NULL, &hits, &n),
                     TRUSTREG_ENOTFOUND);
}

static void test_export_oscal_round_trip(void **state)
{
    fx *f = *state;
    const char *files[] = {R5R4, CSF53, MC "PCI_v4-to-Harmonized_V1.1/mapping-collection.json",
                           MC "NIST-800-53_rev4-to-Harmonized_V1.0/mapping-collection.json"};
    for (size_t i = 0; i < 4; i++) {
        trustreg_map_import_result *r;
        assert_int_equal(trustreg_map_import_file(f->db, tu_shared(files[i]), NULL, &r), 0);
        char *out;
        size_t len;
        assert_int_equal(trustreg_map_export(f->db, r->set_uuid, TRUSTREG_MAP_FORMAT_OSCAL, &out,
                                             &len),
                         0);
        if (i >= 2) /* the two toy files share a uuid: the latest import is exported */
            assert_int_equal(r->set_id, (int64_t)(i + 1));
        json_error_t err;
        json_t *a = json_loads(out, 0, &err), *b = json_load_file(tu_shared(files[i]), 0, &err);
        assert_non_null(a);
        assert_true(json_equal(a, b));
        json_decref(a);
        json_decref(b);
        free(out);
        trustreg_map_import_result_free(r);
    }
}

static const char chain_csv[] =
    "source_catalog,source_control,relationship,target_catalog,target_control,strength\n"
    "X,x1,superset-of,Y,y1,7\n"
    "Y,y1,equivalent-to,Z,z1,\n"
    "X,x2,subset-of,Y,y2,\n"
    "Z,z2,superset-of,Y,y2,\n"
    "X, x3 ,\xc2\xa0intersects-with ,Y,y3,\n" /* stray and no-break spaces */
    "X,x4,no-relationship,Y,y4,\n"
    "X,x5,equal-to,Y,\"y5; y6\",10\n"
    "X,x7,subset-of,Y,,\n";

static void test_show_transitive(void **state)
{
    fx *f = *state;
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_buffer(f->db, chain_csv, strlen(chain_csv), "chain.csv",
                                                NULL, &r),
                     0);
    assert_int_equal(r->maps, 7); /* the record without a target is skipped and said */
    assert_int_equal(count_warnings(r, "1 records without a target"), 1);
    assert_int_equal(r->edges, 8);
    trustreg_map_import_result_free(r);
    trustreg_map_query_opts o = {.transitive = 1};
    trustreg_map_hit *h;
    size_t n;
    /* x1 > y1 = z1 gives x1 > z1, explained in two steps */
    assert_int_equal(trustreg_map_show(f->db, "X", "x1", &o, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(h[1].control, "z1");
    assert_int_equal(h[1].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    assert_int_equal(h[1].n_path, 2);
    assert_string_equal(h[1].path[0].stated, "superset-of");
    assert_string_equal(h[1].path[1].stated, "equivalent-to");
    assert_string_equal(h[1].path[1].from_control, "y1");
    trustreg_map_hits_free(h, n);
    /* x2 < y2 and z2 > y2 (read backwards: y2 < z2) gives x2 < z2 */
    assert_int_equal(trustreg_map_show(f->db, "X", "x2", &o, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(h[1].control, "z2");
    assert_int_equal(h[1].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET));
    assert_int_equal(h[1].path[1].converse, 1);
    trustreg_map_hits_free(h, n);
    /* without --transitive only the direct mapping */
    o.transitive = 0;
    assert_int_equal(trustreg_map_show(f->db, "X", "x1", &o, &h, &n), 0);
    assert_int_equal(n, 1);
    trustreg_map_hits_free(h, n);
    /* from z2: y2 (subset), then x2 in y2: z2 > y2 > x2 */
    o.transitive = 1;
    assert_int_equal(trustreg_map_show(f->db, "Z", "z2", &o, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    assert_int_equal(h[1].rel, TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    trustreg_map_hits_free(h, n);
    /* a map with two targets: x5 = y5 u y6, so x5 > y5 and x5 > y6, marked as a group */
    assert_int_equal(trustreg_map_show(f->db, "X", "x5", &o, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].rel, TRUSTREG_MAP_CONTAINS);
    assert_int_equal(h[0].path[0].group, 1);
    trustreg_map_hits_free(h, n);
}

static void test_coverage(void **state)
{
    fx *f = *state;
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_buffer(f->db, chain_csv, strlen(chain_csv), "chain.csv",
                                                NULL, &r),
                     0);
    trustreg_map_import_result_free(r);
    const char *met[] = {"x1", "x2", "x3", "x4", "x5", "nothere"};
    trustreg_map_coverage *c;
    assert_int_equal(trustreg_map_coverage_query(f->db, "X", "Y", met, 6, NULL, &c), 0);
    /* Y has no stored catalog: its controls are those mappings name, sorted */
    assert_int_equal(c->n_items, 6);
    const char *want[][2] = {{"y1", "full"},    {"y2", "partial"}, {"y3", "partial"},
                             {"y4", "none"},    {"y5", "full"},    {"y6", "full"}};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(c->items[i].control, want[i][0]);
        assert_string_equal(trustreg_map_level_name(c->items[i].level), want[i][1]);
    }
    assert_int_equal(c->full, 3);
    assert_int_equal(c->partial, 2);
    assert_int_equal(c->none, 1);
    assert_string_equal(c->items[0].met, "x1");
    trustreg_map_coverage_free(c);
    /* Z through Y: z1 = y1 < x1 (full); z2 > y2 > x2 only overlaps (partial) */
    assert_int_equal(trustreg_map_coverage_query(f->db, "X", "Z", met, 6, NULL, &c), 0);
    assert_int_equal(c->n_items, 2);
    assert_int_equal(c->items[0].level, TRUSTREG_MAP_FULL);
    assert_int_equal(c->items[0].n_path, 2);
    assert_int_equal(c->items[1].level, TRUSTREG_MAP_PARTIAL);
    trustreg_map_coverage_free(c);
    /* --max-depth 1 stops before Z */
    trustreg_map_query_opts o = {.max_depth = 1};
    assert_int_equal(trustreg_map_coverage_query(f->db, "X", "Z", met, 6, &o, &c), 0);
    assert_int_equal(c->none, 2);
    trustreg_map_coverage_free(c);
}

static void test_csv_round_trip(void **state)
{
    fx *f = *state;
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_buffer(f->db, chain_csv, strlen(chain_csv), "chain.csv",
                                                NULL, &r),
                     0);
    char *csv1, *json1;
    size_t len;
    assert_int_equal(trustreg_map_export(f->db, r->set_uuid, TRUSTREG_MAP_FORMAT_CSV, &csv1, &len),
                     0);
    assert_non_null(strstr(csv1, "X,x5,equal-to,Y,y5; y6,10,"));
    assert_int_equal(trustreg_map_export(f->db, r->set_uuid, TRUSTREG_MAP_FORMAT_OSCAL, &json1,
                                         &len),
                     0);
    trustreg_map_import_result_free(r);
    /* the OSCAL export of a CSV set imports back to the same CSV */
    trustreg_db *db2;
    char p2[4300];
    snprintf(p2, sizeof p2, "%s/two.db", f->dir);
    assert_int_equal(trustreg_db_open(&db2, p2, TRUSTREG_DB_CREATE), 0);
    assert_int_equal(trustreg_map_import_buffer(db2, json1, strlen(json1), "x.json", NULL, &r), 0);
    assert_int_equal(r->maps, 7);
    char *csv2;
    assert_int_equal(trustreg_map_export(db2, r->set_uuid, TRUSTREG_MAP_FORMAT_CSV, &csv2, &len),
                     0);
    assert_string_equal(csv1, csv2);
    trustreg_map_import_result_free(r);
    trustreg_db_close(db2);
    free(csv1);
    free(csv2);
    free(json1);
}

static void expect_csv_error(fx *f, const char *csv, int line, int column, const char *needle)
{
    trustreg_map_import_result *r = NULL;
    assert_int_equal(trustreg_map_import_buffer(f->db, csv, strlen(csv), "bad.csv", NULL, &r),
                     TRUSTREG_EINPUT);
    const trustreg_error *e = trustreg_error_last();
    if (!strstr(e->message, needle))
        fail_msg("'%s' not in '%s'", needle, e->message);
    assert_int_equal(e->line, line);
    assert_int_equal(e->column, column);
    assert_null(r);
}

static void test_csv_errors(void **state)
{
    fx *f = *state;
    const char *hdr = "source_catalog,source_control,relationship,target_catalog,target_control,"
                      "strength\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%sA,a1,subset-of,B,b1,\nA,a2,subsetof,B,b2,\n", hdr);
    expect_csv_error(f, buf, 3, 3, "unknown relationship \"subsetof\"");
    snprintf(buf, sizeof buf, "%sA,a1,subset-of,B,b1,11\n", hdr);
    expect_csv_error(f, buf, 2, 6, "strength \"11\"");
    snprintf(buf, sizeof buf, "%sA,a1,subset-of,B,b1\n", hdr);
    expect_csv_error(f, buf, 2, 5, "expected 6 fields");
    snprintf(buf, sizeof buf, "%sA,\"a\n1\",subset-of,B,b1,\n,a2,subset-of,B,b1,\n", hdr);
    expect_csv_error(f, buf, 4, 1, "source_catalog is empty");
    snprintf(buf, sizeof buf, "%sA,a1,subset-of,B,\"b1\n", hdr);
    expect_csv_error(f, buf, 2, 1, "not closed");
    snprintf(buf, sizeof buf, "%sA,a\"1,subset-of,B,b1,\n", hdr);
    expect_csv_error(f, buf, 2, 4, "malformed CSV");
    expect_csv_error(f, "source_catalog,source_control,relationship,target_catalog\nA,a,b,c\n", 1,
                     1, "no \"target_control\" column");
    expect_csv_error(f, "", 1, 1, "empty CSV");
    snprintf(buf, sizeof buf, "%sA,a\xff,subset-of,B,b1,\n", hdr);
    expect_csv_error(f, buf, 2, 2, "not valid UTF-8");
    /* nothing was stored by any of them */
    trustreg_map_set_info *sets;
    size_t n;
    assert_int_equal(trustreg_map_list(f->db, &sets, &n), 0);
    assert_int_equal(n, 0);
    trustreg_map_set_infos_free(sets, n);
}

#define DOC \
        "{\"mapping-collection\":{\"uuid\":\"11111111-1111-4111-8111-111111111111\"," \
        "\"metadata\":{\"title\":\"t\",\"last-modified\":\"2024-01-01T00:00:00Z\"," \
        "\"version\":\"1\",\"oscal-version\":\"1.2.1\"},\"provenance\":{\"method\":\"human\"," \
        "\"matching-rationale\":\"semantic\",\"status\":\"draft\",\"mapping-description\":\"d\"}," \
        "\"mappings\":[{\"uuid\":\"22222222-2222-4222-8222-222222222222\"," \
        "\"source-resource\":{\"type\":\"catalog\",\"href\":\"a.json\"}," \
        "\"target-resource\":{\"type\":\"catalog\",\"href\":\"b.json\"},\"maps\":[{\"uuid\":" \
        "\"33333333-3333-4333-8333-333333333333\",\"relationship\":\"%s\",\"sources\":[{" \
        "\"type\":\"control\",\"id-ref\":\"a1\"}],\"targets\":%s}]}]}}"

static void test_oscal_errors(void **state)
{
    fx *f = *state;
    char buf[2048];
    trustreg_map_import_result *r;
    snprintf(buf, sizeof buf, DOC, "bigger-than", "[{\"type\":\"control\",\"id-ref\":\"b1\"}]");
    assert_int_equal(trustreg_map_import_buffer(f->db, buf, strlen(buf), "x.json", NULL, &r),
                     TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer,
                        "/mapping-collection/mappings/0/maps/0/relationship");
    snprintf(buf, sizeof buf, DOC, "subset-of", "[]");
    assert_int_equal(trustreg_map_import_buffer(f->db, buf, strlen(buf), "x.json", NULL, &r),
                     TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer,
                        "/mapping-collection/mappings/0/maps/0/targets");
    snprintf(buf, sizeof buf, DOC, "subset-of", "[{\"type\":\"control\"}]");
    assert_int_equal(trustreg_map_import_buffer(f->db, buf, strlen(buf), "x.json", NULL, &r),
                     TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer,
                        "/mapping-collection/mappings/0/maps/0/targets/0/id-ref");
    /* a catalog is not a mapping collection */
    assert_int_equal(trustreg_map_import_file(f->db, tu_shared(REV5), NULL, &r), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "found a catalog"));
    /* the good one imports */
    snprintf(buf, sizeof buf, DOC, "subset-of", "[{\"type\":\"control\",\"id-ref\":\"b1\"}]");
    assert_int_equal(trustreg_map_import_buffer(f->db, buf, strlen(buf), "x.json", NULL, &r), 0);
    assert_int_equal(r->edges, 1);
    trustreg_map_import_result_free(r);
}

/* Rows as the CCM workbook importer will hand them over (invented ids and cells). */
static void test_rows(void **state)
{
    fx *f = *state;
    import_rev5(f);
    trustreg_map_row rows[] = {
        {"CCM-test", "IAM-02", REV5_UUID, "AC-2, AC-3(1)", TRUSTREG_MAP_RELATED, -1, NULL,
         "Sheet!E5"},
        {"CCM-test", "IAM-03", REV5_UUID, "\xc2\xa0IA-2\n", TRUSTREG_MAP_SUBSET, 6, "semantic",
         "Sheet!E6"},
        {"CCM-test", "IAM-04", REV5_UUID, "  ", TRUSTREG_MAP_RELATED, -1, NULL, "Sheet!E7"},
        {"CCM-test", "IAM-05", REV5_UUID, "ZZ-99", TRUSTREG_MAP_SUPERSET, -1, NULL, "Sheet!E8"},
    };
    trustreg_map_import_result *r;
    assert_int_equal(trustreg_map_import_rows(f->db, rows, 4, "CCM test mappings", "ccm.xlsx", &r),
                     0);
    assert_int_equal(r->maps, 3); /* the blank cell is no mapping */
    assert_int_equal(r->edges, 4);
    assert_int_equal(count_warnings(r, "\"ZZ-99\" is not in catalog"), 1);
    assert_int_equal(count_warnings(r, "CCM-test"), 1); /* not bound: said once */
    trustreg_map_import_result_free(r);
    trustreg_map_hit *h;
    size_t n;
    assert_int_equal(trustreg_map_show(f->db, "CCM-test", "IAM-02", NULL, &h, &n), 0);
    assert_int_equal(n, 2);
    /* labels became the catalog's ids; "related" concludes nothing */
    assert_string_equal(h[0].control, "ac-2");
    assert_string_equal(h[1].control, "ac-3.1");
    assert_int_equal(h[0].rel, TRUSTREG_MAP_ANY);
    trustreg_map_hits_free(h, n);
    assert_int_equal(trustreg_map_show(f->db, "CCM-test", "iam-03", NULL, &h, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].control, "ia-2");
    trustreg_map_hits_free(h, n);
    /* the same rows again: unchanged */
    assert_int_equal(trustreg_map_import_rows(f->db, rows, 4, "CCM test mappings", "ccm.xlsx", &r),
                     0);
    assert_true(r->unchanged);
    trustreg_map_import_result_free(r);
    /* bad rows are refused whole */
    trustreg_map_row bad[] = {{"A", "a1", "B", "b1", TRUSTREG_MAP_SUBSET, 11, NULL, "S!A1"}};
    assert_int_equal(trustreg_map_import_rows(f->db, bad, 1, "t", "x", &r), TRUSTREG_EUSAGE);
    assert_non_null(strstr(trustreg_error_last()->message, "S!A1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_rev5_rev4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_csf_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_oscal_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show_transitive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coverage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oscal_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
