/*
 * util/pack.h - compression of stored document bodies (zstd). A stored body is a single zstd
 * frame of the original bytes; unpacking checks the frame's declared size against the size the
 * caller expects, so a damaged or substituted body is an error, never a short or long document.
 */
#ifndef TR_UTIL_PACK_H
#define TR_UTIL_PACK_H

#include <stddef.h>

/* The zstd level used for bodies: fast (about 600 MB/s here) and 7-8x smaller for OSCAL JSON. */
#define TR_PACK_LEVEL 1

/*
 * Compress len bytes into a new malloc'ed buffer (*out, *out_len). Returns TRUSTREG_OK, or
 * TRUSTREG_EINTERNAL (out of memory, compressor failure).
 */
int tr_pack(const void *data, size_t len, unsigned char **out, size_t *out_len);

/*
 * Decompress a frame that must hold exactly expect bytes into a new malloc'ed, NUL-terminated
 * buffer. A frame of another size or a damaged frame is TRUSTREG_ESTORE (what names the body in
 * the message).
 */
int tr_unpack(const void *frame, size_t frame_len, size_t expect, const char *what,
              unsigned char **out);

#endif
