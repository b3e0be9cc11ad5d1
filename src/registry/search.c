/*
 * registry/search.c - searching STAR entries: text (FTS5 over service name, provider, category
 * and description), provider, service category, level or level family, CCM version, offering
 * held on the day (by the service or its platform), region, status on the day, assessor; sort
 * and paginate. Public searches only ever return public statuses (published, deprecated,
 * expired, stale): a submitted, rejected, withdrawn, superseded or hidden entry is never listed.
 *
 * The query is built from fixed fragments; user values are always bound parameters.
 */
#include "registry/internal.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Turn free words into an FTS5 query of quoted terms (all must match); no syntax errors. */
static char *fts_terms(const char *text)
{
    tr_buf b = {0};
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        if (b.len)
            tr_buf_puts(&b, " ");
        tr_buf_puts(&b, "\"");
        for (const char *q = start; q < p; q++) {
            if (*q == '"')
                tr_buf_puts(&b, "\"\"");
            else
                tr_buf_append(&b, q, 1);
        }
        tr_buf_puts(&b, "\"");
    }
    if (b.failed) {
        tr_buf_free(&b);
        return NULL;
    }
    return tr_buf_steal(&b);
}

typedef struct bindv {
    int is_int;
    int64_t i;
    const char *s;
} bindv;

int trustreg_entry_search(trustreg_registry *reg, const trustreg_entry_query *q, json_t **out)
{
    *out = NULL;
    int32_t day;
    int rc = tr_view_day(reg, &q->view, &day);
    if (rc)
        return rc;
    tr_buf sql = {0};
    bindv binds[16];
    int nb = 0;
    char *terms = NULL;
    tr_buf_puts(&sql, TR_SQL_ENTRY_SELECT "WHERE e.submitted_on <= ?1");
#define BIND_S(v) (binds[nb++] = (bindv){.s = (v)}, nb + 1)
#define BIND_I(v) (binds[nb++] = (bindv){.is_int = 1, .i = (v)}, nb + 1)
    if (q->text && *q->text) {
        terms = fts_terms(q->text);
        if (!terms) {
            tr_buf_free(&sql);
            return tr_error_oom();
        }
        if (*terms)
            tr_buf_printf(&sql,
                          " AND e.service_id IN (SELECT rowid FROM reg_services_fts WHERE "
                          "reg_services_fts MATCH ?%d)",
                          BIND_S(terms));
    }
    if (q->org && *q->org) {
        int64_t id;
        if ((rc = tr_reg_org_id(reg, q->org, &id)))
            goto done;
        tr_buf_printf(&sql, " AND e.org_id = ?%d", BIND_I(id));
    }
    if (q->category && *q->category)
        tr_buf_printf(&sql, " AND s.category = ?%d COLLATE NOCASE", BIND_S(q->category));
    if (q->level && *q->level) {
        if (strcmp(q->level, "1") == 0)
            tr_buf_puts(&sql, " AND e.level IN ('L1', 'L1-continuous')");
        else if (strcmp(q->level, "2") == 0)
            tr_buf_puts(&sql, " AND e.level IN ('L2-attestation', 'L2-certification', 'C-STAR')");
        else if (strcmp(q->level, "3") == 0)
            tr_buf_puts(&sql, " AND e.level = 'L3'");
        else {
            trustreg_level l = trustreg_level_from_name(q->level);
            if (l == TRUSTREG_LEVEL_NONE) {
                rc = tr_error(TRUSTREG_EINPUT,
                              "unknown STAR level '%s'; expected L1, L1-continuous, "
                              "L2-attestation, L2-certification, C-STAR, L3, or 1, 2, 3",
                              q->level);
                goto done;
            }
            tr_buf_printf(&sql, " AND e.level = ?%d", BIND_S(trustreg_level_name(l)));
        }
    }
    if (q->ccm_version && *q->ccm_version) {
        /* "4.0" matches 4.0 and 4.0.x */
        int a = BIND_S(q->ccm_version);
        tr_buf_printf(&sql, " AND (e.ccm_version = ?%d OR e.ccm_version LIKE ?%d || '.%%')", a, a);
    }
    if (q->offering && *q->offering) {
        int64_t oid;
        if ((rc = tr_reg_offering_id(reg, q->offering, &oid)))
            goto done;
        tr_buf_printf(&sql,
                      " AND EXISTS (SELECT 1 FROM reg_attainment_services x JOIN reg_attainments "
                      "a ON a.id = x.attainment_id WHERE x.service_id IN (s.id, s.platform_id) "
                      "AND a.offering_id = ?%d AND " TR_SQL_ATT_STATUS
                      " IN ('active', 'expiring'))",
                      BIND_I(oid));
    }
    if (q->region && *q->region)
        tr_buf_printf(&sql,
                      " AND e.service_id IN (SELECT service_id FROM reg_service_regions WHERE "
                      "region = ?%d)",
                      BIND_S(q->region));
    if (q->assessor && *q->assessor) {
        int64_t aid;
        if ((rc = tr_reg_assessor_id(reg, q->assessor, &aid, NULL)))
            goto done;
        tr_buf_printf(&sql, " AND e.assessor_id = ?%d", BIND_I(aid));
    }
    if (q->status && *q->status) {
        tr_status s = tr_status_from_name(q->status);
        if (s == TR_ST_NONE) {
            rc = tr_error(TRUSTREG_EINPUT,
                          "unknown status '%s'; expected published, deprecated, expired, stale "
                          "(public) or submitted, rejected, superseded, withdrawn, hidden (--all)",
                          q->status);
            goto done;
        }
        if (!q->view.include_nonpublic && !trustreg_status_is_public(q->status)) {
            rc = tr_error(TRUSTREG_EUSAGE,
                          "status '%s' is not public: public searches list published, "
                          "deprecated, expired and stale entries; registry operators add --all",
                          q->status);
            goto done;
        }
        tr_buf_printf(&sql, " AND status = ?%d", BIND_S(tr_status_name(s)));
    } else if (!q->view.include_nonpublic) {
        tr_buf_puts(&sql, " AND status IN ('published', 'deprecated', 'expired', 'stale')");
    } else {
        tr_buf_puts(&sql, " AND status <> 'none'");
    }
    const char *dir = q->descending ? "DESC" : "ASC";
    const char *sort = q->sort && *q->sort ? q->sort : "provider";
    if (strcmp(sort, "provider") == 0)
        tr_buf_printf(&sql, " ORDER BY o.name COLLATE NOCASE %s, s.name COLLATE NOCASE %s, e.id %s",
                      dir, dir, dir);
    else if (strcmp(sort, "service") == 0)
        tr_buf_printf(&sql, " ORDER BY s.name COLLATE NOCASE %s, e.id %s", dir, dir);
    else if (strcmp(sort, "level") == 0)
        tr_buf_printf(&sql,
                      " ORDER BY CASE e.level WHEN 'L1' THEN 1 WHEN 'L1-continuous' THEN 2 WHEN "
                      "'L2-attestation' THEN 3 WHEN 'L2-certification' THEN 4 WHEN 'C-STAR' THEN "
                      "5 ELSE 6 END %s, e.id %s",
                      dir, dir);
    else if (strcmp(sort, "date") == 0)
        tr_buf_printf(&sql, " ORDER BY e.assessment_date %s, e.id %s", dir, dir);
    else if (strcmp(sort, "status") == 0)
        tr_buf_printf(&sql, " ORDER BY status %s, e.id %s", dir, dir);
    else {
        rc = tr_error(TRUSTREG_EUSAGE,
                      "--sort '%s': expected provider, service, level, date or status", sort);
        goto done;
    }
    long limit = q->limit > 0 ? q->limit : 50;
    if (limit > 10000)
        limit = 10000;
    long offset = q->offset > 0 ? q->offset : 0;
    int li = BIND_I(limit);
    int oi = BIND_I(offset);
    tr_buf_printf(&sql, " LIMIT ?%d OFFSET ?%d", li, oi);
#undef BIND_S
#undef BIND_I
    if (sql.failed) {
        rc = tr_error_oom();
        goto done;
    }
    sqlite3_stmt *st;
    if ((rc = tr_reg_prepare(reg, sql.data, &st)))
        goto done;
    tr_bind_day(st, 1, day);
    for (int i = 0; i < nb; i++) {
        if (binds[i].is_int)
            sqlite3_bind_int64(st, i + 2, binds[i].i);
        else
            sqlite3_bind_text(st, i + 2, binds[i].s, -1, SQLITE_STATIC);
    }
    json_t *res = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(res, tr_reg_entry_json(reg, st));
    if (r != SQLITE_DONE) {
        rc = tr_reg_sql_error(reg, "searching entries");
        json_decref(res);
    } else {
        char d[11];
        tr_day_format(day, d);
        *out = json_pack("{s:s, s:I, s:I, s:I, s:o}", "as_of", d, "limit", (json_int_t)limit,
                         "offset", (json_int_t)offset, "count",
                         (json_int_t)json_array_size(res), "results", res);
    }
    sqlite3_finalize(st);
done:
    free(terms);
    tr_buf_free(&sql);
    return rc;
}
