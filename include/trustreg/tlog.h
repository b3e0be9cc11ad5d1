/*
 * trustreg/tlog.h - the transparency log: an append-only Merkle tree (RFC 9162) of canonical
 * JSON statements (RFC 8785), signed checkpoints (C2SP tlog-checkpoint, signed-note, Ed25519),
 * inclusion and consistency proofs, offline-verifiable bundles, attestations in DSSE envelopes
 * (in-toto Statement v1), an audit of the stored data against the log, and the witness role
 * (C2SP tlog-witness with tlog-cosignature v1). See docs/tlog.md.
 *
 * Hashes are 32-byte SHA-256 values. Functions returning json_t * give the shapes an HTTP API
 * serves (docs/tlog.md); the caller owns the reference.
 */
#ifndef TRUSTREG_TLOG_H
#define TRUSTREG_TLOG_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TRUSTREG_TLOG_HASH_SIZE 32
/* Largest entry (canonical statement) the log accepts. */
#define TRUSTREG_TLOG_MAX_ENTRY (16u << 20)

/* ---- Merkle tree, no database needed ---- */

/* RFC 9162 leaf hash: SHA-256(0x00 || entry). */
void trustreg_tlog_leaf_hash(const void *entry, size_t len, uint8_t out[32]);

/* Verify an inclusion proof (count hashes) of leaf_hash at index in the tree of size with
 * root. TRUSTREG_OK, or TRUSTREG_EINPUT with the precise reason. */
int trustreg_tlog_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf_hash[32],
                                   const uint8_t (*proof)[32], size_t count,
                                   const uint8_t root[32]);

/* Verify that the tree (size2, root2) extends (size1, root1). */
int trustreg_tlog_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[32],
                                     const uint8_t root2[32], const uint8_t (*proof)[32],
                                     size_t count);

/* ---- The log in the database ---- */

/* RFC 8785 canonical form of a JSON text (numbers as IEEE doubles, keys in UTF-16 order).
 * source names the input in error messages. *out is malloc'ed and NUL-terminated. */
int trustreg_jcs_canonicalize(const void *json, size_t len, const char *source, char **out,
                              size_t *out_len);

/*
 * Append JSON statements: each text is canonicalised (RFC 8785), stored in log_entries and
 * appended as one leaf, all in one transaction (none when one is bad). sources name the texts
 * in error messages. *first_index is the leaf index of the first.
 */
int trustreg_tlog_append_json(trustreg_db *db, const char *const *texts, const size_t *lens,
                              const char *const *sources, size_t n, uint64_t *first_index);

/*
 * Append opaque entries as leaves in one transaction. With store_statements they are also kept
 * in log_entries; without, the caller keeps them (and 'trustreg audit' reports leaves that no
 * stored statement accounts for).
 */
int trustreg_tlog_append_raw(trustreg_db *db, const void *const *entries, const size_t *lens,
                             size_t n, int store_statements, uint64_t *first_index);

enum trustreg_tlog_append_flags {
    TRUSTREG_TLOG_LINES = 1 << 0,       /* each line of a file is one entry (else the whole file) */
    TRUSTREG_TLOG_RAW = 1 << 1,         /* entries byte for byte (else JSON, canonicalised) */
    TRUSTREG_TLOG_LEAVES_ONLY = 1 << 2, /* do not keep the entries in log_entries */
};

/*
 * Append the entries of files ("-" = standard input). Without TRUSTREG_TLOG_LINES everything is
 * one transaction; with it, a transaction (durable) every batch entries (0 = all in one).
 * *first_index and *count describe what was appended, also after a failure in a later batch.
 */
int trustreg_tlog_append_files(trustreg_db *db, const char *const *paths, size_t n,
                               unsigned flags, size_t batch, uint64_t *first_index,
                               uint64_t *count);

/* Current tree size, and the root of the tree at any size <= the current one. */
int trustreg_tlog_size(trustreg_db *db, uint64_t *size);
int trustreg_tlog_root(trustreg_db *db, uint64_t size, uint8_t root[32]);

typedef struct trustreg_tlog_proof {
    int consistency;       /* 0: inclusion proof, 1: consistency proof */
    uint64_t index;        /* inclusion: leaf index; consistency: the old size */
    uint64_t size;         /* the tree size the proof leads to */
    uint8_t leaf[32];      /* inclusion: the leaf hash */
    uint8_t root[32];      /* root of the tree of size */
    uint8_t old_root[32];  /* consistency: root of the tree of the old size */
    size_t count;
    uint8_t (*hashes)[32];
    unsigned long node_reads; /* complete-subtree hashes read to build the proof */
    unsigned long tile_reads; /* tiles fetched from the database for them */
} trustreg_tlog_proof;

/* Proofs against the tree of size (0 = the current size). */
int trustreg_tlog_prove_inclusion(trustreg_db *db, uint64_t index, uint64_t size,
                                  trustreg_tlog_proof *out);
int trustreg_tlog_prove_consistency(trustreg_db *db, uint64_t old_size, uint64_t size,
                                    trustreg_tlog_proof *out);
void trustreg_tlog_proof_clear(trustreg_tlog_proof *p);
/* {"type","leaf_index"/"old_size","tree_size","leaf_hash","root","old_root","proof":[base64]} */
json_t *trustreg_tlog_proof_to_json(const trustreg_tlog_proof *p);

/* Latency of n random proofs of each kind on the current tree (for bench/tlog.sh). */
typedef struct trustreg_tlog_proof_stats {
    size_t n;
    double inclusion_p50_us, inclusion_p95_us, consistency_p50_us, consistency_p95_us;
    double inclusion_node_reads, consistency_node_reads; /* mean per proof */
    double inclusion_tile_reads, consistency_tile_reads;
} trustreg_tlog_proof_stats;
int trustreg_tlog_proof_stats_run(trustreg_db *db, size_t n, uint64_t seed,
                                  trustreg_tlog_proof_stats *out);

/* The stored statement of a leaf (from log_entries or a registry source); malloc'ed. */
int trustreg_tlog_entry(trustreg_db *db, uint64_t index, unsigned char **bytes, size_t *len);
/* {"index","leaf_hash","statement": the JSON, "source"} */
int trustreg_tlog_entry_json(trustreg_db *db, uint64_t index, json_t **out);

/* ---- Keys, checkpoints, bundles ---- */

/*
 * Set up the log: generate an Ed25519 key named origin, write its signer key to key_file
 * (mode 0600, never overwritten) and record origin, verifier key and key file in the database.
 */
int trustreg_tlog_init(trustreg_db *db, const char *origin, const char *key_file);

typedef struct trustreg_tlog_info {
    char *origin;         /* NULL before trustreg_tlog_init */
    char *verifier_key;   /* signed-note vkey: origin+keyid+base64(0x01 || public key) */
    char *key_file;
    uint64_t size;
    uint8_t root[32];
    uint64_t checkpoint_size; /* size of the latest signed checkpoint, 0 when none */
    int has_checkpoint;
} trustreg_tlog_info;
int trustreg_tlog_info_get(trustreg_db *db, trustreg_tlog_info *info);
void trustreg_tlog_info_clear(trustreg_tlog_info *info);
json_t *trustreg_tlog_info_to_json(const trustreg_tlog_info *info);

/*
 * The latest signed checkpoint of the current tree: signed now with the key in key_file (NULL:
 * the recorded one) when the tree grew since the last one. *note is the signed note text.
 */
int trustreg_tlog_checkpoint(trustreg_db *db, const char *key_file, char **note);

/* Bundle for the leaf at index against the latest signed checkpoint (docs/tlog.md). */
int trustreg_tlog_bundle(trustreg_db *db, uint64_t index, json_t **bundle);

/* Trusted keys for verification: signed-note vkeys. */
typedef struct trustreg_tlog_trust {
    const char *const *log_keys; /* type 0x01: the log's checkpoint keys */
    size_t n_log_keys;
    const char *const *signer_keys; /* type 0x01: attestation (DSSE) signers */
    size_t n_signer_keys;
    const char *const *witness_keys; /* type 0x04: cosigners; each must have cosigned */
    size_t n_witness_keys;
} trustreg_tlog_trust;

/*
 * Verify a bundle offline: the statement's leaf hash, the inclusion proof, the checkpoint's
 * signature by a log key, witness cosignatures, and DSSE signatures when the statement is an
 * envelope. *report (always set when report is not NULL) lists each check made; the return is
 * TRUSTREG_OK only when every check passed, else TRUSTREG_EINPUT with the reason.
 */
int trustreg_tlog_verify_bundle(const void *bundle, size_t len, const char *source,
                                const trustreg_tlog_trust *trust, json_t **report);

/* ---- Attestations: DSSE envelopes of in-toto Statement v1 ---- */

/*
 * Sign an in-toto Statement v1 (JSON text) with the Ed25519 signer key in key_file; *envelope
 * is the DSSE envelope as canonical JSON (malloc'ed).
 */
int trustreg_dsse_sign(const void *statement, size_t len, const char *key_file, char **envelope);
/* The same, reading the statement from a file ("-" = standard input). */
int trustreg_dsse_sign_file(const char *path, const char *key_file, char **envelope);

/*
 * Generate an Ed25519 key named name (type 0x01, or 0x04 for a cosigner), write the signer key
 * to key_file (mode 0600, never overwritten) and return the verifier key (malloc'ed).
 */
int trustreg_tlog_keygen(const char *name, int cosigner, const char *key_file, char **vkey);

/* Verify a DSSE envelope against signer vkeys; *statement (optional) gets the payload JSON. */
int trustreg_dsse_verify(const void *envelope, size_t len, const char *source,
                         const char *const *signer_keys, size_t n, json_t **statement);

/* Read a whole input file ("-" = standard input) of at most 64 MiB; *data is malloc'ed. */
int trustreg_read_file(const char *path, unsigned char **data, size_t *len);

/* ---- Audit ---- */

/*
 * Re-hash every stored statement and tile and check them against each other and against every
 * signed checkpoint. *report: {"clean": bool, "tree_size", "checked": {...}, "findings": [
 * {"kind", "index", "message"}]}. Returns TRUSTREG_OK when the audit ran (clean or not).
 */
int trustreg_audit(trustreg_db *db, json_t **report);

/* ---- Witness (C2SP tlog-witness, tlog-cosignature v1) ---- */

/* Set up this database as a witness named name; its cosigner key goes to key_file (0600). */
int trustreg_witness_init(trustreg_db *db, const char *name, const char *key_file);
/* This witness's verifier key (type 0x04), malloc'ed. */
int trustreg_witness_vkey(trustreg_db *db, char **vkey);
/* Follow a log: trust its checkpoint vkey (the origin is the key name). */
int trustreg_witness_follow(trustreg_db *db, const char *log_vkey);
/* Log side: the add-checkpoint request body from old_size to the latest signed checkpoint. */
int trustreg_witness_request(trustreg_db *db, uint64_t old_size, char **body);

typedef struct trustreg_witness_result {
    int status;         /* the tlog-witness HTTP status: 200, 400, 403, 404, 409, 422 */
    char *cosignature;  /* 200: the signature line(s) */
    uint64_t known_size; /* 409: the size this witness has cosigned */
    char *reason;       /* why it was refused */
    int split_view;     /* the checkpoint contradicts one this witness cosigned */
} trustreg_witness_result;
/*
 * Witness side: check and cosign an add-checkpoint request. Returns TRUSTREG_OK when the request
 * was processed (result->status says how); a refused checkpoint from a known log is kept as
 * evidence in tlog_witness_refusals.
 */
int trustreg_witness_add_checkpoint(trustreg_db *db, const char *key_file, const void *body,
                                    size_t len, trustreg_witness_result *result);
void trustreg_witness_result_clear(trustreg_witness_result *r);
/* Log side: add a witness's cosignature lines (verified with witness_vkey) to the checkpoint. */
int trustreg_witness_attach(trustreg_db *db, const char *witness_vkey, const char *lines);

#ifdef __cplusplus
}
#endif
#endif
