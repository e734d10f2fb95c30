/* padron schedule: a unit's appointment schedule (slot length, places per slot,
 * opening hours overriding the catalog's) and its closed days, in the database
 * of `padron serve`. Until the staff accounts, this is how a unit sets them. */
#include "cli/commands.h"

#include "care/hours.h"
#include "cli/input.h"
#include "cli/workspace.h"
#include "core/civil_date.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schedule_usage[] =
    "usage: padron schedule set --unit CLUES [--slot-minutes N] [--capacity N]\n"
    "                           [--hours TEXT] [--data DIR]\n"
    "       padron schedule close --unit CLUES --date YYYY-MM-DD [--open] [--data DIR]\n\n"
    "set: the unit's appointments come in slots of N minutes (5-240, default 20) taking\n"
    "N people each (1-100, default 3); --hours (DGIS notation, e.g. \"LMXJV 08:00-14:00\")\n"
    "replaces the catalog's opening hours for appointments, \"\" goes back to them.\n"
    "Options not given keep their current value. Prints the schedule.\n"
    "close: no appointments that day at the unit (--open undoes it). Bookings already\n"
    "made stay: tell those people.\n"
    "Exit status: 0 done; 1 failed; 2 usage error.\n";

static bool clues_ok(const char *s)
{
    if (!s || strlen(s) != 11)
        return false;
    for (int i = 0; i < 11; i++)
        if (i < 5 ? !(s[i] >= 'A' && s[i] <= 'Z') : !(s[i] >= '0' && s[i] <= '9'))
            return false;
    return true;
}

/* A whole number in [lo, hi], or -1. */
static int number(const char *s, int lo, int hi)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > 3 || strspn(s, "0123456789") != len)
        return -1;
    int v = atoi(s);
    return v >= lo && v <= hi ? v : -1;
}

static int schedule_run(int argc, char **argv, bool closing)
{
    const char *command = closing ? "schedule close" : "schedule set";
    const char *unit = NULL, *data = NULL, *slot = NULL, *capacity = NULL, *hours = NULL,
               *date = NULL;
    bool open_again = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(schedule_usage, stdout);
            return 0;
        }
        if (closing && strcmp(argv[i], "--open") == 0) {
            open_again = true;
            continue;
        }
        const char *names[] = {"--unit",     "--data",  "--slot-minutes",
                               "--capacity", "--hours", "--date"};
        const char **outs[] = {&unit, &data, &slot, &capacity, &hours, &date};
        int r = 0;
        for (size_t k = 0; k < sizeof names / sizeof names[0] && r == 0; k++)
            if ((k < 2 || (k == 5) == closing))
                r = cli_option_value(names[k], argc, argv, &i, outs[k]);
        if (r < 0)
            return cli_usage_error(command, "option %s needs a value", argv[i]);
        if (r == 0)
            return cli_usage_error(command, "unknown argument '%s'", argv[i]);
    }
    if (!clues_ok(unit))
        return cli_usage_error(command, "--unit: a CLUES key, 5 capital letters and 6 digits");
    int y, m, d;
    if (closing && (!date || civil_parse_date(date, strlen(date), &y, &m, &d) != 0))
        return cli_usage_error(command, "--date: a real day as YYYY-MM-DD");
    int slot_minutes = slot ? number(slot, 5, 240) : 0,
        places = capacity ? number(capacity, 1, 100) : 0;
    if (slot_minutes < 0 || places < 0)
        return cli_usage_error(command, slot_minutes < 0 ? "--slot-minutes: 5 to 240"
                                                         : "--capacity: 1 to 100");
    struct care_hours h;
    char canonical[STORE_HOURS_MAX + 1] = "";
    size_t at = 0;
    if (hours && *hours) {
        enum care_hours_status st = care_hours_parse(hours, strlen(hours), &h, &at);
        if (st != CARE_HOURS_OK || care_hours_format(&h, canonical, sizeof canonical) != 0)
            return cli_usage_error(command, "--hours: %s at character %zu",
                                   care_hours_status_code(st), at);
    }
    struct workspace w;
    char err[512];
    int rc = 1;
    if (workspace_open(command, data, &w) == 0) {
        struct store_schedule sc;
        if (closing) {
            rc = store_closed_day_set(w.store, unit, date, !open_again, (int64_t)time(NULL), err,
                                      sizeof err) == 0
                     ? 0
                     : 1;
            if (rc == 0)
                printf("%s %s %s\n", unit, date, open_again ? "open" : "closed");
        } else if (store_schedule_get(w.store, unit, &sc, err, sizeof err) >= 0) {
            if (slot_minutes)
                sc.slot_minutes = slot_minutes;
            if (places)
                sc.capacity = places;
            if (hours)
                snprintf(sc.hours, sizeof sc.hours, "%s", canonical);
            if (store_schedule_set(w.store, unit, &sc, (int64_t)time(NULL), err, sizeof err) == 0) {
                printf("%s slot_minutes=%d capacity=%d hours=%s\n", unit, sc.slot_minutes,
                       sc.capacity, sc.hours[0] ? sc.hours : "(the catalog's)");
                rc = 0;
            }
        }
        if (rc != 0)
            fprintf(stderr, "padron %s: %s\n", command, err);
    }
    workspace_close(&w);
    return rc;
}

static int schedule_set(int argc, char **argv)
{
    return schedule_run(argc, argv, false);
}

static int schedule_close(int argc, char **argv)
{
    return schedule_run(argc, argv, true);
}

int cli_schedule(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"set", schedule_set}, {"close", schedule_close}, {NULL, NULL}};
    return cli_dispatch("schedule", schedule_usage, table, argc, argv);
}
