/*
 * cli/cmd_resolve.c - trustreg resolve: an OSCAL profile becomes a catalog (the library does the
 * work, see trustreg/resolve.h and docs/resolve.md); this file parses options and prints.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"

static const char resolve_help[] =
    "usage: trustreg resolve [--json] [-o OUT] [--map HREF=FILE]... [--store [--db PATH]]\n"
    "                        PROFILE\n\n"
    "Resolve an OSCAL profile (JSON) into a catalog as the NIST OSCAL profile resolution\n"
    "specification says: import, merge, modify, back-matter and metadata (docs/resolve.md).\n"
    "Imports are never fetched from the network. An import href is read from:\n"
    "  --map HREF=FILE  FILE, when the import or rlink href is exactly HREF (repeatable);\n"
    "  #uuid            the profile's back-matter resource (rlinks JSON first, then base64);\n"
    "  a relative path  beside the importing file (an .xml href is read from the .json sibling).\n"
    "Imported profiles are resolved too; an import cycle or a missing import is an error that\n"
    "names the chain of profiles.\n\n"
    "  -o, --output OUT  write the catalog to OUT atomically (else standard output)\n"
    "  --store           also store the catalog in the database (searchable, listed by\n"
    "                    'trustreg catalog list')\n"
    "  --json            print a summary object (file, uuid, title, controls, groups, stored)\n"
    "                    instead of text when the catalog goes to a file or the database\n"
    "  --quiet           no warnings on standard error\n\n"
    "Warnings the specification asks for (an alter or set-parameter matching nothing, clashing\n"
    "control ids under combine keep, ...) go to standard error. Exit codes: 0 ok, 1 usage,\n"
    "2 bad profile or import cycle, 3 profile or import not found, 4 storage error.\n";

static void warn(void *ctx, const char *message)
{
    const cli *c = ctx;
    if (!c->quiet)
        fprintf(stderr, "trustreg: warning: %s\n", message);
}

int cmd_resolve(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"output", required_argument, NULL, 'o'},
                                         {"map", required_argument, NULL, 'M'},
                                         {"store", no_argument, NULL, 'S'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int store = 0;
    trustreg_resolve_map *maps = calloc((size_t)argc + 1, sizeof *maps);
    size_t n_maps = 0;
    if (!maps) {
        fprintf(stderr, "trustreg: out of memory\n");
        return EXIT_STORE;
    }
    int opt, r = -1;
    opterr = 0;
    while (r < 0 && (opt = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        if (opt == 'o') {
            out = optarg;
        } else if (opt == 'S') {
            store = 1;
        } else if (opt == 'M') {
            char *eq = strrchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1]) {
                r = cli_usage("resolve", "--map expects HREF=FILE, found '%s'", optarg);
                break;
            }
            *eq = '\0';
            maps[n_maps++] = (trustreg_resolve_map){optarg, eq + 1};
        } else {
            int k = cli_common_opt(c, opt, resolve_help);
            if (k < 0)
                r = EXIT_OK;
            else if (k == 0)
                r = cli_bad_option("resolve", argv);
        }
    }
    if (r < 0 && optind != argc - 1)
        r = cli_usage("resolve", optind >= argc ? "no PROFILE given" : "exactly one PROFILE expected");
    if (r >= 0) {
        free(maps);
        return r;
    }
    const char *profile = argv[optind];
    trustreg_resolve_opts ro = {.maps = maps, .n_maps = n_maps, .warn = warn, .warn_ctx = c};
    json_t *catalog = NULL;
    int rc = trustreg_profile_resolve(profile, &ro, &catalog);
    free(maps);
    if (rc)
        return cli_fail(c, rc);
    char *text = NULL;
    size_t len = 0;
    if ((rc = trustreg_resolved_dump(catalog, &text, &len))) {
        json_decref(catalog);
        return cli_fail(c, rc);
    }
    r = EXIT_OK;
    if (out && strcmp(out, "-") != 0) {
        rc = tr_file_write_atomic(out, text, len);
    } else if (!store || out) {
        if (fwrite(text, 1, len, stdout) != len) {
            fprintf(stderr, "trustreg: writing to standard output failed\n");
            r = EXIT_INPUT;
        }
    }
    free(text);
    trustreg_import_result *res = NULL;
    if (!rc && r == EXIT_OK && store) {
        trustreg_db *db;
        if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db))) {
            json_decref(catalog);
            return r;
        }
        rc = trustreg_resolved_store(db, catalog, out && strcmp(out, "-") ? out : profile, &res);
        trustreg_db_close(db);
    }
    if (rc) {
        json_decref(catalog);
        return cli_fail(c, rc);
    }
    long controls = 0, groups = 0;
    trustreg_resolved_counts(catalog, &controls, &groups);
    json_t *body = json_object_get(catalog, "catalog");
    const char *uuid = json_string_value(json_object_get(body, "uuid"));
    const char *title =
        json_string_value(json_object_get(json_object_get(body, "metadata"), "title"));
    int to_file = out && strcmp(out, "-") != 0;
    int catalog_on_stdout = !to_file && (!store || out);
    if (r == EXIT_OK && (to_file || store)) {
        if (c->json && !catalog_on_stdout) {
            json_t *j = json_pack("{s:s, s:s?, s:s?, s:s?, s:I, s:I}", "profile", profile,
                                  "file", to_file ? out : NULL, "uuid", uuid, "title", title,
                                  "controls", (json_int_t)controls, "groups", (json_int_t)groups);
            if (j && res)
                json_object_set_new(j, "stored", trustreg_import_result_to_json(res));
            cli_print_json(j);
        } else {
            fprintf(catalog_on_stdout ? stderr : stdout,
                    "resolved %s: %ld controls, %ld groups, catalog %s%s%s%s\n", profile,
                    controls, groups, uuid ? uuid : "", to_file ? " -> " : "",
                    to_file ? out : "",
                    res ? (res->unchanged ? " (already stored)" : " (stored)") : "");
        }
    }
    if (res)
        trustreg_import_results_free(res, 1);
    json_decref(catalog);
    return r;
}
