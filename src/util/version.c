/*
 * util/version.c - the library version string.
 */
#include "trustreg/trustreg.h"

const char *trustreg_version(void)
{
    return TRUSTREG_VERSION;
}
