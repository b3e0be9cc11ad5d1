/*
 * tests/unit/test_util.c - the util module: error record, JSON pointers, typed getters,
 * bounded file reading, atomic writes, buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "trustreg/errors.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/mem.h"

static void test_error_record(void **state)
{
    (void)state;
    trustreg_error_clear();
    assert_int_equal(trustreg_error_last()->code, TRUSTREG_OK);
    assert_string_equal(trustreg_error_last()->message, "");

    assert_int_equal(tr_error_at(TRUSTREG_EINPUT, "f.json", 3, 14, "bad %s", "thing"),
                     TRUSTREG_EINPUT);
    const trustreg_error *e = trustreg_error_last();
    assert_int_equal(e->code, TRUSTREG_EINPUT);
    assert_string_equal(e->message, "f.json:3:14: bad thing");
    assert_string_equal(e->source, "f.json");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 14);

    tr_error_ptr(TRUSTREG_EINPUT, "f.json", "/catalog/uuid", "expected a string, found %s",
                 "integer");
    assert_string_equal(e->message, "f.json: at /catalog/uuid: expected a string, found integer");
    assert_string_equal(e->pointer, "/catalog/uuid");
    assert_int_equal(e->line, 0);

    tr_error_prefix("importing %d files", 2);
    assert_string_equal(e->message,
                        "importing 2 files: f.json: at /catalog/uuid: expected a string, found "
                        "integer");
}

static void test_error_long_message_is_cut(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    tr_error(TRUSTREG_EINPUT, "%s", big);
    size_t n = strlen(trustreg_error_last()->message);
    assert_true(n > 1000 && n < sizeof big);
}

static void test_exit_codes(void **state)
{
    (void)state;
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_OK), 0);
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_EUSAGE), 1);
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_EINPUT), 2);
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_ENOTFOUND), 3);
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_ESTORE), 4);
    assert_int_equal(trustreg_status_exit_code(TRUSTREG_EINTERNAL), 4);
}

static void test_jptr_escaping(void **state)
{
    (void)state;
    tr_jptr p;
    tr_jptr_init(&p);
    assert_string_equal(tr_jptr_str(&p), "");
    size_t m = tr_jptr_push_key(&p, "a/b");
    tr_jptr_push_key(&p, "c~d");
    tr_jptr_push_index(&p, 12);
    assert_string_equal(tr_jptr_str(&p), "/a~1b/c~0d/12");
    tr_jptr_pop(&p, m);
    assert_string_equal(tr_jptr_str(&p), "");
}

static void test_typed_getters(void **state)
{
    (void)state;
    json_error_t err;
    json_t *o = json_loads("{\"s\":\"x\",\"n\":5}", 0, &err);
    tr_jptr p;
    tr_jptr_init(&p);
    tr_jptr_push_key(&p, "root");
    const char *s = NULL;
    assert_int_equal(tr_json_get_string(o, "s", 1, "in", &p, &s), TRUSTREG_OK);
    assert_string_equal(s, "x");
    assert_int_equal(tr_json_get_string(o, "absent", 0, "in", &p, &s), TRUSTREG_OK);
    assert_null(s);
    assert_int_equal(tr_json_get_string(o, "n", 1, "in", &p, &s), TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer, "/root/n");
    assert_non_null(strstr(trustreg_error_last()->message, "expected a string, found integer"));
    assert_int_equal(tr_json_get_string(o, "absent", 1, "in", &p, &s), TRUSTREG_EINPUT);
    assert_string_equal(trustreg_error_last()->pointer, "/root/absent");
    assert_string_equal(tr_jptr_str(&p), "/root"); /* getters leave the pointer as it was */
    json_decref(o);
}

static void test_file_read_bounds(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *path = tu_write(dir, "f.txt", "hello", 5);
    unsigned char *buf;
    size_t len;
    assert_int_equal(tr_file_read(path, 100, &buf, &len), TRUSTREG_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(buf[5], '\0');
    free(buf);

    assert_int_equal(tr_file_read(path, 4, &buf, &len), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "larger than the limit"));
    assert_null(buf);

    char missing[4200];
    snprintf(missing, sizeof missing, "%s/nope", dir);
    assert_int_equal(tr_file_read(missing, 100, &buf, &len), TRUSTREG_ENOTFOUND);
    assert_int_equal(tr_file_read(dir, 100, &buf, &len), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "directory"));
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_atomic_write(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *path = tu_write(dir, "out.json", "old", 3);
    assert_int_equal(tr_file_write_atomic(path, "new content", 11), TRUSTREG_OK);
    unsigned char *buf;
    size_t len;
    assert_int_equal(tr_file_read(path, 100, &buf, &len), TRUSTREG_OK);
    assert_int_equal(len, 11);
    free(buf);
    /* a folder that does not exist: error, and nothing left behind */
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/missing/out.json", dir);
    assert_int_equal(tr_file_write_atomic(bad, "x", 1), TRUSTREG_EINPUT);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

static void test_sha256_and_buf(void **state)
{
    (void)state;
    char hex[65];
    tr_sha256_hex("abc", 3, hex);
    /* FIPS 180-2 example */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tr_buf b = {0};
    for (int i = 0; i < 1000; i++)
        tr_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    char *s = tr_buf_steal(&b);
    assert_true(strncmp(s, "0,1,2,", 6) == 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_record),    cmocka_unit_test(test_error_long_message_is_cut),
        cmocka_unit_test(test_exit_codes),      cmocka_unit_test(test_jptr_escaping),
        cmocka_unit_test(test_typed_getters),
        cmocka_unit_test(test_file_read_bounds), cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_sha256_and_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
