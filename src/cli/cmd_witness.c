/*
 * cli/cmd_witness.c - 'trustreg log witness ...': this database as a witness of another log
 * (init, follow, add-checkpoint), and the log side asking a witness to cosign (request,
 * attach). Protocol: C2SP tlog-witness add-checkpoint, cosignatures per tlog-cosignature v1;
 * the request and response bodies are the protocol's, so they can travel by file or HTTP.
 */
#include "cli/cmd_log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char witness_help[] =
    "usage: trustreg log witness SUBCOMMAND [ARGS...]\n\n"
    "Witness side (a second trustreg database that follows a log):\n"
    "  init --name NAME --key-file PATH   create this witness's cosigner key (mode 0600)\n"
    "  follow LOG_VKEY                    trust a log's checkpoint key (origin = key name)\n"
    "  add-checkpoint [--key-file PATH] REQUEST\n"
    "        check a tlog-witness add-checkpoint request (old size, consistency proof,\n"
    "        signed checkpoint) and print the cosignature line; a checkpoint that contradicts\n"
    "        one already cosigned is refused as a SPLIT VIEW and kept as evidence\n"
    "Log side:\n"
    "  request [--old N]                  print the add-checkpoint request from size N\n"
    "  attach --witness-key VKEY FILE     add the returned cosignature to the checkpoint\n"
    "Exit codes: 0 cosigned; 2 refused (403 bad signature, 409 other old size, 422 not\n"
    "consistent / split view, 400 malformed); 3 unknown log (404).\n";

static int w_init(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"name", required_argument, NULL, 'n'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {NULL, 0, NULL, 0}};
    const char *name = NULL, *key = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'n')
            name = optarg;
        else if (opt == 'k')
            key = optarg;
        else {
            int r = cli_common_opt(c, opt, witness_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log witness init", argv);
        }
    }
    if (!name || !key || optind < argc)
        return cli_usage("log witness init", "expected --name NAME --key-file PATH");
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    int rc = trustreg_witness_init(db, name, key);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    trustreg_db *db2;
    if ((r = cli_open_db(c, 0, &db2)))
        return r;
    char *vkey = NULL;
    rc = trustreg_witness_vkey(db2, &vkey);
    trustreg_db_close(db2);
    if (rc)
        return cli_fail(c, rc);
    if (c->json)
        cli_print_json(json_pack("{s:s, s:s}", "name", name, "verifier_key", vkey));
    else
        printf("witness %s ready\nverifier key: %s\n", name, vkey);
    free(vkey);
    return EXIT_OK;
}

static int w_follow(cli *c, int argc, char **argv)
{
    int r = cli_log_common(c, argc, argv, "log witness follow", witness_help);
    if (r >= 0)
        return r;
    if (optind != argc - 1)
        return cli_usage("log witness follow", "exactly one LOG_VKEY expected");
    trustreg_db *db;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    int rc = trustreg_witness_follow(db, argv[optind]);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (!c->json)
        printf("following %s\n", argv[optind]);
    else
        cli_print_json(json_pack("{s:s}", "following", argv[optind]));
    return EXIT_OK;
}

static int w_request(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"old", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    uint64_t old = 0;
    int opt, r;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'o') {
            if ((r = cli_log_parse_u64("log witness request", "--old", optarg, &old)))
                return r;
        } else {
            r = cli_common_opt(c, opt, witness_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log witness request", argv);
        }
    }
    if (optind < argc)
        return cli_usage("log witness request", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    char *body = NULL;
    int rc = trustreg_witness_request(db, old, &body);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    fputs(body, stdout);
    free(body);
    return EXIT_OK;
}

static int w_add(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"key-file", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    const char *key = NULL;
    int opt, r;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'k') {
            key = optarg;
        } else {
            r = cli_common_opt(c, opt, witness_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log witness add-checkpoint", argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage("log witness add-checkpoint", "exactly one REQUEST file expected");
    unsigned char *body = NULL;
    size_t len = 0;
    int rc = trustreg_read_file(argv[optind], &body, &len);
    if (rc)
        return cli_fail(c, rc);
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db))) {
        free(body);
        return r;
    }
    trustreg_witness_result res;
    rc = trustreg_witness_add_checkpoint(db, key, body, len, &res);
    trustreg_db_close(db);
    free(body);
    if (rc)
        return cli_fail(c, rc);
    int code = res.status == 200 ? EXIT_OK : res.status == 404 ? EXIT_NOTFOUND : EXIT_INPUT;
    if (c->json) {
        json_t *j = json_pack("{s:i, s:b}", "status", res.status, "split_view", res.split_view);
        if (res.cosignature)
            json_object_set_new(j, "cosignature", json_string(res.cosignature));
        if (res.reason)
            json_object_set_new(j, "reason", json_string(res.reason));
        if (res.status == 409)
            json_object_set_new(j, "known_size", json_integer((json_int_t)res.known_size));
        cli_print_json(j);
    } else if (res.status == 200) {
        fputs(res.cosignature, stdout);
    } else {
        fprintf(stderr, "trustreg: witness refused (%d): %s\n", res.status, res.reason);
        if (res.status == 409)
            printf("%" PRIu64 "\n", res.known_size);
    }
    trustreg_witness_result_clear(&res);
    return code;
}

static int w_attach(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"witness-key", required_argument, NULL, 'w'}, {NULL, 0, NULL, 0}};
    const char *wkey = NULL;
    int opt, r;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'w') {
            wkey = optarg;
        } else {
            r = cli_common_opt(c, opt, witness_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log witness attach", argv);
        }
    }
    if (!wkey || optind != argc - 1)
        return cli_usage("log witness attach", "expected --witness-key VKEY FILE");
    unsigned char *lines = NULL;
    size_t len = 0;
    int rc = trustreg_read_file(argv[optind], &lines, &len);
    if (rc)
        return cli_fail(c, rc);
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db))) {
        free(lines);
        return r;
    }
    rc = trustreg_witness_attach(db, wkey, (const char *)lines);
    trustreg_db_close(db);
    free(lines);
    if (rc)
        return cli_fail(c, rc);
    if (!c->json)
        printf("cosignature attached\n");
    return EXIT_OK;
}

int cli_log_witness(cli *c, int argc, char **argv)
{
    if (argc < 2) {
        fputs(witness_help, stderr);
        return EXIT_USAGE;
    }
    static const struct {
        const char *name;
        int (*run)(cli *, int, char **);
    } subs[] = {{"init", w_init},       {"follow", w_follow}, {"request", w_request},
                {"add-checkpoint", w_add}, {"attach", w_attach}};
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(witness_help, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, argv[1]) == 0) {
            optind = 0;
            return subs[i].run(c, argc - 1, argv + 1);
        }
    return cli_usage("log witness", "unknown subcommand '%s'", argv[1]);
}
