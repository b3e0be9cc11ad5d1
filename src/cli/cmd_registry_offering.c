/*
 * cli/cmd_registry_offering.c - `trustreg offering ...`: the offerings reference list, a
 * provider's offering page, and attainments (add, withdraw, history).
 */
#include "cli/cmd_registry.h"

#include <stdio.h>
#include <string.h>

static const char offering_help[] =
    "usage: trustreg offering list [--category global|us-government|industry|regional]\n"
    "       trustreg offering show OFFERING [--org ORG] [--as-of DATE] [--all] [--signed-in]\n"
    "       trustreg offering attain ORG OFFERING --issued DATE --service S [--service S]...\n"
    "                [--expires DATE] [--period-start DATE --period-end DATE] [--assessor A]\n"
    "                [--reference REF] [--notes TEXT] [--doc KIND=FILE]...\n"
    "                [--restricted-doc KIND=FILE]... [--sha256 HEX] [--supersedes ID]\n"
    "                [--date DATE]\n"
    "       trustreg offering withdraw ATTAINMENT-ID --reason TEXT [--date DATE]\n"
    "       trustreg offering history ATTAINMENT-ID\n\n"
    "Offerings are compliance programs (ISO/IEC 27001, SOC 2, FedRAMP High, HIPAA, C5, ...);\n"
    "an attainment is one provider's certificate, attestation or report for one offering,\n"
    "covering one or more of its services. Without --expires the expiry is derived from the\n"
    "offering's typical validity (policy offerings.use_typical_validity). Status on a day:\n"
    "active, expiring (within offerings.expiry_warning_days, default 60), expired, superseded,\n"
    "withdrawn. 'show' with --org is the provider's offering page; without, every provider\n"
    "holding the offering.\n";

static void print_offerings(json_t *v)
{
    size_t i;
    json_t *o;
    json_array_foreach(v, i, o)
        printf("%-26s %-14s %-28s %s\n", cli_js(o, "slug"), cli_js(o, "category"),
               cli_js(o, "name"), cli_js(o, "issuer"));
}

static void print_page(json_t *v)
{
    printf("%s (%s) - %s, issued by %s\n", cli_js(v, "name"), cli_js(v, "slug"),
           cli_js(v, "category"), cli_js(v, "issuer"));
    printf("  %s\n  as of %s\n", cli_js(v, "description"), cli_js(v, "as_of"));
    json_t *atts = json_object_get(v, "attainments");
    size_t i;
    json_t *a;
    json_array_foreach(atts, i, a)
    {
        json_t *o = json_object_get(a, "org");
        printf("\n  attainment %lld: %s  %s  issued %s  expires %s%s\n",
               (long long)json_integer_value(json_object_get(a, "id")), cli_js(o, "name"),
               cli_js(a, "status"), cli_js(a, "issued_on"),
               json_is_string(json_object_get(a, "expires_on")) ? cli_js(a, "expires_on") : "-",
               json_is_true(json_object_get(a, "expiry_derived")) ? " (typical validity)" : "");
        if (json_is_string(json_object_get(a, "warning")))
            printf("    warning: %s\n", cli_js(a, "warning"));
        if (*cli_js(a, "reference"))
            printf("    reference: %s\n", cli_js(a, "reference"));
        json_t *as = json_object_get(a, "assessor");
        if (json_is_object(as))
            printf("    assessor: %s\n", cli_js(as, "name"));
        if (*cli_js(a, "notes"))
            printf("    notes: %s\n", cli_js(a, "notes"));
        size_t k;
        json_t *s;
        printf("    services:");
        json_array_foreach(json_object_get(a, "services"), k, s)
            printf(" %s", cli_js(s, "slug"));
        putchar('\n');
        json_array_foreach(json_object_get(a, "documents"), k, s)
            printf("    document: %s %s sha256 %s (%s)\n", cli_js(s, "kind"), cli_js(s, "title"),
                   cli_js(s, "sha256"), cli_js(s, "access"));
    }
    if (json_array_size(atts) == 0)
        printf("\n  no attainments\n");
}

static void print_msg(json_t *v)
{
    printf("%s\n", cli_js(v, "message"));
}

static void print_history(json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
        printf("%s\t%s\n", cli_js(e, "day"), cli_js(e, "kind"));
}

int cmd_offering(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "offering", offering_help);
    if (e >= 0)
        return e;
    const char *sub = cli_reg_sub(&r);
    const char *allowed =
        strcmp(sub, "list") == 0   ? "policy category"
        : strcmp(sub, "show") == 0 ? "policy org as-of all signed-in"
        : strcmp(sub, "attain") == 0
            ? "policy date issued expires period-start period-end assessor reference notes doc "
              "restricted-doc sha256 title supersedes service"
        : strcmp(sub, "withdraw") == 0 ? "policy date reason"
                                       : "policy";
    if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "attain") &&
        strcmp(sub, "withdraw") && strcmp(sub, "history"))
        return cli_usage("offering", *sub ? "unknown subcommand '%s'"
                                          : "expected a subcommand: list, show, attain, "
                                            "withdraw, history%s",
                         sub);
    if ((e = cli_reg_allow(&r, "offering", sub, allowed)) >= 0)
        return e;
    int want = strcmp(sub, "list") == 0 ? 0 : strcmp(sub, "attain") == 0 ? 2 : 1;
    if (r.nargs != want)
        return cli_usage("offering", "offering %s needs %s", sub,
                         want == 0   ? "no argument"
                         : want == 2 ? "ORG and OFFERING"
                         : sub[0] == 's' ? "one OFFERING"
                                         : "one ATTAINMENT-ID");
    int64_t id = 0;
    if ((strcmp(sub, "withdraw") == 0 || strcmp(sub, "history") == 0) &&
        (e = cli_reg_id("offering", r.args[0], &id)))
        return e;
    trustreg_db *db;
    trustreg_registry *reg;
    if ((e = cli_reg_open(c, &r, 0, &db, &reg)))
        return e;
    int rc;
    json_t *out = NULL;
    trustreg_view view = cli_reg_view(&r);
    if (strcmp(sub, "list") == 0) {
        e = (rc = trustreg_offering_list(reg, r.category, &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_offerings), EXIT_OK);
    } else if (strcmp(sub, "show") == 0) {
        e = (rc = trustreg_offering_page(reg, r.args[0], r.org, &view, &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_page), EXIT_OK);
    } else if (strcmp(sub, "attain") == 0) {
        trustreg_doc_spec docs[CLI_REG_MULTI];
        int n = cli_reg_docs(&r, docs, CLI_REG_MULTI, NULL, NULL, "offering");
        if (n < 0) {
            e = EXIT_USAGE;
        } else {
            trustreg_attainment_spec s = {.org = r.args[0],
                                          .offering = r.args[1],
                                          .reference = r.reference,
                                          .issued = r.issued,
                                          .expires = r.expires,
                                          .period_start = r.period_start,
                                          .period_end = r.period_end,
                                          .assessor = r.assessor,
                                          .notes = r.notes,
                                          .services = r.services,
                                          .n_services = r.n_services,
                                          .docs = docs,
                                          .n_docs = (size_t)n,
                                          .supersedes = r.supersedes,
                                          .date = r.date};
            int64_t aid;
            if ((rc = trustreg_attainment_add(reg, &s, &aid))) {
                e = cli_fail(c, rc);
            } else {
                char msg[160];
                snprintf(msg, sizeof msg, "added attainment %lld", (long long)aid);
                cli_reg_output(c, json_pack("{s:I, s:s}", "id", (json_int_t)aid, "message", msg),
                               print_msg);
                e = EXIT_OK;
            }
        }
    } else if (strcmp(sub, "withdraw") == 0) {
        if ((rc = trustreg_attainment_withdraw(reg, id, r.reason, r.date))) {
            e = cli_fail(c, rc);
        } else {
            char msg[160];
            snprintf(msg, sizeof msg, "withdrew attainment %lld", (long long)id);
            cli_reg_output(c, json_pack("{s:I, s:s}", "id", (json_int_t)id, "message", msg),
                           print_msg);
            e = EXIT_OK;
        }
    } else {
        e = (rc = trustreg_history(reg, "attainment", r.args[0], &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_history), EXIT_OK);
    }
    cli_reg_close(db, reg);
    return e;
}
