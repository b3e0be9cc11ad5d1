/*
 * tests/unit/test_jdom.c - the flat JSON reader against jansson: the same tree for every real
 * OSCAL file, the same accept/reject decision on edge cases and on thousands of deterministic
 * mutations, error positions, and the typed getters.
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

#include "testutil.h"
#include "trustreg/errors.h"
#include "util/file.h"
#include "util/jdom.h"

/* Is the jdom value at i the same JSON as v (types, strings, key order, numbers)? */
static int same(const tr_jdom *d, uint32_t i, const json_t *v)
{
    const tr_jnode *n = &d->nodes[i];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (n->type != TR_J_OBJECT || n->len != json_object_size(v))
            return 0;
        const char *key;
        json_t *val;
        uint32_t k = tr_jdom_first(d, i);
        json_object_foreach((json_t *)v, key, val) {
            if (k == TR_JNONE || strcmp(d->nodes[k].str, key) != 0 || !same(d, k + 1, val))
                return 0;
            k = tr_jdom_next_member(d, i, k);
        }
        return k == TR_JNONE;
    }
    case JSON_ARRAY: {
        if (n->type != TR_J_ARRAY || n->len != json_array_size(v))
            return 0;
        size_t idx;
        json_t *val;
        uint32_t e = tr_jdom_first(d, i);
        json_array_foreach(v, idx, val) {
            if (e == TR_JNONE || !same(d, e, val))
                return 0;
            e = tr_jdom_next(d, i, e);
        }
        return e == TR_JNONE;
    }
    case JSON_STRING:
        return n->type == TR_J_STRING && n->len == json_string_length(v) &&
               memcmp(n->str, json_string_value(v), n->len) == 0;
    case JSON_INTEGER:
    case JSON_REAL: {
        if (n->type != TR_J_NUMBER)
            return 0;
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)n->len, n->str);
        return strtod(buf, NULL) == json_number_value(v);
    }
    case JSON_TRUE: return n->type == TR_J_TRUE;
    case JSON_FALSE: return n->type == TR_J_FALSE;
    case JSON_NULL: return n->type == TR_J_NULL;
    }
    return 0;
}

/* jdom and jansson agree on accepting text; when both accept, on the tree. */
static void agree(const char *text, size_t len, const char *label)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    tr_jdom d;
    int rc = tr_jdom_parse(&d, (const unsigned char *)text, len, 2000, "t");
    if ((rc == TRUSTREG_OK) != (j != NULL))
        fail_msg("%s: jdom %s (%s), jansson %s (%s) on: %.*s", label, rc ? "rejects" : "accepts",
                 rc ? trustreg_error_last()->message : "", j ? "accepts" : "rejects",
                 j ? "" : err.text, (int)(len > 200 ? 200 : len), text);
    if (j && !same(&d, 0, j))
        fail_msg("%s: trees differ on: %.*s", label, (int)(len > 200 ? 200 : len), text);
    json_decref(j);
    tr_jdom_free(&d);
}

static void test_edge_cases(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "{}", "[]", "[[]]", "{\"a\":{}}", " [ 1 , 2 ] ", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}",
        "{\"a\":1,}", "{,}", "[1 2]", "{\"a\":1 \"b\":2}", "{1:2}", "[\"\\u00e9\\ud83d\\ude00\"]",
        "[\"\\ud83d\"]", "[\"\\ude00\"]", "[\"\\u0000\"]", "[\"\\x\"]", "[\"a\tb\"]", "[\"\\/\"]",
        "[-0]", "[-]", "[01]", "[1.]", "[.5]", "[1e]", "[1e+]", "[1E-2]", "[-1.5e10]",
        "[123456789012345678901234567890]", "[9223372036854775807]", "[9223372036854775808]",
        "[-9223372036854775808]", "[1e400]", "[1e-400]", "[true,false,null]", "[tru]", "[nul]",
        "[True]", "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":{\"a\":2}}", "[\"\xc3\xa9\"]",
        "[\"\xc3\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xc0\xaf\"]",
        "[\"\xe0\x80\xaf\"]", "[\"\xf0\x9f\x98\x80\"]", "[1] [2]", "[1] x", "\xef\xbb\xbf[1]",
        "[\"unterminated", "{\"k\":[1,{\"x\":[true]}]}", "[\"\\\"\\\\\\b\\f\\n\\r\\t\"]",
        "[ \n\r\t ]", "[\f]",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char label[32];
        snprintf(label, sizeof label, "case %zu", i);
        agree(cases[i], strlen(cases[i]), label);
    }
    /* an object with many keys (sorted duplicate check) */
    char big[40000];
    size_t n = 0;
    n += (size_t)snprintf(big + n, sizeof big - n, "{");
    for (int k = 0; k < 2000; k++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s\"k%d\":%d", k ? "," : "", k, k);
    n += (size_t)snprintf(big + n, sizeof big - n, "}");
    agree(big, n, "2000 keys");
    big[n - 1] = ',';
    n += (size_t)snprintf(big + n - 1, sizeof big - n, ",\"k1999\":0}") - 1;
    agree(big, n, "2000 keys with a duplicate");
}

static void test_real_files_same_tree(void **state)
{
    (void)state;
    static const char *const files[] = {
        "oscal/NIST_SP-800-53_rev5_catalog.json",
        "oscal/NIST_SP-800-53_rev4_catalog-min.json",
        "oscal/FedRAMP_rev4_MODERATE-baseline_profile.json",
        "oscal/examples/ssp/json/ssp-example.json",
        "oscal/examples/ar/json/ifa_assessment-results-example.json",
        "mappings/example-mapping/mapping-collections/NIST_SP-800-53_rev5-to-NIST_SP-800-53_rev4/"
        "mapping-collection.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        unsigned char *buf;
        size_t len;
        if (tr_file_read(tu_shared(files[i]), 64u << 20, &buf, &len))
            fail_msg("%s", trustreg_error_last()->message);
        agree((const char *)buf, len, files[i]);
        free(buf);
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static void test_mutations_agree(void **state)
{
    (void)state;
    const char *seed = "{\"catalog\":{\"uuid\":\"0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c\","
                       "\"metadata\":{\"title\":\"T \\u00e9\\n\",\"version\":\"1\",\"n\":[1,-2.5e3,"
                       "true,false,null]},\"groups\":[{\"id\":\"g\",\"controls\":[{\"id\":\"a\","
                       "\"title\":\"\xc3\xa9t\xc3\xa9\",\"parts\":[]}]}],\"x\":{}}}";
    static const char alphabet[] = "{}[]\":,\\ 0123456789.-+eEtrufalsn\x01\x80\xc3\xa9u";
    size_t slen = strlen(seed);
    char buf[1024];
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(buf, seed, slen);
        size_t len = slen;
        int edits = 1 + (int)(rnd() % 3);
        for (int e = 0; e < edits; e++) {
            size_t pos = rnd() % len;
            switch (rnd() % 4) {
            case 0: /* replace */
                buf[pos] = alphabet[rnd() % (sizeof alphabet - 1)];
                break;
            case 1: /* delete */
                memmove(buf + pos, buf + pos + 1, len - pos - 1);
                len--;
                break;
            case 2: /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, len - pos);
                    buf[pos] = alphabet[rnd() % (sizeof alphabet - 1)];
                    len++;
                }
                break;
            default: /* truncate */
                len = pos;
                break;
            }
            if (len == 0)
                break;
        }
        char label[32];
        snprintf(label, sizeof label, "mutation %d", iter);
        agree(buf, len, label);
    }
}

static void test_positions_and_getters(void **state)
{
    (void)state;
    tr_jdom d;
    const char *t = "{\"catalog\": {\"uuid\": \"x\",\n  \"metadata\": ";
    assert_int_equal(tr_jdom_parse(&d, (const unsigned char *)t, strlen(t), 128, "f.json"),
                     TRUSTREG_EINPUT);
    assert_int_equal(trustreg_error_last()->line, 2);
    assert_int_equal(trustreg_error_last()->column, 15);
    tr_jdom_free(&d);

    const char *deep = "[[[[x";
    assert_int_equal(tr_jdom_parse(&d, (const unsigned char *)deep, 5, 3, "d.json"),
                     TRUSTREG_EINPUT);
    assert_int_equal(trustreg_error_last()->column, 4);
    assert_non_null(strstr(trustreg_error_last()->message, "nesting deeper than 3 levels"));
    tr_jdom_free(&d);

    const char *ok = "{\"s\":\"v\",\"n\":5,\"o\":{\"a\":[1,2]}}";
    assert_int_equal(tr_jdom_parse(&d, (const unsigned char *)ok, strlen(ok), 128, "o.json"), 0);
    tr_jptr p;
    tr_jptr_init(&p);
    const char *s;
    assert_int_equal(tr_jdom_get_string(&d, 0, "s", 1, "o.json", &p, &s), 0);
    assert_string_equal(s, "v");
    assert_int_equal(tr_jdom_get_string(&d, 0, "n", 1, "o.json", &p, &s), TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer, "/n");
    assert_non_null(strstr(trustreg_error_last()->message, "expected a string, found integer"));
    uint32_t o, a;
    assert_int_equal(tr_jdom_get_typed(&d, 0, "o", TR_J_OBJECT, 1, "o.json", &p, &o), 0);
    assert_int_equal(tr_jdom_get_typed(&d, o, "a", TR_J_ARRAY, 1, "o.json", &p, &a), 0);
    assert_int_equal(d.nodes[a].len, 2);
    assert_int_equal(tr_jdom_get(&d, 0, "missing"), TR_JNONE);
    assert_null(tr_jdom_str(&d, TR_JNONE));
    tr_jdom_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_real_files_same_tree),
        cmocka_unit_test(test_mutations_agree),
        cmocka_unit_test(test_positions_and_getters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
