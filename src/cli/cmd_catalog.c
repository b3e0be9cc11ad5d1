/*
 * cli/cmd_catalog.c - catalog commands: catalog list, catalog show, and search.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char catalog_help[] =
    "usage: trustreg catalog list [--db PATH] [--json]\n"
    "       trustreg catalog show [--db PATH] [--json] [--guidance] CATALOG-UUID CONTROL-ID\n\n"
    "list: stored catalogs with uuid, version, number of controls and title.\n"
    "show: one control: label, title, group, statement prose with parameters rendered,\n"
    "      parameters, and its enhancements. CONTROL-ID is the OSCAL id (ac-2.1) or the\n"
    "      label (AC-2(1)), compared case-insensitively. --guidance adds the guidance text.\n";

static void print_indented(const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%.*s\n", indent, (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static int catalog_list(cli *c, trustreg_db *db)
{
    trustreg_doc_info *docs = NULL;
    size_t n = 0;
    int rc = trustreg_oscal_list(db, TRUSTREG_MODEL_CATALOG, &docs, &n);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, trustreg_doc_info_to_json(&docs[i]));
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\t%ld controls\t%s\n", docs[i].uuid, docs[i].version, docs[i].controls,
                   docs[i].title);
    }
    trustreg_doc_infos_free(docs, n);
    return EXIT_OK;
}

static int catalog_show(cli *c, trustreg_db *db, const char *uuid, const char *id, int guidance)
{
    trustreg_control *ctl = NULL;
    int rc = trustreg_catalog_control(db, uuid, id, &ctl);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        cli_print_json(trustreg_control_to_json(ctl));
        trustreg_control_free(ctl);
        return EXIT_OK;
    }
    printf("%s %s%s\n", ctl->label, ctl->title, ctl->withdrawn ? " (withdrawn)" : "");
    printf("  id: %s", ctl->id);
    if (*ctl->parent)
        printf("   enhancement of: %s", ctl->parent);
    if (*ctl->group_path)
        printf("   group: %s (%s)", ctl->group_path, ctl->group_title);
    printf("\n  catalog: %s (%s)\n", ctl->catalog_title, ctl->catalog_uuid);
    if (*ctl->statement) {
        printf("\nStatement:\n");
        print_indented(ctl->statement, "  ");
    }
    if (ctl->n_params) {
        printf("\nParameters:\n");
        for (size_t i = 0; i < ctl->n_params; i++)
            printf("  %s: %s\n", ctl->params[i].id, ctl->params[i].text);
    }
    if (guidance && *ctl->guidance) {
        printf("\nGuidance:\n");
        print_indented(ctl->guidance, "  ");
    }
    if (ctl->n_enhancements) {
        printf("\nEnhancements:\n");
        for (size_t i = 0; i < ctl->n_enhancements; i++)
            printf("  %-10s %s%s\n", ctl->enhancements[i].label, ctl->enhancements[i].title,
                   ctl->enhancements[i].withdrawn ? " (withdrawn)" : "");
    }
    trustreg_control_free(ctl);
    return EXIT_OK;
}

int cmd_catalog(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"guidance", no_argument, NULL, 'g'}, {NULL, 0, NULL, 0}};
    int guidance = 0;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'g') {
            guidance = 1;
            continue;
        }
        int r = cli_common_opt(c, opt, catalog_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("catalog", argv);
    }
    if (optind >= argc)
        return cli_usage("catalog", "missing subcommand: list or show");
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    if (strcmp(sub, "list") == 0) {
        if (nargs)
            return cli_usage("catalog", "'catalog list' takes no arguments");
    } else if (strcmp(sub, "show") == 0) {
        if (nargs != 2)
            return cli_usage("catalog", "'catalog show' needs CATALOG-UUID and CONTROL-ID");
    } else {
        return cli_usage("catalog", "unknown subcommand '%s' (list or show)", sub);
    }
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    if (strcmp(sub, "list") == 0)
        r = catalog_list(c, db);
    else
        r = catalog_show(c, db, argv[optind], argv[optind + 1], guidance);
    trustreg_db_close(db);
    return r;
}

static const char search_help[] =
    "usage: trustreg search [--db PATH] [--json] [--catalog UUID] [--limit N]\n"
    "                       [--withdrawn] [--raw] QUERY...\n\n"
    "Full-text search over control titles, statements and guidance of stored catalogs, best\n"
    "match first (titles weigh most). Words are matched with stemming ('account' finds\n"
    "'accounts'); all words must occur. --raw passes QUERY to SQLite FTS5 as is (OR, NEAR,\n"
    "\"phrases\", prefix*). Withdrawn controls are left out unless --withdrawn. Default limit 20.\n";

int cmd_search(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"catalog", required_argument, NULL, 'c'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"withdrawn", no_argument, NULL, 'w'},
                                         {"raw", no_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    trustreg_search_opts so = {0};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hqn:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            so.catalog_uuid = optarg;
            continue;
        case 'n': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v <= 0 || v > 100000)
                return cli_usage("search", "--limit takes a number from 1 to 100000, not '%s'",
                                 optarg);
            so.limit = (int)v;
            continue;
        }
        case 'w':
            so.include_withdrawn = 1;
            continue;
        case 'r':
            so.raw = 1;
            continue;
        }
        int r = cli_common_opt(c, opt, search_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("search", argv);
    }
    if (optind >= argc)
        return cli_usage("search", "no QUERY given");
    /* the words of the query may come as one or several arguments */
    size_t len = 0;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *query = malloc(len + 1);
    if (!query)
        return EXIT_STORE;
    size_t at = 0;
    for (int i = optind; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > optind)
            query[at++] = ' ';
        memcpy(query + at, argv[i], n);
        at += n;
    }
    query[at] = '\0';
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db))) {
        free(query);
        return r;
    }
    trustreg_search_hit *hits = NULL;
    size_t n = 0;
    int rc = trustreg_catalog_search(db, query, &so, &hits, &n);
    trustreg_db_close(db);
    free(query);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, trustreg_search_hit_to_json(&hits[i]));
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%-10s %-50.50s %.40s\n           %s\n", hits[i].label, hits[i].title,
                   hits[i].catalog_title, hits[i].snippet);
        if (n == 0)
            fprintf(stderr, "no matches\n");
    }
    trustreg_search_hits_free(hits, n);
    return EXIT_OK;
}
