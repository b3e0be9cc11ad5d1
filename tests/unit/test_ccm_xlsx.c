/*
 * tests/unit/test_ccm_xlsx.c - the xlsx and CSV readers on workbooks generated with the shape of
 * the real CSA files (scripts/gen-ccm-fixtures): shared, inline and rich-text strings, merges
 * applied over hidden values, booleans, footers; and on malformed input: not a zip, zip bomb,
 * billion laughs, truncated archive, bad CSV quoting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccm/xlsx.h"
#include "testutil.h"
#include "trustreg/trustreg.h"

static char g_dir[4096];

static const char *fx(const char *name)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s/%s", g_dir, name);
    return buf;
}

static int gen_fixtures(void **state)
{
    (void)state;
    char *d = tu_tmpdir();
    if (!d)
        return -1;
    snprintf(g_dir, sizeof g_dir, "%s", d);
    free(d);
    char cmd[12288];
    snprintf(cmd, sizeof cmd, "python3 '%s/scripts/gen-ccm-fixtures' --ids '%s' --out '%s'",
             TRUSTREG_SOURCE_DIR, tu_shared("ccm"), g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int remove_fixtures(void **state)
{
    (void)state;
    tu_rmtree(g_dir);
    return 0;
}

/* Number of question IDs in an ID list of the shared data (counted here, not hard-coded). */
static int count_questions(const char *list)
{
    FILE *f = fopen(tu_shared(list), "r");
    assert_non_null(f);
    int n = 0, c, prev = ' ', after_colon = 0;
    while ((c = fgetc(f)) != EOF) {
        if (c == ':')
            after_colon = 1;
        else if (c == '\n')
            after_colon = 0;
        if (after_colon && c != ' ' && c != ':' && c != '\n' && (prev == ' '))
            n++;
        prev = c;
    }
    fclose(f);
    return n;
}

static tr_table *load(const char *file, const char *sheet)
{
    tr_xlsx *x = NULL;
    int rc = tr_xlsx_open(&x, fx(file));
    if (rc)
        fail_msg("%s", trustreg_error_last()->message);
    int i = tr_xlsx_sheet_find(x, sheet);
    assert_true(i >= 0);
    tr_table *t = NULL;
    rc = tr_xlsx_sheet_table(x, (size_t)i, &t);
    if (rc)
        fail_msg("%s", trustreg_error_last()->message);
    tr_xlsx_close(x);
    return t;
}

static void test_refs(void **state)
{
    (void)state;
    uint32_t r, c;
    assert_int_equal(tr_xlsx_parse_ref("A1", 2, &r, &c), 0);
    assert_int_equal(r, 1);
    assert_int_equal(c, 1);
    assert_int_equal(tr_xlsx_parse_ref("$AK$26", 6, &r, &c), 0);
    assert_int_equal(r, 26);
    assert_int_equal(c, 37);
    assert_int_equal(tr_xlsx_parse_ref("XFD1048576", 10, &r, &c), 0);
    assert_int_not_equal(tr_xlsx_parse_ref("XFE1", 4, &r, &c), 0);
    assert_int_not_equal(tr_xlsx_parse_ref("A0", 2, &r, &c), 0);
    assert_int_not_equal(tr_xlsx_parse_ref("A1048577", 8, &r, &c), 0);
    assert_int_not_equal(tr_xlsx_parse_ref("12", 2, &r, &c), 0);
    assert_int_not_equal(tr_xlsx_parse_ref("A1B", 3, &r, &c), 0);
    char buf[16];
    assert_string_equal(tr_xlsx_ref(264, 12, buf), "L264");
    assert_string_equal(tr_xlsx_ref(3, 26, buf), "Z3");
    assert_string_equal(tr_xlsx_ref(3, 27, buf), "AA3");
    assert_string_equal(tr_xlsx_ref(1, 16384, buf), "XFD1");
}

static void test_v4_sheets_headers_merges(void **state)
{
    (void)state;
    tr_xlsx *x = NULL;
    assert_int_equal(tr_xlsx_open(&x, fx("caiq-v4.0.3.xlsx")), 0);
    assert_int_equal(tr_xlsx_sheet_count(x), 2);
    assert_string_equal(tr_xlsx_sheet_name(x, 0), "Introduction");
    assert_string_equal(tr_xlsx_sheet_name(x, 1), "CAIQv4.0.3");
    assert_int_equal(tr_xlsx_sheet_find(x, "CAIQ"), -1);
    tr_xlsx_close(x);

    tr_table *t = load("caiq-v4.0.3.xlsx", "CAIQv4.0.3");
    assert_string_equal(tr_table_get(t, 1, 1), "v4.0.3");
    assert_string_equal(tr_table_get(t, 2, 1), "Question ID");
    assert_string_equal(tr_table_get(t, 2, 6), "CSC Responsibilities  (Optional/Recommended)");
    assert_string_equal(tr_table_get(t, 2, 7), ""); /* empty inline string */
    assert_string_equal(tr_table_get(t, 2, 9), "CCM Control ID");
    /* A&A-01 has two questions: I3 written, I4 under the merge I3:I4 */
    assert_string_equal(tr_table_get(t, 3, 9), "A&A-01");
    assert_string_equal(tr_table_get(t, 4, 9), "A&A-01");
    assert_true(tr_table_is_under_merge(t, 4, 9));
    assert_false(tr_table_is_under_merge(t, 3, 9));
    /* the domain title is merged down the whole domain (rows 3-10 for A&A) */
    assert_string_equal(tr_table_get(t, 10, 12), tr_table_get(t, 3, 12));
    assert_string_not_equal(tr_table_get(t, 11, 12), tr_table_get(t, 3, 12));
    /* question text ends with a line feed */
    const char *q = tr_table_get(t, 3, 2);
    assert_true(strlen(q) > 0 && q[strlen(q) - 1] == '\n');
    /* one question per row from row 3, then the footer in column A */
    int n = count_questions("ccm/ccm-v4-ids.txt");
    for (int r = 3; r < 3 + n; r++)
        assert_true(tr_table_get(t, (uint32_t)r, 1)[0] != '\0');
    assert_string_equal(tr_table_get(t, (uint32_t)(3 + n), 1), "End of Standard");
    tr_table_free(t);
}

static void test_inline_only_and_single_merges(void **state)
{
    (void)state;
    /* written with inline strings only: no sharedStrings part at all */
    tr_table *t = load("caiq-v4.0.3-filled.xlsx", "CAIQv4.0.3");
    assert_string_equal(tr_table_get(t, 2, 3), "CSP CAIQ Answer");
    assert_string_equal(tr_table_get(t, 3, 3), "Yes");
    assert_string_equal(tr_table_get(t, 3, 4), "CSP-owned");
    tr_table_free(t);
    /* single-question controls merged as "I5" (no colon) read like any merge */
    t = load("caiq-v4.0.2.xlsx", "CAIQv4.0.2");
    assert_string_equal(tr_table_get(t, 1, 1), "v4.0.2+0");
    assert_string_equal(tr_table_get(t, 5, 9), "A&A-02");
    tr_table_free(t);
}

static void test_v3_quirks(void **state)
{
    (void)state;
    tr_table *t = load("caiq-v3.0.1.xlsx", "CSA CAIQ v3.0.1");
    assert_string_equal(tr_table_get(t, 2, 6), "Consensus Assessment Answers");
    assert_string_equal(tr_table_get(t, 3, 6), "Consensus Assessment Answers"); /* F2:H3 */
    assert_string_equal(tr_table_get(t, 4, 8), "Not Applicable");
    assert_string_equal(tr_table_get(t, 11, 3), "AIS- 02.2");
    /* column A: two rich-text runs with CR LF between them; the parser gives LF */
    const char *a = tr_table_get(t, 5, 1);
    assert_non_null(strchr(a, '\n'));
    assert_null(strchr(a, '\r'));
    /* a stale ID hidden under the B merge reads as the merge's top-left control ID */
    int checked = 0;
    for (uint32_t r = 5; r < 300; r++) {
        const char *b = tr_table_get(t, r, 2);
        const char *qid = tr_table_get(t, r, 3);
        if (strncmp(qid, "CO-", 3) == 0 || strcmp(b, "CO-02") == 0 || strcmp(b, "IS-20") == 0)
            fail_msg("stale ID leaked at row %u", r);
        if (tr_table_is_under_merge(t, r, 2) && !strchr(qid, ' ')) {
            assert_int_equal(strncmp(b, qid, strlen(b)), 0);
            checked++;
        }
    }
    assert_true(checked > 100);
    /* rich-text question IDs split over runs (a phonetic run skipped) */
    int found = 0;
    for (uint32_t r = 5; r < 300; r++) {
        const char *qid = tr_table_get(t, r, 3);
        if (strcmp(qid, "IPY-01.1") == 0 || strcmp(qid, "STA-08.2") == 0 ||
            strcmp(qid, "BCR-06.1") == 0)
            found++;
    }
    assert_int_equal(found, 3);
    tr_table_free(t);
}

static void test_booleans(void **state)
{
    (void)state;
    tr_table *t = load("ccm-v4.0.12.xlsx", "CCM");
    assert_string_equal(tr_table_get(t, 3, 23), "HR");
    const tr_table_row *r = tr_table_row_at(t, 5);
    assert_non_null(r);
    int bools = 0;
    for (uint32_t i = 0; i < r->n; i++)
        if (r->cells[i].type == TR_XLSX_BOOL) {
            assert_true(strcmp(r->cells[i].text, "TRUE") == 0 ||
                        strcmp(r->cells[i].text, "FALSE") == 0);
            bools++;
        }
    assert_int_equal(bools, 15); /* I..W */
    tr_table_free(t);
}

static void expect_open_fails(const char *file, int code, const char *needle)
{
    tr_xlsx *x = NULL;
    int rc = tr_xlsx_open(&x, fx(file));
    if (rc == 0) {
        /* opening may succeed; the damage shows when a sheet is read */
        tr_table *t = NULL;
        rc = tr_xlsx_sheet_table(x, tr_xlsx_sheet_count(x) - 1, &t);
        tr_table_free(t);
        tr_xlsx_close(x);
    }
    assert_int_equal(rc, code);
    const char *msg = trustreg_error_last()->message;
    if (!strstr(msg, needle))
        fail_msg("'%s' not in '%s'", needle, msg);
    assert_non_null(strstr(msg, file));
}

static void test_malformed(void **state)
{
    (void)state;
    expect_open_fails("not-a-zip.xlsx", TRUSTREG_EINPUT, "not a zip archive");
    expect_open_fails("zip-bomb.xlsx", TRUSTREG_EINPUT, "zip bomb");
    expect_open_fails("billion-laughs.xlsx", TRUSTREG_EINPUT, "DTD is not allowed");
    expect_open_fails("truncated.xlsx", TRUSTREG_EINPUT, "truncated.xlsx");
    expect_open_fails("no-such-file.xlsx", TRUSTREG_ENOTFOUND, "no such file");
}

static void test_mem_garbage(void **state)
{
    (void)state;
    static const char *inputs[] = {"", "PK", "PK\x03\x04garbage", "PK\x05\x06"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        tr_xlsx *x = NULL;
        assert_int_equal(tr_xlsx_open_mem(&x, inputs[i], strlen(inputs[i]), "mem"),
                         TRUSTREG_EINPUT);
        assert_null(x);
    }
}

static int collect(void *ctx, size_t line, const char *const *f, const size_t *lens, size_t n)
{
    char *out = ctx;
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%zu:", line);
    strcat(out, tmp);
    for (size_t i = 0; i < n; i++) {
        (void)lens;
        strcat(out, "[");
        strcat(out, f[i]);
        strcat(out, "]");
    }
    strcat(out, "\n");
    return 0;
}

static void test_csv(void **state)
{
    (void)state;
    char out[4096] = "";
    const char *csv = "\xEF\xBB\xBFQuestion ID,Answer\r\n"
                      "\"A&A-01.1\",\"Yes, with \"\"quotes\"\"\"\r\n"
                      "A&A-01.2 ,\"two\nlines\"\r\n"
                      ",\r\n"
                      "last,row";
    assert_int_equal(tr_csv_read_mem(csv, strlen(csv), "t.csv", collect, out), 0);
    assert_string_equal(out, "1:[Question ID][Answer]\n"
                             "2:[A&A-01.1][Yes, with \"quotes\"]\n"
                             "3:[A&A-01.2 ][two\nlines]\n"
                             "5:[][]\n"
                             "6:[last][row]\n");
    /* RFC 4180: a quote inside an unquoted field, and an unterminated quoted field */
    const char *bad1 = "a,b\nc,d\"e\n";
    assert_int_equal(tr_csv_read_mem(bad1, strlen(bad1), "bad.csv", collect, out), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "bad.csv:2"));
    const char *bad2 = "a,b\n\"open\nstill open";
    assert_int_equal(tr_csv_read_mem(bad2, strlen(bad2), "bad2.csv", collect, out),
                     TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "bad2.csv:2"));
    /* as a table: records are rows, fields columns */
    tr_table *t = NULL;
    assert_int_equal(tr_csv_table_mem(csv, strlen(csv), "t.csv", &t), 0);
    assert_string_equal(tr_table_get(t, 2, 2), "Yes, with \"quotes\"");
    assert_string_equal(tr_table_get(t, 4, 1), "");
    tr_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_v4_sheets_headers_merges),
        cmocka_unit_test(test_inline_only_and_single_merges),
        cmocka_unit_test(test_v3_quirks),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_mem_garbage),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, gen_fixtures, remove_fixtures);
}
