/*
 * registry/demo.c - placeholder, replaced below.
 */
#include "registry/internal.h"
#include "util/error.h"

int trustreg_demo_generate(trustreg_registry *reg, const trustreg_demo_opts *opts,
                           trustreg_demo_counts *counts)
{
    (void)reg;
    (void)opts;
    (void)counts;
    return tr_error(TRUSTREG_EINTERNAL, "demo generator not built yet");
}
