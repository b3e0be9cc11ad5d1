/*
 * registry/dates.c - calendar days in UTC: strict parsing of "YYYY-MM-DD", day numbers (days
 * since 1970-01-01) for arithmetic, month addition with the same roll-over rule as SQLite's
 * date() so that C and SQL agree, and the checks every user-supplied date goes through.
 */
#include "registry/internal.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int tr_day_parse(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}

void tr_day_format(int32_t day, char out[11])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int32_t tr_day_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int32_t tr_day_add_months(int32_t day, int months)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    /* Roll over like SQLite: the day count past the month's end carries into the next month. */
    return days_from_civil(y, m, 1) + (d - 1);
}

int tr_day_arg(const char *s, const char *what, int32_t default_day, int allow_future,
               int32_t *day)
{
    if (!s || !*s) {
        *day = default_day;
        return TRUSTREG_OK;
    }
    if (tr_day_parse(s, day) != 0)
        return tr_error(TRUSTREG_EINPUT,
                        "%s: '%s' is not a date; expected YYYY-MM-DD (UTC), e.g. 2026-03-31", what,
                        s);
    int32_t today = tr_day_today();
    if (!allow_future && *day > today) {
        char t[11];
        tr_day_format(today, t);
        return tr_error(TRUSTREG_EINPUT, "%s: %s is in the future (today is %s UTC)", what, s, t);
    }
    return TRUSTREG_OK;
}
