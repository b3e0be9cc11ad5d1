/*
 * tests/fuzz/fuzz_map_csv.c - fuzz harness for the mapping CSV reader (libcsv in strict mode,
 * header and record checks, control id splitting): any bytes must either give a model or fail
 * with a recorded message, never crash or leak.
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
    int rc = tr_map_read_csv(data, size, "fuzz.csv", &m);
    if (rc != TRUSTREG_OK && trustreg_error_last()->message[0] == '\0')
        abort();
    if (rc == TRUSTREG_OK)
        for (size_t i = 0; i < m.n; i++)
            for (size_t j = 0; j < m.mappings[i].n_maps; j++)
                if (!m.mappings[i].maps[j].n_sources || !m.mappings[i].maps[j].n_targets)
                    abort(); /* every map relates something to something */
    tr_map_model_free(&m);
    return 0;
}
