/*
 * trustreg/registry.h - the registry: providers (organizations), services, assessors, CSA STAR
 * entries with their lifecycle, compliance offerings and attainments, documents, history,
 * search, comparison and demo data.
 *
 * All dates are calendar days in UTC written "YYYY-MM-DD". Every write takes an effective date
 * (NULL: today, UTC) and is one transaction that also records an event in the history; nothing
 * is ever deleted (entries are superseded or withdrawn with a reason). The status of an entry or
 * attainment is computed for any day from its dates and the lifecycle policy, so "as of" queries
 * answer what the registry said on that day. See docs/registry.md.
 *
 * Reads return jansson values (new references; json_decref them): the same shapes the CLI prints
 * with --json and the HTTP API will serve.
 */
#ifndef TRUSTREG_REGISTRY_H
#define TRUSTREG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trustreg_registry trustreg_registry;
typedef struct trustreg_policy trustreg_policy;

/* ---- policy (docs/registry.md "Policy file") ---- */

/*
 * Load the lifecycle policy. path NULL: $TRUSTREG_POLICY when set, else the built-in defaults.
 * Keys that a file leaves out keep their defaults; unknown keys and wrong types are
 * TRUSTREG_EINPUT with the JSON pointer.
 */
int trustreg_policy_load(trustreg_policy **out, const char *path);
/* Parse a policy from memory (source names the input in error messages). */
int trustreg_policy_parse(trustreg_policy **out, const char *data, size_t len, const char *source);
void trustreg_policy_free(trustreg_policy *p);
/* The effective policy, every key, as JSON. */
json_t *trustreg_policy_to_json(const trustreg_policy *p);

/* ---- the registry handle ---- */

/*
 * Open the registry on an open database with a policy file (NULL: see trustreg_policy_load).
 * The handle borrows db, which must outlive it.
 */
int trustreg_registry_open(trustreg_registry **out, trustreg_db *db, const char *policy_path);
void trustreg_registry_close(trustreg_registry *reg);
const trustreg_policy *trustreg_registry_policy(const trustreg_registry *reg);

/* ---- STAR levels and statuses ---- */

typedef enum trustreg_level {
    TRUSTREG_LEVEL_NONE = 0,
    TRUSTREG_LEVEL_1 = 1,            /* "L1": Level 1 self-assessment (CAIQ) */
    TRUSTREG_LEVEL_1_CONTINUOUS = 2, /* "L1-continuous": automated, frequent CAIQ updates */
    TRUSTREG_LEVEL_2_ATTESTATION = 3,   /* "L2-attestation": SOC 2 Type 2 + CCM, CPA firm */
    TRUSTREG_LEVEL_2_CERTIFICATION = 4, /* "L2-certification": ISO/IEC 27001 + CCM */
    TRUSTREG_LEVEL_CSTAR = 5,           /* "C-STAR": Greater China assessment */
    TRUSTREG_LEVEL_3 = 6,               /* "L3": continuous monitoring */
} trustreg_level;

/* "L1", "L1-continuous", "L2-attestation", "L2-certification", "C-STAR", "L3" */
const char *trustreg_level_name(trustreg_level level);
/* Accepts the names above, case-insensitively; TRUSTREG_LEVEL_NONE when unknown. */
trustreg_level trustreg_level_from_name(const char *name);

/*
 * Entry statuses on a given day: "submitted" (in review / awaiting the assessor), "rejected",
 * "published", "deprecated" (Level 1 not renewed for a year), "hidden" (not renewed for three
 * years), "expired" (Level 2 / C-STAR past validity), "stale" (Level 3 without recent data),
 * "superseded", "withdrawn". Public listings show published, deprecated, expired and stale.
 */
int trustreg_status_is_public(const char *status);

/* ---- organizations (providers), assessors, services ---- */

typedef struct trustreg_org_spec {
    const char *slug; /* short handle; NULL: derived from the name */
    const char *name;
    const char *website;
    const char *description;
    const char *const *contacts; /* e-mail addresses or URLs */
    size_t n_contacts;
    const char *date; /* effective date, NULL: today */
} trustreg_org_spec;

int trustreg_org_add(trustreg_registry *reg, const trustreg_org_spec *spec, int64_t *id);
/* ref: a numeric id or a slug. */
int trustreg_org_show(trustreg_registry *reg, const char *ref, json_t **out);
int trustreg_org_list(trustreg_registry *reg, json_t **out);

typedef struct trustreg_assessor_spec {
    const char *slug;
    const char *name;
    const char *kind; /* "cpa-firm", "certification-body", "monitoring" */
    const char *website;
    const char *date;
} trustreg_assessor_spec;

int trustreg_assessor_add(trustreg_registry *reg, const trustreg_assessor_spec *spec, int64_t *id);
int trustreg_assessor_list(trustreg_registry *reg, json_t **out);

typedef struct trustreg_service_spec {
    const char *org; /* id or slug of the provider */
    const char *slug;
    const char *name;
    const char *category;
    const char *description;
    const char *platform; /* id or slug of the platform service it belongs to, or NULL */
    const char *const *regions;
    size_t n_regions;
    const char *date;
} trustreg_service_spec;

int trustreg_service_add(trustreg_registry *reg, const trustreg_service_spec *spec, int64_t *id);
int trustreg_service_list(trustreg_registry *reg, const char *org, json_t **out);

/* What a reader may see. */
typedef struct trustreg_view {
    const char *as_of;     /* NULL: today */
    int include_nonpublic; /* registry operator view: submitted, rejected, withdrawn, hidden... */
    int signed_in;         /* a signed-in customer: restricted documents are listed too */
} trustreg_view;

/*
 * The service page: provider, platform, STAR entries by level with status and validity,
 * offerings grouped Global / US Government / Industry / Regional (each marked "own" or
 * "platform"), documents with their SHA-256, history.
 */
int trustreg_service_page(trustreg_registry *reg, const char *ref, const trustreg_view *view,
                          json_t **out);

/* ---- documents ---- */

typedef struct trustreg_doc_spec {
    const char *path;          /* file to store */
    const char *kind;          /* caiq, caiq-pdf, rfi-response, ccm-mapping, audit-report,
                                  certificate, bridge-letter, monitoring-report, other */
    const char *title;         /* NULL: the file name */
    const char *expect_sha256; /* when set, the file must have this digest */
    int restricted;            /* only for signed-in customers */
} trustreg_doc_spec;

int trustreg_org_add_document(trustreg_registry *reg, const char *org, const trustreg_doc_spec *doc,
                              const char *date, int64_t *id);
int trustreg_service_add_document(trustreg_registry *reg, const char *service,
                                  const trustreg_doc_spec *doc, const char *date, int64_t *id);

/* ---- STAR entries ---- */

typedef struct trustreg_entry_spec {
    const char *service;
    trustreg_level level;
    const char *ccm_version;     /* e.g. "4.0.12" */
    const char *assessment_date; /* CAIQ date, report date, audit date, or monitoring start */
    const char *expires;         /* certification / C-STAR: last day of the certificate */
    const char *assessor;        /* Level 2, C-STAR, Level 3: a registered assessor */
    int by_assessor;             /* submitted by the assessor itself: no confirmation step */
    const char *monitoring_end;  /* Level 3: end of the monitoring period, or NULL */
    int frequency_days;          /* Level 3: expected interval between data, days */
    const char *const *regions;  /* scope */
    size_t n_regions;
    const char *const *scope_services; /* further services of the same provider in scope */
    size_t n_scope_services;
    const trustreg_doc_spec *docs; /* docs[0] is the primary document (the CAIQ for Level 1) */
    size_t n_docs;
    int64_t renews; /* the entry this one renews (supersedes on publication), or 0 */
    const char *date;
} trustreg_entry_spec;

int trustreg_entry_add(trustreg_registry *reg, const trustreg_entry_spec *spec, int64_t *id);

/*
 * Level 1 review. accept: the CAIQ completeness check (trustreg_entry_attach_caiq_check) must
 * pass; without a checker, acceptance needs manual_note (a reviewer's statement, recorded as
 * such). reject: reason required.
 */
int trustreg_entry_review(trustreg_registry *reg, int64_t id, int accept, const char *reason,
                          const char *manual_note, const char *date);
/* Level 2 / C-STAR / Level 3 submitted by the provider: the named assessor confirms. */
int trustreg_entry_confirm(trustreg_registry *reg, int64_t id, const char *assessor,
                           const char *date);
/* Level 1 "no changes" auto-renewal: allowed while visible; restarts the clock. */
int trustreg_entry_renew_unchanged(trustreg_registry *reg, int64_t id, const char *date);
int trustreg_entry_withdraw(trustreg_registry *reg, int64_t id, const char *reason,
                            const char *date);
/* Level 3: monitoring data arrived on date. */
int trustreg_entry_monitoring(trustreg_registry *reg, int64_t id, const char *date);
int trustreg_entry_show(trustreg_registry *reg, int64_t id, const trustreg_view *view,
                        json_t **out);

/*
 * CAIQ completeness check (every question answered, form not altered). The CCM/CAIQ module
 * provides it; the integrator attaches it once per process. Return TRUSTREG_OK when complete,
 * TRUSTREG_EINPUT with the reasons in the error record when not. *summary may receive a JSON
 * object of per-domain answer counts ({"A&A": {"yes": 5, "no": 1, "na": 0}, ...}) that
 * 'compare' shows; leave it NULL when unavailable.
 */
typedef int (*trustreg_caiq_check_fn)(void *ctx, const unsigned char *data, size_t len,
                                      const char *name, const char *ccm_version,
                                      json_t **summary);
void trustreg_entry_attach_caiq_check(trustreg_caiq_check_fn fn, void *ctx);

/* ---- offerings and attainments ---- */

/* category: NULL, "global", "us-government", "industry" or "regional". */
int trustreg_offering_list(trustreg_registry *reg, const char *category, json_t **out);

typedef struct trustreg_attainment_spec {
    const char *org;
    const char *offering;      /* slug, e.g. "iso-27001" */
    const char *reference;     /* certificate number, report id, ... */
    const char *issued;        /* certificate / report / authorization date */
    const char *expires;       /* last valid day; NULL: from the offering's typical validity */
    const char *period_start;  /* audit period (SOC reports), optional */
    const char *period_end;
    const char *assessor;      /* registered assessor, optional */
    const char *notes;
    const char *const *services; /* in-scope services of the provider (at least one) */
    size_t n_services;
    const trustreg_doc_spec *docs;
    size_t n_docs;
    int64_t supersedes;
    const char *date;
} trustreg_attainment_spec;

int trustreg_attainment_add(trustreg_registry *reg, const trustreg_attainment_spec *spec,
                            int64_t *id);
int trustreg_attainment_withdraw(trustreg_registry *reg, int64_t id, const char *reason,
                                 const char *date);
/*
 * The offering page of a provider: its attainments of the offering with status, in-scope
 * services, assessor, documents and notes. org NULL: the offering itself and every provider
 * holding it.
 */
int trustreg_offering_page(trustreg_registry *reg, const char *offering, const char *org,
                           const trustreg_view *view, json_t **out);

/* ---- search, compare, history ---- */

typedef struct trustreg_entry_query {
    const char *text;     /* FTS5 words over provider, service name, category, description */
    const char *org;
    const char *category; /* service category */
    const char *level;    /* level name, or "1", "2", "3" for the level family */
    const char *ccm_version;
    const char *offering; /* service holds it (itself or through its platform) on that day */
    const char *region;
    const char *status;
    const char *assessor;
    const char *sort; /* "provider" (default), "service", "level", "date", "status" */
    int descending;
    long limit;  /* 0: 50 */
    long offset;
    trustreg_view view;
} trustreg_entry_query;

/* {"as_of", "limit", "offset", "results": [...]} */
int trustreg_entry_search(trustreg_registry *reg, const trustreg_entry_query *q, json_t **out);

/* Compare 2 to 5 services (orgs == 0) or providers (orgs == 1) side by side. */
int trustreg_compare(trustreg_registry *reg, int orgs, const char *const *refs, size_t n,
                     const trustreg_view *view, json_t **out);

/* Events, oldest first. scope: "org", "service", "entry" or "attainment"; ref: id or slug. */
int trustreg_history(trustreg_registry *reg, const char *scope, const char *ref, json_t **out);

/* ---- demo data ---- */

typedef struct trustreg_demo_opts {
    long providers;           /* default 25 */
    long services_per_provider; /* average, default 4 */
    long entries_per_service;   /* average, default 2 */
    uint64_t seed;              /* default 1 */
    const char *today;          /* the generator's "today" (NULL: today); dates fall before it */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, const char *what);
    void *progress_ctx;
} trustreg_demo_opts;

typedef struct trustreg_demo_counts {
    long providers, services, entries, attainments, assessors, events;
} trustreg_demo_counts;

int trustreg_demo_generate(trustreg_registry *reg, const trustreg_demo_opts *opts,
                           trustreg_demo_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
