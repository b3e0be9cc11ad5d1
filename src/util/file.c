/*
 * util/file.c - bounded file reading and parent-folder creation (see file.h).
 */
#include "util/file.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(int fd, const char *name, size_t max, size_t hint, unsigned char **out,
                   size_t *len)
{
    size_t cap = hint ? hint + 1 : 65536;
    size_t n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return tr_error_oom();
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max + 1) {
                free(buf);
                return tr_error(TRUSTREG_EINPUT, "%s: larger than the limit of %zu bytes", name,
                                max);
            }
            size_t ncap = cap * 2;
            unsigned char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                return tr_error_oom();
            }
            buf = p;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return tr_error(TRUSTREG_EINPUT, "%s: cannot read: %s", name, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            free(buf);
            return tr_error(TRUSTREG_EINPUT, "%s: larger than the limit of %zu bytes", name, max);
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return TRUSTREG_OK;
}

int tr_file_read(const char *path, size_t max, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (strcmp(path, "-") == 0)
        return read_fd(STDIN_FILENO, "<stdin>", max, 0, out, len);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            return tr_error(TRUSTREG_ENOTFOUND, "%s: no such file", path);
        return tr_error(TRUSTREG_EINPUT, "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return tr_error(TRUSTREG_EINPUT, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return tr_error(TRUSTREG_EINPUT, "%s: is a directory, expected a file", path);
    }
    size_t hint = 0;
    if (S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > (unsigned long long)max) {
            close(fd);
            return tr_error(TRUSTREG_EINPUT,
                            "%s: file is %lld bytes, larger than the limit of %zu bytes", path,
                            (long long)st.st_size, max);
        }
        hint = (size_t)st.st_size;
    }
    int rc = read_fd(fd, path, max, hint, out, len);
    close(fd);
    return rc;
}

int tr_file_mkdir_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return tr_error_oom();
    char *slash = strrchr(copy, '/');
    if (!slash || slash == copy) {
        free(copy);
        return TRUSTREG_OK;
    }
    *slash = '\0';
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            int rc = tr_error(TRUSTREG_ESTORE, "cannot create folder %s: %s", copy, strerror(e));
            free(copy);
            return rc;
        }
        *p = '/';
    }
    if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
        int e = errno;
        int rc = tr_error(TRUSTREG_ESTORE, "cannot create folder %s: %s", copy, strerror(e));
        free(copy);
        return rc;
    }
    free(copy);
    return TRUSTREG_OK;
}

int tr_file_write_atomic(const char *path, const void *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return tr_error_oom();
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return tr_error(TRUSTREG_EINPUT, "%s: cannot write: %s", path, strerror(e));
    }
    const unsigned char *p = data;
    size_t left = len;
    int e = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!e && fchmod(fd, 0644) != 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return tr_error(TRUSTREG_EINPUT, "%s: cannot write: %s", path, strerror(e));
    }
    free(tmp);
    return TRUSTREG_OK;
}

int tr_file_read_big(const char *path, size_t max, unsigned char **out, size_t *len,
                     size_t *mapped)
{
    *out = NULL;
    *len = 0;
    *mapped = 0;
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size < (off_t)(256 * 1024) || (unsigned long long)st.st_size > max)
        return tr_file_read(path, max, out, len); /* it reports every error itself */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tr_file_read(path, max, out, len);
    /* one spare page so that a file growing while we read is noticed, and for the NUL */
    size_t size = (size_t)st.st_size + 4096;
    unsigned char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (buf == MAP_FAILED) {
        close(fd);
        return tr_file_read(path, max, out, len);
    }
    size_t n = 0;
    int rc = TRUSTREG_OK;
    for (;;) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = tr_error(TRUSTREG_EINPUT, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == size - 1) {
            rc = tr_error(TRUSTREG_EINPUT, "%s: the file grew while it was read", path);
            break;
        }
    }
    close(fd);
    if (rc) {
        munmap(buf, size);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    *mapped = size;
    return TRUSTREG_OK;
}

void tr_file_unmap(unsigned char *buf, size_t mapped)
{
    if (mapped)
        munmap(buf, mapped);
    else
        free(buf);
}
