/*
 * tlog/verify.c - offline verification of a bundle (docs/tlog.md): every check is listed in the
 * report, the first failing one stops verification with its precise reason.
 *
 *   1. the bundle is well-formed JSON of the expected shape
 *   2. the checkpoint is a signed note with a valid signature by a trusted log key
 *   3. every trusted witness key has a valid cosignature on it
 *   4. the checkpoint body is a tlog-checkpoint of the bundle's tree size
 *   5. the statement's canonical JSON (RFC 8785) hashes to the leaf
 *   6. the inclusion proof leads from that leaf to the checkpoint's root
 *   7. when the statement is a DSSE envelope: a trusted signer's signature verifies and the
 *      payload is an in-toto Statement v1
 */
#include "tlog/codec.h"
#include "tlog/dsse.h"
#include "tlog/jcs.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "util/error.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUNDLE (64u << 20)

static const char MEDIA_TYPE[] = "application/vnd.trustreg.tlog-bundle.v1+json";

typedef struct report {
    json_t *checks;
} report;

static void check(report *r, const char *fmt, ...) TR_PRINTF(2, 3);
static void check(report *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(r->checks, json_string(buf));
}

static int parse_keys(const char *what, const char *const *strs, size_t n, uint8_t type,
                      tr_note_verifier *out)
{
    for (size_t i = 0; i < n; i++) {
        int rc = tr_note_verifier_parse(strs[i], &out[i]);
        if (rc) {
            tr_error_prefix("%s %s", what, strs[i]);
            return rc;
        }
        if (out[i].type != type)
            return tr_error(TRUSTREG_EUSAGE, "%s %s: expected a key of type 0x%02x, not 0x%02x",
                            what, strs[i], type, out[i].type);
    }
    return TRUSTREG_OK;
}

static int get_u64(json_t *b, const char *key, const char *source, uint64_t *out)
{
    json_t *v = json_object_get(b, key);
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/%s", key);
    /* numbers are read as doubles (as canonical JSON does): exact up to 2^53 */
    double d = json_number_value(v);
    if (!json_is_number(v) || d < 0 || d > 9007199254740992.0 || d != (double)(uint64_t)d)
        return tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected a non-negative integer");
    *out = (uint64_t)d;
    return TRUSTREG_OK;
}

static int verify(json_t *b, const char *source, const trustreg_tlog_trust *trust, report *r,
                  json_t *out)
{
    int rc;
    if (!json_is_object(b))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "", "a bundle is a JSON object");
    const char *mt = json_string_value(json_object_get(b, "media_type"));
    if (!mt || strcmp(mt, MEDIA_TYPE) != 0)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/media_type", "expected \"%s\"", MEDIA_TYPE);
    uint64_t index = 0, size = 0;
    if ((rc = get_u64(b, "leaf_index", source, &index)) ||
        (rc = get_u64(b, "tree_size", source, &size)))
        return rc;
    json_t *statement = json_object_get(b, "statement");
    if (!statement)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/statement", "required member missing");
    json_t *jproof = json_object_get(b, "inclusion_proof");
    if (!json_is_array(jproof) || json_array_size(jproof) > TR_MERKLE_MAX_PROOF)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/inclusion_proof",
                            "expected an array of at most %d base64 hashes", TR_MERKLE_MAX_PROOF);
    tr_hash proof[TR_MERKLE_MAX_PROOF];
    size_t count = json_array_size(jproof);
    for (size_t i = 0; i < count; i++) {
        const char *s = json_string_value(json_array_get(jproof, i));
        size_t n = 0;
        uint8_t buf[64];
        if (!s || tr_unb64(s, strlen(s), buf, sizeof buf, &n) || n != 32) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/inclusion_proof/%zu", i);
            return tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected a base64 SHA-256 hash");
        }
        memcpy(proof[i], buf, 32);
    }
    const char *cp_text = json_string_value(json_object_get(b, "checkpoint"));
    if (!cp_text)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/checkpoint",
                            "expected the signed checkpoint note as a string");
    check(r, "bundle: well-formed (%s)", MEDIA_TYPE);

    /* 2-3: signatures on the checkpoint */
    size_t nk = trust->n_log_keys + trust->n_witness_keys;
    if (trust->n_log_keys == 0)
        return tr_error(TRUSTREG_EUSAGE, "no log key to verify the checkpoint with (--log-key)");
    tr_note_verifier *keys = calloc(nk, sizeof *keys);
    if (!keys)
        return tr_error_oom();
    rc = parse_keys("log key", trust->log_keys, trust->n_log_keys, TR_SIG_ED25519, keys);
    if (!rc)
        rc = parse_keys("witness key", trust->witness_keys, trust->n_witness_keys,
                        TR_SIG_COSIGN_V1, keys + trust->n_log_keys);
    tr_note note;
    memset(&note, 0, sizeof note);
    if (!rc)
        rc = tr_note_parse(cp_text, strlen(cp_text), "checkpoint", &note);
    if (!rc)
        rc = tr_note_verify(&note, keys, nk, NULL);
    if (!rc) {
        /* the log's own signature is required; cosignatures alone do not do */
        const tr_note_sig *logsig = NULL;
        for (size_t i = 0; i < note.nsigs && !logsig; i++)
            for (size_t k = 0; k < trust->n_log_keys; k++)
                if (note.sigs[i].verified && note.sigs[i].id == keys[k].id &&
                    strcmp(note.sigs[i].name, keys[k].name) == 0)
                    logsig = &note.sigs[i];
        if (!logsig)
            rc = tr_error(TRUSTREG_EINPUT, "checkpoint: no valid signature by the log key");
        else
            check(r, "checkpoint: Ed25519 signature by log key %s+%08" PRIx32 " verifies",
                  logsig->name, logsig->id);
    }
    for (size_t w = 0; !rc && w < trust->n_witness_keys; w++) {
        const tr_note_verifier *wk = &keys[trust->n_log_keys + w];
        const tr_note_sig *found = NULL;
        for (size_t i = 0; i < note.nsigs; i++)
            if (note.sigs[i].verified && note.sigs[i].id == wk->id &&
                strcmp(note.sigs[i].name, wk->name) == 0)
                found = &note.sigs[i];
        if (!found)
            rc = tr_error(TRUSTREG_EINPUT, "checkpoint: no cosignature by witness %s+%08" PRIx32,
                          wk->name, wk->id);
        else
            check(r, "checkpoint: cosignature by witness %s+%08" PRIx32 " (time %" PRIu64
                     ") verifies",
                  wk->name, wk->id, found->timestamp);
    }
    free(keys);
    /* 4: the checkpoint body */
    tr_checkpoint cp;
    if (!rc)
        rc = tr_checkpoint_parse(note.text, note.text_len, &cp);
    if (!rc && cp.root_len != 32)
        rc = tr_error(TRUSTREG_EINPUT, "checkpoint: the root hash has %zu bytes, not 32",
                      cp.root_len);
    if (!rc && cp.size != size)
        rc = tr_error(TRUSTREG_EINPUT,
                      "checkpoint is for tree size %" PRIu64 ", the bundle says %" PRIu64,
                      cp.size, size);
    if (!rc) {
        char *root = tr_b64(cp.root, 32);
        check(r, "checkpoint: origin %s, tree size %" PRIu64 ", root %s", cp.origin, cp.size,
              root ? root : "");
        json_object_set_new(out, "origin", json_string(cp.origin));
        json_object_set_new(out, "root", json_string(root ? root : ""));
        free(root);
    }
    tr_note_free(&note);
    if (rc)
        return rc;

    /* 5: the leaf */
    tr_buf canon = {0};
    rc = tr_jcs_dump(statement, &canon);
    if (!rc && canon.failed)
        rc = tr_error_oom();
    uint8_t leaf[32];
    if (!rc) {
        tr_merkle_leaf(canon.data, canon.len, leaf);
        char *l64 = tr_b64(leaf, 32);
        check(r, "statement: %zu bytes of canonical JSON (RFC 8785), leaf hash %s", canon.len,
              l64 ? l64 : "");
        json_object_set_new(out, "leaf_hash", json_string(l64 ? l64 : ""));
        free(l64);
    }
    tr_buf_free(&canon);
    /* 6: inclusion */
    if (!rc)
        rc = tr_merkle_verify_inclusion(index, size, leaf, 32, proof, count, cp.root, 32);
    if (!rc)
        check(r, "inclusion: leaf %" PRIu64 " is in the tree of size %" PRIu64
                 " (%zu proof hashes, RFC 9162)",
              index, size, count);
    /* 7: attestation */
    if (!rc && tr_dsse_looks_like_envelope(statement)) {
        if (trust->n_signer_keys == 0) {
            rc = tr_error(TRUSTREG_EINPUT,
                          "the statement is a DSSE envelope: give the attestation signer's key "
                          "with --signer-key to verify it");
        } else {
            tr_note_verifier *sk = calloc(trust->n_signer_keys, sizeof *sk);
            size_t verified = 0;
            json_t *payload = NULL;
            rc = sk ? parse_keys("signer key", trust->signer_keys, trust->n_signer_keys,
                                 TR_SIG_ED25519, sk)
                    : tr_error_oom();
            if (!rc)
                rc = tr_dsse_verify_json(statement, "statement", sk, trust->n_signer_keys,
                                         &payload, &verified);
            if (!rc) {
                check(r, "attestation: %zu DSSE signature(s) by trusted signer keys verify",
                      verified);
                check(r, "attestation: in-toto Statement v1, predicate type %s",
                      json_string_value(json_object_get(payload, "predicateType")));
                json_t *subj = json_object_get(payload, "subject");
                for (size_t i = 0; i < json_array_size(subj); i++) {
                    json_t *s = json_array_get(subj, i);
                    const char *name = json_string_value(json_object_get(s, "name"));
                    const char *sha = json_string_value(
                        json_object_get(json_object_get(s, "digest"), "sha256"));
                    check(r, "attestation subject: %s sha256:%s", name ? name : "(unnamed)",
                          sha ? sha : "(none)");
                }
                json_object_set_new(out, "attestation", payload);
                payload = NULL;
            }
            json_decref(payload);
            free(sk);
        }
    }
    return rc;
}

int trustreg_tlog_verify_bundle(const void *bundle, size_t len, const char *source,
                                const trustreg_tlog_trust *trust, json_t **report_out)
{
    if (report_out)
        *report_out = NULL;
    if (!source)
        source = "bundle";
    report r = {json_array()};
    json_t *out = json_object();
    int rc;
    json_t *b = NULL;
    if (len > MAX_BUNDLE) {
        rc = tr_error(TRUSTREG_EINPUT, "%s: larger than %u bytes", source, MAX_BUNDLE);
    } else {
        json_error_t err;
        b = json_loadb(bundle, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err);
        rc = b ? TRUSTREG_OK
               : tr_error_at(TRUSTREG_EINPUT, source, err.line, err.column, "%s", err.text);
    }
    if (!rc)
        rc = verify(b, source, trust, &r, out);
    json_decref(b);
    json_object_set_new(out, "verified", json_boolean(rc == TRUSTREG_OK));
    json_object_set_new(out, "checks", r.checks);
    if (rc)
        json_object_set_new(out, "error", json_string(trustreg_error_last()->message));
    if (report_out)
        *report_out = out;
    else
        json_decref(out);
    return rc;
}
