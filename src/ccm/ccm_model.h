/*
 * ccm/ccm_model.h - the in-memory model of a CCM/CAIQ workbook shared by the reader
 * (ccm_read.c), the catalog import (ccm_import.c) and the CAIQ answer checks (caiq.c).
 */
#ifndef TR_CCM_MODEL_H
#define TR_CCM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "trustreg/ccm.h"

typedef struct tr_ccm_domain {
    char *abbr, *title;
} tr_ccm_domain;

typedef struct tr_ccm_control {
    char *id, *title, *spec;
    size_t domain;
    char *props[8]; /* CCM v4 matrix: CCM Lite, IaaS, PaaS, SaaS ownership (NULL when none) */
} tr_ccm_control;

/*
 * One question row, with the answer area as written (CAIQ layouts). Except id, the strings point
 * into the sheet tables the model keeps (no copy per cell); "" when absent.
 */
typedef struct tr_ccm_question {
    char *id;           /* normalised, owned */
    const char *raw_id; /* as written */
    const char *text;
    size_t control;
    uint32_t row;
    const char *answer, *ownership, *impl, *csc; /* v4 */
    const char *mark[3];                         /* v3: Yes, No, Not Applicable */
    const char *notes;                           /* v3 */
} tr_ccm_question;

/* A structural problem found while reading (header labels, moved or missing columns). */
typedef struct tr_form_issue {
    int severity;
    char *code, *cell, *message;
} tr_form_issue;

enum { COL_ANSWER, COL_OWNERSHIP, COL_IMPL, COL_CSC, COL_YES, COL_NO, COL_NA, COL_NOTES, COL_N };

struct trustreg_ccm {
    trustreg_ccm_family family;
    const char *layout;
    char *ccm_version, *caiq_version, *source, *sheet;
    int csv;
    tr_ccm_domain *domains;
    size_t n_domains, cap_domains;
    tr_ccm_control *controls;
    size_t n_controls, cap_controls;
    tr_ccm_question *questions;
    size_t n_questions, cap_questions;
    trustreg_ccm_mapping *mappings; /* strings owned */
    size_t n_mappings, cap_mappings;
    tr_form_issue *issues;
    size_t n_issues, cap_issues;
    uint32_t cols[COL_N];       /* where the answer columns were found, 0 when absent */
    struct tr_table *tables[4]; /* the sheets the question strings point into */
    size_t n_tables;
    size_t *ctl_hash; /* open addressing over controls by id: index + 1, 0 = empty */
    size_t ctl_hash_cap;
    /* problems met in data rows that only matter for answers (blank IDs, footers) */
};

/* Remove all white space and no-break spaces ("AIS- 02.2" -> "AIS-02.2"); malloc'ed. */
char *tr_ccm_norm_id(const char *s);
/* Collapse runs of white space / NBSP to one space and trim; malloc'ed. */
char *tr_ccm_norm_label(const char *s);
/* 1 when s (normalised) looks like a CAIQ question ID: ABBR-NN.N */
int tr_ccm_is_question_id(const char *s);
/* The control part of a question ID ("A&A-01.2" -> "A&A-01"); malloc'ed. */
char *tr_ccm_question_control(const char *qid);

int tr_ccm_add_issue(trustreg_ccm *c, int severity, const char *code, const char *cell,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
