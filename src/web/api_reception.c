/*
 * The reception API, for the staff session's bearer token:
 *   POST /api/v1/staff/checkins {"qr"} or {"folio"}   check a person in (201)
 *   GET  /api/v1/staff/queue[?date=YYYY-MM-DD]         the unit's list of the day
 *   PUT  /api/v1/staff/appointments/{id}/status {"status"}
 * The rules are web/reception.c's.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/appointments.h"
#include "web/json_input.h"
#include "web/reception.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

int api_staff_checkin(const struct web_request *req)
{
    static const char *const fields[] = {"qr", "folio", NULL};
    struct staff_member who;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    json_t *qr = json_object_get(body, "qr");
    const char *folio = json_input_text(body, "folio");
    struct reception_checkin c;
    struct refusal why;
    if (json_is_string(qr) && folio)
        ret = web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "one_of", "folio",
                              req->lang == I18N_EN ? "Send the QR text or the folio, not both."
                                                   : "Envíe el texto del QR o el folio, no ambos.");
    else if (reception_checkin(req, &who, json_is_string(qr) ? json_string_value(qr) : NULL,
                               json_string_length(qr), folio, &c, &why) != 0)
        ret = api_reply_refusal(req, &why);
    else {
        char name[3 * STORE_NAME_MAX + 4];
        reception_person_name(&c.person, name, sizeof name);
        json_t *j = json_pack("{s:i, s:s, s:o}", "turn", c.appointment.turn, "name", name,
                              "appointment", reception_appointment_json(&c.appointment));
        if (c.already)
            json_object_set_new(j, "error",
                                json_pack("{s:s, s:s}", "code", "already_checked_in", "message",
                                          req->lang == I18N_EN
                                              ? "This person is already checked in today."
                                              : "Esta persona ya registró su llegada hoy."));
        ret = web_reply_json(req, c.already ? MHD_HTTP_CONFLICT : MHD_HTTP_CREATED, j);
    }
    json_decref(body);
    return ret;
}

int api_staff_queue(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    char today[11];
    int minute;
    appointments_today(req, today, &minute);
    const char *date = web_query(req, "date");
    json_t *list = reception_day_json(req, &who, date, &why);
    if (!list)
        return api_reply_refusal(req, &why);
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:s, s:s, s:o}", "date", date && *date ? date : today, "unit",
                                    who.account.unit, "appointments", list));
}

int api_staff_appointment_status(const struct web_request *req)
{
    static const char *const fields[] = {"status", NULL};
    struct staff_member who;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct store_appointment a;
    struct refusal why;
    ret = reception_set_status(req, &who, appointments_parse_id(req->params[0]),
                               json_input_text(body, "status"), &a, &why) != 0
              ? api_reply_refusal(req, &why)
              : web_reply_json(req, MHD_HTTP_OK,
                               json_pack("{s:o}", "appointment", reception_appointment_json(&a)));
    json_decref(body);
    return ret;
}
