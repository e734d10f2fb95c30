/*
 * civil_date: proleptic Gregorian calendar arithmetic, no clock and no locale.
 *
 * Dates travel as three ints (year, month 1-12, day 1-31). Nothing here reads
 * the current time: callers that need "today" pass it in, so every rule that
 * depends on the date is testable.
 */
#ifndef PADRON_CORE_CIVIL_DATE_H
#define PADRON_CORE_CIVIL_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* Gregorian leap year: divisible by 4, except centuries not divisible by 400. */
bool civil_is_leap_year(int year);

/* Days in the month (28-31), or 0 when month is outside 1-12. */
int civil_days_in_month(int year, int month);

/* True when year-month-day names a real day (year 1-9999). */
bool civil_date_exists(int year, int month, int day);

/* Parses exactly "YYYY-MM-DD" naming a real day from s[0..len) into *year,
 * *month, *day. Returns 0, or -1 (and leaves the outputs alone) otherwise. */
int civil_parse_date(const char *s, size_t len, int *year, int *month, int *day);

/* year * 10000 + month * 100 + day, a sortable integer form used for comparisons. */
long civil_date_key(int year, int month, int day);

/* Days from 1970-01-01 to year-month-day (negative before it). */
long civil_days_from_epoch(int year, int month, int day);

/* The date days after 1970-01-01 (the inverse of civil_days_from_epoch). */
void civil_date_from_days(long days, int *year, int *month, int *day);

/* The weekday of year-month-day: 0 = Sunday ... 6 = Saturday, as struct tm. */
int civil_weekday(int year, int month, int day);

#endif
