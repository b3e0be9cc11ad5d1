/*
 * tlog/note.c - C2SP signed notes, keys and checkpoints (see note.h). Ed25519 is libsodium's.
 *
 * Parsing follows golang.org/x/mod/sumdb/note: the whole note must be valid UTF-8 without
 * control characters other than newline, the text ends at the last blank line, every line after
 * it is "— name base64(keyID || signature)". Verification fails closed: a signature from a known
 * key that does not verify rejects the note, and a note with no verified signature is rejected.
 */
#include "tlog/note.h"
#include "tlog/codec.h"
#include "tlog/merkle.h"
#include "util/error.h"
#include "util/file.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char EM_DASH_SP[] = "\xe2\x80\x94 ";

/* Valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF); returns 0 when valid. */
static int utf8_check(const unsigned char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            *bad = i;
            return -1;
        }
        for (size_t j = 1; j <= n; j++) {
            if (i + j >= len || (s[i + j] & 0xc0) != 0x80) {
                *bad = i;
                return -1;
            }
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            *bad = i;
            return -1;
        }
        i += n + 1;
    }
    return 0;
}

int tr_note_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > TR_KEY_NAME_MAX)
        return 0;
    size_t bad;
    if (utf8_check((const unsigned char *)name, len, &bad))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c == '+' || c == 0x7f)
            return 0;
        /* Unicode spaces: U+0085, U+00A0, U+1680, U+2000-200A, U+2028/9, U+202F, U+205F, U+3000 */
        if (c == 0xc2 && i + 1 < len && ((unsigned char)name[i + 1] == 0x85 ||
                                         (unsigned char)name[i + 1] == 0xa0))
            return 0;
        if (c == 0xe2 && i + 2 < len && (unsigned char)name[i + 1] == 0x80 &&
            ((unsigned char)name[i + 2] <= 0x8a || (unsigned char)name[i + 2] == 0xa8 ||
             (unsigned char)name[i + 2] == 0xa9 || (unsigned char)name[i + 2] == 0xaf))
            return 0;
        if (c == 0xe1 && i + 2 < len && (unsigned char)name[i + 1] == 0x9a &&
            (unsigned char)name[i + 2] == 0x80)
            return 0;
        if (c == 0xe2 && i + 2 < len && (unsigned char)name[i + 1] == 0x81 &&
            (unsigned char)name[i + 2] == 0x9f)
            return 0;
        if (c == 0xe3 && i + 2 < len && (unsigned char)name[i + 1] == 0x80 &&
            (unsigned char)name[i + 2] == 0x80)
            return 0;
    }
    return 1;
}

uint32_t tr_note_key_id(const char *name, uint8_t type, const uint8_t pk[32])
{
    size_t n = strlen(name);
    uint8_t *buf = malloc(n + 2 + 32);
    if (!buf)
        return 0;
    memcpy(buf, name, n);
    buf[n] = '\n';
    buf[n + 1] = type;
    memcpy(buf + n + 2, pk, 32);
    uint8_t h[32];
    tr_sha256(buf, n + 2 + 32, h);
    free(buf);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* Split "name+hex8+base64" (after any prefix) into its parts and decode the key material. */
static int parse_key(const char *what, const char *s, char name[TR_KEY_NAME_MAX + 1],
                     uint32_t *id, uint8_t *type, uint8_t material[32])
{
    const char *p1 = strchr(s, '+');
    const char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
    if (!p1 || !p2)
        return tr_error(TRUSTREG_EINPUT, "%s: expected NAME+KEYID+KEY", what);
    size_t nlen = (size_t)(p1 - s);
    if (!tr_note_name_valid(s, nlen))
        return tr_error(TRUSTREG_EINPUT,
                        "%s: the key name must be 1-255 bytes without spaces or '+'", what);
    memcpy(name, s, nlen);
    name[nlen] = '\0';
    char hex[9];
    if (p2 - p1 - 1 != 8)
        return tr_error(TRUSTREG_EINPUT, "%s: the key ID must be 8 hex digits", what);
    memcpy(hex, p1 + 1, 8);
    hex[8] = '\0';
    uint8_t idb[4];
    if (tr_unhex(hex, idb, 4))
        return tr_error(TRUSTREG_EINPUT, "%s: the key ID must be 8 hex digits", what);
    *id = (uint32_t)idb[0] << 24 | (uint32_t)idb[1] << 16 | (uint32_t)idb[2] << 8 | idb[3];
    uint8_t key[64];
    size_t n = 0;
    if (tr_unb64(p2 + 1, strlen(p2 + 1), key, sizeof key, &n))
        return tr_error(TRUSTREG_EINPUT, "%s: the key is not valid base64", what);
    if (n != 33) {
        sodium_memzero(key, sizeof key);
        return tr_error(TRUSTREG_EINPUT, "%s: the key has %zu bytes, expected 33", what, n);
    }
    if (key[0] != TR_SIG_ED25519 && key[0] != TR_SIG_COSIGN_V1) {
        unsigned t = key[0];
        sodium_memzero(key, sizeof key);
        return tr_error(TRUSTREG_EINPUT,
                        "%s: unsupported signature type 0x%02x (0x01 Ed25519 and 0x04 Ed25519 "
                        "cosignature are supported)",
                        what, t);
    }
    *type = key[0];
    memcpy(material, key + 1, 32);
    sodium_memzero(key, sizeof key);
    return TRUSTREG_OK;
}

int tr_note_verifier_parse(const char *vkey, tr_note_verifier *v)
{
    memset(v, 0, sizeof *v);
    int rc = parse_key("verifier key", vkey, v->name, &v->id, &v->type, v->pk);
    if (rc)
        return rc;
    if (tr_note_key_id(v->name, v->type, v->pk) != v->id)
        return tr_error(TRUSTREG_EINPUT,
                        "verifier key: the key ID %08" PRIx32 " does not match the key", v->id);
    return TRUSTREG_OK;
}

char *tr_note_verifier_format(const tr_note_verifier *v)
{
    uint8_t key[33];
    key[0] = v->type;
    memcpy(key + 1, v->pk, 32);
    char *b = tr_b64(key, sizeof key);
    if (!b)
        return NULL;
    tr_buf out = {0};
    tr_buf_printf(&out, "%s+%08" PRIx32 "+%s", v->name, v->id, b);
    free(b);
    return tr_buf_steal(&out);
}

int tr_note_signer_parse(const char *skey, tr_note_signer *s)
{
    memset(s, 0, sizeof *s);
    if (strncmp(skey, "PRIVATE+KEY+", 12) != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "signer key: expected PRIVATE+KEY+NAME+KEYID+KEY (is this a verifier key?)");
    uint8_t seed[32];
    int rc = parse_key("signer key", skey + 12, s->name, &s->id, &s->type, seed);
    if (rc)
        return rc;
    crypto_sign_seed_keypair(s->pk, s->sk, seed);
    sodium_memzero(seed, sizeof seed);
    if (tr_note_key_id(s->name, s->type, s->pk) != s->id) {
        tr_note_signer_wipe(s);
        return tr_error(TRUSTREG_EINPUT, "signer key: the key ID does not match the key");
    }
    return TRUSTREG_OK;
}

void tr_note_signer_wipe(tr_note_signer *s)
{
    sodium_memzero(s, sizeof *s);
}

void tr_note_signer_verifier(const tr_note_signer *s, tr_note_verifier *v)
{
    memset(v, 0, sizeof *v);
    memcpy(v->name, s->name, sizeof v->name);
    v->id = s->id;
    v->type = s->type;
    memcpy(v->pk, s->pk, 32);
}

int tr_note_signer_load(const char *path, tr_note_signer *s)
{
    memset(s, 0, sizeof *s);
    struct stat st;
    if (stat(path, &st) != 0)
        return tr_error(errno == ENOENT ? TRUSTREG_ENOTFOUND : TRUSTREG_EINPUT,
                        "%s: cannot read the key file: %s", path, strerror(errno));
    if (st.st_mode & 077)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: the key file may be read by others (mode %04o); run 'chmod 600 %s'",
                        path, (unsigned)(st.st_mode & 0777), path);
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tr_file_read(path, 4096, &data, &len);
    if (rc)
        return rc;
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = '\0';
    rc = tr_note_signer_parse((const char *)data, s);
    if (rc)
        tr_error_prefix("%s", path);
    sodium_memzero(data, len);
    free(data);
    return rc;
}

int tr_note_key_generate(const char *name, uint8_t type, const char *path, char **vkey)
{
    *vkey = NULL;
    if (!tr_note_name_valid(name, strlen(name)))
        return tr_error(TRUSTREG_EUSAGE,
                        "key name \"%s\": must be 1-255 bytes without spaces or '+'", name);
    tr_note_signer s;
    memset(&s, 0, sizeof s);
    snprintf(s.name, sizeof s.name, "%s", name);
    s.type = type;
    crypto_sign_keypair(s.pk, s.sk);
    s.id = tr_note_key_id(name, type, s.pk);
    uint8_t key[33];
    key[0] = type;
    crypto_sign_ed25519_sk_to_seed(key + 1, s.sk);
    char *b = tr_b64(key, sizeof key);
    sodium_memzero(key, sizeof key);
    tr_buf text = {0};
    if (b)
        tr_buf_printf(&text, "PRIVATE+KEY+%s+%08" PRIx32 "+%s\n", name, s.id, b);
    if (b)
        sodium_memzero(b, strlen(b));
    free(b);
    int rc = TRUSTREG_OK;
    if (!b || text.failed) {
        rc = tr_error_oom();
    } else {
        rc = tr_file_mkdir_parent(path);
        int fd = rc ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (!rc && fd < 0) {
            rc = tr_error(errno == EEXIST ? TRUSTREG_EUSAGE : TRUSTREG_EINPUT,
                          "%s: %s", path,
                          errno == EEXIST ? "a key file already exists there; it is never "
                                            "overwritten (move it away or choose another path)"
                                          : strerror(errno));
        } else if (!rc) {
            ssize_t w = write(fd, text.data, text.len);
            if (w != (ssize_t)text.len || fsync(fd) != 0) {
                rc = tr_error(TRUSTREG_EINPUT, "%s: writing the key file failed: %s", path,
                              strerror(errno));
                unlink(path);
            }
            close(fd);
        }
    }
    if (text.data)
        sodium_memzero(text.data, text.len);
    tr_buf_free(&text);
    if (!rc) {
        tr_note_verifier v;
        tr_note_signer_verifier(&s, &v);
        *vkey = tr_note_verifier_format(&v);
        if (!*vkey)
            rc = tr_error_oom();
    }
    tr_note_signer_wipe(&s);
    return rc;
}

void tr_note_free(tr_note *n)
{
    for (size_t i = 0; i < n->nsigs; i++) {
        free(n->sigs[i].name);
        free(n->sigs[i].sig);
        free(n->sigs[i].line);
    }
    free(n->sigs);
    free(n->text);
    memset(n, 0, sizeof *n);
}

int tr_note_parse(const void *msg, size_t len, const char *source, tr_note *n)
{
    memset(n, 0, sizeof *n);
    const unsigned char *m = msg;
    if (!source)
        source = "note";
    if (len > TR_NOTE_MAX_BYTES)
        return tr_error(TRUSTREG_EINPUT, "%s: signed note larger than %u bytes", source,
                        TR_NOTE_MAX_BYTES);
    size_t bad;
    if (utf8_check(m, len, &bad))
        return tr_error(TRUSTREG_EINPUT, "%s: malformed note: invalid UTF-8 at byte %zu", source,
                        bad);
    for (size_t i = 0; i < len; i++)
        if ((m[i] < 0x20 && m[i] != '\n') || m[i] == 0x7f)
            return tr_error(TRUSTREG_EINPUT,
                            "%s: malformed note: control character 0x%02x at byte %zu", source,
                            m[i], i);
    if (len == 0 || m[len - 1] != '\n')
        return tr_error(TRUSTREG_EINPUT, "%s: malformed note: it must end with a newline", source);
    /* the text ends at the last blank line */
    size_t split = SIZE_MAX;
    for (size_t i = len - 1; i > 0; i--)
        if (m[i] == '\n' && m[i - 1] == '\n') {
            split = i; /* m[split] is the blank line's newline */
            break;
        }
    if (split == SIZE_MAX || split + 1 >= len)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: malformed note: no signature lines after a blank line", source);
    n->text_len = split; /* includes the text's final newline */
    n->text = malloc(split + 1);
    if (!n->text)
        return tr_error_oom();
    memcpy(n->text, m, split);
    n->text[split] = '\0';
    size_t i = split + 1;
    int rc = TRUSTREG_OK;
    while (!rc && i < len) {
        const unsigned char *nl = memchr(m + i, '\n', len - i);
        size_t end = (size_t)(nl - m); /* nl exists: the note ends with a newline */
        const char *line = (const char *)m + i;
        size_t llen = end - i;
        if (n->nsigs >= TR_NOTE_MAX_SIGS) {
            rc = tr_error(TRUSTREG_EINPUT, "%s: more than %d signatures", source,
                          TR_NOTE_MAX_SIGS);
            break;
        }
        if (llen < 4 || memcmp(line, EM_DASH_SP, 4) != 0) {
            rc = tr_error(TRUSTREG_EINPUT,
                          "%s: malformed note: line %zu after the text is not a signature line "
                          "('\xe2\x80\x94 name signature')",
                          source, n->nsigs + 1);
            break;
        }
        const char *name = line + 4;
        const char *sp = memchr(name, ' ', llen - 4);
        if (!sp || !tr_note_name_valid(name, (size_t)(sp - name))) {
            rc = tr_error(TRUSTREG_EINPUT, "%s: malformed note: bad key name in signature line %zu",
                          source, n->nsigs + 1);
            break;
        }
        const char *b64 = sp + 1;
        size_t blen = (size_t)(line + llen - b64);
        uint8_t raw[256];
        size_t rawlen = 0;
        if (tr_unb64(b64, blen, raw, sizeof raw, &rawlen) || rawlen < 5) {
            rc = tr_error(TRUSTREG_EINPUT,
                          "%s: malformed note: signature line %zu is not base64 of a key ID and a "
                          "signature",
                          source, n->nsigs + 1);
            break;
        }
        tr_note_sig *sigs = realloc(n->sigs, (n->nsigs + 1) * sizeof *sigs);
        if (!sigs) {
            rc = tr_error_oom();
            break;
        }
        n->sigs = sigs;
        tr_note_sig *s = &n->sigs[n->nsigs];
        memset(s, 0, sizeof *s);
        s->name = malloc((size_t)(sp - name) + 1);
        s->sig = malloc(rawlen - 4);
        s->line = malloc(llen + 2);
        if (!s->name || !s->sig || !s->line) {
            free(s->name);
            free(s->sig);
            free(s->line);
            rc = tr_error_oom();
            break;
        }
        memcpy(s->name, name, (size_t)(sp - name));
        s->name[sp - name] = '\0';
        s->id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
        memcpy(s->sig, raw + 4, rawlen - 4);
        s->sig_len = rawlen - 4;
        memcpy(s->line, line, llen);
        s->line[llen] = '\n';
        s->line[llen + 1] = '\0';
        n->nsigs++;
        i = end + 1;
    }
    if (rc)
        tr_note_free(n);
    return rc;
}

static int verify_one(const tr_note *n, tr_note_sig *s, const tr_note_verifier *v)
{
    if (v->type == TR_SIG_ED25519) {
        if (s->sig_len != crypto_sign_BYTES)
            return -1;
        return crypto_sign_verify_detached(s->sig, (const unsigned char *)n->text, n->text_len,
                                           v->pk);
    }
    /* cosignature/v1: 8-byte big-endian timestamp || Ed25519 over header, time line, text */
    if (s->sig_len != 8 + crypto_sign_BYTES)
        return -1;
    uint64_t ts = 0;
    for (int i = 0; i < 8; i++)
        ts = ts << 8 | s->sig[i];
    if (ts > INT64_MAX)
        return -1;
    char head[64];
    int hl = snprintf(head, sizeof head, "cosignature/v1\ntime %" PRIu64 "\n", ts);
    unsigned char *msg = malloc((size_t)hl + n->text_len);
    if (!msg)
        return -1;
    memcpy(msg, head, (size_t)hl);
    memcpy(msg + hl, n->text, n->text_len);
    int r = crypto_sign_verify_detached(s->sig + 8, msg, (size_t)hl + n->text_len, v->pk);
    free(msg);
    s->timestamp = ts;
    return r;
}

int tr_note_verify(tr_note *n, const tr_note_verifier *v, size_t nv, size_t *verified)
{
    size_t ok = 0;
    for (size_t i = 0; i < n->nsigs; i++) {
        tr_note_sig *s = &n->sigs[i];
        for (size_t j = 0; j < nv; j++) {
            if (v[j].id != s->id || strcmp(v[j].name, s->name) != 0)
                continue;
            s->known = 1;
            if (verify_one(n, s, &v[j]) != 0) {
                if (verified)
                    *verified = ok;
                return tr_error(TRUSTREG_EINPUT, "invalid signature for key %s+%08" PRIx32,
                                s->name, s->id);
            }
            s->verified = 1;
            ok++;
            break;
        }
    }
    if (verified)
        *verified = ok;
    if (ok == 0)
        return tr_error(TRUSTREG_EINPUT,
                        "no signature of the note is by a trusted key (signed by: %s%s)",
                        n->nsigs ? n->sigs[0].name : "nobody", n->nsigs > 1 ? ", ..." : "");
    return TRUSTREG_OK;
}

int tr_note_sign_line(const tr_note_signer *s, const char *text, size_t len, uint64_t timestamp,
                      char **line)
{
    *line = NULL;
    if (len == 0 || text[len - 1] != '\n')
        return tr_error(TRUSTREG_EINTERNAL, "note text must end with a newline");
    uint8_t raw[4 + 8 + crypto_sign_BYTES];
    size_t rawlen;
    raw[0] = (uint8_t)(s->id >> 24);
    raw[1] = (uint8_t)(s->id >> 16);
    raw[2] = (uint8_t)(s->id >> 8);
    raw[3] = (uint8_t)s->id;
    if (s->type == TR_SIG_ED25519) {
        crypto_sign_detached(raw + 4, NULL, (const unsigned char *)text, len, s->sk);
        rawlen = 4 + crypto_sign_BYTES;
    } else {
        for (int i = 0; i < 8; i++)
            raw[4 + i] = (uint8_t)(timestamp >> (56 - 8 * i));
        char head[64];
        int hl = snprintf(head, sizeof head, "cosignature/v1\ntime %" PRIu64 "\n", timestamp);
        unsigned char *msg = malloc((size_t)hl + len);
        if (!msg)
            return tr_error_oom();
        memcpy(msg, head, (size_t)hl);
        memcpy(msg + hl, text, len);
        crypto_sign_detached(raw + 12, NULL, msg, (size_t)hl + len, s->sk);
        free(msg);
        rawlen = sizeof raw;
    }
    char *b = tr_b64(raw, rawlen);
    if (!b)
        return tr_error_oom();
    tr_buf out = {0};
    tr_buf_printf(&out, "%s%s %s\n", EM_DASH_SP, s->name, b);
    free(b);
    *line = tr_buf_steal(&out);
    return *line ? TRUSTREG_OK : tr_error_oom();
}

int tr_checkpoint_parse(const char *text, size_t len, tr_checkpoint *cp)
{
    memset(cp, 0, sizeof *cp);
    if (len == 0 || text[len - 1] != '\n')
        return tr_error(TRUSTREG_EINPUT, "checkpoint: the text must end with a newline");
    const char *lines[3];
    size_t lens[3];
    const char *p = text, *end = text + len;
    for (int i = 0; i < 3; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return tr_error(TRUSTREG_EINPUT,
                            "checkpoint: expected origin, tree size and root hash lines");
        lines[i] = p;
        lens[i] = (size_t)(nl - p);
        if (lens[i] == 0)
            return tr_error(TRUSTREG_EINPUT, "checkpoint: line %d is empty", i + 1);
        p = nl + 1;
    }
    if (lens[0] > TR_KEY_NAME_MAX)
        return tr_error(TRUSTREG_EINPUT, "checkpoint: the origin is longer than %d bytes",
                        TR_KEY_NAME_MAX);
    memcpy(cp->origin, lines[0], lens[0]);
    cp->origin[lens[0]] = '\0';
    if (lens[1] > 20 || (lens[1] > 1 && lines[1][0] == '0'))
        return tr_error(TRUSTREG_EINPUT, "checkpoint: the tree size is not a decimal without "
                                         "leading zeros");
    uint64_t size = 0;
    for (size_t i = 0; i < lens[1]; i++) {
        char c = lines[1][i];
        if (c < '0' || c > '9' || size > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            return tr_error(TRUSTREG_EINPUT, "checkpoint: the tree size is not a decimal number");
        size = size * 10 + (uint64_t)(c - '0');
    }
    cp->size = size;
    if (tr_unb64(lines[2], lens[2], cp->root, sizeof cp->root, &cp->root_len) ||
        cp->root_len == 0)
        return tr_error(TRUSTREG_EINPUT, "checkpoint: the root hash is not base64");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == p)
            return tr_error(TRUSTREG_EINPUT, "checkpoint: an extension line is empty");
        cp->extensions++;
        p = nl + 1;
    }
    return TRUSTREG_OK;
}

char *tr_checkpoint_format(const char *origin, uint64_t size, const uint8_t root[32])
{
    char *b = tr_b64(root, 32);
    if (!b)
        return NULL;
    tr_buf out = {0};
    tr_buf_printf(&out, "%s\n%" PRIu64 "\n%s\n", origin, size, b);
    free(b);
    return tr_buf_steal(&out);
}
