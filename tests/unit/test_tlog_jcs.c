/*
 * tests/unit/test_tlog_jcs.c - RFC 8785 canonical JSON against the shared cyberphone vectors
 * (../shared/data/tlog/jcs: input -> output, and the same output as hex), the ECMAScript number
 * serialisation examples of RFC 8785 appendix B, idempotence, and refusal of bad input.
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
#include "tlog/codec.h"
#include "tlog/jcs.h"
#include "trustreg/tlog.h"

static unsigned char *slurp(const char *rel, size_t *len)
{
    FILE *f = fopen(tu_shared(rel), "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 16);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static void test_vectors(void **state)
{
    (void)state;
    const char *names[] = {"arrays", "french", "structures", "unicode", "values", "weird"};
    for (size_t i = 0; i < 6; i++) {
        char rel[256];
        size_t in_len, out_len, hex_len;
        snprintf(rel, sizeof rel, "tlog/jcs/input/%s.json", names[i]);
        unsigned char *in = slurp(rel, &in_len);
        snprintf(rel, sizeof rel, "tlog/jcs/output/%s.json", names[i]);
        unsigned char *want = slurp(rel, &out_len);
        snprintf(rel, sizeof rel, "tlog/jcs/outhex/%s.txt", names[i]);
        unsigned char *hex = slurp(rel, &hex_len);
        char *got = NULL;
        size_t got_len = 0;
        assert_int_equal(trustreg_jcs_canonicalize(in, in_len, names[i], &got, &got_len), 0);
        if (got_len != out_len || memcmp(got, want, out_len) != 0) {
            fprintf(stderr, "%s:\n got  %s\n want %.*s\n", names[i], got, (int)out_len, want);
            fail();
        }
        /* the hex rendering of the expected output (space-separated bytes) agrees */
        size_t k = 0;
        for (size_t j = 0; j + 1 < hex_len; j++) {
            if (hex[j] == ' ' || hex[j] == '\n')
                continue;
            uint8_t b;
            char two[3] = {(char)hex[j], (char)hex[j + 1], 0};
            assert_int_equal(tr_unhex(two, &b, 1), 0);
            assert_true(k < got_len);
            assert_int_equal(b, (uint8_t)got[k++]);
            j++;
        }
        assert_int_equal(k, got_len);
        /* canonical form is a fixed point */
        char *again = NULL;
        size_t again_len = 0;
        assert_int_equal(trustreg_jcs_canonicalize(got, got_len, "again", &again, &again_len), 0);
        assert_int_equal(again_len, got_len);
        assert_memory_equal(again, got, got_len);
        free(again);
        free(got);
        free(in);
        free(want);
        free(hex);
    }
}

static void test_numbers(void **state)
{
    (void)state;
    /* RFC 8785 appendix B (IEEE 754 value -> ECMAScript serialisation) */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0", "0"}, {"-0", "0"}, {"5e-324", "5e-324"}, {"-5e-324", "-5e-324"},
        {"1.7976931348623157e308", "1.7976931348623157e+308"},
        {"-1.7976931348623157e308", "-1.7976931348623157e+308"},
        {"9007199254740992", "9007199254740992"}, {"-9007199254740992", "-9007199254740992"},
        {"295147905179352830000", "295147905179352830000"}, {"9.999999999999997e22", "9.999999999999997e+22"},
        {"1e23", "1e+23"}, {"999999999999999700000", "999999999999999700000"},
        {"999999999999999900000", "999999999999999900000"}, {"1e21", "1e+21"},
        {"9.999999999999997e-7", "9.999999999999997e-7"}, {"0.000001", "0.000001"},
        {"1e-7", "1e-7"}, {"333333333.3333332", "333333333.3333332"},
        {"333333333.33333325", "333333333.33333325"}, {"333333333.3333333", "333333333.3333333"},
        {"4.5", "4.5"}, {"2e-3", "0.002"}, {"0.000001000", "0.000001"},
        {"9007199254740993", "9007199254740992"}, {"100", "100"}, {"1E2", "100"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = NULL;
        size_t len = 0;
        assert_int_equal(trustreg_jcs_canonicalize(cases[i].in, strlen(cases[i].in), "n", &got, &len), 0);
        if (strcmp(got, cases[i].out) != 0) {
            fprintf(stderr, "%s: got %s, want %s\n", cases[i].in, got, cases[i].out);
            fail();
        }
        free(got);
    }
}

static void test_rejects(void **state)
{
    (void)state;
    const char *bad[] = {"{\"a\":1,\"a\":2}", "\"\\ud800\"", "[1,]", "1e400", "{\"a\":1", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *got = NULL;
        size_t len = 0;
        assert_int_equal(trustreg_jcs_canonicalize(bad[i], strlen(bad[i]), "bad.json", &got, &len),
                         TRUSTREG_EINPUT);
        assert_non_null(strstr(trustreg_error_last()->message, "bad.json:"));
        assert_null(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
