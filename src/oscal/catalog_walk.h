/*
 * oscal/catalog_walk.h - walk an OSCAL catalog in document order, checking the types of what
 * the index relies on and producing one row per group and per control (with prose rendered).
 * The import feeds the rows to the store; the fuzz harness and tests feed them to memory.
 * The walk reads the flat tree of the document (util/jdom.h), never the jansson tree.
 */
#ifndef TR_OSCAL_CATALOG_WALK_H
#define TR_OSCAL_CATALOG_WALK_H

#include "store/store.h"
#include "trustreg/oscal.h"
#include "util/jdom.h"

typedef struct tr_catalog_sink {
    void *ctx;
    int (*group)(void *ctx, const tr_group_row *row);
    int (*control)(void *ctx, const tr_control_row *row);
} tr_catalog_sink;

/*
 * Walk doc (model catalog). Each bad member is TRUSTREG_EINPUT with its JSON pointer. A sink
 * callback's error stops the walk and is returned. Counts are set when not NULL. With sink NULL
 * the walk only checks and counts (no prose is rendered).
 */
int tr_catalog_walk(const trustreg_oscal_doc *doc, const tr_catalog_sink *sink, long *controls,
                    long *groups);

/* Every parameter of a catalog by id, for rendering prose. */
typedef struct tr_param_entry {
    const char *id;
    uint32_t node;
} tr_param_entry;

typedef struct tr_param_index {
    const tr_jdom *dom;
    tr_param_entry *entries;
    size_t n, cap;
} tr_param_index;

/* Collect the params of the object at node and of all its groups and controls, recursively. */
int tr_param_index_build(tr_param_index *idx, const tr_jdom *dom, uint32_t node);
void tr_param_index_free(tr_param_index *idx);

/*
 * Render OSCAL markup-line prose for display: "{{ insert: param, ID }}" becomes the parameter's
 * values, "[Selection (one or more): a; b]" or "[Assignment: label]". Appends to out.
 */
struct tr_buf;
void tr_render_prose(struct tr_buf *out, const char *prose, const tr_param_index *params);

#endif
