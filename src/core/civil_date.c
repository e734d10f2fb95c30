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
