/*
 * tlog/jcs.h - RFC 8785 canonical JSON (see jcs.c); the public entry point is
 * trustreg_jcs_canonicalize in trustreg/tlog.h.
 */
#ifndef TR_TLOG_JCS_H
#define TR_TLOG_JCS_H

#include <stddef.h>
#include <jansson.h>

#include "util/mem.h"

/* Parse JSON the way JCS reads it (numbers as doubles, duplicate names refused). */
int tr_jcs_parse(const void *json, size_t len, const char *source, json_t **out);
/* Append the canonical form of v to b. */
int tr_jcs_dump(const json_t *v, tr_buf *b);
/* ECMAScript Number::toString of a finite double. */
void tr_jcs_number(double d, char out[32]);

#endif
