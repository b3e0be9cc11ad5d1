/*
 * trustreg/trustreg.h - umbrella header of libtrustreg, the cloud assurance registry library.
 * Include this, or the module headers one by one. All names are trustreg_* / TRUSTREG_*.
 */
#ifndef TRUSTREG_TRUSTREG_H
#define TRUSTREG_TRUSTREG_H

#include "errors.h"
#include "db.h"
#include "oscal.h"
#include "catalog.h"
#include "resolve.h"
#include "validate.h"
#include "ccm.h"
#include "tlog.h"
#include "registry.h"

/* The library version, "MAJOR.MINOR.PATCH". */
const char *trustreg_version(void);

#endif
