/*
 * tlog/sources.c - where the statements behind the log's leaves are stored. Each module that
 * logs statements adds its source here with one line (see tlog/log.h); 'trustreg audit' and
 * 'trustreg log entry' go through this list.
 */
#include "tlog/log.h"

static const tr_tlog_source log_entries = {
    "log_entries",
    tr_tlog_store_each_statement,
    tr_tlog_store_get_statement,
};

const tr_tlog_source *const tr_tlog_sources[] = {
    &log_entries,
    NULL,
};
