/*
 * util/pack.c - zstd compression of stored document bodies (see pack.h).
 */
#include "util/pack.h"

#include <stdlib.h>
#include <zstd.h>

#include "trustreg/errors.h"
#include "util/error.h"

int tr_pack(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    size_t cap = ZSTD_compressBound(len);
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf)
        return tr_error_oom();
    size_t n = ZSTD_compress(buf, cap, data, len, TR_PACK_LEVEL);
    if (ZSTD_isError(n)) {
        free(buf);
        return tr_error(TRUSTREG_EINTERNAL, "compressing a document body: %s",
                        ZSTD_getErrorName(n));
    }
    *out = buf;
    *out_len = n;
    return TRUSTREG_OK;
}

int tr_unpack(const void *frame, size_t frame_len, size_t expect, const char *what,
              unsigned char **out)
{
    *out = NULL;
    unsigned long long declared = ZSTD_getFrameContentSize(frame, frame_len);
    if (declared == ZSTD_CONTENTSIZE_ERROR || declared == ZSTD_CONTENTSIZE_UNKNOWN)
        return tr_error(TRUSTREG_ESTORE, "%s: the stored body is not a complete zstd frame", what);
    if (declared != expect)
        return tr_error(TRUSTREG_ESTORE, "%s: the stored body holds %llu bytes, expected %zu", what,
                        declared, expect);
    unsigned char *buf = malloc(expect + 1);
    if (!buf)
        return tr_error_oom();
    size_t n = ZSTD_decompress(buf, expect, frame, frame_len);
    if (ZSTD_isError(n) || n != expect) {
        free(buf);
        return tr_error(TRUSTREG_ESTORE, "%s: the stored body is damaged: %s", what,
                        ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame");
    }
    buf[expect] = '\0';
    *out = buf;
    return TRUSTREG_OK;
}
