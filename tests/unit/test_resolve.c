/*
 * tests/unit/test_resolve.c - OSCAL profile resolution (oscal/resolve*.c).
 *
 * The invented profiles of tests/fixtures/resolve/ exercise every rule of the specification
 * (../shared/data/oscal/spec/profile-resolution-specml.xml) that the real NIST and FedRAMP
 * profiles do not; each test names the section whose rule gives the expected result, worked out
 * by hand from the fixture catalog (tests/fixtures/resolve/catalog.json):
 *
 *   g1 (parts: overview)      a-1 (params a-1_prm_1; props label, status; link to resource 1;
 *                                  parts a-1_smt[a-1_smt.a, a-1_smt.b], a-1_gdn, extra(ns))
 *                                  a-1.1, a-1.2 (a-1.2.1)
 *                             a-2, a-10
 *   g2                        b-1 (b-1.1), b-2
 *   g3 (keep=always, empty), g4 (empty)
 *   loose params lp-used (inserted in a-1_smt.b), lp-unused, lp-keep (keep=always)
 *   resources 1 (linked from a-1), 2 (unreferenced), 3 (keep=always), 4 (linked from b-1 prose)
 *
 * The real baselines are checked for their control counts here; test_cli_resolve.sh checks
 * them control by control against the catalogs with jq.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "trustreg/trustreg.h"
#include "util/mem.h"

#define FIX TRUSTREG_SOURCE_DIR "/tests/fixtures/resolve/"
#define FIXED_UUID "9d7c3f7e-1b2a-4c5d-8e9f-0a1b2c3d4e5f"
#define FIXED_TIME "2025-01-02T03:04:05Z"

static tr_buf g_warnings;

static void collect_warning(void *ctx, const char *message)
{
    (void)ctx;
    tr_buf_puts(&g_warnings, message);
    tr_buf_puts(&g_warnings, "\n");
}

static int resolve_with(const char *path, const trustreg_resolve_map *maps, size_t n_maps,
                        json_t **out)
{
    tr_buf_free(&g_warnings);
    trustreg_resolve_opts o = {.maps = maps,
                               .n_maps = n_maps,
                               .warn = collect_warning,
                               .uuid = FIXED_UUID,
                               .last_modified = FIXED_TIME};
    return trustreg_profile_resolve(path, &o, out);
}

static json_t *resolve_ok(const char *fixture)
{
    json_t *out = NULL;
    int rc = resolve_with(fixture, NULL, 0, &out);
    if (rc)
        fprintf(stderr, "%s: %s\n", fixture, trustreg_error_last()->message);
    assert_int_equal(rc, TRUSTREG_OK);
    assert_non_null(out);
    return out;
}

static const char *warnings(void)
{
    return g_warnings.data ? g_warnings.data : "";
}

/* The structure as text: groups "id[...]", controls "id" or "id(children)", space separated,
 * in document order (controls before groups, as in the catalog model). */
static void shape_of(tr_buf *b, const json_t *owner)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(owner, "controls"), i, v) {
        if (b->len && b->data[b->len - 1] != '(' && b->data[b->len - 1] != '[')
            tr_buf_puts(b, " ");
        const char *id = json_string_value(json_object_get(v, "id"));
        tr_buf_puts(b, id ? id : "-");
        if (json_array_size(json_object_get(v, "controls"))) {
            tr_buf_puts(b, "(");
            shape_of(b, v);
            tr_buf_puts(b, ")");
        }
    }
    json_array_foreach(json_object_get(owner, "groups"), i, v) {
        if (b->len && b->data[b->len - 1] != '(' && b->data[b->len - 1] != '[')
            tr_buf_puts(b, " ");
        const char *id = json_string_value(json_object_get(v, "id"));
        tr_buf_puts(b, id ? id : "-");
        tr_buf_puts(b, "[");
        shape_of(b, v);
        tr_buf_puts(b, "]");
    }
}

static void assert_shape(const json_t *doc, const char *want)
{
    tr_buf b = {0};
    shape_of(&b, json_object_get(doc, "catalog"));
    assert_string_equal(b.data ? b.data : "", want);
    tr_buf_free(&b);
}

/* JSON of a member list as compact text, e.g. the ids of loose params: "lp-used lp-keep". */
static void assert_list(const json_t *arr, const char *key, const char *want)
{
    tr_buf b = {0};
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (i)
            tr_buf_puts(&b, " ");
        const char *x = json_string_value(json_object_get(v, key));
        tr_buf_puts(&b, x ? x : "-");
    }
    assert_string_equal(b.data ? b.data : "", want);
    tr_buf_free(&b);
}

static json_t *body(const json_t *doc)
{
    return json_object_get(doc, "catalog");
}

static json_t *find_id(json_t *v, const char *id)
{
    if (json_is_object(v)) {
        const char *x = json_string_value(json_object_get(v, "id"));
        if (x && strcmp(x, id) == 0)
            return v;
        const char *key;
        json_t *m;
        json_object_foreach(v, key, m) {
            json_t *f = find_id(m, id);
            if (f)
                return f;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m) {
            json_t *f = find_id(m, id);
            if (f)
                return f;
        }
    }
    return NULL;
}

static char *compact(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT);
}

static void assert_json(const json_t *v, const char *want)
{
    char *s = compact(v);
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

/* ---- Import Phase ---- */

/* "include-all" + "No Structuring Directive"/"flat": every control, in catalog order, directly
 * under the catalog, no groups; loose params kept only when referenced or keep=always
 * ("Handling Params"); back-matter pruned to referenced and keep=always resources. */
static void test_include_all_flat(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "all_flat.json");
    assert_shape(doc, "a-1 a-1.1 a-1.2 a-1.2.1 a-2 a-10 b-1 b-1.1 b-2");
    assert_null(json_object_get(body(doc), "groups"));
    assert_list(json_object_get(body(doc), "params"), "id", "lp-used lp-keep");
    assert_list(json_object_get(json_object_get(body(doc), "back-matter"), "resources"), "uuid",
                "e0000000-0000-4000-8000-000000000001 e0000000-0000-4000-8000-000000000003 "
                "e0000000-0000-4000-8000-000000000004");
    long controls = 0, groups = 0;
    trustreg_resolved_counts(doc, &controls, &groups);
    assert_int_equal(controls, 9);
    assert_int_equal(groups, 0);
    json_decref(doc);
}

/* "include-controls plus with-id" + "Dealing with Nested Controls and Groups" (ancestors
 * included, descendants not) + "as-is" (groups holding an included control, with their
 * non-control content; keep=always group g3 kept, "Handling Groups"). */
static void test_with_ids_ancestors_as_is(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "asis_ids.json");
    assert_shape(doc, "g1[a-1(a-1.1)] g2[b-2] g3[]");
    json_t *g1 = json_array_get(json_object_get(body(doc), "groups"), 0);
    assert_string_equal(json_string_value(json_object_get(g1, "class")), "family");
    assert_list(json_object_get(g1, "parts"), "id", "g1_ovw");
    /* a-1 is complete apart from its child controls */
    json_t *a1 = find_id(body(doc), "a-1");
    assert_list(json_object_get(a1, "parts"), "name", "statement guidance extra");
    json_decref(doc);
}

/* "with-child-controls": yes includes every descendant. */
static void test_with_child_controls(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "children.json");
    assert_shape(doc, "g1[a-1(a-1.1 a-1.2(a-1.2.1))] g3[]");
    json_decref(doc);
}

/* "include-controls plus matching" (glob), a matching without pattern matches nothing, and
 * "exclude-controls" winning over inclusion whatever the specificity. */
static void test_matching_and_exclude(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "matching.json");
    assert_shape(doc, "g2[b-1 b-2] g3[]");
    /* lp-used is only referenced from a-1, which is not included */
    assert_list(json_object_get(body(doc), "params"), "id", "lp-keep");
    json_decref(doc);
}

/* "exclude-controls": an excluded parent stays out and its included children are up-leveled
 * ("as-is": "made equal to the non-included parent"); include-all keeps the group g4 without
 * controls ("ALL controls and groups"). */
static void test_exclude_parent_uplevels(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "exclude_parent.json");
    assert_shape(doc, "g1[a-1.1 a-1.2(a-1.2.1) a-2 a-10] g2[b-1(b-1.1) b-2] g3[] g4[]");
    json_decref(doc);
    /* with-child-controls applies to exclusions too */
    doc = resolve_ok(FIX "exclude_children.json");
    assert_shape(doc, "g1[a-1(a-1.1 a-1.2(a-1.2.1)) a-2 a-10] g2[b-2] g3[] g4[]");
    json_decref(doc);
}

/* ---- Merge Phase ---- */

/* "The combine Directive": keep keeps clashes (with a warning, "method:keep"); use-first keeps
 * the first in a depth-first traversal of the imports; merge (deprecated, undefined) behaves as
 * use-first here. */
static void test_combine(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "combine_keep.json");
    assert_shape(doc, "a-1 a-2 a-2 b-1");
    assert_non_null(strstr(warnings(), "control \"a-2\" appears more than once"));
    json_decref(doc);
    doc = resolve_ok(FIX "combine_use_first.json");
    assert_shape(doc, "a-1 a-2 b-1");
    assert_list(json_object_get(body(doc), "params"), "id", "lp-used lp-keep");
    assert_string_equal(warnings(), "");
    json_decref(doc);
    doc = resolve_ok(FIX "combine_merge.json");
    assert_shape(doc, "a-1 a-2 b-1");
    json_decref(doc);
    /* as-is across two imports of one catalog: groups with the same id are one group */
    doc = resolve_ok(FIX "combine_keep_asis.json");
    assert_shape(doc, "g1[a-1 a-2 a-2] g3[] g2[b-1]");
    json_decref(doc);
}

/* "The structuring Directive": more than one is an error. */
static void test_two_structures_is_an_error(void **state)
{
    (void)state;
    json_t *out = NULL;
    assert_int_equal(resolve_with(FIX "two_structures.json", NULL, 0, &out), TRUSTREG_EINPUT);
    assert_null(out);
    assert_string_equal(trustreg_error_last()->pointer, "/profile/merge");
}

/* "custom": only the declared groups, in their nesting; insert-controls with order ascending
 * (a-1 < a-10 < a-2 by id), descending, keep; an imported group with the same id gives its
 * content (g1's overview part); a group whose selection is empty still appears (warning);
 * with-child-controls selects the children, each inserted on its own. */
static void test_custom(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "custom.json");
    assert_shape(doc, "a-1.2 a-1.2.1 x[a-1 a-10 a-2] g1[x.1[b-2 b-1.1 b-1]] y[]");
    json_t *g1 = json_array_get(json_object_get(body(doc), "groups"), 1);
    assert_string_equal(json_string_value(json_object_get(g1, "title")), "Group one, retitled");
    assert_list(json_object_get(g1, "parts"), "id", "g1_ovw");
    assert_list(json_object_get(g1, "props"), "name", "label");
    assert_non_null(strstr(warnings(), "insert-controls selects no control"));
    json_decref(doc);
}

/* ---- Modify Phase ---- */

/* "Setting Parameters": label and values replaced (the later set-parameter wins, applied in
 * sequence), props, constraints and guidelines added; loose params are targets too; a param-id
 * matching nothing is a warning and processing continues. */
static void test_set_parameters(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "set_params.json");
    assert_json(find_id(body(doc), "a-1_prm_1"),
                "{\"id\":\"a-1_prm_1\",\"props\":[{\"name\":\"origin\",\"value\":\"profile\"}],"
                "\"label\":\"review frequency\",\"constraints\":[{\"description\":\"at least "
                "monthly\"}],\"guidelines\":[{\"prose\":\"Pick a weekday.\"}],\"values\":["
                "\"weekly\"]}");
    assert_json(json_object_get(find_id(body(doc), "lp-used"), "values"), "[\"audit log\"]");
    assert_non_null(strstr(warnings(), "\"no-such-param\""));
    json_decref(doc);
}

/* "Removing contents from controls": by-name, by-id, by-item-name (all links, and the empty
 * array goes), by-ns, by-class together with by-id (both must match) removing a child control;
 * a remove matching nothing is a warning. Removing the prose that inserted lp-used and the link
 * to resource 1 lets pruning drop both ("Pruning and Ordering"). */
static void test_alter_removes(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "alter_remove.json");
    assert_shape(doc, "g1[a-1(a-1.1)] g3[]");
    json_t *a1 = find_id(body(doc), "a-1");
    assert_list(json_object_get(a1, "props"), "name", "label");
    assert_null(json_object_get(a1, "links"));
    assert_list(json_object_get(a1, "parts"), "name", "statement guidance");
    assert_list(json_object_get(json_array_get(json_object_get(a1, "parts"), 0), "parts"), "id",
                "a-1_smt.a");
    assert_list(json_object_get(body(doc), "params"), "id", "lp-keep");
    assert_list(json_object_get(json_object_get(body(doc), "back-matter"), "resources"), "title",
                "Kept always");
    assert_non_null(strstr(warnings(), "/removes/5: remove matched nothing"));
    json_decref(doc);

    /* by-ns of the OSCAL namespace matches objects without ns; with by-name both must match */
    doc = resolve_ok(FIX "alter_remove_ns_default.json");
    assert_list(json_object_get(find_id(body(doc), "a-1"), "props"), "name", "status");
    json_decref(doc);
    doc = resolve_ok(FIX "alter_remove_class.json");
    assert_list(json_object_get(find_id(body(doc), "a-1"), "props"), "name", "label");
    json_decref(doc);
}

/* "Adding contents to controls": implicit binding (starting after the title, ending or no
 * position at the end, before/after treated as starting/ending; later starting adds come
 * first); explicit binding before/after beside the target, starting/ending inside it; by-id of
 * a child control ("Modifying controls inside controls"); by-id naming the control itself as
 * the control (FedRAMP's usage); an unknown by-id is inoperative with a warning. Members end
 * in canonical order. */
static void test_alter_adds(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "alter_add.json");
    json_t *a1 = find_id(body(doc), "a-1");
    assert_list(json_object_get(a1, "props"), "name",
                "p-by-own-id p-before p-start label status p-end");
    assert_list(json_object_get(a1, "parts"), "name", "p-start-part statement guidance extra");
    json_t *smt = find_id(a1, "a-1_smt");
    assert_list(json_object_get(smt, "parts"), "id",
                "new-first a-1_smt.a new-after-a new-before-b a-1_smt.b");
    assert_list(json_object_get(find_id(a1, "a-1_gdn"), "props"), "name", "p-in-guidance");
    assert_list(json_object_get(find_id(a1, "a-1.1"), "props"), "name", "p-in-child");
    assert_non_null(strstr(warnings(), "\"no-such-id\" names nothing inside control \"a-1\""));
    /* canonical order of the control's members */
    tr_buf keys = {0};
    const char *key;
    json_t *v;
    json_object_foreach(a1, key, v) {
        tr_buf_puts(&keys, key);
        tr_buf_puts(&keys, " ");
    }
    assert_string_equal(keys.data, "id class title params props links parts controls ");
    tr_buf_free(&keys);
    json_decref(doc);
}

/* "Altering controls": within an alter the removes apply before the adds, whatever their order
 * in the JSON, so the added guidance survives a remove by-name guidance; an alter of a control
 * not in the result is a warning. */
static void test_removes_before_adds(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "alter_remove_then_add.json");
    json_t *parts = json_object_get(find_id(body(doc), "a-1"), "parts");
    assert_list(parts, "name", "statement extra guidance");
    assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 2), "id")),
                        "a-1_gdn_new");
    assert_non_null(strstr(warnings(), "alter of control \"zz-1\""));
    json_decref(doc);
}

/* ---- imports ---- */

/* "Resolving Imports of Profiles": the imported profile is resolved first; its result (with
 * its own back-matter choice) is then imported; oscal-version is the newest minor version of
 * the inputs ("Metadata Resolution": 1.0.4 profile, 1.1.2 catalog and inner profile). */
static void test_profile_imports_profile(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "outer.json");
    assert_shape(doc, "g1[a-1(a-1.1)] g2[b-2] g3[]");
    assert_json(json_object_get(find_id(body(doc), "lp-used"), "values"), "[\"from outer\"]");
    assert_list(json_object_get(json_object_get(body(doc), "back-matter"), "resources"), "title",
                "Kept always The profile's own version of the a-1 reference");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(body(doc), "metadata"), "oscal-version")),
        "1.1.2");
    json_decref(doc);
}

/* "Internal References": "#uuid" through the back-matter; JSON rlinks first (the https one is
 * not fetched, catalog.json is read); with a map the mapped rlink wins; base64 content. */
static void test_internal_references(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "uuid_import.json");
    assert_shape(doc, "g1[a-2] g3[]");
    assert_string_equal(json_string_value(json_object_get(find_id(body(doc), "a-2"), "title")),
                        "Control a-2");
    json_decref(doc);
    trustreg_resolve_map map = {"https://example.org/catalog.json", FIX "other_catalog.json"};
    assert_int_equal(resolve_with(FIX "uuid_import.json", &map, 1, &doc), TRUSTREG_OK);
    assert_string_equal(json_string_value(json_object_get(find_id(body(doc), "a-2"), "title")),
                        "Other a-2");
    json_decref(doc);
    doc = resolve_ok(FIX "base64_import.json");
    assert_shape(doc, "t-1 t-2");
    json_decref(doc);
}

/* "Import URI Resolution": a relative .xml href is read from its .json sibling; an absolute URL
 * is never fetched: an error unless mapped. */
static void test_hrefs(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "xml_href.json");
    assert_shape(doc, "g2[b-2] g3[]");
    json_decref(doc);
    doc = NULL;
    assert_int_equal(resolve_with(FIX "url_href.json", NULL, 0, &doc), TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message, "--map"));
    assert_string_equal(trustreg_error_last()->pointer, "/profile/imports/0/href");
    trustreg_resolve_map map = {"https://example.org/oscal/catalog.json", FIX "catalog.json"};
    assert_int_equal(resolve_with(FIX "url_href.json", &map, 1, &doc), TRUSTREG_OK);
    assert_shape(doc, "g2[b-2] g3[]");
    json_decref(doc);
}

/* "Resolving Imports of Profiles": circular imports are errors naming the chain; "Import
 * Resource Acquisition": a missing import stops resolution with an error naming the chain. */
static void test_cycles_and_missing_imports(void **state)
{
    (void)state;
    json_t *doc = NULL;
    assert_int_equal(resolve_with(FIX "cycle_a.json", NULL, 0, &doc), TRUSTREG_EINPUT);
    assert_null(doc);
    assert_non_null(strstr(trustreg_error_last()->message,
                           "cycle_a.json -> " FIX "cycle_b.json -> " FIX "cycle_a.json"));
    assert_int_equal(resolve_with(FIX "cycle_self.json", NULL, 0, &doc), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "import cycle"));
    assert_int_equal(resolve_with(FIX "missing_outer.json", NULL, 0, &doc), TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message,
                           "missing_outer.json -> " FIX "missing.json"));
    assert_non_null(strstr(trustreg_error_last()->message, "no-such-catalog.json"));
    assert_int_equal(resolve_with(FIX "missing_resource.json", NULL, 0, &doc),
                     TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message, "no back-matter resource"));
    assert_int_equal(resolve_with(FIX "no-such-profile.json", NULL, 0, &doc),
                     TRUSTREG_ENOTFOUND);
    assert_int_equal(resolve_with(FIX "catalog.json", NULL, 0, &doc), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "not a profile"));
}

/* ---- Final Operations ---- */

/* "Metadata Resolution": the profile's metadata, given uuid and last-modified, source-profile
 * prop and link, resolution-tool prop, keep=always roles of the catalog copied; a different
 * major oscal-version is an error. "Backmatter Resolution": the profile's resource with the
 * uuid of a catalog resource replaces it (removed, then added at the end); unreferenced
 * resources are pruned. */
static void test_metadata_and_back_matter(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "asis_ids.json");
    json_t *b = body(doc);
    assert_string_equal(json_string_value(json_object_get(b, "uuid")), FIXED_UUID);
    json_t *m = json_object_get(b, "metadata");
    assert_string_equal(json_string_value(json_object_get(m, "title")),
                        "Test profile asis_ids");
    assert_string_equal(json_string_value(json_object_get(m, "last-modified")), FIXED_TIME);
    assert_list(json_object_get(m, "props"), "name", "resolution-tool source-profile");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(m, "props"), 1), "value")),
        FIX "asis_ids.json");
    assert_list(json_object_get(m, "links"), "rel", "source-profile");
    assert_list(json_object_get(m, "roles"), "id", "keeper");
    assert_list(json_object_get(json_object_get(b, "back-matter"), "resources"), "title",
                "Kept always The profile's own version of the a-1 reference");
    /* canonical order of the catalog */
    tr_buf keys = {0};
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v) {
        tr_buf_puts(&keys, key);
        tr_buf_puts(&keys, " ");
    }
    assert_string_equal(keys.data, "uuid metadata params groups back-matter ");
    tr_buf_free(&keys);
    json_decref(doc);
    doc = NULL;
    assert_int_equal(resolve_with(FIX "major_version.json", NULL, 0, &doc), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "major version"));
    /* without opts: a fresh version 4 uuid each time */
    json_t *a = NULL, *c = NULL;
    assert_int_equal(trustreg_profile_resolve(FIX "all_flat.json", NULL, &a), TRUSTREG_OK);
    assert_int_equal(trustreg_profile_resolve(FIX "all_flat.json", NULL, &c), TRUSTREG_OK);
    const char *ua = json_string_value(json_object_get(body(a), "uuid"));
    assert_int_equal(strlen(ua), 36);
    assert_int_equal(ua[14], '4');
    assert_string_not_equal(ua, json_string_value(json_object_get(body(c), "uuid")));
    json_decref(a);
    json_decref(c);
}

/* The in-memory entry point resolves relative imports against base_dir. */
static void test_resolve_mem(void **state)
{
    (void)state;
    static const char profile[] =
        "{\"profile\":{\"uuid\":\"f0000000-0000-4000-8000-00000000000a\",\"metadata\":{"
        "\"title\":\"in memory\",\"last-modified\":\"2024-01-01T00:00:00Z\",\"version\":\"1\","
        "\"oscal-version\":\"1.1.2\"},\"imports\":[{\"href\":\"catalog.json\","
        "\"include-controls\":[{\"with-ids\":[\"b-1.1\"]}]}],\"merge\":{\"as-is\":true}}}";
    json_t *doc = NULL;
    assert_int_equal(trustreg_profile_resolve_mem(profile, strlen(profile), "mem.json",
                                                  FIX, NULL, &doc),
                     TRUSTREG_OK);
    assert_shape(doc, "g2[b-1(b-1.1)] g3[]");
    json_decref(doc);
    /* bad input is reported at its pointer */
    static const char bad[] =
        "{\"profile\":{\"uuid\":\"f0000000-0000-4000-8000-00000000000a\",\"metadata\":{"
        "\"title\":\"t\",\"last-modified\":\"2024-01-01T00:00:00Z\",\"version\":\"1\","
        "\"oscal-version\":\"1.1.2\"},\"imports\":[{\"href\":\"catalog.json\"}]}}";
    assert_int_equal(trustreg_profile_resolve_mem(bad, strlen(bad), "bad.json", FIX, NULL, &doc),
                     TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer, "/profile/imports/0");
}

/* trustreg_resolved_dump writes what json_dumps(JSON_INDENT(2)) writes, escapes included. */
static void test_dump_matches_jansson(void **state)
{
    (void)state;
    json_t *doc = resolve_ok(FIX "alter_add.json");
    json_object_set_new(body(doc), "x-test",
                        json_pack("{s:s, s:i, s:f, s:b, s:n, s:[], s:{}}", "s",
                                  "quote \" back \\ nl \n tab \t bell \a del \x7f é \xe2\x80\xa8",
                                  "i", -42, "f", 0.5, "b", 1, "n", "ea", "eo"));
    char *mine = NULL;
    size_t len = 0;
    assert_int_equal(trustreg_resolved_dump(doc, &mine, &len), TRUSTREG_OK);
    char *theirs = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    assert_int_equal(len, strlen(theirs) + 1);
    assert_memory_equal(mine, theirs, len - 1);
    assert_int_equal(mine[len - 1], '\n');
    free(mine);
    free(theirs);
    json_decref(doc);
}

/* ---- the real baselines (counts; content is compared control by control in e2e) ---- */

static long count_of(const char *profile, const trustreg_resolve_map *maps, size_t n)
{
    json_t *doc = NULL;
    int rc = resolve_with(tu_shared(profile), maps, n, &doc);
    if (rc)
        fprintf(stderr, "%s: %s\n", profile, trustreg_error_last()->message);
    assert_int_equal(rc, TRUSTREG_OK);
    long controls = 0;
    trustreg_resolved_counts(doc, &controls, NULL);
    json_decref(doc);
    return controls;
}

static void test_real_baselines(void **state)
{
    (void)state;
    /* rev5 (2021 profiles, 5.0.1 catalog through the .xml href's .json sibling): the with-ids
     * counts of the profiles; PRIVACY lists 96 ids and gains 6 parents of listed enhancements */
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json", NULL, 0), 149);
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json", NULL, 0), 287);
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev5_HIGH-baseline_profile.json", NULL, 0), 370);
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json", NULL, 0), 102);
    assert_string_equal(warnings(), "");
    /* the 5.1.1 profiles against the 5.0.1 catalog, through their back-matter rlink */
    trustreg_resolve_map r5 = {"../../../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json",
                               tu_shared("oscal/NIST_SP-800-53_rev5_catalog.json")};
    char *r5file = tr_strdup(r5.file);
    r5.file = r5file;
    assert_int_equal(count_of("oscal/nist-rev5-5.1.1-profiles/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json", &r5, 1), 102);
    free(r5file);
    /* rev4 through the back-matter rlink mapped to the minified catalog of the same commit */
    trustreg_resolve_map r4 = {"../../../../nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json", NULL};
    char *r4file = tr_strdup(tu_shared("oscal/NIST_SP-800-53_rev4_catalog-min.json"));
    r4.file = r4file;
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev4_LOW-baseline_profile.json", &r4, 1), 124);
    assert_int_equal(count_of("oscal/NIST_SP-800-53_rev4_HIGH-baseline_profile.json", &r4, 1), 343);
    assert_string_equal(warnings(), "");
    free(r4file);
    /* FedRAMP rev4: the https rlink mapped to the v1.0.0 catalog; every set-parameter and alter
     * finds its target (no warning) */
    trustreg_resolve_map fr = {"https://raw.githubusercontent.com/usnistgov/oscal-content/v1.0.0/"
                               "nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json",
                               NULL};
    char *frfile = tr_strdup(tu_shared("oscal/oscal-content-v1.0.0/NIST_SP-800-53_rev4_catalog-min.json"));
    fr.file = frfile;
    assert_int_equal(count_of("oscal/FedRAMP_rev4_LI-SaaS-baseline_profile.json", &fr, 1), 126);
    assert_string_equal(warnings(), "");
    free(frfile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_include_all_flat),
        cmocka_unit_test(test_with_ids_ancestors_as_is),
        cmocka_unit_test(test_with_child_controls),
        cmocka_unit_test(test_matching_and_exclude),
        cmocka_unit_test(test_exclude_parent_uplevels),
        cmocka_unit_test(test_combine),
        cmocka_unit_test(test_two_structures_is_an_error),
        cmocka_unit_test(test_custom),
        cmocka_unit_test(test_set_parameters),
        cmocka_unit_test(test_alter_removes),
        cmocka_unit_test(test_alter_adds),
        cmocka_unit_test(test_removes_before_adds),
        cmocka_unit_test(test_profile_imports_profile),
        cmocka_unit_test(test_internal_references),
        cmocka_unit_test(test_hrefs),
        cmocka_unit_test(test_cycles_and_missing_imports),
        cmocka_unit_test(test_metadata_and_back_matter),
        cmocka_unit_test(test_resolve_mem),
        cmocka_unit_test(test_dump_matches_jansson),
        cmocka_unit_test(test_real_baselines),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tr_buf_free(&g_warnings);
    return rc;
}
