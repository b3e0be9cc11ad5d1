/*
 * cli/cmd_log.h - pieces shared by the log command files (cmd_log.c, cmd_log_keys.c,
 * cmd_witness.c, cmd_verify.c).
 */
#ifndef TR_CLI_CMD_LOG_H
#define TR_CLI_CMD_LOG_H

#include <stdint.h>

#include "cli/cli.h"
#include "trustreg/tlog.h"

/* Parse a non-negative decimal; returns 0 or EXIT_USAGE after reporting. */
int cli_log_parse_u64(const char *command, const char *what, const char *s, uint64_t *out);
/* Parse only the common options; -1 to continue, else an exit code. */
int cli_log_common(cli *c, int argc, char **argv, const char *name, const char *help);

int cli_log_init(cli *c, int argc, char **argv);
int cli_log_checkpoint(cli *c, int argc, char **argv);
int cli_log_attest(cli *c, int argc, char **argv);
int cli_log_keygen(cli *c, int argc, char **argv);
int cli_log_witness(cli *c, int argc, char **argv);

#endif
