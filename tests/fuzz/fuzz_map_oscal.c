/*
 * tests/fuzz/fuzz_map_oscal.c - fuzz harness for the OSCAL mapping-collection walker (on top of
 * the OSCAL reader): any bytes must either give a model or fail with a message; no file is
 * looked up (no base folder), nothing crashes or leaks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ccm/map_model.h"
#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tr_map_model m;
    int rc = tr_map_read_oscal(data, size, "fuzz.json", NULL, &m);
    if (rc != TRUSTREG_OK && trustreg_error_last()->message[0] == '\0')
        abort();
    if (rc == TRUSTREG_OK && !m.head)
        abort();
    tr_map_model_free(&m);
    return 0;
}
