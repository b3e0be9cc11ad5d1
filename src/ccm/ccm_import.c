/*
 * ccm/ccm_import.c - a CCM/CAIQ workbook becomes an OSCAL catalog: domains as groups, controls
 * as controls (statement = control specification), CAIQ questions as parts of their control
 * (name "assessment-objective", class "caiq-question"). IDs like "A&A-01" are not OSCAL tokens,
 * so ids are lowercased with other characters turned into '_' ("a_a-01"); the CSA ID is the
 * label prop, which catalog show and search accept. The document goes through the OSCAL import
 * path (same parser and index), in one transaction with the question index and mapping cells.
 */
#include "ccm/ccm_model.h"
#include "oscal/doc.h"
#include "store/ccm_store.h"
#include "store/store.h"
#include "trustreg/oscal.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CCM_NS "https://github.com/trustreg/trustreg/ns/ccm"
#define MAX_WORKBOOK (512u * 1024u * 1024u)

static char *oscal_token(const char *id)
{
    size_t n = strlen(id);
    char *t = malloc(n + 2);
    if (!t)
        return NULL;
    size_t j = 0;
    if (!(id[0] >= 'A' && id[0] <= 'Z') && !(id[0] >= 'a' && id[0] <= 'z'))
        t[j++] = '_';
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            c = '_';
        t[j++] = c;
    }
    t[j] = '\0';
    return t;
}

/* OSCAL strings may not be empty nor start/end with white space: trimmed, collapsed. */
static json_t *str_or_null(const char *s)
{
    char *n = tr_ccm_norm_label(s ? s : "");
    json_t *v = n && n[0] ? json_string(n) : NULL;
    free(n);
    return v;
}

static void add_prop(json_t *props, const char *name, const char *value, int ns)
{
    json_t *v = str_or_null(value);
    if (!v)
        return;
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name));
    if (ns)
        json_object_set_new(p, "ns", json_string(CCM_NS));
    json_object_set_new(p, "value", v);
    json_array_append_new(props, p);
}

/* Prose keeps its line breaks; only the ends are trimmed. */
static json_t *prose(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        n--;
    return n ? json_stringn(s, n) : NULL;
}

static void uuid_from_hex(const char *hex, char out[37])
{
    /* name-based (version 5 layout) uuid from a SHA-256: stable for the same input */
    snprintf(out, 37, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13,
             "89ab"[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3], hex + 17, hex + 20);
}

static json_t *build_catalog(const trustreg_ccm *c, const char *uuid, const char *modified)
{
    json_t *root = json_object(), *cat = json_object(), *meta = json_object();
    json_object_set_new(root, "catalog", cat);
    json_object_set_new(cat, "uuid", json_string(uuid));
    char title[256];
    snprintf(title, sizeof title, "CSA Cloud Controls Matrix v%s (CAIQ v%s)", c->ccm_version,
             c->caiq_version);
    json_object_set_new(meta, "title", json_string(title));
    json_object_set_new(meta, "last-modified", json_string(modified));
    json_object_set_new(meta, "version",
                        json_string(c->ccm_version[0] ? c->ccm_version : "unknown"));
    json_object_set_new(meta, "oscal-version", json_string("1.1.3"));
    json_t *mprops = json_array();
    add_prop(mprops, "caiq-version", c->caiq_version, 1);
    add_prop(mprops, "caiq-family", trustreg_ccm_family_name(c->family), 1);
    add_prop(mprops, "workbook-layout", c->layout, 1);
    json_object_set_new(meta, "props", mprops);
    json_object_set_new(cat, "metadata", meta);
    json_t *groups = json_array();
    static const char *const prop_names[] = {"ccm-lite", "ownership-iaas", "ownership-paas",
                                             "ownership-saas"};
    for (size_t d = 0; d < c->n_domains; d++) {
        json_t *g = json_object(), *controls = json_array(), *gprops = json_array();
        char *tok = oscal_token(c->domains[d].abbr);
        json_object_set_new(g, "id", json_string(tok ? tok : "_"));
        free(tok);
        json_object_set_new(g, "class", json_string("domain"));
        json_object_set_new(
            g, "title",
            json_string(c->domains[d].title[0] ? c->domains[d].title : c->domains[d].abbr));
        add_prop(gprops, "label", c->domains[d].abbr, 0);
        json_object_set_new(g, "props", gprops);
        for (size_t i = 0; i < c->n_controls; i++) {
            const tr_ccm_control *ctl = &c->controls[i];
            if (ctl->domain != d)
                continue;
            json_t *jc = json_object(), *props = json_array(), *parts = json_array();
            tok = oscal_token(ctl->id);
            json_object_set_new(jc, "id", json_string(tok ? tok : "_"));
            json_object_set_new(jc, "class", json_string("ccm-control"));
            json_object_set_new(jc, "title", json_string(ctl->title[0] ? ctl->title : ctl->id));
            add_prop(props, "label", ctl->id, 0);
            for (int k = 0; k < 4; k++)
                add_prop(props, prop_names[k], ctl->props[k], 1);
            json_object_set_new(jc, "props", props);
            json_t *p = prose(ctl->spec);
            if (p) {
                json_t *part = json_object();
                char id[300];
                snprintf(id, sizeof id, "%s_smt", tok ? tok : "_");
                json_object_set_new(part, "id", json_string(id));
                json_object_set_new(part, "name", json_string("statement"));
                json_object_set_new(part, "prose", p);
                json_array_append_new(parts, part);
            }
            for (size_t q = 0; q < c->n_questions; q++) {
                if (c->questions[q].control != i)
                    continue;
                json_t *part = json_object(), *qprops = json_array();
                char *qtok = oscal_token(c->questions[q].id);
                char id[300];
                snprintf(id, sizeof id, "%s_obj", qtok ? qtok : "_");
                free(qtok);
                json_object_set_new(part, "id", json_string(id));
                json_object_set_new(part, "name", json_string("assessment-objective"));
                add_prop(qprops, "label", c->questions[q].id, 0);
                json_object_set_new(part, "props", qprops);
                json_object_set_new(part, "class", json_string("caiq-question"));
                json_t *qp = prose(c->questions[q].text);
                if (qp)
                    json_object_set_new(part, "prose", qp);
                json_array_append_new(parts, part);
            }
            free(tok);
            if (json_array_size(parts))
                json_object_set_new(jc, "parts", parts);
            else
                json_decref(parts);
            json_array_append_new(controls, jc);
        }
        json_object_set_new(g, "controls", controls);
        json_array_append_new(groups, g);
    }
    json_object_set_new(cat, "groups", groups);
    return root;
}

int trustreg_ccm_import(trustreg_db *db, const char *path, const char *version,
                        trustreg_ccm_import_result *out)
{
    memset(out, 0, sizeof *out);
    if (!db || !path)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_ccm_import: no database or path");
    trustreg_ccm *c = NULL;
    int rc = trustreg_ccm_read(&c, path, version);
    if (rc)
        return rc;
    /* identity: the workbook's bytes and version; date: the file's modification time */
    unsigned char *bytes = NULL;
    size_t len = 0;
    char hex[65], uuid[37], modified[32] = "1970-01-01T00:00:00Z";
    if ((rc = tr_file_read(path, MAX_WORKBOOK, &bytes, &len))) {
        trustreg_ccm_free(c);
        return rc;
    }
    tr_sha256_hex(bytes, len, hex);
    free(bytes);
    char seed[200];
    snprintf(seed, sizeof seed, "trustreg-ccm:%s:%s:%s", trustreg_ccm_family_name(c->family),
             c->caiq_version, hex);
    tr_sha256_hex(seed, strlen(seed), hex);
    uuid_from_hex(hex, uuid);
    struct stat st;
    if (stat(path, &st) == 0) {
        struct tm tm;
        time_t t = st.st_mtime;
        if (gmtime_r(&t, &tm))
            strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    json_t *root = build_catalog(c, uuid, modified);
    char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    trustreg_oscal_doc *doc = NULL;
    if (!text)
        rc = tr_error_oom();
    else
        rc = trustreg_oscal_doc_parse(&doc, text, strlen(text), path);
    free(text);
    trustreg_import_result r = {0};
    if (!rc && !(rc = tr_store_begin(db))) {
        rc = tr_oscal_store_doc(db, doc, &r);
        if (!rc)
            rc = tr_ccm_store_catalog(db, r.doc_id, c);
        if (!rc)
            rc = tr_store_commit(db);
        if (rc)
            tr_store_rollback(db);
    }
    if (!rc) {
        out->file = tr_strdup(path);
        out->uuid = tr_strdup(doc->uuid);
        out->title = tr_strdup(doc->title);
        out->family = c->family;
        out->ccm_version = tr_strdup(c->ccm_version);
        out->caiq_version = tr_strdup(c->caiq_version);
        out->layout = tr_strdup(c->layout);
        memcpy(out->sha256, doc->sha256, sizeof out->sha256);
        out->domains = r.groups;
        out->controls = r.controls;
        out->questions = (long)c->n_questions;
        out->mappings = (long)c->n_mappings;
        out->unchanged = r.unchanged;
        if (!out->file || !out->uuid || !out->title || !out->ccm_version || !out->caiq_version ||
            !out->layout)
            rc = tr_error_oom();
    }
    trustreg_oscal_doc_free(doc);
    trustreg_ccm_free(c);
    if (rc)
        trustreg_ccm_import_result_clear(out);
    return rc;
}

void trustreg_ccm_import_result_clear(trustreg_ccm_import_result *r)
{
    free(r->file);
    free(r->uuid);
    free(r->title);
    free(r->ccm_version);
    free(r->caiq_version);
    free(r->layout);
    memset(r, 0, sizeof *r);
}

json_t *trustreg_ccm_import_result_to_json(const trustreg_ccm_import_result *r)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:b}", "file",
                     r->file, "uuid", r->uuid, "title", r->title, "family",
                     trustreg_ccm_family_name(r->family), "ccm_version", r->ccm_version,
                     "caiq_version", r->caiq_version, "layout", r->layout, "sha256", r->sha256,
                     "domains", (json_int_t)r->domains, "controls", (json_int_t)r->controls,
                     "questions", (json_int_t)r->questions, "mappings", (json_int_t)r->mappings,
                     "unchanged", r->unchanged);
}

int trustreg_ccm_stored_mappings(trustreg_db *db, const char *catalog_uuid,
                                 trustreg_ccm_mapping_fn fn, void *ctx)
{
    if (!db || !fn)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_ccm_stored_mappings: no database or callback");
    return tr_ccm_store_mappings(db, catalog_uuid, fn, ctx);
}
