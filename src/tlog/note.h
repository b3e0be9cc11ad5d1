/*
 * tlog/note.h - C2SP signed notes (signed-note v1), their keys (signer keys, verifier keys),
 * Ed25519 signatures (type 0x01), tlog-cosignature v1 cosignatures (type 0x04), and
 * tlog-checkpoint bodies.
 *
 * Key strings (golang.org/x/mod/sumdb/note):
 *   verifier key  <name>+<hex key ID>+base64(type || 32-byte public key)
 *   signer key    PRIVATE+KEY+<name>+<hex key ID>+base64(type || 32-byte Ed25519 seed)
 *   key ID        first 4 bytes (big-endian) of SHA-256(name || 0x0A || type || public key)
 */
#ifndef TR_TLOG_NOTE_H
#define TR_TLOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#define TR_NOTE_MAX_BYTES (1u << 20)
#define TR_NOTE_MAX_SIGS 64
#define TR_KEY_NAME_MAX 255

enum { TR_SIG_ED25519 = 0x01, TR_SIG_COSIGN_V1 = 0x04 };

typedef struct tr_note_verifier {
    char name[TR_KEY_NAME_MAX + 1];
    uint32_t id;
    uint8_t type;
    uint8_t pk[32];
} tr_note_verifier;

typedef struct tr_note_signer {
    char name[TR_KEY_NAME_MAX + 1];
    uint32_t id;
    uint8_t type;
    uint8_t pk[32];
    uint8_t sk[64]; /* libsodium secret key (seed || public key); wiped by tr_note_signer_wipe */
} tr_note_signer;

/* Key names: non-empty, at most 255 bytes, valid UTF-8, no spaces, no '+', no controls. */
int tr_note_name_valid(const char *name, size_t len);
uint32_t tr_note_key_id(const char *name, uint8_t type, const uint8_t pk[32]);

int tr_note_verifier_parse(const char *vkey, tr_note_verifier *v);
/* malloc'ed verifier key string of v */
char *tr_note_verifier_format(const tr_note_verifier *v);
int tr_note_signer_parse(const char *skey, tr_note_signer *s);
/* Load a signer key file; refuses files that group or others may read. */
int tr_note_signer_load(const char *path, tr_note_signer *s);
void tr_note_signer_wipe(tr_note_signer *s);
/* The verifier of a signer. */
void tr_note_signer_verifier(const tr_note_signer *s, tr_note_verifier *v);
/*
 * Generate a key of type for name, write its signer key to path (created with mode 0600; an
 * existing file is never overwritten) and return the verifier key string (malloc'ed).
 */
int tr_note_key_generate(const char *name, uint8_t type, const char *path, char **vkey);

typedef struct tr_note_sig {
    char *name;
    uint32_t id;
    uint8_t *sig; /* after the key ID */
    size_t sig_len;
    char *line;   /* the whole signature line, with its newline */
    int known;    /* matched a verifier */
    int verified;
    uint64_t timestamp; /* cosignatures */
} tr_note_sig;

typedef struct tr_note {
    char *text; /* NUL-terminated; text_len bytes, ending in a newline */
    size_t text_len;
    tr_note_sig *sigs;
    size_t nsigs;
} tr_note;

/* Parse the signed-note format (no signature is checked). source names it in errors. */
int tr_note_parse(const void *msg, size_t len, const char *source, tr_note *n);
/*
 * Check signatures against verifiers: a signature from a known (name, key ID) must verify, or
 * the note is rejected; unknown ones are ignored; at least one must verify. *verified counts.
 */
int tr_note_verify(tr_note *n, const tr_note_verifier *v, size_t nv, size_t *verified);
void tr_note_free(tr_note *n);

/* A signature line ("— name base64\n") over text; timestamp is used for type 0x04. */
int tr_note_sign_line(const tr_note_signer *s, const char *text, size_t len, uint64_t timestamp,
                      char **line);

typedef struct tr_checkpoint {
    char origin[TR_KEY_NAME_MAX + 1];
    uint64_t size;
    uint8_t root[64];
    size_t root_len;
    size_t extensions; /* number of extension lines */
} tr_checkpoint;

/* Parse a checkpoint body (the note text). */
int tr_checkpoint_parse(const char *text, size_t len, tr_checkpoint *cp);
/* "origin\nsize\nbase64(root)\n", malloc'ed */
char *tr_checkpoint_format(const char *origin, uint64_t size, const uint8_t root[32]);

#endif
