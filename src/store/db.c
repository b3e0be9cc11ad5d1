/*
 * store/db.c - trustreg_db: picks the backend for a path, opens it, and wraps transactions.
 *
 * Test hook: when the environment variable TRUSTREG_TEST_CRASH is "before-commit", the process
 * kills itself with SIGKILL right before committing a write transaction. The end-to-end tests use
 * it to prove that a crash during an import leaves the database exactly as it was.
 */
#include "store/store.h"
#include "util/error.h"
#include "util/mem.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char *trustreg_db_default_path(void)
{
    const char *env = getenv("TRUSTREG_DB");
    if (env && *env)
        return env;
    return "var/trustreg.db";
}

int trustreg_db_open(trustreg_db **out, const char *path, unsigned flags)
{
    *out = NULL;
    if (!path || !*path)
        path = trustreg_db_default_path();
    trustreg_db *db = calloc(1, sizeof *db);
    if (!db)
        return tr_error_oom();
    db->path = tr_strdup(path);
    if (!db->path) {
        free(db);
        return tr_error_oom();
    }
    int rc = tr_sqlite_open(path, flags, &db->ops, &db->impl);
    if (rc != TRUSTREG_OK) {
        free(db->path);
        free(db);
        return rc;
    }
    *out = db;
    return TRUSTREG_OK;
}

void trustreg_db_close(trustreg_db *db)
{
    if (!db)
        return;
    db->ops->close(db->impl);
    free(db->path);
    free(db);
}

const char *trustreg_db_path(const trustreg_db *db)
{
    return db->path;
}

int trustreg_db_schema_version(trustreg_db *db, int *version)
{
    return db->ops->schema_version(db->impl, version);
}

int tr_store_begin(trustreg_db *db)
{
    return db->ops->begin(db->impl);
}

int tr_store_commit(trustreg_db *db)
{
    const char *crash = getenv("TRUSTREG_TEST_CRASH");
    if (crash && strcmp(crash, "before-commit") == 0)
        raise(SIGKILL);
    return db->ops->commit(db->impl);
}

void tr_store_rollback(trustreg_db *db)
{
    db->ops->rollback(db->impl);
}
