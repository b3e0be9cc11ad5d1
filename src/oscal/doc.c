/*
 * oscal/doc.c - reading one OSCAL JSON document: bounds, syntax, model detection, and the
 * identifying fields (uuid and metadata) every stored document needs.
 *
 * Order of checks, cheapest first, so hostile input is refused early: size, empty input, then the
 * strict flat reader (util/jdom.c: syntax, UTF-8, nesting depth, duplicate keys, at line:column),
 * then model and field types (reported as JSON pointers). The jansson tree of the public API is
 * built only after all checks passed; the import path does without it. The SHA-256 of large
 * inputs is computed on a second thread while the JSON is parsed.
 */
#include "oscal/doc.h"
#include "trustreg/oscal.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/pack.h"
#include "util/json.h"
#include "util/mem.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const model_names[] = {
    [TRUSTREG_MODEL_UNKNOWN] = NULL,
    [TRUSTREG_MODEL_CATALOG] = "catalog",
    [TRUSTREG_MODEL_PROFILE] = "profile",
    [TRUSTREG_MODEL_COMPONENT_DEFINITION] = "component-definition",
    [TRUSTREG_MODEL_SSP] = "system-security-plan",
    [TRUSTREG_MODEL_ASSESSMENT_PLAN] = "assessment-plan",
    [TRUSTREG_MODEL_ASSESSMENT_RESULTS] = "assessment-results",
    [TRUSTREG_MODEL_POAM] = "plan-of-action-and-milestones",
    [TRUSTREG_MODEL_MAPPING_COLLECTION] = "mapping-collection",
};
#define MODEL_COUNT ((int)(sizeof model_names / sizeof model_names[0]))

const char *trustreg_oscal_model_name(trustreg_oscal_model model)
{
    if ((int)model <= 0 || (int)model >= MODEL_COUNT)
        return NULL;
    return model_names[model];
}

trustreg_oscal_model trustreg_oscal_model_from_name(const char *name)
{
    if (!name)
        return TRUSTREG_MODEL_UNKNOWN;
    for (int i = 1; i < MODEL_COUNT; i++)
        if (strcmp(model_names[i], name) == 0)
            return (trustreg_oscal_model)i;
    return TRUSTREG_MODEL_UNKNOWN;
}

void trustreg_oscal_doc_free(trustreg_oscal_doc *doc)
{
    if (!doc)
        return;
    json_decref(doc->root);
    if (doc->dom) {
        tr_jdom_free(doc->dom);
        free(doc->dom);
    }
    if (doc->bytes)
        tr_file_unmap(doc->bytes, doc->bytes_mapped);
    free(doc->packed);
    free(doc->source);
    free(doc);
}

/* OSCAL's uuid: 8-4-4-4-12 hex digits (the schema also pins the version nibble; we accept any). */
static int is_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, s++)
            if (!isxdigit((unsigned char)*s))
                return 0;
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

uint32_t tr_oscal_doc_body(const trustreg_oscal_doc *doc)
{
    return tr_jdom_get(doc->dom, 0, trustreg_oscal_model_name(doc->model));
}

static int detect_model(trustreg_oscal_doc *doc)
{
    const tr_jdom *d = doc->dom;
    const char *source = doc->source;
    const char *found = NULL;
    tr_jptr ptr;
    for (uint32_t k = tr_jdom_first(d, 0); k != TR_JNONE; k = tr_jdom_next_member(d, 0, k)) {
        const char *key = d->nodes[k].str;
        if (strcmp(key, "$schema") == 0)
            continue;
        trustreg_oscal_model m = trustreg_oscal_model_from_name(key);
        tr_jptr_init(&ptr);
        tr_jptr_push_key(&ptr, key);
        if (m == TRUSTREG_MODEL_UNKNOWN)
            return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                                "unknown OSCAL model \"%s\"; expected one of catalog, profile, "
                                "component-definition, system-security-plan, assessment-plan, "
                                "assessment-results, plan-of-action-and-milestones, "
                                "mapping-collection",
                                key);
        if (found)
            return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                                "a second model \"%s\" beside \"%s\"; an OSCAL document holds "
                                "exactly one",
                                key, found);
        if (d->nodes[k + 1].type != TR_J_OBJECT)
            return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                                "expected an object, found %s", tr_jdom_type_name(d, k + 1));
        found = key;
        doc->model = m;
    }
    if (!found)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "",
                            "no OSCAL model: expected a top-level member such as \"catalog\" or "
                            "\"profile\"");
    return TRUSTREG_OK;
}

static int check_identity(trustreg_oscal_doc *doc)
{
    const tr_jdom *d = doc->dom;
    const char *source = doc->source;
    uint32_t body = tr_oscal_doc_body(doc);
    tr_jptr ptr;
    tr_jptr_init(&ptr);
    tr_jptr_push_key(&ptr, trustreg_oscal_model_name(doc->model));
    int rc = tr_jdom_get_string(d, body, "uuid", 1, source, &ptr, &doc->uuid);
    if (rc)
        return rc;
    if (!is_uuid(doc->uuid)) {
        tr_jptr_push_key(&ptr, "uuid");
        return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                            "expected a UUID (8-4-4-4-12 hex digits), found \"%.60s\"", doc->uuid);
    }
    uint32_t meta;
    if ((rc = tr_jdom_get_typed(d, body, "metadata", TR_J_OBJECT, 1, source, &ptr, &meta)))
        return rc;
    tr_jptr_push_key(&ptr, "metadata");
    if ((rc = tr_jdom_get_string(d, meta, "title", 1, source, &ptr, &doc->title)) ||
        (rc = tr_jdom_get_string(d, meta, "version", 1, source, &ptr, &doc->version)) ||
        (rc = tr_jdom_get_string(d, meta, "oscal-version", 1, source, &ptr, &doc->oscal_version)))
        return rc;
    return TRUSTREG_OK;
}

/* SHA-256 (and, for the import, compression) of large inputs runs on a second thread while the
 * JSON is parsed. */
typedef struct hash_job {
    trustreg_oscal_doc *doc;
    int pack;
    int rc;        /* of the packing */
    char msg[256]; /* its message: the error buffer is per thread and dies with it */
} hash_job;

static void *hash_main(void *arg)
{
    hash_job *job = arg;
    trustreg_oscal_doc *doc = job->doc;
    tr_sha256_hex(doc->bytes, doc->len, doc->sha256);
    if (job->pack && (job->rc = tr_pack(doc->bytes, doc->len, &doc->packed, &doc->packed_len)))
        snprintf(job->msg, sizeof job->msg, "%s", trustreg_error_last()->message);
    return NULL;
}

#define PARALLEL_HASH_MIN (512u * 1024u)

static int check_all(trustreg_oscal_doc *doc, unsigned flags)
{
    const char *source = doc->source;
    if (doc->len > TRUSTREG_OSCAL_MAX_BYTES)
        return tr_error(TRUSTREG_EINPUT, "%s: %zu bytes, larger than the limit of %u bytes", source,
                        doc->len, TRUSTREG_OSCAL_MAX_BYTES);
    size_t i = 0;
    while (i < doc->len && isspace(doc->bytes[i]))
        i++;
    if (i == doc->len)
        return tr_error_at(TRUSTREG_EINPUT, source, 1, 1,
                           doc->len ? "no JSON: the input is only white space"
                                    : "empty input: expected an OSCAL JSON document");
    doc->dom = calloc(1, sizeof *doc->dom);
    if (!doc->dom)
        return tr_error_oom();
    hash_job job = {.doc = doc, .pack = (flags & TR_DOC_PACK) != 0};
    pthread_t hasher;
    int threaded = doc->len >= PARALLEL_HASH_MIN && pthread_create(&hasher, NULL, hash_main, &job) == 0;
    if (!threaded)
        hash_main(&job);
    int rc = tr_jdom_parse(doc->dom, doc->bytes, doc->len, TRUSTREG_OSCAL_MAX_DEPTH, source);
    if (threaded)
        pthread_join(hasher, NULL);
    if (rc)
        return rc;
    if (job.rc)
        return tr_error(job.rc, "%s", job.msg);
    if (doc->dom->nodes[0].type != TR_J_OBJECT)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "",
                            "expected an object at the top level, found %s",
                            tr_jdom_type_name(doc->dom, 0));
    if ((rc = detect_model(doc)) || (rc = check_identity(doc)))
        return rc;
    if (flags & TR_DOC_TREE) {
        json_error_t jerr;
        doc->root = json_loadb((const char *)doc->bytes, doc->len, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc->root) /* the flat reader accepted it, so this is out of memory or a bug */
            return tr_error_at(TRUSTREG_EINPUT, source, jerr.line, jerr.column, "invalid JSON: %s",
                               jerr.text);
        doc->body = json_object_get(doc->root, trustreg_oscal_model_name(doc->model));
    }
    return TRUSTREG_OK;
}

static int finish(trustreg_oscal_doc *doc, unsigned flags, trustreg_oscal_doc **out)
{
    int rc = check_all(doc, flags);
    if (rc) {
        trustreg_oscal_doc_free(doc);
        return rc;
    }
    *out = doc;
    return TRUSTREG_OK;
}

int trustreg_oscal_doc_parse(trustreg_oscal_doc **out, const void *bytes, size_t len,
                             const char *source)
{
    *out = NULL;
    if (!bytes && len)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_oscal_doc_parse: bytes is NULL");
    trustreg_oscal_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return tr_error_oom();
    doc->source = tr_strdup(source ? source : "<input>");
    doc->bytes = malloc(len + 1);
    if (!doc->source || !doc->bytes) {
        trustreg_oscal_doc_free(doc);
        return tr_error_oom();
    }
    if (len)
        memcpy(doc->bytes, bytes, len);
    doc->bytes[len] = '\0';
    doc->len = len;
    return finish(doc, TR_DOC_TREE, out);
}

int tr_oscal_doc_load(trustreg_oscal_doc **out, const char *path, unsigned flags)
{
    *out = NULL;
    trustreg_oscal_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return tr_error_oom();
    doc->source = tr_strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
    if (!doc->source) {
        free(doc);
        return tr_error_oom();
    }
    int rc = tr_file_read_big(path, TRUSTREG_OSCAL_MAX_BYTES, &doc->bytes, &doc->len,
                              &doc->bytes_mapped);
    if (rc) {
        trustreg_oscal_doc_free(doc);
        return rc;
    }
    return finish(doc, flags, out);
}

int trustreg_oscal_doc_load_file(trustreg_oscal_doc **out, const char *path)
{
    return tr_oscal_doc_load(out, path, TR_DOC_TREE);
}
