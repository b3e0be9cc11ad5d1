/*
 * tests/fuzz/fuzz_bundle.c - fuzz harness for offline bundle verification: bundle JSON, the
 * signed checkpoint inside it, the proof hashes, canonicalisation of the statement and DSSE
 * envelopes. Any input must verify or fail with a message and a report, never crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const log_keys[] = {
        "Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs"};
    static const char *const signer_keys[] = {
        "KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj"};
    trustreg_tlog_trust t = {log_keys, 1, signer_keys, 1, NULL, 0};
    json_t *report = NULL;
    int rc = trustreg_tlog_verify_bundle(data, size, "fuzz", &t, &report);
    if (!report)
        abort();
    if (rc != 0 && trustreg_error_last()->message[0] == '\0')
        abort();
    json_decref(report);
    return 0;
}
