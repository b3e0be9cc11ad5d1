/*
 * registry/compare.c - placeholder, replaced below.
 */
#include "registry/internal.h"
#include "util/error.h"

int trustreg_compare(trustreg_registry *reg, int orgs, const char *const *refs, size_t n,
                     const trustreg_view *view, json_t **out)
{
    (void)reg; (void)orgs; (void)refs; (void)n; (void)view; (void)out;
    return tr_error(TRUSTREG_EINTERNAL, "compare not built yet");
}
