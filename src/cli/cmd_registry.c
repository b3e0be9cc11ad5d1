/*
 * cli/cmd_registry.c - registry commands, part 1: the shared option parser, and the org,
 * assessor, service and demo commands. Entries: cmd_registry_entry.c; offerings:
 * cmd_registry_offering.c. All work happens in libtrustreg (trustreg/registry.h).
 */
#include "cli/cmd_registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_POLICY = 256, O_ASOF, O_ALL, O_SIGNED, O_DATE, O_SLUG, O_WEBSITE, O_DESC, O_CONTACT,
    O_CATEGORY, O_REGION, O_PLATFORM, O_KIND, O_TITLE, O_LEVEL, O_CCM, O_ADATE, O_EXPIRES,
    O_ASSESSOR, O_BYASSESSOR, O_MONEND, O_FREQ, O_RESTRICTED, O_CAIQ, O_CAIQPDF, O_SHA, O_DOC,
    O_RDOC, O_ACCEPT, O_REJECT, O_MANUAL, O_REASON, O_NOCHANGES, O_ORG, O_OFFERING, O_STATUS,
    O_SORT, O_DESCENDING, O_LIMIT, O_OFFSET, O_SERVICE, O_ISSUED, O_PSTART, O_PEND, O_NOTES,
    O_REFERENCE, O_SUPERSEDES, O_RENEWS, O_PROVIDERS, O_SPP, O_EPS, O_SEED, O_TODAY,
};

static const struct option reg_opts[] = {
    CLI_COMMON_OPTS,
    {"policy", required_argument, NULL, O_POLICY},
    {"as-of", required_argument, NULL, O_ASOF},
    {"all", no_argument, NULL, O_ALL},
    {"signed-in", no_argument, NULL, O_SIGNED},
    {"date", required_argument, NULL, O_DATE},
    {"slug", required_argument, NULL, O_SLUG},
    {"website", required_argument, NULL, O_WEBSITE},
    {"description", required_argument, NULL, O_DESC},
    {"contact", required_argument, NULL, O_CONTACT},
    {"category", required_argument, NULL, O_CATEGORY},
    {"region", required_argument, NULL, O_REGION},
    {"platform", required_argument, NULL, O_PLATFORM},
    {"kind", required_argument, NULL, O_KIND},
    {"title", required_argument, NULL, O_TITLE},
    {"level", required_argument, NULL, O_LEVEL},
    {"ccm-version", required_argument, NULL, O_CCM},
    {"assessment-date", required_argument, NULL, O_ADATE},
    {"expires", required_argument, NULL, O_EXPIRES},
    {"assessor", required_argument, NULL, O_ASSESSOR},
    {"by-assessor", no_argument, NULL, O_BYASSESSOR},
    {"monitoring-end", required_argument, NULL, O_MONEND},
    {"frequency-days", required_argument, NULL, O_FREQ},
    {"restricted", no_argument, NULL, O_RESTRICTED},
    {"caiq", required_argument, NULL, O_CAIQ},
    {"caiq-pdf", required_argument, NULL, O_CAIQPDF},
    {"sha256", required_argument, NULL, O_SHA},
    {"doc", required_argument, NULL, O_DOC},
    {"restricted-doc", required_argument, NULL, O_RDOC},
    {"accept", no_argument, NULL, O_ACCEPT},
    {"reject", required_argument, NULL, O_REJECT},
    {"manual", required_argument, NULL, O_MANUAL},
    {"reason", required_argument, NULL, O_REASON},
    {"no-changes", no_argument, NULL, O_NOCHANGES},
    {"org", required_argument, NULL, O_ORG},
    {"offering", required_argument, NULL, O_OFFERING},
    {"status", required_argument, NULL, O_STATUS},
    {"sort", required_argument, NULL, O_SORT},
    {"desc", no_argument, NULL, O_DESCENDING},
    {"limit", required_argument, NULL, O_LIMIT},
    {"offset", required_argument, NULL, O_OFFSET},
    {"service", required_argument, NULL, O_SERVICE},
    {"issued", required_argument, NULL, O_ISSUED},
    {"period-start", required_argument, NULL, O_PSTART},
    {"period-end", required_argument, NULL, O_PEND},
    {"notes", required_argument, NULL, O_NOTES},
    {"reference", required_argument, NULL, O_REFERENCE},
    {"supersedes", required_argument, NULL, O_SUPERSEDES},
    {"renews", required_argument, NULL, O_RENEWS},
    {"providers", required_argument, NULL, O_PROVIDERS},
    {"services-per-provider", required_argument, NULL, O_SPP},
    {"entries-per-service", required_argument, NULL, O_EPS},
    {"seed", required_argument, NULL, O_SEED},
    {"today", required_argument, NULL, O_TODAY},
    {NULL, 0, NULL, 0},
};

static int word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static int parse_long(const char *group, const char *opt, const char *s, long lo, long hi,
                      long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return cli_usage(group, "--%s: expected a number from %ld to %ld, got '%s'", opt, lo, hi,
                         s);
    *out = v;
    return 0;
}

static int push(const char *group, const char *opt, const char **arr, size_t *n, const char *v)
{
    if (*n >= CLI_REG_MULTI)
        return cli_usage(group, "--%s given more than %d times", opt, CLI_REG_MULTI);
    arr[(*n)++] = v;
    return 0;
}

int cli_reg_parse(cli *c, cli_reg *r, int argc, char **argv, const char *group, const char *help)
{
    memset(r, 0, sizeof *r);
    opterr = 0;
    optind = 0; /* glibc: full re-initialisation, argv[0] is the group name */
    int opt, idx = -1;
    long v;
    int e = 0;
    while ((opt = getopt_long(argc, argv, "hq", reg_opts, &idx)) != -1) {
        if (opt == '?')
            return cli_bad_option(group, argv);
        if (opt < 256) {
            int k = cli_common_opt(c, opt, help);
            if (k < 0)
                return EXIT_OK;
            if (k == 0)
                return cli_bad_option(group, argv);
            continue;
        }
        /* the option's long name: the table is in enum order after the 4 common ones */
        const char *name = reg_opts[opt - 256 + 4].name;
        r->seen |= 1ull << (opt - 256);
        switch (opt) {
        case O_POLICY: r->policy = optarg; break;
        case O_ASOF: r->as_of = optarg; break;
        case O_ALL: r->all = 1; break;
        case O_SIGNED: r->signed_in = 1; break;
        case O_DATE: r->date = optarg; break;
        case O_SLUG: r->slug = optarg; break;
        case O_WEBSITE: r->website = optarg; break;
        case O_DESC: r->description = optarg; break;
        case O_CONTACT: e = push(group, name, r->contacts, &r->n_contacts, optarg); break;
        case O_CATEGORY: r->category = optarg; break;
        case O_REGION:
            r->region1 = optarg;
            e = push(group, name, r->regions, &r->n_regions, optarg);
            break;
        case O_PLATFORM: r->platform = optarg; break;
        case O_KIND: r->kind = optarg; break;
        case O_TITLE: r->title = optarg; break;
        case O_LEVEL: r->level = optarg; break;
        case O_CCM: r->ccm_version = optarg; break;
        case O_ADATE: r->assessment_date = optarg; break;
        case O_EXPIRES: r->expires = optarg; break;
        case O_ASSESSOR: r->assessor = optarg; break;
        case O_BYASSESSOR: r->by_assessor = 1; break;
        case O_MONEND: r->monitoring_end = optarg; break;
        case O_FREQ:
            if (!(e = parse_long(group, name, optarg, 1, 366, &v)))
                r->frequency_days = (int)v;
            break;
        case O_RESTRICTED: r->restricted = 1; break;
        case O_CAIQ: r->caiq = optarg; break;
        case O_CAIQPDF: r->caiq_pdf = optarg; break;
        case O_SHA: r->sha256 = optarg; break;
        case O_DOC:
        case O_RDOC:
            if (r->n_docs < CLI_REG_MULTI)
                r->docs_restricted[r->n_docs] = opt == O_RDOC;
            e = push(group, name, r->docs, &r->n_docs, optarg);
            break;
        case O_ACCEPT: r->accept = 1; break;
        case O_REJECT: r->reject = optarg; break;
        case O_MANUAL: r->manual = optarg; break;
        case O_REASON: r->reason = optarg; break;
        case O_NOCHANGES: r->no_changes = 1; break;
        case O_ORG: r->org = optarg; break;
        case O_OFFERING: r->offering = optarg; break;
        case O_STATUS: r->status = optarg; break;
        case O_SORT: r->sort = optarg; break;
        case O_DESCENDING: r->descending = 1; break;
        case O_LIMIT: e = parse_long(group, name, optarg, 1, 10000, &r->limit); break;
        case O_OFFSET: e = parse_long(group, name, optarg, 0, 1000000000L, &r->offset); break;
        case O_SERVICE: e = push(group, name, r->services, &r->n_services, optarg); break;
        case O_ISSUED: r->issued = optarg; break;
        case O_PSTART: r->period_start = optarg; break;
        case O_PEND: r->period_end = optarg; break;
        case O_NOTES: r->notes = optarg; break;
        case O_REFERENCE: r->reference = optarg; break;
        case O_SUPERSEDES: e = parse_long(group, name, optarg, 1, 1L << 62, &r->supersedes); break;
        case O_RENEWS: e = parse_long(group, name, optarg, 1, 1L << 62, &r->renews); break;
        case O_PROVIDERS: e = parse_long(group, name, optarg, 1, 1000000, &r->providers); break;
        case O_SPP:
            e = parse_long(group, name, optarg, 1, 1000, &r->services_per_provider);
            break;
        case O_EPS: e = parse_long(group, name, optarg, 1, 100, &r->entries_per_service); break;
        case O_SEED: r->seed = optarg; break;
        case O_TODAY: r->today = optarg; break;
        default: return cli_bad_option(group, argv);
        }
        if (e)
            return e;
    }
    r->args = argv + optind;
    r->nargs = argc - optind;
    return -1;
}

const char *cli_reg_sub(cli_reg *r)
{
    if (r->nargs == 0)
        return "";
    r->nargs--;
    return *r->args++;
}

int cli_reg_allow(const cli_reg *r, const char *group, const char *sub, const char *allowed)
{
    for (int i = 0; reg_opts[i + 4].name; i++) {
        if (!(r->seen & (1ull << i)))
            continue;
        if (!word_in(allowed, reg_opts[i + 4].name))
            return cli_usage(group, "option --%s does not apply to '%s%s%s'",
                             reg_opts[i + 4].name, group, *sub ? " " : "", sub);
    }
    return -1;
}

int cli_reg_open(cli *c, const cli_reg *r, int create, trustreg_db **db, trustreg_registry **reg)
{
    int e = cli_open_db(c, create ? TRUSTREG_DB_CREATE : 0, db);
    if (e)
        return e;
    int rc = trustreg_registry_open(reg, *db, r->policy);
    if (rc) {
        e = cli_fail(c, rc);
        trustreg_db_close(*db);
        return e;
    }
    return 0;
}

void cli_reg_close(trustreg_db *db, trustreg_registry *reg)
{
    trustreg_registry_close(reg);
    trustreg_db_close(db);
}

trustreg_view cli_reg_view(const cli_reg *r)
{
    trustreg_view v = {.as_of = r->as_of, .include_nonpublic = r->all, .signed_in = r->signed_in};
    return v;
}

int cli_reg_docs(const cli_reg *r, trustreg_doc_spec *out, size_t max, const char *primary_kind,
                 const char *primary_path, const char *group)
{
    size_t n = 0;
    if (primary_path) {
        out[n++] = (trustreg_doc_spec){.path = primary_path, .kind = primary_kind};
    }
    for (size_t i = 0; i < r->n_docs; i++) {
        const char *eq = strchr(r->docs[i], '=');
        if (!eq || eq == r->docs[i] || !eq[1] || n >= max) {
            cli_usage(group, "--doc expects KIND=FILE (e.g. audit-report=soc2.pdf), got '%s'",
                      r->docs[i]);
            return -1;
        }
        static char kinds[CLI_REG_MULTI][32];
        size_t kl = (size_t)(eq - r->docs[i]);
        if (kl >= sizeof kinds[0])
            kl = sizeof kinds[0] - 1;
        memcpy(kinds[i], r->docs[i], kl);
        kinds[i][kl] = '\0';
        out[n++] = (trustreg_doc_spec){.path = eq + 1, .kind = kinds[i],
                                       .restricted = r->docs_restricted[i]};
    }
    if (n > 0) {
        out[0].expect_sha256 = r->sha256;
        if (r->title)
            out[0].title = r->title;
    } else if (r->sha256) {
        cli_usage(group, "--sha256 checks a document; give the document too");
        return -1;
    }
    return (int)n;
}

int cli_reg_id(const char *group, const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || errno || *end || v <= 0)
        return cli_usage(group, "expected a numeric id, got '%s'", s ? s : "");
    *id = v;
    return 0;
}

void cli_reg_output(const cli *c, json_t *v, void (*text)(json_t *v))
{
    if (c->json)
        cli_print_json(v);
    else {
        text(v);
        json_decref(v);
    }
}

const char *cli_js(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* ---- org ---- */

static const char org_help[] =
    "usage: trustreg org add NAME [--slug S] [--website URL] [--description TEXT]\n"
    "                            [--contact ADDR]... [--date YYYY-MM-DD]\n"
    "       trustreg org list\n"
    "       trustreg org show ORG\n"
    "       trustreg org add-document ORG KIND=FILE [--restricted] [--title T] [--sha256 HEX]\n"
    "       trustreg org history ORG\n"
    "       trustreg org compare ORG ORG [ORG...]   (2 to 5) [--as-of DATE]\n\n"
    "Cloud service providers. ORG is an id or a slug. Every command takes --json, --db PATH,\n"
    "--policy FILE. Documents: KIND is caiq, caiq-pdf, rfi-response, ccm-mapping,\n"
    "audit-report, certificate, bridge-letter, monitoring-report or other; --restricted keeps\n"
    "a document for signed-in customers; --sha256 refuses the file unless it has that digest.\n";

static void print_id(json_t *v)
{
    printf("%s\n", cli_js(v, "message"));
}

static void print_orgs(json_t *v)
{
    size_t i;
    json_t *o;
    json_array_foreach(v, i, o)
        printf("%lld\t%s\t%s\t%lld services\n",
               (long long)json_integer_value(json_object_get(o, "id")), cli_js(o, "slug"),
               cli_js(o, "name"), (long long)json_integer_value(json_object_get(o, "services")));
}

static void print_history(json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        json_t *reason = json_object_get(e, "reason");
        printf("%s\t%s", cli_js(e, "day"), cli_js(e, "kind"));
        if (json_object_get(e, "entry"))
            printf("\tentry %lld", (long long)json_integer_value(json_object_get(e, "entry")));
        if (json_object_get(e, "attainment"))
            printf("\tattainment %lld",
                   (long long)json_integer_value(json_object_get(e, "attainment")));
        if (reason)
            printf("\treason: %s", json_string_value(reason));
        putchar('\n');
    }
}

static void print_services(json_t *v)
{
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        printf("%lld\t%s\t%s\t%s", (long long)json_integer_value(json_object_get(s, "id")),
               cli_js(s, "slug"), cli_js(s, "name"), cli_js(s, "category"));
        if (json_is_string(json_object_get(s, "platform")))
            printf("\tplatform: %s", cli_js(s, "platform"));
        putchar('\n');
    }
}

static void print_org(json_t *v)
{
    printf("%s (%s)\n", cli_js(v, "name"), cli_js(v, "slug"));
    if (*cli_js(v, "website"))
        printf("  website: %s\n", cli_js(v, "website"));
    if (*cli_js(v, "description"))
        printf("  %s\n", cli_js(v, "description"));
    printf("\nServices:\n");
    print_services(json_object_get(v, "services"));
    json_t *docs = json_object_get(v, "documents");
    if (json_array_size(docs)) {
        printf("\nDocuments:\n");
        size_t i;
        json_t *d;
        json_array_foreach(docs, i, d)
            printf("  %s\t%s\tsha256 %s\n", cli_js(d, "kind"), cli_js(d, "title"),
                   cli_js(d, "sha256"));
    }
}

/* Print the result of an add as "added <what> <id>" (or JSON). */
static int added(const cli *c, const char *what, int64_t id)
{
    char msg[160];
    snprintf(msg, sizeof msg, "added %s %lld", what, (long long)id);
    cli_reg_output(c, json_pack("{s:I, s:s}", "id", (json_int_t)id, "message", msg), print_id);
    return EXIT_OK;
}

static int doc_add(cli *c, cli_reg *r, trustreg_registry *reg, const char *group, int is_org)
{
    if (r->nargs != 2)
        return cli_usage(group, "add-document needs %s and KIND=FILE",
                         is_org ? "ORG" : "SERVICE");
    const char *save = r->docs[0];
    r->docs[0] = r->args[1];
    r->docs_restricted[0] = r->restricted;
    size_t saved_n = r->n_docs;
    r->n_docs = 1;
    trustreg_doc_spec spec[2];
    int n = cli_reg_docs(r, spec, 2, NULL, NULL, group);
    r->docs[0] = save;
    r->n_docs = saved_n;
    if (n < 0)
        return EXIT_USAGE;
    int64_t id;
    int rc = is_org ? trustreg_org_add_document(reg, r->args[0], &spec[0], r->date, &id)
                    : trustreg_service_add_document(reg, r->args[0], &spec[0], r->date, &id);
    return rc ? cli_fail(c, rc) : added(c, "document", id);
}

static int compare(cli *c, cli_reg *r, trustreg_registry *reg, const char *group, int orgs);

int cmd_org(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "org", org_help);
    if (e >= 0)
        return e;
    const char *sub = cli_reg_sub(&r);
    if ((e = cli_reg_allow(&r, "org", sub,
                           strcmp(sub, "add") == 0 ? "policy date slug website description contact"
                           : strcmp(sub, "add-document") == 0
                               ? "policy date restricted title sha256"
                           : strcmp(sub, "compare") == 0 ? "policy as-of all"
                                                         : "policy")) >= 0)
        return e;
    if (!*sub)
        return cli_usage("org", "expected a subcommand: add, list, show, add-document, history, "
                                "compare");
    trustreg_db *db;
    trustreg_registry *reg;
    int create = strcmp(sub, "add") == 0;
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") &&
        strcmp(sub, "add-document") && strcmp(sub, "history") && strcmp(sub, "compare"))
        return cli_usage("org", "unknown subcommand '%s'", sub);
    if ((e = cli_reg_open(c, &r, create, &db, &reg)))
        return e;
    int rc = 0;
    json_t *out = NULL;
    if (strcmp(sub, "add") == 0) {
        if (r.nargs != 1) {
            e = cli_usage("org", "org add needs exactly one NAME (quote names with spaces)");
        } else {
            trustreg_org_spec s = {.slug = r.slug, .name = r.args[0], .website = r.website,
                                   .description = r.description, .contacts = r.contacts,
                                   .n_contacts = r.n_contacts, .date = r.date};
            int64_t id;
            rc = trustreg_org_add(reg, &s, &id);
            e = rc ? cli_fail(c, rc) : added(c, "provider", id);
        }
    } else if (strcmp(sub, "list") == 0) {
        rc = trustreg_org_list(reg, &out);
        e = rc ? cli_fail(c, rc) : (cli_reg_output(c, out, print_orgs), EXIT_OK);
    } else if (strcmp(sub, "show") == 0 || strcmp(sub, "history") == 0) {
        if (r.nargs != 1)
            e = cli_usage("org", "org %s needs one ORG", sub);
        else if (sub[0] == 's')
            e = (rc = trustreg_org_show(reg, r.args[0], &out))
                    ? cli_fail(c, rc)
                    : (cli_reg_output(c, out, print_org), EXIT_OK);
        else
            e = (rc = trustreg_history(reg, "org", r.args[0], &out))
                    ? cli_fail(c, rc)
                    : (cli_reg_output(c, out, print_history), EXIT_OK);
    } else if (strcmp(sub, "add-document") == 0) {
        e = doc_add(c, &r, reg, "org", 1);
    } else {
        e = compare(c, &r, reg, "org", 1);
    }
    cli_reg_close(db, reg);
    return e;
}

/* ---- assessor ---- */

static const char assessor_help[] =
    "usage: trustreg assessor add NAME --kind cpa-firm|certification-body|monitoring\n"
    "                                [--slug S] [--website URL] [--date YYYY-MM-DD]\n"
    "       trustreg assessor list\n\n"
    "Registered assessors: CPA firms (Level 2 attestation), certification bodies (Level 2\n"
    "certification, C-STAR) and monitoring providers (Level 3). Entries above Level 1 must\n"
    "name a registered assessor.\n";

static void print_assessors(json_t *v)
{
    size_t i;
    json_t *o;
    json_array_foreach(v, i, o)
        printf("%lld\t%s\t%s\t%s\n", (long long)json_integer_value(json_object_get(o, "id")),
               cli_js(o, "slug"), cli_js(o, "kind"), cli_js(o, "name"));
}

int cmd_assessor(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "assessor", assessor_help);
    if (e >= 0)
        return e;
    const char *sub = cli_reg_sub(&r);
    if ((e = cli_reg_allow(&r, "assessor", sub,
                           strcmp(sub, "add") == 0 ? "policy date slug website kind" : "policy")) >=
        0)
        return e;
    if (strcmp(sub, "add") && strcmp(sub, "list"))
        return cli_usage("assessor", *sub ? "unknown subcommand '%s'" : "expected add or list%s",
                         sub);
    trustreg_db *db;
    trustreg_registry *reg;
    if ((e = cli_reg_open(c, &r, sub[0] == 'a', &db, &reg)))
        return e;
    int rc;
    if (sub[0] == 'a') {
        if (r.nargs != 1) {
            e = cli_usage("assessor", "assessor add needs exactly one NAME");
        } else {
            trustreg_assessor_spec s = {.slug = r.slug, .name = r.args[0], .kind = r.kind,
                                        .website = r.website, .date = r.date};
            int64_t id;
            e = (rc = trustreg_assessor_add(reg, &s, &id)) ? cli_fail(c, rc)
                                                            : added(c, "assessor", id);
        }
    } else {
        json_t *out;
        e = (rc = trustreg_assessor_list(reg, &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_assessors), EXIT_OK);
    }
    cli_reg_close(db, reg);
    return e;
}

/* ---- service ---- */

static const char service_help[] =
    "usage: trustreg service add ORG NAME --category CATEGORY [--slug S] [--description TEXT]\n"
    "                                [--region R]... [--platform SERVICE] [--date YYYY-MM-DD]\n"
    "       trustreg service list [--org ORG]\n"
    "       trustreg service show SERVICE [--as-of DATE] [--all] [--signed-in]\n"
    "       trustreg service add-document SERVICE KIND=FILE [--restricted] [--title T]\n"
    "                                [--sha256 HEX]\n"
    "       trustreg service history SERVICE\n"
    "       trustreg service compare SERVICE SERVICE [SERVICE...]   (2 to 5) [--as-of DATE]\n\n"
    "SERVICE is an id or a slug (default slug: provider slug + name). 'show' is the service\n"
    "page: STAR entries by level with status and validity on the day (--as-of, default today,\n"
    "UTC), offerings grouped Global / US Government / Industry / Regional (own, or from the\n"
    "platform the service belongs to), documents with SHA-256, history. --all is the registry\n"
    "operator view (submitted, rejected, withdrawn, hidden entries); --signed-in lists\n"
    "restricted documents.\n";

static void print_entry_line(json_t *e)
{
    printf("    #%lld  %-16s %-10s  CCM %s  assessed %s  valid until %s",
           (long long)json_integer_value(json_object_get(e, "id")), cli_js(e, "level"),
           cli_js(e, "status"), cli_js(e, "ccm_version"), cli_js(e, "assessment_date"),
           json_is_string(json_object_get(e, "valid_until")) ? cli_js(e, "valid_until") : "-");
    json_t *a = json_object_get(e, "assessor");
    if (json_is_object(a))
        printf("  by %s", cli_js(a, "name"));
    putchar('\n');
}

static void print_page(json_t *v)
{
    json_t *s = json_object_get(v, "service"), *o = json_object_get(v, "org");
    printf("%s (%s) - %s\n", cli_js(s, "name"), cli_js(s, "slug"), cli_js(o, "name"));
    printf("  category: %s   as of %s\n", cli_js(s, "category"), cli_js(v, "as_of"));
    json_t *p = json_object_get(v, "platform");
    if (json_is_object(p))
        printf("  platform: %s (%s)\n", cli_js(p, "name"), cli_js(p, "slug"));
    printf("\nSTAR entries:\n");
    const char *key;
    json_t *arr;
    int any = 0;
    json_object_foreach(json_object_get(v, "entries"), key, arr)
    {
        size_t i;
        json_t *e;
        printf("  %s\n", key);
        json_array_foreach(arr, i, e)
            print_entry_line(e);
        any = 1;
    }
    if (!any)
        printf("  (none)\n");
    printf("\nOfferings:\n");
    static const char *const cats[] = {"global", "us-government", "industry", "regional"};
    static const char *const titles[] = {"Global", "US Government", "Industry", "Regional"};
    for (int k = 0; k < 4; k++) {
        json_t *g = json_object_get(json_object_get(v, "offerings"), cats[k]);
        if (!json_array_size(g))
            continue;
        printf("  %s\n", titles[k]);
        size_t i;
        json_t *f;
        json_array_foreach(g, i, f)
            printf("    %-28s %-9s %s%s  expires %s\n", cli_js(f, "name"), cli_js(f, "status"),
                   strcmp(cli_js(f, "source"), "platform") == 0 ? "(from platform) " : "",
                   cli_js(f, "reference"),
                   json_is_string(json_object_get(f, "expires_on")) ? cli_js(f, "expires_on")
                                                                    : "-");
    }
    json_t *docs = json_object_get(v, "documents");
    if (json_array_size(docs)) {
        printf("\nDocuments:\n");
        size_t i;
        json_t *d;
        json_array_foreach(docs, i, d)
            printf("  %-14s %s  sha256 %s  (%s)\n", cli_js(d, "kind"), cli_js(d, "title"),
                   cli_js(d, "sha256"), cli_js(d, "access"));
    }
    printf("\nHistory:\n");
    json_t *h = json_object_get(v, "history");
    size_t i;
    json_t *e;
    json_array_foreach(h, i, e)
        printf("  %s  %s\n", cli_js(e, "day"), cli_js(e, "kind"));
}

int cmd_service(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "service", service_help);
    if (e >= 0)
        return e;
    const char *sub = cli_reg_sub(&r);
    const char *allowed = strcmp(sub, "add") == 0
                              ? "policy date slug description category region platform"
                          : strcmp(sub, "list") == 0         ? "policy org"
                          : strcmp(sub, "show") == 0         ? "policy as-of all signed-in"
                          : strcmp(sub, "add-document") == 0 ? "policy date restricted title sha256"
                          : strcmp(sub, "compare") == 0      ? "policy as-of all"
                                                             : "policy";
    if ((e = cli_reg_allow(&r, "service", sub, allowed)) >= 0)
        return e;
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") &&
        strcmp(sub, "add-document") && strcmp(sub, "history") && strcmp(sub, "compare"))
        return cli_usage("service", *sub ? "unknown subcommand '%s'"
                                         : "expected a subcommand: add, list, show, "
                                           "add-document, history, compare%s",
                         sub);
    trustreg_db *db;
    trustreg_registry *reg;
    if ((e = cli_reg_open(c, &r, strcmp(sub, "add") == 0, &db, &reg)))
        return e;
    int rc;
    json_t *out = NULL;
    if (strcmp(sub, "add") == 0) {
        if (r.nargs != 2) {
            e = cli_usage("service", "service add needs ORG and NAME");
        } else {
            trustreg_service_spec s = {.org = r.args[0], .slug = r.slug, .name = r.args[1],
                                       .category = r.category, .description = r.description,
                                       .platform = r.platform, .regions = r.regions,
                                       .n_regions = r.n_regions, .date = r.date};
            int64_t id;
            e = (rc = trustreg_service_add(reg, &s, &id)) ? cli_fail(c, rc)
                                                           : added(c, "service", id);
        }
    } else if (strcmp(sub, "list") == 0) {
        e = (rc = trustreg_service_list(reg, r.org, &out))
                ? cli_fail(c, rc)
                : (cli_reg_output(c, out, print_services), EXIT_OK);
    } else if (strcmp(sub, "show") == 0) {
        trustreg_view view = cli_reg_view(&r);
        if (r.nargs != 1)
            e = cli_usage("service", "service show needs one SERVICE");
        else
            e = (rc = trustreg_service_page(reg, r.args[0], &view, &out))
                    ? cli_fail(c, rc)
                    : (cli_reg_output(c, out, print_page), EXIT_OK);
    } else if (strcmp(sub, "history") == 0) {
        if (r.nargs != 1)
            e = cli_usage("service", "service history needs one SERVICE");
        else
            e = (rc = trustreg_history(reg, "service", r.args[0], &out))
                    ? cli_fail(c, rc)
                    : (cli_reg_output(c, out, print_history), EXIT_OK);
    } else if (strcmp(sub, "add-document") == 0) {
        e = doc_add(c, &r, reg, "service", 0);
    } else {
        e = compare(c, &r, reg, "service", 0);
    }
    cli_reg_close(db, reg);
    return e;
}

/* ---- compare ---- */

static void print_compare(json_t *v)
{
    json_t *cols = json_object_get(v, "columns");
    size_t i;
    json_t *col;
    json_array_foreach(cols, i, col)
    {
        printf("%s (%s)\n", cli_js(col, "name"), cli_js(col, "slug"));
        const char *lv;
        json_t *st;
        printf("  STAR levels:");
        json_object_foreach(json_object_get(col, "levels"), lv, st)
            printf(" %s=%s", lv, json_string_value(st));
        printf("\n  offerings:");
        json_t *offs = json_object_get(col, "offerings");
        size_t k;
        json_t *f;
        json_array_foreach(offs, k, f)
            printf(" %s", json_string_value(f));
        json_t *sum = json_object_get(col, "caiq_summary");
        printf("\n  CAIQ domain summary: %s\n\n",
               json_is_object(sum) ? "available (--json)" : "not available");
    }
}

static int compare(cli *c, cli_reg *r, trustreg_registry *reg, const char *group, int orgs)
{
    if (r->nargs < 2 || r->nargs > 5)
        return cli_usage(group, "compare needs 2 to 5 %s", orgs ? "providers" : "services");
    trustreg_view view = cli_reg_view(r);
    json_t *out;
    int rc = trustreg_compare(reg, orgs, (const char *const *)r->args, (size_t)r->nargs, &view,
                              &out);
    if (rc)
        return cli_fail(c, rc);
    cli_reg_output(c, out, print_compare);
    return EXIT_OK;
}

/* ---- demo ---- */

static const char demo_help[] =
    "usage: trustreg demo [--providers N] [--services-per-provider N] [--entries-per-service N]\n"
    "                     [--seed N] [--today YYYY-MM-DD]\n\n"
    "Fill the database with clearly fictional providers (\"Example ... Demo Cloud\"), services,\n"
    "assessors, STAR entries of every level and offering attainments, with a realistic spread of\n"
    "dates and statuses. Deterministic: the same seed and --today give the same data.\n"
    "Defaults: 25 providers, 4 services each, 2 entries per service, seed 1, today (UTC).\n"
    "Everything is written in one transaction (with its history events).\n";

static void print_demo(json_t *v)
{
    printf("demo data: %lld providers, %lld services, %lld STAR entries, %lld attainments, "
           "%lld assessors, %lld events\n",
           (long long)json_integer_value(json_object_get(v, "providers")),
           (long long)json_integer_value(json_object_get(v, "services")),
           (long long)json_integer_value(json_object_get(v, "entries")),
           (long long)json_integer_value(json_object_get(v, "attainments")),
           (long long)json_integer_value(json_object_get(v, "assessors")),
           (long long)json_integer_value(json_object_get(v, "events")));
}

int cmd_demo(cli *c, int argc, char **argv)
{
    cli_reg r;
    int e = cli_reg_parse(c, &r, argc, argv, "demo", demo_help);
    if (e >= 0)
        return e;
    if ((e = cli_reg_allow(&r, "demo", "",
                           "policy providers services-per-provider entries-per-service seed "
                           "today")) >= 0)
        return e;
    if (r.nargs > 0)
        return cli_usage("demo", "unexpected argument '%s'", r.args[0]);
    trustreg_demo_opts o = {.providers = r.providers,
                            .services_per_provider = r.services_per_provider,
                            .entries_per_service = r.entries_per_service,
                            .today = r.today,
                            .progress = cli_progress,
                            .progress_ctx = c};
    if (r.seed) {
        char *end;
        errno = 0;
        o.seed = strtoull(r.seed, &end, 10);
        if (errno || *end || !*r.seed)
            return cli_usage("demo", "--seed expects a number, got '%s'", r.seed);
    }
    trustreg_db *db;
    trustreg_registry *reg;
    if ((e = cli_reg_open(c, &r, 1, &db, &reg)))
        return e;
    trustreg_demo_counts n = {0};
    int rc = trustreg_demo_generate(reg, &o, &n);
    cli_progress_end(c);
    if (rc) {
        e = cli_fail(c, rc);
    } else {
        cli_reg_output(c,
                       json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "providers",
                                 (json_int_t)n.providers, "services", (json_int_t)n.services,
                                 "entries", (json_int_t)n.entries, "attainments",
                                 (json_int_t)n.attainments, "assessors", (json_int_t)n.assessors,
                                 "events", (json_int_t)n.events),
                       print_demo);
        e = EXIT_OK;
    }
    cli_reg_close(db, reg);
    return e;
}
