/* hours: opening hours in DGIS's notation, and the slots they make (see hours.h). */
#include "care/hours.h"

#include <stdio.h>
#include <string.h>

/* The day letters in weekday order: 0 = D (domingo) ... 6 = S (sábado). */
static const char day_letters[] = "DLMXJVS";

/* The weekday of a day letter (either case), or -1. */
static int weekday_of(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    const char *p = c ? strchr(day_letters, c) : NULL;
    return p ? (int)(p - day_letters) : -1;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads HH:MM at s[*i]: minutes after midnight, 0 to 1440 (24:00 only as 24:00). */
static int read_time(const char *s, size_t len, size_t *i)
{
    size_t k = *i;
    if (len - k < 5 || !digit(s[k]) || !digit(s[k + 1]) || s[k + 2] != ':' || !digit(s[k + 3]) ||
        !digit(s[k + 4]))
        return -1;
    int hh = (s[k] - '0') * 10 + (s[k + 1] - '0'), mm = (s[k + 3] - '0') * 10 + (s[k + 4] - '0');
    if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
        return -1;
    *i = k + 5;
    return hh * 60 + mm;
}

/* Adds [open, close) to weekday wd, kept in order of opening. Shifts that
 * overlap or touch are joined: the catalog lists a unit's 24-hour service next to
 * its consultation hours, and the unit is open when either is. */
static enum care_hours_status add_shift(struct care_hours *h, int wd, int open, int close)
{
    struct care_shift *day = h->day[wd];
    int n = h->count[wd], kept = 0;
    for (int k = 0; k < n; k++) {
        if (open <= day[k].close && day[k].open <= close) {
            open = open < day[k].open ? open : day[k].open;
            close = close > day[k].close ? close : day[k].close;
        } else {
            day[kept++] = day[k];
        }
    }
    if (kept == CARE_SHIFTS_PER_DAY)
        return CARE_HOURS_TOO_MANY;
    int at = kept;
    while (at > 0 && day[at - 1].open > open) {
        day[at] = day[at - 1];
        at--;
    }
    day[at] = (struct care_shift){(uint16_t)open, (uint16_t)close};
    for (int k = kept + 1; k < n; k++)
        day[k] = (struct care_shift){0, 0}; /* so equal hours are equal bytes */
    h->count[wd] = (uint8_t)(kept + 1);
    return CARE_HOURS_OK;
}

/* Parses one shift at s[*i]; on an error *i is where it was found. */
static enum care_hours_status parse_shift(const char *s, size_t len, size_t *i,
                                          struct care_hours *h)
{
    bool days[7] = {false};
    size_t k = *i, first = k;
    for (; k < len && weekday_of(s[k]) >= 0; k++) {
        int wd = weekday_of(s[k]);
        if (days[wd]) {
            *i = k;
            return CARE_HOURS_DAYS;
        }
        days[wd] = true;
    }
    if (k == first || k == len || (s[k] != ' ' && s[k] != '\t')) {
        *i = k;
        return CARE_HOURS_DAYS;
    }
    k = skip_spaces(s, len, k);
    size_t at_open = k;
    int open = read_time(s, len, &k);
    if (open < 0 || open == CARE_MINUTES_PER_DAY) {
        *i = at_open;
        return CARE_HOURS_TIME;
    }
    k = skip_spaces(s, len, k);
    if (k == len || s[k] != '-') {
        *i = k;
        return CARE_HOURS_TIME;
    }
    k = skip_spaces(s, len, k + 1);
    size_t at_close = k;
    int close = read_time(s, len, &k);
    if (close < 0) {
        *i = at_close;
        return CARE_HOURS_TIME;
    }
    /* How the catalog writes the end of the day and the night: "09:00-00:00" runs
     * to midnight, "08:00-08:00" round the clock, "19:30-08:00" overnight into
     * the next day. */
    bool overnight = false;
    if (close == 0 && open > 0)
        close = CARE_MINUTES_PER_DAY;
    else if (close == open)
        open = 0, close = CARE_MINUTES_PER_DAY;
    else if (close < open)
        overnight = true;
    for (int wd = 0; wd < 7; wd++) {
        enum care_hours_status st = CARE_HOURS_OK;
        if (days[wd] && !overnight)
            st = add_shift(h, wd, open, close);
        else if (days[wd])
            st = add_shift(h, wd, open, CARE_MINUTES_PER_DAY);
        if (st == CARE_HOURS_OK && days[wd] && overnight)
            st = add_shift(h, (wd + 1) % 7, 0, close);
        if (st != CARE_HOURS_OK) {
            *i = first;
            return st;
        }
    }
    *i = k;
    return CARE_HOURS_OK;
}

enum care_hours_status care_hours_parse(const char *s, size_t len, struct care_hours *h,
                                        size_t *position)
{
    memset(h, 0, sizeof *h);
    *position = 0;
    if (len > CARE_HOURS_TEXT_MAX) {
        *position = CARE_HOURS_TEXT_MAX + 1;
        return CARE_HOURS_TOO_LONG;
    }
    size_t i = skip_spaces(s, len, 0);
    bool any = false;
    while (i < len) {
        enum care_hours_status st = parse_shift(s, len, &i, h);
        if (st != CARE_HOURS_OK) {
            memset(h, 0, sizeof *h);
            *position = i + 1;
            return st;
        }
        any = true;
        i = skip_spaces(s, len, i);
        if (i == len)
            break;
        if (s[i] != ';') {
            memset(h, 0, sizeof *h);
            *position = i + 1;
            return CARE_HOURS_SEPARATOR;
        }
        i = skip_spaces(s, len, i + 1); /* a final ";" is harmless */
    }
    return any ? CARE_HOURS_OK : CARE_HOURS_EMPTY;
}

const char *care_hours_status_code(enum care_hours_status st)
{
    static const char *const codes[] = {"ok",   "empty",   "too_long", "days",
                                        "time", "overlap", "too_many", "separator"};
    return (size_t)st < sizeof codes / sizeof codes[0] ? codes[st] : "unknown";
}

/* Whether weekday wd has the shift sh. */
static bool has_shift(const struct care_hours *h, int wd, struct care_shift sh)
{
    for (int k = 0; k < h->count[wd]; k++)
        if (h->day[wd][k].open == sh.open && h->day[wd][k].close == sh.close)
            return true;
    return false;
}

int care_hours_format(const struct care_hours *h, char *buf, size_t size)
{
    if (size == 0)
        return -1;
    buf[0] = '\0';
    size_t used = 0;
    int rc = 0;
    /* Every distinct shift once, in order of opening then closing, with its days. */
    struct care_shift last = {0, 0};
    for (;;) {
        struct care_shift next = {UINT16_MAX, UINT16_MAX};
        for (int wd = 0; wd < 7; wd++)
            for (int k = 0; k < h->count[wd]; k++) {
                struct care_shift c = h->day[wd][k];
                bool after = c.open > last.open || (c.open == last.open && c.close > last.close);
                bool before = c.open < next.open || (c.open == next.open && c.close < next.close);
                if (after && before)
                    next = c;
            }
        if (next.open == UINT16_MAX)
            break;
        char days[8];
        size_t nd = 0;
        for (int wd = 0; wd < 7; wd++)
            if (has_shift(h, wd, next))
                days[nd++] = day_letters[wd];
        days[nd] = '\0';
        int n = snprintf(buf + used, size - used, "%s%s %02d:%02d-%02d:%02d", used ? "; " : "",
                         days, next.open / 60, next.open % 60, next.close / 60, next.close % 60);
        if (n < 0 || (size_t)n >= size - used) {
            rc = -1;
            break;
        }
        used += (size_t)n;
        last = next;
    }
    return rc;
}

bool care_hours_open_at(const struct care_hours *h, int wd, int minute)
{
    if (wd < 0 || wd > 6)
        return false;
    for (int k = 0; k < h->count[wd]; k++)
        if (minute >= h->day[wd][k].open && minute < h->day[wd][k].close)
            return true;
    return false;
}

size_t care_hours_slots(const struct care_hours *h, int wd, int slot_minutes, struct care_slot *out,
                        size_t max)
{
    if (wd < 0 || wd > 6 || slot_minutes < 5 || slot_minutes > 240)
        return 0;
    size_t n = 0;
    for (int k = 0; k < h->count[wd]; k++)
        for (int t = h->day[wd][k].open; t + slot_minutes <= h->day[wd][k].close;
             t += slot_minutes, n++)
            if (n < max)
                out[n] = (struct care_slot){(uint16_t)t, (uint16_t)(t + slot_minutes)};
    return n;
}

int care_arrival_window(struct care_slot slot, int capacity, int position, int *from, int *to)
{
    if (capacity <= 0 || position < 0 || position >= capacity || slot.end <= slot.start)
        return -1;
    int len = slot.end - slot.start;
    *from = slot.start + position * len / capacity;
    *to = slot.start + (position + 1) * len / capacity;
    return 0;
}
