/*
 * tests/unit/test_ccm.c - the CCM/CAIQ library API on generated workbooks
 * (scripts/gen-ccm-fixtures) and a real SQLite store: layouts and counts for every version against
 * the shared ID lists, ID normalisation, the mapping-column iterator in memory and from the store,
 * CAIQ checks and import all-or-nothing, summaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccm/ccm_model.h"
#include "testutil.h"
#include "trustreg/ccm.h"
#include "trustreg/trustreg.h"

static char g_dir[4096];

static const char *fx(const char *name)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s/%s", g_dir, name);
    return buf;
}

static int gen(void **state)
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

static int cleanup(void **state)
{
    (void)state;
    tu_rmtree(g_dir);
    return 0;
}

/* Counts of an ID list: lines, words after the colon, distinct prefixes. */
static void list_counts(const char *name, size_t *domains, size_t *controls, size_t *questions)
{
    FILE *f = fopen(tu_shared(name), "r");
    assert_non_null(f);
    char line[4096], last_dom[32] = "", seen[64][32];
    size_t nseen = 0;
    *domains = *controls = *questions = 0;
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        (*controls)++;
        *colon = '\0';
        char *dash = strrchr(line, '-');
        assert_true(dash && dash < colon);
        snprintf(last_dom, sizeof last_dom, "%.*s", (int)(dash - line), line);
        int dup = 0;
        for (size_t i = 0; i < nseen; i++)
            dup |= strcmp(seen[i], last_dom) == 0;
        if (!dup && nseen < 64)
            strcpy(seen[nseen++], last_dom);
        for (char *tok = strtok(colon + 1, " \n"); tok; tok = strtok(NULL, " \n"))
            (*questions)++;
    }
    fclose(f);
    *domains = nseen;
}

static void expect_layout(const char *file, const char *list, trustreg_ccm_family fam,
                          const char *layout)
{
    trustreg_ccm *c = NULL;
    int rc = trustreg_ccm_read(&c, fx(file), NULL);
    if (rc)
        fail_msg("%s", trustreg_error_last()->message);
    trustreg_ccm_info info;
    trustreg_ccm_info_get(c, &info);
    size_t d, k, q;
    list_counts(list, &d, &k, &q);
    assert_int_equal(info.family, fam);
    assert_string_equal(info.layout, layout);
    assert_int_equal(info.domains, d);
    assert_int_equal(info.controls, k);
    assert_int_equal(info.questions, q);
    trustreg_ccm_free(c);
}

static void test_layouts_and_counts(void **state)
{
    (void)state;
    expect_layout("caiq-v4.0.3.xlsx", "ccm/ccm-v4-ids.txt", TRUSTREG_CCM_V4, "caiq-v4");
    expect_layout("caiq-v4.0.2.xlsx", "ccm/ccm-v4-ids.txt", TRUSTREG_CCM_V4, "caiq-v4");
    expect_layout("caiq-v4.0.3-filled.xlsx", "ccm/ccm-v4-ids.txt", TRUSTREG_CCM_V4, "caiq-v4");
    expect_layout("ccm-v4.0.12.xlsx", "ccm/ccm-v4-ids.txt", TRUSTREG_CCM_V4, "ccm-v4-matrix");
    expect_layout("caiq-v3.0.1.xlsx", "ccm/ccm-v3.0.1-ids.txt", TRUSTREG_CCM_V3_0_1, "caiq-v3");
    expect_layout("caiq-v3.1.xlsx", "ccm/caiq-v3.1-ids.txt", TRUSTREG_CCM_V3_1, "caiq-v3");
    expect_layout("caiq-v3.1-filled.xlsx", "ccm/caiq-v3.1-ids.txt", TRUSTREG_CCM_V3_1, "caiq-v3");
}

static void test_question_order_and_ids(void **state)
{
    (void)state;
    trustreg_ccm *c = NULL;
    assert_int_equal(trustreg_ccm_read(&c, fx("caiq-v3.0.1.xlsx"), "3.0.1"), 0);
    /* sheet order, numeric after .9 and with the BCR-11 gap, IDs normalised */
    FILE *f = fopen(tu_shared("ccm/ccm-v3.0.1-ids.txt"), "r");
    assert_non_null(f);
    char line[4096];
    size_t i = 0;
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        *colon = '\0';
        for (char *tok = strtok(colon + 1, " \n"); tok; tok = strtok(NULL, " \n"), i++) {
            assert_true(i < c->n_questions);
            assert_string_equal(c->questions[i].id, tok);
            assert_string_equal(c->controls[c->questions[i].control].id, line);
        }
    }
    fclose(f);
    assert_int_equal(i, c->n_questions);
    /* the raw text of the quirky cell is kept */
    int inner_space = 0;
    for (size_t k = 0; k < c->n_questions; k++)
        inner_space |= strcmp(c->questions[k].raw_id, "AIS- 02.2") == 0;
    assert_true(inner_space);
    /* domains from the first line of column A, the control title from the second */
    assert_string_equal(c->domains[0].abbr, "AIS");
    assert_string_equal(c->domains[0].title, "Invented domain title for AIS");
    assert_string_equal(c->controls[0].title, "Invented title of AIS-01");
    trustreg_ccm_free(c);
    /* a version that does not match is refused */
    assert_int_equal(trustreg_ccm_read(&c, fx("caiq-v3.0.1.xlsx"), "3.1"), TRUSTREG_EINPUT);
    assert_int_equal(trustreg_ccm_read(&c, fx("caiq-v3.0.1.xlsx"), "7"), TRUSTREG_EUSAGE);
}

static void test_normalisation(void **state)
{
    (void)state;
    char *s = tr_ccm_norm_id(" AIS-\xC2\xA0 02.2\r\n");
    assert_string_equal(s, "AIS-02.2");
    free(s);
    s = tr_ccm_norm_label("CSC Responsibilities  (Optional/Recommended)\n");
    assert_string_equal(s, "CSC Responsibilities (Optional/Recommended)");
    free(s);
    assert_true(tr_ccm_is_question_id("A&A-01.1"));
    assert_true(tr_ccm_is_question_id("STA-05.12"));
    assert_false(tr_ccm_is_question_id("End of Standard"));
    assert_false(tr_ccm_is_question_id("A&A-01"));
    assert_false(tr_ccm_is_question_id("a&a-01.1"));
    assert_int_equal(trustreg_ccm_family_from_version("4.0.3"), TRUSTREG_CCM_V4);
    assert_int_equal(trustreg_ccm_family_from_version("v3.1"), TRUSTREG_CCM_V3_1);
    assert_int_equal(trustreg_ccm_family_from_version("3.0.1"), TRUSTREG_CCM_V3_0_1);
    assert_int_equal(trustreg_ccm_family_from_version("3.0"), TRUSTREG_CCM_FAMILY_UNKNOWN);
}

typedef struct mcount {
    size_t n, gaps, homoglyph;
    char first_fw[256];
} mcount;

static int on_mapping(void *ctx, const trustreg_ccm_mapping *m)
{
    mcount *k = ctx;
    if (k->n++ == 0)
        snprintf(k->first_fw, sizeof k->first_fw, "%s|%s|%s|%s", m->control_id, m->framework,
                 m->column, m->cell);
    k->gaps += m->gap_level[0] != '\0';
    k->homoglyph += strcmp(m->gap_level, "\xCE\x9D\xCE\xBF Gap") == 0;
    return 0;
}

static void test_mappings(void **state)
{
    (void)state;
    trustreg_ccm *c = NULL;
    assert_int_equal(trustreg_ccm_read(&c, fx("ccm-v4.0.12.xlsx"), NULL), 0);
    size_t n = trustreg_ccm_mapping_count(c);
    assert_true(n > 1000);
    const trustreg_ccm_mapping *m = trustreg_ccm_mapping_at(c, 0);
    assert_string_equal(m->control_id, "A&A-01");
    assert_string_equal(m->framework, "CCM v3.0.1"); /* the first framework is skipped for n=0 */
    assert_string_equal(m->column, "Control Mapping");
    assert_string_equal(m->sheet, "Scope Applicability (Mappings)");
    assert_null(trustreg_ccm_mapping_at(c, n));

    /* stored with the catalog and read back in the same order */
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/m.db", dir);
    trustreg_db *db = NULL;
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), 0);
    trustreg_ccm_import_result r;
    assert_int_equal(trustreg_ccm_import(db, fx("ccm-v4.0.12.xlsx"), NULL, &r), 0);
    assert_int_equal(r.mappings, (long)n);
    mcount k = {0};
    assert_int_equal(trustreg_ccm_stored_mappings(db, r.uuid, on_mapping, &k), 0);
    assert_int_equal(k.n, n);
    assert_int_equal(k.gaps, n);      /* every mapping cell of v4 has a gap level beside it */
    assert_int_equal(k.homoglyph, 1); /* kept as written, never "fixed" */
    char want[512];
    snprintf(want, sizeof want, "%s|%s|%s|%s", m->control_id, m->framework, m->column, m->cell);
    assert_string_equal(k.first_fw, want);
    assert_int_equal(trustreg_ccm_stored_mappings(db, "no-such-uuid", on_mapping, &k),
                     TRUSTREG_ENOTFOUND);
    trustreg_ccm_import_result_clear(&r);
    trustreg_ccm_free(c);
    trustreg_db_close(db);
    tu_rmtree(dir);
    free(dir);
}

static void test_caiq_import_all_or_nothing(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/c.db", dir);
    trustreg_db *db = NULL;
    assert_int_equal(trustreg_db_open(&db, path, TRUSTREG_DB_CREATE), 0);
    trustreg_caiq_report *rep = NULL;
    /* no catalog of that version yet */
    assert_int_equal(trustreg_caiq_check(db, fx("caiq-v4.0.3-filled.xlsx"), NULL, &rep),
                     TRUSTREG_ENOTFOUND);
    assert_null(rep);
    trustreg_ccm_import_result r;
    assert_int_equal(trustreg_ccm_import(db, fx("caiq-v4.0.3.xlsx"), NULL, &r), 0);
    trustreg_ccm_import_result_clear(&r);
    /* problems: refused with the report, nothing stored */
    assert_int_equal(trustreg_caiq_import(db, fx("caiq-v4.0.3-problems.xlsx"), NULL, &rep),
                     TRUSTREG_EINPUT);
    assert_non_null(rep);
    assert_false(rep->accepted);
    assert_true(rep->errors > 0);
    assert_null(rep->assessment_uuid);
    trustreg_caiq_report_free(rep);
    trustreg_caiq_summary *s = NULL;
    assert_int_equal(trustreg_caiq_summary_get(db, NULL, &s), TRUSTREG_ENOTFOUND);
    /* warnings: accepted, unless strict */
    trustreg_caiq_opts strict = {.strict = 1};
    assert_int_equal(trustreg_caiq_import(db, fx("caiq-v4.0.3-warnings.xlsx"), &strict, &rep),
                     TRUSTREG_EINPUT);
    assert_int_equal(rep->warnings, 2);
    trustreg_caiq_report_free(rep);
    assert_int_equal(trustreg_caiq_import(db, fx("caiq-v4.0.3-warnings.xlsx"), NULL, &rep), 0);
    assert_true(rep->accepted);
    assert_non_null(rep->assessment_uuid);
    assert_int_equal(trustreg_caiq_summary_get(db, rep->assessment_uuid, &s), 0);
    assert_int_equal(s->total.blank, 1);
    assert_int_equal(s->n_domains, 17);
    assert_string_equal(s->domains[0].domain, "A&A");
    long sum = 0;
    for (size_t i = 0; i < s->n_domains; i++)
        sum += s->domains[i].yes + s->domains[i].no + s->domains[i].na + s->domains[i].blank;
    assert_int_equal(sum, rep->questions);
    trustreg_caiq_summary_free(s);
    trustreg_caiq_report_free(rep);
    trustreg_db_close(db);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts_and_counts),
        cmocka_unit_test(test_question_order_and_ids),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_mappings),
        cmocka_unit_test(test_caiq_import_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, gen, cleanup);
}
