/*
 * ccm/caiq_export.c - writing a stored self-assessment back out: as a CAIQ workbook of its
 * version (libxlsxwriter; the template's sheets, header rows, merges and validation lists), or as
 * an OSCAL 1.1.3 assessment-results document (one observation per answer, one finding per Yes/No
 * answer targeting the CAIQ question's assessment objective in the stored CCM catalog).
 */
#include "ccm/ccm_model.h"
#include "store/ccm_store.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define CCM_NS "https://github.com/trustreg/trustreg/ns/ccm"

static const tr_ref_question *ref_lookup(const tr_ref_catalog *ref, const char *qid, size_t *hint)
{
    for (size_t n = 0; n < ref->n_questions; n++) {
        size_t i = (*hint + n) % ref->n_questions;
        if (strcmp(ref->questions[i].question_id, qid) == 0) {
            *hint = i + 1;
            return &ref->questions[i];
        }
    }
    return NULL;
}

/* ---- xlsx ---------------------------------------------------------------------------------- */

static const char *const v4_headers[12] = {"Question ID",
                                           "Question",
                                           "CSP CAIQ Answer",
                                           "SSRM Control Ownership",
                                           "CSP Implementation Description (Optional/Recommended)",
                                           "CSC Responsibilities  (Optional/Recommended)",
                                           "",
                                           "",
                                           "CCM Control ID",
                                           "CCM Control Specification",
                                           "CCM Control Title",
                                           "CCM Domain Title"};

/* Merge rows [a, b] of column col with value (a single cell is just written). */
static void vmerge(lxw_worksheet *ws, lxw_row_t a, lxw_row_t b, lxw_col_t col, const char *v,
                   lxw_format *f)
{
    if (a == b)
        worksheet_write_string(ws, a, col, v, f);
    else
        worksheet_merge_range(ws, a, col, b, col, v, f);
}

static int write_v4(lxw_workbook *wb, const tr_assessment *a, const tr_ref_catalog *ref,
                    lxw_format *wrap)
{
    lxw_worksheet *intro = workbook_add_worksheet(wb, "Introduction");
    worksheet_write_string(intro, 0, 0, "Self-assessment exported by trustreg", NULL);
    char name[64];
    snprintf(name, sizeof name, "CAIQv%s", a->caiq_version);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!intro || !ws)
        return tr_error(TRUSTREG_EINTERNAL, "cannot add a worksheet");
    char v[64];
    snprintf(v, sizeof v, "v%s", a->caiq_version);
    worksheet_write_string(ws, 0, 0, v, NULL);
    worksheet_merge_range(ws, 0, 1, 0, 3, "Consensus Assessments Initiative Questionnaire", NULL);
    for (int c = 0; c < 12; c++)
        worksheet_write_string(ws, 1, (lxw_col_t)c, v4_headers[c], NULL);
    worksheet_set_column(ws, 6, 7, 0, NULL);
    worksheet_freeze_panes(ws, 2, 4);
    size_t hint = 0;
    lxw_row_t r = 2, ctl_start = 2, dom_start = 2;
    const tr_ref_question *prev = NULL;
    for (size_t i = 0; i < a->n_answers; i++, r++) {
        const tr_answer_row *ans = &a->answers[i];
        const tr_ref_question *q = ref_lookup(ref, ans->question_id, &hint);
        worksheet_write_string(ws, r, 0, ans->question_id, NULL);
        worksheet_write_string(ws, r, 1, q ? q->text : "", wrap);
        if (ans->raw[0])
            worksheet_write_string(ws, r, 2, ans->raw, NULL);
        if (ans->ownership[0])
            worksheet_write_string(ws, r, 3, ans->ownership, NULL);
        if (ans->impl[0])
            worksheet_write_string(ws, r, 4, ans->impl, wrap);
        if (ans->csc[0])
            worksheet_write_string(ws, r, 5, ans->csc, wrap);
        /* close the previous control's / domain's merges when they change */
        if (prev && strcmp(prev->control_id, ans->control_id) != 0) {
            vmerge(ws, ctl_start, r - 1, 8, prev->control_id, wrap);
            vmerge(ws, ctl_start, r - 1, 9, prev->control_spec, wrap);
            vmerge(ws, ctl_start, r - 1, 10, prev->control_title, wrap);
            ctl_start = r;
        }
        if (prev && strcmp(prev->domain, ans->domain) != 0) {
            vmerge(ws, dom_start, r - 1, 11, prev->domain_title, wrap);
            dom_start = r;
        }
        if (q)
            prev = q;
    }
    if (prev) {
        vmerge(ws, ctl_start, r - 1, 8, prev->control_id, wrap);
        vmerge(ws, ctl_start, r - 1, 9, prev->control_spec, wrap);
        vmerge(ws, ctl_start, r - 1, 10, prev->control_title, wrap);
        vmerge(ws, dom_start, r - 1, 11, prev->domain_title, wrap);
    }
    worksheet_merge_range(ws, r, 0, r, 3, "End of Standard", NULL);
    if (r > 2) {
        static char yes[] = "Yes", no[] = "No", na[] = "NA";
        char *answers[] = {yes, no, na, NULL};
        char *owners[TRUSTREG_CAIQ_OWNERSHIP_COUNT + 1];
        char own_buf[TRUSTREG_CAIQ_OWNERSHIP_COUNT][32];
        for (int k = 0; k < TRUSTREG_CAIQ_OWNERSHIP_COUNT; k++) {
            snprintf(own_buf[k], sizeof own_buf[k], "%s", trustreg_caiq_ownership_values[k]);
            owners[k] = own_buf[k];
        }
        owners[TRUSTREG_CAIQ_OWNERSHIP_COUNT] = NULL;
        lxw_data_validation dv = {0};
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = answers;
        worksheet_data_validation_range(ws, 2, 2, r - 1, 2, &dv);
        lxw_data_validation dv2 = {0};
        dv2.validate = LXW_VALIDATION_TYPE_LIST;
        dv2.value_list = owners;
        worksheet_data_validation_range(ws, 2, 3, r - 1, 3, &dv2);
    }
    return TRUSTREG_OK;
}

static int write_v3(lxw_workbook *wb, const tr_assessment *a, const tr_ref_catalog *ref,
                    lxw_format *wrap)
{
    int v301 = strcmp(a->caiq_version, "3.0.1") == 0;
    lxw_worksheet *ws = workbook_add_worksheet(wb, v301 ? "CSA CAIQ v3.0.1" : "CAIQ v3.1");
    if (!ws)
        return tr_error(TRUSTREG_EINTERNAL, "cannot add a worksheet");
    worksheet_write_string(ws, 0, 2, "Consensus Assessments Initiative Questionnaire", NULL);
    static const char *const labels[5] = {"Control Domain", "Control ID", "Question ID",
                                          "Control Specification",
                                          "Consensus Assessment Questions"};
    for (int c = 0; c < 5; c++)
        worksheet_merge_range(ws, 1, (lxw_col_t)c, 2, (lxw_col_t)c, labels[c], wrap);
    worksheet_merge_range(ws, 1, 5, 2, 7, "Consensus Assessment Answers", NULL);
    worksheet_merge_range(ws, 1, 8, 2, 8, "Notes", NULL);
    worksheet_write_string(ws, 3, 5, "Yes", NULL);
    worksheet_write_string(ws, 3, 6, "No", NULL);
    worksheet_write_string(ws, 3, 7, "Not Applicable", NULL);
    worksheet_freeze_panes(ws, 4, 4);
    size_t hint = 0;
    lxw_row_t r = 4, start = 4;
    const tr_ref_question *prev = NULL;
    tr_buf dom = {0};
    for (size_t i = 0; i <= a->n_answers; i++, r++) {
        const tr_answer_row *ans = i < a->n_answers ? &a->answers[i] : NULL;
        if (prev && (!ans || strcmp(prev->control_id, ans->control_id) != 0)) {
            dom.len = 0;
            tr_buf_printf(&dom, "%s\n%s", prev->domain_title, prev->control_title);
            vmerge(ws, start, r - 1, 0, dom.data ? dom.data : "", wrap);
            vmerge(ws, start, r - 1, 1, prev->control_id, NULL);
            vmerge(ws, start, r - 1, 3, prev->control_spec, wrap);
            start = r;
        }
        if (!ans)
            break;
        const tr_ref_question *q = ref_lookup(ref, ans->question_id, &hint);
        worksheet_write_string(ws, r, 2, ans->question_id, NULL);
        worksheet_write_string(ws, r, 4, q ? q->text : "", wrap);
        int col = ans->answer == TRUSTREG_CAIQ_YES  ? 5
                  : ans->answer == TRUSTREG_CAIQ_NO ? 6
                  : ans->answer == TRUSTREG_CAIQ_NA ? 7
                                                    : -1;
        if (col >= 0)
            worksheet_write_string(ws, r, (lxw_col_t)col, ans->raw[0] ? ans->raw : "X", NULL);
        if (ans->notes[0])
            worksheet_write_string(ws, r, 8, ans->notes, wrap);
        if (q)
            prev = q;
    }
    tr_buf_free(&dom);
    return TRUSTREG_OK;
}

static int export_xlsx(const tr_assessment *a, const tr_ref_catalog *ref, const char *path)
{
    /* written beside the target, then renamed over it: never a half-written workbook */
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return tr_error_oom();
    snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb) {
        free(tmp);
        return tr_error(TRUSTREG_EINPUT, "%s: cannot create the workbook", path);
    }
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    int rc = strcmp(a->family, "v4") == 0 ? write_v4(wb, a, ref, wrap) : write_v3(wb, a, ref, wrap);
    lxw_error e = workbook_close(wb);
    if (!rc && e != LXW_NO_ERROR)
        rc = tr_error(TRUSTREG_EINPUT, "%s: cannot write the workbook: %s", path, lxw_strerror(e));
    if (!rc && rename(tmp, path) != 0)
        rc = tr_error(TRUSTREG_EINPUT, "%s: cannot write the workbook", path);
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* ---- OSCAL assessment-results ---------------------------------------------------------------- */

static void derived_uuid(const char *base, const char *what, const char *id, char out[37])
{
    char seed[512], hex[65];
    snprintf(seed, sizeof seed, "%s:%s:%s", base, what, id);
    tr_sha256_hex(seed, strlen(seed), hex);
    snprintf(out, 37, "%.8s-%.4s-4%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13,
             "89ab"[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3], hex + 17, hex + 20);
}

static char *objective_id(const char *qid)
{
    size_t n = strlen(qid);
    char *t = malloc(n + 6);
    if (!t)
        return NULL;
    size_t j = 0;
    if (!((qid[0] >= 'A' && qid[0] <= 'Z') || (qid[0] >= 'a' && qid[0] <= 'z')))
        t[j++] = '_';
    for (size_t i = 0; i < n; i++) {
        char c = qid[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            c = '_';
        t[j++] = c;
    }
    memcpy(t + j, "_obj", 5);
    return t;
}

static void prop(json_t *props, const char *name, const char *value)
{
    char *v = tr_ccm_norm_label(value ? value : "");
    if (v && v[0])
        json_array_append_new(props,
                              json_pack("{s:s, s:s, s:s}", "name", name, "ns", CCM_NS, "value", v));
    free(v);
}

static json_t *build_ar(const tr_assessment *a)
{
    static const char *const labels[] = {"not answered", "Yes", "No", "NA", "invalid"};
    json_t *obs = json_array(), *findings = json_array();
    for (size_t i = 0; i < a->n_answers; i++) {
        const tr_answer_row *ans = &a->answers[i];
        char ou[37], fu[37];
        derived_uuid(a->uuid, "observation", ans->question_id, ou);
        tr_buf d = {0};
        tr_buf_printf(&d, "CAIQ %s %s: %s.", a->caiq_version, ans->question_id,
                      labels[ans->answer >= 0 && ans->answer <= 4 ? ans->answer : 0]);
        if (ans->ownership[0])
            tr_buf_printf(&d, " SSRM control ownership: %s.", ans->ownership);
        if (ans->impl[0])
            tr_buf_printf(&d, "\n\nCSP implementation description: %s", ans->impl);
        if (ans->csc[0])
            tr_buf_printf(&d, "\n\nCSC responsibilities: %s", ans->csc);
        if (ans->notes[0])
            tr_buf_printf(&d, "\n\nNotes: %s", ans->notes);
        json_t *props = json_array();
        prop(props, "caiq-question", ans->question_id);
        prop(props, "ccm-control", ans->control_id);
        prop(props, "caiq-answer", trustreg_caiq_answer_name(ans->answer));
        prop(props, "ssrm-ownership", ans->ownership);
        json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:[s], s:s}", "uuid", ou, "title",
                              ans->question_id, "description", d.data ? d.data : "", "props", props,
                              "methods", "EXAMINE", "collected", a->imported_at);
        tr_buf_free(&d);
        json_array_append_new(obs, o);
        if (ans->answer != TRUSTREG_CAIQ_YES && ans->answer != TRUSTREG_CAIQ_NO)
            continue; /* NA and blank answers are observations only: nothing to judge */
        derived_uuid(a->uuid, "finding", ans->question_id, fu);
        char *obj = objective_id(ans->question_id);
        char desc[256];
        snprintf(desc, sizeof desc, "The provider answered %s to CAIQ question %s (control %s).",
                 labels[ans->answer], ans->question_id, ans->control_id);
        json_t *f = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s}}, s:[{s:s}]}", "uuid", fu,
                              "title", ans->question_id, "description", desc, "target", "type",
                              "objective-id", "target-id", obj ? obj : "_", "status", "state",
                              ans->answer == TRUSTREG_CAIQ_YES ? "satisfied" : "not-satisfied",
                              "related-observations", "observation-uuid", ou);
        free(obj);
        json_array_append_new(findings, f);
    }
    char ru[37];
    derived_uuid(a->uuid, "result", "1", ru);
    char title[256], href[128], desc[512];
    const char *base = strrchr(a->source, '/');
    snprintf(title, sizeof title, "CAIQ v%s self-assessment (%s)", a->caiq_version,
             base ? base + 1 : a->source);
    snprintf(href, sizeof href, "#%s", a->catalog_uuid);
    snprintf(desc, sizeof desc,
             "Answers of a CAIQ v%s questionnaire (%s, SHA-256 %s), checked against the CCM "
             "catalog %s.",
             a->caiq_version, base ? base + 1 : a->source, a->sha256, a->catalog_uuid);
    json_t *mprops = json_array();
    prop(mprops, "caiq-version", a->caiq_version);
    prop(mprops, "ccm-catalog", a->catalog_uuid);
    json_t *result =
        json_pack("{s:s, s:s, s:s, s:s, s:{s:[{s:{}}]}, s:o}", "uuid", ru, "title", "CAIQ answers",
                  "description", desc, "start", a->imported_at, "reviewed-controls",
                  "control-selections", "include-all", "observations", obs);
    if (json_array_size(findings))
        json_object_set_new(result, "findings", findings);
    else
        json_decref(findings);
    return json_pack("{s:{s:s, s:{s:s, s:s, s:s, s:s, s:o}, s:{s:s}, s:[o]}}", "assessment-results",
                     "uuid", a->uuid, "metadata", "title", title, "last-modified", a->imported_at,
                     "version", "1", "oscal-version", "1.1.3", "props", mprops, "import-ap", "href",
                     href, "results", result);
}

int trustreg_caiq_export(trustreg_db *db, const char *uuid, enum trustreg_caiq_export_format format,
                         const char *path)
{
    if (!db || !path)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_caiq_export: no database or path");
    tr_assessment *a = NULL;
    tr_ref_catalog *ref = NULL;
    int rc = tr_caiq_store_load(db, uuid, &a);
    if (!rc)
        rc = tr_ccm_store_find(db, TRUSTREG_CCM_FAMILY_UNKNOWN, a->catalog_uuid, 1, &ref);
    if (!rc && format == TRUSTREG_CAIQ_EXPORT_XLSX) {
        rc = export_xlsx(a, ref, path);
    } else if (!rc) {
        json_t *j = build_ar(a);
        char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        if (!text)
            rc = tr_error_oom();
        else {
            size_t n = strlen(text);
            text[n] = '\0';
            rc = tr_file_write_atomic(path, text, n);
        }
        free(text);
    }
    tr_assessment_free(a);
    tr_ref_catalog_free(ref);
    return rc;
}
