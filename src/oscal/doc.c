/*
 * oscal/doc.c - reading one OSCAL JSON document: bounds, syntax, model detection, and the
 * identifying fields (uuid and metadata) every stored document needs.
 *
 * Order of checks, cheapest first, so hostile input is refused early: size, empty input, nesting
 * depth (a byte scan, before any allocation per value), JSON syntax with duplicate keys rejected
 * (jansson reports line:column), then model and field types (reported as JSON pointers).
 */
#include "trustreg/oscal.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/mem.h"

#include <ctype.h>
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
    free(doc->bytes);
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

static int detect_model(trustreg_oscal_doc *doc, const char *source)
{
    const char *key;
    json_t *value;
    const char *found = NULL;
    tr_jptr ptr;
    tr_jptr_init(&ptr);

    json_object_foreach(doc->root, key, value) {
        if (strcmp(key, "$schema") == 0)
            continue;
        trustreg_oscal_model m = trustreg_oscal_model_from_name(key);
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
        if (!json_is_object(value))
            return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                                "expected an object, found %s", tr_json_type_name(value));
        found = key;
        doc->model = m;
        doc->body = value;
        tr_jptr_init(&ptr);
    }
    if (!found)
        return tr_error_ptr(TRUSTREG_EINPUT, source, "",
                            "no OSCAL model: expected a top-level member such as \"catalog\" or "
                            "\"profile\"");
    return TRUSTREG_OK;
}

static int check_identity(trustreg_oscal_doc *doc, const char *source)
{
    tr_jptr ptr;
    tr_jptr_init(&ptr);
    tr_jptr_push_key(&ptr, trustreg_oscal_model_name(doc->model));
    int rc = tr_json_get_string(doc->body, "uuid", 1, source, &ptr, &doc->uuid);
    if (rc)
        return rc;
    if (!is_uuid(doc->uuid)) {
        tr_jptr_push_key(&ptr, "uuid");
        return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&ptr),
                            "expected a UUID (8-4-4-4-12 hex digits), found \"%.60s\"", doc->uuid);
    }
    json_t *meta;
    if ((rc = tr_json_get_object(doc->body, "metadata", 1, source, &ptr, &meta)))
        return rc;
    tr_jptr_push_key(&ptr, "metadata");
    if ((rc = tr_json_get_string(meta, "title", 1, source, &ptr, &doc->title)) ||
        (rc = tr_json_get_string(meta, "version", 1, source, &ptr, &doc->version)) ||
        (rc = tr_json_get_string(meta, "oscal-version", 1, source, &ptr, &doc->oscal_version)))
        return rc;
    return TRUSTREG_OK;
}

/* Parse bytes that the doc already owns. */
static int parse_owned(trustreg_oscal_doc *doc)
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
    int line, col;
    if (tr_json_depth_check(doc->bytes, doc->len, TRUSTREG_OSCAL_MAX_DEPTH, &line, &col) != 0)
        return tr_error_at(TRUSTREG_EINPUT, source, line, col,
                           "nesting deeper than %d levels of arrays and objects",
                           TRUSTREG_OSCAL_MAX_DEPTH);
    json_error_t jerr;
    doc->root = json_loadb((const char *)doc->bytes, doc->len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc->root)
        return tr_error_at(TRUSTREG_EINPUT, source, jerr.line > 0 ? jerr.line : 1,
                           jerr.column > 0 ? jerr.column : 1, "invalid JSON: %s", jerr.text);
    if (!json_is_object(doc->root))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "",
                            "expected an object at the top level, found %s",
                            tr_json_type_name(doc->root));
    int rc = detect_model(doc, source);
    if (!rc)
        rc = check_identity(doc, source);
    if (!rc)
        tr_sha256_hex(doc->bytes, doc->len, doc->sha256);
    return rc;
}

static int finish(trustreg_oscal_doc *doc, trustreg_oscal_doc **out)
{
    int rc = parse_owned(doc);
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
    return finish(doc, out);
}

int trustreg_oscal_doc_load_file(trustreg_oscal_doc **out, const char *path)
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
    int rc = tr_file_read(path, TRUSTREG_OSCAL_MAX_BYTES, &doc->bytes, &doc->len);
    if (rc) {
        trustreg_oscal_doc_free(doc);
        return rc;
    }
    return finish(doc, out);
}
