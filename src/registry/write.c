/*
 * registry/write.c - the registry handle and its one write path.
 *
 * Every change to the registry goes through tr_reg_write: one transaction in which the change
 * and its event rows (reg_events) are written together; the event hook (the transparency log)
 * is called for each event with the transaction still open, so a change, its history and its
 * log leaf land together or not at all. Also here: the prepared-statement cache, lookups of
 * providers/services/assessors/offerings by id or slug, and history listings.
 */
#include "registry/internal.h"
#include "store/store.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tr_registry_event_hook_fn g_hook;
static void *g_hook_ctx;

void tr_registry_event_hook(tr_registry_event_hook_fn fn, void *ctx)
{
    g_hook = fn;
    g_hook_ctx = ctx;
}

int trustreg_registry_open(trustreg_registry **out, trustreg_db *db, const char *policy_path)
{
    *out = NULL;
    sqlite3 *sql = tr_store_sqlite(db);
    if (!sql)
        return tr_error(TRUSTREG_EUSAGE, "the registry needs the SQLite store");
    trustreg_registry *reg = calloc(1, sizeof *reg);
    if (!reg)
        return tr_error_oom();
    reg->db = db;
    reg->sql = sql;
    reg->today = tr_day_today();
    int rc = trustreg_policy_load(&reg->policy, policy_path);
    if (!rc)
        rc = tr_lifecycle_register(sql, reg->policy);
    if (rc) {
        trustreg_policy_free(reg->policy);
        free(reg);
        return rc;
    }
    *out = reg;
    return TRUSTREG_OK;
}

void trustreg_registry_close(trustreg_registry *reg)
{
    if (!reg)
        return;
    for (int i = 0; i < TR_REG_STMT_CACHE; i++)
        sqlite3_finalize(reg->cache[i].st);
    tr_lifecycle_register(reg->sql, NULL); /* the functions must not outlive the policy */
    trustreg_policy_free(reg->policy);
    free(reg);
}

const trustreg_policy *trustreg_registry_policy(const trustreg_registry *reg)
{
    return reg->policy;
}

int tr_reg_sql_error(trustreg_registry *reg, const char *what)
{
    return tr_store_sql_error(reg->db, what);
}

int tr_reg_prepare(trustreg_registry *reg, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(reg->sql, sql, -1, st, NULL) != SQLITE_OK)
        return tr_reg_sql_error(reg, "preparing a registry query");
    return TRUSTREG_OK;
}

int tr_reg_stmt(trustreg_registry *reg, const char *sql, sqlite3_stmt **st)
{
    int free_slot = -1;
    for (int i = 0; i < TR_REG_STMT_CACHE; i++) {
        if (reg->cache[i].key == sql) {
            sqlite3_reset(reg->cache[i].st);
            sqlite3_clear_bindings(reg->cache[i].st);
            *st = reg->cache[i].st;
            return TRUSTREG_OK;
        }
        if (!reg->cache[i].key && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return tr_error(TRUSTREG_EINTERNAL, "registry statement cache full");
    if (sqlite3_prepare_v3(reg->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return tr_reg_sql_error(reg, "preparing a registry statement");
    reg->cache[free_slot].key = sql;
    reg->cache[free_slot].st = *st;
    return TRUSTREG_OK;
}

int tr_reg_exec_stmt(trustreg_registry *reg, sqlite3_stmt *st, const char *what)
{
    int r = sqlite3_step(st);
    int rc = r == SQLITE_DONE || r == SQLITE_ROW ? TRUSTREG_OK : tr_reg_sql_error(reg, what);
    sqlite3_reset(st);
    return rc;
}

void tr_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void tr_bind_day(sqlite3_stmt *st, int i, int32_t day)
{
    if (day == TR_DAY_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char d[11];
    tr_day_format(day, d);
    sqlite3_bind_text(st, i, d, 10, SQLITE_TRANSIENT);
}

int32_t tr_col_day(sqlite3_stmt *st, int i)
{
    int32_t d;
    const unsigned char *t = sqlite3_column_text(st, i);
    return t && tr_day_parse((const char *)t, &d) == 0 ? d : TR_DAY_NONE;
}

const char *tr_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

json_t *tr_col_json_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? json_string((const char *)t) : json_null();
}

int tr_reg_write(trustreg_registry *reg, int (*apply)(trustreg_registry *reg, void *arg),
                 void *arg)
{
    if (reg->in_write)
        return tr_error(TRUSTREG_EINTERNAL, "nested registry write");
    int rc = tr_store_begin(reg->db);
    if (rc)
        return rc;
    reg->in_write = 1;
    reg->events_in_tx = 0;
    rc = apply(reg, arg);
    if (!rc && reg->events_in_tx == 0)
        rc = tr_error(TRUSTREG_EINTERNAL, "a registry change recorded no event");
    if (!rc)
        rc = tr_store_commit(reg->db);
    if (rc)
        tr_store_rollback(reg->db);
    reg->in_write = 0;
    return rc;
}

static void set_id(json_t *o, const char *key, int64_t id)
{
    if (id)
        json_object_set_new(o, key, json_integer(id));
}

int tr_reg_event_record(trustreg_registry *reg, const tr_reg_event *ev)
{
    if (!reg->in_write)
        return tr_error(TRUSTREG_EINTERNAL, "registry event outside a write transaction");
    char day[11];
    tr_day_format(ev->day, day);
    /* canonical form: compact, keys sorted; the same bytes the transparency log will hash */
    json_t *j = json_object();
    json_object_set_new(j, "kind", json_string(ev->kind));
    json_object_set_new(j, "day", json_string(day));
    set_id(j, "org", ev->org_id);
    set_id(j, "service", ev->service_id);
    set_id(j, "entry", ev->entry_id);
    set_id(j, "attainment", ev->attainment_id);
    if (ev->reason)
        json_object_set_new(j, "reason", json_string(ev->reason));
    if (ev->data)
        json_object_set(j, "data", ev->data);
    char *canon = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!canon)
        return tr_error_oom();
    static const char ins[] =
        "INSERT INTO reg_events(recorded_at, day, kind, org_id, service_id, entry_id,"
        " attainment_id, reason, data) VALUES (?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st;
    int rc = tr_reg_stmt(reg, ins, &st);
    if (rc) {
        free(canon);
        return rc;
    }
    char now[21];
    tr_time_now_rfc3339(now);
    tr_bind_text(st, 1, now);
    tr_bind_text(st, 2, day);
    tr_bind_text(st, 3, ev->kind);
    if (ev->org_id)
        sqlite3_bind_int64(st, 4, ev->org_id);
    if (ev->service_id)
        sqlite3_bind_int64(st, 5, ev->service_id);
    if (ev->entry_id)
        sqlite3_bind_int64(st, 6, ev->entry_id);
    if (ev->attainment_id)
        sqlite3_bind_int64(st, 7, ev->attainment_id);
    tr_bind_text(st, 8, ev->reason);
    sqlite3_bind_text(st, 9, canon, -1, SQLITE_STATIC);
    rc = tr_reg_exec_stmt(reg, st, "recording a registry event");
    sqlite3_clear_bindings(st);
    if (!rc) {
        int64_t id = sqlite3_last_insert_rowid(reg->sql);
        reg->events_in_tx++;
        if (g_hook)
            rc = g_hook(g_hook_ctx, reg->db, id, canon);
    }
    free(canon);
    return rc;
}

/* ---- lookups ---- */

static int is_number(const char *s)
{
    if (!s || !*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return strlen(s) < 18;
}

static int lookup(trustreg_registry *reg, const char *sql_id, const char *sql_slug,
                  const char *what, const char *ref, int64_t *id, int64_t *extra,
                  const char **text)
{
    if (!ref || !*ref)
        return tr_error(TRUSTREG_EUSAGE, "no %s given", what);
    sqlite3_stmt *st;
    int num = is_number(ref);
    int rc = tr_reg_stmt(reg, num ? sql_id : sql_slug, &st);
    if (rc)
        return rc;
    if (num)
        sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
    else
        sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (extra)
            *extra = sqlite3_column_int64(st, 1);
        if (text) {
            /* kinds are from a fixed set: return the matching static string */
            static const char *const kinds[] = {"cpa-firm", "certification-body", "monitoring"};
            *text = "";
            for (size_t i = 0; i < 3; i++)
                if (strcmp(tr_col_text(st, 1), kinds[i]) == 0)
                    *text = kinds[i];
        }
        sqlite3_reset(st);
        return TRUSTREG_OK;
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return tr_reg_sql_error(reg, "looking up a registry record");
    return tr_error(TRUSTREG_ENOTFOUND, "no %s '%s'", what, ref);
}

int tr_reg_org_id(trustreg_registry *reg, const char *ref, int64_t *id)
{
    static const char a[] = "SELECT id FROM reg_orgs WHERE id = ?";
    static const char b[] = "SELECT id FROM reg_orgs WHERE slug = ?";
    return lookup(reg, a, b, "provider", ref, id, NULL, NULL);
}

int tr_reg_service_id(trustreg_registry *reg, const char *ref, int64_t *id, int64_t *org_id)
{
    static const char a[] = "SELECT id, org_id FROM reg_services WHERE id = ?";
    static const char b[] = "SELECT id, org_id FROM reg_services WHERE slug = ?";
    int64_t org = 0;
    int rc = lookup(reg, a, b, "service", ref, id, &org, NULL);
    if (org_id)
        *org_id = org;
    return rc;
}

int tr_reg_assessor_id(trustreg_registry *reg, const char *ref, int64_t *id, const char **kind)
{
    static const char a[] = "SELECT id, kind FROM reg_assessors WHERE id = ?";
    static const char b[] = "SELECT id, kind FROM reg_assessors WHERE slug = ?";
    const char *k = NULL;
    int rc = lookup(reg, a, b, "registered assessor", ref, id, NULL, &k);
    if (rc == TRUSTREG_ENOTFOUND)
        return tr_error(TRUSTREG_ENOTFOUND,
                        "no registered assessor '%s'; register it first with 'trustreg assessor "
                        "add'",
                        ref);
    if (kind)
        *kind = k;
    return rc;
}

int tr_reg_offering_id(trustreg_registry *reg, const char *ref, int64_t *id)
{
    static const char a[] = "SELECT id FROM reg_offerings WHERE id = ?";
    static const char b[] = "SELECT id FROM reg_offerings WHERE slug = ? COLLATE NOCASE";
    int rc = lookup(reg, a, b, "offering", ref, id, NULL, NULL);
    if (rc == TRUSTREG_ENOTFOUND)
        return tr_error(TRUSTREG_ENOTFOUND, "no offering '%s'; see 'trustreg offering list'",
                        ref);
    return rc;
}

int tr_view_day(trustreg_registry *reg, const trustreg_view *view, int32_t *day)
{
    /* as-of may name any past or future day: "what will the registry say on 2027-01-01" */
    return tr_day_arg(view ? view->as_of : NULL, "--as-of", reg->today, 1, day);
}

int tr_slug_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 63 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return 0;
    return 1;
}

void tr_slug_from(const char *name, char out[64])
{
    size_t n = 0;
    int dash = 0;
    for (const char *p = name; *p && n < 60; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) && c < 128) {
            if (dash && n > 0)
                out[n++] = '-';
            out[n++] = (char)tolower(c);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    out[n] = '\0';
}

/* ---- history ---- */

int trustreg_history(trustreg_registry *reg, const char *scope, const char *ref, json_t **out)
{
    *out = NULL;
    int64_t id = 0;
    int rc;
    const char *sql;
    static const char q_org[] = "SELECT id, recorded_at, day, kind, data FROM reg_events "
                                "WHERE org_id = ? ORDER BY id";
    static const char q_svc[] = "SELECT id, recorded_at, day, kind, data FROM reg_events "
                                "WHERE service_id = ? ORDER BY id";
    static const char q_ent[] = "SELECT id, recorded_at, day, kind, data FROM reg_events "
                                "WHERE entry_id = ? ORDER BY id";
    static const char q_att[] = "SELECT id, recorded_at, day, kind, data FROM reg_events "
                                "WHERE attainment_id = ? ORDER BY id";
    if (scope && strcmp(scope, "org") == 0) {
        rc = tr_reg_org_id(reg, ref, &id);
        sql = q_org;
    } else if (scope && strcmp(scope, "service") == 0) {
        rc = tr_reg_service_id(reg, ref, &id, NULL);
        sql = q_svc;
    } else if (scope && (strcmp(scope, "entry") == 0 || strcmp(scope, "attainment") == 0)) {
        int att = scope[0] == 'a';
        sql = att ? q_att : q_ent;
        rc = TRUSTREG_OK;
        if (!is_number(ref))
            return tr_error(TRUSTREG_EUSAGE, "%s ids are numbers, not '%s'", scope, ref ? ref : "");
        id = strtoll(ref, NULL, 10);
        sqlite3_stmt *st;
        if ((rc = tr_reg_stmt(reg,
                              att ? "SELECT 1 FROM reg_attainments WHERE id = ?"
                                  : "SELECT 1 FROM reg_entries WHERE id = ?",
                              &st)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        int r = sqlite3_step(st);
        sqlite3_reset(st);
        if (r != SQLITE_ROW)
            return tr_error(TRUSTREG_ENOTFOUND, "no %s %s", att ? "attainment" : "entry", ref);
    } else {
        return tr_error(TRUSTREG_EUSAGE, "history of what? expected org, service, entry or "
                                         "attainment");
    }
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if ((rc = tr_reg_stmt(reg, sql, &st)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *data = json_loads(tr_col_text(st, 4), 0, NULL);
        if (!data)
            data = json_object();
        json_object_set_new(data, "id", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(data, "recorded_at", json_string(tr_col_text(st, 1)));
        json_array_append_new(arr, data);
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return tr_reg_sql_error(reg, "listing history");
    }
    *out = arr;
    return TRUSTREG_OK;
}
