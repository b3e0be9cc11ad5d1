/*
 * cli/cmd_ccm.c - trustreg ccm import: a CSA CCM or CAIQ workbook becomes an OSCAL catalog.
 */
#include "cli/cli.h"
#include "trustreg/ccm.h"

#include <stdio.h>
#include <string.h>

static const char ccm_help[] =
    "usage: trustreg ccm import [--db PATH] [--json] [--version V] FILE\n\n"
    "Import a CSA Cloud Controls Matrix or CAIQ workbook as an OSCAL catalog: domains become\n"
    "groups, controls controls (statement = control specification), CAIQ questions parts of\n"
    "their control. Reads .xlsx (CCM v4.0.x matrix, CAIQ v4.0.x, CAIQ v3.0.1, CAIQ v3.1) and CSV\n"
    "exports of the questionnaire sheet. --version (4, 4.0.3, 3.0.1, 3.1) names the version of a\n"
    "CSV export, or checks that the workbook is of that version. The mapping columns to other\n"
    "frameworks are stored with the catalog. Importing the same file again changes nothing.\n"
    "Exit codes: 0 ok, 1 usage, 2 bad workbook, 3 file not found, 4 storage error.\n";

int cmd_ccm(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"version", required_argument, NULL, 'v'}, {NULL, 0, NULL, 0}};
    const char *version = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'v') {
            version = optarg;
            continue;
        }
        int r = cli_common_opt(c, opt, ccm_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("ccm", argv);
    }
    if (optind >= argc)
        return cli_usage("ccm", "missing subcommand: import");
    const char *sub = argv[optind++];
    if (strcmp(sub, "import") != 0)
        return cli_usage("ccm", "unknown subcommand '%s' (import)", sub);
    if (argc - optind != 1)
        return cli_usage("ccm", "'ccm import' needs exactly one FILE");
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    trustreg_ccm_import_result res;
    int rc = trustreg_ccm_import(db, argv[optind], version, &res);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json)
        cli_print_json(trustreg_ccm_import_result_to_json(&res));
    else
        printf("%s: %s %s (%s), %ld domains, %ld controls, %ld questions, %ld mapping cells%s\n",
               res.file, res.uuid, res.title, res.layout, res.domains, res.controls, res.questions,
               res.mappings, res.unchanged ? " (already stored)" : "");
    trustreg_ccm_import_result_clear(&res);
    return EXIT_OK;
}
