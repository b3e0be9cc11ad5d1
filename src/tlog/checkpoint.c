/*
 * tlog/checkpoint.c - the log's identity and signed checkpoints: key generation on init, the
 * status summary, signing a C2SP checkpoint when the tree grew, and bundles (statement +
 * inclusion proof + signed checkpoint) for offline verification.
 *
 * The log never signs two checkpoints that disagree: the tree is append-only, each checkpoint
 * is of the current tree, and a new one is only signed for a larger size.
 */
#include "store/store.h"
#include "store/tlog_store.h"
#include "tlog/codec.h"
#include "tlog/log.h"
#include "tlog/note.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

int trustreg_tlog_init(trustreg_db *db, const char *origin, const char *key_file)
{
    char *existing = NULL;
    int rc = tr_tlog_store_meta_get(db, "origin", &existing);
    if (rc)
        return rc;
    if (existing) {
        rc = tr_error(TRUSTREG_EUSAGE,
                      "the log is already set up with origin \"%s\"; its key cannot be replaced "
                      "(checkpoints signed with it must stay verifiable)",
                      existing);
        free(existing);
        return rc;
    }
    if (!tr_note_name_valid(origin, strlen(origin)))
        return tr_error(TRUSTREG_EUSAGE,
                        "origin \"%s\": must be 1-255 bytes without spaces or '+' (e.g. "
                        "registry.example.org/log)",
                        origin);
    char *vkey = NULL;
    char *abs = realpath(".", NULL);
    tr_buf path = {0};
    if (key_file[0] == '/' || !abs)
        tr_buf_puts(&path, key_file);
    else
        tr_buf_printf(&path, "%s/%s", abs, key_file);
    free(abs);
    if (path.failed)
        return tr_error_oom();
    rc = tr_note_key_generate(origin, TR_SIG_ED25519, path.data, &vkey);
    if (!rc)
        rc = tr_store_begin(db);
    if (!rc) {
        rc = tr_tlog_store_meta_set(db, "origin", origin);
        if (!rc)
            rc = tr_tlog_store_meta_set(db, "verifier_key", vkey);
        if (!rc)
            rc = tr_tlog_store_meta_set(db, "key_file", path.data);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    free(vkey);
    tr_buf_free(&path);
    return rc;
}

int trustreg_tlog_info_get(trustreg_db *db, trustreg_tlog_info *info)
{
    memset(info, 0, sizeof *info);
    int rc = tr_tlog_store_meta_get(db, "origin", &info->origin);
    if (!rc)
        rc = tr_tlog_store_meta_get(db, "verifier_key", &info->verifier_key);
    if (!rc)
        rc = tr_tlog_store_meta_get(db, "key_file", &info->key_file);
    if (!rc)
        rc = trustreg_tlog_size(db, &info->size);
    if (!rc)
        rc = trustreg_tlog_root(db, info->size, info->root);
    if (!rc) {
        tr_tlog_checkpoint_row row;
        int r = tr_tlog_store_get_checkpoint(db, UINT64_MAX, &row);
        if (r == TRUSTREG_OK) {
            info->has_checkpoint = 1;
            info->checkpoint_size = row.size;
            tr_tlog_checkpoint_row_clear(&row);
        } else if (r != TRUSTREG_ENOTFOUND) {
            rc = r;
        }
    }
    if (rc)
        trustreg_tlog_info_clear(info);
    return rc;
}

void trustreg_tlog_info_clear(trustreg_tlog_info *info)
{
    free(info->origin);
    free(info->verifier_key);
    free(info->key_file);
    memset(info, 0, sizeof *info);
}

json_t *trustreg_tlog_info_to_json(const trustreg_tlog_info *info)
{
    char *root = tr_b64(info->root, 32);
    json_t *j = json_object();
    json_object_set_new(j, "origin", info->origin ? json_string(info->origin) : json_null());
    json_object_set_new(j, "verifier_key",
                        info->verifier_key ? json_string(info->verifier_key) : json_null());
    json_object_set_new(j, "key_file", info->key_file ? json_string(info->key_file) : json_null());
    json_object_set_new(j, "tree_size", json_integer((json_int_t)info->size));
    json_object_set_new(j, "root", root ? json_string(root) : json_null());
    json_object_set_new(j, "checkpoint_size", info->has_checkpoint
                                                  ? json_integer((json_int_t)info->checkpoint_size)
                                                  : json_null());
    free(root);
    return j;
}

/* The log's verifier, from the database. */
int tr_tlog_log_verifier(trustreg_db *db, tr_note_verifier *v, char **origin)
{
    char *vkey = NULL;
    *origin = NULL;
    int rc = tr_tlog_store_meta_get(db, "verifier_key", &vkey);
    if (!rc && !vkey)
        rc = tr_error(TRUSTREG_ENOTFOUND,
                      "the log has no key yet; run 'trustreg log init --origin NAME'");
    if (!rc)
        rc = tr_note_verifier_parse(vkey, v);
    if (!rc)
        rc = tr_tlog_store_meta_get(db, "origin", origin);
    free(vkey);
    return rc;
}

int trustreg_tlog_checkpoint(trustreg_db *db, const char *key_file, char **note)
{
    *note = NULL;
    tr_note_verifier v;
    char *origin = NULL, *recorded = NULL;
    int rc = tr_tlog_log_verifier(db, &v, &origin);
    if (rc)
        return rc;
    /* one transaction: the size read, the root and the stored checkpoint agree */
    rc = tr_store_begin(db);
    if (rc) {
        free(origin);
        return rc;
    }
    uint64_t size = 0;
    tr_tlog_checkpoint_row row;
    rc = trustreg_tlog_size(db, &size);
    if (!rc) {
        int r = tr_tlog_store_get_checkpoint(db, UINT64_MAX, &row);
        if (r == TRUSTREG_OK && row.size == size) {
            *note = row.note; /* the tree did not grow: the latest one still holds */
            row.note = NULL;
        } else if (r != TRUSTREG_OK && r != TRUSTREG_ENOTFOUND) {
            rc = r;
        }
        if (r == TRUSTREG_OK)
            tr_tlog_checkpoint_row_clear(&row);
    }
    if (!rc && !*note) {
        uint8_t root[32];
        tr_note_signer s;
        if (!key_file) {
            rc = tr_tlog_store_meta_get(db, "key_file", &recorded);
            key_file = recorded;
        }
        if (!rc)
            rc = tr_note_signer_load(key_file, &s);
        if (!rc && (s.id != v.id || strcmp(s.name, v.name) != 0 ||
                    memcmp(s.pk, v.pk, 32) != 0 || s.type != TR_SIG_ED25519))
            rc = tr_error(TRUSTREG_EINPUT, "%s: this is not the log's key (%s+%08x)", key_file,
                          v.name, (unsigned)v.id);
        if (!rc)
            rc = trustreg_tlog_root(db, size, root);
        char *text = rc ? NULL : tr_checkpoint_format(origin, size, root);
        char *line = NULL;
        if (!rc && !text)
            rc = tr_error_oom();
        if (!rc)
            rc = tr_note_sign_line(&s, text, strlen(text), 0, &line);
        tr_note_signer_wipe(&s);
        if (!rc) {
            tr_buf b = {0};
            tr_buf_printf(&b, "%s\n%s", text, line);
            *note = tr_buf_steal(&b);
            rc = *note ? tr_tlog_store_put_checkpoint(db, size, root, *note) : tr_error_oom();
        }
        free(text);
        free(line);
    }
    if (!rc)
        rc = tr_store_commit(db);
    if (rc) {
        tr_store_rollback(db);
        free(*note);
        *note = NULL;
    }
    free(origin);
    free(recorded);
    return rc;
}

int trustreg_tlog_bundle(trustreg_db *db, uint64_t index, json_t **bundle)
{
    *bundle = NULL;
    tr_tlog_checkpoint_row row;
    int rc = tr_tlog_store_get_checkpoint(db, UINT64_MAX, &row);
    if (rc)
        return rc;
    if (index >= row.size) {
        rc = tr_error(TRUSTREG_ENOTFOUND,
                      "entry %llu is not covered by the latest signed checkpoint (size %llu); "
                      "run 'trustreg log checkpoint'",
                      (unsigned long long)index, (unsigned long long)row.size);
        tr_tlog_checkpoint_row_clear(&row);
        return rc;
    }
    json_t *entry = NULL;
    trustreg_tlog_proof p;
    memset(&p, 0, sizeof p);
    rc = trustreg_tlog_entry_json(db, index, &entry);
    if (!rc)
        rc = trustreg_tlog_prove_inclusion(db, index, row.size, &p);
    if (!rc && memcmp(p.root, row.root, 32) != 0)
        rc = tr_error(TRUSTREG_ESTORE,
                      "the stored tree no longer has the root of the signed checkpoint of size "
                      "%llu (run 'trustreg audit')",
                      (unsigned long long)row.size);
    if (!rc) {
        json_t *proof = trustreg_tlog_proof_to_json(&p);
        *bundle = json_object();
        json_object_set_new(*bundle, "media_type",
                            json_string("application/vnd.trustreg.tlog-bundle.v1+json"));
        json_object_set(*bundle, "statement", json_object_get(entry, "statement"));
        json_object_set_new(*bundle, "leaf_index", json_integer((json_int_t)index));
        json_object_set_new(*bundle, "tree_size", json_integer((json_int_t)row.size));
        json_object_set(*bundle, "inclusion_proof", json_object_get(proof, "proof"));
        json_object_set_new(*bundle, "checkpoint", json_string(row.note));
        json_decref(proof);
    }
    trustreg_tlog_proof_clear(&p);
    json_decref(entry);
    tr_tlog_checkpoint_row_clear(&row);
    return rc;
}
