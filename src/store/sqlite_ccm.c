/*
 * store/sqlite_ccm.c - the SQL of the CCM module on SQLite: question index and mapping cells of
 * CCM catalogs, CAIQ self-assessments and their answers (tables in store/ccm_schema.c).
 */
#include "ccm/ccm_model.h"
#include "store/ccm_store.h"
#include "store/store.h"
#include "util/error.h"
#include "util/mem.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *conn(trustreg_db *db)
{
    sqlite3 *s = tr_store_sqlite(db);
    if (!s)
        tr_error(TRUSTREG_ESTORE, "the CCM module needs the SQLite store");
    return s;
}

static int prep(trustreg_db *db, const char *sql, sqlite3_stmt **st)
{
    sqlite3 *s = conn(db);
    if (!s)
        return TRUSTREG_ESTORE;
    if (sqlite3_prepare_v2(s, sql, -1, st, NULL) != SQLITE_OK)
        return tr_store_sql_error(db, "preparing a CCM statement");
    return TRUSTREG_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    return tr_strdup((const char *)sqlite3_column_text(st, i));
}

int tr_ccm_store_catalog(trustreg_db *db, int64_t doc_id, const trustreg_ccm *c)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db,
                  "INSERT OR IGNORE INTO ccm_catalogs(doc_id, family, ccm_version, caiq_version,"
                  " layout, source) VALUES (?,?,?,?,?,?)",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc_id);
    bind_text(st, 2, trustreg_ccm_family_name(c->family));
    bind_text(st, 3, c->ccm_version);
    bind_text(st, 4, c->caiq_version);
    bind_text(st, 5, c->layout);
    bind_text(st, 6, c->source);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "storing a CCM catalog");
    int fresh = sqlite3_changes(tr_store_sqlite(db)) > 0;
    sqlite3_finalize(st);
    if (rc || !fresh)
        return rc;
    if ((rc = prep(db, "INSERT INTO ccm_questions VALUES (?,?,?,?,?,?,?,?,?)", &st)))
        return rc;
    for (size_t i = 0; !rc && i < c->n_questions; i++) {
        const tr_ccm_question *q = &c->questions[i];
        const tr_ccm_control *ctl = &c->controls[q->control];
        const tr_ccm_domain *d = &c->domains[ctl->domain];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, q->id);
        bind_text(st, 4, ctl->id);
        bind_text(st, 5, d->abbr);
        bind_text(st, 6, d->title);
        bind_text(st, 7, ctl->title);
        bind_text(st, 8, ctl->spec);
        bind_text(st, 9, q->text);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = tr_store_sql_error(db, "storing a CAIQ question");
    }
    sqlite3_finalize(st);
    if (rc || (rc = prep(db, "INSERT INTO ccm_mappings VALUES (?,?,?,?,?,?,?,?,?)", &st)))
        return rc;
    for (size_t i = 0; !rc && i < c->n_mappings; i++) {
        const trustreg_ccm_mapping *m = &c->mappings[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, m->control_id);
        bind_text(st, 4, m->framework);
        bind_text(st, 5, m->column);
        bind_text(st, 6, m->text);
        bind_text(st, 7, m->gap_level);
        bind_text(st, 8, m->sheet);
        bind_text(st, 9, m->cell);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = tr_store_sql_error(db, "storing a CCM mapping cell");
    }
    sqlite3_finalize(st);
    return rc;
}

void tr_ref_catalog_free(tr_ref_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_questions; i++) {
        tr_ref_question *q = &c->questions[i];
        free(q->question_id);
        free(q->control_id);
        free(q->domain);
        free(q->domain_title);
        free(q->control_title);
        free(q->control_spec);
        free(q->text);
    }
    free(c->questions);
    free(c->uuid);
    free(c->family);
    free(c->ccm_version);
    free(c->caiq_version);
    free(c->layout);
    free(c);
}

static int find_doc(trustreg_db *db, trustreg_ccm_family family, const char *uuid,
                    tr_ref_catalog *c)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db,
                  "SELECT k.doc_id, d.uuid, k.family, k.ccm_version, k.caiq_version, k.layout "
                  "FROM ccm_catalogs k JOIN documents d ON d.id = k.doc_id "
                  "WHERE (?1 IS NULL OR d.uuid = ?1) AND (?2 IS NULL OR k.family = ?2) "
                  "ORDER BY k.doc_id DESC LIMIT 1",
                  &st);
    if (rc)
        return rc;
    if (uuid)
        bind_text(st, 1, uuid);
    if (trustreg_ccm_family_name(family))
        bind_text(st, 2, trustreg_ccm_family_name(family));
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        c->doc_id = sqlite3_column_int64(st, 0);
        c->uuid = col_dup(st, 1);
        c->family = col_dup(st, 2);
        c->ccm_version = col_dup(st, 3);
        c->caiq_version = col_dup(st, 4);
        c->layout = col_dup(st, 5);
        if (!c->uuid || !c->family || !c->ccm_version || !c->caiq_version || !c->layout)
            rc = tr_error_oom();
    } else if (s == SQLITE_DONE) {
        if (uuid)
            rc = tr_error(TRUSTREG_ENOTFOUND, "no CCM catalog with uuid %s%s%s is stored", uuid,
                          family ? " for CAIQ " : "",
                          family ? trustreg_ccm_family_name(family) : "");
        else
            rc = tr_error(TRUSTREG_ENOTFOUND,
                          "no CCM catalog for CAIQ %s is stored: import the CSA workbook of that "
                          "version first with 'trustreg ccm import'",
                          family ? trustreg_ccm_family_name(family) : "(any)");
    } else {
        rc = tr_store_sql_error(db, "looking up a CCM catalog");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_ccm_store_find(trustreg_db *db, trustreg_ccm_family family, const char *uuid, int with_text,
                      tr_ref_catalog **out)
{
    *out = NULL;
    tr_ref_catalog *c = calloc(1, sizeof *c);
    if (!c)
        return tr_error_oom();
    int rc = find_doc(db, family, uuid, c);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = prep(db,
                  with_text ? "SELECT question_id, control_id, domain, domain_title, "
                              "control_title, control_spec, question FROM ccm_questions "
                              "WHERE doc_id = ? ORDER BY ord"
                            : "SELECT question_id, control_id, domain, domain_title, '', '', '' "
                              "FROM ccm_questions WHERE doc_id = ? ORDER BY ord",
                  &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, c->doc_id);
        size_t cap = 0;
        int s;
        while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
            if (c->n_questions == cap) {
                cap = cap ? cap * 2 : 256;
                tr_ref_question *n = realloc(c->questions, cap * sizeof *n);
                if (!n) {
                    rc = tr_error_oom();
                    break;
                }
                c->questions = n;
            }
            tr_ref_question *q = &c->questions[c->n_questions++];
            q->question_id = col_dup(st, 0);
            q->control_id = col_dup(st, 1);
            q->domain = col_dup(st, 2);
            q->domain_title = col_dup(st, 3);
            q->control_title = col_dup(st, 4);
            q->control_spec = col_dup(st, 5);
            q->text = col_dup(st, 6);
        }
        if (!rc && s != SQLITE_DONE)
            rc = tr_store_sql_error(db, "reading CAIQ questions");
        sqlite3_finalize(st);
    }
    if (rc) {
        tr_ref_catalog_free(c);
        return rc;
    }
    *out = c;
    return TRUSTREG_OK;
}

int tr_ccm_store_mappings(trustreg_db *db, const char *uuid, trustreg_ccm_mapping_fn fn, void *ctx)
{
    tr_ref_catalog c = {0};
    int rc = find_doc(db, TRUSTREG_CCM_FAMILY_UNKNOWN, uuid, &c);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = prep(db,
                  "SELECT control_id, framework, column_label, cell_text, gap_level, sheet, cell "
                  "FROM ccm_mappings WHERE doc_id = ? ORDER BY ord",
                  &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, c.doc_id);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            trustreg_ccm_mapping m = {
                (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
                (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
                (const char *)sqlite3_column_text(st, 6)};
            if ((rc = fn(ctx, &m)))
                break;
        }
        if (!rc && s != SQLITE_DONE)
            rc = tr_store_sql_error(db, "reading CCM mapping cells");
        sqlite3_finalize(st);
    }
    free(c.uuid);
    free(c.family);
    free(c.ccm_version);
    free(c.caiq_version);
    free(c.layout);
    return rc;
}

/* ---- assessments -------------------------------------------------------------------------- */

void tr_assessment_free(tr_assessment *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_answers; i++) {
        tr_answer_row *r = &a->answers[i];
        free(r->question_id);
        free(r->control_id);
        free(r->domain);
        free(r->raw);
        free(r->ownership);
        free(r->impl);
        free(r->csc);
        free(r->notes);
    }
    free(a->answers);
    free(a->uuid);
    free(a->catalog_uuid);
    free(a->family);
    free(a->caiq_version);
    free(a->source);
    free(a->sha256);
    free(a->sheet);
    free(a->imported_at);
    free(a);
}

int tr_caiq_store_assessment(trustreg_db *db, tr_assessment *a)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db,
                  "INSERT INTO caiq_assessments(uuid, catalog_doc_id, family, caiq_version, "
                  "source, sha256, sheet, imported_at, warnings) VALUES (?,?,?,?,?,?,?,?,?)",
                  &st);
    if (rc)
        return rc;
    bind_text(st, 1, a->uuid);
    sqlite3_bind_int64(st, 2, a->catalog_doc_id);
    bind_text(st, 3, a->family);
    bind_text(st, 4, a->caiq_version);
    bind_text(st, 5, a->source);
    bind_text(st, 6, a->sha256);
    bind_text(st, 7, a->sheet);
    bind_text(st, 8, a->imported_at);
    sqlite3_bind_int64(st, 9, a->warnings);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "storing a CAIQ assessment");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    a->id = sqlite3_last_insert_rowid(tr_store_sqlite(db));
    if ((rc = prep(db, "INSERT INTO caiq_answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", &st)))
        return rc;
    for (size_t i = 0; !rc && i < a->n_answers; i++) {
        const tr_answer_row *r = &a->answers[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, a->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, r->question_id);
        bind_text(st, 4, r->control_id);
        bind_text(st, 5, r->domain);
        sqlite3_bind_int(st, 6, r->answer);
        bind_text(st, 7, r->raw);
        bind_text(st, 8, r->ownership);
        bind_text(st, 9, r->impl);
        bind_text(st, 10, r->csc);
        bind_text(st, 11, r->notes);
        sqlite3_bind_int64(st, 12, r->row);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = tr_store_sql_error(db, "storing a CAIQ answer");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_caiq_store_load(trustreg_db *db, const char *uuid, tr_assessment **out)
{
    *out = NULL;
    tr_assessment *a = calloc(1, sizeof *a);
    if (!a)
        return tr_error_oom();
    sqlite3_stmt *st = NULL;
    int rc = prep(db,
                  "SELECT a.id, a.catalog_doc_id, a.uuid, d.uuid, a.family, a.caiq_version, "
                  "a.source, a.sha256, a.sheet, a.imported_at, a.warnings FROM caiq_assessments a "
                  "JOIN documents d ON d.id = a.catalog_doc_id "
                  "WHERE ?1 IS NULL OR a.uuid = ?1 ORDER BY a.id DESC LIMIT 1",
                  &st);
    if (!rc) {
        if (uuid)
            bind_text(st, 1, uuid);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            a->id = sqlite3_column_int64(st, 0);
            a->catalog_doc_id = sqlite3_column_int64(st, 1);
            a->uuid = col_dup(st, 2);
            a->catalog_uuid = col_dup(st, 3);
            a->family = col_dup(st, 4);
            a->caiq_version = col_dup(st, 5);
            a->source = col_dup(st, 6);
            a->sha256 = col_dup(st, 7);
            a->sheet = col_dup(st, 8);
            a->imported_at = col_dup(st, 9);
            a->warnings = (long)sqlite3_column_int64(st, 10);
        } else if (s == SQLITE_DONE) {
            rc = uuid ? tr_error(TRUSTREG_ENOTFOUND, "no CAIQ assessment with uuid %s", uuid)
                      : tr_error(
                            TRUSTREG_ENOTFOUND,
                            "no CAIQ assessment is stored: import one with 'trustreg caiq import'");
        } else {
            rc = tr_store_sql_error(db, "looking up a CAIQ assessment");
        }
        sqlite3_finalize(st);
    }
    if (!rc)
        rc = prep(db,
                  "SELECT question_id, control_id, domain, answer, raw_answer, ownership, "
                  "implementation, csc_responsibilities, notes, row FROM caiq_answers "
                  "WHERE assessment_id = ? ORDER BY ord",
                  &st);
    if (!rc) {
        sqlite3_bind_int64(st, 1, a->id);
        size_t cap = 0;
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if (a->n_answers == cap) {
                cap = cap ? cap * 2 : 256;
                tr_answer_row *n = realloc(a->answers, cap * sizeof *n);
                if (!n) {
                    rc = tr_error_oom();
                    break;
                }
                a->answers = n;
            }
            tr_answer_row *r = &a->answers[a->n_answers++];
            r->question_id = col_dup(st, 0);
            r->control_id = col_dup(st, 1);
            r->domain = col_dup(st, 2);
            r->answer = sqlite3_column_int(st, 3);
            r->raw = col_dup(st, 4);
            r->ownership = col_dup(st, 5);
            r->impl = col_dup(st, 6);
            r->csc = col_dup(st, 7);
            r->notes = col_dup(st, 8);
            r->row = (long)sqlite3_column_int64(st, 9);
        }
        if (!rc && s != SQLITE_DONE)
            rc = tr_store_sql_error(db, "reading CAIQ answers");
        sqlite3_finalize(st);
    }
    if (rc) {
        tr_assessment_free(a);
        return rc;
    }
    *out = a;
    return TRUSTREG_OK;
}
