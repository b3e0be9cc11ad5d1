/*
 * ccm/map_query.c - queries over stored mappings: what a control maps to (directly or through
 * chains of mappings) and which controls of one framework the met controls of another cover.
 *
 * Both are a breadth-first search over states (control, set of possible relationships from the
 * start). A mapping is followed in both directions (read backwards through its converse); the
 * relationship of a chain is the composition of its steps (map_rel.c), so every conclusion is
 * implied by the mappings. A state is dropped when it can no longer say anything useful: for
 * "show" when nothing is known any more, for coverage as soon as "disjoint" becomes possible
 * (composition never removes that possibility again, so no such chain can prove an overlap).
 * The first time a state is reached is by a shortest chain, and that chain is the explanation.
 */
#include "ccm/map_model.h"
#include "store/map_store.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DR TRUSTREG_MAP_BIT(TRUSTREG_MAP_NONE)

typedef struct nbr {
    size_t node;
    unsigned rel;
    int converse, group;
    char *token, *set_uuid, *map_uuid;
} nbr;

typedef struct node {
    int64_t fw;
    char *key, *ctl;
    uint32_t seen; /* bit m: a state with relationship set m was reached */
    int loaded;
    nbr *nb;
    size_t n_nb, cap_nb;
} node;

typedef struct state {
    size_t node;
    unsigned mask;
    long parent; /* state index, -1 for a start */
    long via;    /* index into the parent node's neighbours */
    int depth;
} state;

typedef struct graph {
    tr_map_store *s;
    node *nodes;
    size_t n_nodes, cap_nodes;
    tr_map_hash index; /* "fw\x1fkey" -> node + 1 */
    state *st;
    size_t n_st, cap_st;
    tr_map_hash fw_names; /* fw id -> name */
    int coverage;
} graph;

static void graph_free(graph *g)
{
    for (size_t i = 0; i < g->n_nodes; i++) {
        node *n = &g->nodes[i];
        for (size_t j = 0; j < n->n_nb; j++) {
            free(n->nb[j].token);
            free(n->nb[j].set_uuid);
            free(n->nb[j].map_uuid);
        }
        free(n->nb);
        free(n->key);
        free(n->ctl);
    }
    free(g->nodes);
    free(g->st);
    tr_map_hash_free(&g->index, NULL);
    tr_map_hash_free(&g->fw_names, free);
}

/* The node of (fw, control), created when create; SIZE_MAX when absent or on error. */
static size_t node_of(graph *g, int64_t fw, const char *key, const char *ctl, int create, int *rc)
{
    char buf[600];
    snprintf(buf, sizeof buf, "%lld\x1f%s", (long long)fw, key);
    void **slot = tr_map_hash_slot(&g->index, buf, create);
    if (!slot) {
        if (create)
            *rc = TRUSTREG_EINTERNAL;
        return SIZE_MAX;
    }
    if (*slot)
        return (size_t)(uintptr_t)*slot - 1;
    if (g->n_nodes == g->cap_nodes) {
        size_t cap = g->cap_nodes ? g->cap_nodes * 2 : 256;
        node *v = realloc(g->nodes, cap * sizeof *v);
        if (!v) {
            *rc = tr_error_oom();
            return SIZE_MAX;
        }
        g->nodes = v;
        g->cap_nodes = cap;
    }
    node *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof *n);
    n->fw = fw;
    n->key = tr_strdup(key);
    n->ctl = tr_strdup(ctl);
    if (!n->key || !n->ctl) {
        free(n->key);
        free(n->ctl);
        *rc = tr_error_oom();
        return SIZE_MAX;
    }
    *slot = (void *)(uintptr_t)(++g->n_nodes);
    return g->n_nodes - 1;
}

typedef struct load_ctx {
    graph *g;
    size_t from;
} load_ctx;

static int on_edge(void *ctx, const tr_map_edge_row *e)
{
    load_ctx *l = ctx;
    graph *g = l->g;
    int rc = TRUSTREG_OK;
    size_t other = node_of(g, e->other_fw, e->other_key, e->other_ctl, 1, &rc);
    if (other == SIZE_MAX)
        return rc ? rc : TRUSTREG_EINTERNAL;
    node *n = &g->nodes[l->from]; /* after node_of: the array may have moved */
    if (n->n_nb == n->cap_nb) {
        size_t cap = n->cap_nb ? n->cap_nb * 2 : 4;
        nbr *v = realloc(n->nb, cap * sizeof *v);
        if (!v)
            return tr_error_oom();
        n->nb = v;
        n->cap_nb = cap;
    }
    nbr *b = &n->nb[n->n_nb];
    b->node = other;
    b->rel = e->rel;
    b->converse = e->converse;
    b->group = e->group;
    b->token = tr_strdup(e->token);
    b->set_uuid = tr_strdup(e->set_uuid);
    b->map_uuid = tr_strdup(e->map_uuid);
    if (!b->token || !b->set_uuid || !b->map_uuid) {
        free(b->token);
        free(b->set_uuid);
        free(b->map_uuid);
        return tr_error_oom();
    }
    n->n_nb++;
    return TRUSTREG_OK;
}

static int load(graph *g, size_t i)
{
    if (g->nodes[i].loaded)
        return TRUSTREG_OK;
    g->nodes[i].loaded = 1;
    load_ctx l = {g, i};
    char *key = tr_strdup(g->nodes[i].key);
    if (!key)
        return tr_error_oom();
    int rc = tr_map_edges_of(g->s, g->nodes[i].fw, key, on_edge, &l);
    free(key);
    return rc;
}

static int push(graph *g, size_t nd, unsigned mask, long parent, long via, int depth)
{
    if (g->n_st == g->cap_st) {
        size_t cap = g->cap_st ? g->cap_st * 2 : 256;
        state *v = realloc(g->st, cap * sizeof *v);
        if (!v)
            return tr_error_oom();
        g->st = v;
        g->cap_st = cap;
    }
    g->st[g->n_st++] = (state){nd, mask, parent, via, depth};
    g->nodes[nd].seen |= 1u << mask;
    return TRUSTREG_OK;
}

/* Breadth-first from the states already queued. */
static int search(graph *g, int max_depth)
{
    for (size_t i = 0; i < g->n_st; i++) {
        state cur = g->st[i];
        if (max_depth > 0 && cur.depth >= max_depth)
            continue;
        if (!g->coverage && cur.mask == TRUSTREG_MAP_ANY && cur.parent >= 0)
            continue; /* nothing known: shown, not followed */
        int rc = load(g, cur.node);
        if (rc)
            return rc;
        node *n = &g->nodes[cur.node];
        for (size_t j = 0; j < n->n_nb; j++) {
            unsigned m = trustreg_map_compose(cur.mask, n->nb[j].rel);
            if (m == 0)
                continue; /* contradictory mappings: no state says anything sound */
            if (g->coverage && (m & DR))
                continue;
            if (!g->coverage && m == TRUSTREG_MAP_ANY && cur.depth >= 1)
                continue;
            size_t to = n->nb[j].node;
            if (g->nodes[to].seen & (1u << m))
                continue;
            if ((rc = push(g, to, m, (long)i, (long)j, cur.depth + 1)))
                return rc;
            n = &g->nodes[cur.node];
        }
    }
    return TRUSTREG_OK;
}

static const char *fw_name(graph *g, int64_t fw)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)fw);
    void **slot = tr_map_hash_slot(&g->fw_names, key, 1);
    if (!slot)
        return "?";
    if (!*slot) {
        tr_map_fw f;
        if (tr_map_fw_by_id(g->s, fw, &f) == TRUSTREG_OK && f.id) {
            *slot = f.name;
            f.name = NULL;
        }
        tr_map_fw_clear(&f);
    }
    return *slot ? *slot : "?";
}

static int popcount(unsigned m)
{
    int c = 0;
    for (; m; m &= m - 1)
        c++;
    return c;
}

/* The chain that reached state i, start first. */
static int build_path(graph *g, size_t i, trustreg_map_step **out, size_t *n, char **start)
{
    *out = NULL;
    *n = 0;
    size_t len = 0;
    for (long k = (long)i; g->st[k].parent >= 0; k = g->st[k].parent)
        len++;
    long k = (long)i;
    while (g->st[k].parent >= 0)
        k = g->st[k].parent;
    if (start && !(*start = tr_strdup(g->nodes[g->st[k].node].ctl)))
        return tr_error_oom();
    if (!len)
        return TRUSTREG_OK;
    trustreg_map_step *v = calloc(len, sizeof *v);
    if (!v)
        return tr_error_oom();
    size_t at = len;
    for (k = (long)i; g->st[k].parent >= 0; k = g->st[k].parent) {
        state *s = &g->st[k], *p = &g->st[s->parent];
        node *from = &g->nodes[p->node], *to = &g->nodes[s->node];
        nbr *b = &from->nb[s->via];
        trustreg_map_step *x = &v[--at];
        x->from_catalog = tr_strdup(fw_name(g, from->fw));
        x->from_control = tr_strdup(from->ctl);
        x->to_catalog = tr_strdup(fw_name(g, to->fw));
        x->to_control = tr_strdup(to->ctl);
        x->stated = tr_strdup(b->token);
        x->set_uuid = tr_strdup(b->set_uuid);
        x->map_uuid = tr_strdup(b->map_uuid);
        x->converse = b->converse;
        x->group = b->group;
        x->step = b->rel;
        x->total = s->mask;
    }
    *out = v;
    *n = len;
    for (size_t j = 0; j < len; j++)
        if (!v[j].from_catalog || !v[j].from_control || !v[j].to_catalog || !v[j].to_control ||
            !v[j].stated || !v[j].set_uuid || !v[j].map_uuid)
            return tr_error_oom();
    return TRUSTREG_OK;
}

static void steps_free(trustreg_map_step *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].from_catalog);
        free(v[i].from_control);
        free(v[i].to_catalog);
        free(v[i].to_control);
        free(v[i].stated);
        free(v[i].set_uuid);
        free(v[i].map_uuid);
    }
    free(v);
}

static int find_fw(tr_map_store *s, const char *key, tr_map_fw *fw)
{
    int rc = tr_map_fw_find(s, key, fw);
    if (rc || fw->id)
        return rc;
    char *names = NULL;
    tr_map_fw_names(s, &names);
    rc = tr_error(TRUSTREG_ENOTFOUND, "no mappings involve framework \"%s\" (known: %s)", key,
                  names && *names ? names : "none; import mappings first");
    free(names);
    return rc;
}

/* Canonical ids of a stored catalog: lower id and label -> id, plus titles by id. */
typedef struct cat_ids {
    tr_map_hash ids;
    char **order; /* ids in catalog order (not withdrawn) */
    char **titles;
    size_t n, cap;
} cat_ids;

static int cat_add(void *ctx, const char *id, const char *label, const char *title, int withdrawn)
{
    cat_ids *c = ctx;
    const char *keys[2] = {id, label};
    for (int i = 0; i < 2; i++) {
        if (!*keys[i])
            continue;
        char *k = tr_map_lower(keys[i]);
        void **slot = k ? tr_map_hash_slot(&c->ids, k, 1) : NULL;
        free(k);
        if (!slot)
            return tr_error_oom();
        if (!*slot && !(*slot = tr_strdup(id)))
            return tr_error_oom();
    }
    if (withdrawn)
        return TRUSTREG_OK;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        char **o = realloc(c->order, cap * sizeof *o);
        if (o)
            c->order = o;
        char **t = realloc(c->titles, cap * sizeof *t);
        if (t)
            c->titles = t;
        if (!o || !t)
            return tr_error_oom();
        c->cap = cap;
    }
    c->order[c->n] = tr_strdup(id);
    c->titles[c->n] = tr_strdup(title);
    if (!c->order[c->n] || !c->titles[c->n]) {
        free(c->order[c->n]);
        free(c->titles[c->n]);
        return tr_error_oom();
    }
    c->n++;
    return TRUSTREG_OK;
}

static void cat_free(cat_ids *c)
{
    tr_map_hash_free(&c->ids, free);
    for (size_t i = 0; i < c->n; i++) {
        free(c->order[i]);
        free(c->titles[i]);
    }
    free(c->order);
    free(c->titles);
}

static int cat_load(tr_map_store *s, const tr_map_fw *fw, cat_ids *c, int *stored)
{
    *stored = 0;
    if (!*fw->catalog_uuid)
        return TRUSTREG_OK;
    int rc = tr_map_catalog_title(s, fw->catalog_uuid, stored, NULL);
    if (!rc && *stored)
        rc = tr_map_catalog_controls(s, fw->catalog_uuid, cat_add, c);
    return rc;
}

/* The lower-case key of a control id as a user typed it (label or id of a stored catalog). */
static char *user_key(cat_ids *c, int stored, const char *id, int *known)
{
    char *k = tr_map_lower(id);
    *known = !stored;
    if (k && stored) {
        void **slot = tr_map_hash_slot(&c->ids, k, 0);
        if (slot) {
            free(k);
            k = tr_map_lower(*slot);
            *known = 1;
        }
    }
    return k;
}

int trustreg_map_show(trustreg_db *db, const char *catalog, const char *control,
                      const trustreg_map_query_opts *opts, trustreg_map_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    tr_map_store *s;
    int rc = tr_map_store_open(db, &s);
    if (rc)
        return rc;
    graph g = {.s = s};
    tr_map_fw fw = {0};
    cat_ids cat = {0};
    trustreg_map_hit *out = NULL;
    size_t n_out = 0;
    int stored = 0, known;
    if ((rc = find_fw(s, catalog, &fw)) || (rc = cat_load(s, &fw, &cat, &stored)))
        goto done;
    char *key = user_key(&cat, stored, control, &known);
    if (!key) {
        rc = tr_error_oom();
        goto done;
    }
    size_t start = node_of(&g, fw.id, key, control, 1, &rc);
    free(key);
    if (start == SIZE_MAX || (rc = push(&g, start, TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT), -1,
                                        -1, 0)))
        goto done;
    int depth = opts && opts->transitive ? opts->max_depth : 1;
    if ((rc = search(&g, depth)))
        goto done;
    if (g.nodes[start].n_nb == 0) {
        rc = tr_error(TRUSTREG_ENOTFOUND, "no mapping of control \"%s\" in framework \"%s\"%s",
                      control, fw.name, known ? "" : " (not a control of its stored catalog either)");
        goto done;
    }
    /* per node: the most precise state, and the intersection of all of them */
    size_t *best = malloc(g.n_nodes * sizeof *best);
    unsigned *all = malloc(g.n_nodes * sizeof *all);
    if (!best || !all) {
        free(best);
        free(all);
        rc = tr_error_oom();
        goto done;
    }
    for (size_t i = 0; i < g.n_nodes; i++) {
        best[i] = SIZE_MAX;
        all[i] = TRUSTREG_MAP_ANY;
    }
    for (size_t i = 1; i < g.n_st; i++) {
        size_t nd = g.st[i].node;
        if (nd == start)
            continue;
        all[nd] &= g.st[i].mask;
        if (best[nd] == SIZE_MAX || popcount(g.st[i].mask) < popcount(g.st[best[nd]].mask))
            best[nd] = i;
    }
    for (size_t i = 0; i < g.n_nodes; i++)
        if (best[i] != SIZE_MAX)
            n_out++;
    out = calloc(n_out ? n_out : 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; out && i < g.n_nodes && !rc; i++) {
        if (best[i] == SIZE_MAX)
            continue;
        trustreg_map_hit *h = &out[k++];
        tr_map_fw f;
        if ((rc = tr_map_fw_by_id(s, g.nodes[i].fw, &f)))
            break;
        h->catalog = f.name;
        h->catalog_uuid = f.catalog_uuid;
        f.name = f.catalog_uuid = NULL;
        tr_map_fw_clear(&f);
        h->control = tr_strdup(g.nodes[i].ctl);
        h->rel = g.st[best[i]].mask;
        h->combined = all[i];
        if (!h->catalog || !h->control)
            rc = tr_error_oom();
        else
            rc = build_path(&g, best[i], &h->path, &h->n_path, NULL);
    }
    free(best);
    free(all);
    if (!out && !rc)
        rc = tr_error_oom();
done:
    if (rc) {
        trustreg_map_hits_free(out, n_out);
    } else {
        *hits = out;
        *n = n_out;
    }
    cat_free(&cat);
    tr_map_fw_clear(&fw);
    graph_free(&g);
    tr_map_store_close(s);
    return rc;
}

void trustreg_map_hits_free(trustreg_map_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++) {
        free(hits[i].catalog);
        free(hits[i].catalog_uuid);
        free(hits[i].control);
        steps_free(hits[i].path, hits[i].n_path);
    }
    free(hits);
}

const char *trustreg_map_level_name(trustreg_map_level l)
{
    return l == TRUSTREG_MAP_FULL ? "full" : l == TRUSTREG_MAP_PARTIAL ? "partial" : "none";
}

typedef struct universe {
    char **ids;
    char **titles;
    size_t n, cap;
    tr_map_hash have; /* lower-case ids listed */
} universe;

static int uni_add(universe *u, const char *id, const char *title)
{
    char *k = tr_map_lower(id);
    void **slot = k ? tr_map_hash_slot(&u->have, k, 1) : NULL;
    free(k);
    if (!slot)
        return tr_error_oom();
    if (*slot)
        return TRUSTREG_OK;
    *slot = (void *)1;
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 256;
        char **a = realloc(u->ids, cap * sizeof *a);
        if (a)
            u->ids = a;
        char **b = realloc(u->titles, cap * sizeof *b);
        if (b)
            u->titles = b;
        if (!a || !b)
            return tr_error_oom();
        u->cap = cap;
    }
    u->ids[u->n] = tr_strdup(id);
    u->titles[u->n] = tr_strdup(title);
    if (!u->ids[u->n] || !u->titles[u->n]) {
        free(u->ids[u->n]);
        free(u->titles[u->n]);
        return tr_error_oom();
    }
    u->n++;
    return TRUSTREG_OK;
}

static int uni_mapped(void *ctx, const char *control)
{
    return uni_add(ctx, control, "");
}

int trustreg_map_coverage_query(trustreg_db *db, const char *from, const char *to,
                                const char *const *met, size_t n_met,
                                const trustreg_map_query_opts *opts,
                                trustreg_map_coverage **out)
{
    *out = NULL;
    tr_map_store *s;
    int rc = tr_map_store_open(db, &s);
    if (rc)
        return rc;
    graph g = {.s = s, .coverage = 1};
    tr_map_fw ffw = {0}, tfw = {0};
    cat_ids fcat = {0}, tcat = {0};
    universe u = {0};
    int fstored = 0, tstored = 0;
    trustreg_map_coverage *c = calloc(1, sizeof *c);
    if (!c) {
        rc = tr_error_oom();
        goto done;
    }
    if ((rc = find_fw(s, from, &ffw)) || (rc = find_fw(s, to, &tfw)) ||
        (rc = cat_load(s, &ffw, &fcat, &fstored)) || (rc = cat_load(s, &tfw, &tcat, &tstored)))
        goto done;
    c->from = tr_strdup(ffw.name);
    c->to = tr_strdup(tfw.name);
    c->unknown_met = calloc(n_met ? n_met : 1, sizeof *c->unknown_met);
    if (!c->from || !c->to || !c->unknown_met) {
        rc = tr_error_oom();
        goto done;
    }
    for (size_t i = 0; i < n_met && !rc; i++) {
        int known;
        char *key = user_key(&fcat, fstored, met[i], &known);
        if (!key) {
            rc = tr_error_oom();
            break;
        }
        if (!known && !(c->unknown_met[c->n_unknown_met++] = tr_strdup(met[i])))
            rc = tr_error_oom();
        size_t nd = node_of(&g, ffw.id, key, met[i], 1, &rc);
        free(key);
        if (nd == SIZE_MAX)
            break;
        if (!(g.nodes[nd].seen & 1u << TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT)))
            rc = push(&g, nd, TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT), -1, -1, 0);
    }
    if (rc || (rc = search(&g, opts ? opts->max_depth : 0)))
        goto done;
    for (size_t i = 0; i < tcat.n && !rc; i++)
        rc = uni_add(&u, tcat.order[i], tcat.titles[i]);
    if (!rc)
        rc = tr_map_fw_controls(s, tfw.id, uni_mapped, &u);
    if (rc)
        goto done;
    /* per node: a state proving containment (shallowest), else the most precise overlap */
    size_t *best = malloc((g.n_nodes ? g.n_nodes : 1) * sizeof *best);
    if (!best) {
        rc = tr_error_oom();
        goto done;
    }
    for (size_t i = 0; i < g.n_nodes; i++)
        best[i] = SIZE_MAX;
    for (size_t i = 0; i < g.n_st; i++) {
        size_t nd = g.st[i].node;
        unsigned m = g.st[i].mask;
        if (best[nd] == SIZE_MAX) {
            best[nd] = i;
            continue;
        }
        unsigned b = g.st[best[nd]].mask;
        int full = (m & ~TRUSTREG_MAP_CONTAINS) == 0, bfull = (b & ~TRUSTREG_MAP_CONTAINS) == 0;
        if ((full && !bfull) || (full == bfull && popcount(m) < popcount(b)))
            best[nd] = i;
    }
    c->items = calloc(u.n ? u.n : 1, sizeof *c->items);
    if (!c->items) {
        free(best);
        rc = tr_error_oom();
        goto done;
    }
    for (size_t i = 0; i < u.n && !rc; i++) {
        trustreg_map_cov_item *it = &c->items[c->n_items++];
        it->control = u.ids[i];
        it->title = u.titles[i];
        u.ids[i] = u.titles[i] = NULL;
        char *k = tr_map_lower(it->control);
        if (!k) {
            rc = tr_error_oom();
            break;
        }
        size_t nd = node_of(&g, tfw.id, k, it->control, 0, &rc);
        free(k);
        if (nd == SIZE_MAX || best[nd] == SIZE_MAX) {
            it->met = tr_strdup("");
            c->none++;
            if (!it->met)
                rc = tr_error_oom();
            continue;
        }
        state *st = &g.st[best[nd]];
        it->rel = st->mask;
        it->level = (st->mask & ~TRUSTREG_MAP_CONTAINS) == 0 ? TRUSTREG_MAP_FULL
                                                             : TRUSTREG_MAP_PARTIAL;
        if (it->level == TRUSTREG_MAP_FULL)
            c->full++;
        else
            c->partial++;
        rc = build_path(&g, best[nd], &it->path, &it->n_path, &it->met);
    }
    free(best);
done:
    for (size_t i = 0; i < u.n; i++) {
        free(u.ids[i]);
        free(u.titles[i]);
    }
    free(u.ids);
    free(u.titles);
    tr_map_hash_free(&u.have, NULL);
    cat_free(&fcat);
    cat_free(&tcat);
    tr_map_fw_clear(&ffw);
    tr_map_fw_clear(&tfw);
    graph_free(&g);
    tr_map_store_close(s);
    if (rc) {
        trustreg_map_coverage_free(c);
        return rc;
    }
    *out = c;
    return TRUSTREG_OK;
}

void trustreg_map_coverage_free(trustreg_map_coverage *c)
{
    if (!c)
        return;
    free(c->from);
    free(c->to);
    for (size_t i = 0; i < c->n_unknown_met; i++)
        free(c->unknown_met[i]);
    free(c->unknown_met);
    for (size_t i = 0; i < c->n_items; i++) {
        free(c->items[i].control);
        free(c->items[i].title);
        free(c->items[i].met);
        steps_free(c->items[i].path, c->items[i].n_path);
    }
    free(c->items);
    free(c);
}

/* ---- JSON shapes (shared by the CLI and the HTTP API) ------------------------------------- */

static json_t *relset_json(trustreg_map_relset r)
{
    char buf[128];
    json_t *poss = json_array();
    for (int i = 0; i < 5; i++)
        if (r & (1u << i))
            json_array_append_new(poss, json_string(trustreg_map_rel_name((trustreg_map_rel)i)));
    return json_pack("{s:s, s:s, s:o}", "name", trustreg_map_relset_name(r), "text",
                     trustreg_map_relset_describe(r, buf, sizeof buf), "possible", poss);
}

static json_t *steps_json(const trustreg_map_step *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const trustreg_map_step *x = &v[i];
        json_array_append_new(
            arr, json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:b, s:b, s:o, s:o, s:s, s:s}",
                           "from", "catalog", x->from_catalog, "control", x->from_control, "to",
                           "catalog", x->to_catalog, "control", x->to_control, "stated",
                           x->stated, "converse", x->converse, "group", x->group, "step",
                           relset_json(x->step), "total", relset_json(x->total), "set",
                           x->set_uuid, "map", x->map_uuid));
    }
    return arr;
}

json_t *trustreg_map_hit_to_json(const trustreg_map_hit *h)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:o}", "catalog", h->catalog,
                     "catalog_uuid", h->catalog_uuid, "control", h->control, "relationship",
                     relset_json(h->rel), "combined", relset_json(h->combined), "depth",
                     (int)h->n_path, "path", steps_json(h->path, h->n_path));
}

json_t *trustreg_map_coverage_to_json(const trustreg_map_coverage *c)
{
    json_t *items = json_array(), *unknown = json_array();
    for (size_t i = 0; i < c->n_unknown_met; i++)
        json_array_append_new(unknown, json_string(c->unknown_met[i]));
    for (size_t i = 0; i < c->n_items; i++) {
        const trustreg_map_cov_item *it = &c->items[i];
        json_t *o = json_pack("{s:s, s:s, s:s}", "control", it->control, "title", it->title,
                              "coverage", trustreg_map_level_name(it->level));
        if (it->level != TRUSTREG_MAP_NOT_COVERED) {
            json_object_set_new(o, "met", json_string(it->met));
            json_object_set_new(o, "relationship", relset_json(it->rel));
            json_object_set_new(o, "path", steps_json(it->path, it->n_path));
        }
        json_array_append_new(items, o);
    }
    return json_pack("{s:s, s:s, s:{s:I, s:I, s:I}, s:o, s:o}", "from", c->from, "to", c->to,
                     "summary", "full", (json_int_t)c->full, "partial", (json_int_t)c->partial,
                     "none", (json_int_t)c->none, "unknown_met", unknown, "controls", items);
}
