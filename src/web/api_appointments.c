/*
 * Appointments at the bearer's home clinic (rules in web/appointments.h):
 *
 * GET /api/v1/me/appointments/slots?date=YYYY-MM-DD: the day's slots with their
 * free places and the arrival window the next person would get;
 * POST /api/v1/me/appointments {"date", "time", "clues"?}: books (201 with the
 * appointment and its arrival window); GET /api/v1/me/appointments: those from
 * today on; PUT /api/v1/me/appointments/{id} {"date", "time"}: moves;
 * DELETE /api/v1/me/appointments/{id}: cancels (200 with the appointment).
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/appointments.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdlib.h>

int api_me_appointment_slots(const struct web_request *req)
{
    struct store_registration reg;
    struct refusal why;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    struct appointments_day *day = malloc(sizeof *day);
    if (!day)
        return api_internal_error(req, "appointments: out of memory");
    if (appointments_day(req, &reg, web_query(req, "date"), web_query(req, "clues"), day, &why) !=
        0) {
        free(day);
        return api_reply_refusal(req, &why);
    }
    json_t *slots = json_array();
    for (size_t i = 0; i < day->n; i++) {
        const struct appointments_slot *s = &day->slots[i];
        char start[6], end[6], from[6], to[6];
        appointments_time_text(s->slot.start, start);
        appointments_time_text(s->slot.end, end);
        int free_places = s->started ? 0 : day->schedule.capacity - s->taken;
        json_t *arrival = json_null();
        if (free_places > 0 && s->next_from >= 0) {
            appointments_time_text(s->next_from, from);
            appointments_time_text(s->next_to, to);
            arrival = json_pack("{s:s, s:s}", "from", from, "to", to);
        }
        json_array_append_new(slots, json_pack("{s:s, s:s, s:i, s:b, s:o}", "start", start, "end",
                                               end, "free", free_places < 0 ? 0 : free_places,
                                               "started", s->started, "arrival", arrival));
    }
    ret = web_reply_json(req, MHD_HTTP_OK,
                         json_pack("{s:s, s:s, s:s, s:i, s:i, s:o}", "clues", day->clues, "name",
                                   day->name ? day->name : "", "date", day->date, "slot_minutes",
                                   day->schedule.slot_minutes, "capacity", day->schedule.capacity,
                                   "slots", slots));
    free(day);
    return ret;
}

/* POST (move_id 0) and PUT: the same body, the same rules. */
static int book(const struct web_request *req, int64_t move_id)
{
    static const char *const fields[] = {"date", "time", "clues", NULL};
    struct store_registration reg;
    struct store_appointment a;
    struct refusal why;
    json_t *body;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    if (appointments_book(req, &reg, move_id, json_input_text(body, "date"),
                          json_input_text(body, "time"), json_input_text(body, "clues"), &a,
                          &why) != 0)
        ret = api_reply_refusal(req, &why);
    else
        ret = web_reply_json(req, move_id ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                             json_pack("{s:o}", "appointment", appointments_json(&a)));
    json_decref(body);
    return ret;
}

int api_me_appointment_create(const struct web_request *req)
{
    return book(req, 0);
}

int api_me_appointment_move(const struct web_request *req)
{
    int64_t id = appointments_parse_id(req->params[0]);
    if (!id) {
        struct refusal why;
        refusal_set(req, &why, MHD_HTTP_NOT_FOUND, "appointment_not_found", NULL,
                    MSG_APPT_NOT_FOUND);
        return api_reply_refusal(req, &why);
    }
    return book(req, id);
}

int api_me_appointments(const struct web_request *req)
{
    struct store_registration reg;
    struct store_appointment list[APPOINTMENTS_LIST_MAX];
    struct refusal why;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    int n = appointments_list(req, &reg, list, APPOINTMENTS_LIST_MAX, &why);
    if (n < 0)
        return api_reply_refusal(req, &why);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, appointments_json(&list[i]));
    return web_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "appointments", items));
}

int api_me_appointment_cancel(const struct web_request *req)
{
    struct store_registration reg;
    struct store_appointment a;
    struct refusal why;
    int ret;
    char err[256];
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    int64_t id = appointments_parse_id(req->params[0]);
    if (appointments_cancel(req, &reg, id, &why) != 0)
        return api_reply_refusal(req, &why);
    if (store_appointment_get(req->app->store, id, reg.id, &a, err, sizeof err) != 1)
        return api_internal_error(req, err);
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:o}", "appointment", appointments_json(&a)));
}
