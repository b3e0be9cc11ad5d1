/*
 * tlog/audit.c - 'trustreg audit': check everything stored against the log.
 *
 *   tiles        every stored tile has the width the tree size implies, its inner levels hash
 *                from its base, and the root of every full tile is the matching base hash of
 *                the tile above (so no node can be edited without the change showing)
 *   statements   every stored statement (each source in tlog_sources) hashes to the leaf at its
 *                index; each leaf has exactly one statement (deletions show as missing leaves,
 *                reorders and edits as mismatches)
 *   checkpoints  each signed checkpoint verifies with the log's key, and the tree rebuilt from
 *                the leaf hashes has the signed root at that size (no checkpoint beyond the tree)
 *
 * The audit reads every tile once and keeps the leaf hashes in memory (32 bytes per entry).
 */
#include "store/tlog_store.h"
#include "tlog/codec.h"
#include "tlog/log.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FINDINGS 1000

typedef struct audit {
    uint64_t size;
    unsigned levels;          /* tile levels the tree size implies */
    tr_hash *base[8];         /* base hashes of each tile level, as stored */
    uint8_t *seen[8];         /* per tile: 1 when stored */
    uint64_t nbase[8], ntiles[8];
    uint8_t *claimed;         /* per leaf: statements claiming it */
    json_t *findings;
    size_t nfindings;
    unsigned long statements, tiles, checkpoints;
    const char *source;       /* current statement source */
} audit;

static void finding(audit *a, const char *kind, int64_t index, const char *fmt, ...) TR_PRINTF(4, 5);
static void finding(audit *a, const char *kind, int64_t index, const char *fmt, ...)
{
    a->nfindings++;
    if (json_array_size(a->findings) >= MAX_FINDINGS)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(a->findings,
                          json_pack("{s:s, s:I, s:s}", "kind", kind, "index", (json_int_t)index,
                                    "message", msg));
}

static int on_tile(void *ctx, unsigned level, uint64_t idx, unsigned width, const uint8_t *hashes,
                   size_t len)
{
    audit *a = ctx;
    a->tiles++;
    if (level >= a->levels || idx >= a->ntiles[level]) {
        finding(a, "tile", (int64_t)idx,
                "tile %u/%" PRIu64 " lies beyond a tree of size %" PRIu64
                " (the tree size was lowered, or the tile was added)",
                level, idx, a->size);
        return 0;
    }
    uint64_t want = a->nbase[level] - idx * TR_TILE_WIDTH;
    if (want > TR_TILE_WIDTH)
        want = TR_TILE_WIDTH;
    if (width != want || len != tr_tile_hash_count(width) * TR_HASH_SIZE) {
        finding(a, "tile", (int64_t)idx,
                "tile %u/%" PRIu64 " has width %u and %zu bytes, the tree size needs width %" PRIu64,
                level, idx, width, len, want);
        return 0;
    }
    a->seen[level][idx] = 1;
    memcpy(a->base[level][idx * TR_TILE_WIDTH], hashes, (size_t)width * TR_HASH_SIZE);
    /* inner levels from the base */
    uint8_t *copy = malloc(len);
    if (!copy)
        return tr_error_oom();
    memcpy(copy, hashes, (size_t)width * TR_HASH_SIZE);
    tr_tile_build(copy, width);
    if (memcmp(copy, hashes, len) != 0)
        finding(a, "tile", (int64_t)idx,
                "tile %u/%" PRIu64 ": its inner nodes do not hash from its base (edited)", level,
                idx);
    free(copy);
    return 0;
}

static int check_tiles(trustreg_db *db, audit *a)
{
    int rc = tr_tlog_store_each_tile(db, on_tile, a);
    if (rc)
        return rc;
    for (unsigned l = 0; l < a->levels; l++) {
        for (uint64_t t = 0; t < a->ntiles[l]; t++)
            if (!a->seen[l][t])
                finding(a, "tile", (int64_t)t, "tile %u/%" PRIu64 " is missing (deleted)", l, t);
        if (l + 1 >= a->levels)
            continue;
        /* each full tile's root is a base hash one level up */
        for (uint64_t t = 0; t < a->nbase[l + 1]; t++) {
            if (!a->seen[l][t] || !a->seen[l + 1][t / TR_TILE_WIDTH])
                continue;
            tr_merkle_mem m;
            if ((rc = tr_merkle_mem_build(&m, &a->base[l][t * TR_TILE_WIDTH], TR_TILE_WIDTH)))
                return rc;
            if (memcmp(m.level[8][0], a->base[l + 1][t], TR_HASH_SIZE) != 0)
                finding(a, "tile", (int64_t)t,
                        "tile %u/%" PRIu64 " does not hash to node %" PRIu64
                        " of tile level %u (edited)",
                        l, t, t, l + 1);
            tr_merkle_mem_free(&m);
        }
    }
    return TRUSTREG_OK;
}

static int on_statement(void *ctx, uint64_t idx, const unsigned char *data, size_t len)
{
    audit *a = ctx;
    a->statements++;
    if (idx >= a->size) {
        finding(a, "statement", (int64_t)idx,
                "%s: a statement claims leaf %" PRIu64 " of a tree of size %" PRIu64, a->source,
                idx, a->size);
        return 0;
    }
    if (a->claimed[idx] < 255)
        a->claimed[idx]++;
    uint8_t leaf[32];
    tr_merkle_leaf(data, len, leaf);
    if (memcmp(leaf, a->base[0][idx], 32) != 0)
        finding(a, "statement", (int64_t)idx,
                "%s: the statement at index %" PRIu64
                " does not hash to leaf %" PRIu64 " (edited, or moved from another index)",
                a->source, idx, idx);
    return 0;
}

typedef struct cp_ctx {
    audit *a;
    tr_note_verifier v;
    int have_key;
    tr_merkle_mem *tree;
} cp_ctx;

static int on_checkpoint(void *vctx, const tr_tlog_checkpoint_row *row)
{
    cp_ctx *c = vctx;
    audit *a = c->a;
    a->checkpoints++;
    tr_note note;
    if (tr_note_parse(row->note, strlen(row->note), "checkpoint", &note)) {
        finding(a, "checkpoint", (int64_t)row->size, "checkpoint of size %" PRIu64 ": %s",
                row->size, trustreg_error_last()->message);
        return 0;
    }
    tr_checkpoint cp;
    if (!c->have_key) {
        finding(a, "checkpoint", (int64_t)row->size,
                "checkpoint of size %" PRIu64 ": the log's verifier key is missing", row->size);
    } else if (tr_note_verify(&note, &c->v, 1, NULL)) {
        finding(a, "checkpoint", (int64_t)row->size, "checkpoint of size %" PRIu64 ": %s",
                row->size, trustreg_error_last()->message);
    } else if (tr_checkpoint_parse(note.text, note.text_len, &cp) || cp.root_len != 32 ||
               cp.size != row->size || memcmp(cp.root, row->root, 32) != 0) {
        finding(a, "checkpoint", (int64_t)row->size,
                "checkpoint of size %" PRIu64 ": the signed text disagrees with its row", row->size);
    } else if (row->size > a->size) {
        finding(a, "checkpoint", (int64_t)row->size,
                "a checkpoint of size %" PRIu64 " was signed but the tree has only %" PRIu64
                " leaves (entries were removed)",
                row->size, a->size);
    } else {
        tr_merkle_reader r = tr_merkle_mem_reader(c->tree);
        uint8_t root[32];
        if (tr_merkle_root(&r, row->size, root) || memcmp(root, cp.root, 32) != 0)
            finding(a, "checkpoint", (int64_t)row->size,
                    "the stored leaves no longer have the signed root of checkpoint %" PRIu64
                    " (leaves edited, reordered or removed)",
                    row->size);
    }
    tr_note_free(&note);
    return 0;
}

int trustreg_audit(trustreg_db *db, json_t **report)
{
    *report = NULL;
    audit a;
    memset(&a, 0, sizeof a);
    a.findings = json_array();
    tr_tlog_store *s;
    int rc = tr_tlog_store_open(db, &s);
    if (!rc) {
        rc = tr_tlog_store_get_size(s, &a.size);
        tr_tlog_store_close(s);
    }
    for (unsigned l = 0; !rc && l < 8; l++) {
        a.nbase[l] = a.size >> (8 * l);
        if (a.nbase[l] == 0)
            break;
        a.levels = l + 1;
        a.ntiles[l] = (a.nbase[l] + TR_TILE_WIDTH - 1) / TR_TILE_WIDTH;
        a.base[l] = calloc((size_t)a.ntiles[l] * TR_TILE_WIDTH, TR_HASH_SIZE);
        a.seen[l] = calloc((size_t)a.ntiles[l], 1);
        if (!a.base[l] || !a.seen[l])
            rc = tr_error_oom();
    }
    a.claimed = calloc((size_t)(a.size ? a.size : 1), 1);
    if (!rc && !a.claimed)
        rc = tr_error_oom();
    if (!rc)
        rc = check_tiles(db, &a);
    for (size_t i = 0; !rc && tr_tlog_sources[i]; i++) {
        a.source = tr_tlog_sources[i]->name;
        rc = tr_tlog_sources[i]->each(db, on_statement, &a);
    }
    for (uint64_t i = 0; !rc && i < a.size; i++) {
        if (a.claimed[i] == 0)
            finding(&a, "missing", (int64_t)i,
                    "leaf %" PRIu64 " has no stored statement (deleted, or moved to another index)",
                    i);
        else if (a.claimed[i] > 1)
            finding(&a, "statement", (int64_t)i, "leaf %" PRIu64 " is claimed by %u statements", i,
                    a.claimed[i]);
    }
    tr_merkle_mem tree;
    memset(&tree, 0, sizeof tree);
    if (!rc && a.size)
        rc = tr_merkle_mem_build(&tree, a.base[0], a.size);
    if (!rc) {
        cp_ctx c = {&a, {{0}}, 0, &tree};
        char *origin = NULL;
        c.have_key = tr_tlog_log_verifier(db, &c.v, &origin) == TRUSTREG_OK;
        free(origin);
        rc = tr_tlog_store_each_checkpoint(db, on_checkpoint, &c);
    }
    uint8_t root[32];
    if (!rc) {
        tr_merkle_reader r = tr_merkle_mem_reader(&tree);
        rc = tr_merkle_root(&r, a.size, root);
    }
    tr_merkle_mem_free(&tree);
    if (!rc) {
        char *r64 = tr_b64(root, 32);
        *report = json_pack("{s:b, s:I, s:s, s:{s:I, s:I, s:I}, s:I, s:O}", "clean",
                            a.nfindings == 0, "tree_size", (json_int_t)a.size, "root",
                            r64 ? r64 : "", "checked", "statements", (json_int_t)a.statements,
                            "tiles", (json_int_t)a.tiles, "checkpoints",
                            (json_int_t)a.checkpoints, "finding_count", (json_int_t)a.nfindings,
                            "findings", a.findings);
        free(r64);
    }
    json_decref(a.findings);
    for (unsigned l = 0; l < 8; l++) {
        free(a.base[l]);
        free(a.seen[l]);
    }
    free(a.claimed);
    return rc;
}
