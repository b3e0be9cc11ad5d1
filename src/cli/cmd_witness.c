/*
 * cli/cmd_witness.c - 'trustreg log witness ...': this database as a witness of another log
 * (init, follow, add-checkpoint), and the log side asking a witness to cosign (request,
 * attach). Protocol: C2SP tlog-witness add-checkpoint, cosignatures per tlog-cosignature v1.
 */
#include "cli/cmd_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_log_witness(cli *c, int argc, char **argv)
{
    (void)c;
    (void)argc;
    (void)argv;
    return cli_usage("log witness", "not implemented yet");
}
