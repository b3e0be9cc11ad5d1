/*
 * oscal/doc.h - internal entry points of the OSCAL document reader (oscal/doc.c).
 */
#ifndef TR_OSCAL_DOC_H
#define TR_OSCAL_DOC_H

#include <stdint.h>

#include "trustreg/oscal.h"
#include "util/jdom.h"

/* Also build doc->root / doc->body as a jansson tree (the public API always does). */
#define TR_DOC_TREE 1u
/* Also compress the bytes for storage (doc->packed), on the hashing thread (import path). */
#define TR_DOC_PACK 2u

/* Read and check a file ("-" for standard input) like trustreg_oscal_doc_load_file. */
int tr_oscal_doc_load(trustreg_oscal_doc **out, const char *path, unsigned flags);

/* Index of the model's object (doc->body in the flat tree). */
uint32_t tr_oscal_doc_body(const trustreg_oscal_doc *doc);

/*
 * Store (and for catalogs index) one parsed document inside the caller's transaction, exactly as
 * an import does: for modules that store a document together with their own rows (ccm/).
 */
int tr_oscal_store_doc(trustreg_db *db, const trustreg_oscal_doc *doc, trustreg_import_result *r);

#endif
