/*
 * util/timeutil.h - time stamps. All stored times are UTC, RFC 3339, second precision.
 */
#ifndef TR_UTIL_TIMEUTIL_H
#define TR_UTIL_TIMEUTIL_H

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void tr_time_now_rfc3339(char buf[21]);

#endif
