/*
 * tests/unit/test_tlog_note.c - C2SP signed notes, keys and checkpoints against the shared
 * vectors (../shared/data/tlog/notes.json): every signed note verifies, deterministic Ed25519
 * re-signing reproduces the published signature lines, key pairs derive their verifier keys,
 * malformed verifier keys and notes are rejected, checkpoint bodies parse; cosignatures (type
 * 0x04) sign and verify and fail when tampered with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "tlog/codec.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "trustreg/errors.h"

static json_t *notes(void)
{
    json_error_t err;
    json_t *j = json_load_file(tu_shared("tlog/notes.json"), 0, &err);
    assert_non_null(j);
    return j;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_signed_notes_verify(void **state)
{
    (void)state;
    json_t *n = notes();
    json_t *list = json_object_get(n, "signed_notes");
    assert_int_equal(json_array_size(list), 3);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        const char *msg = str(e, "signed_note");
        json_t *keys = json_object_get(e, "keys");
        size_t nk = json_array_size(keys);
        tr_note_verifier v[4];
        for (size_t k = 0; k < nk; k++)
            assert_int_equal(tr_note_verifier_parse(str(json_array_get(keys, k), "verifier_key"), &v[k]), 0);
        tr_note note;
        assert_int_equal(tr_note_parse(msg, strlen(msg), "vector", &note), 0);
        assert_string_equal(note.text, str(e, "note_text"));
        assert_int_equal(note.nsigs, json_array_size(json_object_get(e, "signature_lines")));
        size_t verified = 0;
        assert_int_equal(tr_note_verify(&note, v, nk, &verified), 0);
        assert_int_equal(verified, nk);
        /* with only the first key: one verified, the other ignored */
        assert_int_equal(tr_note_verify(&note, v, 1, &verified), 0);
        assert_int_equal(verified, 1);
        /* with no known key: rejected */
        assert_int_not_equal(tr_note_verify(&note, v, 0, &verified), 0);
        /* re-signing with the signer key reproduces the line (Ed25519 is deterministic) */
        for (size_t k = 0; k < nk; k++) {
            const char *skey = str(json_array_get(keys, k), "signer_key");
            char built[256];
            if (!skey && strcmp(str(json_array_get(keys, k), "key_name"), "EnochRoot") == 0) {
                /* README: generated from an all-zero seed */
                uint8_t raw[33] = {TR_SIG_ED25519};
                char *b = tr_b64(raw, sizeof raw);
                snprintf(built, sizeof built, "PRIVATE+KEY+EnochRoot+af0cfe78+%s", b);
                free(b);
                skey = built;
            }
            if (!skey)
                continue;
            tr_note_signer s;
            assert_int_equal(tr_note_signer_parse(skey, &s), 0);
            char *line = NULL;
            assert_int_equal(tr_note_sign_line(&s, note.text, note.text_len, 0, &line), 0);
            char want[512];
            snprintf(want, sizeof want, "%s\n", json_string_value(json_array_get(json_object_get(e, "signature_lines"), k)));
            assert_string_equal(line, want);
            free(line);
            tr_note_signer_wipe(&s);
        }
        tr_note_free(&note);
    }
    json_decref(n);
}

static void test_key_pairs(void **state)
{
    (void)state;
    json_t *n = notes();
    json_t *list = json_object_get(n, "key_pairs");
    assert_int_equal(json_array_size(list), 10);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        tr_note_signer s;
        tr_note_verifier v, derived;
        assert_int_equal(tr_note_signer_parse(str(e, "signer_key"), &s), 0);
        assert_int_equal(tr_note_verifier_parse(str(e, "verifier_key"), &v), 0);
        assert_string_equal(s.name, str(e, "key_name"));
        tr_note_signer_verifier(&s, &derived);
        char *f = tr_note_verifier_format(&derived);
        assert_string_equal(f, str(e, "verifier_key"));
        free(f);
        /* a verifier key is not a signer key */
        assert_int_not_equal(tr_note_signer_parse(str(e, "verifier_key"), &s), 0);
        tr_note_signer_wipe(&s);
    }
    json_t *cases = json_object_get(n, "verifier_key_cases");
    assert_int_equal(json_array_size(cases), 3);
    for (size_t i = 0; i < json_array_size(cases); i++) {
        json_t *e = json_array_get(cases, i);
        tr_note_verifier v;
        int ok = tr_note_verifier_parse(str(e, "verifier_key"), &v) == 0;
        assert_int_equal(ok, json_is_true(json_object_get(e, "valid_as_verifier_key")));
    }
    json_decref(n);
}

static void test_failing_notes(void **state)
{
    (void)state;
    json_t *n = notes();
    json_t *list = json_object_get(n, "failing_notes");
    assert_int_equal(json_array_size(list), 8);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        const char *hex = str(e, "message_hex");
        size_t len = strlen(hex) / 2;
        uint8_t *msg = malloc(len);
        assert_int_equal(tr_unhex(hex, msg, len), 0);
        tr_note_verifier v;
        assert_int_equal(tr_note_verifier_parse(json_string_value(json_array_get(json_object_get(e, "verifier_keys"), 0)), &v), 0);
        tr_note note;
        int rc = tr_note_parse(msg, len, "vector", &note);
        if (rc == 0) {
            rc = tr_note_verify(&note, &v, 1, NULL);
            tr_note_free(&note);
        }
        if (rc == 0)
            fail_msg("failing note %zu was accepted", i);
        free(msg);
    }
    json_decref(n);
}

static void test_checkpoint_bodies(void **state)
{
    (void)state;
    json_t *n = notes();
    json_t *list = json_object_get(n, "checkpoint_bodies");
    assert_int_equal(json_array_size(list), 3);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        const char *text = str(e, "text");
        tr_checkpoint cp;
        assert_int_equal(tr_checkpoint_parse(text, strlen(text), &cp), 0);
        assert_string_equal(cp.origin, str(e, "origin"));
        assert_int_equal(cp.size, (uint64_t)json_integer_value(json_object_get(e, "tree_size")));
        const char *ascii = str(e, "root_hash_ascii");
        if (ascii) {
            assert_int_equal(cp.root_len, strlen(ascii));
            assert_memory_equal(cp.root, ascii, cp.root_len);
        } else {
            uint8_t want[32];
            tr_merkle_leaf("hello world", 11, want);
            assert_int_equal(cp.root_len, 32);
            assert_memory_equal(cp.root, want, 32);
            char *f = tr_checkpoint_format(cp.origin, cp.size, cp.root);
            assert_string_equal(f, text);
            free(f);
        }
    }
    const char *bad[] = {"Log\n123\n", "Log\n0123\nYmFuYW5hcw==\n", "\n1\nYmFuYW5hcw==\n",
                         "Log\n1\nYmFuYW5hcw==\n\n", "Log\n1x\nYmFuYW5hcw==\n", "Log\n1\n!!\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tr_checkpoint cp;
        assert_int_not_equal(tr_checkpoint_parse(bad[i], strlen(bad[i]), &cp), 0);
    }
    json_decref(n);
}

static void test_keygen_and_cosignature(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char path[4200], wpath[4200];
    snprintf(path, sizeof path, "%s/k/log.key", dir);
    snprintf(wpath, sizeof wpath, "%s/w.key", dir);
    char *vkey = NULL, *wvkey = NULL;
    assert_int_equal(tr_note_key_generate("log.example/l", TR_SIG_ED25519, path, &vkey), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *again = NULL;
    assert_int_not_equal(tr_note_key_generate("log.example/l", TR_SIG_ED25519, path, &again), 0);
    assert_int_equal(tr_note_key_generate("witness.example/w", TR_SIG_COSIGN_V1, wpath, &wvkey), 0);
    tr_note_signer ls, ws;
    tr_note_verifier v[2];
    assert_int_equal(tr_note_signer_load(path, &ls), 0);
    assert_int_equal(tr_note_signer_load(wpath, &ws), 0);
    assert_int_equal(tr_note_verifier_parse(vkey, &v[0]), 0);
    assert_int_equal(tr_note_verifier_parse(wvkey, &v[1]), 0);
    assert_int_equal(v[1].type, TR_SIG_COSIGN_V1);
    uint8_t root[32];
    tr_merkle_empty_root(root);
    char *text = tr_checkpoint_format("log.example/l", 0, root);
    char *l1, *l2;
    assert_int_equal(tr_note_sign_line(&ls, text, strlen(text), 0, &l1), 0);
    assert_int_equal(tr_note_sign_line(&ws, text, strlen(text), 1679315147, &l2), 0);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s\n%s%s", text, l1, l2);
    tr_note note;
    size_t verified;
    assert_int_equal(tr_note_parse(msg, strlen(msg), "t", &note), 0);
    assert_int_equal(tr_note_verify(&note, v, 2, &verified), 0);
    assert_int_equal(verified, 2);
    assert_int_equal(note.sigs[1].timestamp, 1679315147);
    tr_note_free(&note);
    /* a cosignature verified as a plain note signature (wrong type) fails */
    tr_note_verifier wrong = v[1];
    wrong.type = TR_SIG_ED25519;
    assert_int_equal(tr_note_parse(msg, strlen(msg), "t", &note), 0);
    assert_int_not_equal(tr_note_verify(&note, &wrong, 1, &verified), 0);
    tr_note_free(&note);
    /* the timestamp is signed: changing it breaks the cosignature */
    char *p = strstr(msg, l2) + strlen("\xe2\x80\x94 witness.example/w ");
    p[10] = p[10] == 'A' ? 'B' : 'A';
    assert_int_equal(tr_note_parse(msg, strlen(msg), "t", &note), 0);
    assert_int_not_equal(tr_note_verify(&note, v, 2, &verified), 0);
    tr_note_free(&note);
    /* a key file others can read is refused */
    chmod(path, 0644);
    assert_int_equal(tr_note_signer_load(path, &ls), TRUSTREG_EINPUT);
    assert_non_null(strstr(trustreg_error_last()->message, "chmod 600"));
    tr_note_signer_wipe(&ws);
    free(text);
    free(l1);
    free(l2);
    free(vkey);
    free(wvkey);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_notes_verify),   cmocka_unit_test(test_key_pairs),
        cmocka_unit_test(test_failing_notes),         cmocka_unit_test(test_checkpoint_bodies),
        cmocka_unit_test(test_keygen_and_cosignature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
