/*
 * tests/fuzz/fuzz_note.c - fuzz harness for the signed-note parser and verifier, and the
 * checkpoint body parser: any bytes must parse or fail with a message, never crash or leak.
 * A fixed verifier key is known, so signature lines that name it are checked too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tlog/note.h"
#include "trustreg/errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tr_note_verifier v;
    static int ready;
    if (!ready) {
        /* transparency-dev/formats test key "Log" (public) */
        if (tr_note_verifier_parse("Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs", &v))
            abort();
        ready = 1;
    }
    tr_note n;
    if (tr_note_parse(data, size, "fuzz", &n) != 0) {
        if (trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    size_t verified = 0;
    tr_note_verify(&n, &v, 1, &verified);
    tr_checkpoint cp;
    tr_checkpoint_parse(n.text, n.text_len, &cp);
    tr_note_free(&n);
    /* the raw bytes as a checkpoint body and as keys as well */
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    for (size_t i = 0; i < size; i++)
        s[i] = data[i] ? (char)data[i] : ' ';
    s[size] = '\0';
    tr_checkpoint_parse(s, size, &cp);
    tr_note_verifier v2;
    tr_note_verifier_parse(s, &v2);
    tr_note_signer sk;
    if (tr_note_signer_parse(s, &sk) == 0)
        tr_note_signer_wipe(&sk);
    free(s);
    return 0;
}
