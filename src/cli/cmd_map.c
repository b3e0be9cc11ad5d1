/*
 * cli/cmd_map.c - mapping commands: map import, export, list, show, coverage.
 */
#include "cli/cli.h"
#include "trustreg/map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char map_help[] =
    "usage: trustreg map import [--source CATALOG] [--target CATALOG] [--format oscal|csv]\n"
    "                           [--title TITLE] FILE...\n"
    "       trustreg map export [--format oscal|csv] [-o FILE] SET\n"
    "       trustreg map list\n"
    "       trustreg map show [--transitive] [--max-depth N] CATALOG CONTROL\n"
    "       trustreg map coverage --from CATALOG --to CATALOG --met FILE|IDS [--max-depth N]\n"
    "(all take --db PATH and --json)\n\n"
    "import:   OSCAL 1.2 mapping-collection JSON or CSV (source_catalog,source_control,\n"
    "          relationship,target_catalog,target_control,strength[,rationale]), one set per\n"
    "          file, each in one transaction. --source/--target name the catalog (a stored\n"
    "          catalog's uuid, or a name) of every source/target, overriding the file.\n"
    "          Deviations that do not stop the import are printed as warnings.\n"
    "export:   a set (uuid, SHA-256 or id from 'map list') as OSCAL JSON (default) or CSV.\n"
    "list:     stored mapping sets.\n"
    "show:     what CONTROL of CATALOG (framework name or catalog uuid) maps to; with\n"
    "          --transitive also through chains of mappings, each with its path and the\n"
    "          composed relationship (docs/mappings.md). --max-depth limits the chain length.\n"
    "coverage: which controls of --to are fully, partially or not covered by the controls\n"
    "          of --from that are met. --met is a file of ids (one per line, or separated by\n"
    "          commas or spaces; '#' starts a comment) or a comma-separated list of ids.\n";

static int parse_format(const char *v, trustreg_map_format *f)
{
    if (strcmp(v, "oscal") == 0 || strcmp(v, "json") == 0)
        *f = TRUSTREG_MAP_FORMAT_OSCAL;
    else if (strcmp(v, "csv") == 0)
        *f = TRUSTREG_MAP_FORMAT_CSV;
    else
        return -1;
    return 0;
}

static int map_import(cli *c, int argc, char **argv, int first, trustreg_map_import_opts *o)
{
    if (first >= argc)
        return cli_usage("map", "'map import' needs at least one FILE");
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    json_t *arr = json_array();
    for (int i = first; i < argc; i++) {
        trustreg_map_import_result *res;
        int rc = trustreg_map_import_file(db, argv[i], o, &res);
        if (rc) {
            json_decref(arr);
            trustreg_db_close(db);
            return cli_fail(c, rc);
        }
        if (c->json) {
            json_array_append_new(arr, trustreg_map_import_result_to_json(res));
        } else {
            for (size_t k = 0; k < res->n_warnings; k++)
                fprintf(stderr, "warning: %s\n", res->warnings[k].message);
            printf("%s\t%s\t%s\t%ld maps, %ld control pairs%s\n", res->set_uuid,
                   trustreg_map_format_name(res->format), res->title, res->maps, res->edges,
                   res->unchanged ? "\t(already stored)" : "");
        }
        trustreg_map_import_result_free(res);
    }
    trustreg_db_close(db);
    if (c->json)
        cli_print_json(arr);
    else
        json_decref(arr);
    return EXIT_OK;
}

static int map_export(cli *c, const char *set, trustreg_map_format f, const char *out)
{
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    int rc;
    if (out && strcmp(out, "-") != 0) {
        rc = trustreg_map_export_file(db, set, f, out);
    } else {
        char *data = NULL;
        size_t len = 0;
        rc = trustreg_map_export(db, set, f, &data, &len);
        if (!rc && fwrite(data, 1, len, stdout) != len)
            rc = 1;
        if (!rc && f != TRUSTREG_MAP_FORMAT_CSV)
            putchar('\n');
        free(data);
        if (rc == 1) {
            trustreg_db_close(db);
            fprintf(stderr, "trustreg: writing to standard output failed\n");
            return EXIT_INPUT;
        }
    }
    trustreg_db_close(db);
    return rc ? cli_fail(c, rc) : EXIT_OK;
}

static int map_list(cli *c)
{
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    trustreg_map_set_info *sets;
    size_t n;
    int rc = trustreg_map_list(db, &sets, &n);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (c->json)
            json_array_append_new(arr, trustreg_map_set_info_to_json(&sets[i]));
        else
            printf("%lld\t%s\t%s\t%ld maps\t%s\t%s\n", (long long)sets[i].id, sets[i].uuid,
                   trustreg_map_format_name(sets[i].format), sets[i].maps, sets[i].frameworks,
                   sets[i].title);
    }
    if (c->json)
        cli_print_json(arr);
    else
        json_decref(arr);
    trustreg_map_set_infos_free(sets, n);
    return EXIT_OK;
}

static void print_path(const trustreg_map_step *p, size_t n, const char *indent)
{
    char buf[128];
    for (size_t i = 0; i < n; i++) {
        const trustreg_map_step *s = &p[i];
        if (s->converse)
            printf("%s%s %s %s (the mapping says: %s %s %s)", indent, s->from_control,
                   trustreg_map_relset_describe(s->step, buf, sizeof buf), s->to_control,
                   s->to_control, s->stated, s->from_control);
        else
            printf("%s%s %s %s", indent, s->from_control, s->stated, s->to_control);
        if (s->group)
            printf(" [map over several controls: per control %s]",
                   trustreg_map_relset_describe(s->step, buf, sizeof buf));
        printf("  [%s -> %s]\n", s->from_catalog, s->to_catalog);
    }
}

static int map_show(cli *c, const char *cat, const char *ctl, trustreg_map_query_opts *o)
{
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    trustreg_map_hit *hits;
    size_t n;
    int rc = trustreg_map_show(db, cat, ctl, o, &hits, &n);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, trustreg_map_hit_to_json(&hits[i]));
        cli_print_json(arr);
    } else {
        char buf[128], buf2[128];
        for (size_t i = 0; i < n; i++) {
            const trustreg_map_hit *h = &hits[i];
            printf("%s %s\t%s\t%s", ctl, trustreg_map_relset_describe(h->rel, buf, sizeof buf),
                   h->catalog, h->control);
            if (h->combined != h->rel)
                printf("\t(all paths together: %s)",
                       trustreg_map_relset_describe(h->combined, buf2, sizeof buf2));
            putchar('\n');
            if (h->n_path > 1)
                print_path(h->path, h->n_path, "    ");
        }
    }
    trustreg_map_hits_free(hits, n);
    return EXIT_OK;
}

/* Met ids from a file (when it exists) or from the argument itself. */
static int read_met(const char *arg, char ***ids, size_t *n, char **text)
{
    FILE *f = fopen(arg, "r");
    if (f) {
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap);
        size_t got;
        while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
            len += got;
            if (len + 1 == cap) {
                char *p = realloc(buf, cap *= 2);
                if (!p)
                    free(buf);
                buf = p;
            }
        }
        fclose(f);
        if (!buf)
            return -1;
        buf[len] = '\0';
        *text = buf;
    } else if (errno == ENOENT) {
        *text = strdup(arg);
    } else {
        fprintf(stderr, "trustreg: %s: %s\n", arg, strerror(errno));
        return EXIT_INPUT;
    }
    if (!*text)
        return -1;
    /* strip comments, then split */
    for (char *p = *text; *p; p++) {
        if (*p == '#')
            while (*p && *p != '\n')
                *p++ = ' ';
        if (!*p)
            break;
    }
    size_t cap = 64;
    *ids = malloc(cap * sizeof **ids);
    *n = 0;
    for (char *tok = strtok(*text, ", ;\t\r\n"); tok && *ids; tok = strtok(NULL, ", ;\t\r\n")) {
        if (*n == cap) {
            char **v = realloc(*ids, (cap *= 2) * sizeof *v);
            if (!v) {
                free(*ids);
                *ids = NULL;
                break;
            }
            *ids = v;
        }
        (*ids)[(*n)++] = tok;
    }
    return *ids ? 0 : -1;
}

static int map_coverage(cli *c, const char *from, const char *to, const char *met,
                        trustreg_map_query_opts *o)
{
    char **ids = NULL, *text = NULL;
    size_t n = 0;
    int r = read_met(met, &ids, &n, &text);
    if (r) {
        free(ids);
        free(text);
        if (r < 0)
            fprintf(stderr, "trustreg: out of memory\n");
        return r < 0 ? EXIT_STORE : r;
    }
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db))) {
        free(ids);
        free(text);
        return r;
    }
    trustreg_map_coverage *cov;
    int rc = trustreg_map_coverage_query(db, from, to, (const char *const *)ids, n, o, &cov);
    trustreg_db_close(db);
    free(ids);
    free(text);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        cli_print_json(trustreg_map_coverage_to_json(cov));
    } else {
        for (size_t i = 0; i < cov->n_unknown_met; i++)
            fprintf(stderr, "warning: met control \"%s\" is not a control of %s\n",
                    cov->unknown_met[i], cov->from);
        char buf[128];
        for (size_t i = 0; i < cov->n_items; i++) {
            const trustreg_map_cov_item *it = &cov->items[i];
            printf("%-8s %s", trustreg_map_level_name(it->level), it->control);
            if (*it->title)
                printf("  %s", it->title);
            if (it->level != TRUSTREG_MAP_NOT_COVERED)
                printf("  <- %s %s %s", it->met,
                       trustreg_map_relset_describe(it->rel, buf, sizeof buf), it->control);
            putchar('\n');
            if (it->n_path > 1)
                print_path(it->path, it->n_path, "    ");
        }
        printf("%s -> %s: %ld full, %ld partial, %ld not covered\n", cov->from, cov->to,
               cov->full, cov->partial, cov->none);
    }
    trustreg_map_coverage_free(cov);
    return EXIT_OK;
}

int cmd_map(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"source", required_argument, NULL, 's'},
                                         {"target", required_argument, NULL, 't'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"title", required_argument, NULL, 'T'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"transitive", no_argument, NULL, 'r'},
                                         {"max-depth", required_argument, NULL, 'd'},
                                         {"from", required_argument, NULL, 'F'},
                                         {"to", required_argument, NULL, 'O'},
                                         {"met", required_argument, NULL, 'm'},
                                         {NULL, 0, NULL, 0}};
    trustreg_map_import_opts io = {0};
    trustreg_map_query_opts qo = {0};
    trustreg_map_format ef = TRUSTREG_MAP_FORMAT_OSCAL;
    const char *out = NULL, *from = NULL, *to = NULL, *met = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "ho:q", opts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 's':
            io.source_catalog = optarg;
            break;
        case 't':
            io.target_catalog = optarg;
            break;
        case 'f':
            if (parse_format(optarg, &ef))
                return cli_usage("map", "unknown format '%s' (oscal or csv)", optarg);
            io.format = ef;
            break;
        case 'T':
            io.title = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'r':
            qo.transitive = 1;
            break;
        case 'd':
            errno = 0;
            qo.max_depth = (int)strtol(optarg, &end, 10);
            if (*end || errno || qo.max_depth < 1 || qo.max_depth > 1000)
                return cli_usage("map", "--max-depth wants a number from 1 to 1000");
            break;
        case 'F':
            from = optarg;
            break;
        case 'O':
            to = optarg;
            break;
        case 'm':
            met = optarg;
            break;
        default: {
            int r = cli_common_opt(c, opt, map_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("map", argv);
        }
        }
    }
    if (optind >= argc)
        return cli_usage("map", "missing subcommand: import, export, list, show or coverage");
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    if (strcmp(sub, "import") == 0)
        return map_import(c, argc, argv, optind, &io);
    if (strcmp(sub, "export") == 0) {
        if (nargs != 1)
            return cli_usage("map", "'map export' needs exactly one SET");
        return map_export(c, argv[optind], ef, out);
    }
    if (strcmp(sub, "list") == 0) {
        if (nargs)
            return cli_usage("map", "'map list' takes no arguments");
        return map_list(c);
    }
    if (strcmp(sub, "show") == 0) {
        if (nargs != 2)
            return cli_usage("map", "'map show' needs CATALOG and CONTROL");
        return map_show(c, argv[optind], argv[optind + 1], &qo);
    }
    if (strcmp(sub, "coverage") == 0) {
        if (!from || !to || !met || nargs)
            return cli_usage("map", "'map coverage' needs --from, --to and --met");
        return map_coverage(c, from, to, met, &qo);
    }
    return cli_usage("map", "unknown subcommand '%s'", sub);
}
