/*
 * tests/unit/test_validate.c - OSCAL validation through the public API (trustreg/validate.h):
 * every shared OSCAL document is schema-valid, schema version selection, and mutated copies of
 * the real documents (wrong type, missing required member, bad uuid, additional property, bad
 * enum, empty array, dangling references, duplicate ids and uuids, missing imports) fail with the
 * expected JSON pointer and keyword. The Python jsonschema oracle and the JSON-Schema-Test-Suite
 * are run by tests/e2e/test_validate_oracle.sh and test_vschema_suite.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "trustreg/trustreg.h"

#define REV5 "oscal/NIST_SP-800-53_rev5_catalog.json"
#define BASIC "oscal/examples/catalog/json/basic-catalog.json"
#define LISAAS "oscal/FedRAMP_rev4_LI-SaaS-baseline_profile.json"
#define REV5_LOW "oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json"
#define SSP "oscal/examples/ssp/json/ssp-example.json"

/* ---- helpers --------------------------------------------------------------------------------- */

static json_t *load(const char *rel)
{
    json_error_t e;
    json_t *j = json_load_file(tu_shared(rel), JSON_PRESERVE_ORDER, &e);
    if (!j)
        fail_msg("%s: %s", rel, e.text);
    return j;
}

/* The value at a slash-separated path ("catalog/groups/0/id"; no escapes needed in tests). */
static json_t *at(json_t *root, const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    for (char *tok = strtok(buf, "/"); tok && cur; tok = strtok(NULL, "/")) {
        if (json_is_array(cur))
            cur = json_array_get(cur, strtoul(tok, NULL, 10));
        else
            cur = json_object_get(cur, tok);
    }
    if (!cur)
        fail_msg("no value at %s", path);
    return cur;
}

/* Set member `key` of the object at path to v (NULL deletes it). */
static void set(json_t *root, const char *path, const char *key, json_t *v)
{
    json_t *obj = at(root, path);
    if (v)
        json_object_set_new(obj, key, v);
    else
        json_object_del(obj, key);
}

static trustreg_validation *validate_json(json_t *doc, const trustreg_validate_options *o)
{
    char *text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(1));
    trustreg_validation *v = NULL;
    if (trustreg_validate_mem(text, strlen(text), "mutated.json", o, &v) != TRUSTREG_OK)
        fail_msg("%s", trustreg_error_last()->message);
    free(text);
    json_decref(doc);
    return v;
}

static void dump_errors(const trustreg_validation *v)
{
    for (size_t i = 0; i < v->n_errors; i++)
        fprintf(stderr, "  %s: expected %s, found %s [%s] %s\n", v->errors[i].pointer,
                v->errors[i].expected, v->errors[i].found, v->errors[i].keyword,
                v->errors[i].location);
}

/* Exactly one error, at pointer, for keyword; returns it. */
static const trustreg_validation_error *only_error(const trustreg_validation *v,
                                                   const char *pointer, const char *keyword)
{
    if (v->n_errors != 1 || strcmp(v->errors[0].pointer, pointer) != 0 ||
        strcmp(v->errors[0].keyword, keyword) != 0) {
        dump_errors(v);
        fail_msg("wanted exactly one %s error at %s, got %zu", keyword, pointer, v->n_errors);
    }
    return &v->errors[0];
}

/* ---- the shared documents -------------------------------------------------------------------- */

static void collect(const char *dir, char ***files, size_t *n)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "schemas") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            collect(path, files, n);
        } else if (strlen(e->d_name) > 5 &&
                   strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0) {
            *files = realloc(*files, (*n + 1) * sizeof **files);
            (*files)[(*n)++] = strdup(path);
        }
    }
    closedir(d);
}

static void test_every_shared_document_is_valid(void **state)
{
    (void)state;
    char **files = NULL;
    size_t n = 0;
    collect(tu_shared("oscal"), &files, &n);
    assert_true(n >= 37); /* the README of ../shared/data/oscal lists 37 JSON documents */
    size_t dup_uuid_files = 0;
    for (size_t i = 0; i < n; i++) {
        trustreg_validation *v = NULL;
        trustreg_validate_options schema_only = {.schema_only = 1};
        if (trustreg_validate_file(files[i], &schema_only, &v) != TRUSTREG_OK)
            fail_msg("%s", trustreg_error_last()->message);
        if (v->n_errors) {
            dump_errors(v);
            fail_msg("%s is not schema-valid", files[i]);
        }
        trustreg_validation_free(v);
        assert_int_equal(trustreg_validate_file(files[i], NULL, &v), TRUSTREG_OK);
        if (strstr(files[i], "example-component-definition")) {
            /* NIST's example gives two statements the same uuid: a real defect, reported */
            only_error(v,
                       "/component-definition/components/0/control-implementations/0/"
                       "implemented-requirements/1/statements/0/uuid",
                       "unique-uuid");
            assert_non_null(strstr(v->errors[0].found, "bb9219b1-e51c-4680-abb0-616a43bbfbb1"));
            dup_uuid_files++;
        } else if (v->n_errors) {
            dump_errors(v);
            fail_msg("%s breaks an OSCAL rule", files[i]);
        }
        trustreg_validation_free(v);
        free(files[i]);
    }
    assert_int_equal(dup_uuid_files, 2); /* the pretty and the -min copy */
    free(files);
}

static void test_every_version_validates_rev5(void **state)
{
    (void)state;
    const char *const *versions;
    size_t n = trustreg_validate_schema_versions(&versions);
    assert_int_equal(n, 4); /* v1.0.6 v1.1.2 v1.1.3 v1.2.1 in ../shared/data/oscal/schemas */
    for (size_t i = 0; i < n; i++) {
        trustreg_validate_options o = {.schema_version = versions[i]};
        trustreg_validation *v;
        assert_int_equal(trustreg_validate_file(tu_shared(REV5), &o, &v), TRUSTREG_OK);
        assert_string_equal(v->schema_version, versions[i]);
        assert_int_equal(v->n_errors, 0);
        trustreg_validation_free(v);
    }
}

/* ---- schema version selection ---------------------------------------------------------------- */

static void test_version_selection(void **state)
{
    (void)state;
    trustreg_validation *v;
    /* 1.0.0 -> newest 1.0.x; 1.1.2 -> newest 1.1.x */
    assert_int_equal(trustreg_validate_file(tu_shared(REV5), NULL, &v), TRUSTREG_OK);
    assert_string_equal(v->oscal_version, "1.0.0");
    assert_string_equal(v->schema_version, "1.0.6");
    assert_int_equal(v->model, TRUSTREG_MODEL_CATALOG);
    trustreg_validation_free(v);
    assert_int_equal(trustreg_validate_file(tu_shared(BASIC), NULL, &v), TRUSTREG_OK);
    assert_string_equal(v->schema_version, "1.1.3");
    trustreg_validation_free(v);

    trustreg_validate_options o = {.schema_version = "v1.2.1"};
    assert_int_equal(trustreg_validate_file(tu_shared(BASIC), &o, &v), TRUSTREG_OK);
    assert_string_equal(v->schema_version, "1.2.1");
    trustreg_validation_free(v);

    o.schema_version = "1.1.9";
    assert_int_equal(trustreg_validate_file(tu_shared(BASIC), &o, &v), TRUSTREG_EUSAGE);
    assert_non_null(strstr(trustreg_error_last()->message, "available: 1.0.6, 1.1.2"));

    /* a version with no schema is an error naming the version and what is available */
    json_t *doc = load(BASIC);
    set(doc, "catalog/metadata", "oscal-version", json_string("1.3.0"));
    char *text = json_dumps(doc, 0);
    assert_int_equal(trustreg_validate_mem(text, strlen(text), "new.json", NULL, &v),
                     TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message, "no schema for OSCAL 1.3.0"));
    assert_string_equal(trustreg_error_last()->pointer, "/metadata/oscal-version");
    free(text);
    json_decref(doc);

    /* without oscal-version the newest schema is used and reports the missing member */
    doc = load(BASIC);
    set(doc, "catalog/metadata", "oscal-version", NULL);
    v = validate_json(doc, NULL);
    assert_string_equal(v->schema_version, "1.2.1");
    only_error(v, "/catalog/metadata", "required");
    assert_string_equal(v->errors[0].expected, "required member \"oscal-version\"");
    trustreg_validation_free(v);
}

static void test_not_json(void **state)
{
    (void)state;
    trustreg_validation *v;
    const char *text = "{\"catalog\": {\n  \"uuid\": ,\n}}";
    assert_int_equal(trustreg_validate_mem(text, strlen(text), "broken.json", NULL, &v),
                     TRUSTREG_EINPUT);
    assert_int_equal(trustreg_error_last()->line, 2);
    assert_int_equal(trustreg_validate_file("/no/such/file.json", NULL, &v), TRUSTREG_ENOTFOUND);
    /* not an OSCAL document at all: the root alternatives are listed */
    text = "{\"catalogue\": {}}";
    assert_int_equal(trustreg_validate_mem(text, strlen(text), "x.json", NULL, &v), TRUSTREG_OK);
    assert_int_equal(v->model, TRUSTREG_MODEL_UNKNOWN);
    only_error(v, "", "oneOf");
    assert_non_null(strstr(v->errors[0].expected, "required member \"catalog\" or"));
    trustreg_validation_free(v);
}

/* ---- schema violations in mutated real documents --------------------------------------------- */

static void test_wrong_type(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    set(doc, "catalog/metadata", "title", json_integer(5));
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e = only_error(v, "/catalog/metadata/title", "type");
    assert_string_equal(e->expected, "string");
    assert_string_equal(e->found, "number 5");
    assert_non_null(strstr(e->location, "oscal_complete_schema.json#/definitions/"));
    trustreg_validation_free(v);
}

static void test_missing_required(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    set(doc, "catalog/groups/3/controls/2", "title", NULL);
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e = only_error(v, "/catalog/groups/3/controls/2", "required");
    assert_string_equal(e->found, "object without \"title\"");
    trustreg_validation_free(v);
}

static void test_bad_uuid(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    /* version nibble 6 is not a type 4 or 5 uuid */
    set(doc, "catalog", "uuid", json_string("613fca2d-704a-62e7-8e2b-b206fb92b456"));
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e = only_error(v, "/catalog/uuid", "pattern");
    assert_non_null(strstr(e->location, "UUIDDatatype/pattern"));
    trustreg_validation_free(v);
}

static void test_additional_property(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    set(doc, "catalog/groups/0", "a/b~c", json_true());
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e =
        only_error(v, "/catalog/groups/0/a~1b~0c", "additionalProperties");
    assert_non_null(strstr(e->expected, "allowed: id, class"));
    trustreg_validation_free(v);
}

static void test_bad_enum(void **state)
{
    (void)state;
    json_t *doc = load(LISAAS);
    set(doc, "profile/merge/combine", "method", json_string("union"));
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e = only_error(v, "/profile/merge/combine/method", "enum");
    assert_string_equal(e->expected, "one of \"use-first\", \"merge\", \"keep\"");
    trustreg_validation_free(v);
}

static void test_empty_array_and_bad_token(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    set(doc, "catalog/groups/1", "controls", json_array());
    set(doc, "catalog/groups/2", "id", json_string("has space"));
    trustreg_validation *v = validate_json(doc, NULL);
    /* the emptied group's controls were the targets of links elsewhere; keep schema errors only */
    size_t min_items = 0, pattern = 0;
    for (size_t i = 0; i < v->n_errors; i++) {
        if (strcmp(v->errors[i].pointer, "/catalog/groups/1/controls") == 0 &&
            strcmp(v->errors[i].keyword, "minItems") == 0)
            min_items++;
        if (strcmp(v->errors[i].pointer, "/catalog/groups/2/id") == 0 &&
            strcmp(v->errors[i].keyword, "pattern") == 0)
            pattern++;
    }
    assert_int_equal(min_items, 1);
    assert_int_equal(pattern, 1);
    trustreg_validation_free(v);
}

static void test_anyof_reports_deepest_alternative(void **state)
{
    (void)state;
    /* OSCAL 1.2.1 groups are anyOf(groups-of-groups, groups-of-controls): an error deep inside
     * a control is reported there, not as "matches no alternative" on the group */
    json_t *doc = load(BASIC);
    set(doc, "catalog/groups/0/groups/0/controls/0", "id", json_integer(7));
    trustreg_validate_options o = {.schema_version = "1.2.1", .schema_only = 1};
    trustreg_validation *v = validate_json(doc, &o);
    only_error(v, "/catalog/groups/0/groups/0/controls/0/id", "type");
    trustreg_validation_free(v);
}

/* ECMA-262 semantics of the schema patterns (docs/validate.md, "Regular expressions"). */
static void test_pattern_semantics(void **state)
{
    (void)state;
    static const struct {
        const char *field; /* member of catalog/metadata, or "id" of the first group */
        const char *value;
        int valid;
    } cases[] = {
        /* StringDatatype ^\S(.*\S)?$ */
        {"version", "1.0", 1},
        {"version", "1.0\\n", 0},    /* '$' only at the very end */
        {"version", "a\\u2028b", 0}, /* '.' excludes U+2028 */
        {"version", "a\\rb", 0},     /* and \r */
        {"version", "a\\u000bb", 1}, /* but not \v */
        {"version", "\\u00a0x", 0},  /* \S is not U+00A0 (Unicode white space) */
        {"version", "x\\u00a0y", 1},
        {"version", "\\u3000x", 0},
        /* TokenDatatype ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$ */
        {"id", "\\u00fcber_1", 1},
        {"id", "x\\u0663", 1}, /* ARABIC-INDIC DIGIT THREE is \p{N} */
        {"id", "\\u0663x", 0}, /* but cannot start a token */
        {"id", "a:b", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *doc = load(BASIC);
        json_error_t je;
        char text[64];
        snprintf(text, sizeof text, "\"%s\"", cases[i].value);
        json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
        assert_non_null(v);
        int is_id = strcmp(cases[i].field, "id") == 0;
        set(doc, is_id ? "catalog/groups/0" : "catalog/metadata", cases[i].field, v);
        trustreg_validate_options o = {.schema_only = 1};
        trustreg_validation *r = validate_json(doc, &o);
        if ((r->n_errors == 0) != cases[i].valid) {
            dump_errors(r);
            fail_msg("%s = %s: expected %s", cases[i].field, text,
                     cases[i].valid ? "valid" : "invalid");
        }
        if (!cases[i].valid)
            only_error(r, is_id ? "/catalog/groups/0/id" : "/catalog/metadata/version", "pattern");
        trustreg_validation_free(r);
    }
}

static void test_max_errors(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    json_t *groups = at(doc, "catalog/groups");
    for (size_t i = 0; i < json_array_size(groups); i++)
        json_object_set_new(json_array_get(groups, i), "id", json_integer((json_int_t)i));
    trustreg_validate_options o = {.max_errors = 5, .schema_only = 1};
    trustreg_validation *v = validate_json(doc, &o);
    assert_int_equal(v->n_errors, 5);
    assert_true(v->truncated);
    assert_string_equal(v->errors[4].pointer, "/catalog/groups/4/id");
    trustreg_validation_free(v);
}

/* ---- OSCAL rules ----------------------------------------------------------------------------- */

static void test_duplicate_ids(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    /* AC-2 gets AC-1's id; the links that pointed at "#ac-2" then dangle, so count by rule */
    set(doc, "catalog/groups/0/controls/1", "id", json_string("ac-1"));
    trustreg_validation *v = validate_json(doc, NULL);
    size_t dup = 0;
    for (size_t i = 0; i < v->n_errors; i++)
        if (strcmp(v->errors[i].keyword, "unique-id") == 0) {
            assert_string_equal(v->errors[i].pointer, "/catalog/groups/0/controls/1/id");
            assert_non_null(
                strstr(v->errors[i].found, "already used at /catalog/groups/0/controls/0/id"));
            assert_non_null(strstr(v->errors[i].expected, "control id"));
            dup++;
        } else {
            assert_string_equal(v->errors[i].keyword, "href-fragment");
            assert_non_null(strstr(v->errors[i].found, "\"#ac-2\""));
        }
    assert_int_equal(dup, 1);
    trustreg_validation_free(v);

    doc = load(SSP);
    json_t *parties = at(doc, "system-security-plan/metadata/parties");
    json_t *uuid0 = json_object_get(json_array_get(parties, 0), "uuid");
    json_object_set(json_array_get(parties, 1), "uuid", uuid0);
    v = validate_json(doc, NULL);
    only_error(v, "/system-security-plan/metadata/parties/1/uuid", "unique-uuid");
    trustreg_validation_free(v);
}

static void test_dangling_param_insert(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    /* AC-1's first statement item inserts ac-1_prm_1 */
    json_t *item = at(doc, "catalog/groups/0/controls/0/parts/0/parts/0");
    const char *prose = json_string_value(json_object_get(item, "prose"));
    assert_non_null(strstr(prose, "{{ insert: param, ac-1_prm_1 }}"));
    json_object_set_new(item, "prose", json_string("Do {{ insert: param, ac-1_prm_99 }} now."));
    trustreg_validation *v = validate_json(doc, NULL);
    const trustreg_validation_error *e =
        only_error(v, "/catalog/groups/0/controls/0/parts/0/parts/0/prose", "param-insert");
    assert_non_null(strstr(e->expected, "\"ac-1_prm_99\""));
    assert_string_equal(e->location, "trustreg:param-insert");
    trustreg_validation_free(v);
}

static void test_dangling_href(void **state)
{
    (void)state;
    json_t *doc = load(REV5);
    json_t *link = at(doc, "catalog/groups/0/controls/0/links/0");
    const char *href = json_string_value(json_object_get(link, "href"));
    assert_true(href[0] == '#');
    json_object_set_new(link, "href", json_string("#3e7b1b7d-0000-4000-8000-000000000000"));
    trustreg_validation *v = validate_json(doc, NULL);
    only_error(v, "/catalog/groups/0/controls/0/links/0/href", "href-fragment");
    trustreg_validation_free(v);

    /* schema-only skips the rules */
    doc = load(REV5);
    set(doc, "catalog/groups/0/controls/0/links/0", "href", json_string("#nothing"));
    trustreg_validate_options o = {.schema_only = 1};
    v = validate_json(doc, &o);
    assert_int_equal(v->n_errors, 0);
    trustreg_validation_free(v);
}

static void test_profile_imports(void **state)
{
    (void)state;
    /* the rev5 LOW profile imports "NIST_SP-800-53_rev5_catalog.xml": its .json sibling exists */
    trustreg_validation *v;
    assert_int_equal(trustreg_validate_file(tu_shared(REV5_LOW), NULL, &v), TRUSTREG_OK);
    assert_int_equal(v->n_errors, 0);
    trustreg_validation_free(v);

    json_t *doc = load(REV5_LOW);
    set(doc, "profile/imports/0", "href", json_string("missing_catalog.json"));
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", tu_shared("oscal"));
    trustreg_validate_options o = {.base_dir = dir};
    v = validate_json(doc, &o);
    const trustreg_validation_error *e = only_error(v, "/profile/imports/0/href", "profile-import");
    assert_non_null(strstr(e->found, "missing_catalog.json"));
    trustreg_validation_free(v);

    /* '#uuid' imports go through back-matter */
    doc = load(LISAAS);
    set(doc, "profile/imports/0", "href", json_string("#ad005eae-cc63-4e64-9109-000000000000"));
    v = validate_json(doc, NULL);
    only_error(v, "/profile/imports/0/href", "profile-import");
    trustreg_validation_free(v);
}

static void test_report_json(void **state)
{
    (void)state;
    json_t *doc = load(BASIC);
    set(doc, "catalog", "uuid", json_string("nope"));
    trustreg_validation *v = validate_json(doc, NULL);
    json_t *j = trustreg_validation_to_json(v);
    assert_false(json_is_true(json_object_get(j, "valid")));
    assert_string_equal(json_string_value(json_object_get(j, "model")), "catalog");
    json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e0, "pointer")), "/catalog/uuid");
    assert_string_equal(json_string_value(json_object_get(e0, "keyword")), "pattern");
    json_decref(j);
    trustreg_validation_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shared_document_is_valid),
        cmocka_unit_test(test_every_version_validates_rev5),
        cmocka_unit_test(test_version_selection),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_bad_uuid),
        cmocka_unit_test(test_additional_property),
        cmocka_unit_test(test_bad_enum),
        cmocka_unit_test(test_empty_array_and_bad_token),
        cmocka_unit_test(test_anyof_reports_deepest_alternative),
        cmocka_unit_test(test_pattern_semantics),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_dangling_param_insert),
        cmocka_unit_test(test_dangling_href),
        cmocka_unit_test(test_profile_imports),
        cmocka_unit_test(test_report_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
