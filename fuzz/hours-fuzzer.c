/* libFuzzer harness for src/care/hours.c: opening hours in DGIS's notation, and the
 * slots and arrival windows made from them.
 *
 * Invariants checked (abort on violation):
 * - a refusal other than empty names a position inside the text (or one past it),
 *   and leaves the hours empty;
 * - parsed hours have at most CARE_SHIFTS_PER_DAY shifts a day, each with
 *   open < close <= 1440, in order and apart (joined when they touch);
 * - formatting parsed hours gives text that parses to the same hours;
 * - every slot of every weekday lies inside a shift, and the arrival windows of a
 *   slot cover it exactly, in order.
 */
#include "care/hours.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct care_hours h, again, empty;
    memset(&empty, 0, sizeof empty);
    size_t pos = 0;
    enum care_hours_status st = care_hours_parse((const char *)data, size, &h, &pos);
    if (st != CARE_HOURS_OK) {
        require(memcmp(&h, &empty, sizeof h) == 0);
        require(st == CARE_HOURS_EMPTY || (pos >= 1 && pos <= size + 1));
        return 0;
    }
    for (int wd = 0; wd < 7; wd++) {
        require(h.count[wd] <= CARE_SHIFTS_PER_DAY);
        for (int k = 0; k < h.count[wd]; k++) {
            require(h.day[wd][k].open < h.day[wd][k].close);
            require(h.day[wd][k].close <= CARE_MINUTES_PER_DAY);
            require(k == 0 || h.day[wd][k - 1].close < h.day[wd][k].open);
        }
    }
    char text[CARE_HOURS_TEXT_MAX * 2];
    if (care_hours_format(&h, text, sizeof text) == 0 && strlen(text) <= CARE_HOURS_TEXT_MAX) {
        require(care_hours_parse(text, strlen(text), &again, &pos) == CARE_HOURS_OK);
        require(memcmp(&h, &again, sizeof h) == 0);
    }
    int slot_minutes = size > 0 ? 5 + data[0] % 60 : 30;
    struct care_slot slots[300];
    for (int wd = 0; wd < 7; wd++) {
        size_t n = care_hours_slots(&h, wd, slot_minutes, slots, 300);
        for (size_t k = 0; k < n && k < 300; k++) {
            require(care_hours_open_at(&h, wd, slots[k].start));
            require(care_hours_open_at(&h, wd, slots[k].end - 1));
            int capacity = 1 + (int)(k % 7), end = slots[k].start, from, to;
            for (int p = 0; p < capacity; p++) {
                require(care_arrival_window(slots[k], capacity, p, &from, &to) == 0);
                require(from == end && to >= from);
                end = to;
            }
            require(end == slots[k].end);
        }
    }
    return 0;
}
