/*
 * trustreg/ccm.h - CSA Cloud Controls Matrix (CCM) and its questionnaire (CAIQ).
 *
 * Reads the workbooks as users have them (.xlsx from CSA or filled in by providers, or a CSV
 * export of the questionnaire sheet): CCM v4.0.x matrix, CAIQ v4.0.x, CAIQ v3.0.1 and v3.1.
 * See docs/ccm.md for the layouts, the quirks handled and the checks.
 *
 * - trustreg_ccm_import stores the framework as an OSCAL catalog (domains as groups, controls as
 *   controls, CAIQ questions as parts), so search, export and profiles work on it.
 * - trustreg_caiq_* check, import, summarise and export a provider's filled CAIQ
 *   (self-assessment), checked against the stored catalog of the same CAIQ version.
 * - The mapping columns of a workbook (CCM v4 "Scope Applicability (Mappings)", CAIQ v3.0.1
 *   "CCM v3.0.1 Compliance Mapping") are exposed as (control, framework column, cell text)
 *   triples, in memory (trustreg_ccm_mapping_at) and after import from the store
 *   (trustreg_ccm_stored_mappings), for the framework-mapping module to import.
 */
#ifndef TRUSTREG_CCM_H
#define TRUSTREG_CCM_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which questionnaire a workbook belongs to (question IDs differ between all three). */
typedef enum trustreg_ccm_family {
    TRUSTREG_CCM_FAMILY_UNKNOWN = 0,
    TRUSTREG_CCM_V4,     /* CCM v4.0.x with CAIQ v4.0.x: 17 domains, 197 controls, 261 questions */
    TRUSTREG_CCM_V3_0_1, /* CCM v3.0.1 with CAIQ v3.0.1: 16 domains, 133 controls, 295 questions */
    TRUSTREG_CCM_V3_1,   /* CCM v3.0.1 with CAIQ v3.1: the same controls, 310 questions */
} trustreg_ccm_family;

/* "v4", "v3.0.1", "v3.1" (NULL for UNKNOWN); and back (accepts "4", "4.0.3", "3.1", ...). */
const char *trustreg_ccm_family_name(trustreg_ccm_family f);
trustreg_ccm_family trustreg_ccm_family_from_version(const char *version);

/* A workbook read into memory. */
typedef struct trustreg_ccm trustreg_ccm;

typedef struct trustreg_ccm_info {
    trustreg_ccm_family family;
    const char *layout; /* "ccm-v4-matrix", "caiq-v4", "caiq-v3", "caiq-v4-csv", "caiq-v3-csv" */
    const char *ccm_version;  /* "4.0.12", "4.0", "3.0.1" */
    const char *caiq_version; /* "4.0.3", "3.0.1", "3.1" */
    const char *source;       /* file name */
    const char *sheet;        /* questionnaire sheet name ("" for CSV) */
    size_t domains, controls, questions, mappings;
} trustreg_ccm_info;

/*
 * Read a workbook (.xlsx by content, else CSV). version (may be NULL) names the CAIQ version when
 * the file cannot say (a CSV export of v3.0.1 or v3.1), or asserts it: a workbook of another
 * version is TRUSTREG_EINPUT. Layout problems (missing sheet, wrong header labels) are
 * TRUSTREG_EINPUT with sheet and cell.
 */
int trustreg_ccm_read(trustreg_ccm **out, const char *path, const char *version);
void trustreg_ccm_free(trustreg_ccm *c);
void trustreg_ccm_info_get(const trustreg_ccm *c, trustreg_ccm_info *info);

/* One filled cell of a mapping column. Strings are owned by the workbook (or the callback). */
typedef struct trustreg_ccm_mapping {
    const char *control_id; /* CCM control ID, normalised ("A&A-01") */
    const char *framework;  /* column header as in the workbook, whitespace collapsed */
    const char *column;     /* sub-header ("Control Mapping"), "" when none */
    const char *text;       /* the cell text (may list several target controls, one per line) */
    const char *gap_level;  /* CCM v4: "No Gap", "Partial Gap", "Full Gap" or as written; else "" */
    const char *sheet;
    const char *cell; /* "E5" */
} trustreg_ccm_mapping;

size_t trustreg_ccm_mapping_count(const trustreg_ccm *c);
const trustreg_ccm_mapping *trustreg_ccm_mapping_at(const trustreg_ccm *c, size_t i);

/* What an import of a CCM/CAIQ workbook became. */
typedef struct trustreg_ccm_import_result {
    char *file;
    char *uuid; /* of the OSCAL catalog */
    char *title;
    trustreg_ccm_family family;
    char *ccm_version, *caiq_version, *layout;
    char sha256[65]; /* of the catalog document */
    long domains, controls, questions, mappings;
    int unchanged; /* the same catalog was already stored */
} trustreg_ccm_import_result;

/*
 * Import a CCM or CAIQ workbook as an OSCAL catalog, in one transaction with its question index
 * and mapping cells. The catalog uuid is derived from the framework version and the content, so
 * importing the same workbook again changes nothing.
 */
int trustreg_ccm_import(trustreg_db *db, const char *path, const char *version,
                        trustreg_ccm_import_result *out);
void trustreg_ccm_import_result_clear(trustreg_ccm_import_result *r);
json_t *trustreg_ccm_import_result_to_json(const trustreg_ccm_import_result *r);

/*
 * The mapping cells stored with a CCM catalog (catalog_uuid NULL: the latest CCM catalog), in
 * workbook order. fn returning non-zero stops and that value is returned.
 */
typedef int (*trustreg_ccm_mapping_fn)(void *ctx, const trustreg_ccm_mapping *m);
int trustreg_ccm_stored_mappings(trustreg_db *db, const char *catalog_uuid,
                                 trustreg_ccm_mapping_fn fn, void *ctx);

/* ---- CAIQ answers (self-assessments) -------------------------------------------------------- */

typedef enum trustreg_caiq_answer {
    TRUSTREG_CAIQ_BLANK = 0,
    TRUSTREG_CAIQ_YES,
    TRUSTREG_CAIQ_NO,
    TRUSTREG_CAIQ_NA,
    TRUSTREG_CAIQ_INVALID, /* a value outside the list, kept as written, never guessed */
} trustreg_caiq_answer;

/* "yes", "no", "na", "blank", "invalid" */
const char *trustreg_caiq_answer_name(trustreg_caiq_answer a);

/* The five SSRM control ownership values of CAIQ v4, in the template's order. */
#define TRUSTREG_CAIQ_OWNERSHIP_COUNT 5
extern const char *const trustreg_caiq_ownership_values[TRUSTREG_CAIQ_OWNERSHIP_COUNT];

enum trustreg_caiq_severity { TRUSTREG_CAIQ_WARNING = 1, TRUSTREG_CAIQ_ERROR = 2 };

/* One problem found in a filled CAIQ. */
typedef struct trustreg_caiq_finding {
    int severity; /* trustreg_caiq_severity */
    char *code;   /* stable name: "answer-invalid", "question-missing", ... (docs/ccm.md) */
    char *sheet;
    char *cell;        /* "C5", "" for the workbook as a whole */
    char *question_id; /* "" when none */
    char *message;
} trustreg_caiq_finding;

/* The outcome of checking (and importing) a filled CAIQ. */
typedef struct trustreg_caiq_report {
    char *file, *sheet, *catalog_uuid, *caiq_version;
    trustreg_ccm_family family;
    char *assessment_uuid; /* set by a successful import */
    long questions;        /* question rows read */
    long errors, warnings;
    trustreg_caiq_finding *findings;
    size_t n_findings;
    int accepted; /* no error (and with strict no warning) */
} trustreg_caiq_report;

typedef struct trustreg_caiq_opts {
    const char *version;      /* CAIQ version when the file cannot say (CSV), or asserted */
    const char *catalog_uuid; /* check against this catalog; NULL: latest of the same version */
    int strict;               /* warnings count as errors */
} trustreg_caiq_opts;

/*
 * Read and check a filled CAIQ against the stored catalog of its version: unknown, missing,
 * repeated or reordered question IDs, blank answers, values outside the lists, NA without a
 * justification, altered columns. Returns TRUSTREG_OK with the report (even when it holds
 * errors); TRUSTREG_EINPUT when the file cannot be read as a CAIQ at all, TRUSTREG_ENOTFOUND
 * when no catalog of that version is stored. Free with trustreg_caiq_report_free.
 */
int trustreg_caiq_check(trustreg_db *db, const char *path, const trustreg_caiq_opts *opts,
                        trustreg_caiq_report **out);

/*
 * Check, then store the answers in one transaction when the report is accepted. When it is not,
 * nothing is written and TRUSTREG_EINPUT is returned (the report is still given).
 */
int trustreg_caiq_import(trustreg_db *db, const char *path, const trustreg_caiq_opts *opts,
                         trustreg_caiq_report **out);
void trustreg_caiq_report_free(trustreg_caiq_report *r);
json_t *trustreg_caiq_report_to_json(const trustreg_caiq_report *r);

/* Per-domain counts of a stored self-assessment. */
typedef struct trustreg_caiq_domain_summary {
    char *domain; /* abbreviation ("A&A") */
    char *title;
    long yes, no, na, blank, invalid;
    long ownership[TRUSTREG_CAIQ_OWNERSHIP_COUNT]; /* in trustreg_caiq_ownership_values order */
    long ownership_other;                          /* blank or outside the list */
} trustreg_caiq_domain_summary;

typedef struct trustreg_caiq_summary {
    char *uuid, *source, *caiq_version, *imported_at, *catalog_uuid;
    trustreg_ccm_family family;
    trustreg_caiq_domain_summary total;
    trustreg_caiq_domain_summary *domains; /* in framework order */
    size_t n_domains;
} trustreg_caiq_summary;

/* Summarise the stored assessment with this uuid (NULL: the latest imported). */
int trustreg_caiq_summary_get(trustreg_db *db, const char *assessment_uuid,
                              trustreg_caiq_summary **out);
void trustreg_caiq_summary_free(trustreg_caiq_summary *s);
json_t *trustreg_caiq_summary_to_json(const trustreg_caiq_summary *s);

enum trustreg_caiq_export_format {
    TRUSTREG_CAIQ_EXPORT_XLSX = 0,     /* the questionnaire layout of its version */
    TRUSTREG_CAIQ_EXPORT_OSCAL_AR = 1, /* OSCAL 1.1.3 assessment-results JSON */
};

/* Export a stored assessment (NULL: the latest) to path, written atomically. */
int trustreg_caiq_export(trustreg_db *db, const char *assessment_uuid,
                         enum trustreg_caiq_export_format format, const char *path);

#ifdef __cplusplus
}
#endif
#endif
