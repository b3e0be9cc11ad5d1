/*
 * tests/fuzz/fuzz_resolve.c - fuzz harness for profile resolution: the input is a profile held
 * in memory, resolved against the invented fixtures of tests/fixtures/resolve/ (its relative
 * imports, e.g. "catalog.json", are read from there; "#uuid" imports use its own back-matter).
 * Every input must either resolve into a catalog or fail with a recorded error; never crash,
 * leak, or loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trustreg/trustreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/fixtures/resolve beside this file (__FILE__ is the absolute source path CMake gives). */
static const char *fixtures(void)
{
    static char dir[4096];
    if (!dir[0]) {
        const char *f = __FILE__;
        const char *slash = strrchr(f, '/');
        size_t n = slash ? (size_t)(slash - f) : 0;
        if (n + 32 >= sizeof dir)
            abort();
        memcpy(dir, f, n);
        memcpy(dir + n, n ? "/../fixtures/resolve" : "tests/fixtures/resolve", 21 + (n ? 0 : 2));
    }
    return dir;
}

static void ignore(void *ctx, const char *message)
{
    (void)ctx;
    if (!message || !message[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trustreg_resolve_opts o = {.warn = ignore,
                               .uuid = "9d7c3f7e-1b2a-4c5d-8e9f-0a1b2c3d4e5f",
                               .last_modified = "2025-01-01T00:00:00Z"};
    json_t *out = NULL;
    int rc = trustreg_profile_resolve_mem(data, size, "fuzz.json", fixtures(), &o, &out);
    if (rc != TRUSTREG_OK) {
        if (out || trustreg_error_last()->message[0] == '\0')
            abort();
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    if (trustreg_resolved_dump(out, &text, &len) != TRUSTREG_OK || len == 0)
        abort();
    long controls = 0, groups = 0;
    trustreg_resolved_counts(out, &controls, &groups);
    free(text);
    json_decref(out);
    return 0;
}
