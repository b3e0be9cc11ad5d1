/*
 * cli/main.c - entry point of the trustreg command: global options, then the subcommand.
 *
 *   trustreg [--db PATH] [--json] [--quiet] COMMAND [ARGS...]
 *
 * Global options may also follow the command (the way git -C works before the command).
 */
#include "cli/cli.h"
#include "cli/cmd_registry.h"

#include <stdio.h>
#include <string.h>

static const cli_command commands[] = {
    {"init", cmd_init, "create (or migrate) the database"},
    {"import", cmd_import, "import OSCAL JSON documents"},
    {"export", cmd_export, "write a stored document back out"},
    {"list", cmd_list, "list stored documents"},
    {"catalog", cmd_catalog, "list catalogs, show a control"},
    {"search", cmd_search, "full-text search over controls"},
    {"resolve", cmd_resolve, "resolve an OSCAL profile into a catalog"},
    {"validate", cmd_validate, "check OSCAL documents against the schema and OSCAL rules"},
    {"map", cmd_map, "mappings between frameworks: import, export, show, coverage"},
    {"log", cmd_log, "transparency log: append, prove, checkpoint, witness"},
    {"verify", cmd_verify, "verify a log bundle offline"},
    {"audit", cmd_audit, "check stored statements against the log"},
    {"ccm", cmd_ccm, "import CSA CCM / CAIQ workbooks as catalogs"},
    {"caiq", cmd_caiq, "check, import, summarise, export CAIQ self-assessments"},
    {"org", cmd_org, "registry: cloud providers"},
    {"service", cmd_service, "registry: services, the service page, compare"},
    {"assessor", cmd_assessor, "registry: CPA firms, certification bodies"},
    {"entry", cmd_entry, "registry: STAR entries (submit, review, renew, search)"},
    {"offering", cmd_offering, "registry: compliance offerings and attainments"},
    {"demo", cmd_demo, "registry: fill the database with fictional demo data"},
};

static void print_help(void)
{
    printf("usage: trustreg [--db PATH] [--json] [--quiet] COMMAND [ARGS...]\n\n"
           "trustreg is a cloud assurance registry: OSCAL catalogs and profiles, and soon\n"
           "STAR entries, offerings and a verifiable transparency log.\n\n"
           "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("\nGlobal options (also accepted after the command):\n"
           "  --db PATH   database file (default: $TRUSTREG_DB, else var/trustreg.db)\n"
           "  --json      machine-readable output on stdout; errors as JSON on stderr\n"
           "  --quiet     no progress bar\n"
           "  --version   print the version\n"
           "  --help      this help; 'trustreg COMMAND --help' for a command\n\n"
           "Exit codes: 0 ok, 1 usage, 2 bad input, 3 not found, 4 storage or internal error.\n"
           "Documentation: docs/cli.md\n");
}

int main(int argc, char **argv)
{
    cli c = {0};
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    opterr = 0;
    int opt;
    /* "+": stop at the first non-option, which is the command */
    while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (opt == 'V') {
            printf("trustreg %s\n", trustreg_version());
            return EXIT_OK;
        }
        if (opt == 'h') {
            print_help();
            return EXIT_OK;
        }
        int r = cli_common_opt(&c, opt, "");
        if (r == 0) {
            if (optopt)
                return cli_usage(NULL, "unknown option '-%c'", optopt);
            return cli_usage(NULL, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        print_help();
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        print_help();
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* glibc: re-initialise getopt for the subcommand */
            return commands[i].run(&c, sub_argc, sub_argv);
        }
    }
    return cli_usage(NULL, "unknown command '%s'", name);
}
