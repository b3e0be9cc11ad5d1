/*
 * tests/unit/test_vschema_suite.c - the schema engine (oscal/vschema.c) on the official
 * JSON-Schema-Test-Suite, draft-07 (Debian package json-schema-test-suite). Every test group
 * whose schema uses only implemented keywords is compiled at build time by
 * vschema_compile.py --suite; each of its test cases must be judged valid/invalid as the suite
 * says. The groups the compiler refused are listed with the reason (docs/validate.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscal/vschema.h"
#include "trustreg/trustreg.h"

typedef struct tr_vs_suite_case {
    const tr_vs_set *set;
    const char *file;
    int group;
} tr_vs_suite_case;
extern const tr_vs_suite_case tr_vs_suite[];
extern const size_t tr_vs_suite_count;
extern const char *const tr_vs_suite_skipped[];

static void test_suite_draft7(void **state)
{
    (void)state;
    if (tr_vs_suite_count == 0) {
        fprintf(stderr, "JSON-Schema-Test-Suite not installed at %s\n", TRUSTREG_SCHEMA_SUITE_DIR);
        skip();
    }
    size_t cases = 0, failed = 0, unreadable = 0;
    for (size_t i = 0; i < tr_vs_suite_count; i++) {
        const tr_vs_suite_case *sc = &tr_vs_suite[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", TRUSTREG_SCHEMA_SUITE_DIR, sc->file);
        json_error_t je;
        json_t *groups = json_load_file(path, JSON_DECODE_ANY, &je);
        assert_non_null(groups);
        json_t *tests = json_object_get(json_array_get(groups, (size_t)sc->group), "tests");
        for (size_t t = 0; t < json_array_size(tests); t++) {
            json_t *tc = json_array_get(tests, t);
            char *text = json_dumps(json_object_get(tc, "data"), JSON_ENCODE_ANY);
            tr_jdom dom = {0};
            if (tr_jdom_parse(&dom, (const unsigned char *)text, strlen(text), 128, "data")) {
                unreadable++; /* e.g. "\u0000", which the strict reader refuses */
                tr_jdom_free(&dom);
                free(text);
                continue;
            }
            tr_vs_errors errs = {.max = 100};
            assert_int_equal(tr_vs_validate(sc->set, &dom, 0, &errs), TRUSTREG_OK);
            int want = json_is_true(json_object_get(tc, "valid"));
            int got = errs.n == 0;
            cases++;
            if (want != got) {
                failed++;
                fprintf(stderr, "FAIL %s#%d: %s / %s: expected %s, data %s\n", sc->file, sc->group,
                        json_string_value(json_object_get(json_array_get(groups, (size_t)sc->group),
                                                          "description")),
                        json_string_value(json_object_get(tc, "description")),
                        want ? "valid" : "invalid", text);
            }
            tr_vs_errors_free(&errs);
            tr_jdom_free(&dom);
            free(text);
        }
        json_decref(groups);
    }
    size_t skipped = 0;
    while (tr_vs_suite_skipped[skipped])
        skipped++;
    fprintf(stderr,
            "JSON-Schema-Test-Suite draft7: %zu groups compiled, %zu refused by the "
            "compiler; %zu cases run, %zu failed, %zu inputs the reader refuses\n",
            tr_vs_suite_count, skipped, cases, failed, unreadable);
    assert_true(cases >= 250); /* Debian 12's suite (2.0.0): 259 cases in the groups we compile */
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_draft7),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
