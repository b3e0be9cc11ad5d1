/*
 * tests/fuzz/fuzz_dsse.c - fuzz harness for DSSE envelope parsing and verification (with the
 * in-toto Statement v1 check of the payload) against a fixed signer key.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {
        "assessor.example/cb+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj",
        "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj",
    };
    json_t *st = NULL;
    /* the first key is malformed on purpose (its ID does not match): that must fail cleanly */
    if (trustreg_dsse_verify(data, size, "fuzz", keys, 2, &st) == 0) {
        if (!st)
            abort();
    } else if (trustreg_error_last()->message[0] == '\0') {
        abort();
    }
    json_decref(st);
    if (trustreg_dsse_verify(data, size, "fuzz", keys + 1, 1, &st) == 0 && !st)
        abort();
    json_decref(st);
    return 0;
}
