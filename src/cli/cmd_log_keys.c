/*
 * cli/cmd_log_keys.c - log subcommands that use keys: 'log init' (create the log's signing
 * key), 'log checkpoint' (sign and print the latest checkpoint), 'log attest' (sign an in-toto
 * statement into a DSSE envelope).
 */
#include "cli/cmd_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char init_help[] =
    "usage: trustreg log init --origin NAME [--key-file PATH]\n\n"
    "Set up the log: generate its Ed25519 signing key, write it to PATH (default: log.key next\n"
    "to the database) with mode 0600 (an existing file is never overwritten), and record the\n"
    "origin and the public verifier key in the database. NAME identifies the log in its\n"
    "checkpoints, e.g. registry.example.org/log (no spaces, no '+'). Prints the verifier key\n"
    "to give to verifiers ('trustreg verify --log-key') and witnesses.\n";

/* Default key file: log.key beside the database file. */
static char *default_key_path(const char *db)
{
    const char *slash = strrchr(db, '/');
    size_t dir = slash ? (size_t)(slash - db) + 1 : 0;
    char *p = malloc(dir + sizeof "log.key");
    if (p) {
        memcpy(p, db, dir);
        memcpy(p + dir, "log.key", sizeof "log.key");
    }
    return p;
}

int cli_log_init(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"origin", required_argument, NULL, 'o'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {NULL, 0, NULL, 0}};
    const char *origin = NULL, *key_file = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'o') {
            origin = optarg;
        } else if (opt == 'k') {
            key_file = optarg;
        } else {
            int r = cli_common_opt(c, opt, init_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log init", argv);
        }
    }
    if (optind < argc)
        return cli_usage("log init", "unexpected argument '%s'", argv[optind]);
    if (!origin)
        return cli_usage("log init", "--origin NAME is required");
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    char *def = key_file ? NULL : default_key_path(trustreg_db_path(db));
    int rc = trustreg_tlog_init(db, origin, key_file ? key_file : def);
    free(def);
    trustreg_tlog_info info;
    if (!rc)
        rc = trustreg_tlog_info_get(db, &info);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        cli_print_json(trustreg_tlog_info_to_json(&info));
    } else {
        printf("log %s ready\nverifier key: %s\nsigning key:  %s (keep it secret)\n", info.origin,
               info.verifier_key, info.key_file);
    }
    trustreg_tlog_info_clear(&info);
    return EXIT_OK;
}

static const char checkpoint_help[] =
    "usage: trustreg log checkpoint [--key-file PATH] [--json]\n\n"
    "Print the log's latest signed checkpoint (C2SP tlog-checkpoint in a signed note). When the\n"
    "tree grew since the last one, a new checkpoint is signed first, with the key recorded by\n"
    "'log init' or the one in PATH. --json: {\"checkpoint\": note, \"tree_size\", \"root\"}.\n";

int cli_log_checkpoint(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"key-file", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    const char *key_file = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'k') {
            key_file = optarg;
        } else {
            int r = cli_common_opt(c, opt, checkpoint_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log checkpoint", argv);
        }
    }
    if (optind < argc)
        return cli_usage("log checkpoint", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    char *note = NULL;
    int rc = trustreg_tlog_checkpoint(db, key_file, &note);
    trustreg_tlog_info info;
    if (!rc)
        rc = trustreg_tlog_info_get(db, &info);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        json_t *i = trustreg_tlog_info_to_json(&info);
        cli_print_json(json_pack("{s:s, s:I, s:O}", "checkpoint", note, "tree_size",
                                 (json_int_t)info.size, "root", json_object_get(i, "root")));
        json_decref(i);
    } else {
        fputs(note, stdout);
    }
    trustreg_tlog_info_clear(&info);
    free(note);
    return EXIT_OK;
}

static const char attest_help[] =
    "usage: trustreg log attest --key-file PATH STATEMENT\n\n"
    "Sign an in-toto Statement v1 (JSON file; '-' for standard input) with the Ed25519 signer\n"
    "key in PATH and print the DSSE envelope (canonical JSON). The subject names the entry and\n"
    "the SHA-256 of each document; the predicate holds level, scope, period and opinion.\n"
    "Create a signer key with 'trustreg log keygen --name NAME --key-file PATH'.\n"
    "Append the envelope with 'trustreg log append' to log it.\n";

int cli_log_attest(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"key-file", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};
    const char *key_file = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'k') {
            key_file = optarg;
        } else {
            int r = cli_common_opt(c, opt, attest_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log attest", argv);
        }
    }
    if (optind != argc - 1)
        return cli_usage("log attest", "exactly one STATEMENT file expected");
    if (!key_file)
        return cli_usage("log attest", "--key-file PATH is required");
    char *envelope = NULL;
    int rc = trustreg_dsse_sign_file(argv[optind], key_file, &envelope);
    if (rc)
        return cli_fail(c, rc);
    printf("%s\n", envelope);
    free(envelope);
    return EXIT_OK;
}

static const char keygen_help[] =
    "usage: trustreg log keygen --name NAME --key-file PATH [--cosigner]\n\n"
    "Generate an Ed25519 key for NAME (an assessor signing attestations, or with --cosigner a\n"
    "witness cosigning checkpoints), write the signer key to PATH with mode 0600 (never\n"
    "overwriting a file) and print the verifier key.\n";

int cli_log_keygen(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"name", required_argument, NULL, 'n'},
                                         {"key-file", required_argument, NULL, 'k'},
                                         {"cosigner", no_argument, NULL, 'C'},
                                         {NULL, 0, NULL, 0}};
    const char *name = NULL, *key_file = NULL;
    int cosigner = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'n') {
            name = optarg;
        } else if (opt == 'k') {
            key_file = optarg;
        } else if (opt == 'C') {
            cosigner = 1;
        } else {
            int r = cli_common_opt(c, opt, keygen_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log keygen", argv);
        }
    }
    if (optind < argc)
        return cli_usage("log keygen", "unexpected argument '%s'", argv[optind]);
    if (!name || !key_file)
        return cli_usage("log keygen", "--name NAME and --key-file PATH are required");
    char *vkey = NULL;
    int rc = trustreg_tlog_keygen(name, cosigner, key_file, &vkey);
    if (rc)
        return cli_fail(c, rc);
    if (c->json)
        cli_print_json(json_pack("{s:s, s:s}", "verifier_key", vkey, "key_file", key_file));
    else
        printf("%s\n", vkey);
    free(vkey);
    return EXIT_OK;
}
