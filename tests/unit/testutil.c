/*
 * tests/unit/testutil.c - temporary folders and shared-data paths for the unit tests.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tu_shared(const char *rel)
{
    static char buf[4096];
    const char *base = getenv("TRUSTREG_SHARED_DATA");
    if (!base)
        base = TRUSTREG_SHARED_DATA;
    snprintf(buf, sizeof buf, "%s/%s", base, rel);
    return buf;
}

char *tu_tmpdir(void)
{
    char tmpl[] = "/tmp/trustreg-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

void tu_rmtree(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

char *tu_write(const char *dir, const char *name, const void *data, unsigned long len)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(path);
        return NULL;
    }
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}
