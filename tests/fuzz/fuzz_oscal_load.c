/*
 * tests/fuzz/fuzz_oscal_load.c - fuzz harness for the OSCAL document reader and the catalog
 * walker: any bytes must either parse or fail with a recorded error, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "oscal/catalog_walk.h"
#include "trustreg/trustreg.h"

static int count_control(void *ctx, const tr_control_row *row)
{
    (void)row;
    (*(long *)ctx)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trustreg_oscal_doc *doc = NULL;
    int rc = trustreg_oscal_doc_parse(&doc, data, size, "fuzz");
    if (rc != TRUSTREG_OK) {
        /* every failure must come with a message */
        if (trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    if (doc->model == TRUSTREG_MODEL_CATALOG) {
        long n = 0;
        tr_catalog_sink sink = {&n, NULL, count_control};
        tr_catalog_walk(doc, &sink, NULL, NULL);
    }
    trustreg_oscal_doc_free(doc);
    return 0;
}
