/*
 * trustreg/catalog.h - the control index of stored OSCAL catalogs.
 *
 * When a catalog is imported, every control and enhancement becomes one indexed row: id, parent,
 * group path, title, class, withdrawn status and document order, with its statement and guidance
 * prose rendered for display (parameters shown as "[Assignment: ...]" / "[Selection: ...]").
 * Titles and prose are full-text indexed (SQLite FTS5).
 */
#ifndef TRUSTREG_CATALOG_H
#define TRUSTREG_CATALOG_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trustreg_control_ref {
    char *id;
    char *label;
    char *title;
    int withdrawn;
} trustreg_control_ref;

typedef struct trustreg_param_display {
    char *id;
    char *text; /* how the parameter reads in prose, e.g. "[Assignment: organization-defined frequency]" */
} trustreg_param_display;

typedef struct trustreg_control {
    char *catalog_uuid;
    char *catalog_title;
    char *id;          /* "ac-2.1" */
    char *label;       /* "AC-2(1)", or the id when the catalog has no label */
    char *title;
    char *class_;      /* OSCAL class, "" when none */
    char *parent;      /* id of the parent control, "" for a top-level control */
    char *group_path;  /* group ids from the outermost, joined by "/" ("" when ungrouped) */
    char *group_title; /* title of the innermost group */
    int withdrawn;
    long order;        /* 0-based position in document order */
    char *statement;   /* rendered statement prose */
    char *guidance;    /* rendered guidance prose */
    trustreg_param_display *params;
    size_t n_params;
    trustreg_control_ref *enhancements; /* direct child controls, in order */
    size_t n_enhancements;
} trustreg_control;

/*
 * Look up one control of the catalog with this uuid (latest import). Control ids compare
 * case-insensitively ("AC-2" finds "ac-2"); the label ("AC-2(1)") is accepted too.
 */
int trustreg_catalog_control(trustreg_db *db, const char *catalog_uuid, const char *control_id,
                             trustreg_control **out);
void trustreg_control_free(trustreg_control *c);
json_t *trustreg_control_to_json(const trustreg_control *c);

typedef struct trustreg_search_hit {
    char *catalog_uuid;
    char *catalog_title;
    char *id;
    char *label;
    char *title;
    char *snippet; /* matching text with hits between [ and ] */
    int withdrawn;
    double score;  /* bm25, lower is better */
} trustreg_search_hit;

typedef struct trustreg_search_opts {
    const char *catalog_uuid; /* NULL: every catalog */
    int limit;                /* 0: 20 */
    int include_withdrawn;    /* 0: withdrawn controls are left out */
    int raw;                  /* 1: query is FTS5 syntax, else plain words (all must match) */
} trustreg_search_opts;

/* Full-text search over control titles and prose, best first. */
int trustreg_catalog_search(trustreg_db *db, const char *query, const trustreg_search_opts *opts,
                            trustreg_search_hit **hits, size_t *n);
void trustreg_search_hits_free(trustreg_search_hit *hits, size_t n);
json_t *trustreg_search_hit_to_json(const trustreg_search_hit *h);

#ifdef __cplusplus
}
#endif
#endif
