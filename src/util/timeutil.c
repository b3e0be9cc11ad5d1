/*
 * util/timeutil.c - UTC time stamps (see timeutil.h).
 */
#include "util/timeutil.h"

#include <time.h>

void tr_time_now_rfc3339(char buf[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
