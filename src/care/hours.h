/*
 * hours: a facility's opening hours and the appointment slots they make.
 *
 * The text is DGIS's, as in the national CLUES catalog's hours sheet
 * (../shared/data/clues_nacional_claves_horarios_202604.csv): shifts separated by
 * ";", each "<days> HH:MM-HH:MM", the days as letters D (domingo), L (lunes), M
 * (martes), X (miércoles), J (jueves), V (viernes), S (sábado). For example
 * "LMXJV 08:00-13:00; LMXJV 15:00-18:00". As the catalog uses them: an end of
 * "00:00" after a later start is midnight ("09:00-00:00"); equal times are round
 * the clock ("08:00-08:00", "00:00-00:00"); an end before the start is a night
 * shift that runs into the next day ("LMXJV 19:30-08:00": Monday 19:30 to
 * Tuesday 08:00, ...), stored as two shifts. Shifts of one day that overlap or
 * touch are joined (a 24-hour service listed next to consultation hours).
 *
 * Slots: a shift is cut into slots of slot_minutes from its opening; a slot that
 * would end after the shift closes is not offered. Each slot takes capacity
 * people, and each of them gets an arrival window of their own inside the slot
 * (position k of n arrives from start + k * len / n), so a 9:00 slot does not
 * mean everybody at 9:00.
 *
 * Invariants: pure (no clock, no I/O, no allocation, no locale); safe on any
 * bytes; parse errors name the 1-based character where they are found and a
 * stable code. Weekdays are 0 = Sunday (D) to 6 = Saturday (S), as struct tm.
 */
#ifndef PADRON_CARE_HOURS_H
#define PADRON_CARE_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARE_SHIFTS_PER_DAY  4
#define CARE_HOURS_TEXT_MAX  256 /* bytes of hours text accepted */
#define CARE_MINUTES_PER_DAY 1440

struct care_shift {
    uint16_t open, close; /* minutes after midnight; open < close <= 1440 */
};

struct care_hours {
    struct care_shift day[7][CARE_SHIFTS_PER_DAY]; /* in order of opening */
    uint8_t count[7];
};

enum care_hours_status {
    CARE_HOURS_OK = 0,
    CARE_HOURS_EMPTY,     /* no shift at all (the catalog's "unknown") */
    CARE_HOURS_TOO_LONG,  /* over CARE_HOURS_TEXT_MAX bytes */
    CARE_HOURS_DAYS,      /* a shift without day letters, an unknown or repeated letter */
    CARE_HOURS_TIME,      /* not HH:MM, or past 24:00 */
    CARE_HOURS_OVERLAP,   /* two shifts of one day overlap */
    CARE_HOURS_TOO_MANY,  /* more than CARE_SHIFTS_PER_DAY shifts on a day */
    CARE_HOURS_SEPARATOR, /* something other than ";" between shifts */
};

/* Parses len bytes of hours text into *h. Returns the status; on an error other
 * than CARE_HOURS_EMPTY, *position is the 1-based byte where it was found. */
enum care_hours_status care_hours_parse(const char *s, size_t len, struct care_hours *h,
                                        size_t *position);

/* The stable code of a status: "ok", "empty", "too_long", "days", "time",
 * "too_many", "separator". */
const char *care_hours_status_code(enum care_hours_status st);

/* Writes h back as canonical DGIS text (days in D L M X J V S order, one shift
 * per group of days with the same hours, "; " between), "" when empty. Returns 0,
 * or -1 when size is too small (buf then holds a truncated, terminated text). */
int care_hours_format(const struct care_hours *h, char *buf, size_t size);

/* Whether the facility is open at minute m (0-1439) of weekday wd. */
bool care_hours_open_at(const struct care_hours *h, int wd, int minute);

/* One appointment slot: [start, end) in minutes after midnight. */
struct care_slot {
    uint16_t start, end;
};

/* The slots of weekday wd for slots of slot_minutes (5 to 240), in order, into
 * out (at most max). Returns how many there are (which may exceed max; only max
 * are written), or 0 when slot_minutes is out of range. */
size_t care_hours_slots(const struct care_hours *h, int wd, int slot_minutes, struct care_slot *out,
                        size_t max);

/* The arrival window of the person at position (0-based) of a slot taking
 * capacity people: [*from, *to) in minutes after midnight, rounded to whole
 * minutes, covering the slot without gaps or overlaps across positions. Returns
 * 0, or -1 when position is not below capacity or capacity is not positive. */
int care_arrival_window(struct care_slot slot, int capacity, int position, int *from, int *to);

#endif
