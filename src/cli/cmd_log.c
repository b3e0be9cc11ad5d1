/*
 * cli/cmd_log.c - the transparency log commands: 'trustreg log SUBCOMMAND' (init, status,
 * append, entry, prove, consistency, checkpoint, witness ...). Witness subcommands are in
 * cmd_witness.c; 'trustreg verify' and 'trustreg audit' in cmd_verify.c.
 */
#include "cli/cli.h"
#include "cli/cmd_log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_log_parse_u64(const char *command, const char *what, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-' || *s == '+')
        return cli_usage(command, "%s must be a non-negative integer, not '%s'", what, s ? s : "");
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return cli_usage(command, "%s must be a non-negative integer, not '%s'", what, s);
    *out = (uint64_t)v;
    return 0;
}

/* Options that are only the common ones; returns -1 to continue, else an exit code. */
int cli_log_common(cli *c, int argc, char **argv, const char *name, const char *help)
{
    static const struct option opts[] = {CLI_COMMON_OPTS, {NULL, 0, NULL, 0}};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        int r = cli_common_opt(c, opt, help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option(name, argv);
    }
    return -1;
}

static const char append_help[] =
    "usage: trustreg log append [--lines] [--raw] [--leaves-only] [--batch N] FILE...\n\n"
    "Append statements to the log. By default each FILE is one JSON statement: it is\n"
    "canonicalised (RFC 8785), kept in the log_entries table and hashed into a new leaf; all\n"
    "files go in one transaction (none when one is bad). FILE '-' reads standard input.\n"
    "  --lines        each non-empty line of a FILE is one statement (JSON lines)\n"
    "  --batch N      with --lines: commit every N entries, each batch durable (default 10000)\n"
    "  --raw          append the bytes as they are, without JSON canonicalisation\n"
    "  --leaves-only  hash into the tree only, do not keep the statements (the caller keeps\n"
    "                 them; 'trustreg audit' reports leaves without a stored statement)\n"
    "Prints the first index, the count and the new tree size (--json: an object).\n";

static int log_append(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"lines", no_argument, NULL, 'L'},
                                         {"raw", no_argument, NULL, 'R'},
                                         {"leaves-only", no_argument, NULL, 'O'},
                                         {"batch", required_argument, NULL, 'B'},
                                         {NULL, 0, NULL, 0}};
    unsigned flags = 0;
    uint64_t batch = 10000;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'L') {
            flags |= TRUSTREG_TLOG_LINES;
        } else if (opt == 'R') {
            flags |= TRUSTREG_TLOG_RAW;
        } else if (opt == 'O') {
            flags |= TRUSTREG_TLOG_LEAVES_ONLY;
        } else if (opt == 'B') {
            int r = cli_log_parse_u64("log append", "--batch", optarg, &batch);
            if (r)
                return r;
            if (batch == 0)
                return cli_usage("log append", "--batch must be at least 1");
        } else {
            int r = cli_common_opt(c, opt, append_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log append", argv);
        }
    }
    if (optind >= argc)
        return cli_usage("log append", "no FILE given");
    trustreg_db *db;
    int r;
    if ((r = cli_open_db(c, TRUSTREG_DB_CREATE, &db)))
        return r;
    uint64_t first = 0, count = 0, size = 0;
    int rc = trustreg_tlog_append_files(db, (const char *const *)(argv + optind),
                                        (size_t)(argc - optind), flags, (size_t)batch, &first,
                                        &count);
    if (rc) {
        r = cli_fail(c, rc);
        if (count)
            fprintf(stderr, "trustreg: %" PRIu64 " entries from index %" PRIu64
                            " were appended before the failure\n",
                    count, first);
        trustreg_db_close(db);
        return r;
    }
    rc = trustreg_tlog_size(db, &size);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json)
        cli_print_json(json_pack("{s:I, s:I, s:I}", "first_index", (json_int_t)first, "count",
                                 (json_int_t)count, "tree_size", (json_int_t)size));
    else
        printf("appended %" PRIu64 " entr%s from index %" PRIu64 "; tree size %" PRIu64 "\n",
               count, count == 1 ? "y" : "ies", first, size);
    return EXIT_OK;
}

static const char status_help[] =
    "usage: trustreg log status [--json]\n\n"
    "Show the log: origin, verifier key, key file, tree size, root hash and the size of the\n"
    "latest signed checkpoint.\n";

static int log_status(cli *c, int argc, char **argv)
{
    int r = cli_log_common(c, argc, argv, "log status", status_help);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage("log status", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    trustreg_tlog_info info;
    int rc = trustreg_tlog_info_get(db, &info);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    if (c->json) {
        cli_print_json(trustreg_tlog_info_to_json(&info));
    } else {
        printf("origin:        %s\n", info.origin ? info.origin : "(not set up: 'trustreg log init')");
        if (info.verifier_key)
            printf("verifier key:  %s\n", info.verifier_key);
        if (info.key_file)
            printf("key file:      %s\n", info.key_file);
        printf("tree size:     %" PRIu64 "\n", info.size);
        json_t *j = trustreg_tlog_info_to_json(&info);
        printf("root:          %s\n", json_string_value(json_object_get(j, "root")));
        json_decref(j);
        if (info.has_checkpoint)
            printf("checkpoint:    size %" PRIu64 "\n", info.checkpoint_size);
        else
            printf("checkpoint:    none signed yet\n");
    }
    trustreg_tlog_info_clear(&info);
    return EXIT_OK;
}

static const char entry_help[] =
    "usage: trustreg log entry [--json] [--bundle] INDEX\n\n"
    "Print the statement logged at INDEX (0-based) as canonical JSON, after checking it still\n"
    "matches its leaf hash. --json wraps it with the index and leaf hash; --bundle prints the\n"
    "offline-verifiable bundle (statement, inclusion proof, signed checkpoint) for\n"
    "'trustreg verify'.\n";

static int log_entry(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, {"bundle", no_argument, NULL, 'b'}, {NULL, 0, NULL, 0}};
    int bundle = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'b') {
            bundle = 1;
            continue;
        }
        int r = cli_common_opt(c, opt, entry_help);
        if (r < 0)
            return EXIT_OK;
        if (r == 0)
            return cli_bad_option("log entry", argv);
    }
    if (optind != argc - 1)
        return cli_usage("log entry", "exactly one INDEX expected");
    uint64_t index;
    int r = cli_log_parse_u64("log entry", "INDEX", argv[optind], &index);
    if (r)
        return r;
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    int rc;
    if (bundle) {
        json_t *b = NULL;
        rc = trustreg_tlog_bundle(db, index, &b);
        if (!rc)
            cli_print_json(b);
    } else if (c->json) {
        json_t *e = NULL;
        rc = trustreg_tlog_entry_json(db, index, &e);
        if (!rc)
            cli_print_json(e);
    } else {
        json_t *e = NULL;
        rc = trustreg_tlog_entry_json(db, index, &e); /* checks the leaf hash */
        json_decref(e);
        unsigned char *bytes = NULL;
        size_t len = 0;
        if (!rc)
            rc = trustreg_tlog_entry(db, index, &bytes, &len);
        if (!rc) {
            fwrite(bytes, 1, len, stdout);
            putchar('\n');
        }
        free(bytes);
    }
    trustreg_db_close(db);
    return rc ? cli_fail(c, rc) : EXIT_OK;
}

static void print_proof(const cli *c, const trustreg_tlog_proof *p)
{
    if (c->json) {
        cli_print_json(trustreg_tlog_proof_to_json(p));
        return;
    }
    json_t *j = trustreg_tlog_proof_to_json(p);
    if (p->consistency) {
        printf("old size:   %" PRIu64 "\n", p->index);
        printf("tree size:  %" PRIu64 "\n", p->size);
        printf("old root:   %s\n", json_string_value(json_object_get(j, "old_root")));
    } else {
        printf("leaf index: %" PRIu64 "\n", p->index);
        printf("tree size:  %" PRIu64 "\n", p->size);
        printf("leaf hash:  %s\n", json_string_value(json_object_get(j, "leaf_hash")));
    }
    printf("root:       %s\n", json_string_value(json_object_get(j, "root")));
    printf("proof:      %zu hashes (%lu node reads)\n", p->count, p->node_reads);
    json_t *arr = json_object_get(j, "proof");
    for (size_t i = 0; i < json_array_size(arr); i++)
        printf("  %s\n", json_string_value(json_array_get(arr, i)));
    json_decref(j);
}

static const char prove_help[] =
    "usage: trustreg log prove [--json] [--size N] INDEX\n"
    "       trustreg log prove [--json] --sample N\n\n"
    "Print the RFC 9162 inclusion proof of the leaf at INDEX in the tree of size N (default: the\n"
    "current size): leaf hash, root, and the proof hashes (base64), with the number of stored\n"
    "nodes read. --sample N times N random inclusion and consistency proofs on the current\n"
    "tree and prints p50/p95 latency with the mean node and tile reads, once with a cold page\n"
    "cache and once warm (used by bench/tlog.sh).\n";

static int log_prove(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"size", required_argument, NULL, 's'},
                                         {"sample", required_argument, NULL, 'S'},
                                         {NULL, 0, NULL, 0}};
    uint64_t size = 0, sample = 0;
    int opt, r;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 's') {
            if ((r = cli_log_parse_u64("log prove", "--size", optarg, &size)))
                return r;
            if (size == 0)
                return cli_usage("log prove", "--size must be at least 1");
        } else if (opt == 'S') {
            if ((r = cli_log_parse_u64("log prove", "--sample", optarg, &sample)))
                return r;
        } else {
            r = cli_common_opt(c, opt, prove_help);
            if (r < 0)
                return EXIT_OK;
            if (r == 0)
                return cli_bad_option("log prove", argv);
        }
    }
    uint64_t index = 0;
    if (sample) {
        if (optind != argc)
            return cli_usage("log prove", "--sample takes no INDEX");
    } else {
        if (optind != argc - 1)
            return cli_usage("log prove", "exactly one INDEX expected");
        if ((r = cli_log_parse_u64("log prove", "INDEX", argv[optind], &index)))
            return r;
    }
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    int rc;
    if (sample) {
        /* twice with the same proofs: first as a fresh process finds the database (tiles read
         * from the OS), then with SQLite's page cache warm, as in a long-running server */
        trustreg_tlog_proof_stats st[2];
        uint64_t tsize = 0;
        rc = trustreg_tlog_size(db, &tsize);
        for (int pass = 0; !rc && pass < 2; pass++)
            rc = trustreg_tlog_proof_stats_run(db, (size_t)sample, 42, &st[pass]);
        json_t *j = rc ? NULL : json_pack("{s:I, s:I}", "tree_size", (json_int_t)tsize, "proofs",
                                          (json_int_t)st[0].n);
        for (int pass = 0; !rc && pass < 2; pass++) {
            json_object_set_new(
                j, pass ? "warm" : "cold",
                json_pack("{s:{s:f, s:f, s:f, s:f}, s:{s:f, s:f, s:f, s:f}}", "inclusion",
                          "p50_us", st[pass].inclusion_p50_us, "p95_us",
                          st[pass].inclusion_p95_us, "node_reads", st[pass].inclusion_node_reads,
                          "tile_reads", st[pass].inclusion_tile_reads, "consistency", "p50_us",
                          st[pass].consistency_p50_us, "p95_us", st[pass].consistency_p95_us,
                          "node_reads", st[pass].consistency_node_reads, "tile_reads",
                          st[pass].consistency_tile_reads));
        }
        if (!rc && c->json) {
            cli_print_json(j);
            j = NULL;
        } else if (!rc) {
            printf("tree size %" PRIu64 ", %zu random proofs of each kind\n", tsize, st[0].n);
            for (int pass = 0; pass < 2; pass++) {
                printf("%s inclusion:   p50 %.1f us, p95 %.1f us, %.1f node reads (%.1f tile "
                       "reads)\n",
                       pass ? "warm" : "cold", st[pass].inclusion_p50_us,
                       st[pass].inclusion_p95_us, st[pass].inclusion_node_reads,
                       st[pass].inclusion_tile_reads);
                printf("%s consistency: p50 %.1f us, p95 %.1f us, %.1f node reads (%.1f tile "
                       "reads)\n",
                       pass ? "warm" : "cold", st[pass].consistency_p50_us,
                       st[pass].consistency_p95_us, st[pass].consistency_node_reads,
                       st[pass].consistency_tile_reads);
            }
        }
        json_decref(j);
    } else {
        trustreg_tlog_proof p;
        rc = trustreg_tlog_prove_inclusion(db, index, size, &p);
        if (!rc)
            print_proof(c, &p);
        trustreg_tlog_proof_clear(&p);
    }
    trustreg_db_close(db);
    return rc ? cli_fail(c, rc) : EXIT_OK;
}

static const char consistency_help[] =
    "usage: trustreg log consistency [--json] OLD_SIZE [NEW_SIZE]\n\n"
    "Print the RFC 9162 consistency proof that the tree of NEW_SIZE (default: the current size)\n"
    "extends the tree of OLD_SIZE, with both roots and the number of stored nodes read.\n";

static int log_consistency(cli *c, int argc, char **argv)
{
    int r = cli_log_common(c, argc, argv, "log consistency", consistency_help);
    if (r >= 0)
        return r;
    if (optind >= argc || argc - optind > 2)
        return cli_usage("log consistency", "expected OLD_SIZE [NEW_SIZE]");
    uint64_t old_size, size = 0;
    if ((r = cli_log_parse_u64("log consistency", "OLD_SIZE", argv[optind], &old_size)))
        return r;
    if (argc - optind == 2 &&
        (r = cli_log_parse_u64("log consistency", "NEW_SIZE", argv[optind + 1], &size)))
        return r;
    if (argc - optind == 2 && size == 0)
        return cli_usage("log consistency", "NEW_SIZE must be at least 1");
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    trustreg_tlog_proof p;
    int rc = trustreg_tlog_prove_consistency(db, old_size, size, &p);
    if (!rc)
        print_proof(c, &p);
    trustreg_tlog_proof_clear(&p);
    trustreg_db_close(db);
    return rc ? cli_fail(c, rc) : EXIT_OK;
}

static const char log_help[] =
    "usage: trustreg log SUBCOMMAND [ARGS...]\n\n"
    "The transparency log: every statement is a leaf of an append-only RFC 9162 Merkle tree\n"
    "whose checkpoints are signed (C2SP signed-note, Ed25519). See docs/tlog.md.\n\n"
    "Subcommands:\n"
    "  init         create the log's signing key and record its origin\n"
    "  status       origin, verifier key, tree size, root, latest checkpoint\n"
    "  append       append JSON statements (or raw entries)\n"
    "  entry        print a logged statement, or its bundle (--bundle)\n"
    "  prove        inclusion proof of an entry\n"
    "  consistency  consistency proof between two tree sizes\n"
    "  checkpoint   sign (when the tree grew) and print the latest checkpoint\n"
    "  keygen       generate an assessor (or witness) key pair\n"
    "  attest       sign an in-toto statement into a DSSE envelope\n"
    "  witness      act as a witness of another log, or ask one to cosign\n\n"
    "Related: 'trustreg verify BUNDLE' (offline), 'trustreg audit'.\n"
    "'trustreg log SUBCOMMAND --help' for details.\n";

static const struct {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
} subcommands[] = {
    {"init", cli_log_init},
    {"status", log_status},
    {"append", log_append},
    {"entry", log_entry},
    {"prove", log_prove},
    {"consistency", log_consistency},
    {"checkpoint", cli_log_checkpoint},
    {"keygen", cli_log_keygen},
    {"attest", cli_log_attest},
    {"witness", cli_log_witness},
};

int cmd_log(cli *c, int argc, char **argv)
{
    if (argc < 2) {
        fputs(log_help, stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        fputs(log_help, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(subcommands[i].name, name) == 0) {
            optind = 0;
            return subcommands[i].run(c, argc - 1, argv + 1);
        }
    return cli_usage("log", "unknown subcommand '%s'", name);
}
