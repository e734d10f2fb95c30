/*
 * /cuenta/citas: the person's appointments at their clinic, without JavaScript.
 * GET shows the list (each booked one with "move" and "cancel"), a date field
 * (?fecha=YYYY-MM-DD) and, once a date is chosen, that day's slots as radio
 * buttons with their free places and arrival windows; ?mover=ID moves that
 * appointment instead of booking a new one. POST /cuenta/citas books or moves
 * (fecha, hora, mover); POST /cuenta/citas/{id}/cancelar cancels. The rules
 * are web/appointments.c's, the API's.
 */
#include "web/routes.h"

#include "web/appointments.h"
#include "web/form.h"
#include "web/page.h"

#include "core/civil_date.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Mis citas", "My appointments"}},
    {"heading", {"Mis citas", "My appointments"}},
    {"lead",
     {"Sus citas de consulta son en su unidad de salud:",
      "Your consultation appointments are at your clinic:"}},
    {"mine_title", {"Citas próximas", "Upcoming appointments"}},
    {"none", {"No tiene citas próximas.", "You have no upcoming appointments."}},
    {"date", {"Fecha", "Date"}},
    {"slot", {"Horario", "Time"}},
    {"arrival", {"Llegue entre", "Arrive between"}},
    {"status", {"Estado", "Status"}},
    {"actions", {"Acciones", "Actions"}},
    {"move", {"Cambiar", "Move"}},
    {"cancel", {"Cancelar", "Cancel"}},
    {"book_title", {"Sacar una cita", "Book an appointment"}},
    {"move_title", {"Cambiar mi cita", "Move my appointment"}},
    {"date_label", {"¿Qué día?", "Which day?"}},
    {"date_hint",
     {"Desde hoy y hasta 30 días después (AAAA-MM-DD).",
      "From today up to 30 days ahead (YYYY-MM-DD)."}},
    {"see_slots", {"Ver horarios", "See times"}},
    {"slots_legend", {"Horarios del", "Times on"}},
    {"free", {"lugares libres", "places free"}},
    {"you_arrive", {"usted llegaría entre", "you would arrive between"}},
    {"full", {"lleno", "full"}},
    {"book", {"Sacar la cita", "Book"}},
    {"move_here", {"Cambiar a este horario", "Move to this time"}},
    {"back", {"Volver a mi cuenta", "Back to my account"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"booked_notice",
     {"Su cita quedó registrada. Le enviamos la confirmación por correo.",
      "Your appointment is booked. We sent the confirmation by email."}},
    {"moved_notice",
     {"Cambiamos su cita. Le enviamos la confirmación por correo.",
      "We moved your appointment. We sent the confirmation by email."}},
    {"cancelled_notice", {"Cancelamos su cita.", "We cancelled your appointment."}},
    {"st_booked", {"Reservada", "Booked"}},
    {"st_cancelled", {"Cancelada", "Cancelled"}},
    {"st_arrived", {"En la unidad", "Arrived"}},
    {"st_in_consultation", {"En consulta", "In consultation"}},
    {"st_done", {"Atendida", "Done"}},
    {"st_no_show", {"No asistió", "Did not come"}},
};

static const char *const book_fields[] = {"csrf", "fecha", "hora", "mover", NULL};
static const struct form_decl book_form = {book_fields, NULL, NULL};
static const char *const csrf_only[] = {"csrf", NULL};
static const struct form_decl csrf_form = {csrf_only, NULL, NULL};

static json_t *list_view(struct page *p, const struct store_appointment *list, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        if (list[i].status == STORE_APPT_CANCELLED)
            continue;
        json_t *a = appointments_json(&list[i]);
        char key[32];
        snprintf(key, sizeof key, "st_%s", store_appointment_status_name(list[i].status));
        json_object_set_new(a, "status_text", json_string(page_text(p, texts, N(texts), key)));
        json_object_set_new(a, "booked", json_boolean(list[i].status == STORE_APPT_BOOKED));
        json_array_append_new(items, a);
    }
    return items;
}

/* The page: the list, the date form and (when date is given) its slots. */
static int show(const struct web_request *req, const struct store_registration *reg,
                const char *date, const char *moving, const struct refusal *shown)
{
    struct page p;
    struct refusal why;
    const struct refusal *error = shown;
    page_init(&p, req, texts, N(texts), "title");
    struct store_appointment list[APPOINTMENTS_LIST_MAX];
    int n = appointments_list(req, reg, list, APPOINTMENTS_LIST_MAX, &why);
    if (n < 0) {
        json_decref(p.view);
        return page_fail(req);
    }
    json_t *items = list_view(&p, list, n);
    json_object_set_new(p.view, "has_appointments", json_boolean(json_array_size(items) > 0));
    json_object_set_new(p.view, "appointments", items);
    char today[11], last[48];
    int minute, y, m, d;
    appointments_today(req, today, &minute);
    if (civil_parse_date(today, 10, &y, &m, &d) == 0) {
        civil_date_from_days(civil_days_from_epoch(y, m, d) + APPOINTMENTS_DAYS_AHEAD, &y, &m, &d);
        snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, d);
        json_object_set_new(p.view, "min_date", json_string(today));
        json_object_set_new(p.view, "max_date", json_string(last));
    }
    if (moving && appointments_parse_id(moving))
        json_object_set_new(p.view, "moving", json_string(moving));
    struct appointments_day *day = malloc(sizeof *day);
    if (day && date && *date) {
        json_object_set_new(p.view, "date", json_string(date));
        if (appointments_day(req, reg, date, NULL, day, &why) == 0) {
            json_object_set_new(p.view, "clinic", json_string(day->name ? day->name : ""));
            json_t *slots = json_array();
            for (size_t i = 0; i < day->n; i++) {
                const struct appointments_slot *s = &day->slots[i];
                int free_places = day->schedule.capacity - s->taken;
                bool open = !s->started && free_places > 0 && s->next_from >= 0;
                char start[6], end[6], from[6], to[6];
                appointments_time_text(s->slot.start, start);
                appointments_time_text(s->slot.end, end);
                appointments_time_text(s->next_from, from);
                appointments_time_text(s->next_to, to);
                json_array_append_new(slots, json_pack("{s:s, s:s, s:b, s:i, s:s, s:s}", "start",
                                                       start, "end", end, "open", open, "free",
                                                       free_places, "from", from, "to", to));
            }
            json_object_set_new(p.view, "has_slots", json_true());
            json_object_set_new(p.view, "slots", slots);
        } else if (!error) {
            error = &why;
        }
    }
    free(day);
    const char *done = web_query(req, "hecho");
    const char *notice = !done                            ? NULL
                         : strcmp(done, "reservada") == 0 ? "booked_notice"
                         : strcmp(done, "cambiada") == 0  ? "moved_notice"
                         : strcmp(done, "cancelada") == 0 ? "cancelled_notice"
                                                          : NULL;
    if (notice && !error)
        json_object_set_new(p.view, "notice", json_string(page_text(&p, texts, N(texts), notice)));
    if (error)
        page_error(&p, error->field ? error->field : "date", error->message);
    return page_send(&p, "page/appointments", shown ? shown->status : MHD_HTTP_OK);
}

int page_appointments_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    return show(req, &reg, web_query(req, "fecha"), web_query(req, "mover"), NULL);
}

int page_appointments_post(const struct web_request *req)
{
    struct store_registration reg;
    struct store_appointment a;
    struct refusal why;
    struct form f;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    if (page_read_form(req, &book_form, &f, "date", &why) != 0) {
        ret = show(req, &reg, NULL, NULL, &why);
    } else {
        const char *date = form_get(&f, "fecha", NULL), *moving = form_get(&f, "mover", NULL);
        int64_t move_id = moving && *moving ? appointments_parse_id(moving) : 0;
        if (moving && *moving && !move_id)
            refusal_set(req, &why, MHD_HTTP_NOT_FOUND, "appointment_not_found", NULL,
                        MSG_APPT_NOT_FOUND);
        if ((moving && *moving && !move_id) ||
            appointments_book(req, &reg, move_id, date, form_get(&f, "hora", NULL), NULL, &a,
                              &why) != 0)
            ret = show(req, &reg, date, moving, &why);
        else
            ret = page_go(req, move_id ? "/cuenta/citas?hecho=cambiada"
                                       : "/cuenta/citas?hecho=reservada");
    }
    form_release(&f);
    return ret;
}

int page_appointment_cancel(const struct web_request *req)
{
    struct store_registration reg;
    struct refusal why;
    struct form f;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    if (page_read_form(req, &csrf_form, &f, NULL, &why) != 0 ||
        appointments_cancel(req, &reg, appointments_parse_id(req->params[0]), &why) != 0)
        ret = show(req, &reg, NULL, NULL, &why);
    else
        ret = page_go(req, "/cuenta/citas?hecho=cancelada");
    form_release(&f);
    return ret;
}
