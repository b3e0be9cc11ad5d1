/*
 * cli/cmd_caiq.c - trustreg caiq check|import|summary|export: a provider's filled CAIQ
 * (self-assessment), checked against the stored CCM catalog of its version.
 */
#include "cli/cli.h"
#include "trustreg/ccm.h"

#include <stdio.h>
#include <string.h>

static const char caiq_help[] =
    "usage: trustreg caiq check   [--json] [--strict] [--version V] [--catalog UUID] FILE\n"
    "       trustreg caiq import  [--json] [--strict] [--version V] [--catalog UUID] FILE\n"
    "       trustreg caiq summary [--json] [ASSESSMENT-UUID]\n"
    "       trustreg caiq export  [--format xlsx|oscal] -o OUT [ASSESSMENT-UUID]\n\n"
    "check:   read a filled CAIQ (.xlsx, or CSV with --version) and report every problem with\n"
    "         sheet, cell and cause: unknown, missing, repeated or reordered questions, blank\n"
    "         answers, values outside the lists (Yes/No/NA, the five SSRM ownership values),\n"
    "         two marks on a v3 row, NA without a justification, removed or moved columns.\n"
    "         The reference is the latest stored CCM catalog of the same CAIQ version (import\n"
    "         the CSA workbook with 'trustreg ccm import' first) or --catalog UUID.\n"
    "import:  check, then store the answers when there is no error (--strict: no warning\n"
    "         either); otherwise nothing is written.\n"
    "summary: per-domain Yes/No/NA/blank counts and SSRM ownership split of a stored\n"
    "         assessment (default: the latest imported).\n"
    "export:  write a stored assessment as a CAIQ workbook of its version (xlsx, default) or\n"
    "         as OSCAL 1.1.3 assessment-results JSON (--format oscal).\n"
    "Exit codes: 0 ok (check: accepted), 1 usage, 2 bad input or not accepted, 3 not found,\n"
    "4 storage error.\n";

static void print_report(const trustreg_caiq_report *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        const trustreg_caiq_finding *f = &r->findings[i];
        fprintf(stdout, "%s: %s%s%s: %s: %s [%s]\n", r->file, f->sheet, f->cell[0] ? "!" : "",
                f->cell, f->severity == TRUSTREG_CAIQ_ERROR ? "error" : "warning", f->message,
                f->code);
    }
    printf("%s: CAIQ %s, %ld questions, %ld errors, %ld warnings: %s\n", r->file, r->caiq_version,
           r->questions, r->errors, r->warnings, r->accepted ? "accepted" : "not accepted");
    if (r->assessment_uuid)
        printf("imported as assessment %s\n", r->assessment_uuid);
}

static void print_domain(const trustreg_caiq_domain_summary *d)
{
    printf("%-6s %5ld %5ld %5ld %5ld %5ld", d->domain[0] ? d->domain : "total", d->yes, d->no,
           d->na, d->blank, d->invalid);
    for (int k = 0; k < TRUSTREG_CAIQ_OWNERSHIP_COUNT; k++)
        printf(" %5ld", d->ownership[k]);
    printf(" %5ld\n", d->ownership_other);
}

static int summary(cli *c, trustreg_db *db, const char *uuid)
{
    trustreg_caiq_summary *s = NULL;
    int rc = trustreg_caiq_summary_get(db, uuid, &s);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        cli_print_json(trustreg_caiq_summary_to_json(s));
    } else {
        printf("assessment %s: CAIQ %s, %s (imported %s)\n", s->uuid, s->caiq_version, s->source,
               s->imported_at);
        printf("%-6s %5s %5s %5s %5s %5s %5s %5s %5s %5s %5s %5s\n", "domain", "yes", "no", "na",
               "blank", "inval", "CSP", "CSC", "3rd", "S-CSC", "S-3rd", "other");
        for (size_t i = 0; i < s->n_domains; i++)
            print_domain(&s->domains[i]);
        print_domain(&s->total);
    }
    trustreg_caiq_summary_free(s);
    return EXIT_OK;
}

int cmd_caiq(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"strict", no_argument, NULL, 's'},
                                         {"version", required_argument, NULL, 'v'},
                                         {"catalog", required_argument, NULL, 'c'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    trustreg_caiq_opts o = {0};
    const char *format = "xlsx", *output = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hqo:", opts, NULL)) != -1) {
        switch (opt) {
        case 's':
            o.strict = 1;
            continue;
        case 'v':
            o.version = optarg;
            continue;
        case 'c':
            o.catalog_uuid = optarg;
            continue;
        case 'f':
            format = optarg;
            continue;
        case 'o':
            output = optarg;
            continue;
        }
        int r = cli_common_opt(c, opt, caiq_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("caiq", argv);
    }
    if (optind >= argc)
        return cli_usage("caiq", "missing subcommand: check, import, summary or export");
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    int is_check = strcmp(sub, "check") == 0, is_import = strcmp(sub, "import") == 0;
    if (is_check || is_import) {
        if (nargs != 1)
            return cli_usage("caiq", "'caiq %s' needs exactly one FILE", sub);
    } else if (strcmp(sub, "summary") == 0 || strcmp(sub, "export") == 0) {
        if (nargs > 1)
            return cli_usage("caiq", "'caiq %s' takes at most one ASSESSMENT-UUID", sub);
        if (sub[0] == 'e' && !output)
            return cli_usage("caiq", "'caiq export' needs -o OUT");
        if (sub[0] == 'e' && strcmp(format, "xlsx") != 0 && strcmp(format, "oscal") != 0)
            return cli_usage("caiq", "--format is xlsx or oscal, not '%s'", format);
    } else {
        return cli_usage("caiq", "unknown subcommand '%s' (check, import, summary, export)", sub);
    }
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, is_import ? TRUSTREG_DB_CREATE : 0, &db)))
        return r;
    const char *arg = nargs ? argv[optind] : NULL;
    if (is_check || is_import) {
        trustreg_caiq_report *rep = NULL;
        int rc = is_check ? trustreg_caiq_check(db, arg, &o, &rep)
                          : trustreg_caiq_import(db, arg, &o, &rep);
        if (rep) {
            if (c->json)
                cli_print_json(trustreg_caiq_report_to_json(rep));
            else
                print_report(rep);
        }
        if (!rc && !rep->accepted)
            r = EXIT_INPUT;
        else if (rc)
            r = rep ? trustreg_status_exit_code(rc) : cli_fail(c, rc);
        if (rc && rep && !c->json)
            fprintf(stderr, "trustreg: %s\n", trustreg_error_last()->message);
        trustreg_caiq_report_free(rep);
    } else if (sub[0] == 's') {
        r = summary(c, db, arg);
    } else {
        int rc = trustreg_caiq_export(db, arg,
                                      strcmp(format, "oscal") == 0 ? TRUSTREG_CAIQ_EXPORT_OSCAL_AR
                                                                   : TRUSTREG_CAIQ_EXPORT_XLSX,
                                      output);
        r = rc ? cli_fail(c, rc) : EXIT_OK;
        if (!rc && !c->json)
            printf("%s\n", output);
        else if (!rc)
            cli_print_json(json_pack("{s:s, s:s}", "output", output, "format", format));
    }
    trustreg_db_close(db);
    return r;
}
