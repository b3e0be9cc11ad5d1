/*
 * tests/unit/test_registry_lifecycle.c - the lifecycle rules at their boundaries, without a
 * database: calendar days (leap years, strict parsing, month arithmetic checked against SQLite's
 * own date() for thousands of dates), UTC "today" under a far-off time zone, Level 1 deprecation
 * and hiding on day 364/365/366 and at three years (also across and from Feb 29), Level 2
 * validity and certificate expiry, Level 3 staleness, state precedence, attainment expiry
 * warnings, and the policy file (shipped etc/policy.json equals the built-in defaults; bad keys
 * and values are refused with their JSON pointer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/internal.h"
#include "trustreg/trustreg.h"

static int32_t D(const char *s)
{
    int32_t d;
    assert_int_equal(tr_day_parse(s, &d), 0);
    return d;
}

static trustreg_policy defaults(void)
{
    trustreg_policy p;
    tr_policy_defaults(&p);
    return p;
}

static tr_entry_dates published_l1(const char *day)
{
    tr_entry_dates e = {.level = TRUSTREG_LEVEL_1,
                        .submitted = D(day),
                        .published = D(day),
                        .rejected = TR_DAY_NONE,
                        .withdrawn = TR_DAY_NONE,
                        .superseded = TR_DAY_NONE,
                        .anchor = D(day),
                        .assessment = D(day),
                        .expires = TR_DAY_NONE,
                        .monitoring_end = TR_DAY_NONE};
    return e;
}

static void test_day_parse_strict(void **state)
{
    (void)state;
    int32_t d;
    assert_int_equal(tr_day_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(tr_day_parse("2024-02-29", &d), 0);
    assert_int_equal(tr_day_parse("2000-02-29", &d), 0);  /* divisible by 400: leap */
    assert_int_equal(tr_day_parse("1900-02-29", &d), -1); /* divisible by 100: not leap */
    assert_int_equal(tr_day_parse("2023-02-29", &d), -1);
    assert_int_equal(tr_day_parse("2024-04-31", &d), -1);
    assert_int_equal(tr_day_parse("2024-13-01", &d), -1);
    assert_int_equal(tr_day_parse("2024-00-10", &d), -1);
    assert_int_equal(tr_day_parse("2024-1-01", &d), -1);
    assert_int_equal(tr_day_parse("2024-01-01T00:00:00Z", &d), -1);
    assert_int_equal(tr_day_parse(" 2024-01-01", &d), -1);
    assert_int_equal(tr_day_parse("", &d), -1);
    char out[11];
    for (int32_t day = D("1999-12-25"); day < D("2001-01-10"); day++) {
        tr_day_format(day, out);
        int32_t back;
        assert_int_equal(tr_day_parse(out, &back), 0);
        assert_int_equal(back, day);
    }
}

/* Month arithmetic must agree with SQLite's date(d, '+N months'), which the SQL side uses. */
static void test_add_months_matches_sqlite(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT date(?1, printf('+%d months', ?2))", -1, &st,
                                        NULL),
                     SQLITE_OK);
    static const int months[] = {1, 11, 12, 13, 24, 36, 48};
    long checked = 0;
    for (int32_t day = D("2023-01-01"); day <= D("2025-12-31"); day++) {
        char in[11], mine[11];
        tr_day_format(day, in);
        for (size_t k = 0; k < sizeof months / sizeof months[0]; k++) {
            sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, months[k]);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            tr_day_format(tr_day_add_months(day, months[k]), mine);
            if (strcmp(mine, (const char *)sqlite3_column_text(st, 0)) != 0)
                fail_msg("%s + %d months: trustreg %s, sqlite %s", in, months[k], mine,
                         sqlite3_column_text(st, 0));
            sqlite3_reset(st);
            checked++;
        }
    }
    assert_true(checked > 7000);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* the documented roll-over */
    assert_int_equal(tr_day_add_months(D("2024-02-29"), 12), D("2025-03-01"));
    assert_int_equal(tr_day_add_months(D("2024-01-31"), 1), D("2024-03-02"));
}

static void test_today_is_utc(void **state)
{
    (void)state;
    /* UTC+14 and UTC-11: the local date differs from UTC for hours every day */
    const char *zones[] = {"Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"};
    for (size_t i = 0; i < 3; i++) {
        setenv("TZ", zones[i], 1);
        tzset();
        int32_t before = (int32_t)(time(NULL) / 86400);
        int32_t today = tr_day_today();
        int32_t after = (int32_t)(time(NULL) / 86400);
        assert_true(today == before || today == after);
    }
    unsetenv("TZ");
    tzset();
}

static void test_l1_one_year_boundaries(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    tr_entry_dates e = published_l1("2025-01-10");
    int32_t pub = e.published;
    assert_int_equal(tr_entry_status(&e, &p, pub), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&e, &p, pub + 364), TR_ST_PUBLISHED);  /* 2026-01-09 */
    assert_int_equal(tr_entry_status(&e, &p, pub + 365), TR_ST_DEPRECATED); /* 2026-01-10 */
    assert_int_equal(tr_entry_status(&e, &p, pub + 366), TR_ST_DEPRECATED);
    assert_int_equal(tr_entry_valid_until(&e, &p), D("2026-01-09"));
    /* three years: hidden from the anniversary on */
    assert_int_equal(tr_entry_status(&e, &p, D("2028-01-09")), TR_ST_DEPRECATED);
    assert_int_equal(tr_entry_status(&e, &p, D("2028-01-10")), TR_ST_HIDDEN);
    assert_int_equal(tr_entry_status(&e, &p, D("2031-01-10")), TR_ST_HIDDEN);
    /* a renewal moves the anchor and restarts the clock */
    e.anchor = D("2026-01-05");
    assert_int_equal(tr_entry_status(&e, &p, D("2026-06-01")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&e, &p, D("2027-01-04")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&e, &p, D("2027-01-05")), TR_ST_DEPRECATED);
}

static void test_l1_leap_days(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    /* published on Feb 29: one year later is Mar 1 (Feb 29 does not exist) */
    tr_entry_dates e = published_l1("2024-02-29");
    assert_int_equal(tr_entry_status(&e, &p, e.published + 365), TR_ST_PUBLISHED); /* 02-28 */
    assert_int_equal(D("2025-02-28"), e.published + 365);
    assert_int_equal(tr_entry_status(&e, &p, D("2025-03-01")), TR_ST_DEPRECATED); /* day 366 */
    assert_int_equal(tr_entry_status(&e, &p, D("2027-02-28")), TR_ST_DEPRECATED);
    assert_int_equal(tr_entry_status(&e, &p, D("2027-03-01")), TR_ST_HIDDEN);
    /* a year that contains Feb 29: the anniversary is day 366 */
    tr_entry_dates f = published_l1("2023-03-01");
    assert_int_equal(tr_entry_status(&f, &p, f.published + 364), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&f, &p, f.published + 365), TR_ST_PUBLISHED); /* 02-29 */
    assert_int_equal(f.published + 365, D("2024-02-29"));
    assert_int_equal(tr_entry_status(&f, &p, f.published + 366), TR_ST_DEPRECATED); /* 03-01 */
}

static void test_l1_continuous_has_own_policy(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    p.l1c_deprecate_months = 3;
    p.l1c_hide_months = 6;
    tr_entry_dates e = published_l1("2024-01-15");
    e.level = TRUSTREG_LEVEL_1_CONTINUOUS;
    assert_int_equal(tr_entry_status(&e, &p, D("2024-04-14")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-04-15")), TR_ST_DEPRECATED);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-07-15")), TR_ST_HIDDEN);
    e.level = TRUSTREG_LEVEL_1; /* the Level 1 keys are untouched */
    assert_int_equal(tr_entry_status(&e, &p, D("2024-07-15")), TR_ST_PUBLISHED);
}

static void test_l2_validity(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    tr_entry_dates a = published_l1("2024-03-10");
    a.level = TRUSTREG_LEVEL_2_ATTESTATION;
    a.assessment = D("2024-03-01"); /* report date: valid 12 months from it */
    assert_int_equal(tr_entry_status(&a, &p, D("2025-02-28")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&a, &p, D("2025-03-01")), TR_ST_EXPIRED);
    assert_int_equal(tr_entry_valid_until(&a, &p), D("2025-02-28"));
    /* expired stays expired (visible), never deprecated or hidden */
    assert_int_equal(tr_entry_status(&a, &p, D("2030-01-01")), TR_ST_EXPIRED);

    tr_entry_dates c = a;
    c.level = TRUSTREG_LEVEL_2_CERTIFICATION;
    c.expires = D("2026-05-31"); /* the certificate's last valid day */
    assert_int_equal(tr_entry_status(&c, &p, D("2026-05-31")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&c, &p, D("2026-06-01")), TR_ST_EXPIRED);
    assert_int_equal(tr_entry_valid_until(&c, &p), D("2026-05-31"));
    c.level = TRUSTREG_LEVEL_CSTAR;
    assert_int_equal(tr_entry_status(&c, &p, D("2026-06-01")), TR_ST_EXPIRED);
}

static void test_l3_staleness(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    tr_entry_dates m = published_l1("2024-05-01");
    m.level = TRUSTREG_LEVEL_3;
    m.anchor = D("2024-06-10"); /* last monitoring data */
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-24")), TR_ST_PUBLISHED); /* +14 */
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-25")), TR_ST_STALE);     /* +15 */
    p.l3_stale_days = 3;
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-13")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-14")), TR_ST_STALE);
    m.monitoring_end = D("2024-06-12");
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-12")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&m, &p, D("2024-06-13")), TR_ST_EXPIRED);
}

static void test_state_precedence(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    tr_entry_dates e = published_l1("2024-02-10");
    e.submitted = D("2024-02-01");
    assert_int_equal(tr_entry_status(&e, &p, D("2024-01-31")), TR_ST_NONE);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-02-01")), TR_ST_SUBMITTED);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-02-09")), TR_ST_SUBMITTED);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-02-10")), TR_ST_PUBLISHED);
    e.superseded = D("2024-08-01");
    assert_int_equal(tr_entry_status(&e, &p, D("2024-07-31")), TR_ST_PUBLISHED);
    assert_int_equal(tr_entry_status(&e, &p, D("2024-08-01")), TR_ST_SUPERSEDED);
    e.withdrawn = D("2024-09-01");
    assert_int_equal(tr_entry_status(&e, &p, D("2024-09-01")), TR_ST_WITHDRAWN);
    tr_entry_dates r = published_l1("2024-02-10");
    r.published = TR_DAY_NONE;
    r.rejected = D("2024-02-12");
    assert_int_equal(tr_entry_status(&r, &p, D("2024-02-11")), TR_ST_SUBMITTED);
    assert_int_equal(tr_entry_status(&r, &p, D("2024-02-12")), TR_ST_REJECTED);
    assert_int_equal(tr_entry_status(&r, &p, D("2030-02-12")), TR_ST_REJECTED);
    /* public statuses */
    assert_true(trustreg_status_is_public("published"));
    assert_true(trustreg_status_is_public("deprecated"));
    assert_true(trustreg_status_is_public("expired"));
    assert_true(trustreg_status_is_public("stale"));
    assert_false(trustreg_status_is_public("rejected"));
    assert_false(trustreg_status_is_public("withdrawn"));
    assert_false(trustreg_status_is_public("hidden"));
    assert_false(trustreg_status_is_public("submitted"));
    assert_false(trustreg_status_is_public("superseded"));
}

static void test_attainment_expiry_warning(void **state)
{
    (void)state;
    trustreg_policy p = defaults();
    int32_t rec = D("2024-01-10"), iss = D("2024-01-05"), exp = D("2025-06-30");
#define ATT(day) tr_att_status_compute(rec, iss, exp, TR_DAY_NONE, TR_DAY_NONE, &p, day)
    assert_int_equal(ATT(D("2024-01-09")), TR_ATT_NONE); /* not yet recorded */
    assert_int_equal(ATT(exp - 61), TR_ATT_ACTIVE);
    assert_int_equal(ATT(exp - 60), TR_ATT_EXPIRING);
    assert_int_equal(ATT(exp), TR_ATT_EXPIRING);
    assert_int_equal(ATT(exp + 1), TR_ATT_EXPIRED);
#undef ATT
    assert_int_equal(tr_att_status_compute(rec, iss, exp, D("2024-05-01"), TR_DAY_NONE, &p,
                                           D("2024-05-01")),
                     TR_ATT_WITHDRAWN);
    assert_int_equal(tr_att_status_compute(rec, iss, TR_DAY_NONE, TR_DAY_NONE, TR_DAY_NONE, &p,
                                           D("2040-05-01")),
                     TR_ATT_ACTIVE); /* no fixed term (e.g. HIPAA) */
}

static void test_level_names(void **state)
{
    (void)state;
    for (int l = TRUSTREG_LEVEL_1; l <= TRUSTREG_LEVEL_3; l++)
        assert_int_equal(trustreg_level_from_name(trustreg_level_name((trustreg_level)l)), l);
    assert_int_equal(trustreg_level_from_name("l2-ATTESTATION"), TRUSTREG_LEVEL_2_ATTESTATION);
    assert_int_equal(trustreg_level_from_name("L4"), TRUSTREG_LEVEL_NONE);
    assert_int_equal(trustreg_level_from_name(""), TRUSTREG_LEVEL_NONE);
}

static void test_policy_file(void **state)
{
    (void)state;
    trustreg_policy *shipped = NULL;
    assert_int_equal(trustreg_policy_load(&shipped, TRUSTREG_SOURCE_DIR "/etc/policy.json"),
                     TRUSTREG_OK);
    trustreg_policy d = defaults();
    json_t *a = trustreg_policy_to_json(shipped), *b = trustreg_policy_to_json(&d);
    json_object_del(a, "_source");
    json_object_del(b, "_source");
    assert_true(json_equal(a, b)); /* the shipped file documents the real defaults */
    json_decref(a);
    json_decref(b);
    trustreg_policy_free(shipped);

    trustreg_policy *p = NULL;
    const char ok[] = "{\"level1\": {\"deprecate_after_months\": 6}, \"level3\": "
                      "{\"stale_after_days\": 2}}";
    assert_int_equal(trustreg_policy_parse(&p, ok, strlen(ok), "p.json"), TRUSTREG_OK);
    assert_int_equal(p->l1_deprecate_months, 6);
    assert_int_equal(p->l1_hide_months, 36); /* untouched */
    assert_int_equal(p->l3_stale_days, 2);
    trustreg_policy_free(p);

    struct {
        const char *json, *pointer, *words;
    } bad[] = {
        {"{\"level1\": {\"deprecate_after_month\": 6}}", "/level1/deprecate_after_month",
         "unknown key"},
        {"{\"level9\": {}}", "/level9", "unknown section"},
        {"{\"level1\": {\"deprecate_after_months\": \"12\"}}", "/level1/deprecate_after_months",
         "integer"},
        {"{\"level1\": {\"deprecate_after_months\": 0}}", "/level1/deprecate_after_months",
         "from 1"},
        {"{\"level2\": {\"require_level1\": 1}}", "/level2/require_level1", "true or false"},
        {"{\"level1\": {\"deprecate_after_months\": 24, \"hide_after_months\": 12}}",
         "/level1/hide_after_months", "shorter"},
        {"[]", "", "expected an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = NULL;
        assert_int_equal(trustreg_policy_parse(&p, bad[i].json, strlen(bad[i].json), "p.json"),
                         TRUSTREG_EINPUT);
        assert_null(p);
        const trustreg_error *e = trustreg_error_last();
        assert_string_equal(e->pointer, bad[i].pointer);
        if (!strstr(e->message, bad[i].words))
            fail_msg("'%s' not in '%s'", bad[i].words, e->message);
    }
    const char syntax[] = "{\n  \"level1\": {,}\n}";
    assert_int_equal(trustreg_policy_parse(&p, syntax, strlen(syntax), "p.json"), TRUSTREG_EINPUT);
    assert_int_equal(trustreg_error_last()->line, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_parse_strict),
        cmocka_unit_test(test_add_months_matches_sqlite),
        cmocka_unit_test(test_today_is_utc),
        cmocka_unit_test(test_l1_one_year_boundaries),
        cmocka_unit_test(test_l1_leap_days),
        cmocka_unit_test(test_l1_continuous_has_own_policy),
        cmocka_unit_test(test_l2_validity),
        cmocka_unit_test(test_l3_staleness),
        cmocka_unit_test(test_state_precedence),
        cmocka_unit_test(test_attainment_expiry_warning),
        cmocka_unit_test(test_level_names),
        cmocka_unit_test(test_policy_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
