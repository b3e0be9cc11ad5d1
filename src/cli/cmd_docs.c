/*
 * cli/cmd_docs.c - document commands: init, import, export, list.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option common_only[] = {CLI_COMMON_OPTS, {NULL, 0, NULL, 0}};

/* Parse options that are only the common ones; returns -1 to continue, else an exit code. */
static int parse_common(cli *c, int argc, char **argv, const char *name, const char *help)
{
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", common_only, NULL)) != -1) {
        int r = cli_common_opt(c, opt, help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option(name, argv);
    }
    return -1;
}

static const char init_help[] =
    "usage: trustreg init [--db PATH] [--json]\n\n"
    "Create the database (and its folder) when missing, and bring its schema up to date.\n"
    "Running it again is harmless.\n";

int cmd_init(cli *c, int argc, char **argv)
{
    int r = parse_common(c, argc, argv, "init", init_help);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage("init", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    int version = 0;
    int rc = trustreg_db_schema_version(db, &version);
    if (rc) {
        r = cli_fail(c, rc);
    } else if (c->json) {
        cli_print_json(json_pack("{s:s, s:i}", "db", trustreg_db_path(db), "schema_version",
                                 version));
    } else {
        printf("database %s ready (schema version %d)\n", trustreg_db_path(db), version);
    }
    trustreg_db_close(db);
    return r;
}

static const char import_help[] =
    "usage: trustreg import [--db PATH] [--json] [--quiet] FILE...\n\n"
    "Import OSCAL JSON documents (catalog, profile, component-definition, system-security-plan,\n"
    "assessment-plan, assessment-results, plan-of-action-and-milestones, mapping-collection).\n"
    "FILE '-' reads standard input. All files are imported in one transaction: when one is bad,\n"
    "none is stored. Catalogs are indexed control by control for 'catalog show' and 'search'.\n"
    "Prints one line per document: model, uuid, title; --json prints an array of objects with\n"
    "file, model, uuid, title, version, oscal_version, sha256, controls, groups, unchanged.\n"
    "The database is created when missing.\n";

int cmd_import(cli *c, int argc, char **argv)
{
    int r = parse_common(c, argc, argv, "import", import_help);
    if (r >= 0)
        return r;
    if (optind >= argc)
        return cli_usage("import", "no FILE given");
    trustreg_db *db;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    size_t n = (size_t)(argc - optind);
    trustreg_import_result *res = NULL;
    int rc = trustreg_oscal_import_files(db, (const char *const *)(argv + optind), n,
                                         cli_progress, c, &res);
    cli_progress_end(c);
    if (rc) {
        r = cli_fail(c, rc);
        trustreg_db_close(db);
        return r;
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, trustreg_import_result_to_json(&res[i]));
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("%s\t%s\t%s", trustreg_oscal_model_name(res[i].model), res[i].uuid,
                   res[i].title);
            if (res[i].model == TRUSTREG_MODEL_CATALOG)
                printf("\t(%ld controls, %ld groups)", res[i].controls, res[i].groups);
            if (res[i].unchanged)
                printf("\t(already stored)");
            putchar('\n');
        }
    }
    trustreg_import_results_free(res, n);
    trustreg_db_close(db);
    return EXIT_OK;
}

static const char export_help[] =
    "usage: trustreg export [--db PATH] [-o FILE] [--pretty | --compact] UUID|SHA256|ID\n\n"
    "Write a stored document: the most recent import with this uuid, or the version with this\n"
    "SHA-256 or id (see 'trustreg list --json'). By default the exact bytes\n"
    "that were imported (same SHA-256); --pretty or --compact re-serialise it with the key\n"
    "order kept. Without -o the document goes to standard output. With -o the file is written\n"
    "atomically (complete or not at all).\n";

int cmd_export(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"output", required_argument, NULL, 'o'},
                                         {"pretty", no_argument, NULL, 'P'},
                                         {"compact", no_argument, NULL, 'C'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    enum trustreg_export_format format = TRUSTREG_EXPORT_ORIGINAL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        if (opt == 'o') {
            out = optarg;
        } else if (opt == 'P') {
            format = TRUSTREG_EXPORT_PRETTY;
        } else if (opt == 'C') {
            format = TRUSTREG_EXPORT_COMPACT;
        } else {
            int r = cli_common_opt(c, opt, export_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("export", argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage("export", optind >= argc ? "no UUID given" : "exactly one UUID expected");
    const char *uuid = argv[optind];
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    int rc;
    if (out && strcmp(out, "-") != 0) {
        rc = trustreg_oscal_export_file(db, uuid, format, out);
    } else {
        char *data = NULL;
        size_t len = 0;
        rc = trustreg_oscal_export(db, uuid, format, &data, &len);
        if (!rc && fwrite(data, 1, len, stdout) != len) {
            free(data);
            trustreg_db_close(db);
            fprintf(stderr, "trustreg: writing to standard output failed\n");
            return EXIT_INPUT;
        }
        free(data);
    }
    trustreg_db_close(db);
    return rc ? cli_fail(c, rc) : EXIT_OK;
}

static const char list_help[] =
    "usage: trustreg list [--db PATH] [--json] [--model MODEL]\n\n"
    "List stored documents, newest first: id, model, uuid, version, title.\n"
    "--model keeps one model (catalog, profile, system-security-plan, ...).\n";

int cmd_list(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"model", required_argument, NULL, 'm'}, {NULL, 0, NULL, 0}};
    trustreg_oscal_model model = TRUSTREG_MODEL_UNKNOWN;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'm') {
            model = trustreg_oscal_model_from_name(optarg);
            if (model == TRUSTREG_MODEL_UNKNOWN)
                return cli_usage("list", "unknown model '%s'", optarg);
            continue;
        }
        int r = cli_common_opt(c, opt, list_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("list", argv);
    }
    if (optind < argc)
        return cli_usage("list", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    trustreg_doc_info *docs = NULL;
    size_t n = 0;
    int rc = trustreg_oscal_list(db, model, &docs, &n);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, trustreg_doc_info_to_json(&docs[i]));
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s\n", (long long)docs[i].id,
                   trustreg_oscal_model_name(docs[i].model), docs[i].uuid, docs[i].version,
                   docs[i].title);
    }
    trustreg_doc_infos_free(docs, n);
    return EXIT_OK;
}
