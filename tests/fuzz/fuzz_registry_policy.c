/*
 * tests/fuzz/fuzz_registry_policy.c - fuzz harness for the lifecycle policy file reader: any
 * bytes either give a policy whose rules hold (hide after deprecation, positive periods) or
 * fail with a recorded message; never a crash or a leak. A parsed policy is also written back
 * to JSON and must parse again to the same values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/internal.h"
#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trustreg_policy *p = NULL;
    int rc = trustreg_policy_parse(&p, (const char *)data, size, "fuzz");
    if (rc != TRUSTREG_OK) {
        if (p || trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    if (p->l1_hide_months < p->l1_deprecate_months || p->l1_deprecate_months < 1 ||
        p->l3_stale_days < 1 || p->offering_warn_days < 0)
        abort();
    json_t *j = trustreg_policy_to_json(p);
    char *s = json_dumps(j, JSON_COMPACT);
    trustreg_policy *q = NULL;
    if (!s || trustreg_policy_parse(&q, s, strlen(s), "again") != TRUSTREG_OK)
        abort();
    json_t *k = trustreg_policy_to_json(q);
    json_object_del(j, "_source");
    json_object_del(k, "_source");
    if (!json_equal(j, k))
        abort();
    json_decref(j);
    json_decref(k);
    free(s);
    trustreg_policy_free(p);
    trustreg_policy_free(q);
    return 0;
}
