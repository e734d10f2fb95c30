#include "core/civil_date.h"

bool civil_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && civil_is_leap_year(year))
        return 29;
    return days[month - 1];
}

bool civil_date_exists(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 && day <= civil_days_in_month(year, month);
}

long civil_date_key(int year, int month, int day)
{
    return (long)year * 10000 + month * 100 + day;
}

int civil_parse_date(const char *s, size_t len, int *year, int *month, int *day)
{
    static const char shape[] = "dddd-dd-dd";
    if (len != sizeof shape - 1)
        return -1;
    int v[3] = {0, 0, 0}, part = 0;
    for (size_t i = 0; i < len; i++) {
        if (shape[i] == '-') {
            if (s[i] != '-')
                return -1;
            part++;
        } else if (s[i] >= '0' && s[i] <= '9') {
            v[part] = v[part] * 10 + (s[i] - '0');
        } else {
            return -1;
        }
    }
    if (!civil_date_exists(v[0], v[1], v[2]))
        return -1;
    *year = v[0], *month = v[1], *day = v[2];
    return 0;
}

/* Howard Hinnant's days_from_civil and civil_from_days: eras of 400 years
 * (146097 days), the year counted from March so the leap day comes last. */
long civil_days_from_epoch(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_date_from_days(long days, int *year, int *month, int *day)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

int civil_weekday(int year, int month, int day)
{
    long d = civil_days_from_epoch(year, month, day);
    return (int)((d % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}
