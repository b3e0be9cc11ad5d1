/*
 * cli/cmd_registry_entry.c - `trustreg entry ...`: submit, review, confirm, renew, withdraw,
 * record monitoring data, show, history and search STAR entries.
 */
#include "cli/cmd_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char entry_help[] =
    "usage: trustreg entry add SERVICE --level LEVEL --ccm-version V --assessment-date DATE\n"
    "                [--caiq FILE [--caiq-pdf FILE]] [--doc KIND=FILE]... [--restricted-doc\n"
    "                KIND=FILE]... [--sha256 HEX] [--assessor A [--by-assessor]]\n"
    "                [--expires DATE] [--frequency-days N [--monitoring-end DATE]]\n"
    "                [--region R]... [--service S]... [--renews ID] [--date DATE]\n"
    "       trustreg entry review ID (--accept [--manual NOTE] | --reject REASON) [--date DATE]\n"
    "       trustreg entry confirm ID --assessor A [--date DATE]\n"
    "       trustreg entry renew ID --no-changes [--date DATE]\n"
    "       trustreg entry renew ID --caiq FILE --ccm-version V --assessment-date DATE ...\n"
    "       trustreg entry monitor ID [--date DATE]\n"
    "       trustreg entry withdraw ID --reason TEXT [--date DATE]\n"
    "       trustreg entry show ID [--as-of DATE] [--all] [--signed-in]\n"
    "       trustreg entry history ID\n"
    "       trustreg entry search [WORDS...] [--org ORG] [--category C] [--level L]\n"
    "                [--ccm-version V] [--offering O] [--region R] [--status S]\n"
    "                [--assessor A] [--sort provider|service|level|date|status] [--desc]\n"
    "                [--limit N] [--offset N] [--as-of DATE] [--all]\n\n"
    "LEVEL: L1 (self-assessment: CAIQ), L1-continuous, L2-attestation (SOC 2 + CCM, CPA firm),\n"
    "L2-certification (ISO/IEC 27001 + CCM, certification body, --expires = certificate's\n"
    "last day), C-STAR (certification body, --expires), L3 (continuous monitoring,\n"
    "--frequency-days). Level 1 entries wait for review; others for confirmation by their\n"
    "registered assessor unless --by-assessor (submitted by the assessor itself). Level 2 and\n"
    "C-STAR need a published Level 1 entry for the service. Dates are YYYY-MM-DD, UTC; --date\n"
    "is the day the change takes effect (default today) and cannot be in the future.\n"
    "Search shows public entries only (published, deprecated, expired, stale); --all is the\n"
    "registry operator view. Status is computed for --as-of (default today).\n";

static void print_entry(json_t *v)
{
    json_t *s = json_object_get(v, "service"), *o = json_object_get(v, "org");
    printf("STAR entry %lld: %s for %s (%s) of %s\n",
           (long long)json_integer_value(json_object_get(v, "id")), cli_js(v, "level"),
           cli_js(s, "name"), cli_js(s, "slug"), cli_js(o, "name"));
    printf("  status on %s: %s\n", cli_js(v, "as_of"), cli_js(v, "status"));
    printf("  CCM version: %s   assessment date: %s\n", cli_js(v, "ccm_version"),
           cli_js(v, "assessment_date"));
    const char *keys[] = {"submitted_on", "published_on", "last_renewed_on", "valid_until",
                          "certificate_expires", "rejected_on", "superseded_on", "withdrawn_on"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (json_is_string(json_object_get(v, keys[i])))
            printf("  %s: %s\n", keys[i], cli_js(v, keys[i]));
    if (json_is_integer(json_object_get(v, "superseded_by")))
        printf("  superseded by entry %lld\n",
               (long long)json_integer_value(json_object_get(v, "superseded_by")));
    json_t *a = json_object_get(v, "assessor");
    if (json_is_object(a))
        printf("  assessor: %s (%s, %s)\n", cli_js(a, "name"), cli_js(a, "slug"),
               cli_js(a, "kind"));
    if (json_is_string(json_object_get(v, "review")))
        printf("  review: %s%s%s\n", cli_js(v, "review"),
               json_is_string(json_object_get(v, "review_note")) ? ": " : "",
               cli_js(v, "review_note"));
    if (json_is_string(json_object_get(v, "reason")))
        printf("  reason: %s\n", cli_js(v, "reason"));
    json_t *docs = json_object_get(v, "documents");
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d)
        printf("  document: %-13s %s  sha256 %s  (%s)\n", cli_js(d, "kind"), cli_js(d, "title"),
               cli_js(d, "sha256"), cli_js(d, "access"));
}

static void print_history(json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        json_t *reason = json_object_get(e, "reason");
        printf("%s\t%s%s%s\n", cli_js(e, "day"), cli_js(e, "kind"), reason ? "\treason: " : "",
               reason ? json_string_value(reason) : "");
    }
}

static void print_search(json_t *v)
{
    json_t *res = json_object_get(v, "results");
    size_t i;
    json_t *e;
    json_array_foreach(res, i, e)
    {
        json_t *s = json_object_get(e, "service"), *o = json_object_get(e, "org");
        printf("%lld\t%-16s\t%-10s\t%s\t%s\t%s\t%s\n",
               (long long)json_integer_value(json_object_get(e, "id")), cli_js(e, "level"),
               cli_js(e, "status"), cli_js(e, "assessment_date"), cli_js(o, "name"),
               cli_js(s, "name"), cli_js(s, "category"));
    }
    if (json_array_size(res) == 0)
        printf("no entries match (as of %s)\n", cli_js(v, "as_of"));
}

static void print_msg(json_t *v)
{
    printf("%s\n", cli_js(v, "message"));
}

/* After a write, print the entry's status today (or its id with --json). */
static int report(cli *c, trustreg_registry *reg, int64_t id, const char *what, const char *day)
{
    trustreg_view view = {.as_of = day, .include_nonpublic = 1};
    json_t *e = NULL;
    int rc = trustreg_entry_show(reg, id, &view, &e);
    if (rc)
        return cli_fail(c, rc);
    char msg[200];
    snprintf(msg, sizeof msg, "%s entry %lld: %s, %s", what, (long long)id, cli_js(e, "level"),
             cli_js(e, "status"));
    cli_reg_output(c,
                   json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "level",
                             cli_js(e, "level"), "status", cli_js(e, "status"), "message", msg),
                   print_msg);
    json_decref(e);
    return EXIT_OK;
}

static int entry_add(cli *c, cli_reg *r, trustreg_registry *reg, const char *service,
                     trustreg_level level, int64_t renews)
{
    trustreg_doc_spec docs[CLI_REG_MULTI + 2];
    int n;
    if (r->caiq) {
        n = cli_reg_docs(r, docs, CLI_REG_MULTI + 2, "caiq", r->caiq, "entry");
        if (n >= 0 && r->caiq_pdf) {
            docs[n++] = (trustreg_doc_spec){.path = r->caiq_pdf, .kind = "caiq-pdf"};
        }
    } else {
        n = cli_reg_docs(r, docs, CLI_REG_MULTI + 2, NULL, NULL, "entry");
    }
    if (n < 0)
        return EXIT_USAGE;
    trustreg_entry_spec s = {.service = service,
                             .level = level,
                             .ccm_version = r->ccm_version,
                             .assessment_date = r->assessment_date,
                             .expires = r->expires,
                             .assessor = r->assessor,
                             .by_assessor = r->by_assessor,
                             .monitoring_end = r->monitoring_end,
                             .frequency_days = r->frequency_days,
                             .regions = r->regions,
                             .n_regions = r->n_regions,
                             .scope_services = r->services,
                             .n_scope_services = r->n_services,
                             .docs = docs,
                             .n_docs = (size_t)n,
                             .renews = renews,
                             .date = r->date};
    int64_t id;
    int rc = trustreg_entry_add(reg, &s, &id);
    if (rc)
        return cli_fail(c, rc);
    return report(c, reg, id, renews ? "submitted renewal" : "submitted", r->date);
}

#define ADD_OPTS                                                                                   \
    "policy date level ccm-version assessment-date caiq caiq-pdf doc restricted-doc sha256 "      \
    "title assessor by-assessor expires frequency-days monitoring-end region service renews"

int cmd_entry(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "entry", entry_help);
    if (e >= 0)
        return e;
    const char *sub = cli_reg_sub(&r);
    static const struct {
        const char *sub, *allowed;
        int nargs; /* -1: any */
    } subs[] = {
        {"add", ADD_OPTS, 1},
        {"review", "policy date accept reject manual", 1},
        {"confirm", "policy date assessor", 1},
        {"renew", ADD_OPTS " no-changes", 1},
        {"monitor", "policy date", 1},
        {"withdraw", "policy date reason", 1},
        {"show", "policy as-of all signed-in", 1},
        {"history", "policy", 1},
        {"search", "policy org category level ccm-version offering region status assessor sort "
                   "desc limit offset as-of all",
         -1},
    };
    int k = -1;
    for (int i = 0; i < (int)(sizeof subs / sizeof subs[0]); i++)
        if (strcmp(sub, subs[i].sub) == 0)
            k = i;
    if (k < 0)
        return cli_usage("entry", *sub ? "unknown subcommand '%s'"
                                       : "expected a subcommand: add, review, confirm, renew, "
                                         "monitor, withdraw, show, history, search%s",
                         sub);
    if ((e = cli_reg_allow(&r, "entry", sub, subs[k].allowed)) >= 0)
        return e;
    if (subs[k].nargs >= 0 && r.nargs != subs[k].nargs)
        return cli_usage("entry", "entry %s needs %s", sub,
                         strcmp(sub, "add") == 0 ? "one SERVICE" : "one entry ID");
    int64_t id = 0;
    if (strcmp(sub, "add") && strcmp(sub, "search") && (e = cli_reg_id("entry", r.args[0], &id)))
        return e;
    trustreg_level level = TRUSTREG_LEVEL_NONE;
    if (strcmp(sub, "add") == 0) {
        if (!r.level)
            return cli_usage("entry", "--level is required (L1, L1-continuous, L2-attestation, "
                                      "L2-certification, C-STAR, L3)");
        level = trustreg_level_from_name(r.level);
        /* an unknown level is bad input (exit 2), reported by the library with the choices */
    }
    if (strcmp(sub, "review") == 0 && !!r.accept == !!r.reject)
        return cli_usage("entry", "entry review needs either --accept or --reject REASON");
    if (strcmp(sub, "renew") == 0 && r.no_changes &&
        (r.caiq || r.ccm_version || r.assessment_date))
        return cli_usage("entry", "--no-changes renews as is; do not give a new CAIQ with it");
    if (strcmp(sub, "renew") == 0 && !r.no_changes && !r.caiq)
        return cli_usage("entry", "entry renew needs --no-changes, or a new --caiq FILE with "
                                  "--ccm-version and --assessment-date");

    trustreg_db *db;
    trustreg_registry *reg;
    if ((e = cli_reg_open(c, &r, 0, &db, &reg)))
        return e;
    int rc = 0;
    json_t *out = NULL;
    trustreg_view view = cli_reg_view(&r);
    if (strcmp(sub, "add") == 0) {
        e = entry_add(c, &r, reg, r.args[0], level, r.renews);
    } else if (strcmp(sub, "review") == 0) {
        rc = trustreg_entry_review(reg, id, r.accept, r.reject, r.manual, r.date);
        e = rc ? cli_fail(c, rc) : report(c, reg, id, "reviewed", r.date);
    } else if (strcmp(sub, "confirm") == 0) {
        rc = trustreg_entry_confirm(reg, id, r.assessor, r.date);
        e = rc ? cli_fail(c, rc) : report(c, reg, id, "confirmed", r.date);
    } else if (strcmp(sub, "renew") == 0) {
        if (r.no_changes) {
            rc = trustreg_entry_renew_unchanged(reg, id, r.date);
            e = rc ? cli_fail(c, rc) : report(c, reg, id, "renewed (no changes)", r.date);
        } else {
            /* a new CAIQ: a new entry for the same service and level that supersedes this one
             * once published */
            trustreg_view all = {.include_nonpublic = 1};
            if ((rc = trustreg_entry_show(reg, id, &all, &out))) {
                e = cli_fail(c, rc);
            } else {
                char svc[64];
                snprintf(svc, sizeof svc, "%lld",
                         (long long)json_integer_value(
                             json_object_get(json_object_get(out, "service"), "id")));
                level = trustreg_level_from_name(cli_js(out, "level"));
                json_decref(out);
                e = entry_add(c, &r, reg, svc, level, id);
            }
        }
    } else if (strcmp(sub, "monitor") == 0) {
        rc = trustreg_entry_monitoring(reg, id, r.date);
        e = rc ? cli_fail(c, rc) : report(c, reg, id, "monitoring data for", r.date);
    } else if (strcmp(sub, "withdraw") == 0) {
        rc = trustreg_entry_withdraw(reg, id, r.reason, r.date);
        e = rc ? cli_fail(c, rc) : report(c, reg, id, "withdrew", r.date);
    } else if (strcmp(sub, "show") == 0) {
        e = (rc = trustreg_entry_show(reg, id, &view, &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_entry), EXIT_OK);
    } else if (strcmp(sub, "history") == 0) {
        e = (rc = trustreg_history(reg, "entry", r.args[0], &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_history), EXIT_OK);
    } else {
        /* search: the words are the text query */
        size_t len = 1;
        for (int i = 0; i < r.nargs; i++)
            len += strlen(r.args[i]) + 1;
        char *text = calloc(1, len);
        if (!text) {
            cli_reg_close(db, reg);
            return EXIT_STORE;
        }
        size_t at = 0;
        for (int i = 0; i < r.nargs; i++) {
            size_t n = strlen(r.args[i]);
            if (i)
                text[at++] = ' ';
            memcpy(text + at, r.args[i], n);
            at += n;
        }
        trustreg_entry_query q = {.text = r.nargs ? text : NULL,
                                  .org = r.org,
                                  .category = r.category,
                                  .level = r.level,
                                  .ccm_version = r.ccm_version,
                                  .offering = r.offering,
                                  .region = r.region1,
                                  .status = r.status,
                                  .assessor = r.assessor,
                                  .sort = r.sort,
                                  .descending = r.descending,
                                  .limit = r.limit,
                                  .offset = r.offset,
                                  .view = view};
        if (r.n_regions > 1)
            e = cli_usage("entry", "--region can be given once for search");
        else
            e = (rc = trustreg_entry_search(reg, &q, &out))
                    ? cli_fail(c, rc)
                    : (cli_reg_output(c, out, print_search), EXIT_OK);
        free(text);
    }
    cli_reg_close(db, reg);
    return e;
}
