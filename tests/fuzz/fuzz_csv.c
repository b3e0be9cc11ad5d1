/*
 * tests/fuzz/fuzz_csv.c - fuzz harness for the CSV reader (libcsv in strict RFC 4180 mode behind
 * ccm/xlsx_table.c): any bytes load as a table or fail with a recorded error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ccm/xlsx.h"
#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tr_table *t = NULL;
    if (tr_csv_table_mem(data, size, "fuzz.csv", &t) != TRUSTREG_OK) {
        if (trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    for (uint32_t r = 1; r <= 4; r++)
        (void)tr_table_get(t, r, 1);
    tr_table_free(t);
    return 0;
}
