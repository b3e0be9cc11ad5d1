/*
 * registry/internal.h - what the registry's files share: the handle, calendar days, the policy,
 * status computation, the single write path (transaction + event) and small SQL helpers.
 *
 * File map: dates.c (calendar days), policy.c (policy file), lifecycle.c (entry and attainment
 * status, SQL functions), write.c (write path, events, history, event hook), entities.c
 * (organizations, assessors, services, documents), entries.c (STAR entries), offerings.c
 * (offerings, attainments, offering page), page.c (service page), search.c, compare.c, demo.c,
 * schema_sql.c (migration and the offerings reference list).
 */
#ifndef TR_REGISTRY_INTERNAL_H
#define TR_REGISTRY_INTERNAL_H

#include <stdint.h>
#include <sqlite3.h>
#include <jansson.h>

#include "trustreg/registry.h"

/* ---- calendar days (dates.c): day numbers count days since 1970-01-01, UTC ---- */

#define TR_DAY_NONE INT32_MIN

/* Strict "YYYY-MM-DD" (years 1900-9999, real calendar days). 0 on success, -1 otherwise. */
int tr_day_parse(const char *s, int32_t *day);
void tr_day_format(int32_t day, char out[11]);
int32_t tr_day_today(void);
/* Add calendar months; a day that does not exist in the target month rolls over into the next
 * month (2024-02-29 + 12 months = 2025-03-01), as SQLite's date(d, '+N months') does. */
int32_t tr_day_add_months(int32_t day, int months);
/* Parse an optional user date: NULL/"" gives *day = default_day. Refuses dates after today.
 * what names the option in the message ("--date"). */
int tr_day_arg(const char *s, const char *what, int32_t default_day, int allow_future,
               int32_t *day);

/* ---- policy (policy.c) ---- */

struct trustreg_policy {
    int l1_deprecate_months;    /* level1.deprecate_after_months */
    int l1_hide_months;         /* level1.hide_after_months */
    int l1c_deprecate_months;   /* level1_continuous.deprecate_after_months */
    int l1c_hide_months;        /* level1_continuous.hide_after_months */
    int l2a_validity_months;    /* level2_attestation.validity_months */
    int l2c_max_months;         /* level2_certification.max_certificate_months */
    int cstar_max_months;       /* cstar.max_certificate_months */
    int l3_stale_days;          /* level3.stale_after_days */
    int offering_warn_days;     /* offerings.expiry_warning_days */
    int offering_typical;       /* offerings.use_typical_validity */
    int l2_needs_l1;            /* level2_attestation/certification/cstar require_level1 */
    char source[256];           /* "built-in defaults" or the file */
};

void tr_policy_defaults(trustreg_policy *p);

/* ---- status (lifecycle.c) ---- */

typedef enum tr_status {
    TR_ST_NONE = 0, /* did not exist yet on that day */
    TR_ST_SUBMITTED,
    TR_ST_REJECTED,
    TR_ST_PUBLISHED,
    TR_ST_DEPRECATED,
    TR_ST_HIDDEN,
    TR_ST_EXPIRED,
    TR_ST_STALE,
    TR_ST_SUPERSEDED,
    TR_ST_WITHDRAWN,
} tr_status;

const char *tr_status_name(tr_status s);
tr_status tr_status_from_name(const char *name); /* TR_ST_NONE when unknown */

/* The dates of an entry that its status depends on (TR_DAY_NONE when unset). */
typedef struct tr_entry_dates {
    trustreg_level level;
    int32_t submitted, published, rejected, withdrawn, superseded;
    int32_t anchor;     /* last clock mark on or before the day (publication, renewal, data) */
    int32_t assessment; /* report / audit / CAIQ date */
    int32_t expires;    /* certificate expiry (last valid day) */
    int32_t monitoring_end;
} tr_entry_dates;

tr_status tr_entry_status(const tr_entry_dates *e, const trustreg_policy *p, int32_t day);
/* Last valid day of a published entry, TR_DAY_NONE when open-ended (Level 3 without end). */
int32_t tr_entry_valid_until(const tr_entry_dates *e, const trustreg_policy *p);

typedef enum tr_att_status {
    TR_ATT_NONE = 0, /* not yet issued / recorded */
    TR_ATT_ACTIVE,
    TR_ATT_EXPIRING, /* active, expires within offerings.expiry_warning_days */
    TR_ATT_EXPIRED,
    TR_ATT_SUPERSEDED,
    TR_ATT_WITHDRAWN,
} tr_att_status;

const char *tr_att_status_name(tr_att_status s);
tr_att_status tr_att_status_compute(int32_t recorded, int32_t issued, int32_t expires,
                                    int32_t withdrawn, int32_t superseded,
                                    const trustreg_policy *p, int32_t day);

/*
 * Register tr_entry_status(...) and tr_att_status(...) as SQL functions on the connection (see
 * lifecycle.c for their arguments); the SQL below always passes the day as ?1.
 */
int tr_lifecycle_register(sqlite3 *db, const trustreg_policy *p);

/* The SQL expression of an entry's status on day ?1 for an entry row aliased e. */
#define TR_SQL_ANCHOR                                                                              \
    "(CASE WHEN e.anchor_on <= ?1 THEN e.anchor_on ELSE (SELECT max(m.day) FROM reg_entry_marks " \
    "m WHERE m.entry_id = e.id AND m.day <= ?1) END)"
#define TR_SQL_ENTRY_STATUS                                                                        \
    "tr_entry_status(e.level, ?1, e.submitted_on, e.published_on, e.rejected_on, "               \
    "e.withdrawn_on, e.superseded_on, " TR_SQL_ANCHOR ", e.assessment_date, e.expires_on, "       \
    "e.monitoring_end)"
/* The columns tr_reg_entry_json reads (status is column 28, the service category 29), joined to service s, org o and
 * assessor a; add WHERE ... with the day as ?1. */
#define TR_SQL_ENTRY_SELECT                                                                               \
    "SELECT e.id, e.level, e.ccm_version, e.assessment_date, e.expires_on, e.submitted_on,"      \
    " e.published_on, e.rejected_on, e.withdrawn_on, e.superseded_on, e.superseded_by,"          \
    " e.renews_id, " TR_SQL_ANCHOR ", e.monitoring_end, e.frequency_days, e.review,"             \
    " e.review_note, e.reason, e.regions, e.caiq_summary, a.slug, a.name, a.kind, s.id, s.slug,"  \
    " s.name, o.slug, o.name, " TR_SQL_ENTRY_STATUS " AS status, s.category "                                          \
    "FROM reg_entries e JOIN reg_services s ON s.id = e.service_id"                              \
    " JOIN reg_orgs o ON o.id = e.org_id LEFT JOIN reg_assessors a ON a.id = e.assessor_id "

json_t *tr_reg_entry_json(trustreg_registry *reg, sqlite3_stmt *st);

/* An attainment row aliased a. */
#define TR_SQL_ATT_STATUS                                                                          \
    "tr_att_status(?1, a.recorded_on, a.issued_on, a.expires_on, a.withdrawn_on, "               \
    "a.superseded_on)"

/* ---- the handle, statements, write path (write.c) ---- */

#define TR_REG_STMT_CACHE 48

struct trustreg_registry {
    trustreg_db *db;
    sqlite3 *sql;
    trustreg_policy *policy;
    struct {
        const char *key; /* the SQL text's address: statements are static strings */
        sqlite3_stmt *st;
    } cache[TR_REG_STMT_CACHE];
    int in_write;      /* inside tr_reg_write */
    long events_in_tx; /* events recorded by the current write */
    int32_t today;
};

/* A cached prepared statement for a static SQL string, reset with bindings cleared. */
int tr_reg_stmt(trustreg_registry *reg, const char *sql, sqlite3_stmt **st);
/* A one-off statement (dynamic SQL); the caller finalizes it. */
int tr_reg_prepare(trustreg_registry *reg, const char *sql, sqlite3_stmt **st);
int tr_reg_sql_error(trustreg_registry *reg, const char *what);
/* Step a statement that returns no row. */
int tr_reg_exec_stmt(trustreg_registry *reg, sqlite3_stmt *st, const char *what);

void tr_bind_text(sqlite3_stmt *st, int i, const char *v); /* NULL binds NULL */
void tr_bind_day(sqlite3_stmt *st, int i, int32_t day);    /* TR_DAY_NONE binds NULL */
int32_t tr_col_day(sqlite3_stmt *st, int i);               /* NULL gives TR_DAY_NONE */
const char *tr_col_text(sqlite3_stmt *st, int i);          /* never NULL */
json_t *tr_col_json_text(sqlite3_stmt *st, int i);         /* string or null */

/* One event of the history. Ids are 0 when not concerned. */
typedef struct tr_reg_event {
    const char *kind; /* "entry.published", ... */
    int32_t day;      /* effective date */
    int64_t org_id, service_id, entry_id, attainment_id;
    const char *reason;
    json_t *data; /* details, borrowed; may be NULL */
} tr_reg_event;

/*
 * The one write path. Opens the transaction, runs apply, and commits only when apply succeeded
 * and recorded at least one event (tr_reg_event_record); anything else rolls back.
 */
int tr_reg_write(trustreg_registry *reg, int (*apply)(trustreg_registry *reg, void *arg),
                 void *arg);
/* Record an event inside the open write: the row in reg_events, then the event hook. */
int tr_reg_event_record(trustreg_registry *reg, const tr_reg_event *ev);

/*
 * Event hook for the transparency log: called inside the open transaction for every event, with
 * its id and canonical JSON (compact, keys sorted). A non-zero return rolls the whole write
 * back (the hook sets the error record). One hook per process.
 */
typedef int (*tr_registry_event_hook_fn)(void *ctx, trustreg_db *db, int64_t event_id,
                                         const char *canonical_json);
void tr_registry_event_hook(tr_registry_event_hook_fn fn, void *ctx);

/* ---- lookups shared by the files ---- */

/* Resolve "id or slug" in reg_orgs / reg_services / reg_assessors / reg_offerings. */
int tr_reg_org_id(trustreg_registry *reg, const char *ref, int64_t *id);
int tr_reg_service_id(trustreg_registry *reg, const char *ref, int64_t *id, int64_t *org_id);
int tr_reg_assessor_id(trustreg_registry *reg, const char *ref, int64_t *id, const char **kind);
int tr_reg_offering_id(trustreg_registry *reg, const char *ref, int64_t *id);

/* Store a document file (read, digest, optional expected digest check). owner ids may be 0. */
typedef struct tr_doc_owner {
    int64_t org_id, service_id, entry_id, attainment_id;
} tr_doc_owner;
int tr_reg_store_document(trustreg_registry *reg, const trustreg_doc_spec *doc,
                          const tr_doc_owner *owner, int32_t day, int64_t *id, json_t **info);
/* Documents of an owner as a JSON array (restricted ones only when signed_in). */
int tr_reg_documents_json(trustreg_registry *reg, const char *column, int64_t owner, int signed_in,
                          json_t *arr);
/* Read a document body by id (for the CAIQ check). */
int tr_reg_document_body(trustreg_registry *reg, int64_t id, unsigned char **data, size_t *len,
                         char **name);

/* The day of a view (as_of or today), validated. */
int tr_view_day(trustreg_registry *reg, const trustreg_view *view, int32_t *day);

/* Validate a slug: [a-z0-9][a-z0-9-]{0,62}. Derive one from a name into out (64 bytes). */
int tr_slug_valid(const char *s);
void tr_slug_from(const char *name, char out[64]);

/* Service summary JSON used by page/compare/search. */
json_t *tr_reg_entries_of_service(trustreg_registry *reg, int64_t service_id, int32_t day,
                                  int include_nonpublic, int *err);
json_t *tr_reg_offerings_of_service(trustreg_registry *reg, int64_t service_id, int32_t day,
                                    int include_nonpublic, int *err);

#endif
