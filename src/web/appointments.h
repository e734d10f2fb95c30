/*
 * appointments: the rules of booking a consultation at the home clinic, shared
 * by the JSON API and the account pages.
 *
 * Invariants:
 * - Only an active enrollment books, and only at its own current home clinic
 *   (store_home_clinic_get); asking for any other unit is refused.
 * - A day may be booked from today (the server's local date) to
 *   APPOINTMENTS_DAYS_AHEAD days after, when the unit is open that weekday
 *   (care_hours_slots over the schedule's hours, else the catalog's) and the
 *   day is not marked closed; a slot that has already started today is not
 *   offered nor taken.
 * - The store does the booking itself in one transaction (no double booking,
 *   no overbooking, the lowest free place); the confirmation mail goes in the
 *   same transaction, in the request's language.
 * - A refusal fills struct refusal (web/enrollment.h) with a stable code:
 *   not_active, no_clinic, not_your_clinic, hours_unknown, invalid_date,
 *   date_out_of_range, clinic_closed, invalid_time, slot_started,
 *   already_booked, slot_full, appointment_not_found, internal.
 */
#ifndef PADRON_WEB_APPOINTMENTS_H
#define PADRON_WEB_APPOINTMENTS_H

#include "care/hours.h"
#include "store/store.h"
#include "web/enrollment.h"
#include "web/http.h"

#include <jansson.h>
#include <stdbool.h>

#define APPOINTMENTS_DAYS_AHEAD 30
#define APPOINTMENTS_SERVICE    "consulta"
#define APPOINTMENTS_SLOTS_MAX  (CARE_MINUTES_PER_DAY / 5)
#define APPOINTMENTS_LIST_MAX   32

struct appointments_slot {
    struct care_slot slot;
    int taken;              /* live bookings */
    bool started;           /* today, and already begun */
    int next_from, next_to; /* the window the next person would get (when free) */
};

/* A day of the person's clinic. */
struct appointments_day {
    char clues[12];
    const char *name; /* the unit's name (the catalog's) */
    char date[11];
    struct store_schedule schedule;
    struct appointments_slot slots[APPOINTMENTS_SLOTS_MAX];
    size_t n;
};

/* Today's local date (YYYY-MM-DD) and the minute of the day, at the server. */
void appointments_today(const struct web_request *req, char date[11], int *minute);

/* The slots of date (YYYY-MM-DD) at reg's clinic, with their places. clues,
 * when not NULL and not "", must be that clinic. Returns 0, or -1 with why. */
int appointments_day(const struct web_request *req, const struct store_registration *reg,
                     const char *date, const char *clues, struct appointments_day *out,
                     struct refusal *why);

/* Books (move_id 0) or moves (move_id, the person's booked appointment) to the
 * slot starting at time ("HH:MM") of date, and queues the confirmation mail when
 * reg has an email. Returns 0 with *out, or -1 with why. */
int appointments_book(const struct web_request *req, const struct store_registration *reg,
                      int64_t move_id, const char *date, const char *time, const char *clues,
                      struct store_appointment *out, struct refusal *why);

/* Cancels the person's booked appointment id. Returns 0, or -1 with why
 * (404 appointment_not_found, 500). */
int appointments_cancel(const struct web_request *req, const struct store_registration *reg,
                        int64_t id, struct refusal *why);

/* The person's appointments from today on, date and time order, up to max.
 * Returns how many (at most max), or -1 with why. */
int appointments_list(const struct web_request *req, const struct store_registration *reg,
                      struct store_appointment *out, int max, struct refusal *why);

/* An appointment id of the API and the pages ("1" to "999999999999"); 0 when
 * text is not one. */
int64_t appointments_parse_id(const char *text);

/* "HH:MM" of a minute of the day into buf (6 bytes). */
void appointments_time_text(int minute, char buf[6]);

/* An appointment as the API shows it (a new reference): id, clues, service,
 * date, slot {start, end}, arrival {from, to} (HH:MM), position, status. */
json_t *appointments_json(const struct store_appointment *a);

#endif
