/*
 * ccm/map_rel.c - the algebra of mapping relationships: names, converse and composition.
 *
 * A control is read as the non-empty set of its requirements. Between two non-empty sets exactly
 * one of five relationships holds (equal, proper subset, proper superset, partial overlap,
 * disjoint: RCC5 in the region-calculus literature), so what a chain of mappings tells us is a set
 * of possible relationships, kept as a 5-bit mask. The composition table below was derived from
 * set theory; tests/unit/test_map_rel.c enumerates every triple of non-empty subsets of a
 * 5-element universe and checks that each entry is exactly the set of relationships that occur
 * (sound: nothing that can happen is missing; tight: nothing listed is impossible).
 */
#include "trustreg/map.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#define EQ TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT)
#define PP TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET)
#define PPI TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET)
#define PO TRUSTREG_MAP_BIT(TRUSTREG_MAP_INTERSECTS)
#define DR TRUSTREG_MAP_BIT(TRUSTREG_MAP_NONE)
#define ANY TRUSTREG_MAP_ANY

/* compose_table[r1][r2]: if A r1 B and B r2 C, the possible relationships of A to C. */
static const trustreg_map_relset compose_table[5][5] = {
    /*            B = C  B < C             B > C  B ~ C         B | C        */
    /* A = B */ {EQ,    PP,               PPI,   PO,           DR},
    /* A < B */ {PP,    PP,               ANY,   PP | PO | DR, DR},
    /* A > B */ {PPI,   EQ | PP | PPI | PO, PPI, PPI | PO,     PPI | PO | DR},
    /* A ~ B */ {PO,    PP | PO,          PPI | PO | DR, ANY,  PPI | PO | DR},
    /* A | B */ {DR,    PP | PO | DR,     DR,    PP | PO | DR, ANY},
};
/* (< proper subset, > proper superset, ~ partial overlap, | disjoint) */

static const char *const rel_names[] = {"equivalent-to", "subset-of", "superset-of",
                                        "intersects-with", "no-relationship", "related"};

const char *trustreg_map_rel_name(trustreg_map_rel rel)
{
    if ((unsigned)rel > TRUSTREG_MAP_RELATED)
        return "?";
    return rel_names[rel];
}

int trustreg_map_rel_parse(const char *token, trustreg_map_rel *out)
{
    if (!token)
        return tr_error(TRUSTREG_EINPUT, "no relationship given");
    for (int i = 0; i <= TRUSTREG_MAP_RELATED; i++) {
        if (strcmp(token, rel_names[i]) == 0) {
            *out = (trustreg_map_rel)i;
            return TRUSTREG_OK;
        }
    }
    if (strcmp(token, "equal-to") == 0) {
        *out = TRUSTREG_MAP_EQUIVALENT;
        return TRUSTREG_OK;
    }
    return tr_error(TRUSTREG_EINPUT,
                    "unknown relationship \"%s\": expected equivalent-to, equal-to, subset-of, "
                    "superset-of, intersects-with or no-relationship",
                    token);
}

trustreg_map_relset trustreg_map_rel_set(trustreg_map_rel rel)
{
    if ((unsigned)rel >= TRUSTREG_MAP_RELATED)
        return ANY;
    return TRUSTREG_MAP_BIT(rel);
}

trustreg_map_relset trustreg_map_compose(trustreg_map_relset a, trustreg_map_relset b)
{
    trustreg_map_relset out = 0;
    for (int i = 0; i < 5; i++) {
        if (!(a & (1u << i)))
            continue;
        for (int j = 0; j < 5; j++)
            if (b & (1u << j))
                out |= compose_table[i][j];
    }
    return out;
}

trustreg_map_relset trustreg_map_converse(trustreg_map_relset r)
{
    return (r & (EQ | PO | DR)) | ((r & PP) ? PPI : 0) | ((r & PPI) ? PP : 0);
}

const char *trustreg_map_relset_name(trustreg_map_relset r)
{
    r &= ANY;
    if (r == 0)
        return "contradiction";
    for (int i = 0; i < 5; i++)
        if (r == (1u << i))
            return rel_names[i];
    return "unknown";
}

char *trustreg_map_relset_describe(trustreg_map_relset r, char *buf, size_t size)
{
    r &= ANY;
    if (!size)
        return buf;
    if (r == 0) {
        snprintf(buf, size, "contradiction");
    } else if (r == ANY) {
        snprintf(buf, size, "no conclusion");
    } else if ((r & (r - 1)) == 0) {
        snprintf(buf, size, "%s", trustreg_map_relset_name(r));
    } else {
        size_t len = (size_t)snprintf(buf, size, "one of:");
        for (int i = 0; i < 5 && len < size; i++)
            if (r & (1u << i))
                len += (size_t)snprintf(buf + len, size - len, "%s %s",
                                        len > strlen("one of:") ? "," : "", rel_names[i]);
    }
    return buf;
}
