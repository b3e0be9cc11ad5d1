/*
 * tests/fuzz/fuzz_xlsx.c - fuzz harness for the xlsx reader (ccm/xlsx.c, ccm/xlsx_table.c): any
 * bytes must open and load every sheet as a table, or fail with a recorded error; never crash,
 * leak or exceed the reader's bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ccm/xlsx.h"
#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tr_xlsx *x = NULL;
    if (tr_xlsx_open_mem(&x, data, size, "fuzz.xlsx") != TRUSTREG_OK) {
        if (trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    for (size_t i = 0; i < tr_xlsx_sheet_count(x) && i < 8; i++) {
        tr_table *t = NULL;
        if (tr_xlsx_sheet_table(x, i, &t) != TRUSTREG_OK) {
            if (trustreg_error_last()->message[0] == '\0')
                abort();
            continue;
        }
        /* touch every cell */
        size_t total = 0;
        for (size_t r = 0; r < t->n_rows; r++)
            for (uint32_t c = 0; c < t->rows[r].n; c++)
                total += t->rows[r].cells[c].text[0] != '\0';
        (void)total;
        tr_table_free(t);
    }
    tr_xlsx_close(x);
    return 0;
}
