/*
 * tlog/dsse.h - DSSE envelopes of in-toto Statement v1 (see dsse.c).
 */
#ifndef TR_TLOG_DSSE_H
#define TR_TLOG_DSSE_H

#include <stddef.h>
#include <jansson.h>

#include "tlog/note.h"
#include "trustreg/tlog.h"

/* Check the shape of an in-toto Statement v1 (type, subjects with hex digests, predicateType). */
int tr_intoto_check(const json_t *st, const char *source);
/* An object with payloadType, payload and signatures. */
int tr_dsse_looks_like_envelope(const json_t *v);
/* Verify a parsed envelope; *statement (optional) gets the payload; *verified counts. */
int tr_dsse_verify_json(const json_t *env, const char *source, const tr_note_verifier *keys,
                        size_t nkeys, json_t **statement, size_t *verified);

#endif
