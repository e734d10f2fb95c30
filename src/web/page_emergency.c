/*
 * The emergency desk page of a hospital unit, /personal/urgencias: the form to
 * open an encounter (with a CURP, a name only, or an unidentified person
 * described), the open encounters of the unit with what can happen to each
 * (identify, merge, discharge, transfer), and, after a discharge of a person
 * without an enrollment, the invitation to register to hand over. Posts carry
 * the encounter's opaque id and the CURP in the body, never in the URL; a refused
 * change is shown at the field of that encounter's own form in the list. The
 * rules are web/emergency.c's; reads and changes are audited there.
 */
#include "web/routes.h"

#include "web/emergency.h"
#include "web/form.h"
#include "web/page.h"
#include "web/page_staff.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Urgencias", "Emergencies"}},
    {"heading", {"Urgencias", "Emergencies"}},
    {"lead",
     {"Se atiende a toda persona, afiliada o no. No se pide registro, documento ni pago antes "
      "de atender.",
      "Everyone is seen, enrolled or not. No registration, document or payment is asked for "
      "before care."}},
    {"open_heading", {"Abrir una atención", "Open an encounter"}},
    {"triage", {"Clasificación (triage)", "Triage"}},
    {"red", {"Rojo: inmediata", "Red: immediate"}},
    {"orange", {"Naranja: muy urgente", "Orange: very urgent"}},
    {"yellow", {"Amarillo: urgente", "Yellow: urgent"}},
    {"green", {"Verde: poco urgente", "Green: standard"}},
    {"blue", {"Azul: no urgente", "Blue: non-urgent"}},
    {"identity", {"¿Quién es?", "Who is it?"}},
    {"by_curp", {"Con CURP", "With a CURP"}},
    {"by_name", {"Solo con nombre", "With a name only"}},
    {"unidentified", {"Persona no identificada", "Unidentified person"}},
    {"curp", {"CURP", "CURP"}},
    {"name", {"Nombre", "Name"}},
    {"sex", {"Sexo (si se sabe)", "Sex (if known)"}},
    {"unknown", {"No se sabe", "Not known"}},
    {"female", {"Mujer", "Female"}},
    {"male", {"Hombre", "Male"}},
    {"apparent_age", {"Edad aparente (años)", "Apparent age (years)"}},
    {"features", {"Señas particulares", "Distinguishing features"}},
    {"found_where", {"Dónde se le encontró", "Where the person was found"}},
    {"open", {"Abrir la atención", "Open the encounter"}},
    {"list_heading", {"Atenciones abiertas en la unidad", "Open encounters at the unit"}},
    {"none", {"No hay atenciones abiertas.", "There are no open encounters."}},
    {"number", {"Número", "Number"}},
    {"who", {"Persona", "Person"}},
    {"enrolled", {"Afiliada", "Enrolled"}},
    {"not_enrolled", {"Sin afiliación", "Not enrolled"}},
    {"identify", {"Identificar con CURP", "Identify with a CURP"}},
    {"merge", {"Unir a la atención número", "Merge into encounter number"}},
    {"transfer_to", {"Trasladar a la unidad (CLUES)", "Transfer to the unit (CLUES)"}},
    {"do_identify", {"Identificar", "Identify"}},
    {"do_merge", {"Unir", "Merge"}},
    {"do_discharge", {"Dar de alta", "Discharge"}},
    {"do_transfer", {"Trasladar", "Transfer"}},
    {"opened", {"Atención abierta:", "Encounter opened:"}},
    {"changed", {"Atención actualizada:", "Encounter updated:"}},
    {"invitation_heading", {"Invitación a afiliarse", "Invitation to enroll"}},
    {"invitation_curp", {"CURP para escribir en la página:", "CURP to type on the page:"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const char *const open_fields[] = {"csrf", "triage",       "identity", "curp",        "name",
                                          "sex",  "apparent_age", "features", "found_where", NULL};
static const struct form_decl open_form = {open_fields, NULL, NULL};
static const char *const event_fields[] = {"csrf", "id",          "kind", "curp",
                                           "into", "transfer_to", NULL};
static const struct form_decl event_form = {event_fields, NULL, NULL};

/* A refused change of encounter id: its field (curp, into, transfer_to) is the
 * one in that encounter's own form in the list, marked there with the message;
 * field_id gets that input's id ("" when no listed form has the field). */
static void mark_event_field(json_t *list, const char *id, const struct refusal *failed,
                             char *field_id, size_t size)
{
    static const char *const inputs[][2] = {
        {"curp", "curp"}, {"into", "into"}, {"transfer_to", "to"}};
    field_id[0] = '\0';
    const char *prefix = NULL;
    for (size_t i = 0; i < N(inputs) && failed->field && !prefix; i++)
        if (strcmp(failed->field, inputs[i][0]) == 0)
            prefix = inputs[i][1];
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *listed = json_string_value(json_object_get(e, "id"));
        if (!prefix || !listed || strcmp(listed, id) != 0)
            continue;
        json_object_set_new(e, "invalid", json_pack("{s:s}", prefix, failed->message));
        snprintf(field_id, size, "%s-%s", prefix, id);
    }
}

/* The page: a result (an encounter just opened or changed) or a refusal on top,
 * then the form and the open list (each listed encounter is an audited read).
 * A refused change names its encounter in event_id, for the field in its row. */
static int show(const struct web_request *req, const struct staff_member *who, const char *notice,
                const struct store_emergency *done, const struct refusal *failed,
                const char *event_id)
{
    struct page p;
    struct refusal why;
    page_init(&p, req, texts, N(texts), "title");
    json_t *list = emergency_open_list(req, who, &why);
    if (!list) { /* a role without emergencies, or the database */
        json_object_set_new(p.view, "heading",
                            json_string(page_text(&p, texts, N(texts), "title")));
        json_object_set_new(p.view, "message", json_string(why.message));
        return page_send(&p, "page/error", why.status);
    }
    unsigned status = failed ? failed->status : MHD_HTTP_OK;
    char row_field[8 + STORE_EMERGENCY_ID_LEN] = "";
    if (failed && event_id)
        mark_event_field(list, event_id, failed, row_field, sizeof row_field);
    if (failed && event_id)
        page_error(&p, row_field[0] ? row_field : NULL, failed->message);
    else if (failed)
        page_error(&p, failed->field ? failed->field : "triage", failed->message);
    if (done) {
        json_t *e = emergency_json(req, done);
        json_object_set_new(e, "notice", json_string(page_text(&p, texts, N(texts), notice)));
        json_object_set_new(p.view, "done", e);
    }
    json_object_set_new(p.view, "has_open", json_boolean(json_array_size(list) > 0));
    json_object_set_new(p.view, "open", list);
    return page_send(&p, "page/staff_emergencies", status);
}

int page_staff_emergencies(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    return show(req, &who, NULL, NULL, NULL, NULL);
}

static int open_posted(const struct web_request *req, const struct staff_member *who,
                       const struct form *f)
{
    struct emergency_intake_input in = {
        form_get(f, "triage", NULL),   form_get(f, "identity", NULL),
        form_get(f, "curp", NULL),     form_get(f, "name", NULL),
        form_get(f, "sex", NULL),      form_get(f, "apparent_age", NULL),
        form_get(f, "features", NULL), form_get(f, "found_where", NULL),
    };
    struct store_emergency e;
    struct refusal why;
    char existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    return emergency_open(req, who, &in, &e, existing, &why) == 0
               ? show(req, who, "opened", &e, NULL, NULL)
               : show(req, who, NULL, NULL, &why, NULL);
}

int page_staff_emergency_open(const struct web_request *req)
{
    return page_staff_form(req, &open_form, "triage", open_posted, NULL);
}

static int event_posted(const struct web_request *req, const struct staff_member *who,
                        const struct form *f)
{
    struct emergency_event ev = {form_get(f, "kind", NULL), form_get(f, "curp", NULL),
                                 form_get(f, "into", NULL), form_get(f, "transfer_to", NULL)};
    struct store_emergency e;
    struct refusal why;
    char existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    const char *id = form_get(f, "id", NULL);
    return emergency_apply(req, who, id, &ev, &e, existing, &why) == 0
               ? show(req, who, "changed", &e, NULL, NULL)
               : show(req, who, NULL, NULL, &why, id ? id : "");
}

int page_staff_emergency_event(const struct web_request *req)
{
    return page_staff_form(req, &event_form, "kind", event_posted, NULL);
}
