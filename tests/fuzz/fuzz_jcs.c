/*
 * tests/fuzz/fuzz_jcs.c - fuzz harness for RFC 8785 canonicalisation: any input is refused with
 * a message, or canonicalises to a fixed point (canonicalising the output gives it back).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    if (trustreg_jcs_canonicalize(data, size, "fuzz", &out, &len) != 0) {
        if (trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    if (trustreg_jcs_canonicalize(out, len, "again", &again, &len2) != 0 || len2 != len ||
        memcmp(out, again, len) != 0)
        abort();
    free(out);
    free(again);
    return 0;
}
