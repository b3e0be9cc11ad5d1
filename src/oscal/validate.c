/*
 * oscal/validate.c - trustreg_validate_*: read a document with the flat reader, pick the OSCAL
 * schema of its version, run the compiled schema (oscal/vschema.c) and the OSCAL rules
 * (oscal/validate_rules.c), and turn what they found into the public report.
 */
#include "trustreg/validate.h"
#include "oscal/validate_rules.h"
#include "oscal/vschema.h"
#include "util/error.h"
#include "util/file.h"
#include "util/jdom.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VERSIONS 64
static const char *g_version_names[MAX_VERSIONS];
static pthread_once_t g_version_once = PTHREAD_ONCE_INIT;

static void init_version_names(void)
{
    for (size_t i = 0; i < tr_vs_oscal_count && i < MAX_VERSIONS; i++)
        g_version_names[i] = tr_vs_oscal_sets[i]->name;
}

size_t trustreg_validate_schema_versions(const char *const **versions)
{
    pthread_once(&g_version_once, init_version_names);
    if (versions)
        *versions = g_version_names;
    return tr_vs_oscal_count < MAX_VERSIONS ? tr_vs_oscal_count : MAX_VERSIONS;
}

/* "1.2.3" (an optional leading 'v', anything after the patch ignored) -> 0, else -1. */
static int parse_version(const char *s, int v[3])
{
    if (!s)
        return -1;
    if (*s == 'v' || *s == 'V')
        s++;
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return -1;
        long x = strtol(s, (char **)&s, 10);
        if (x > 100000)
            return -1;
        v[i] = (int)x;
        if (i < 2 && *s++ != '.')
            return -1;
    }
    return 0;
}

static void available(tr_buf *b)
{
    for (size_t i = 0; i < tr_vs_oscal_count; i++)
        tr_buf_printf(b, "%s%s", i ? ", " : "", tr_vs_oscal_sets[i]->name);
}

/* The schema for a document of oscal_version, or one forced by name. */
static int pick_schema(const char *source, const char *oscal_version, const char *forced,
                       const tr_vs_set **out)
{
    if (tr_vs_oscal_count == 0)
        return tr_error(TRUSTREG_ENOTFOUND, "%s: schema not available: %s", source,
                        tr_vs_oscal_missing);
    if (forced) {
        int f[3], s[3];
        if (parse_version(forced, f) == 0)
            for (size_t i = 0; i < tr_vs_oscal_count; i++)
                if (parse_version(tr_vs_oscal_sets[i]->name, s) == 0 && s[0] == f[0] &&
                    s[1] == f[1] && s[2] == f[2]) {
                    *out = tr_vs_oscal_sets[i];
                    return TRUSTREG_OK;
                }
        tr_buf b = {0};
        available(&b);
        int rc = tr_error(TRUSTREG_EUSAGE, "no OSCAL schema version \"%s\" (available: %s)", forced,
                          b.data ? b.data : "");
        tr_buf_free(&b);
        return rc;
    }
    int d[3];
    if (parse_version(oscal_version, d) != 0) {
        /* nothing usable to go by: the newest schema reports what is missing or malformed */
        *out = tr_vs_oscal_sets[tr_vs_oscal_count - 1];
        return TRUSTREG_OK;
    }
    const tr_vs_set *best = NULL;
    for (size_t i = 0; i < tr_vs_oscal_count; i++) {
        int s[3];
        if (parse_version(tr_vs_oscal_sets[i]->name, s) == 0 && s[0] == d[0] && s[1] == d[1] &&
            s[2] >= d[2])
            best = tr_vs_oscal_sets[i]; /* sets are oldest first: keep the newest patch */
    }
    if (best) {
        *out = best;
        return TRUSTREG_OK;
    }
    tr_buf b = {0};
    available(&b);
    int rc = tr_error_ptr(TRUSTREG_ENOTFOUND, source, "/metadata/oscal-version",
                          "no schema for OSCAL %s (available: %s); use --schema-version to "
                          "choose one",
                          oscal_version, b.data ? b.data : "");
    tr_buf_free(&b);
    return rc;
}

void trustreg_validation_free(trustreg_validation *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n_errors; i++) {
        free((char *)v->errors[i].pointer);
        free((char *)v->errors[i].expected);
        free((char *)v->errors[i].found);
        free((char *)v->errors[i].location);
    }
    free(v->errors);
    free(v->source);
    free(v->oscal_version);
    free(v->schema_version);
    free(v);
}

static int build_report(trustreg_validation *v, const tr_jdom *dom, const tr_vs_set *set,
                        tr_vs_errors *errs)
{
    v->errors = calloc(errs->n ? errs->n : 1, sizeof *v->errors);
    if (!v->errors)
        return tr_error_oom();
    for (size_t i = 0; i < errs->n; i++) {
        tr_vs_error *e = &errs->v[i];
        trustreg_validation_error *o = &v->errors[v->n_errors++];
        o->pointer = tr_vs_pointer(dom, e->node);
        o->keyword = e->keyword;
        o->expected = e->expected ? e->expected : tr_strdup("?");
        o->found = e->found ? e->found : tr_strdup("?");
        e->expected = e->found = NULL;
        tr_buf b = {0};
        if (strncmp(e->loc, "trustreg:", 9) == 0)
            tr_buf_puts(&b, e->loc);
        else
            tr_buf_printf(&b, "%s%s/%s", set->file, e->loc, e->keyword);
        o->location = tr_buf_steal(&b);
        if (!o->pointer || !o->expected || !o->found || !o->location)
            return tr_error_oom();
    }
    v->truncated = errs->truncated;
    return TRUSTREG_OK;
}

static trustreg_oscal_model find_model(const tr_jdom *dom, uint32_t *body)
{
    *body = TR_JNONE;
    if (dom->n == 0 || dom->nodes[0].type != TR_J_OBJECT)
        return TRUSTREG_MODEL_UNKNOWN;
    for (uint32_t k = tr_jdom_first(dom, 0); k != TR_JNONE; k = tr_jdom_next_member(dom, 0, k)) {
        trustreg_oscal_model m = trustreg_oscal_model_from_name(dom->nodes[k].str);
        if (m != TRUSTREG_MODEL_UNKNOWN) {
            *body = k + 1;
            return m;
        }
    }
    return TRUSTREG_MODEL_UNKNOWN;
}

static int validate_dom(const tr_jdom *dom, const char *source,
                        const trustreg_validate_options *opt, const char *base_dir,
                        trustreg_validation **out)
{
    trustreg_validation *v = calloc(1, sizeof *v);
    if (!v)
        return tr_error_oom();
    uint32_t body;
    v->model = find_model(dom, &body);
    const char *ov = NULL;
    if (body != TR_JNONE)
        ov =
            tr_jdom_str(dom, tr_jdom_get(dom, tr_jdom_get(dom, body, "metadata"), "oscal-version"));
    v->source = tr_strdup(source);
    v->oscal_version = tr_strdup(ov ? ov : "");
    const tr_vs_set *set = NULL;
    int rc = pick_schema(source, ov, opt->schema_version, &set);
    if (rc) {
        trustreg_validation_free(v);
        return rc;
    }
    v->schema_version = tr_strdup(set->name);
    tr_vs_errors errs = {.max = opt->max_errors ? opt->max_errors : 1000};
    rc = tr_vs_validate(set, dom, 0, &errs);
    if (!rc && !opt->schema_only && !errs.truncated)
        rc = tr_oscal_rules_check(dom, v->model, base_dir, &errs);
    if (!rc)
        rc = build_report(v, dom, set, &errs);
    tr_vs_errors_free(&errs);
    if (rc || !v->source || !v->oscal_version || !v->schema_version) {
        trustreg_validation_free(v);
        return rc ? rc : tr_error_oom();
    }
    *out = v;
    return TRUSTREG_OK;
}

static const trustreg_validate_options no_options;

int trustreg_validate_mem(const void *bytes, size_t len, const char *source,
                          const trustreg_validate_options *options, trustreg_validation **out)
{
    const trustreg_validate_options *opt = options ? options : &no_options;
    *out = NULL;
    if (!source)
        source = "(memory)";
    if (!bytes && len)
        return tr_error(TRUSTREG_EUSAGE, "trustreg_validate_mem: no bytes");
    if (len > TRUSTREG_OSCAL_MAX_BYTES)
        return tr_error(TRUSTREG_EINPUT, "%s: document larger than %u bytes", source,
                        TRUSTREG_OSCAL_MAX_BYTES);
    tr_jdom dom = {0};
    int rc = tr_jdom_parse(&dom, bytes, len, TRUSTREG_OSCAL_MAX_DEPTH, source);
    if (!rc)
        rc = validate_dom(&dom, source, opt, opt->base_dir, out);
    tr_jdom_free(&dom);
    return rc;
}

int trustreg_validate_file(const char *path, const trustreg_validate_options *options,
                           trustreg_validation **out)
{
    const trustreg_validate_options *opt = options ? options : &no_options;
    *out = NULL;
    unsigned char *buf = NULL;
    size_t len = 0, mapped = 0;
    int rc = tr_file_read_big(path, TRUSTREG_OSCAL_MAX_BYTES, &buf, &len, &mapped);
    if (rc)
        return rc;
    const char *source = strcmp(path, "-") == 0 ? "(stdin)" : path;
    char *dir = NULL;
    if (opt->base_dir) {
        dir = tr_strdup(opt->base_dir);
    } else if (strcmp(path, "-") != 0) {
        const char *slash = strrchr(path, '/');
        dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : tr_strdup(".");
    }
    tr_jdom dom = {0};
    rc = tr_jdom_parse(&dom, buf, len, TRUSTREG_OSCAL_MAX_DEPTH, source);
    if (!rc)
        rc = validate_dom(&dom, source, opt, dir, out);
    tr_jdom_free(&dom);
    tr_file_unmap(buf, mapped);
    free(dir);
    return rc;
}

json_t *trustreg_validation_to_json(const trustreg_validation *v)
{
    json_t *errors = json_array();
    for (size_t i = 0; i < v->n_errors; i++) {
        const trustreg_validation_error *e = &v->errors[i];
        json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s, s:s}", "pointer", e->pointer,
                                                "expected", e->expected, "found", e->found,
                                                "keyword", e->keyword, "location", e->location));
    }
    const char *model = trustreg_oscal_model_name(v->model);
    return json_pack("{s:s, s:b, s:s?, s:s, s:s, s:b, s:o}", "file", v->source, "valid",
                     v->n_errors == 0, "model", model, "oscal_version", v->oscal_version,
                     "schema_version", v->schema_version, "truncated", v->truncated, "errors",
                     errors);
}
