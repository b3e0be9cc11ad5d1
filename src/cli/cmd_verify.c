/*
 * cli/cmd_verify.c - 'trustreg verify BUNDLE' (offline bundle verification) and 'trustreg
 * audit' (re-hash every stored statement and tile against the log and its checkpoints).
 */
#include "cli/cmd_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char verify_help[] =
    "usage: trustreg verify [--log-key KEY]... [--signer-key KEY]... [--witness-key KEY]...\n"
    "                       [--json] BUNDLE\n\n"
    "Verify a bundle ('trustreg log entry --bundle') offline: the checkpoint's signature by the\n"
    "log key, cosignatures of the given witnesses, the statement's canonical JSON hash, the\n"
    "inclusion proof, and for attestations the DSSE signature by a given signer key. Prints\n"
    "each check made; on any failure exits 2 with the precise reason.\n"
    "KEY is a verifier key (NAME+KEYID+BASE64) or a file holding one. Without --log-key the\n"
    "key of the log in the database (--db) is used.\n";

/* A key given inline, or the first line of a file that holds one. */
static char *key_arg(const char *arg)
{
    FILE *f = strchr(arg, '+') ? NULL : fopen(arg, "r");
    if (!f)
        return strdup(arg);
    char buf[1024];
    char *line = fgets(buf, sizeof buf, f);
    fclose(f);
    if (!line)
        return strdup("");
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}

int cmd_verify(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTS,
                                         {"log-key", required_argument, NULL, 'l'},
                                         {"signer-key", required_argument, NULL, 's'},
                                         {"witness-key", required_argument, NULL, 'w'},
                                         {NULL, 0, NULL, 0}};
    char *logk[16], *sigk[16], *witk[16];
    size_t nl = 0, ns = 0, nw = 0;
    int opt, r = -1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        if (opt == 'l' || opt == 's' || opt == 'w') {
            char **arr = opt == 'l' ? logk : opt == 's' ? sigk : witk;
            size_t *n = opt == 'l' ? &nl : opt == 's' ? &ns : &nw;
            if (*n == 16) {
                r = cli_usage("verify", "at most 16 keys of each kind");
                break;
            }
            arr[(*n)++] = key_arg(optarg);
            continue;
        }
        r = cli_common_opt(c, opt, verify_help);
        if (r < 0) {
            r = EXIT_OK;
            break;
        }
        if (r == 0) {
            r = cli_bad_option("verify", argv);
            break;
        }
        r = -1;
    }
    if (r < 0 && optind != argc - 1)
        r = cli_usage("verify", "exactly one BUNDLE file expected");
    if (r < 0 && nl == 0) {
        /* the log of the local database, when there is one */
        trustreg_db *db;
        trustreg_tlog_info info;
        if (trustreg_db_open(&db, c->db_path, TRUSTREG_DB_READONLY) == 0 &&
            trustreg_tlog_info_get(db, &info) == 0) {
            if (info.verifier_key)
                logk[nl++] = strdup(info.verifier_key);
            trustreg_tlog_info_clear(&info);
        }
        trustreg_db_close(db);
        if (nl == 0)
            r = cli_usage("verify", "no --log-key given and no log in the database");
    }
    if (r < 0) {
        unsigned char *data = NULL;
        size_t len = 0;
        int rc = trustreg_read_file(argv[optind], &data, &len);
        json_t *report = NULL;
        if (!rc) {
            trustreg_tlog_trust t = {(const char *const *)logk, nl, (const char *const *)sigk, ns,
                                     (const char *const *)witk, nw};
            rc = trustreg_tlog_verify_bundle(data, len, argv[optind], &t, &report);
        }
        free(data);
        if (c->json && report) {
            cli_print_json(report);
            r = rc ? trustreg_status_exit_code(rc) : EXIT_OK;
        } else {
            json_t *checks = json_object_get(report, "checks");
            for (size_t i = 0; i < json_array_size(checks); i++)
                printf("ok    %s\n", json_string_value(json_array_get(checks, i)));
            json_decref(report);
            if (rc) {
                r = cli_fail(c, rc);
                printf("FAIL  %s\n", trustreg_error_last()->message);
            } else {
                printf("verified: every check passed\n");
                r = EXIT_OK;
            }
        }
    }
    for (size_t i = 0; i < nl; i++)
        free(logk[i]);
    for (size_t i = 0; i < ns; i++)
        free(sigk[i]);
    for (size_t i = 0; i < nw; i++)
        free(witk[i]);
    return r;
}

static const char audit_help[] =
    "usage: trustreg audit [--json]\n\n"
    "Check the stored data against the log: re-hash every stored statement (log_entries and\n"
    "registry sources) and compare it with its leaf; check that every leaf has exactly one\n"
    "statement; recompute every stored tile from the level below; verify every signed\n"
    "checkpoint's signature and that the stored tree still has its root. Reports every edit,\n"
    "deletion or reordering; exits 0 when clean, 2 when anything was found.\n";

int cmd_audit(cli *c, int argc, char **argv)
{
    int r = cli_log_common(c, argc, argv, "audit", audit_help);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage("audit", "unexpected argument '%s'", argv[optind]);
    trustreg_db *db;
    if ((r = cli_open_db(c, 0, &db)))
        return r;
    json_t *report = NULL;
    int rc = trustreg_audit(db, &report);
    trustreg_db_close(db);
    if (rc)
        return cli_fail(c, rc);
    int clean = json_is_true(json_object_get(report, "clean"));
    if (c->json) {
        cli_print_json(report);
        return clean ? EXIT_OK : EXIT_INPUT;
    }
    json_t *findings = json_object_get(report, "findings");
    for (size_t i = 0; i < json_array_size(findings); i++) {
        json_t *f = json_array_get(findings, i);
        printf("%-12s %s\n", json_string_value(json_object_get(f, "kind")),
               json_string_value(json_object_get(f, "message")));
    }
    json_t *ck = json_object_get(report, "checked");
    printf("%s: tree size %lld, %lld statements, %lld tiles, %lld checkpoints checked; %zu "
           "finding%s\n",
           clean ? "clean" : "NOT CLEAN", (long long)json_integer_value(json_object_get(report, "tree_size")),
           (long long)json_integer_value(json_object_get(ck, "statements")),
           (long long)json_integer_value(json_object_get(ck, "tiles")),
           (long long)json_integer_value(json_object_get(ck, "checkpoints")),
           json_array_size(findings), json_array_size(findings) == 1 ? "" : "s");
    json_decref(report);
    return clean ? EXIT_OK : EXIT_INPUT;
}
