/*
 * tlog/ingest.c - appending the entries of files: whole JSON files, JSON lines, or raw lines,
 * in durable batches (one transaction per batch). Used by 'trustreg log append'.
 */
#include "store/store.h"
#include "tlog/jcs.h"
#include "tlog/log.h"
#include "util/error.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest input file: a million 256-byte entries is 257 MB; allow some room. */
#define MAX_INPUT ((size_t)4 << 30)

typedef struct pending {
    tr_tlog_bytes *items;
    char **owned; /* canonical forms to free */
    size_t n, cap;
} pending;

static int pending_add(pending *p, const void *data, size_t len, char *owned)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        tr_tlog_bytes *items = realloc(p->items, cap * sizeof *items);
        if (items)
            p->items = items;
        char **o = items ? realloc(p->owned, cap * sizeof *o) : NULL;
        if (o)
            p->owned = o;
        if (!items || !o) {
            free(owned);
            return tr_error_oom();
        }
        p->cap = cap;
    }
    p->items[p->n].data = data;
    p->items[p->n].len = len;
    p->owned[p->n] = owned;
    p->n++;
    return TRUSTREG_OK;
}

static void pending_reset(pending *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->owned[i]);
    p->n = 0;
}

/* Commit what is pending as one transaction. */
static int flush(trustreg_db *db, pending *p, unsigned flags, uint64_t *first, uint64_t *count)
{
    if (p->n == 0)
        return TRUSTREG_OK;
    int rc = tr_store_begin(db);
    if (rc)
        return rc;
    uint64_t at = 0;
    if (flags & TRUSTREG_TLOG_LEAVES_ONLY) {
        rc = tr_tlog_append_batch_in_txn(db, p->items, p->n, &at);
    } else {
        rc = tr_tlog_append_statements_in_txn(db, p->items, p->n, &at);
    }
    if (!rc)
        rc = tr_store_commit(db);
    if (rc) {
        tr_store_rollback(db);
        return rc;
    }
    if (*count == 0)
        *first = at;
    *count += p->n;
    pending_reset(p);
    return TRUSTREG_OK;
}

static int add_entry(pending *p, const char *source, const unsigned char *data, size_t len,
                     unsigned flags)
{
    if (flags & TRUSTREG_TLOG_RAW)
        return pending_add(p, data, len, NULL);
    char *canon = NULL;
    size_t clen = 0;
    int rc = trustreg_jcs_canonicalize(data, len, source, &canon, &clen);
    if (rc)
        return rc;
    return pending_add(p, canon, clen, canon);
}

int trustreg_tlog_append_files(trustreg_db *db, const char *const *paths, size_t n,
                               unsigned flags, size_t batch, uint64_t *first_index,
                               uint64_t *count)
{
    *first_index = 0;
    *count = 0;
    if (!(flags & TRUSTREG_TLOG_LINES))
        batch = 0; /* whole files: all of them or none */
    pending p = {0};
    unsigned char **bufs = calloc(n ? n : 1, sizeof *bufs);
    size_t *maps = calloc(n ? n : 1, sizeof *maps);
    int rc = bufs && maps ? TRUSTREG_OK : tr_error_oom();
    for (size_t f = 0; !rc && f < n; f++) {
        size_t len = 0;
        rc = tr_file_read_big(paths[f], MAX_INPUT, &bufs[f], &len, &maps[f]);
        if (rc)
            break;
        if (!(flags & TRUSTREG_TLOG_LINES)) {
            rc = add_entry(&p, paths[f], bufs[f], len, flags);
            continue;
        }
        const unsigned char *s = bufs[f], *end = bufs[f] + len;
        unsigned long line = 0;
        while (!rc && s < end) {
            const unsigned char *nl = memchr(s, '\n', (size_t)(end - s));
            const unsigned char *stop = nl ? nl : end;
            line++;
            if (stop > s) { /* empty lines are skipped */
                char source[4200];
                snprintf(source, sizeof source, "%s:%lu", paths[f], line);
                rc = add_entry(&p, source, s, (size_t)(stop - s), flags);
            }
            s = nl ? nl + 1 : end;
            if (!rc && batch && p.n >= batch)
                rc = flush(db, &p, flags, first_index, count);
        }
        /* raw entries point into the file buffer: flush before it can be freed */
        if (!rc && batch)
            rc = flush(db, &p, flags, first_index, count);
        if (batch) {
            tr_file_unmap(bufs[f], maps[f]);
            bufs[f] = NULL;
        }
    }
    if (!rc && p.n == 0 && *count == 0)
        rc = tr_error(TRUSTREG_EINPUT, "%s: no entries to append", n ? paths[0] : "input");
    if (!rc)
        rc = flush(db, &p, flags, first_index, count);
    pending_reset(&p);
    free(p.items);
    free(p.owned);
    for (size_t f = 0; bufs && f < n; f++)
        if (bufs[f])
            tr_file_unmap(bufs[f], maps[f]);
    free(bufs);
    free(maps);
    return rc;
}

int trustreg_read_file(const char *path, unsigned char **data, size_t *len)
{
    return tr_file_read(path, (size_t)64 << 20, data, len);
}
