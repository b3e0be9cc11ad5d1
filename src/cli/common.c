/*
 * cli/common.c - option helpers, error reporting with exit codes, JSON printing, progress bar.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_common_opt(cli *c, int opt, const char *help)
{
    switch (opt) {
    case 'D':
        c->db_path = optarg;
        return 1;
    case 'J':
        c->json = 1;
        return 1;
    case 'q':
        c->quiet = 1;
        return 1;
    case 'h':
        fputs(help, stdout);
        return -1;
    default:
        return 0;
    }
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("trustreg: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'trustreg %s%s--help'.\n", command ? command : "",
            command ? " " : "");
    return EXIT_USAGE;
}

int cli_bad_option(const char *command, char **argv)
{
    if (optopt)
        return cli_usage(command, "unknown option '-%c' or missing argument", optopt);
    return cli_usage(command, "unknown option or missing argument: '%s'", argv[optind - 1]);
}

int cli_fail(const cli *c, int rc)
{
    const trustreg_error *e = trustreg_error_last();
    int code = trustreg_status_exit_code(rc);
    if (c && c->json) {
        json_t *j = json_pack("{s:{s:s, s:i, s:s, s:s, s:i, s:i, s:s}}", "error", "kind",
                              trustreg_status_name(rc), "exit_code", code, "message", e->message,
                              "source", e->source, "line", e->line, "column", e->column,
                              "pointer", e->pointer);
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        fprintf(stderr, "%s\n", s ? s : e->message);
        free(s);
        json_decref(j);
    } else {
        fprintf(stderr, "trustreg: %s\n", e->message[0] ? e->message : trustreg_status_name(rc));
    }
    return code;
}

int cli_open_db(const cli *c, unsigned flags, trustreg_db **db)
{
    int rc = trustreg_db_open(db, c->db_path, flags);
    if (rc)
        return cli_fail(c, rc);
    return 0;
}

void cli_print_json(json_t *v)
{
    if (!v) {
        fputs("null\n", stdout);
        return;
    }
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(v);
}

static int g_progress_shown;

void cli_progress(void *ctx, uint64_t done, uint64_t total, const char *what)
{
    const cli *c = ctx;
    if (c->quiet || c->json || !isatty(STDERR_FILENO) || total == 0)
        return;
    const int width = 30;
    int filled = (int)(done * (uint64_t)width / total);
    if (filled > width)
        filled = width;
    char bar[64];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '-', (size_t)(width - filled));
    bar[width] = '\0';
    const char *base = strrchr(what, '/');
    base = base ? base + 1 : what;
    fprintf(stderr, "\r[%s] %3d%% %-40.40s", bar, (int)(done * 100 / total), base);
    fflush(stderr);
    g_progress_shown = 1;
}

void cli_progress_end(const cli *c)
{
    (void)c;
    if (g_progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        g_progress_shown = 0;
    }
}
