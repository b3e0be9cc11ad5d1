/*
 * oscal/catalog_walk.h - walk an OSCAL catalog in document order, checking the types of what
 * the index relies on and producing one row per group and per control (with prose rendered).
 * The import feeds the rows to the store; the fuzz harness and tests feed them to memory.
 */
#ifndef TR_OSCAL_CATALOG_WALK_H
#define TR_OSCAL_CATALOG_WALK_H

#include "store/store.h"
#include "trustreg/oscal.h"

typedef struct tr_catalog_sink {
    void *ctx;
    int (*group)(void *ctx, const tr_group_row *row);
    int (*control)(void *ctx, const tr_control_row *row);
} tr_catalog_sink;

/*
 * Walk doc (model catalog). Each bad member is TRUSTREG_EINPUT with its JSON pointer. A sink
 * callback's error stops the walk and is returned. Counts are set when not NULL.
 */
int tr_catalog_walk(const trustreg_oscal_doc *doc, const tr_catalog_sink *sink, long *controls,
                    long *groups);

/*
 * Render OSCAL markup-line prose for display: "{{ insert: param, ID }}" becomes the parameter's
 * values, "[Selection (one or more): a; b]" or "[Assignment: label]". params maps ids to param
 * objects. Appends to out.
 */
struct tr_buf;
void tr_render_prose(struct tr_buf *out, const char *prose, const json_t *params);

#endif
