/*
 * tlog/tiles.h - stored hash tiles (after C2SP tlog-tiles): how the tree is kept so that an
 * append and a proof each read O(log n) nodes and never recompute the tree.
 *
 * A tile of height 8 at tile level L, index N holds the complete subtree hashes of tree levels
 * 8L .. 8L+7 whose leaves fall in N's span: its base (tree level 8L, nodes 256N .. 256N+255)
 * and the seven levels built on it. width = how many base hashes exist (256 when full); level k
 * of the tile then holds width >> k hashes. The blob stores the levels one after the other
 * (level 0 first), each packed, 32 bytes per hash: a full tile is 510 hashes (16,320 bytes).
 * The root of a full tile (tree level 8L+8) is a base hash of the tile above it.
 * Full tiles never change; only the right-edge tile of each level grows with appends.
 */
#ifndef TR_TLOG_TILES_H
#define TR_TLOG_TILES_H

#include <stddef.h>
#include <stdint.h>

#include "store/tlog_store.h"
#include "tlog/merkle.h"

#define TR_TILE_HEIGHT 8
#define TR_TILE_WIDTH 256
#define TR_TILE_MAX_HASHES 510
#define TR_TILE_MAX_BYTES (TR_TILE_MAX_HASHES * TR_HASH_SIZE)

/* Offset, in hashes, of tile level k in a tile of the given width. */
size_t tr_tile_level_offset(unsigned width, unsigned k);
/* Number of hashes stored in a tile of the given width (levels 0..7). */
size_t tr_tile_hash_count(unsigned width);
/* With the base (level 0, width hashes) at the start of tile, compute levels 1..7 after it. */
void tr_tile_build(uint8_t *tile, unsigned width);

/* Reads complete-subtree hashes from stored tiles, keeping the last few tiles in memory. */
typedef struct tr_tile_reader tr_tile_reader;
int tr_tile_reader_new(tr_tlog_store *store, tr_tile_reader **out);
void tr_tile_reader_free(tr_tile_reader *r);
/* A tr_merkle_node_fn (ctx = the tr_tile_reader). */
int tr_tile_node(void *ctx, unsigned level, uint64_t index, uint8_t out[TR_HASH_SIZE]);
/* Tiles fetched from the store so far (cache misses). */
unsigned long tr_tile_reader_fetches(const tr_tile_reader *r);

/*
 * Append n leaf hashes to a tree of old_size leaves: writes the changed tiles of every level.
 * Runs inside the caller's transaction; the caller records the new size.
 */
int tr_tiles_append(tr_tlog_store *store, uint64_t old_size, const tr_hash *leaves, uint64_t n);

#endif
