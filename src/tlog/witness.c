/*
 * tlog/witness.c - the witness role (C2SP tlog-witness add-checkpoint, tlog-cosignature v1)
 * and the log side of it (building the request, attaching the returned cosignatures).
 *
 * A witness follows logs by their verifier keys and remembers, per origin, the latest
 * checkpoint it cosigned. It cosigns a new checkpoint only when the log's signature verifies,
 * the client's old size equals the size it remembers (409 otherwise), and the consistency proof
 * from that size verifies against the root it remembers. A checkpoint that contradicts what it
 * cosigned (same size, another root; or no valid consistency proof) is a split view: refused
 * (422), and the request is kept in tlog_witness_refusals as evidence. The check and the update
 * run in one write transaction, so two requests cannot roll the witness back.
 */
#include "store/store.h"
#include "store/tlog_store.h"
#include "tlog/codec.h"
#include "tlog/log.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "util/error.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REQUEST (1u << 20)
#define MAX_PROOF_LINES 63

int trustreg_witness_init(trustreg_db *db, const char *name, const char *key_file)
{
    char *existing = NULL;
    int rc = tr_tlog_store_meta_get(db, "witness_name", &existing);
    if (!rc && existing)
        rc = tr_error(TRUSTREG_EUSAGE, "this database is already the witness \"%s\"", existing);
    free(existing);
    char *vkey = NULL;
    if (!rc)
        rc = tr_note_key_generate(name, TR_SIG_COSIGN_V1, key_file, &vkey);
    if (!rc)
        rc = tr_store_begin(db);
    if (!rc) {
        rc = tr_tlog_store_meta_set(db, "witness_name", name);
        if (!rc)
            rc = tr_tlog_store_meta_set(db, "witness_verifier_key", vkey);
        if (!rc)
            rc = tr_tlog_store_meta_set(db, "witness_key_file", key_file);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    free(vkey);
    return rc;
}

int trustreg_witness_vkey(trustreg_db *db, char **vkey)
{
    int rc = tr_tlog_store_meta_get(db, "witness_verifier_key", vkey);
    if (!rc && !*vkey)
        rc = tr_error(TRUSTREG_ENOTFOUND,
                      "this database is not a witness ('trustreg log witness init')");
    return rc;
}

int trustreg_witness_follow(trustreg_db *db, const char *log_vkey)
{
    tr_note_verifier v;
    int rc = tr_note_verifier_parse(log_vkey, &v);
    if (rc)
        return rc;
    if (v.type != TR_SIG_ED25519)
        return tr_error(TRUSTREG_EUSAGE, "a log's checkpoint key has type 0x01, not 0x%02x", v.type);
    tr_tlog_witness_row row;
    rc = tr_tlog_store_witness_get(db, v.name, &row);
    if (rc == TRUSTREG_OK) {
        int same = strcmp(row.vkey, log_vkey) == 0;
        tr_tlog_witness_row_clear(&row);
        return same ? TRUSTREG_OK
                    : tr_error(TRUSTREG_EUSAGE,
                               "this witness already follows %s with another key", v.name);
    }
    if (rc != TRUSTREG_ENOTFOUND)
        return rc;
    return tr_tlog_store_witness_add(db, v.name, log_vkey);
}

int trustreg_witness_request(trustreg_db *db, uint64_t old_size, char **body)
{
    *body = NULL;
    tr_tlog_checkpoint_row row;
    int rc = tr_tlog_store_get_checkpoint(db, UINT64_MAX, &row);
    if (rc)
        return rc;
    tr_buf b = {0};
    if (old_size > row.size)
        rc = tr_error(TRUSTREG_EUSAGE,
                      "the witness's size %" PRIu64 " is beyond the latest checkpoint (%" PRIu64 ")",
                      old_size, row.size);
    tr_buf_printf(&b, "old %" PRIu64 "\n", old_size);
    if (!rc && old_size > 0 && old_size < row.size) {
        trustreg_tlog_proof p;
        rc = trustreg_tlog_prove_consistency(db, old_size, row.size, &p);
        for (size_t i = 0; !rc && i < p.count; i++) {
            char *h = tr_b64(p.hashes[i], 32);
            tr_buf_printf(&b, "%s\n", h ? h : "");
            free(h);
        }
        trustreg_tlog_proof_clear(&p);
    }
    tr_buf_printf(&b, "\n%s", row.note);
    tr_tlog_checkpoint_row_clear(&row);
    if (!rc && b.failed)
        rc = tr_error_oom();
    if (rc) {
        tr_buf_free(&b);
        return rc;
    }
    *body = tr_buf_steal(&b);
    return TRUSTREG_OK;
}

void trustreg_witness_result_clear(trustreg_witness_result *r)
{
    free(r->cosignature);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

static int refuse(trustreg_witness_result *r, int status, int split, const char *fmt, ...)
    TR_PRINTF(4, 5);
static int refuse(trustreg_witness_result *r, int status, int split, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->status = status;
    r->split_view = split;
    free(r->reason);
    r->reason = tr_strdup(buf);
    return TRUSTREG_OK;
}

/* Parse "old N\n", proof lines, "\n", checkpoint note. Returns 0, or sets a 400 refusal. */
static int parse_request(const char *s, size_t len, uint64_t *old, tr_hash *proof, size_t *count,
                         const char **note, size_t *note_len, trustreg_witness_result *r)
{
    const char *end = s + len, *nl = memchr(s, '\n', len);
    if (!nl || nl - s < 5 || memcmp(s, "old ", 4) != 0)
        return refuse(r, 400, 0, "the request must start with \"old SIZE\""), -1;
    const char *d = s + 4;
    if (nl - d > 20 || (nl - d > 1 && *d == '0'))
        return refuse(r, 400, 0, "the old size is not a decimal without leading zeros"), -1;
    *old = 0;
    for (; d < nl; d++) {
        if (*d < '0' || *d > '9' || *old > (UINT64_MAX - 9) / 10)
            return refuse(r, 400, 0, "the old size is not a decimal number"), -1;
        *old = *old * 10 + (uint64_t)(*d - '0');
    }
    const char *p = nl + 1;
    *count = 0;
    for (;;) {
        nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (!nl)
            return refuse(r, 400, 0, "no blank line before the checkpoint"), -1;
        if (nl == p)
            break;
        size_t n = 0;
        uint8_t h[64];
        if (*count >= MAX_PROOF_LINES || tr_unb64(p, (size_t)(nl - p), h, sizeof h, &n) ||
            n != 32)
            return refuse(r, 400, 0, "consistency proof line %zu is not a base64 SHA-256 hash",
                          *count + 1),
                   -1;
        memcpy(proof[(*count)++], h, 32);
        p = nl + 1;
    }
    *note = nl + 1;
    *note_len = (size_t)(end - *note);
    return 0;
}

static int cosign(trustreg_db *db, const char *key_file, const char *body, size_t len,
                  trustreg_witness_result *r, char **origin_out)
{
    uint64_t old;
    tr_hash proof[MAX_PROOF_LINES];
    size_t count;
    const char *note_text;
    size_t note_len;
    if (parse_request(body, len, &old, proof, &count, &note_text, &note_len, r))
        return TRUSTREG_OK;
    tr_note note;
    if (tr_note_parse(note_text, note_len, "checkpoint", &note))
        return refuse(r, 400, 0, "%s", trustreg_error_last()->message);
    tr_checkpoint cp;
    int rc = TRUSTREG_OK;
    if (tr_checkpoint_parse(note.text, note.text_len, &cp) || cp.root_len != 32) {
        refuse(r, 400, 0, "not a checkpoint: %s", trustreg_error_last()->message);
        goto out;
    }
    *origin_out = tr_strdup(cp.origin);
    tr_tlog_witness_row known;
    int g = tr_tlog_store_witness_get(db, cp.origin, &known);
    if (g == TRUSTREG_ENOTFOUND) {
        refuse(r, 404, 0, "this witness does not follow the log \"%s\"", cp.origin);
        goto out;
    }
    if (g) {
        rc = g;
        goto out;
    }
    tr_note_verifier v;
    if (tr_note_verifier_parse(known.vkey, &v) || tr_note_verify(&note, &v, 1, NULL)) {
        refuse(r, 403, 0, "the checkpoint is not validly signed by the log's key: %s",
               trustreg_error_last()->message);
    } else if (old > cp.size) {
        refuse(r, 400, 0, "old size %" PRIu64 " is larger than the checkpoint size %" PRIu64,
               old, cp.size);
    } else if (old != known.size) {
        r->known_size = known.size;
        refuse(r, 409, 0, "this witness has cosigned size %" PRIu64 ", not %" PRIu64, known.size,
               old);
    } else {
        uint8_t empty[32];
        tr_merkle_empty_root(empty);
        int ok = 1;
        if (cp.size == 0 && memcmp(cp.root, empty, 32) != 0) {
            ok = 0;
            refuse(r, 422, 0, "a checkpoint of size 0 must have the empty tree's root");
        } else if (old == 0 && count != 0) {
            ok = 0;
            refuse(r, 422, 0, "from old size 0 the consistency proof must be empty");
        } else if (old > 0 && old == cp.size && memcmp(known.root, cp.root, 32) != 0) {
            ok = 0;
            refuse(r, 422, 1,
                   "SPLIT VIEW: the log signed two different roots for tree size %" PRIu64, old);
        } else if (old > 0 && old < cp.size &&
                   tr_merkle_verify_consistency(old, cp.size, known.root, 32, cp.root, 32, proof,
                                                count)) {
            ok = 0;
            refuse(r, 422, 1,
                   "SPLIT VIEW: the checkpoint of size %" PRIu64
                   " is not consistent with the one of size %" PRIu64 " this witness cosigned (%s)",
                   cp.size, old, trustreg_error_last()->message);
        }
        if (ok) {
            tr_note_signer s;
            char *line = NULL;
            rc = tr_note_signer_load(key_file, &s);
            if (!rc && s.type != TR_SIG_COSIGN_V1)
                rc = tr_error(TRUSTREG_EINPUT, "%s: not a cosigner (type 0x04) key", key_file);
            if (!rc)
                rc = tr_note_sign_line(&s, note.text, note.text_len, (uint64_t)time(NULL), &line);
            tr_note_signer_wipe(&s);
            if (!rc) {
                tr_buf full = {0};
                tr_buf_append(&full, note_text, note_len);
                tr_buf_puts(&full, line);
                rc = full.failed ? tr_error_oom()
                                 : tr_tlog_store_witness_update(db, cp.origin, cp.size, cp.root,
                                                                full.data);
                tr_buf_free(&full);
            }
            if (!rc) {
                r->status = 200;
                r->cosignature = line;
                line = NULL;
            }
            free(line);
        }
    }
    tr_tlog_witness_row_clear(&known);
out:
    tr_note_free(&note);
    return rc;
}

int trustreg_witness_add_checkpoint(trustreg_db *db, const char *key_file, const void *body,
                                    size_t len, trustreg_witness_result *result)
{
    memset(result, 0, sizeof *result);
    char *recorded = NULL;
    int rc = TRUSTREG_OK;
    if (len > MAX_REQUEST)
        return refuse(result, 400, 0, "request larger than %u bytes", MAX_REQUEST);
    if (!key_file) {
        rc = tr_tlog_store_meta_get(db, "witness_key_file", &recorded);
        if (!rc && !recorded)
            rc = tr_error(TRUSTREG_ENOTFOUND,
                          "this database is not a witness ('trustreg log witness init')");
        key_file = recorded;
    }
    char *origin = NULL;
    if (!rc)
        rc = tr_store_begin(db);
    if (!rc) {
        rc = cosign(db, key_file, body, len, result, &origin);
        /* evidence: a refused checkpoint from a log this witness follows */
        if (!rc && origin && result->status != 200 && result->status != 404)
            rc = tr_tlog_store_witness_refusal(db, origin, result->reason, body, len);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    free(origin);
    free(recorded);
    return rc;
}

int trustreg_witness_attach(trustreg_db *db, const char *witness_vkey, const char *lines)
{
    tr_note_verifier v;
    int rc = tr_note_verifier_parse(witness_vkey, &v);
    if (rc)
        return rc;
    if (v.type != TR_SIG_COSIGN_V1)
        return tr_error(TRUSTREG_EUSAGE, "a witness key has type 0x04, not 0x%02x", v.type);
    rc = tr_store_begin(db);
    if (rc)
        return rc;
    tr_tlog_checkpoint_row row;
    rc = tr_tlog_store_get_checkpoint(db, UINT64_MAX, &row);
    if (rc) {
        tr_store_rollback(db);
        return rc;
    }
    tr_buf full = {0};
    tr_buf_puts(&full, row.note);
    tr_buf_puts(&full, lines);
    if (lines[0] && lines[strlen(lines) - 1] != '\n')
        tr_buf_puts(&full, "\n");
    tr_note note;
    size_t verified = 0;
    rc = full.failed ? tr_error_oom() : tr_note_parse(full.data, full.len, "cosigned checkpoint", &note);
    if (!rc) {
        rc = tr_note_verify(&note, &v, 1, &verified);
        if (rc)
            tr_error_prefix("the cosignature does not verify for the latest checkpoint (size %" PRIu64 ")",
                            row.size);
        tr_note_free(&note);
    }
    if (!rc)
        rc = tr_tlog_store_put_checkpoint(db, row.size, row.root, full.data);
    if (!rc)
        rc = tr_store_commit(db);
    if (rc)
        tr_store_rollback(db);
    tr_buf_free(&full);
    tr_tlog_checkpoint_row_clear(&row);
    return rc;
}
