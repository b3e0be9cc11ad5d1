/*
 * cli/cmd_validate.c - `trustreg validate`: check OSCAL documents against the official JSON schema
 * of their version and the OSCAL rules a schema cannot express (trustreg/validate.h).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char validate_help[] =
    "usage: trustreg validate [--schema-version V] [--schema-only] [--max-errors N] [--json]\n"
    "                         FILE...\n\n"
    "Validate OSCAL JSON documents (any model) against the official OSCAL JSON schema of their\n"
    "metadata.oscal-version, then check what a schema cannot: unique ids and uuids, parameter\n"
    "inserts and '#' references that resolve, profile imports that exist. FILE '-' reads\n"
    "standard input. No database is used.\n\n"
    "Each problem is printed as\n"
    "  FILE: POINTER: expected ..., found ... [keyword]\n"
    "and a valid file as 'FILE: valid (OSCAL x.y.z schema)'.\n\n"
    "Options:\n"
    "  --schema-version V   validate against schema V (e.g. 1.1.2) whatever the document says\n"
    "  --schema-only        only the JSON schema, not the extra OSCAL rules\n"
    "  --max-errors N       list at most N problems per file (default 1000)\n"
    "  --json               print an array of {file, valid, model, oscal_version,\n"
    "                       schema_version, truncated, errors: [{pointer, expected, found,\n"
    "                       keyword, location}]}\n\n"
    "Exit codes: 0 every file is valid, 2 a file is invalid or unreadable JSON, 3 a file or the\n"
    "schema for its version is missing, 1 usage.\n";

int cmd_validate(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"schema-version", required_argument, NULL, 'S'},
                                         {"schema-only", no_argument, NULL, 'O'},
                                         {"max-errors", required_argument, NULL, 'M'},
                                         {NULL, 0, NULL, 0}};
    trustreg_validate_options vo = {0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'S') {
            vo.schema_version = optarg;
        } else if (opt == 'O') {
            vo.schema_only = 1;
        } else if (opt == 'M') {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > 1000000)
                return cli_usage("validate", "--max-errors wants a number from 1 to 1000000");
            vo.max_errors = (size_t)n;
        } else {
            int r = cli_common_opt(c, opt, validate_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("validate", argv);
        }
    }
    if (optind >= argc)
        return cli_usage("validate", "no FILE given");

    int worst = EXIT_OK;
    json_t *all = c->json ? json_array() : NULL;
    for (int i = optind; i < argc; i++) {
        trustreg_validation *v = NULL;
        int rc = trustreg_validate_file(argv[i], &vo, &v);
        if (rc) {
            int code = cli_fail(c, rc);
            if (rc == TRUSTREG_EUSAGE) {
                json_decref(all);
                return code;
            }
            if (code > worst)
                worst = code;
            continue;
        }
        if (v->n_errors && worst < EXIT_INPUT)
            worst = EXIT_INPUT;
        if (all) {
            json_array_append_new(all, trustreg_validation_to_json(v));
        } else if (v->n_errors == 0) {
            printf("%s: valid (OSCAL %s schema)\n", v->source, v->schema_version);
        } else {
            for (size_t k = 0; k < v->n_errors; k++) {
                const trustreg_validation_error *e = &v->errors[k];
                printf("%s: %s: expected %s, found %s [%s]\n", v->source,
                       e->pointer[0] ? e->pointer : "/", e->expected, e->found, e->keyword);
            }
            if (v->truncated)
                printf("%s: more problems not listed (--max-errors)\n", v->source);
        }
        trustreg_validation_free(v);
    }
    if (all)
        cli_print_json(all);
    return worst;
}
