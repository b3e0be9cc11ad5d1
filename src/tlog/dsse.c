/*
 * tlog/dsse.c - attestations: in-toto Statement v1 payloads in DSSE envelopes signed with
 * Ed25519 (the assessor's signed-note key).
 *
 * DSSE signs PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in
 * ASCII decimal. A signature's keyid is the signer's "name+hexkeyid", so verification picks the
 * trusted verifier key by it: a signature by a trusted key must verify, unknown keyids are
 * ignored, and at least one must verify. The payload is the statement's canonical JSON.
 */
#include "tlog/dsse.h"
#include "tlog/codec.h"
#include "tlog/jcs.h"
#include "tlog/note.h"
#include "util/error.h"
#include "util/file.h"
#include "util/mem.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENVELOPE (16u << 20)
#define MAX_SIGNATURES 16

static const char *const PAYLOAD_TYPE = "application/vnd.in-toto+json";

static int pae(const char *type, const uint8_t *body, size_t len, uint8_t **out, size_t *out_len)
{
    tr_buf b = {0};
    tr_buf_printf(&b, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
    tr_buf_append(&b, (const char *)body, len);
    if (b.failed) {
        tr_buf_free(&b);
        return tr_error_oom();
    }
    *out_len = b.len;
    *out = (uint8_t *)b.data;
    return TRUSTREG_OK;
}

static int is_hex(const char *s, size_t want)
{
    size_t n = strlen(s);
    if (want && n != want)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return n > 0;
}

int tr_intoto_check(const json_t *st, const char *source)
{
    if (!json_is_object(st))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "", "an in-toto statement is a JSON object");
    const char *type = json_string_value(json_object_get(st, "_type"));
    if (!type || strcmp(type, "https://in-toto.io/Statement/v1") != 0)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/_type",
                            "expected \"https://in-toto.io/Statement/v1\"");
    json_t *subject = json_object_get(st, "subject");
    if (!json_is_array(subject) || json_array_size(subject) == 0)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/subject",
                            "expected a non-empty array of subjects");
    for (size_t i = 0; i < json_array_size(subject); i++) {
        char ptr[64];
        json_t *s = json_array_get(subject, i);
        json_t *digest = json_object_get(s, "digest");
        snprintf(ptr, sizeof ptr, "/subject/%zu/digest", i);
        if (!json_is_object(digest) || json_object_size(digest) == 0)
            return tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected an object of digests");
        const char *alg;
        json_t *v;
        json_object_foreach(digest, alg, v)
        {
            if (!json_is_string(v) || !is_hex(json_string_value(v), 0))
                return tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                                    "digest \"%s\" must be lowercase hex", alg);
            if (strcmp(alg, "sha256") == 0 && strlen(json_string_value(v)) != 64)
                return tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                                    "a sha256 digest has 64 hex digits");
        }
        json_t *name = json_object_get(s, "name");
        if (name && !json_is_string(name)) {
            snprintf(ptr, sizeof ptr, "/subject/%zu/name", i);
            return tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected a string");
        }
    }
    if (!json_is_string(json_object_get(st, "predicateType")))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/predicateType", "expected a string (URI)");
    json_t *pred = json_object_get(st, "predicate");
    if (pred && !json_is_object(pred))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/predicate", "expected an object");
    return TRUSTREG_OK;
}

int trustreg_dsse_sign(const void *statement, size_t len, const char *key_file, char **envelope)
{
    *envelope = NULL;
    json_t *st = NULL;
    int rc = tr_jcs_parse(statement, len, "statement", &st);
    if (!rc)
        rc = tr_intoto_check(st, "statement");
    tr_buf payload = {0};
    if (!rc)
        rc = tr_jcs_dump(st, &payload);
    json_decref(st);
    tr_note_signer s;
    memset(&s, 0, sizeof s);
    if (!rc)
        rc = tr_note_signer_load(key_file, &s);
    if (!rc && s.type != TR_SIG_ED25519)
        rc = tr_error(TRUSTREG_EINPUT, "%s: attestations are signed with an Ed25519 (type 0x01) key",
                      key_file);
    uint8_t *msg = NULL;
    size_t mlen = 0;
    if (!rc)
        rc = pae(PAYLOAD_TYPE, (const uint8_t *)payload.data, payload.len, &msg, &mlen);
    if (!rc) {
        uint8_t sig[crypto_sign_BYTES];
        crypto_sign_detached(sig, NULL, msg, mlen, s.sk);
        char *p64 = tr_b64(payload.data, payload.len), *s64 = tr_b64(sig, sizeof sig);
        char keyid[TR_KEY_NAME_MAX + 16];
        snprintf(keyid, sizeof keyid, "%s+%08" PRIx32, s.name, s.id);
        json_t *env = p64 && s64 ? json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payload", p64,
                                             "payloadType", PAYLOAD_TYPE, "signatures", "keyid",
                                             keyid, "sig", s64)
                                 : NULL;
        tr_buf out = {0};
        rc = env ? tr_jcs_dump(env, &out) : tr_error_oom();
        if (!rc)
            *envelope = tr_buf_steal(&out);
        if (!rc && !*envelope)
            rc = tr_error_oom();
        tr_buf_free(&out);
        json_decref(env);
        free(p64);
        free(s64);
    }
    tr_note_signer_wipe(&s);
    free(msg);
    tr_buf_free(&payload);
    return rc;
}

int tr_dsse_looks_like_envelope(const json_t *v)
{
    return json_is_object(v) && json_object_get(v, "payloadType") &&
           json_object_get(v, "payload") && json_object_get(v, "signatures");
}

int tr_dsse_verify_json(const json_t *env, const char *source, const tr_note_verifier *keys,
                        size_t nkeys, json_t **statement, size_t *verified)
{
    if (statement)
        *statement = NULL;
    *verified = 0;
    if (!json_is_object(env))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "", "a DSSE envelope is a JSON object");
    const char *type = json_string_value(json_object_get(env, "payloadType"));
    const char *p64 = json_string_value(json_object_get(env, "payload"));
    json_t *sigs = json_object_get(env, "signatures");
    if (!type)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/payloadType", "expected a string");
    if (strcmp(type, PAYLOAD_TYPE) != 0)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/payloadType", "expected \"%s\", found \"%s\"",
                            PAYLOAD_TYPE, type);
    if (!p64)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/payload", "expected a base64 string");
    if (!json_is_array(sigs) || json_array_size(sigs) == 0 ||
        json_array_size(sigs) > MAX_SIGNATURES)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/signatures",
                            "expected an array of 1 to %d signatures", MAX_SIGNATURES);
    size_t plen = strlen(p64);
    if (plen > MAX_ENVELOPE)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/payload", "payload too large");
    uint8_t *payload = malloc(plen / 4 * 3 + 3);
    size_t n = 0;
    if (!payload)
        return tr_error_oom();
    if (tr_unb64(p64, plen, payload, plen / 4 * 3 + 3, &n)) {
        free(payload);
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/payload", "not valid base64");
    }
    uint8_t *msg = NULL;
    size_t mlen = 0;
    int rc = pae(type, payload, n, &msg, &mlen);
    for (size_t i = 0; !rc && i < json_array_size(sigs); i++) {
        json_t *s = json_array_get(sigs, i);
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/signatures/%zu", i);
        const char *keyid = json_string_value(json_object_get(s, "keyid"));
        const char *sig64 = json_string_value(json_object_get(s, "sig"));
        if (!sig64) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected \"sig\" (base64)");
            break;
        }
        for (size_t k = 0; keyid && k < nkeys; k++) {
            char want[TR_KEY_NAME_MAX + 16];
            snprintf(want, sizeof want, "%s+%08" PRIx32, keys[k].name, keys[k].id);
            if (strcmp(want, keyid) != 0)
                continue;
            uint8_t sig[128];
            size_t slen = 0;
            if (tr_unb64(sig64, strlen(sig64), sig, sizeof sig, &slen) ||
                slen != crypto_sign_BYTES ||
                crypto_sign_verify_detached(sig, msg, mlen, keys[k].pk) != 0) {
                rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                                  "the DSSE signature by %s does not verify", keyid);
                break;
            }
            (*verified)++;
        }
    }
    if (!rc && *verified == 0)
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, "/signatures",
                          "no DSSE signature is by a trusted signer key (keyid %s)",
                          json_string_value(json_object_get(json_array_get(sigs, 0), "keyid"))
                              ? json_string_value(
                                    json_object_get(json_array_get(sigs, 0), "keyid"))
                              : "missing");
    json_t *st = NULL;
    if (!rc)
        rc = tr_jcs_parse(payload, n, "DSSE payload", &st);
    if (!rc)
        rc = tr_intoto_check(st, "DSSE payload");
    if (!rc && statement)
        *statement = json_incref(st);
    json_decref(st);
    free(payload);
    free(msg);
    return rc;
}

int trustreg_dsse_verify(const void *envelope, size_t len, const char *source,
                         const char *const *signer_keys, size_t n, json_t **statement)
{
    if (statement)
        *statement = NULL;
    if (len > MAX_ENVELOPE)
        return tr_error(TRUSTREG_EINPUT, "%s: envelope larger than %u bytes", source, MAX_ENVELOPE);
    tr_note_verifier *keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return tr_error_oom();
    int rc = TRUSTREG_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = tr_note_verifier_parse(signer_keys[i], &keys[i]);
    json_t *env = NULL;
    if (!rc)
        rc = tr_jcs_parse(envelope, len, source, &env);
    size_t verified = 0;
    if (!rc)
        rc = tr_dsse_verify_json(env, source, keys, n, statement, &verified);
    json_decref(env);
    free(keys);
    return rc;
}

int trustreg_dsse_sign_file(const char *path, const char *key_file, char **envelope)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tr_file_read(path, MAX_ENVELOPE, &data, &len);
    if (!rc)
        rc = trustreg_dsse_sign(data, len, key_file, envelope);
    free(data);
    return rc;
}

int trustreg_tlog_keygen(const char *name, int cosigner, const char *key_file, char **vkey)
{
    return tr_note_key_generate(name, cosigner ? TR_SIG_COSIGN_V1 : TR_SIG_ED25519, key_file,
                                vkey);
}
