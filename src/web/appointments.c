#include "web/appointments.h"

#include "catalog/catalog.h"
#include "core/civil_date.h"
#include "notify/message.h"
#include "notify/sender.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void appointments_today(const struct web_request *req, char date[11], int *minute)
{
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    if (!localtime_r(&now, &tm))
        memset(&tm, 0, sizeof tm);
    char text[48];
    snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(date, text, 10);
    date[10] = '\0';
    *minute = tm.tm_hour * 60 + tm.tm_min;
}

void appointments_time_text(int minute, char buf[6])
{
    if (minute < 0 || minute > CARE_MINUTES_PER_DAY)
        minute = 0;
    snprintf(buf, 6, "%02d:%02d", (minute / 60) % 100, minute % 60);
}

int64_t appointments_parse_id(const char *text)
{
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > 12 || strspn(text, "0123456789") != len || text[0] == '0')
        return 0;
    return strtoll(text, NULL, 10);
}

/* "HH:MM" of a time of day as minutes, or -1. */
static int parse_time(const char *s)
{
    int m = s ? care_time_parse(s, strlen(s)) : -1;
    return m < CARE_MINUTES_PER_DAY ? m : -1;
}

/* The person's clinic, its facility and schedule, and its hours parsed. */
struct clinic {
    struct store_home_clinic home;
    const struct catalog_facility *facility;
    struct store_schedule schedule;
    struct care_hours hours;
};

static int load_clinic(const struct web_request *req, const struct store_registration *reg,
                       const char *clues, struct clinic *c, struct refusal *why)
{
    char err[256];
    if (reg->status != STORE_REG_ACTIVE)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_active", NULL, MSG_APPT_NOT_ACTIVE);
    int found = store_home_clinic_get(req->app->store, reg->id, &c->home, err, sizeof err);
    if (found < 0)
        return refusal_internal(req, why, err);
    c->facility = found ? catalog_facility(req->app->catalog, c->home.clues) : NULL;
    if (!c->facility)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "no_clinic", NULL, MSG_APPT_NO_CLINIC);
    if (clues && *clues && strcmp(clues, c->home.clues) != 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "not_your_clinic", "clues",
                           MSG_APPT_NOT_YOUR_CLINIC);
    if (store_schedule_get(req->app->store, c->home.clues, &c->schedule, err, sizeof err) < 0)
        return refusal_internal(req, why, err);
    const char *text = c->schedule.hours[0] ? c->schedule.hours : c->facility->hours;
    size_t at;
    if (!text || care_hours_parse(text, strlen(text), &c->hours, &at) != CARE_HOURS_OK)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "hours_unknown", NULL,
                           MSG_APPT_HOURS_UNKNOWN);
    return 0;
}

/* Checks date against today, the window ahead, the weekday and the closed days;
 * fills the day's slots and their places. */
static int load_day(const struct web_request *req, const struct clinic *c, const char *date,
                    struct appointments_day *out, struct refusal *why)
{
    char today[11], err[256];
    int minute, y, m, d, ty, tm, td;
    appointments_today(req, today, &minute);
    if (!date || civil_parse_date(date, strlen(date), &y, &m, &d) != 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_date", "date",
                           MSG_APPT_DATE_INVALID);
    if (civil_parse_date(today, 10, &ty, &tm, &td) != 0)
        return refusal_internal(req, why, "appointments: the server's date is unreadable");
    long ahead = civil_days_from_epoch(y, m, d) - civil_days_from_epoch(ty, tm, td);
    if (ahead < 0 || ahead > APPOINTMENTS_DAYS_AHEAD)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "date_out_of_range", "date",
                           MSG_APPT_DATE_RANGE);
    memset(out, 0, sizeof *out);
    memcpy(out->clues, c->home.clues, sizeof out->clues);
    out->name = c->facility->name;
    memcpy(out->date, date, 10);
    out->schedule = c->schedule;
    struct care_slot slots[APPOINTMENTS_SLOTS_MAX];
    size_t n = care_hours_slots(&c->hours, civil_weekday(y, m, d), c->schedule.slot_minutes, slots,
                                APPOINTMENTS_SLOTS_MAX);
    if (n == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "clinic_closed", "date",
                           MSG_APPT_CLOSED_WEEKDAY);
    int closed = store_closed_day_get(req->app->store, c->home.clues, date, err, sizeof err);
    if (closed < 0)
        return refusal_internal(req, why, err);
    if (closed)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "clinic_closed", "date",
                           MSG_APPT_CLOSED_DAY);
    static _Thread_local struct store_place places[APPOINTMENTS_SLOTS_MAX * 8];
    int np = store_appointment_places(req->app->store, c->home.clues, date, places,
                                      (int)(sizeof places / sizeof places[0]), err, sizeof err);
    if (np < 0)
        return refusal_internal(req, why, err);
    np =
        np < (int)(sizeof places / sizeof places[0]) ? np : (int)(sizeof places / sizeof places[0]);
    out->n = n < APPOINTMENTS_SLOTS_MAX ? n : APPOINTMENTS_SLOTS_MAX;
    for (size_t i = 0; i < out->n; i++) {
        struct appointments_slot *s = &out->slots[i];
        s->slot = slots[i];
        s->started = ahead == 0 && slots[i].start <= minute;
        int next = 0;
        /* places are in position order per slot: the first gap is the next place */
        for (int k = 0; k < np; k++)
            if (places[k].slot_start == slots[i].start) {
                s->taken++;
                if (places[k].position == next)
                    next++;
            }
        s->next_from = s->next_to = -1;
        if (next < c->schedule.capacity)
            care_arrival_window(slots[i], c->schedule.capacity, next, &s->next_from, &s->next_to);
    }
    return 0;
}

int appointments_day(const struct web_request *req, const struct store_registration *reg,
                     const char *date, const char *clues, struct appointments_day *out,
                     struct refusal *why)
{
    struct clinic c;
    return load_clinic(req, reg, clues, &c, why) != 0 ? -1 : load_day(req, &c, date, out, why);
}

struct mail_ctx {
    const struct web_request *req;
    const char *clinic, *to;
};

static char *compose_confirmation(void *ctx, const struct store_appointment *a)
{
    const struct mail_ctx *m = ctx;
    char s1[6], s2[6], a1[6], a2[6], slot[16], arrival[16], subject[256], body[2048], err[128];
    appointments_time_text(a->slot_start, s1);
    appointments_time_text(a->slot_end, s2);
    appointments_time_text(a->arrival_from, a1);
    appointments_time_text(a->arrival_to, a2);
    snprintf(slot, sizeof slot, "%s-%s", s1, s2);
    snprintf(arrival, sizeof arrival, "%s-%s", a1, a2);
    i18n_appointment_mail(m->req->lang, m->clinic, a->date, slot, arrival, subject, sizeof subject,
                          body, sizeof body);
    struct mail_text text = {.from = m->req->app->mail_from,
                             .to = m->to,
                             .subject = subject,
                             .body = body,
                             .date = a->created_at};
    char *out = NULL;
    return mail_compose(&text, &out, err, sizeof err) == 0 ? out : NULL;
}

int appointments_book(const struct web_request *req, const struct store_registration *reg,
                      int64_t move_id, const char *date, const char *time, const char *clues,
                      struct store_appointment *out, struct refusal *why)
{
    struct clinic c;
    struct appointments_day day;
    if (load_clinic(req, reg, clues, &c, why) != 0 || load_day(req, &c, date, &day, why) != 0)
        return -1;
    int start = parse_time(time);
    const struct appointments_slot *slot = NULL;
    for (size_t i = 0; i < day.n && start >= 0; i++)
        if (day.slots[i].slot.start == start)
            slot = &day.slots[i];
    if (!slot)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_time", "time",
                           MSG_APPT_TIME_INVALID);
    if (slot->started)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "slot_started", "time",
                           MSG_APPT_SLOT_STARTED);
    char today[11], err[256];
    int minute;
    appointments_today(req, today, &minute);
    struct mail_ctx mail = {req, c.facility->name, reg->contact.email};
    struct store_booking b = {.registration = reg->id,
                              .clues = c.home.clues,
                              .service = APPOINTMENTS_SERVICE,
                              .date = day.date,
                              .today = today,
                              .slot_start = slot->slot.start,
                              .slot_end = slot->slot.end,
                              .capacity = c.schedule.capacity,
                              .now = req->app->clock(),
                              .recipient = reg->contact.email,
                              .compose = compose_confirmation,
                              .ctx = &mail};
    enum store_booking_result rc =
        move_id ? store_appointment_move(req->app->store, move_id, &b, out, err, sizeof err)
                : store_appointment_book(req->app->store, &b, out, err, sizeof err);
    switch (rc) {
    case STORE_BOOKING_OK:
        if (reg->contact.email[0] && req->app->mailer)
            mail_sender_wake(req->app->mailer);
        return 0;
    case STORE_BOOKING_ALREADY:
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "already_booked", NULL,
                           MSG_APPT_ALREADY_BOOKED);
    case STORE_BOOKING_FULL:
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "slot_full", "time", MSG_APPT_SLOT_FULL);
    case STORE_BOOKING_UNKNOWN:
        return refusal_set(req, why, MHD_HTTP_NOT_FOUND, "appointment_not_found", NULL,
                           MSG_APPT_NOT_FOUND);
    case STORE_BOOKING_ERROR:
    default:
        return refusal_internal(req, why, err);
    }
}

int appointments_cancel(const struct web_request *req, const struct store_registration *reg,
                        int64_t id, struct refusal *why)
{
    char err[256];
    int rc = id > 0 ? store_appointment_cancel(req->app->store, id, reg->id, req->app->clock(), err,
                                               sizeof err)
                    : 0;
    if (rc < 0)
        return refusal_internal(req, why, err);
    return rc ? 0
              : refusal_set(req, why, MHD_HTTP_NOT_FOUND, "appointment_not_found", NULL,
                            MSG_APPT_NOT_FOUND);
}

int appointments_list(const struct web_request *req, const struct store_registration *reg,
                      struct store_appointment *out, int max, struct refusal *why)
{
    char today[11], err[256];
    int minute;
    appointments_today(req, today, &minute);
    int n = store_appointment_list(req->app->store, reg->id, today, out, max, err, sizeof err);
    if (n < 0)
        return refusal_internal(req, why, err);
    return n < max ? n : max;
}

json_t *appointments_json(const struct store_appointment *a)
{
    char s1[6], s2[6], a1[6], a2[6];
    appointments_time_text(a->slot_start, s1);
    appointments_time_text(a->slot_end, s2);
    appointments_time_text(a->arrival_from, a1);
    appointments_time_text(a->arrival_to, a2);
    return json_pack("{s:I, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:i, s:s}", "id",
                     (json_int_t)a->id, "clues", a->clues, "service", a->service, "date", a->date,
                     "slot", "start", s1, "end", s2, "arrival", "from", a1, "to", a2, "position",
                     a->position, "status", store_appointment_status_name(a->status));
}
