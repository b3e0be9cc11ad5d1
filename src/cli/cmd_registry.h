/*
 * cli/cmd_registry.h - what the registry command files share: one option table for
 * org / service / assessor / entry / offering / demo, parsed into cli_reg, with each
 * subcommand naming the options it accepts; opening the registry; printing helpers.
 */
#ifndef TR_CLI_CMD_REGISTRY_H
#define TR_CLI_CMD_REGISTRY_H

#include "cli/cli.h"
#include "trustreg/registry.h"

#define CLI_REG_MULTI 64

typedef struct cli_reg {
    const char *policy, *as_of, *date;
    int all, signed_in;
    const char *slug, *website, *description, *category, *platform, *kind, *title;
    const char *level, *ccm_version, *assessment_date, *expires, *assessor, *monitoring_end;
    int by_assessor, frequency_days, restricted;
    const char *caiq, *caiq_pdf, *sha256;
    const char *reject, *manual, *reason;
    int accept, no_changes;
    const char *org, *offering, *status, *region1, *sort;
    int descending;
    long limit, offset;
    const char *issued, *period_start, *period_end, *notes, *reference;
    long supersedes, renews;
    long providers, services_per_provider, entries_per_service;
    const char *seed, *today;
    const char *contacts[CLI_REG_MULTI];
    size_t n_contacts;
    const char *regions[CLI_REG_MULTI];
    size_t n_regions;
    const char *services[CLI_REG_MULTI];
    size_t n_services;
    const char *docs[CLI_REG_MULTI]; /* KIND=FILE */
    int docs_restricted[CLI_REG_MULTI];
    size_t n_docs;
    unsigned long long seen; /* bit per option index */
    char **args;             /* positional arguments after the subcommand */
    int nargs;
} cli_reg;

/*
 * Parse argv (argv[0] the group) into r; positional arguments (the subcommand first) go to
 * r->args. Returns -1 to go on, else an exit code (help printed: EXIT_OK).
 */
int cli_reg_parse(cli *c, cli_reg *r, int argc, char **argv, const char *group, const char *help);
/* Take the subcommand off r->args ("" when none). */
const char *cli_reg_sub(cli_reg *r);
/* Refuse options the subcommand does not take. allowed: space-separated long option names
 * besides db/json/quiet/help. Returns -1 to go on, else an exit code. */
int cli_reg_allow(const cli_reg *r, const char *group, const char *sub, const char *allowed);

/* Open database (created when asked) and registry. Returns 0 or an exit code. */
int cli_reg_open(cli *c, const cli_reg *r, int create, trustreg_db **db, trustreg_registry **reg);
void cli_reg_close(trustreg_db *db, trustreg_registry *reg);

trustreg_view cli_reg_view(const cli_reg *r);

/* Turn KIND=FILE arguments into document specs (first gets sha256); returns count or -1. */
int cli_reg_docs(const cli_reg *r, trustreg_doc_spec *out, size_t max, const char *primary_kind,
                 const char *primary_path, const char *group);

/* Parse a positive id argument; returns 0 or EXIT_USAGE after reporting. */
int cli_reg_id(const char *group, const char *s, int64_t *id);

/* Print JSON with --json, else call text(v); always consumes v. */
void cli_reg_output(const cli *c, json_t *v, void (*text)(json_t *v));

/* Small text helpers. */
const char *cli_js(json_t *o, const char *key); /* string member or "" */

int cmd_org(cli *c, int argc, char **argv);
int cmd_service(cli *c, int argc, char **argv);
int cmd_assessor(cli *c, int argc, char **argv);
int cmd_entry(cli *c, int argc, char **argv);
int cmd_offering(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);

#endif
