/*
 * registry/lifecycle.c - the lifecycle rules: the status of a STAR entry or an attainment on any
 * day, computed from its dates and the policy. This is the only implementation of the rules:
 * SQL queries call the same C code through the functions tr_entry_status() and tr_att_status()
 * registered on the connection, so a listing and a detail page can never disagree.
 *
 * Conventions (docs/registry.md): periods in months end on the same day of the month N months
 * later (that day no longer counts; 2024-02-29 + 12 months is 2025-03-01); an expiry date is the
 * last valid day; a change dated D is in effect from D on.
 */
#include "registry/internal.h"
#include "util/error.h"

#include <string.h>
#include <strings.h>

static const char *const status_names[] = {
    [TR_ST_NONE] = "none",           [TR_ST_SUBMITTED] = "submitted",
    [TR_ST_REJECTED] = "rejected",   [TR_ST_PUBLISHED] = "published",
    [TR_ST_DEPRECATED] = "deprecated", [TR_ST_HIDDEN] = "hidden",
    [TR_ST_EXPIRED] = "expired",     [TR_ST_STALE] = "stale",
    [TR_ST_SUPERSEDED] = "superseded", [TR_ST_WITHDRAWN] = "withdrawn",
};

const char *tr_status_name(tr_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "none";
}

tr_status tr_status_from_name(const char *name)
{
    for (size_t i = 1; name && i < sizeof status_names / sizeof status_names[0]; i++)
        if (strcasecmp(status_names[i], name) == 0)
            return (tr_status)i;
    return TR_ST_NONE;
}

int trustreg_status_is_public(const char *status)
{
    tr_status s = tr_status_from_name(status);
    return s == TR_ST_PUBLISHED || s == TR_ST_DEPRECATED || s == TR_ST_EXPIRED ||
           s == TR_ST_STALE;
}

static const char *const level_names[] = {
    [TRUSTREG_LEVEL_NONE] = "",
    [TRUSTREG_LEVEL_1] = "L1",
    [TRUSTREG_LEVEL_1_CONTINUOUS] = "L1-continuous",
    [TRUSTREG_LEVEL_2_ATTESTATION] = "L2-attestation",
    [TRUSTREG_LEVEL_2_CERTIFICATION] = "L2-certification",
    [TRUSTREG_LEVEL_CSTAR] = "C-STAR",
    [TRUSTREG_LEVEL_3] = "L3",
};

const char *trustreg_level_name(trustreg_level level)
{
    return (unsigned)level < sizeof level_names / sizeof level_names[0] ? level_names[level] : "";
}

trustreg_level trustreg_level_from_name(const char *name)
{
    for (int i = 1; name && i < (int)(sizeof level_names / sizeof level_names[0]); i++)
        if (strcasecmp(level_names[i], name) == 0)
            return (trustreg_level)i;
    return TRUSTREG_LEVEL_NONE;
}

static int32_t l1_anchor(const tr_entry_dates *e)
{
    return e->anchor != TR_DAY_NONE ? e->anchor : e->published;
}

tr_status tr_entry_status(const tr_entry_dates *e, const trustreg_policy *p, int32_t day)
{
    if (e->submitted == TR_DAY_NONE || day < e->submitted)
        return TR_ST_NONE;
    if (e->withdrawn != TR_DAY_NONE && day >= e->withdrawn)
        return TR_ST_WITHDRAWN;
    if (e->superseded != TR_DAY_NONE && day >= e->superseded)
        return TR_ST_SUPERSEDED;
    if (e->rejected != TR_DAY_NONE && day >= e->rejected)
        return TR_ST_REJECTED;
    if (e->published == TR_DAY_NONE || day < e->published)
        return TR_ST_SUBMITTED;
    switch (e->level) {
    case TRUSTREG_LEVEL_1:
    case TRUSTREG_LEVEL_1_CONTINUOUS: {
        int cont = e->level == TRUSTREG_LEVEL_1_CONTINUOUS;
        int32_t anchor = l1_anchor(e);
        if (day >= tr_day_add_months(anchor, cont ? p->l1c_hide_months : p->l1_hide_months))
            return TR_ST_HIDDEN;
        if (day >=
            tr_day_add_months(anchor, cont ? p->l1c_deprecate_months : p->l1_deprecate_months))
            return TR_ST_DEPRECATED;
        return TR_ST_PUBLISHED;
    }
    case TRUSTREG_LEVEL_2_ATTESTATION:
        if (day >= tr_day_add_months(e->assessment, p->l2a_validity_months))
            return TR_ST_EXPIRED;
        return TR_ST_PUBLISHED;
    case TRUSTREG_LEVEL_2_CERTIFICATION:
    case TRUSTREG_LEVEL_CSTAR:
        if (e->expires != TR_DAY_NONE && day > e->expires)
            return TR_ST_EXPIRED;
        return TR_ST_PUBLISHED;
    case TRUSTREG_LEVEL_3: {
        if (e->monitoring_end != TR_DAY_NONE && day > e->monitoring_end)
            return TR_ST_EXPIRED;
        int32_t last = e->anchor != TR_DAY_NONE ? e->anchor : e->published;
        if (day - last > p->l3_stale_days)
            return TR_ST_STALE;
        return TR_ST_PUBLISHED;
    }
    default:
        return TR_ST_NONE;
    }
}

int32_t tr_entry_valid_until(const tr_entry_dates *e, const trustreg_policy *p)
{
    if (e->published == TR_DAY_NONE)
        return TR_DAY_NONE;
    switch (e->level) {
    case TRUSTREG_LEVEL_1:
        return tr_day_add_months(l1_anchor(e), p->l1_deprecate_months) - 1;
    case TRUSTREG_LEVEL_1_CONTINUOUS:
        return tr_day_add_months(l1_anchor(e), p->l1c_deprecate_months) - 1;
    case TRUSTREG_LEVEL_2_ATTESTATION:
        return tr_day_add_months(e->assessment, p->l2a_validity_months) - 1;
    case TRUSTREG_LEVEL_2_CERTIFICATION:
    case TRUSTREG_LEVEL_CSTAR:
        return e->expires;
    case TRUSTREG_LEVEL_3:
        if (e->monitoring_end != TR_DAY_NONE)
            return e->monitoring_end;
        return (e->anchor != TR_DAY_NONE ? e->anchor : e->published) + p->l3_stale_days;
    default:
        return TR_DAY_NONE;
    }
}

static const char *const att_names[] = {
    [TR_ATT_NONE] = "none",         [TR_ATT_ACTIVE] = "active",
    [TR_ATT_EXPIRING] = "expiring", [TR_ATT_EXPIRED] = "expired",
    [TR_ATT_SUPERSEDED] = "superseded", [TR_ATT_WITHDRAWN] = "withdrawn",
};

const char *tr_att_status_name(tr_att_status s)
{
    return (unsigned)s < sizeof att_names / sizeof att_names[0] ? att_names[s] : "none";
}

tr_att_status tr_att_status_compute(int32_t recorded, int32_t issued, int32_t expires,
                                    int32_t withdrawn, int32_t superseded,
                                    const trustreg_policy *p, int32_t day)
{
    if (recorded == TR_DAY_NONE || day < recorded || (issued != TR_DAY_NONE && day < issued))
        return TR_ATT_NONE;
    if (withdrawn != TR_DAY_NONE && day >= withdrawn)
        return TR_ATT_WITHDRAWN;
    if (superseded != TR_DAY_NONE && day >= superseded)
        return TR_ATT_SUPERSEDED;
    if (expires != TR_DAY_NONE && day > expires)
        return TR_ATT_EXPIRED;
    if (expires != TR_DAY_NONE && expires - day <= p->offering_warn_days)
        return TR_ATT_EXPIRING;
    return TR_ATT_ACTIVE;
}

/* ---- SQL functions ---- */

static int32_t arg_day(sqlite3_value *v)
{
    if (sqlite3_value_type(v) != SQLITE_TEXT)
        return TR_DAY_NONE;
    int32_t d;
    return tr_day_parse((const char *)sqlite3_value_text(v), &d) == 0 ? d : TR_DAY_NONE;
}

/* tr_entry_status(level, day, submitted, published, rejected, withdrawn, superseded, anchor,
 *                 assessment, expires, monitoring_end) -> status name */
static void sql_entry_status(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const trustreg_policy *p = sqlite3_user_data(ctx);
    tr_entry_dates e;
    e.level = trustreg_level_from_name((const char *)sqlite3_value_text(argv[0]));
    int32_t day = arg_day(argv[1]);
    e.submitted = arg_day(argv[2]);
    e.published = arg_day(argv[3]);
    e.rejected = arg_day(argv[4]);
    e.withdrawn = arg_day(argv[5]);
    e.superseded = arg_day(argv[6]);
    e.anchor = arg_day(argv[7]);
    e.assessment = arg_day(argv[8]);
    e.expires = arg_day(argv[9]);
    e.monitoring_end = arg_day(argv[10]);
    if (day == TR_DAY_NONE) {
        sqlite3_result_error(ctx, "tr_entry_status: the day is not a YYYY-MM-DD date", -1);
        return;
    }
    sqlite3_result_text(ctx, tr_status_name(tr_entry_status(&e, p, day)), -1, SQLITE_STATIC);
}

/* tr_att_status(day, recorded, issued, expires, withdrawn, superseded) -> status name */
static void sql_att_status(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const trustreg_policy *p = sqlite3_user_data(ctx);
    int32_t day = arg_day(argv[0]);
    if (day == TR_DAY_NONE) {
        sqlite3_result_error(ctx, "tr_att_status: the day is not a YYYY-MM-DD date", -1);
        return;
    }
    tr_att_status s = tr_att_status_compute(arg_day(argv[1]), arg_day(argv[2]), arg_day(argv[3]),
                                            arg_day(argv[4]), arg_day(argv[5]), p, day);
    sqlite3_result_text(ctx, tr_att_status_name(s), -1, SQLITE_STATIC);
}

int tr_lifecycle_register(sqlite3 *db, const trustreg_policy *p)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    void *ud = (void *)p;
    if (sqlite3_create_function_v2(db, "tr_entry_status", 11, flags, ud,
                                   p ? sql_entry_status : NULL, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function_v2(db, "tr_att_status", 6, flags, ud, p ? sql_att_status : NULL,
                                   NULL, NULL, NULL) != SQLITE_OK)
        return tr_error(TRUSTREG_ESTORE, "registering the lifecycle SQL functions: %s",
                        sqlite3_errmsg(db));
    return TRUSTREG_OK;
}
