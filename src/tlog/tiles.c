/*
 * tlog/tiles.c - hash tiles: layout, appending leaves level by level, and a caching node reader
 * over the stored tiles for proofs (layout described in tiles.h).
 *
 * An append of n leaves to a tree of size s reads at most one tile per tile level (the partial
 * right-edge tile, to extend it) and writes the tiles it changed; it hashes each new leaf once
 * and each newly complete node once, plus the partial tiles' internal levels again.
 */
#include "tlog/tiles.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

size_t tr_tile_level_offset(unsigned width, unsigned k)
{
    size_t off = 0;
    for (unsigned j = 0; j < k; j++)
        off += width >> j;
    return off;
}

size_t tr_tile_hash_count(unsigned width)
{
    return tr_tile_level_offset(width, TR_TILE_HEIGHT);
}

void tr_tile_build(uint8_t *tile, unsigned width)
{
    for (unsigned k = 1; k < TR_TILE_HEIGHT; k++) {
        const uint8_t *below = tile + tr_tile_level_offset(width, k - 1) * TR_HASH_SIZE;
        uint8_t *here = tile + tr_tile_level_offset(width, k) * TR_HASH_SIZE;
        unsigned n = width >> k;
        for (unsigned i = 0; i < n; i++)
            tr_merkle_node(below + (2 * i) * TR_HASH_SIZE, below + (2 * i + 1) * TR_HASH_SIZE,
                           here + i * TR_HASH_SIZE);
    }
}

struct tr_tile_reader {
    tr_tlog_store *store;
    unsigned long base; /* tile opens of the store before this reader */
};

int tr_tile_reader_new(tr_tlog_store *store, tr_tile_reader **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return tr_error_oom();
    (*out)->store = store;
    (*out)->base = tr_tlog_store_tile_opens(store);
    return TRUSTREG_OK;
}

void tr_tile_reader_free(tr_tile_reader *r)
{
    if (r)
        tr_tlog_store_release(r->store);
    free(r);
}

unsigned long tr_tile_reader_fetches(const tr_tile_reader *r)
{
    return tr_tlog_store_tile_opens(r->store) - r->base;
}

int tr_tile_node(void *ctx, unsigned level, uint64_t index, uint8_t out[TR_HASH_SIZE])
{
    tr_tile_reader *r = ctx;
    unsigned tl = level / TR_TILE_HEIGHT, k = level % TR_TILE_HEIGHT;
    uint64_t idx = index >> (TR_TILE_HEIGHT - k);
    unsigned pos = (unsigned)(index & ((TR_TILE_WIDTH >> k) - 1));
    return tr_tlog_store_read_node(r->store, tl, idx, k, pos, out);
}

/* Append n base hashes to tile level tl, which holds have base hashes so far. */
static int append_level(tr_tlog_store *store, unsigned tl, uint64_t have, const tr_hash *base,
                        uint64_t n)
{
    if (n == 0)
        return TRUSTREG_OK;
    uint8_t *tile = malloc(TR_TILE_MAX_BYTES);
    /* roots of the tiles this append completes: the base of the level above */
    tr_hash *roots = malloc((size_t)(n / TR_TILE_WIDTH + 2) * sizeof *roots);
    if (!tile || !roots) {
        free(tile);
        free(roots);
        return tr_error_oom();
    }
    int rc = TRUSTREG_OK;
    uint64_t idx = have / TR_TILE_WIDTH;
    unsigned start = (unsigned)(have % TR_TILE_WIDTH);
    if (start > 0) {
        /* extend the partial right-edge tile: its base comes first in the blob */
        size_t len = 0;
        unsigned width = 0;
        rc = tr_tlog_store_get_tile(store, tl, idx, tile, TR_TILE_MAX_BYTES, &len, &width);
        if (!rc && (width != start || len < (size_t)start * TR_HASH_SIZE))
            rc = tr_error(TRUSTREG_ESTORE,
                          "log tile %u/%llu has width %u where the tree size says %u (run "
                          "'trustreg audit')",
                          tl, (unsigned long long)idx, width, start);
    }
    uint64_t done = 0, nroots = 0;
    while (!rc && done < n) {
        uint64_t take = TR_TILE_WIDTH - start;
        if (take > n - done)
            take = n - done;
        memcpy(tile + (size_t)start * TR_HASH_SIZE, base[done], (size_t)take * TR_HASH_SIZE);
        unsigned width = start + (unsigned)take;
        tr_tile_build(tile, width);
        rc = tr_tlog_store_put_tile(store, tl, idx, width, tile,
                                    tr_tile_hash_count(width) * TR_HASH_SIZE);
        if (!rc && width == TR_TILE_WIDTH) {
            const uint8_t *top = tile + tr_tile_level_offset(width, TR_TILE_HEIGHT - 1) * TR_HASH_SIZE;
            tr_merkle_node(top, top + TR_HASH_SIZE, roots[nroots++]);
        }
        done += take;
        idx++;
        start = 0;
    }
    free(tile);
    if (!rc && nroots > 0)
        rc = append_level(store, tl + 1, have / TR_TILE_WIDTH, roots, nroots);
    free(roots);
    return rc;
}

int tr_tiles_append(tr_tlog_store *store, uint64_t old_size, const tr_hash *leaves, uint64_t n)
{
    return append_level(store, 0, old_size, leaves, n);
}
