/*
 * cli/cli.h - shared pieces of the trustreg command: global options, option parsing helpers,
 * error reporting with exit codes, JSON output and the progress bar. The command only parses
 * arguments and prints; all work is done by libtrustreg.
 */
#ifndef TR_CLI_CLI_H
#define TR_CLI_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <jansson.h>

#include "trustreg/trustreg.h"

/* Exit codes (docs/cli.md). */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_NOTFOUND = 3, EXIT_STORE = 4 };

typedef struct cli {
    const char *db_path; /* --db, else $TRUSTREG_DB, else var/trustreg.db */
    int json;            /* --json */
    int quiet;           /* --quiet: no progress bar */
} cli;

typedef struct cli_command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
    const char *summary;
} cli_command;

/* Options every command accepts after its name too: --db PATH, --json, --quiet, --help. */
#define CLI_COMMON_OPTS                                                                            \
    {"db", required_argument, NULL, 'D'}, {"json", no_argument, NULL, 'J'},                        \
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}

/*
 * Handle a common option returned by getopt_long. Returns 1 when handled, 0 when not a common
 * option, and -1 after printing help (the caller returns EXIT_OK).
 */
int cli_common_opt(cli *c, int opt, const char *help);

/* Report the unknown option getopt_long just returned '?' for; returns EXIT_USAGE. */
int cli_bad_option(const char *command, char **argv);

/* Print "trustreg: usage: ..." with a pointer to --help; returns EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report the library's last error (as text, or as JSON with --json); returns the exit code. */
int cli_fail(const cli *c, int rc);

/* Open the database; create when asked. Returns 0 or an exit code after reporting. */
int cli_open_db(const cli *c, unsigned flags, trustreg_db **db);

/* Print a JSON value to stdout (pretty, newline) and drop the reference. */
void cli_print_json(json_t *v);

/* Progress bar on stderr, only when stderr is a terminal and not --quiet/--json. */
void cli_progress(void *ctx, uint64_t done, uint64_t total, const char *what);
void cli_progress_end(const cli *c);

int cmd_init(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_list(cli *c, int argc, char **argv);
int cmd_catalog(cli *c, int argc, char **argv);
int cmd_search(cli *c, int argc, char **argv);
int cmd_resolve(cli *c, int argc, char **argv);
int cmd_validate(cli *c, int argc, char **argv);
int cmd_map(cli *c, int argc, char **argv);
int cmd_log(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_ccm(cli *c, int argc, char **argv);
int cmd_caiq(cli *c, int argc, char **argv);

#endif
