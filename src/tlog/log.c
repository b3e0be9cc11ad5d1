/*
 * tlog/log.c - the log in the database: appends (inside the caller's transaction, or in their
 * own), tree size and roots, inclusion and consistency proofs from the stored tiles, and the
 * stored statement behind each leaf.
 */
#include "tlog/log.h"
#include "store/store.h"
#include "tlog/codec.h"
#include "tlog/merkle.h"
#include "tlog/tiles.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void trustreg_tlog_leaf_hash(const void *entry, size_t len, uint8_t out[32])
{
    tr_merkle_leaf(entry, len, out);
}

int trustreg_tlog_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf_hash[32],
                                   const uint8_t (*proof)[32], size_t count,
                                   const uint8_t root[32])
{
    return tr_merkle_verify_inclusion(index, size, leaf_hash, 32, proof, count, root, 32);
}

int trustreg_tlog_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[32],
                                     const uint8_t root2[32], const uint8_t (*proof)[32],
                                     size_t count)
{
    return tr_merkle_verify_consistency(size1, size2, root1, 32, root2, 32, proof, count);
}

static int append_entries(trustreg_db *db, const tr_tlog_bytes *entries, size_t n,
                          int store_statements, uint64_t *first_index)
{
    if (!tr_tlog_store_in_transaction(db))
        return tr_error(TRUSTREG_EINTERNAL,
                        "log append outside a transaction: the leaf must commit with the change "
                        "it records");
    for (size_t i = 0; i < n; i++)
        if (entries[i].len > TRUSTREG_TLOG_MAX_ENTRY)
            return tr_error(TRUSTREG_EINPUT, "log entry of %zu bytes is larger than the %u allowed",
                            entries[i].len, TRUSTREG_TLOG_MAX_ENTRY);
    tr_tlog_store *s;
    int rc = tr_tlog_store_open(db, &s);
    if (rc)
        return rc;
    uint64_t size = 0;
    tr_hash *leaves = NULL;
    if (!(rc = tr_tlog_store_get_size(s, &size))) {
        leaves = malloc((n ? n : 1) * sizeof *leaves);
        if (!leaves)
            rc = tr_error_oom();
    }
    for (size_t i = 0; !rc && i < n; i++)
        tr_merkle_leaf(entries[i].data, entries[i].len, leaves[i]);
    if (!rc)
        rc = tr_tiles_append(s, size, leaves, n);
    if (!rc)
        rc = tr_tlog_store_set_size(s, size + n);
    for (size_t i = 0; !rc && store_statements && i < n; i++)
        rc = tr_tlog_store_put_statement(s, size + i, entries[i].data, entries[i].len);
    if (!rc && first_index)
        *first_index = size;
    free(leaves);
    tr_tlog_store_close(s);
    return rc;
}

int tr_tlog_append_batch_in_txn(trustreg_db *db, const tr_tlog_bytes *entries, size_t n,
                                uint64_t *first_index)
{
    return append_entries(db, entries, n, 0, first_index);
}

int tr_tlog_append_statements_in_txn(trustreg_db *db, const tr_tlog_bytes *entries, size_t n,
                                     uint64_t *first_index)
{
    return append_entries(db, entries, n, 1, first_index);
}

int tr_tlog_append_in_txn(trustreg_db *db, const void *entry, size_t len, uint64_t *index)
{
    tr_tlog_bytes b = {entry, len};
    return append_entries(db, &b, 1, 0, index);
}

int trustreg_tlog_append_raw(trustreg_db *db, const void *const *entries, const size_t *lens,
                             size_t n, int store_statements, uint64_t *first_index)
{
    tr_tlog_bytes *b = malloc((n ? n : 1) * sizeof *b);
    if (!b)
        return tr_error_oom();
    for (size_t i = 0; i < n; i++) {
        b[i].data = entries[i];
        b[i].len = lens[i];
    }
    int rc = tr_store_begin(db);
    if (!rc)
        rc = append_entries(db, b, n, store_statements, first_index);
    if (!rc)
        rc = tr_store_commit(db);
    if (rc)
        tr_store_rollback(db);
    free(b);
    return rc;
}

int trustreg_tlog_append_json(trustreg_db *db, const char *const *texts, const size_t *lens,
                              const char *const *sources, size_t n, uint64_t *first_index)
{
    char **canon = calloc(n ? n : 1, sizeof *canon);
    tr_tlog_bytes *b = calloc(n ? n : 1, sizeof *b);
    int rc = canon && b ? TRUSTREG_OK : tr_error_oom();
    for (size_t i = 0; !rc && i < n; i++) {
        size_t len = 0;
        rc = trustreg_jcs_canonicalize(texts[i], lens[i], sources ? sources[i] : "statement",
                                       &canon[i], &len);
        b[i].data = canon[i];
        b[i].len = len;
    }
    if (!rc)
        rc = tr_store_begin(db);
    if (!rc) {
        rc = append_entries(db, b, n, 1, first_index);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    for (size_t i = 0; canon && i < n; i++)
        free(canon[i]);
    free(canon);
    free(b);
    return rc;
}

int trustreg_tlog_size(trustreg_db *db, uint64_t *size)
{
    tr_tlog_store *s;
    int rc = tr_tlog_store_open(db, &s);
    if (rc)
        return rc;
    rc = tr_tlog_store_get_size(s, size);
    tr_tlog_store_close(s);
    return rc;
}

/* What a proof or root computation needs: the store, a tile reader and the tree size. */
typedef struct reading {
    tr_tlog_store *store;
    tr_tile_reader *tiles;
    tr_merkle_reader reader;
    uint64_t size;
} reading;

static int reading_open(trustreg_db *db, reading *r)
{
    memset(r, 0, sizeof *r);
    int rc = tr_tlog_store_open(db, &r->store);
    if (!rc)
        rc = tr_tlog_store_get_size(r->store, &r->size);
    if (!rc)
        rc = tr_tile_reader_new(r->store, &r->tiles);
    r->reader.node = tr_tile_node;
    r->reader.ctx = r->tiles;
    return rc;
}

static void reading_close(reading *r)
{
    tr_tile_reader_free(r->tiles);
    tr_tlog_store_close(r->store);
}

static int check_size(const reading *r, uint64_t *size)
{
    if (*size == 0)
        *size = r->size;
    if (*size > r->size)
        return tr_error(TRUSTREG_ENOTFOUND, "the log has %llu entries, not %llu",
                        (unsigned long long)r->size, (unsigned long long)*size);
    return TRUSTREG_OK;
}

int trustreg_tlog_root(trustreg_db *db, uint64_t size, uint8_t root[32])
{
    reading r;
    int rc = reading_open(db, &r);
    if (!rc && size > r.size)
        rc = tr_error(TRUSTREG_ENOTFOUND, "the log has %llu entries, not %llu",
                      (unsigned long long)r.size, (unsigned long long)size);
    if (!rc)
        rc = tr_merkle_root(&r.reader, size, root);
    reading_close(&r);
    return rc;
}

static int proof_alloc(trustreg_tlog_proof *p)
{
    p->hashes = calloc(TR_MERKLE_MAX_PROOF, 32);
    return p->hashes ? TRUSTREG_OK : tr_error_oom();
}

int trustreg_tlog_prove_inclusion(trustreg_db *db, uint64_t index, uint64_t size,
                                  trustreg_tlog_proof *out)
{
    memset(out, 0, sizeof *out);
    reading r;
    int rc = reading_open(db, &r);
    if (!rc)
        rc = check_size(&r, &size);
    if (!rc && index >= size)
        rc = tr_error(TRUSTREG_ENOTFOUND, "no entry %llu in a log of %llu entries",
                      (unsigned long long)index, (unsigned long long)size);
    if (!rc)
        rc = proof_alloc(out);
    if (!rc)
        rc = tr_merkle_prove_inclusion(&r.reader, index, size, out->hashes, &out->count);
    out->node_reads = r.reader.reads;
    out->tile_reads = r.tiles ? tr_tile_reader_fetches(r.tiles) : 0;
    if (!rc)
        rc = tr_tile_node(r.tiles, 0, index, out->leaf);
    if (!rc)
        rc = tr_merkle_root(&r.reader, size, out->root);
    out->index = index;
    out->size = size;
    reading_close(&r);
    if (rc)
        trustreg_tlog_proof_clear(out);
    return rc;
}

int trustreg_tlog_prove_consistency(trustreg_db *db, uint64_t old_size, uint64_t size,
                                    trustreg_tlog_proof *out)
{
    memset(out, 0, sizeof *out);
    out->consistency = 1;
    reading r;
    int rc = reading_open(db, &r);
    if (!rc)
        rc = check_size(&r, &size);
    if (!rc)
        rc = proof_alloc(out);
    if (!rc)
        rc = tr_merkle_prove_consistency(&r.reader, old_size, size, out->hashes, &out->count);
    out->node_reads = r.reader.reads;
    out->tile_reads = r.tiles ? tr_tile_reader_fetches(r.tiles) : 0;
    if (!rc)
        rc = tr_merkle_root(&r.reader, old_size, out->old_root);
    if (!rc)
        rc = tr_merkle_root(&r.reader, size, out->root);
    out->index = old_size;
    out->size = size;
    out->consistency = 1;
    reading_close(&r);
    if (rc)
        trustreg_tlog_proof_clear(out);
    return rc;
}

void trustreg_tlog_proof_clear(trustreg_tlog_proof *p)
{
    free(p->hashes);
    int consistency = p->consistency;
    memset(p, 0, sizeof *p);
    p->consistency = consistency;
}

static json_t *b64_json(const void *data, size_t len)
{
    char *s = tr_b64(data, len);
    json_t *j = s ? json_string(s) : NULL;
    free(s);
    return j;
}

json_t *trustreg_tlog_proof_to_json(const trustreg_tlog_proof *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->count; i++)
        json_array_append_new(arr, b64_json(p->hashes[i], 32));
    json_t *j = json_object();
    if (p->consistency) {
        json_object_set_new(j, "type", json_string("consistency"));
        json_object_set_new(j, "old_size", json_integer((json_int_t)p->index));
        json_object_set_new(j, "tree_size", json_integer((json_int_t)p->size));
        json_object_set_new(j, "old_root", b64_json(p->old_root, 32));
        json_object_set_new(j, "root", b64_json(p->root, 32));
    } else {
        json_object_set_new(j, "type", json_string("inclusion"));
        json_object_set_new(j, "leaf_index", json_integer((json_int_t)p->index));
        json_object_set_new(j, "tree_size", json_integer((json_int_t)p->size));
        json_object_set_new(j, "leaf_hash", b64_json(p->leaf, 32));
        json_object_set_new(j, "root", b64_json(p->root, 32));
    }
    json_object_set_new(j, "proof", arr);
    json_object_set_new(j, "node_reads", json_integer((json_int_t)p->node_reads));
    return j;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int trustreg_tlog_proof_stats_run(trustreg_db *db, size_t n, uint64_t seed,
                                  trustreg_tlog_proof_stats *out)
{
    memset(out, 0, sizeof *out);
    reading r;
    int rc = reading_open(db, &r);
    double *ti = malloc((n ? n : 1) * sizeof *ti), *tc = malloc((n ? n : 1) * sizeof *tc);
    tr_hash *proof = malloc(TR_MERKLE_MAX_PROOF * sizeof *proof);
    if (!rc && (!ti || !tc || !proof))
        rc = tr_error_oom();
    if (!rc && r.size < 2)
        rc = tr_error(TRUSTREG_EUSAGE, "the log needs at least 2 entries to time proofs");
    unsigned long nodes_i = 0, nodes_c = 0, tiles_i = 0, tiles_c = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        /* a fresh tile cache per proof: each one pays its own database reads */
        size_t count;
        uint64_t index = splitmix(&seed) % r.size;
        tr_tile_reader_free(r.tiles);
        if ((rc = tr_tile_reader_new(r.store, &r.tiles)))
            break;
        r.reader.ctx = r.tiles;
        r.reader.reads = 0;
        double t0 = now_us();
        rc = tr_merkle_prove_inclusion(&r.reader, index, r.size, proof, &count);
        ti[i] = now_us() - t0;
        nodes_i += r.reader.reads;
        tiles_i += tr_tile_reader_fetches(r.tiles);
        if (rc)
            break;
        uint64_t old = 1 + splitmix(&seed) % (r.size - 1);
        tr_tile_reader_free(r.tiles);
        if ((rc = tr_tile_reader_new(r.store, &r.tiles)))
            break;
        r.reader.ctx = r.tiles;
        r.reader.reads = 0;
        t0 = now_us();
        rc = tr_merkle_prove_consistency(&r.reader, old, r.size, proof, &count);
        tc[i] = now_us() - t0;
        nodes_c += r.reader.reads;
        tiles_c += tr_tile_reader_fetches(r.tiles);
    }
    if (!rc && n > 0) {
        qsort(ti, n, sizeof *ti, cmp_double);
        qsort(tc, n, sizeof *tc, cmp_double);
        out->n = n;
        out->inclusion_p50_us = ti[n / 2];
        out->inclusion_p95_us = ti[(n * 95) / 100];
        out->consistency_p50_us = tc[n / 2];
        out->consistency_p95_us = tc[(n * 95) / 100];
        out->inclusion_node_reads = (double)nodes_i / (double)n;
        out->consistency_node_reads = (double)nodes_c / (double)n;
        out->inclusion_tile_reads = (double)tiles_i / (double)n;
        out->consistency_tile_reads = (double)tiles_c / (double)n;
    }
    free(ti);
    free(tc);
    free(proof);
    reading_close(&r);
    return rc;
}

int trustreg_tlog_entry(trustreg_db *db, uint64_t index, unsigned char **bytes, size_t *len)
{
    *bytes = NULL;
    *len = 0;
    uint64_t size;
    int rc = trustreg_tlog_size(db, &size);
    if (rc)
        return rc;
    if (index >= size)
        return tr_error(TRUSTREG_ENOTFOUND, "no entry %llu in a log of %llu entries",
                        (unsigned long long)index, (unsigned long long)size);
    for (size_t i = 0; tr_tlog_sources[i]; i++) {
        rc = tr_tlog_sources[i]->get(db, index, bytes, len);
        if (rc != TRUSTREG_ENOTFOUND)
            return rc;
    }
    return tr_error(TRUSTREG_ENOTFOUND,
                    "log entry %llu has no stored statement (appended leaves-only, or deleted; "
                    "run 'trustreg audit')",
                    (unsigned long long)index);
}

int trustreg_tlog_entry_json(trustreg_db *db, uint64_t index, json_t **out)
{
    *out = NULL;
    unsigned char *bytes;
    size_t len;
    int rc = trustreg_tlog_entry(db, index, &bytes, &len);
    if (rc)
        return rc;
    uint8_t leaf[32], stored[32];
    tr_merkle_leaf(bytes, len, leaf);
    reading r;
    rc = reading_open(db, &r);
    if (!rc)
        rc = tr_tile_node(r.tiles, 0, index, stored);
    reading_close(&r);
    if (!rc && memcmp(leaf, stored, 32) != 0)
        rc = tr_error(TRUSTREG_ESTORE,
                      "the stored statement of entry %llu does not match its leaf hash (it was "
                      "changed after logging; run 'trustreg audit')",
                      (unsigned long long)index);
    json_error_t err;
    json_t *st = rc ? NULL : json_loadb((const char *)bytes, len, 0, &err);
    if (!rc && !st)
        rc = tr_error(TRUSTREG_ESTORE, "log entry %llu is not JSON: %s", (unsigned long long)index,
                      err.text);
    if (!rc) {
        *out = json_object();
        json_object_set_new(*out, "index", json_integer((json_int_t)index));
        json_object_set_new(*out, "leaf_hash", b64_json(leaf, 32));
        json_object_set_new(*out, "statement", st);
    }
    free(bytes);
    return rc;
}
