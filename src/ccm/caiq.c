/*
 * ccm/caiq.c - a provider's filled CAIQ (self-assessment): the checks a registry runs before
 * accepting it, the import of its answers, and per-domain summaries.
 *
 * The reference is the stored CCM catalog of the same CAIQ version (trustreg ccm import of the
 * user's own CSA workbook): question IDs are compared with its list. Values are classified
 * exactly as the template's lists allow; anything else is reported with its cell and kept as
 * written, never guessed. Codes of the findings are listed in docs/ccm.md.
 */
#include "ccm/ccm_model.h"
#include "ccm/xlsx.h"
#include "store/ccm_store.h"
#include "store/store.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const trustreg_caiq_ownership_values[TRUSTREG_CAIQ_OWNERSHIP_COUNT] = {
    "CSP-owned", "CSC-owned", "3rd-party outsourced", "Shared CSP and CSC",
    "Shared CSP and 3rd-party"};

const char *trustreg_caiq_answer_name(trustreg_caiq_answer a)
{
    switch (a) {
    case TRUSTREG_CAIQ_YES:
        return "yes";
    case TRUSTREG_CAIQ_NO:
        return "no";
    case TRUSTREG_CAIQ_NA:
        return "na";
    case TRUSTREG_CAIQ_INVALID:
        return "invalid";
    default:
        return "blank";
    }
}

/* ---- a small hash index of question IDs ---------------------------------------------------- */

typedef struct id_index {
    const char **keys;
    size_t *vals;
    size_t cap;
} id_index;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static int index_build(id_index *ix, const tr_ref_catalog *ref)
{
    ix->cap = 16;
    while (ix->cap < ref->n_questions * 2 + 1)
        ix->cap *= 2;
    ix->keys = calloc(ix->cap, sizeof *ix->keys);
    ix->vals = calloc(ix->cap, sizeof *ix->vals);
    if (!ix->keys || !ix->vals)
        return tr_error_oom();
    for (size_t i = 0; i < ref->n_questions; i++) {
        size_t h = (size_t)fnv(ref->questions[i].question_id) & (ix->cap - 1);
        while (ix->keys[h])
            h = (h + 1) & (ix->cap - 1);
        ix->keys[h] = ref->questions[i].question_id;
        ix->vals[h] = i;
    }
    return TRUSTREG_OK;
}

static int index_find(const id_index *ix, const char *key, size_t *val)
{
    size_t h = (size_t)fnv(key) & (ix->cap - 1);
    while (ix->keys[h]) {
        if (strcmp(ix->keys[h], key) == 0) {
            *val = ix->vals[h];
            return 1;
        }
        h = (h + 1) & (ix->cap - 1);
    }
    return 0;
}

static void index_free(id_index *ix)
{
    free(ix->keys);
    free(ix->vals);
}

/* ---- findings ------------------------------------------------------------------------------ */

static int add_finding(trustreg_caiq_report *r, int severity, const char *code, const char *cell,
                       const char *qid, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add_finding(trustreg_caiq_report *r, int severity, const char *code, const char *cell,
                       const char *qid, const char *fmt, ...)
{
    if ((r->n_findings & (r->n_findings - 1)) == 0) { /* grow at powers of two */
        size_t cap = r->n_findings ? r->n_findings * 2 : 1;
        trustreg_caiq_finding *n = realloc(r->findings, cap * sizeof *n);
        if (!n)
            return tr_error_oom();
        r->findings = n;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    trustreg_caiq_finding *f = &r->findings[r->n_findings++];
    f->severity = severity;
    f->code = tr_strdup(code);
    f->sheet = tr_strdup(r->sheet);
    f->cell = tr_strdup(cell);
    f->question_id = tr_strdup(qid);
    f->message = tr_strdup(msg);
    if (severity == TRUSTREG_CAIQ_ERROR)
        r->errors++;
    else
        r->warnings++;
    return (f->code && f->sheet && f->cell && f->question_id && f->message) ? TRUSTREG_OK
                                                                            : tr_error_oom();
}

void trustreg_caiq_report_free(trustreg_caiq_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].code);
        free(r->findings[i].sheet);
        free(r->findings[i].cell);
        free(r->findings[i].question_id);
        free(r->findings[i].message);
    }
    free(r->findings);
    free(r->file);
    free(r->sheet);
    free(r->catalog_uuid);
    free(r->caiq_version);
    free(r->assessment_uuid);
    free(r);
}

/* ---- classifying one answer ------------------------------------------------------------------ */

static char *trimmed(const char *s)
{
    return tr_ccm_norm_label(s);
}

static int classify_v4(trustreg_caiq_report *r, const tr_ccm_question *q, const uint32_t *cols,
                       int *answer)
{
    char ref[16];
    char *a = trimmed(q->answer), *o = trimmed(q->ownership), *impl = trimmed(q->impl);
    int rc = (!a || !o || !impl) ? tr_error_oom() : TRUSTREG_OK;
    *answer = TRUSTREG_CAIQ_BLANK;
    if (!rc) {
        if (strcmp(a, "Yes") == 0)
            *answer = TRUSTREG_CAIQ_YES;
        else if (strcmp(a, "No") == 0)
            *answer = TRUSTREG_CAIQ_NO;
        else if (strcmp(a, "NA") == 0)
            *answer = TRUSTREG_CAIQ_NA;
        else if (a[0])
            *answer = TRUSTREG_CAIQ_INVALID;
        if (!cols[COL_ANSWER])
            ; /* the column is missing: reported once as column-missing */
        else if (*answer == TRUSTREG_CAIQ_INVALID)
            rc = add_finding(r, TRUSTREG_CAIQ_ERROR, "answer-invalid",
                             tr_xlsx_ref(q->row, cols[COL_ANSWER], ref), q->id,
                             "answer '%.80s' is not one of Yes, No, NA", q->answer);
        else if (*answer == TRUSTREG_CAIQ_BLANK)
            rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "answer-blank",
                             tr_xlsx_ref(q->row, cols[COL_ANSWER], ref), q->id,
                             "question %s is not answered", q->id);
    }
    if (!rc && cols[COL_OWNERSHIP]) {
        int ok = 0;
        for (int k = 0; k < TRUSTREG_CAIQ_OWNERSHIP_COUNT; k++)
            ok |= strcmp(o, trustreg_caiq_ownership_values[k]) == 0;
        if (!o[0] && *answer != TRUSTREG_CAIQ_BLANK && *answer != TRUSTREG_CAIQ_NA)
            rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "ownership-blank",
                             tr_xlsx_ref(q->row, cols[COL_OWNERSHIP], ref), q->id,
                             "no SSRM control ownership for %s", q->id);
        else if (o[0] && !ok)
            rc = add_finding(r, TRUSTREG_CAIQ_ERROR, "ownership-invalid",
                             tr_xlsx_ref(q->row, cols[COL_OWNERSHIP], ref), q->id,
                             "ownership '%.80s' is not one of CSP-owned, CSC-owned, 3rd-party "
                             "outsourced, Shared CSP and CSC, Shared CSP and 3rd-party",
                             q->ownership);
    }
    if (!rc && *answer == TRUSTREG_CAIQ_NA && !impl[0])
        rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "na-without-justification",
                         tr_xlsx_ref(q->row, cols[COL_IMPL] ? cols[COL_IMPL] : 5, ref), q->id,
                         "%s is answered NA without an implementation description saying why",
                         q->id);
    free(a);
    free(o);
    free(impl);
    return rc;
}

static int classify_v3(trustreg_caiq_report *r, const tr_ccm_question *q, const uint32_t *cols,
                       int *answer)
{
    static const int vals[3] = {TRUSTREG_CAIQ_YES, TRUSTREG_CAIQ_NO, TRUSTREG_CAIQ_NA};
    static const char *const names[3] = {"Yes", "No", "Not Applicable"};
    char ref[16];
    int marks = 0, which = -1;
    for (int k = 0; k < 3; k++) {
        char *m = trimmed(q->mark[k]);
        if (!m)
            return tr_error_oom();
        if (m[0]) {
            marks++;
            if (which < 0)
                which = k;
        }
        free(m);
    }
    *answer = TRUSTREG_CAIQ_BLANK;
    int rc = TRUSTREG_OK;
    uint32_t first = cols[COL_YES] ? cols[COL_YES] : 6;
    if (marks > 1) {
        *answer = TRUSTREG_CAIQ_INVALID;
        tr_buf b = {0};
        for (int k = 0; k < 3; k++)
            if (q->mark[k][0])
                tr_buf_printf(&b, "%s%s", b.len ? " and " : "", names[k]);
        rc = add_finding(r, TRUSTREG_CAIQ_ERROR, "answer-multiple", tr_xlsx_ref(q->row, first, ref),
                         q->id, "%s is marked %s: exactly one mark is expected", q->id,
                         b.data ? b.data : "");
        tr_buf_free(&b);
    } else if (marks == 0) {
        rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "answer-blank", tr_xlsx_ref(q->row, first, ref),
                         q->id,
                         "question %s is not answered (no mark in Yes, No or Not "
                         "Applicable)",
                         q->id);
    } else {
        *answer = vals[which];
        char *notes = trimmed(q->notes);
        if (!notes)
            return tr_error_oom();
        if (*answer == TRUSTREG_CAIQ_NA && !notes[0])
            rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "na-without-justification",
                             tr_xlsx_ref(q->row, cols[COL_NOTES] ? cols[COL_NOTES] : 9, ref), q->id,
                             "%s is marked Not Applicable without a note saying why", q->id);
        free(notes);
    }
    return rc;
}

/* ---- check ----------------------------------------------------------------------------------- */

typedef struct checked {
    trustreg_ccm *ccm;
    tr_ref_catalog *ref;
    int *answers; /* per question row */
    long *ref_of; /* per question row: index in ref, -1 when unknown or repeated */
} checked;

static void checked_free(checked *k)
{
    trustreg_ccm_free(k->ccm);
    tr_ref_catalog_free(k->ref);
    free(k->answers);
    free(k->ref_of);
}

static int run_check(trustreg_db *db, const char *path, const trustreg_caiq_opts *opts,
                     trustreg_caiq_report **out, checked *k)
{
    static const trustreg_caiq_opts none = {0};
    if (!opts)
        opts = &none;
    memset(k, 0, sizeof *k);
    *out = NULL;
    if (!db || !path)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_caiq_check: no database or path");
    int rc = trustreg_ccm_read(&k->ccm, path, opts->version);
    if (rc)
        return rc;
    trustreg_ccm *c = k->ccm;
    if (strcmp(c->layout, "ccm-v4-matrix") == 0)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: this is the CCM matrix workbook, not a filled CAIQ questionnaire "
                        "(import it with 'trustreg ccm import')",
                        path);
    if ((rc = tr_ccm_store_find(db, c->family, opts->catalog_uuid, 0, &k->ref)))
        return rc;
    trustreg_caiq_report *r = calloc(1, sizeof *r);
    if (!r)
        return tr_error_oom();
    *out = r;
    r->file = tr_strdup(path);
    r->sheet = tr_strdup(c->sheet);
    r->catalog_uuid = tr_strdup(k->ref->uuid);
    r->caiq_version = tr_strdup(c->caiq_version);
    r->family = c->family;
    r->questions = (long)c->n_questions;
    k->answers = calloc(c->n_questions + 1, sizeof *k->answers);
    k->ref_of = calloc(c->n_questions + 1, sizeof *k->ref_of);
    char *seen = calloc(k->ref->n_questions + 1, 1);
    id_index ix = {0};
    if (!r->file || !r->sheet || !r->catalog_uuid || !r->caiq_version || !k->answers ||
        !k->ref_of || !seen)
        rc = tr_error_oom();
    if (!rc)
        rc = index_build(&ix, k->ref);
    for (size_t i = 0; !rc && i < c->n_issues; i++)
        rc = add_finding(r, c->issues[i].severity, c->issues[i].code, c->issues[i].cell, "", "%s",
                         c->issues[i].message);
    long last = -1;
    const char *last_id = "";
    for (size_t i = 0; !rc && i < c->n_questions; i++) {
        const tr_ccm_question *q = &c->questions[i];
        char ref[16];
        uint32_t id_col = c->cols[COL_YES] ? 3 : 1;
        size_t at;
        k->ref_of[i] = -1;
        if (!index_find(&ix, q->id, &at))
            rc = add_finding(
                r, TRUSTREG_CAIQ_ERROR, "question-unknown", tr_xlsx_ref(q->row, id_col, ref), q->id,
                "question %s is not in CAIQ %s (catalog %s)", q->id, c->caiq_version, k->ref->uuid);
        else if (seen[at])
            rc = add_finding(r, TRUSTREG_CAIQ_ERROR, "question-repeated",
                             tr_xlsx_ref(q->row, id_col, ref), q->id,
                             "question %s appears a second time", q->id);
        else {
            seen[at] = 1;
            k->ref_of[i] = (long)at;
            if ((long)at < last)
                rc = add_finding(r, TRUSTREG_CAIQ_WARNING, "question-reordered",
                                 tr_xlsx_ref(q->row, id_col, ref), q->id,
                                 "question %s comes after %s; the template has it before", q->id,
                                 last_id);
            else {
                last = (long)at;
                last_id = q->id;
            }
        }
        if (!rc)
            rc = c->family == TRUSTREG_CCM_V4 ? classify_v4(r, q, c->cols, &k->answers[i])
                                              : classify_v3(r, q, c->cols, &k->answers[i]);
    }
    for (size_t i = 0; !rc && i < k->ref->n_questions; i++)
        if (!seen[i])
            rc = add_finding(r, TRUSTREG_CAIQ_ERROR, "question-missing", "",
                             k->ref->questions[i].question_id,
                             "question %s of the template is missing (removed from the form?)",
                             k->ref->questions[i].question_id);
    index_free(&ix);
    free(seen);
    r->accepted = r->errors == 0 && (!opts->strict || r->warnings == 0);
    return rc;
}

int trustreg_caiq_check(trustreg_db *db, const char *path, const trustreg_caiq_opts *opts,
                        trustreg_caiq_report **out)
{
    checked k;
    int rc = run_check(db, path, opts, out, &k);
    checked_free(&k);
    if (rc) {
        trustreg_caiq_report_free(*out);
        *out = NULL;
    }
    return rc;
}

static void random_uuid(char out[37])
{
    unsigned char b[16];
    if (sodium_init() < 0)
        memset(b, 0, sizeof b);
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

int trustreg_caiq_import(trustreg_db *db, const char *path, const trustreg_caiq_opts *opts,
                         trustreg_caiq_report **out)
{
    checked k;
    int rc = run_check(db, path, opts, out, &k);
    if (rc) {
        trustreg_caiq_report_free(*out);
        *out = NULL;
        checked_free(&k);
        return rc;
    }
    if (!(*out)->accepted)
        rc = tr_error(TRUSTREG_EINPUT, "%s: %ld error%s, %ld warning%s%s: nothing imported", path,
                      (*out)->errors, (*out)->errors == 1 ? "" : "s", (*out)->warnings,
                      (*out)->warnings == 1 ? "" : "s", (*out)->errors ? "" : " (--strict)");
    tr_assessment *a = NULL;
    if (!rc) {
        a = calloc(1, sizeof *a);
        char uuid[37], now[21], hex[65];
        unsigned char *bytes = NULL;
        size_t len = 0;
        random_uuid(uuid);
        tr_time_now_rfc3339(now);
        if (!a)
            rc = tr_error_oom();
        else if (!(rc = tr_file_read(path, 512u * 1024u * 1024u, &bytes, &len))) {
            tr_sha256_hex(bytes, len, hex);
            free(bytes);
            a->catalog_doc_id = k.ref->doc_id;
            a->uuid = tr_strdup(uuid);
            a->family = tr_strdup(trustreg_ccm_family_name(k.ccm->family));
            a->caiq_version = tr_strdup(k.ccm->caiq_version);
            a->source = tr_strdup(path);
            a->sha256 = tr_strdup(hex);
            a->sheet = tr_strdup(k.ccm->sheet);
            a->imported_at = tr_strdup(now);
            a->warnings = (*out)->warnings;
            a->answers = calloc(k.ccm->n_questions + 1, sizeof *a->answers);
            if (!a->uuid || !a->family || !a->caiq_version || !a->source || !a->sha256 ||
                !a->sheet || !a->imported_at || !a->answers)
                rc = tr_error_oom();
        }
    }
    for (size_t i = 0; !rc && i < k.ccm->n_questions; i++) {
        const tr_ccm_question *q = &k.ccm->questions[i];
        const tr_ref_question *rq = &k.ref->questions[k.ref_of[i]];
        tr_answer_row *ar = &a->answers[a->n_answers++];
        int v4 = k.ccm->family == TRUSTREG_CCM_V4;
        const char *raw = q->answer;
        if (!v4)
            raw = k.answers[i] == TRUSTREG_CAIQ_YES  ? q->mark[0]
                  : k.answers[i] == TRUSTREG_CAIQ_NO ? q->mark[1]
                  : k.answers[i] == TRUSTREG_CAIQ_NA ? q->mark[2]
                                                     : "";
        ar->question_id = tr_strdup(q->id);
        ar->control_id = tr_strdup(rq->control_id);
        ar->domain = tr_strdup(rq->domain);
        ar->answer = k.answers[i];
        ar->raw = trimmed(raw);
        ar->ownership = trimmed(q->ownership);
        ar->impl = tr_strdup(q->impl);
        ar->csc = tr_strdup(q->csc);
        ar->notes = tr_strdup(q->notes);
        ar->row = (long)q->row;
        if (!ar->question_id || !ar->control_id || !ar->domain || !ar->raw || !ar->ownership ||
            !ar->impl || !ar->csc || !ar->notes)
            rc = tr_error_oom();
    }
    if (!rc && !(rc = tr_store_begin(db))) {
        rc = tr_caiq_store_assessment(db, a);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    if (!rc && !((*out)->assessment_uuid = tr_strdup(a->uuid)))
        rc = tr_error_oom();
    tr_assessment_free(a);
    checked_free(&k);
    /* a report that was produced stays with the caller, also when the import was refused */
    return rc;
}

json_t *trustreg_caiq_report_to_json(const trustreg_caiq_report *r)
{
    json_t *findings = json_array();
    for (size_t i = 0; i < r->n_findings; i++) {
        const trustreg_caiq_finding *f = &r->findings[i];
        json_array_append_new(findings,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "severity",
                                        f->severity == TRUSTREG_CAIQ_ERROR ? "error" : "warning",
                                        "code", f->code, "sheet", f->sheet, "cell", f->cell,
                                        "question_id", f->question_id, "message", f->message));
    }
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:o}", "file", r->file, "sheet",
                  r->sheet, "family", trustreg_ccm_family_name(r->family), "caiq_version",
                  r->caiq_version, "catalog_uuid", r->catalog_uuid, "questions",
                  (json_int_t)r->questions, "errors", (json_int_t)r->errors, "warnings",
                  (json_int_t)r->warnings, "accepted", r->accepted, "findings", findings);
    if (j && r->assessment_uuid)
        json_object_set_new(j, "assessment_uuid", json_string(r->assessment_uuid));
    return j;
}

/* ---- summary --------------------------------------------------------------------------------- */

static void count(trustreg_caiq_domain_summary *d, const tr_answer_row *a)
{
    switch (a->answer) {
    case TRUSTREG_CAIQ_YES:
        d->yes++;
        break;
    case TRUSTREG_CAIQ_NO:
        d->no++;
        break;
    case TRUSTREG_CAIQ_NA:
        d->na++;
        break;
    case TRUSTREG_CAIQ_INVALID:
        d->invalid++;
        break;
    default:
        d->blank++;
    }
    for (int k = 0; k < TRUSTREG_CAIQ_OWNERSHIP_COUNT; k++)
        if (strcmp(a->ownership, trustreg_caiq_ownership_values[k]) == 0) {
            d->ownership[k]++;
            return;
        }
    d->ownership_other++;
}

int trustreg_caiq_summary_get(trustreg_db *db, const char *uuid, trustreg_caiq_summary **out)
{
    *out = NULL;
    tr_assessment *a = NULL;
    tr_ref_catalog *ref = NULL;
    int rc = tr_caiq_store_load(db, uuid, &a);
    if (!rc)
        rc = tr_ccm_store_find(db, TRUSTREG_CCM_FAMILY_UNKNOWN, a->catalog_uuid, 0, &ref);
    trustreg_caiq_summary *s = rc ? NULL : calloc(1, sizeof *s);
    if (!rc && !s)
        rc = tr_error_oom();
    if (!rc) {
        s->uuid = tr_strdup(a->uuid);
        s->source = tr_strdup(a->source);
        s->caiq_version = tr_strdup(a->caiq_version);
        s->imported_at = tr_strdup(a->imported_at);
        s->catalog_uuid = tr_strdup(a->catalog_uuid);
        s->family = trustreg_ccm_family_from_version(a->caiq_version);
        s->total.domain = tr_strdup("");
        s->total.title = tr_strdup("all domains");
        s->domains = calloc(ref->n_questions + 1, sizeof *s->domains);
        if (!s->uuid || !s->source || !s->caiq_version || !s->imported_at || !s->catalog_uuid ||
            !s->total.domain || !s->total.title || !s->domains)
            rc = tr_error_oom();
    }
    /* domains in framework order, as the catalog lists them */
    for (size_t i = 0; !rc && i < ref->n_questions; i++) {
        const tr_ref_question *q = &ref->questions[i];
        if (s->n_domains && strcmp(s->domains[s->n_domains - 1].domain, q->domain) == 0)
            continue;
        int dup = 0;
        for (size_t d = 0; d < s->n_domains; d++)
            dup |= strcmp(s->domains[d].domain, q->domain) == 0;
        if (dup)
            continue;
        trustreg_caiq_domain_summary *d = &s->domains[s->n_domains++];
        d->domain = tr_strdup(q->domain);
        d->title = tr_strdup(q->domain_title);
        if (!d->domain || !d->title)
            rc = tr_error_oom();
    }
    for (size_t i = 0; !rc && i < a->n_answers; i++) {
        count(&s->total, &a->answers[i]);
        for (size_t d = 0; d < s->n_domains; d++)
            if (strcmp(s->domains[d].domain, a->answers[i].domain) == 0) {
                count(&s->domains[d], &a->answers[i]);
                break;
            }
    }
    tr_assessment_free(a);
    tr_ref_catalog_free(ref);
    if (rc) {
        trustreg_caiq_summary_free(s);
        return rc;
    }
    *out = s;
    return TRUSTREG_OK;
}

void trustreg_caiq_summary_free(trustreg_caiq_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_domains; i++) {
        free(s->domains[i].domain);
        free(s->domains[i].title);
    }
    free(s->domains);
    free(s->total.domain);
    free(s->total.title);
    free(s->uuid);
    free(s->source);
    free(s->caiq_version);
    free(s->imported_at);
    free(s->catalog_uuid);
    free(s);
}

static json_t *domain_json(const trustreg_caiq_domain_summary *d)
{
    json_t *own = json_object();
    for (int k = 0; k < TRUSTREG_CAIQ_OWNERSHIP_COUNT; k++)
        json_object_set_new(own, trustreg_caiq_ownership_values[k], json_integer(d->ownership[k]));
    json_object_set_new(own, "other", json_integer(d->ownership_other));
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o}", "domain", d->domain, "title",
                     d->title, "yes", (json_int_t)d->yes, "no", (json_int_t)d->no, "na",
                     (json_int_t)d->na, "blank", (json_int_t)d->blank, "invalid",
                     (json_int_t)d->invalid, "ownership", own);
}

json_t *trustreg_caiq_summary_to_json(const trustreg_caiq_summary *s)
{
    json_t *doms = json_array();
    for (size_t i = 0; i < s->n_domains; i++)
        json_array_append_new(doms, domain_json(&s->domains[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "uuid", s->uuid, "source",
                     s->source, "family", trustreg_ccm_family_name(s->family), "caiq_version",
                     s->caiq_version, "imported_at", s->imported_at, "catalog_uuid",
                     s->catalog_uuid, "total", domain_json(&s->total), "domains", doms);
}
