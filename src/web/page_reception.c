/*
 * The reception page, /personal/recepcion: a check-in form (the folio typed, or
 * the credential's QR text scanned or pasted; POST) with the turn it gave, and
 * the unit's list of the day grouped by status, each row with a button for its
 * next status (POST /personal/recepcion/citas/{id}, then back to the list). No
 * script needed. The rules are web/reception.c's; the session and CSRF are the
 * other staff pages'.
 */
#include "web/routes.h"

#include "web/appointments.h"
#include "web/form.h"
#include "web/page.h"
#include "web/page_staff.h"
#include "web/reception.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Recepción", "Reception"}},
    {"heading", {"Recepción: llegadas y turnos", "Reception: arrivals and turns"}},
    {"signed_in_as", {"Personal:", "Staff:"}},
    {"checkin_title", {"Registrar una llegada", "Check a person in"}},
    {"folio_label", {"Folio de afiliación", "Enrollment folio"}},
    {"folio_hint",
     {"Como IB26-7K3M-9QXD, o escanee la credencial abajo.",
      "Like IB26-7K3M-9QXD, or scan the credential below."}},
    {"qr_label", {"Código QR de la credencial", "The credential's QR code"}},
    {"qr_hint",
     {"Escanee el QR con el lector o pegue su texto (empieza con PB1:).",
      "Scan the QR with the reader or paste its text (it starts with PB1:)."}},
    {"check_in", {"Registrar llegada", "Check in"}},
    {"turn", {"Turno", "Turn"}},
    {"arrived_booked",
     {"Llegada registrada: tenía cita hoy.", "Checked in: they had an appointment today."}},
    {"arrived_walk_in",
     {"Llegada registrada sin cita: se agregó a la fila del día.",
      "Checked in without an appointment: added to today's queue."}},
    {"already",
     {"Esta persona ya había registrado su llegada hoy.",
      "This person was already checked in today."}},
    {"day_title", {"Lista del día", "Today's list"}},
    {"reload", {"Actualizar la lista", "Refresh the list"}},
    {"empty", {"Aún no hay citas ni llegadas hoy.", "No appointments or arrivals yet today."}},
    {"person", {"Persona", "Person"}},
    {"folio", {"Folio", "Folio"}},
    {"time", {"Llegada", "Arrival"}},
    {"actions", {"Siguiente paso", "Next step"}},
    {"walk_in", {"sin cita", "walk-in"}},
    {"lookup", {"Consultar a una persona", "Look a person up"}},
    {"sign_out", {"Salir", "Sign out"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    /* the groups, and the buttons that move a row to a status */
    {"booked", {"Con cita, por llegar", "Booked, not arrived yet"}},
    {"arrived", {"En espera", "Waiting"}},
    {"in_consultation", {"En consulta", "In consultation"}},
    {"done", {"Atendidas", "Seen"}},
    {"no_show", {"No llegaron", "Did not come"}},
    {"to_in_consultation", {"Pasar a consulta", "Call in"}},
    {"to_done", {"Terminar", "Finish"}},
    {"to_no_show", {"No llegó", "Did not come"}},
    {"receptionist", {"Recepción", "Reception"}},
    {"physician", {"Médico", "Physician"}},
    {"social_worker", {"Trabajo social", "Social work"}},
    {"unit_admin", {"Administración de la unidad", "Unit administration"}},
    {"state_admin", {"Administración estatal", "State administration"}},
};

static const char *const checkin_fields[] = {"csrf", "folio", "qr", NULL};
static const struct form_decl checkin_form = {checkin_fields, NULL, NULL};
static const char *const status_fields[] = {"csrf", "status", NULL};
static const struct form_decl status_form = {status_fields, NULL, NULL};

/* The order of the groups on the page: who is waiting first. */
static const enum store_appointment_status group_order[] = {
    STORE_APPT_ARRIVED, STORE_APPT_IN_CONSULTATION, STORE_APPT_BOOKED,
    STORE_APPT_DONE,    STORE_APPT_NO_SHOW,
};

/* The list of the day as groups of rows with their buttons. */
static json_t *groups_view(struct page *p, json_t *day)
{
    json_t *groups = json_array();
    for (size_t g = 0; g < N(group_order); g++) {
        const char *status = store_appointment_status_name(group_order[g]);
        json_t *entries = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(day, i, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "status")), status) != 0)
                continue;
            json_t *buttons = json_array(), *to;
            size_t k;
            json_array_foreach(json_object_get(e, "next"), k, to)
            {
                char key[40];
                snprintf(key, sizeof key, "to_%s", json_string_value(to));
                json_array_append_new(buttons, json_pack("{s:O, s:s}", "status", to, "label",
                                                         page_text(p, texts, N(texts), key)));
            }
            json_object_set_new(e, "buttons", buttons);
            json_array_append(entries, e);
        }
        if (json_array_size(entries) > 0)
            json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:o}", "status", status,
                                                    "title", page_text(p, texts, N(texts), status),
                                                    "count", (json_int_t)json_array_size(entries),
                                                    "entries", entries));
        else
            json_decref(entries);
    }
    return groups;
}

/* Renders the page: the form (with folio as typed, and why when refused), the
 * turn given (checked, when not NULL) and the day's list. */
static int show(const struct web_request *req, const struct staff_member *who, const char *folio,
                const struct reception_checkin *checked, const struct refusal *why)
{
    struct page p;
    struct refusal list_why;
    page_init(&p, req, texts, N(texts), "title");
    const char *unit_name = staff_unit_name(req, who->account.unit);
    json_object_set_new(p.view, "staff",
                        json_pack("{s:s, s:s, s:s?}", "role_name",
                                  page_text(&p, texts, N(texts), who->account.role), "unit",
                                  who->account.unit, "unit_name", unit_name[0] ? unit_name : NULL));
    json_object_set_new(p.view, "folio", json_string(folio ? folio : ""));
    char today[11];
    int minute;
    appointments_today(req, today, &minute);
    json_object_set_new(p.view, "date", json_string(today));
    unsigned status = why ? why->status : MHD_HTTP_OK;
    if (why)
        page_error(&p, why->field ? why->field : "folio", why->message);
    if (checked) {
        char name[3 * STORE_NAME_MAX + 4];
        reception_person_name(&checked->person, name, sizeof name);
        const char *message = checked->already               ? "already"
                              : checked->appointment.walk_in ? "arrived_walk_in"
                                                             : "arrived_booked";
        json_object_set_new(p.view, "checked",
                            json_pack("{s:s, s:i, s:s}", "message",
                                      page_text(&p, texts, N(texts), message), "turn",
                                      checked->appointment.turn, "name", name));
        status = checked->already ? MHD_HTTP_CONFLICT : MHD_HTTP_OK;
    }
    json_t *day = reception_day_json(req, who, NULL, &list_why);
    if (!day) {
        json_decref(p.view);
        return list_why.status == MHD_HTTP_FORBIDDEN
                   ? page_refusal(req, MHD_HTTP_FORBIDDEN, MSG_UNAUTHORIZED)
                   : page_fail(req);
    }
    json_t *groups = groups_view(&p, day);
    json_decref(day);
    json_object_set_new(p.view, "groups", groups);
    return page_send(&p, "page/staff_reception", status);
}

int page_reception_get(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    return show(req, &who, NULL, NULL, NULL);
}

/* The page again with the refusal of a form that could not be read. */
static int form_refused(const struct web_request *req, const struct staff_member *who,
                        const struct refusal *why)
{
    return show(req, who, NULL, NULL, why);
}

static int checkin_posted(const struct web_request *req, const struct staff_member *who,
                          const struct form *f)
{
    size_t qr_len = 0;
    const char *folio = form_get(f, "folio", NULL), *qr = form_get(f, "qr", &qr_len);
    /* A scanner types into the QR box (often with a line end after it); the
     * folio counts only when the box is empty. */
    while (qr && qr_len > 0 && strchr(" \t\r\n", qr[qr_len - 1]))
        qr_len--;
    bool use_qr = qr && qr_len > 0;
    struct reception_checkin c;
    struct refusal why;
    if (reception_checkin(req, who, use_qr ? qr : NULL, qr_len, use_qr ? NULL : folio, &c, &why) !=
        0)
        return show(req, who, folio, NULL, &why);
    return show(req, who, NULL, &c, NULL);
}

int page_reception_checkin(const struct web_request *req)
{
    return page_staff_form(req, &checkin_form, "folio", checkin_posted, form_refused);
}

static int status_posted(const struct web_request *req, const struct staff_member *who,
                         const struct form *f)
{
    struct store_appointment a;
    struct refusal why;
    if (reception_set_status(req, who, appointments_parse_id(req->params[0]),
                             form_get(f, "status", NULL), &a, &why) != 0)
        return show(req, who, NULL, NULL, &why);
    return page_go(req, "/personal/recepcion");
}

int page_reception_status(const struct web_request *req)
{
    return page_staff_form(req, &status_form, "status", status_posted, form_refused);
}
