/*
 * trustreg/validate.h - validation of OSCAL JSON documents.
 *
 * A document is checked against the official OSCAL JSON schema of its version (compiled into the
 * library at build time from ../shared/data/oscal/schemas; see docs/validate.md), then by the
 * checks a schema cannot express: unique ids and uuids, `{{ insert: param, id }}` and `#uuid`
 * references that resolve, profile imports that exist.
 *
 * The schema version comes from metadata.oscal-version: the newest compiled schema with the same
 * major.minor and a patch level at least the document's (OSCAL patch releases are backward
 * compatible). Options can force one. A document without a usable oscal-version is checked
 * against the newest schema (which then reports what is missing).
 *
 *     trustreg_validation *v;
 *     if (trustreg_validate_file("cat.json", NULL, &v) == TRUSTREG_OK) {
 *         for (size_t i = 0; i < v->n_errors; i++)
 *             printf("%s: %s: expected %s, found %s\n", v->source, v->errors[i].pointer,
 *                    v->errors[i].expected, v->errors[i].found);
 *         trustreg_validation_free(v);
 *     }
 */
#ifndef TRUSTREG_VALIDATE_H
#define TRUSTREG_VALIDATE_H

#include <stddef.h>
#include <jansson.h>

#include "oscal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to check. A zeroed struct (or NULL) means: everything, version from the document. */
typedef struct trustreg_validate_options {
    const char *schema_version; /* "1.1.2" or "v1.1.2": force this schema; NULL: from the doc */
    int schema_only;            /* 1: skip the checks beyond the schema */
    const char *base_dir;       /* folder for relative profile imports (_mem only; _file uses the
                                   file's folder); NULL with _mem: relative imports not checked */
    size_t max_errors;          /* stop after this many (0: 1000) */
} trustreg_validate_options;

/* One violation. All strings are owned by the trustreg_validation. */
typedef struct trustreg_validation_error {
    const char *pointer;  /* RFC 6901 pointer into the document ("" is the whole document) */
    const char *expected; /* what the schema or rule wants, for people */
    const char *found;    /* what is there, for people */
    const char *keyword;  /* schema keyword ("type", "required", "pattern", "enum", ...) or rule
                             ("unique-id", "unique-uuid", "param-insert", "href-fragment",
                             "profile-import") */
    const char *location; /* where the rule is: "oscal_complete_schema.json#/definitions/...
                             /pattern" for schema keywords, "trustreg:<rule>" for the others */
} trustreg_validation_error;

/* The result of validating one document: valid when n_errors is 0. */
typedef struct trustreg_validation {
    char *source;               /* file name or the name given */
    trustreg_oscal_model model; /* from the top-level key; UNKNOWN when none is recognised */
    char *oscal_version;        /* metadata.oscal-version, "" when absent */
    char *schema_version;       /* the schema used ("1.1.3") */
    size_t n_errors;
    trustreg_validation_error *errors; /* in document order for schema errors, then the rules */
    int truncated; /* more than max_errors violations: the rest were not listed */
} trustreg_validation;

/*
 * Validate a file ("-" reads standard input). Returns TRUSTREG_OK when the document could be
 * validated; *out then says whether it is valid. Errors that stop validation: the file is
 * missing (TRUSTREG_ENOTFOUND), too large or not JSON (TRUSTREG_EINPUT, with line:column), no
 * schema for its OSCAL version or none compiled in (TRUSTREG_ENOTFOUND), an unknown
 * options->schema_version (TRUSTREG_EUSAGE).
 */
int trustreg_validate_file(const char *path, const trustreg_validate_options *options,
                           trustreg_validation **out);

/* The same for a document in memory; source names it in messages. */
int trustreg_validate_mem(const void *bytes, size_t len, const char *source,
                          const trustreg_validate_options *options, trustreg_validation **out);

void trustreg_validation_free(trustreg_validation *v);

/* The schema versions compiled into the library, oldest first ("1.0.6", "1.1.2", ...). */
size_t trustreg_validate_schema_versions(const char *const **versions);

/* JSON shape shared by the CLI and the HTTP API: {file, valid, model, oscal_version,
 * schema_version, truncated, errors: [{pointer, expected, found, keyword, location}]}. */
json_t *trustreg_validation_to_json(const trustreg_validation *v);

#ifdef __cplusplus
}
#endif
#endif
