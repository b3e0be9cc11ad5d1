/*
 * tests/unit/test_oscal.c - the OSCAL document reader and the catalog walker: model detection,
 * bad input with positions, control counts of the real NIST catalogs, prose rendering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oscal/catalog_walk.h"
#include "testutil.h"
#include "trustreg/trustreg.h"
#include "util/mem.h"

static const char *const UUID = "0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c";

static int parse(const char *text, trustreg_oscal_doc **doc)
{
    return trustreg_oscal_doc_parse(doc, text, strlen(text), "t.json");
}

static void test_model_detection(void **state)
{
    (void)state;
    static const char *const models[] = {"catalog",
                                          "profile",
                                          "component-definition",
                                          "system-security-plan",
                                          "assessment-plan",
                                          "assessment-results",
                                          "plan-of-action-and-milestones",
                                          "mapping-collection"};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"$schema\":\"x\",\"%s\":{\"uuid\":\"%s\",\"metadata\":{\"title\":\"T\","
                 "\"version\":\"1\",\"oscal-version\":\"1.1.2\"}}}",
                 models[i], UUID);
        trustreg_oscal_doc *doc;
        assert_int_equal(parse(text, &doc), TRUSTREG_OK);
        assert_string_equal(trustreg_oscal_model_name(doc->model), models[i]);
        assert_int_equal(trustreg_oscal_model_from_name(models[i]), doc->model);
        assert_string_equal(doc->uuid, UUID);
        assert_string_equal(doc->title, "T");
        assert_string_equal(doc->oscal_version, "1.1.2");
        assert_int_equal(strlen(doc->sha256), 64);
        trustreg_oscal_doc_free(doc);
    }
}

typedef struct bad_case {
    const char *text;
    int line, column;   /* expected position, 0 when a pointer is expected */
    const char *pointer;
    const char *needle; /* text the message must contain */
} bad_case;

static void test_bad_inputs(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", 1, 1, NULL, "empty input"},
        {"   \n  ", 1, 1, NULL, "only white space"},
        {"{\"catalog\": {\"uuid\": \"x\",\n  \"metadata\": ", 2, 15, NULL, "invalid JSON"},
        {"{\"a\":1,\"a\":2}", 1, 0, NULL, "duplicate object key"},
        {"[1,2]", 0, 0, "", "expected an object at the top level, found array"},
        {"{\"frobnicate\":{}}", 0, 0, "/frobnicate", "unknown OSCAL model \"frobnicate\""},
        {"{}", 0, 0, "", "no OSCAL model"},
        {"{\"catalog\":[]}", 0, 0, "/catalog", "expected an object, found array"},
        {"{\"catalog\":{}}", 0, 0, "/catalog/uuid", "required member \"uuid\" is missing"},
        {"{\"catalog\":{\"uuid\":17}}", 0, 0, "/catalog/uuid", "expected a string, found integer"},
        {"{\"catalog\":{\"uuid\":\"not-a-uuid\"}}", 0, 0, "/catalog/uuid", "expected a UUID"},
        {"{\"profile\":{\"uuid\":\"0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c\",\"metadata\":{"
         "\"title\":[\"x\"]}}}",
         0, 0, "/profile/metadata/title", "expected a string, found array"},
        {"{\"catalog\":{},\"profile\":{}}", 0, 0, "/profile", "a second model \"profile\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        trustreg_oscal_doc *doc = (trustreg_oscal_doc *)1;
        int rc = parse(cases[i].text, &doc);
        const trustreg_error *e = trustreg_error_last();
        if (rc != TRUSTREG_EINPUT || !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: rc %d, message '%s'", i, rc, e->message);
        assert_null(doc);
        assert_string_equal(e->source, "t.json");
        if (cases[i].line) {
            assert_int_equal(e->line, cases[i].line);
            if (cases[i].column)
                assert_int_equal(e->column, cases[i].column);
        }
        if (cases[i].pointer)
            assert_string_equal(e->pointer, cases[i].pointer);
    }
}

static void test_deep_nesting_and_size(void **state)
{
    (void)state;
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    trustreg_oscal_doc *doc;
    assert_int_equal(trustreg_oscal_doc_parse(&doc, deep, 2 * n, "deep.json"), TRUSTREG_EINPUT);
    assert_int_equal(trustreg_error_last()->line, 1);
    assert_int_equal(trustreg_error_last()->column, TRUSTREG_OSCAL_MAX_DEPTH + 1);
    assert_non_null(strstr(trustreg_error_last()->message, "nesting deeper than"));
    free(deep);

    size_t big = (size_t)TRUSTREG_OSCAL_MAX_BYTES + 1;
    char *huge = calloc(1, big);
    assert_int_equal(trustreg_oscal_doc_parse(&doc, huge, big, "huge.json"), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "larger than the limit"));
    free(huge);
}

typedef struct collected {
    long controls, groups, withdrawn, enhancements;
    char *ac2_statement;
    char *first_group_path;
} collected;

static int on_group(void *ctx, const tr_group_row *row)
{
    collected *c = ctx;
    if (!c->first_group_path)
        c->first_group_path = tr_strdup(row->path);
    c->groups++;
    return 0;
}

static int on_control(void *ctx, const tr_control_row *row)
{
    collected *c = ctx;
    c->controls++;
    c->withdrawn += row->withdrawn;
    c->enhancements += *row->parent_id != '\0';
    if (strcmp(row->control_id, "ac-2") == 0)
        c->ac2_statement = tr_strdup(row->statement);
    return 0;
}

static void walk_file(const char *rel, collected *c)
{
    trustreg_oscal_doc *doc;
    int rc = trustreg_oscal_doc_load_file(&doc, tu_shared(rel));
    if (rc)
        fail_msg("%s", trustreg_error_last()->message);
    memset(c, 0, sizeof *c);
    tr_catalog_sink sink = {c, on_group, on_control};
    long nc = 0, ng = 0;
    assert_int_equal(tr_catalog_walk(doc, &sink, &nc, &ng), TRUSTREG_OK);
    assert_int_equal(nc, c->controls);
    assert_int_equal(ng, c->groups);
    trustreg_oscal_doc_free(doc);
}

static void test_rev5_catalog_counts(void **state)
{
    (void)state;
    collected c;
    walk_file("oscal/NIST_SP-800-53_rev5_catalog.json", &c);
    /* counts independently known for SP 800-53 rev5 (5.0.1): 1189 controls and enhancements,
     * 20 families, 322 base controls */
    assert_int_equal(c.controls, 1189);
    assert_int_equal(c.groups, 20);
    assert_int_equal(c.controls - c.enhancements, 322);
    assert_string_equal(c.first_group_path, "ac");
    assert_true(c.withdrawn > 100);
    assert_non_null(c.ac2_statement);
    /* items keep their labels and nesting; parameters are shown as assignments */
    assert_non_null(strstr(c.ac2_statement, "a. Define and document the types of accounts"));
    assert_non_null(strstr(c.ac2_statement, "\n  1. Authorized users of the system;"));
    assert_non_null(strstr(c.ac2_statement,
                           "[Assignment: organization-defined prerequisites and criteria]"));
    assert_null(strstr(c.ac2_statement, "{{"));
    free(c.ac2_statement);
    free(c.first_group_path);
}

static void test_rev4_catalog_counts(void **state)
{
    (void)state;
    collected c;
    walk_file("oscal/NIST_SP-800-53_rev4_catalog-min.json", &c);
    assert_int_equal(c.controls, 922);
    assert_int_equal(c.groups, 18);
    free(c.ac2_statement);
    free(c.first_group_path);
}

static void test_render_prose(void **state)
{
    (void)state;
    /* parameters on the catalog, a group and a control are all found */
    const char *text =
        "{\"params\":[{\"id\":\"p1\",\"label\":\"frequency\"}],"
        "\"groups\":[{\"params\":[{\"id\":\"p2\",\"select\":{\"how-many\":\"one-or-more\","
        "\"choice\":[\"daily\",\"{{ insert: param, p1 }}\"]}}],"
        "\"controls\":[{\"params\":[{\"id\":\"p3\",\"values\":[\"weekly\",\"monthly\"]},"
        "{\"id\":\"p4\",\"select\":{\"choice\":[\"{{ insert: param, p4 }}\"]}},"
        "{\"id\":\"p1\",\"label\":\"a later duplicate\"}]}]}]}";
    tr_jdom d;
    assert_int_equal(tr_jdom_parse(&d, (const unsigned char *)text, strlen(text), 64, "p"), 0);
    tr_param_index params;
    assert_int_equal(tr_param_index_build(&params, &d, 0), 0);
    assert_int_equal(params.n, 5);
    static const char *const cases[][2] = {
        {"Review {{ insert: param, p1 }}.", "Review [Assignment: frequency]."},
        {"{{insert:param,p2}}", "[Selection (one or more): daily; [Assignment: frequency]]"},
        {"at {{ insert: param, p3 }}", "at weekly, monthly"},
        {"{{ insert: param, nope }}", "[Assignment: nope]"},
        {"{{ other }} and {{ unclosed", "{{ other }} and {{ unclosed"},
        {"plain", "plain"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tr_buf b = {0};
        tr_render_prose(&b, cases[i][0], &params);
        char *s = tr_buf_steal(&b);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
    /* a parameter that selects itself must terminate */
    tr_buf b = {0};
    tr_render_prose(&b, "{{ insert: param, p4 }}", &params);
    char *s = tr_buf_steal(&b);
    assert_non_null(strstr(s, "[Selection: "));
    free(s);
    tr_param_index_free(&params);
    tr_jdom_free(&d);
}

static void test_catalog_type_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"\"groups\":{}", "/catalog/groups"},
        {"\"groups\":[1]", "/catalog/groups/0"},
        {"\"groups\":[{\"id\":\"g\"}]", "/catalog/groups/0/title"},
        {"\"groups\":[{\"title\":\"g\",\"controls\":[{\"id\":\"a\",\"title\":\"b\",\"parts\":["
         "{\"name\":\"statement\",\"parts\":[{\"name\":\"item\",\"prose\":7}]}]}]}]",
         "/catalog/groups/0/controls/0/parts/0/parts/0/prose"},
        {"\"controls\":[{\"id\":\"a\",\"title\":\"b\",\"props\":[{\"name\":\"label\"}]}]",
         "/catalog/controls/0/props/0/value"},
        {"\"controls\":[{\"id\":\"\",\"title\":\"b\"}]", "/catalog/controls/0/id"},
        {"\"params\":[{\"label\":\"x\"}]", "/catalog/params/0/id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"catalog\":{\"uuid\":\"%s\",\"metadata\":{\"title\":\"t\",\"version\":\"1\","
                 "\"oscal-version\":\"1.1.2\"},%s}}",
                 UUID, cases[i][0]);
        trustreg_oscal_doc *doc;
        assert_int_equal(parse(text, &doc), TRUSTREG_OK);
        int rc = tr_catalog_walk(doc, NULL, NULL, NULL);
        if (rc != TRUSTREG_EINPUT || strcmp(trustreg_error_last()->pointer, cases[i][1]) != 0)
            fail_msg("case %zu: rc %d pointer '%s' message '%s'", i, rc,
                     trustreg_error_last()->pointer, trustreg_error_last()->message);
        trustreg_oscal_doc_free(doc);
    }
}

static void test_every_shared_document_parses(void **state)
{
    (void)state;
    static const char *const files[] = {
        "oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json",
        "oscal/FedRAMP_rev4_MODERATE-baseline_profile.json",
        "oscal/examples/ssp/json/ssp-example.json",
        "oscal/examples/ar/json/ifa_assessment-results-example.json",
        "oscal/examples/ap/json/ifa_assessment-plan-example.json",
        "oscal/examples/poam/json/ifa_plan-of-action-and-milestones.json",
        "oscal/examples/component-definition/json/example-component-definition.json",
        "oscal/examples/catalog/json/basic-catalog.json",
    };
    static const trustreg_oscal_model models[] = {
        TRUSTREG_MODEL_PROFILE,
        TRUSTREG_MODEL_PROFILE,
        TRUSTREG_MODEL_SSP,
        TRUSTREG_MODEL_ASSESSMENT_RESULTS,
        TRUSTREG_MODEL_ASSESSMENT_PLAN,
        TRUSTREG_MODEL_POAM,
        TRUSTREG_MODEL_COMPONENT_DEFINITION,
        TRUSTREG_MODEL_CATALOG,
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        trustreg_oscal_doc *doc;
        if (trustreg_oscal_doc_load_file(&doc, tu_shared(files[i])) != TRUSTREG_OK)
            fail_msg("%s", trustreg_error_last()->message);
        assert_int_equal(doc->model, models[i]);
        trustreg_oscal_doc_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_detection),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_deep_nesting_and_size),
        cmocka_unit_test(test_rev5_catalog_counts),
        cmocka_unit_test(test_rev4_catalog_counts),
        cmocka_unit_test(test_render_prose),
        cmocka_unit_test(test_catalog_type_errors),
        cmocka_unit_test(test_every_shared_document_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
