/*
 * util/file.h - bounded reading of untrusted files.
 *
 * The only way the library reads outside input from disk or standard input: the size is checked
 * before (regular files) or while (pipes) reading, so a huge input is refused with a clear
 * message instead of exhausting memory.
 */
#ifndef TR_UTIL_FILE_H
#define TR_UTIL_FILE_H

#include <stddef.h>

/*
 * Read all of path ("-" for standard input) into a malloc'ed buffer (NUL-terminated, the NUL not
 * counted in *len). Files larger than max bytes are TRUSTREG_EINPUT; missing files are
 * TRUSTREG_ENOTFOUND; other failures TRUSTREG_EINPUT with the system's reason.
 */
int tr_file_read(const char *path, size_t max, unsigned char **out, size_t *len);

/*
 * Like tr_file_read, for large inputs: the buffer is an anonymous mapping populated in one system
 * call (no page fault per 4 KiB page), then filled with read(). *mapped is the mapping size to
 * pass to tr_file_unmap, or 0 when the buffer came from malloc (small files, pipes).
 */
int tr_file_read_big(const char *path, size_t max, unsigned char **out, size_t *len,
                     size_t *mapped);
void tr_file_unmap(unsigned char *buf, size_t mapped);

/* Create the parent folder of path when it does not exist (one level of mkdir -p per segment). */
int tr_file_mkdir_parent(const char *path);

/*
 * Write data to path atomically: a temporary file in the same folder, fsync, rename. On failure
 * path is untouched and the temporary file removed. TRUSTREG_EINPUT when path cannot be written.
 */
int tr_file_write_atomic(const char *path, const void *data, size_t len);

#endif
