/*
 * registry/policy.c - the lifecycle policy: built-in defaults and the one JSON policy file that
 * overrides them (docs/registry.md explains every key; etc/policy.json holds the defaults).
 * The file is outside input: strict JSON, unknown keys and wrong types are refused with the
 * JSON pointer, numbers are range-checked. Fuzzed by tests/fuzz/fuzz_registry_policy.c.
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tr_policy_defaults(trustreg_policy *p)
{
    memset(p, 0, sizeof *p);
    p->l1_deprecate_months = 12;
    p->l1_hide_months = 36;
    p->l1c_deprecate_months = 12;
    p->l1c_hide_months = 36;
    p->l2a_validity_months = 12;
    p->l2c_max_months = 36;
    p->cstar_max_months = 36;
    p->l3_stale_days = 14;
    p->offering_warn_days = 60;
    p->offering_typical = 1;
    p->l2_needs_l1 = 1;
    snprintf(p->source, sizeof p->source, "built-in defaults");
}

/* One key of the file: section, name, where it goes, range (booleans: min = max = -1). */
typedef struct key_def {
    const char *section;
    const char *name;
    size_t offset;
    int min, max;
} key_def;

#define K(sec, name, field, lo, hi) {sec, name, offsetof(trustreg_policy, field), lo, hi}
static const key_def keys[] = {
    K("level1", "deprecate_after_months", l1_deprecate_months, 1, 1200),
    K("level1", "hide_after_months", l1_hide_months, 1, 1200),
    K("level1_continuous", "deprecate_after_months", l1c_deprecate_months, 1, 1200),
    K("level1_continuous", "hide_after_months", l1c_hide_months, 1, 1200),
    K("level2", "require_level1", l2_needs_l1, -1, -1),
    K("level2", "attestation_validity_months", l2a_validity_months, 1, 120),
    K("level2", "certification_max_months", l2c_max_months, 1, 120),
    K("cstar", "max_certificate_months", cstar_max_months, 1, 120),
    K("level3", "stale_after_days", l3_stale_days, 1, 3650),
    K("offerings", "expiry_warning_days", offering_warn_days, 0, 3650),
    K("offerings", "use_typical_validity", offering_typical, -1, -1),
};
#undef K

static int check_policy(const trustreg_policy *p, const char *source)
{
    if (p->l1_hide_months < p->l1_deprecate_months)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/level1/hide_after_months",
                            "must not be shorter than deprecate_after_months (%d)",
                            p->l1_deprecate_months);
    if (p->l1c_hide_months < p->l1c_deprecate_months)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/level1_continuous/hide_after_months",
                            "must not be shorter than deprecate_after_months (%d)",
                            p->l1c_deprecate_months);
    return TRUSTREG_OK;
}

int trustreg_policy_parse(trustreg_policy **out, const char *data, size_t len, const char *source)
{
    *out = NULL;
    if (!source)
        source = "policy";
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return tr_error_at(TRUSTREG_EINPUT, source, jerr.line, jerr.column, "invalid JSON: %s",
                           jerr.text);
    trustreg_policy *p = malloc(sizeof *p);
    if (!p) {
        json_decref(root);
        return tr_error_oom();
    }
    tr_policy_defaults(p);
    snprintf(p->source, sizeof p->source, "%s", source);
    int rc = TRUSTREG_OK;
    if (!json_is_object(root)) {
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, "", "expected an object, found %s",
                          json_is_array(root) ? "array" : "a scalar");
        goto done;
    }
    const char *sec;
    json_t *sv;
    json_object_foreach(root, sec, sv)
    {
        char ptr[300];
        snprintf(ptr, sizeof ptr, "/%s", sec);
        if (sec[0] == '_')
            continue; /* "_comment" and friends */
        int known = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            known |= strcmp(keys[i].section, sec) == 0;
        if (!known) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                              "unknown section; expected one of level1, level1_continuous, "
                              "level2, cstar, level3, offerings");
            goto done;
        }
        if (!json_is_object(sv)) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected an object");
            goto done;
        }
        const char *name;
        json_t *v;
        json_object_foreach(sv, name, v)
        {
            snprintf(ptr, sizeof ptr, "/%s/%s", sec, name);
            if (name[0] == '_')
                continue;
            const key_def *k = NULL;
            for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
                if (strcmp(keys[i].section, sec) == 0 && strcmp(keys[i].name, name) == 0)
                    k = &keys[i];
            if (!k) {
                rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "unknown key (see docs/registry.md)");
                goto done;
            }
            int *field = (int *)((char *)p + k->offset);
            if (k->min == -1) {
                if (!json_is_boolean(v)) {
                    rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr, "expected true or false");
                    goto done;
                }
                *field = json_is_true(v);
            } else {
                if (!json_is_integer(v) || json_integer_value(v) < k->min ||
                    json_integer_value(v) > k->max) {
                    rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                                      "expected an integer from %d to %d", k->min, k->max);
                    goto done;
                }
                *field = (int)json_integer_value(v);
            }
        }
    }
    rc = check_policy(p, source);
done:
    json_decref(root);
    if (rc) {
        free(p);
        return rc;
    }
    *out = p;
    return TRUSTREG_OK;
}

int trustreg_policy_load(trustreg_policy **out, const char *path)
{
    *out = NULL;
    if (!path || !*path)
        path = getenv("TRUSTREG_POLICY");
    if (!path || !*path) {
        trustreg_policy *p = malloc(sizeof *p);
        if (!p)
            return tr_error_oom();
        tr_policy_defaults(p);
        *out = p;
        return TRUSTREG_OK;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tr_file_read(path, 1 << 20, &data, &len);
    if (rc)
        return rc;
    rc = trustreg_policy_parse(out, (const char *)data, len, path);
    free(data);
    return rc;
}

void trustreg_policy_free(trustreg_policy *p)
{
    free(p);
}

json_t *trustreg_policy_to_json(const trustreg_policy *p)
{
    json_t *root = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *sec = json_object_get(root, keys[i].section);
        if (!sec) {
            sec = json_object();
            json_object_set_new(root, keys[i].section, sec);
        }
        int v = *(const int *)((const char *)p + keys[i].offset);
        json_object_set_new(sec, keys[i].name,
                            keys[i].min == -1 ? json_boolean(v) : json_integer(v));
    }
    json_object_set_new(root, "_source", json_string(p->source));
    return root;
}
