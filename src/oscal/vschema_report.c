/*
 * oscal/vschema_report.c - the error side of the schema engine (oscal/vschema.h): the list of
 * violations, JSON pointers of flat-reader nodes, and short descriptions of values for
 * "found ..." texts. Nothing here runs unless a violation is reported.
 */
#include "oscal/vschema.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------------------------------- */

void tr_vs_errors_add(tr_vs_errors *e, uint32_t node, const char *keyword, const char *loc,
                      char *expected, char *found)
{
    if (e->n >= e->max || e->oom) {
        e->truncated = 1;
        free(expected);
        free(found);
        return;
    }
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        tr_vs_error *v = realloc(e->v, cap * sizeof *v);
        if (!v) {
            e->oom = 1;
            free(expected);
            free(found);
            return;
        }
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = (tr_vs_error){node, keyword, loc, expected, found};
}

void tr_vs_errors_free(tr_vs_errors *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].expected);
        free(e->v[i].found);
    }
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}

/* ---- describing values and places ------------------------------------------------------------ */

void tr_vs_put_quoted(tr_buf *b, const char *s, size_t len, size_t max)
{
    tr_buf_puts(b, "\"");
    size_t i = 0;
    for (; i < len && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            tr_buf_printf(b, "\\%c", c);
        else if (c == '\n')
            tr_buf_puts(b, "\\n");
        else if (c == '\r')
            tr_buf_puts(b, "\\r");
        else if (c == '\t')
            tr_buf_puts(b, "\\t");
        else if (c < 0x20)
            tr_buf_printf(b, "\\u%04x", c);
        else
            tr_buf_append(b, (const char *)&s[i], 1);
    }
    /* do not cut a UTF-8 sequence in half */
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        tr_buf_append(b, &s[i++], 1);
    tr_buf_puts(b, i < len ? "...\"" : "\"");
}

char *tr_vs_describe(const tr_jdom *dom, uint32_t node)
{
    tr_buf b = {0};
    const tr_jnode *n = &dom->nodes[node];
    switch ((tr_jtype)n->type) {
    case TR_J_STRING:
        tr_buf_puts(&b, "string ");
        tr_vs_put_quoted(&b, n->str, n->len, 60);
        break;
    case TR_J_NUMBER:
        tr_buf_printf(&b, "number %.*s", (int)(n->len > 40 ? 40 : n->len), n->str);
        break;
    case TR_J_ARRAY:
        tr_buf_printf(&b, "array of %u item%s", n->len, n->len == 1 ? "" : "s");
        break;
    case TR_J_OBJECT:
        tr_buf_printf(&b, "object with %u member%s", n->len, n->len == 1 ? "" : "s");
        break;
    default:
        tr_buf_puts(&b, tr_jdom_type_name(dom, node));
    }
    return tr_buf_steal(&b);
}

char *tr_vs_pointer(const tr_jdom *dom, uint32_t target)
{
    tr_buf b = {0};
    uint32_t c = 0;
    while (c != target && dom->n > 0) {
        const tr_jnode *cn = &dom->nodes[c];
        uint32_t next = TR_JNONE;
        if (cn->type == TR_J_ARRAY) {
            uint32_t idx = 0;
            for (uint32_t v = tr_jdom_first(dom, c); v != TR_JNONE;
                 v = tr_jdom_next(dom, c, v), idx++)
                if (v <= target && target < dom->nodes[v].end) {
                    tr_buf_printf(&b, "/%u", idx);
                    next = v;
                    break;
                }
        } else if (cn->type == TR_J_OBJECT) {
            for (uint32_t k = tr_jdom_first(dom, c); k != TR_JNONE;
                 k = tr_jdom_next_member(dom, c, k))
                if (k + 1 <= target && target < dom->nodes[k + 1].end) {
                    tr_buf_puts(&b, "/");
                    for (const char *s = dom->nodes[k].str; *s; s++) {
                        if (*s == '~')
                            tr_buf_puts(&b, "~0");
                        else if (*s == '/')
                            tr_buf_puts(&b, "~1");
                        else
                            tr_buf_append(&b, s, 1);
                    }
                    next = k + 1;
                    break;
                }
        }
        if (next == TR_JNONE)
            break; /* target is a key node or out of range: stop at its container */
        c = next;
    }
    return tr_buf_steal(&b);
}
