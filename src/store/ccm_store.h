/*
 * store/ccm_store.h - storage of the CCM module (SQL in store/sqlite_ccm.c, migration in
 * store/ccm_schema.c): the question index and mapping cells of imported CCM catalogs, and CAIQ
 * self-assessments with their answers.
 */
#ifndef TR_STORE_CCM_STORE_H
#define TR_STORE_CCM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "trustreg/ccm.h"
#include "trustreg/db.h"

/* The migration that creates the tables below (one entry in tr_sqlite_migrations). */
extern const char tr_ccm_schema_sql[];

/* A question of a stored CCM catalog, in workbook order. */
typedef struct tr_ref_question {
    char *question_id, *control_id, *domain, *domain_title, *control_title, *control_spec, *text;
} tr_ref_question;

/* A stored CCM catalog. */
typedef struct tr_ref_catalog {
    int64_t doc_id;
    char *uuid, *family, *ccm_version, *caiq_version, *layout;
    tr_ref_question *questions;
    size_t n_questions;
} tr_ref_catalog;

void tr_ref_catalog_free(tr_ref_catalog *c);

/* Record the question index and mapping cells of a catalog document (inside a transaction). */
int tr_ccm_store_catalog(trustreg_db *db, int64_t doc_id, const trustreg_ccm *c);

/*
 * Load the catalog with this uuid, or (uuid NULL) the latest of the family; with its questions
 * (ids, controls and domains; with_text adds titles, specifications and question text, else "").
 * TRUSTREG_ENOTFOUND when none.
 */
int tr_ccm_store_find(trustreg_db *db, trustreg_ccm_family family, const char *uuid, int with_text,
                      tr_ref_catalog **out);

int tr_ccm_store_mappings(trustreg_db *db, const char *uuid, trustreg_ccm_mapping_fn fn, void *ctx);

/* One stored answer. */
typedef struct tr_answer_row {
    char *question_id, *control_id, *domain, *raw, *ownership, *impl, *csc, *notes;
    int answer; /* trustreg_caiq_answer */
    long row;
} tr_answer_row;

typedef struct tr_assessment {
    int64_t id, catalog_doc_id;
    char *uuid, *catalog_uuid, *family, *caiq_version, *source, *sha256, *sheet, *imported_at;
    long warnings;
    tr_answer_row *answers;
    size_t n_answers;
} tr_assessment;

void tr_assessment_free(tr_assessment *a);

/* Store an assessment and its answers (inside a transaction); sets a->id. */
int tr_caiq_store_assessment(trustreg_db *db, tr_assessment *a);

/* Load the assessment with this uuid (NULL: the latest). TRUSTREG_ENOTFOUND when none. */
int tr_caiq_store_load(trustreg_db *db, const char *uuid, tr_assessment **out);

#endif
