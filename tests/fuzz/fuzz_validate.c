/*
 * tests/fuzz/fuzz_validate.c - fuzz harness for OSCAL validation (trustreg/validate.h): any
 * bytes must give either a report or a recorded error, never a crash, a leak or a report with
 * missing fields. The first byte, when it is a digit 0-4, forces the n-th compiled schema
 * version (0: the document's own) so every compiled schema gets fuzzed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trustreg_validate_options o = {.max_errors = 50};
    if (size > 0 && data[0] >= '1' && data[0] <= '4') {
        const char *const *versions;
        size_t n = trustreg_validate_schema_versions(&versions);
        size_t want = (size_t)(data[0] - '1');
        if (want < n)
            o.schema_version = versions[want];
        data++;
        size--;
    } else if (size > 0 && data[0] == '0') {
        data++;
        size--;
    }
    trustreg_validation *v = NULL;
    int rc = trustreg_validate_mem(data, size, "fuzz", &o, &v);
    if (rc != TRUSTREG_OK) {
        if (trustreg_error_last()->message[0] == '\0' || v)
            abort();
        return 0;
    }
    if (v->n_errors > 50)
        abort();
    for (size_t i = 0; i < v->n_errors; i++) {
        const trustreg_validation_error *e = &v->errors[i];
        if (!e->pointer || !e->expected || !e->found || !e->keyword || !e->location)
            abort();
        if (e->pointer[0] != '\0' && e->pointer[0] != '/')
            abort();
    }
    json_t *j = trustreg_validation_to_json(v);
    if (!j)
        abort();
    json_decref(j);
    trustreg_validation_free(v);
    return 0;
}
