/*
 * tests/unit/test_registry.c - the registry through the public API on real SQLite files:
 * the Level 2 prerequisite, "no changes" renewal only while visible (and as-of answers before
 * and after it), review with and without a CAIQ checker, supersession, withdrawal and
 * rejection never reaching public search, bad input refused with nothing written (unknown
 * level, future dates, digest mismatch), restricted documents, platform inheritance on the
 * service page, offering expiry warnings, Level 3 data, history per provider/service/entry,
 * the event hook inside the transaction, and append-only tables.
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

#include "registry/internal.h"
#include "testutil.h"
#include "trustreg/trustreg.h"
#include "util/error.h"
#include "util/hash.h"

typedef struct fx {
    char *dir;
    char path[4200];
    trustreg_db *db;
    trustreg_registry *reg;
    char *caiq, *pdf;
} fx;

static int setup(void **state)
{
    unsetenv("TRUSTREG_POLICY");
    fx *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
    if (trustreg_db_open(&f->db, f->path, TRUSTREG_DB_CREATE) ||
        trustreg_registry_open(&f->reg, f->db, NULL))
        return -1;
    f->caiq = tu_write(f->dir, "caiq.xlsx", "invented CAIQ bytes", 19);
    f->pdf = tu_write(f->dir, "report.pdf", "invented report", 15);
    trustreg_org_spec o = {.name = "Example Demo Cloud", .slug = "acme", .date = "2019-01-01"};
    trustreg_assessor_spec cpa = {.name = "Example CPA", .slug = "cpa", .kind = "cpa-firm",
                                  .date = "2019-01-01"};
    trustreg_assessor_spec cb = {.name = "Example CB", .slug = "cb",
                                 .kind = "certification-body", .date = "2019-01-01"};
    const char *regions[] = {"eu-west-1", "us-east-1"};
    trustreg_service_spec p = {.org = "acme", .slug = "platform", .name = "Example Platform",
                               .category = "Compute", .regions = regions, .n_regions = 2,
                               .description = "virtual machines and containers",
                               .date = "2019-01-01"};
    trustreg_service_spec b = {.org = "acme", .slug = "backup", .name = "Example Backup",
                               .category = "Storage", .platform = "platform",
                               .regions = regions, .n_regions = 1, .date = "2019-01-01"};
    if (trustreg_org_add(f->reg, &o, NULL) || trustreg_assessor_add(f->reg, &cpa, NULL) ||
        trustreg_assessor_add(f->reg, &cb, NULL) || trustreg_service_add(f->reg, &p, NULL) ||
        trustreg_service_add(f->reg, &b, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    trustreg_entry_attach_caiq_check(NULL, NULL);
    tr_registry_event_hook(NULL, NULL);
    trustreg_registry_close(f->reg);
    trustreg_db_close(f->db);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->caiq);
    free(f->pdf);
    free(f);
    return 0;
}

/* Submit a Level 1 entry for service on day and publish it the same day (manual review). */
static int64_t l1(fx *f, const char *service, const char *day)
{
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s = {.service = service, .level = TRUSTREG_LEVEL_1,
                             .ccm_version = "4.0.12", .assessment_date = day, .docs = &doc,
                             .n_docs = 1, .date = day};
    int64_t id = 0;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    assert_int_equal(trustreg_entry_review(f->reg, id, 1, NULL, "all answers checked", day),
                     TRUSTREG_OK);
    return id;
}

static const char *status_on(fx *f, int64_t id, const char *day)
{
    static char buf[32];
    trustreg_view v = {.as_of = day, .include_nonpublic = 1};
    json_t *e = NULL;
    assert_int_equal(trustreg_entry_show(f->reg, id, &v, &e), TRUSTREG_OK);
    snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(e, "status")));
    json_decref(e);
    return buf;
}

static long count_rows(fx *f, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->reg->sql, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static json_t *search(fx *f, const char *status, int all, const char *day)
{
    trustreg_entry_query q = {.status = status, .view = {.as_of = day, .include_nonpublic = all},
                              .limit = 1000};
    json_t *out = NULL;
    assert_int_equal(trustreg_entry_search(f->reg, &q, &out), TRUSTREG_OK);
    return out;
}

static int result_has(json_t *res, int64_t id)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(res, "results"), i, e)
        if (json_integer_value(json_object_get(e, "id")) == id)
            return 1;
    return 0;
}

static void test_level2_needs_published_level1(void **state)
{
    fx *f = *state;
    trustreg_entry_spec s = {.service = "platform", .level = TRUSTREG_LEVEL_2_ATTESTATION,
                             .ccm_version = "4.0.12", .assessment_date = "2022-03-01",
                             .assessor = "cpa", .by_assessor = 1, .date = "2022-03-05"};
    int64_t id;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "requires a published Level 1"));
    /* a Level 1 still in review does not count */
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s1 = {.service = "platform", .level = TRUSTREG_LEVEL_1,
                              .ccm_version = "4.0.12", .assessment_date = "2022-01-10",
                              .docs = &doc, .n_docs = 1, .date = "2022-01-10"};
    int64_t e1;
    assert_int_equal(trustreg_entry_add(f->reg, &s1, &e1), TRUSTREG_OK);
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    /* without a checker, acceptance needs an explicit manual note: no faked completeness */
    assert_int_equal(trustreg_entry_review(f->reg, e1, 1, NULL, NULL, "2022-01-20"),
                     TRUSTREG_EUSAGE);
    assert_non_null(strstr(trustreg_error_last()->message, "no CAIQ completeness checker"));
    assert_int_equal(trustreg_entry_review(f->reg, e1, 1, NULL, "checked by hand", "2022-01-20"),
                     TRUSTREG_OK);
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2022-03-05"), "published");
    assert_string_equal(status_on(f, id, "2023-02-28"), "published");
    assert_string_equal(status_on(f, id, "2023-03-01"), "expired");
    /* a deprecated Level 1 is not enough for a new Level 2 */
    s.date = "2023-01-20";
    s.assessment_date = "2023-01-10";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    /* the assessor must be registered and of the right kind */
    s.date = "2022-06-01";
    s.assessment_date = "2022-05-01";
    s.assessor = "nobody";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_ENOTFOUND);
    assert_non_null(strstr(trustreg_error_last()->message, "register it first"));
    s.assessor = "cb";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "cpa-firm"));
}

static void test_renewal_only_while_visible(void **state)
{
    fx *f = *state;
    int64_t id = l1(f, "platform", "2020-01-10");
    assert_string_equal(status_on(f, id, "2021-01-09"), "published");
    assert_string_equal(status_on(f, id, "2021-01-10"), "deprecated");
    /* renewal while deprecated (still visible) restarts the clock */
    assert_int_equal(trustreg_entry_renew_unchanged(f->reg, id, "2021-06-01"), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2021-06-01"), "published");
    assert_string_equal(status_on(f, id, "2022-05-31"), "published");
    assert_string_equal(status_on(f, id, "2022-06-01"), "deprecated");
    /* as-of answers what the registry said then: before the renewal it was deprecated */
    assert_string_equal(status_on(f, id, "2021-05-31"), "deprecated");
    assert_string_equal(status_on(f, id, "2020-06-01"), "published");
    /* renewals cannot be back-dated before the last change */
    assert_int_equal(trustreg_entry_renew_unchanged(f->reg, id, "2021-05-01"), TRUSTREG_EINPUT);
    /* three years after the last renewal it is hidden: no more auto-renewal */
    assert_string_equal(status_on(f, id, "2024-06-01"), "hidden");
    assert_int_equal(trustreg_entry_renew_unchanged(f->reg, id, "2024-06-01"), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "only while the entry is visible"));
    assert_int_equal(trustreg_entry_renew_unchanged(f->reg, id, "2024-05-31"), TRUSTREG_OK);
    /* hidden entries are not in public search, deprecated ones are */
    json_t *r = search(f, NULL, 0, "2027-06-01");
    assert_false(result_has(r, id));
    json_decref(r);
    r = search(f, "deprecated", 0, "2025-06-01");
    assert_true(result_has(r, id));
    json_decref(r);
    json_t *h = NULL;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    assert_int_equal(trustreg_history(f->reg, "entry", ids, &h), TRUSTREG_OK);
    /* submitted, published, renewed, renewed */
    assert_int_equal(json_array_size(h), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(h, 3), "kind")),
                        "entry.renewed");
    json_decref(h);
}

static void test_rejected_and_withdrawn_never_public(void **state)
{
    fx *f = *state;
    int64_t pub = l1(f, "platform", "2022-01-10");
    int64_t wd = l1(f, "backup", "2022-01-10");
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s = {.service = "backup", .level = TRUSTREG_LEVEL_1_CONTINUOUS,
                             .ccm_version = "4.0.12", .assessment_date = "2022-02-01",
                             .docs = &doc, .n_docs = 1, .date = "2022-02-01"};
    int64_t rej, pending;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &rej), TRUSTREG_OK);
    assert_int_equal(trustreg_entry_review(f->reg, rej, 0, NULL, NULL, "2022-02-02"),
                     TRUSTREG_EUSAGE); /* a rejection needs its reason */
    assert_int_equal(trustreg_entry_review(f->reg, rej, 0, "questions A&A-02 to A&A-06 blank",
                                           NULL, "2022-02-02"),
                     TRUSTREG_OK);
    assert_int_equal(trustreg_entry_add(f->reg, &s, &pending), TRUSTREG_OK);
    assert_int_equal(trustreg_entry_withdraw(f->reg, wd, NULL, "2022-03-01"), TRUSTREG_EUSAGE);
    assert_int_equal(trustreg_entry_withdraw(f->reg, wd, "service discontinued", "2022-03-01"),
                     TRUSTREG_OK);
    const char *statuses[] = {NULL, "published", "deprecated", "expired", "stale"};
    const char *days[] = {"2022-02-15", "2022-06-01", "2023-06-01", "2030-01-01"};
    for (size_t i = 0; i < 5; i++)
        for (size_t k = 0; k < 4; k++) {
            json_t *r = search(f, statuses[i], 0, days[k]);
            assert_false(result_has(r, rej));
            assert_false(result_has(r, pending));
            if (strcmp(days[k], "2022-02-15") > 0)
                assert_false(result_has(r, wd));
            json_decref(r);
        }
    /* before its withdrawal it was public: as-of tells the truth about that day */
    json_t *r = search(f, NULL, 0, "2022-02-15");
    assert_true(result_has(r, wd));
    assert_true(result_has(r, pub));
    json_decref(r);
    /* asking a public search for non-public statuses is refused; operators see them */
    trustreg_entry_query q = {.status = "withdrawn"};
    json_t *out = NULL;
    assert_int_equal(trustreg_entry_search(f->reg, &q, &out), TRUSTREG_EUSAGE);
    assert_null(out);
    r = search(f, "withdrawn", 1, "2022-06-01");
    assert_true(result_has(r, wd));
    assert_int_equal(json_array_size(json_object_get(r, "results")), 1);
    json_decref(r);
    r = search(f, "rejected", 1, "2022-06-01");
    assert_true(result_has(r, rej));
    json_decref(r);
    /* the public entry page refuses never-published entries; withdrawn ones show why */
    trustreg_view pubv = {.as_of = "2022-06-01"};
    assert_int_equal(trustreg_entry_show(f->reg, rej, &pubv, &out), TRUSTREG_ENOTFOUND);
    assert_int_equal(trustreg_entry_show(f->reg, wd, &pubv, &out), TRUSTREG_OK);
    assert_string_equal(json_string_value(json_object_get(out, "reason")), "service discontinued");
    json_decref(out);
    /* the public service page history leaves out the rejected submission */
    assert_int_equal(trustreg_service_page(f->reg, "backup", &pubv, &out), TRUSTREG_OK);
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(out, "history"), i, ev)
    {
        assert_int_not_equal(json_integer_value(json_object_get(ev, "entry")), rej);
        assert_int_not_equal(json_integer_value(json_object_get(ev, "entry")), pending);
    }
    json_decref(out);
}

static void test_bad_input_writes_nothing(void **state)
{
    fx *f = *state;
    long entries = count_rows(f, "SELECT count(*) FROM reg_entries");
    long events = count_rows(f, "SELECT count(*) FROM reg_events");
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s = {.service = "platform", .level = TRUSTREG_LEVEL_NONE,
                             .ccm_version = "4.0.12", .assessment_date = "2022-01-10",
                             .docs = &doc, .n_docs = 1, .date = "2022-01-10"};
    int64_t id;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "unknown STAR level"));
    s.level = TRUSTREG_LEVEL_1;
    s.date = "2999-01-01";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "in the future"));
    s.date = NULL;
    s.assessment_date = "2999-01-01";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "--assessment-date"));
    s.assessment_date = "2022-02-30";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "YYYY-MM-DD"));
    s.assessment_date = "2022-01-11";
    s.date = "2022-01-10"; /* assessed after it was submitted */
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    s.assessment_date = "2022-01-10";
    s.ccm_version = "four";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    s.ccm_version = "4.0.12";
    /* the digest announced for the CAIQ must match the file */
    doc.expect_sha256 = "0000000000000000000000000000000000000000000000000000000000000000";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "digest mismatch"));
    assert_non_null(strstr(trustreg_error_last()->message, "caiq.xlsx"));
    doc.expect_sha256 = "xyz";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EINPUT);
    /* a Level 1 entry without a CAIQ */
    s.n_docs = 0;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_EUSAGE);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM reg_entries"), entries);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM reg_events"), events);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM reg_documents"), 0);
    /* the right digest is accepted and stored */
    char hex[65];
    tr_sha256_hex("invented CAIQ bytes", 19, hex);
    doc.expect_sha256 = hex;
    s.n_docs = 1;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    trustreg_view all = {.include_nonpublic = 1, .signed_in = 1};
    json_t *e = NULL;
    assert_int_equal(trustreg_entry_show(f->reg, id, &all, &e), TRUSTREG_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(e, "documents"), 0),
                                          "sha256")),
        hex);
    json_decref(e);
    /* certificates: expiry after the audit and within the policy's maximum */
    trustreg_entry_spec c = {.service = "platform", .level = TRUSTREG_LEVEL_2_CERTIFICATION,
                             .ccm_version = "4.0.12", .assessment_date = "2022-01-10",
                             .assessor = "cb", .expires = "2021-01-01", .date = "2022-01-10"};
    assert_int_equal(trustreg_entry_add(f->reg, &c, &id), TRUSTREG_EINPUT);
    c.expires = "2030-01-01";
    assert_int_equal(trustreg_entry_add(f->reg, &c, &id), TRUSTREG_EINPUT);
    /* registry rows are never deleted */
    assert_int_not_equal(sqlite3_exec(f->reg->sql, "DELETE FROM reg_entries", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(f->reg->sql, "UPDATE reg_events SET kind = 'x'", NULL, NULL,
                                      NULL),
                         SQLITE_OK);
}

static void test_supersession(void **state)
{
    fx *f = *state;
    int64_t a = l1(f, "platform", "2021-03-01");
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s = {.service = "platform", .level = TRUSTREG_LEVEL_1,
                             .ccm_version = "4.0.12", .assessment_date = "2022-02-01",
                             .docs = &doc, .n_docs = 1, .renews = a, .date = "2022-02-01"};
    int64_t b;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &b), TRUSTREG_OK);
    /* until the new one is published, the old one stands */
    assert_string_equal(status_on(f, a, "2022-02-05"), "published");
    assert_int_equal(trustreg_entry_review(f->reg, b, 1, NULL, "ok", "2022-02-10"), TRUSTREG_OK);
    assert_string_equal(status_on(f, a, "2022-02-10"), "superseded");
    assert_string_equal(status_on(f, a, "2022-02-09"), "published");
    assert_string_equal(status_on(f, b, "2022-02-10"), "published");
    json_t *r = search(f, NULL, 0, "2022-03-01");
    assert_true(result_has(r, b));
    assert_false(result_has(r, a));
    json_decref(r);
    /* a renewal must be of the same service and level */
    s.service = "backup";
    assert_int_equal(trustreg_entry_add(f->reg, &s, &b), TRUSTREG_EINPUT);
}

static int fake_checker(void *ctx, const unsigned char *data, size_t len, const char *name,
                        const char *ccm_version, json_t **summary)
{
    (*(int *)ctx)++;
    assert_string_equal(ccm_version, "4.0.12");
    assert_non_null(name);
    if (len >= 10 && memcmp(data, "UNANSWERED", 10) == 0)
        return tr_error(TRUSTREG_EINPUT, "%s: question A&A-01.1 is not answered", name);
    *summary = json_pack("{s:{s:i, s:i, s:i}}", "A&A", "yes", 5, "no", 1, "na", 0);
    return TRUSTREG_OK;
}

static void test_caiq_checker_hook(void **state)
{
    fx *f = *state;
    int calls = 0;
    trustreg_entry_attach_caiq_check(fake_checker, &calls);
    char *bad = tu_write(f->dir, "bad.xlsx", "UNANSWERED", 10);
    trustreg_doc_spec doc = {.path = bad, .kind = "caiq"};
    trustreg_entry_spec s = {.service = "platform", .level = TRUSTREG_LEVEL_1,
                             .ccm_version = "4.0.12", .assessment_date = "2022-01-10",
                             .docs = &doc, .n_docs = 1, .date = "2022-01-10"};
    int64_t id;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    /* a manual note does not override a failing check */
    assert_int_equal(trustreg_entry_review(f->reg, id, 1, NULL, "looks fine", "2022-01-11"),
                     TRUSTREG_OK);
    assert_int_equal(calls, 1);
    assert_string_equal(status_on(f, id, "2022-01-11"), "rejected");
    trustreg_view all = {.include_nonpublic = 1};
    json_t *e;
    assert_int_equal(trustreg_entry_show(f->reg, id, &all, &e), TRUSTREG_OK);
    assert_non_null(strstr(json_string_value(json_object_get(e, "reason")), "A&A-01.1"));
    assert_string_equal(json_string_value(json_object_get(e, "review")), "caiq-check");
    json_decref(e);
    doc.path = f->caiq;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    assert_int_equal(trustreg_entry_review(f->reg, id, 1, NULL, NULL, "2022-01-11"), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2022-01-11"), "published");
    assert_int_equal(trustreg_entry_show(f->reg, id, &all, &e), TRUSTREG_OK);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(e, "caiq_summary"), "A&A"), "yes")),
                     5);
    json_decref(e);
    free(bad);
}

static void test_service_page_platform_and_documents(void **state)
{
    fx *f = *state;
    trustreg_doc_spec cert = {.path = f->pdf, .kind = "certificate"};
    const char *plat[] = {"platform"}, *own[] = {"backup"};
    trustreg_attainment_spec iso = {.org = "acme", .offering = "iso-27001", .issued = "2022-01-05",
                                    .services = plat, .n_services = 1, .docs = &cert,
                                    .n_docs = 1, .assessor = "cb", .reference = "ISO-1",
                                    .date = "2022-01-10"};
    trustreg_attainment_spec hip = {.org = "acme", .offering = "hipaa", .issued = "2022-01-05",
                                    .services = own, .n_services = 1, .date = "2022-01-10"};
    trustreg_attainment_spec soc = {.org = "acme", .offering = "soc-2", .issued = "2022-01-05",
                                    .expires = "2022-12-31", .services = own, .n_services = 1,
                                    .date = "2022-01-10"};
    int64_t a_iso, a_hip, a_soc;
    assert_int_equal(trustreg_attainment_add(f->reg, &iso, &a_iso), TRUSTREG_OK);
    assert_int_equal(trustreg_attainment_add(f->reg, &hip, &a_hip), TRUSTREG_OK);
    assert_int_equal(trustreg_attainment_add(f->reg, &soc, &a_soc), TRUSTREG_OK);
    trustreg_doc_spec pub = {.path = f->pdf, .kind = "bridge-letter", .title = "public letter"};
    trustreg_doc_spec res = {.path = f->caiq, .kind = "audit-report", .title = "restricted report",
                             .restricted = 1};
    assert_int_equal(trustreg_service_add_document(f->reg, "backup", &pub, "2022-02-01", NULL),
                     TRUSTREG_OK);
    assert_int_equal(trustreg_service_add_document(f->reg, "backup", &res, "2022-02-01", NULL),
                     TRUSTREG_OK);

    trustreg_view v = {.as_of = "2022-06-01"};
    json_t *page;
    assert_int_equal(trustreg_service_page(f->reg, "backup", &v, &page), TRUSTREG_OK);
    json_t *offs = json_object_get(page, "offerings");
    json_t *g = json_object_get(offs, "global");
    /* ISO 27001 from the platform, SOC 2 its own; HIPAA under Industry */
    int seen_iso = 0, seen_soc = 0;
    size_t i;
    json_t *o;
    json_array_foreach(g, i, o)
    {
        const char *slug = json_string_value(json_object_get(o, "offering"));
        if (strcmp(slug, "iso-27001") == 0) {
            seen_iso = 1;
            assert_string_equal(json_string_value(json_object_get(o, "source")), "platform");
            assert_string_equal(json_string_value(json_object_get(o, "href")),
                                "/orgs/acme/offerings/iso-27001");
            /* derived from the typical validity of 36 months */
            assert_string_equal(json_string_value(json_object_get(o, "expires_on")), "2025-01-04");
        }
        if (strcmp(slug, "soc-2") == 0) {
            seen_soc = 1;
            assert_string_equal(json_string_value(json_object_get(o, "source")), "own");
        }
    }
    assert_true(seen_iso && seen_soc);
    json_t *ind = json_object_get(offs, "industry");
    assert_int_equal(json_array_size(ind), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ind, 0), "offering")),
                        "hipaa");
    assert_int_equal(json_array_size(json_object_get(offs, "us-government")), 0);
    /* only the public document is listed */
    json_t *docs = json_object_get(page, "documents");
    assert_int_equal(json_array_size(docs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "title")),
                        "public letter");
    char hex[65];
    tr_sha256_hex("invented report", 15, hex);
    assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "sha256")),
                        hex);
    json_decref(page);
    v.signed_in = 1;
    assert_int_equal(trustreg_service_page(f->reg, "backup", &v, &page), TRUSTREG_OK);
    assert_int_equal(json_array_size(json_object_get(page, "documents")), 2);
    json_decref(page);
    /* the platform's own page does not inherit the child's offerings */
    assert_int_equal(trustreg_service_page(f->reg, "platform", &v, &page), TRUSTREG_OK);
    assert_int_equal(json_array_size(json_object_get(json_object_get(page, "offerings"),
                                                     "industry")),
                     0);
    assert_int_equal(json_array_size(json_object_get(page, "platform_services")), 1);
    json_decref(page);
    /* expiry warning on the provider's offering page: 60 days before the end */
    v.signed_in = 0;
    v.as_of = "2022-11-01";
    assert_int_equal(trustreg_offering_page(f->reg, "soc-2", "acme", &v, &page), TRUSTREG_OK);
    json_t *att = json_array_get(json_object_get(page, "attainments"), 0);
    assert_string_equal(json_string_value(json_object_get(att, "status")), "expiring");
    assert_non_null(json_object_get(att, "warning"));
    json_decref(page);
    v.as_of = "2023-01-01";
    assert_int_equal(trustreg_offering_page(f->reg, "soc-2", "acme", &v, &page), TRUSTREG_OK);
    att = json_array_get(json_object_get(page, "attainments"), 0);
    assert_string_equal(json_string_value(json_object_get(att, "status")), "expired");
    json_decref(page);
    /* search by offering follows the platform */
    trustreg_view day = {.as_of = "2022-06-01"};
    l1(f, "backup", "2022-03-01");
    trustreg_entry_query q = {.offering = "iso-27001", .view = day};
    json_t *r;
    assert_int_equal(trustreg_entry_search(f->reg, &q, &r), TRUSTREG_OK);
    assert_int_equal(json_array_size(json_object_get(r, "results")), 1);
    json_decref(r);
    /* withdrawn attainments disappear from public pages and from offering search */
    assert_int_equal(trustreg_attainment_withdraw(f->reg, a_iso, "scope reduced", "2022-04-01"),
                     TRUSTREG_OK);
    assert_int_equal(trustreg_entry_search(f->reg, &q, &r), TRUSTREG_OK);
    assert_int_equal(json_array_size(json_object_get(r, "results")), 0);
    json_decref(r);
}

static void test_level3_monitoring(void **state)
{
    fx *f = *state;
    trustreg_assessor_spec mon = {.name = "Example Monitor", .slug = "mon", .kind = "monitoring",
                                  .date = "2019-01-01"};
    assert_int_equal(trustreg_assessor_add(f->reg, &mon, NULL), TRUSTREG_OK);
    trustreg_entry_spec s = {.service = "platform", .level = TRUSTREG_LEVEL_3,
                             .ccm_version = "4.0.12", .assessment_date = "2022-01-01",
                             .assessor = "mon", .frequency_days = 1, .date = "2022-01-02"};
    int64_t id;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2022-01-02"), "submitted");
    assert_int_equal(trustreg_entry_confirm(f->reg, id, "cb", "2022-01-03"), TRUSTREG_EINPUT);
    assert_int_equal(trustreg_entry_confirm(f->reg, id, "mon", "2022-01-03"), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2022-01-17"), "published");
    assert_string_equal(status_on(f, id, "2022-01-18"), "stale");
    assert_int_equal(trustreg_entry_monitoring(f->reg, id, "2022-01-20"), TRUSTREG_OK);
    assert_string_equal(status_on(f, id, "2022-01-20"), "published");
    assert_string_equal(status_on(f, id, "2022-01-19"), "stale"); /* as of before the data */
    assert_string_equal(status_on(f, id, "2022-02-04"), "stale");
}

static int g_hook_calls;
static char g_last_event[512];

static int hook(void *ctx, trustreg_db *db, int64_t event_id, const char *json)
{
    (void)db;
    (void)event_id;
    g_hook_calls++;
    snprintf(g_last_event, sizeof g_last_event, "%s", json);
    if (ctx && strstr(json, "\"entry.published\""))
        return tr_error(TRUSTREG_ESTORE, "transparency log unavailable");
    return TRUSTREG_OK;
}

static void test_event_hook_in_transaction(void **state)
{
    fx *f = *state;
    g_hook_calls = 0;
    tr_registry_event_hook(hook, NULL);
    int64_t id = l1(f, "platform", "2022-01-10");
    assert_int_equal(g_hook_calls, 2); /* submitted, published */
    /* canonical JSON: compact, sorted keys */
    assert_non_null(strstr(g_last_event, "{\"data\":"));
    assert_non_null(strstr(g_last_event, "\"kind\":\"entry.published\""));
    /* a failing hook rolls the whole change back */
    int fail = 1;
    tr_registry_event_hook(hook, &fail);
    trustreg_doc_spec doc = {.path = f->caiq, .kind = "caiq"};
    trustreg_entry_spec s = {.service = "backup", .level = TRUSTREG_LEVEL_1,
                             .ccm_version = "4.0.12", .assessment_date = "2022-01-10",
                             .docs = &doc, .n_docs = 1, .date = "2022-01-10"};
    int64_t id2;
    assert_int_equal(trustreg_entry_add(f->reg, &s, &id2), TRUSTREG_OK);
    long events = count_rows(f, "SELECT count(*) FROM reg_events");
    assert_int_equal(trustreg_entry_review(f->reg, id2, 1, NULL, "ok", "2022-01-11"),
                     TRUSTREG_ESTORE);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM reg_events"), events);
    assert_string_equal(status_on(f, id2, "2022-01-11"), "submitted");
    tr_registry_event_hook(NULL, NULL);
    (void)id;
    /* history per provider covers everything, per service only its own */
    json_t *h;
    assert_int_equal(trustreg_history(f->reg, "org", "acme", &h), TRUSTREG_OK);
    assert_int_equal((long)json_array_size(h),
                     count_rows(f, "SELECT count(*) FROM reg_events WHERE org_id IS NOT NULL"));
    json_decref(h);
    assert_int_equal(trustreg_history(f->reg, "service", "backup", &h), TRUSTREG_OK);
    assert_int_equal(json_array_size(h), 2); /* service.added, entry.submitted */
    json_decref(h);
    assert_int_equal(trustreg_history(f->reg, "service", "nope", &h), TRUSTREG_ENOTFOUND);
}

static void test_entities_errors(void **state)
{
    fx *f = *state;
    trustreg_org_spec o = {.name = "Example Demo Cloud", .slug = "acme"};
    assert_int_equal(trustreg_org_add(f->reg, &o, NULL), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "already exists"));
    o.slug = "Bad Slug";
    assert_int_equal(trustreg_org_add(f->reg, &o, NULL), TRUSTREG_EINPUT);
    o.slug = NULL;
    o.website = "ftp://x";
    assert_int_equal(trustreg_org_add(f->reg, &o, NULL), TRUSTREG_EINPUT);
    trustreg_org_spec other = {.name = "Other Example Cloud"};
    int64_t oid;
    assert_int_equal(trustreg_org_add(f->reg, &other, &oid), TRUSTREG_OK);
    /* a platform of another provider, or an attainment over another provider's service */
    trustreg_service_spec s = {.org = "other-example-cloud", .name = "X", .category = "Compute",
                               .platform = "platform"};
    assert_int_equal(trustreg_service_add(f->reg, &s, NULL), TRUSTREG_EINPUT);
    const char *svc[] = {"backup"};
    trustreg_attainment_spec a = {.org = "other-example-cloud", .offering = "soc-2",
                                  .issued = "2022-01-01", .services = svc, .n_services = 1};
    assert_int_equal(trustreg_attainment_add(f->reg, &a, NULL), TRUSTREG_EINPUT);
    a.offering = "iso-99999";
    assert_int_equal(trustreg_attainment_add(f->reg, &a, NULL), TRUSTREG_ENOTFOUND);
    json_t *list;
    assert_int_equal(trustreg_offering_list(f->reg, "industry", &list), TRUSTREG_OK);
    assert_true(json_array_size(list) >= 4);
    json_decref(list);
    assert_int_equal(trustreg_offering_list(f->reg, "galactic", &list), TRUSTREG_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_level2_needs_published_level1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_renewal_only_while_visible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_and_withdrawn_never_public, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supersession, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caiq_checker_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_page_platform_and_documents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_level3_monitoring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_hook_in_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entities_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
