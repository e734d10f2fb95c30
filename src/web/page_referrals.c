/*
 * The referral pages: /personal/referencias for staff (a diagnosis search as a
 * plain GET of the catalog, the form to refer a person, the incoming and
 * outgoing referrals with the changes this staff member may make) and
 * /cuenta/referencias for the person (their referrals, their state and history).
 * The person's key travels in the POST body only; links use referral ids. The
 * rules are web/referrals.c's.
 */
#include "web/routes.h"

#include "care/referral.h"
#include "web/form.h"
#include "web/page.h"
#include "web/page_staff.h"
#include "web/referrals.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Words for the states, urgencies, roles and outcomes, shared by both pages. */
static const struct page_text word_texts[] = {
    {"requested", {"Solicitada", "Requested"}},
    {"accepted", {"Aceptada", "Accepted"}},
    {"rejected", {"Rechazada", "Rejected"}},
    {"scheduled", {"Programada", "Scheduled"}},
    {"attended", {"Atendida", "Attended"}},
    {"closed", {"Cerrada", "Closed"}},
    {"cancelled", {"Cancelada", "Cancelled"}},
    {"routine", {"Ordinaria", "Routine"}},
    {"priority", {"Prioritaria", "Priority"}},
    {"urgent", {"Urgente", "Urgent"}},
    {"receptionist", {"Recepción", "Reception"}},
    {"physician", {"Médico", "Physician"}},
    {"social_worker", {"Trabajo social", "Social work"}},
    {"unit_admin", {"Administración de la unidad", "Unit administration"}},
    {"exempt", {"Exenta de cuota", "Exempt from fees"}},
    {"reduced", {"Cuota reducida", "Reduced fee"}},
    {"full", {"Cuota completa", "Full fee"}},
};

static const struct page_text staff_texts[] = {
    {"title", {"Referencias", "Referrals"}},
    {"heading", {"Referencias entre niveles de atención", "Referrals between levels of care"}},
    {"signed_in_as", {"Personal:", "Staff:"}},
    {"created", {"La referencia quedó registrada.", "The referral is recorded."}},
    {"changed", {"La referencia cambió de estado.", "The referral changed state."}},
    {"search_title", {"Buscar un diagnóstico CIE-10", "Find a CIE-10 diagnosis"}},
    {"search_label", {"Código o palabras", "Code or words"}},
    {"search_hint",
     {"Por ejemplo E11.9 o «diabetes sin complicación».",
      "For example E11.9 or “diabetes sin complicación”."}},
    {"search", {"Buscar", "Search"}},
    {"use_code", {"Usar este código", "Use this code"}},
    {"no_matches", {"Ningún diagnóstico coincide.", "No diagnosis matches."}},
    {"new_title", {"Referir a una persona", "Refer a person"}},
    {"person_label", {"CURP o folio de afiliación", "CURP or enrollment folio"}},
    {"person_hint",
     {"Se envía en el formulario, nunca en la dirección de la página.",
      "It is sent in the form, never in the page address."}},
    {"to_unit_label", {"Unidad que recibe", "Receiving unit"}},
    {"to_unit_hint",
     {"Las unidades más cercanas del siguiente nivel.", "The nearest units of the next level."}},
    {"cie10_label", {"Diagnóstico (CIE-10)", "Diagnosis (CIE-10)"}},
    {"reason_label", {"Motivo de la referencia", "Reason for the referral"}},
    {"urgency_label", {"Urgencia", "Urgency"}},
    {"urgency_default",
     {"Según el caso: urgente desde urgencias, si no ordinaria",
      "As the case is: urgent from the emergency room, else routine"}},
    {"emergency_label",
     {"Atención de urgencias (solo desde urgencias)", "Emergency encounter (emergency room only)"}},
    {"emergency_hint",
     {"El número de la atención abierta de la persona en esta unidad (UR26-…). Con él se "
      "refiere a cualquier unidad de segundo o tercer nivel, fuera del orden de niveles.",
      "The number of the person's open encounter at this unit (UR26-…). With it the referral "
      "may go to any level-2 or level-3 unit, outside the order of levels."}},
    {"emergency_units", {"Solo desde urgencias", "From the emergency room only"}},
    {"from_emergency", {"Desde urgencias", "From the emergency room"}},
    {"level", {"nivel", "level"}},
    {"refer", {"Referir", "Refer"}},
    {"incoming_title", {"Referencias recibidas", "Incoming referrals"}},
    {"outgoing_title", {"Referencias enviadas", "Outgoing referrals"}},
    {"none", {"No hay referencias.", "There are no referrals."}},
    {"col_id", {"Folio", "Id"}},
    {"col_person", {"Persona", "Person"}},
    {"col_diagnosis", {"Diagnóstico", "Diagnosis"}},
    {"col_units", {"De → a", "From → to"}},
    {"col_state", {"Estado", "State"}},
    {"col_next", {"Siguiente paso", "Next step"}},
    {"next_label", {"Cambiar a", "Change to"}},
    {"note_label", {"Nota (el rechazo necesita motivo)", "Note (a rejection needs a reason)"}},
    {"date_label", {"Fecha", "Date"}},
    {"time_label", {"Hora", "Time"}},
    {"apply", {"Aplicar", "Apply"}},
    {"audited",
     {"Cada persona mostrada y cada cambio quedan en la bitácora de accesos.",
      "Every person shown and every change is in the access log."}},
    {"lookup", {"Consultar a una persona", "Look a person up"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const struct page_text person_texts[] = {
    {"title", {"Mis referencias", "My referrals"}},
    {"heading", {"Mis referencias", "My referrals"}},
    {"lead",
     {"Cuando su unidad le refiere al segundo o al tercer nivel, aquí ve el estado y cada "
      "paso. El primer y el segundo nivel no cobran; en el tercero, trabajo social hace un "
      "estudio socioeconómico que decide la cuota.",
      "When your unit refers you to the second or third level, you see the state and every "
      "step here. The first and second levels charge nothing; at the third, social work does a "
      "socioeconomic study that decides the fee."}},
    {"none", {"No tiene referencias.", "You have no referrals."}},
    {"to", {"A", "To"}},
    {"from", {"Desde", "From"}},
    {"diagnosis", {"Diagnóstico", "Diagnosis"}},
    {"state", {"Estado", "State"}},
    {"scheduled_for", {"Cita", "Appointment"}},
    {"rejected_because", {"Motivo del rechazo", "Reason for rejection"}},
    {"no_charge", {"Sin costo", "No charge"}},
    {"fee", {"Cuota", "Fee"}},
    {"pesos", {"pesos", "pesos"}},
    {"history", {"Historial", "History"}},
    {"when", {"Cuándo (UTC)", "When (UTC)"}},
    {"who", {"Quién", "Who"}},
    {"back", {"Volver a mi cuenta", "Back to my account"}},
};

static const char *const create_fields[] = {"csrf",   "person",  "to_unit",   "cie10",
                                            "reason", "urgency", "emergency", NULL};
static const struct form_decl create_form = {create_fields, NULL, NULL};
static const char *const change_fields[] = {"csrf", "state", "note", "date", "time", NULL};
static const struct form_decl change_form = {change_fields, NULL, NULL};

/* Sets key_text beside key in obj: the word for the value of key. */
static void add_word(struct page *p, json_t *obj, const char *key, const char *key_text)
{
    const char *v = json_string_value(json_object_get(obj, key));
    if (v)
        json_object_set_new(obj, key_text, json_string(page_text(p, word_texts, N(word_texts), v)));
}

/* Words for a referral of the API's JSON and its events; the fee in pesos. */
static void add_words(struct page *p, json_t *r)
{
    size_t i;
    json_t *e;
    add_word(p, r, "state", "state_text");
    add_word(p, r, "urgency", "urgency_text");
    json_array_foreach(json_object_get(r, "events"), i, e)
    {
        add_word(p, e, "state", "state_text");
        add_word(p, e, "role", "role_text");
    }
    json_t *study = json_object_get(r, "study");
    if (json_is_object(study)) {
        char pesos[32];
        json_int_t c = json_integer_value(json_object_get(study, "fee_centavos"));
        snprintf(pesos, sizeof pesos, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
        json_object_set_new(study, "pesos", json_string(c ? pesos : ""));
        add_word(p, study, "outcome", "outcome_text");
    }
}

/* The changes who may make to a referral (from the rules), as choices. */
static json_t *next_steps(struct page *p, const struct staff_member *who, json_t *r)
{
    enum referral_state from;
    json_t *steps = json_array();
    const char *unit = who->account.unit;
    const char *from_unit =
                   json_string_value(json_object_get(json_object_get(r, "from_unit"), "clues")),
               *to_unit =
                   json_string_value(json_object_get(json_object_get(r, "to_unit"), "clues"));
    if (referral_state_parse(json_string_value(json_object_get(r, "state")), &from) != 0)
        return steps;
    enum referral_role role = who->scope.role == STAFF_PHYSICIAN    ? REFERRAL_ROLE_PHYSICIAN
                              : who->scope.role == STAFF_UNIT_ADMIN ? REFERRAL_ROLE_UNIT_ADMIN
                                                                    : REFERRAL_ROLE_OTHER;
    /* what the rules would allow given a note, a date and the study: the server
     * still says no, with the reason, when one is missing */
    struct referral_change c = {
        .role = role,
        .at_referring_unit = from_unit && strcmp(from_unit, unit) == 0,
        .at_receiving_unit = to_unit && strcmp(to_unit, unit) == 0,
        .to_level = (int)json_integer_value(json_object_get(r, "to_level")),
        .has_note = true,
        .has_schedule = true,
        .study_recorded = true,
    };
    for (int s = 0; s < REFERRAL_STATES; s++)
        if (referral_may_change(from, (enum referral_state)s, &c) == REFERRAL_ALLOWED) {
            const char *name = referral_state_name((enum referral_state)s);
            json_array_append_new(steps, json_pack("{s:s, s:s, s:b}", "state", name, "text",
                                                   page_text(p, word_texts, N(word_texts), name),
                                                   "scheduling", s == REFERRAL_SCHEDULED));
        }
    return steps;
}

static void add_list(struct page *p, const struct staff_member *who, bool incoming)
{
    struct refusal why;
    json_t *list = referrals_staff_list(p->req, who, incoming, &why);
    json_t *items = list ? json_object_get(list, "referrals") : NULL;
    size_t i;
    json_t *r;
    if (!items) {
        page_error(p, "list", why.message);
        json_decref(list);
        return;
    }
    json_array_foreach(items, i, r)
    {
        add_words(p, r);
        json_t *steps = next_steps(p, who, r);
        json_object_set_new(r, "has_steps", json_boolean(json_array_size(steps) > 0));
        json_object_set_new(r, "steps", steps);
    }
    json_object_set(p->view, incoming ? "incoming" : "outgoing", items);
    json_decref(list);
}

/* Marks the unit of units (a JSON array, or NULL) whose CLUES is chosen. */
static void mark_chosen(json_t *units, const char *chosen)
{
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) json_object_set_new(
        u, "selected",
        json_boolean(strcmp(json_string_value(json_object_get(u, "clues")), chosen) == 0));
}

static int show_staff(const struct web_request *req, const struct staff_member *who,
                      const struct referral_request *typed, const struct refusal *why)
{
    struct page p;
    struct refusal ignored;
    page_init(&p, req, staff_texts, N(staff_texts), "title");
    page_add_texts(&p, word_texts, N(word_texts));
    const char *unit_name = staff_unit_name(req, who->account.unit);
    json_object_set_new(p.view, "staff",
                        json_pack("{s:s, s:s?, s:s?}", "role_name",
                                  page_text(&p, word_texts, N(word_texts), who->account.role),
                                  "unit", who->account.unit[0] ? who->account.unit : NULL,
                                  "unit_name", unit_name[0] ? unit_name : NULL));
    const char *done = web_query(req, "hecho");
    if (done && !why && (strcmp(done, "creada") == 0 || strcmp(done, "cambio") == 0))
        json_object_set_new(
            p.view, "notice",
            json_string(page_text(&p, staff_texts, N(staff_texts),
                                  strcmp(done, "creada") == 0 ? "created" : "changed")));
    /* the diagnosis search: a GET of the catalog only, nothing about a person */
    const char *q = web_query(req, "q");
    json_object_set_new(p.view, "q", json_string(q ? q : ""));
    if (q && *q) {
        json_t *found = referrals_diagnoses(req, q, &ignored);
        json_t *list = found ? json_object_get(found, "diagnoses") : NULL;
        if (found)
            json_object_set_new(p.view, "searched", json_true());
        else
            json_object_set_new(p.view, "catalog_missing", json_string(ignored.message));
        if (list) {
            json_object_set(p.view, "diagnoses", list);
            json_object_set_new(p.view, "has_diagnoses", json_boolean(json_array_size(list)));
        }
        json_decref(found);
    }
    /* the form, for who may refer from here, with the suggested units (and, at a
     * hospital, the units an emergency referral may go to) */
    json_t *suggested = referrals_suggest(req, who, 0, &ignored);
    json_t *urgent = referrals_suggest_emergency(req, who);
    if (suggested || urgent) {
        const char *chosen = typed && typed->to_unit ? typed->to_unit : "";
        json_t *units = suggested ? json_object_get(suggested, "facilities") : NULL;
        json_t *emergency_units = urgent ? json_object_get(urgent, "facilities") : NULL;
        mark_chosen(units, chosen);
        mark_chosen(emergency_units, chosen);
        if (units)
            json_object_set(p.view, "units", units);
        if (emergency_units && json_array_size(emergency_units)) {
            json_object_set(p.view, "emergency_units", emergency_units);
            json_object_set_new(p.view, "has_emergency_units", json_true());
        }
        json_decref(suggested);
        json_decref(urgent);
        const char *cie10 = typed && typed->cie10 ? typed->cie10 : web_query(req, "cie10");
        json_object_set_new(p.view, "form",
                            json_pack("{s:s, s:s, s:s, s:b, s:s}", "cie10", cie10 ? cie10 : "",
                                      "reason", typed && typed->reason ? typed->reason : "",
                                      "urgency",
                                      typed && typed->urgency ? typed->urgency : "routine",
                                      "emergency_room", urgent != NULL, "emergency",
                                      typed && typed->emergency ? typed->emergency : ""));
    }
    add_list(&p, who, true);
    add_list(&p, who, false);
    if (why)
        page_error(&p, why->field ? why->field : "person", why->message);
    return page_send(&p, "page/staff_referrals", why ? why->status : MHD_HTTP_OK);
}

int page_staff_referrals(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    return show_staff(req, &who, NULL, NULL);
}

/* The page again with the refusal of a form that could not be read. */
static int form_refused(const struct web_request *req, const struct staff_member *who,
                        const struct refusal *why)
{
    return show_staff(req, who, NULL, why);
}

static int create_posted(const struct web_request *req, const struct staff_member *who,
                         const struct form *f)
{
    struct store_referral r;
    struct refusal why;
    struct referral_request in = {
        form_get(f, "person", NULL), form_get(f, "to_unit", NULL), form_get(f, "cie10", NULL),
        form_get(f, "reason", NULL), form_get(f, "urgency", NULL), form_get(f, "emergency", NULL),
    };
    return referrals_create(req, who, &in, &r, &why) == 0
               ? page_go(req, "/personal/referencias?hecho=creada")
               : show_staff(req, who, &in, &why);
}

int page_staff_referral_create(const struct web_request *req)
{
    return page_staff_form(req, &create_form, "person", create_posted, form_refused);
}

static int change_posted(const struct web_request *req, const struct staff_member *who,
                         const struct form *f)
{
    struct store_referral r;
    struct refusal why;
    return referrals_change(req, who, req->params[0], form_get(f, "state", NULL),
                            form_get(f, "note", NULL), form_get(f, "date", NULL),
                            form_get(f, "time", NULL), &r, &why) == 0
               ? page_go(req, "/personal/referencias?hecho=cambio")
               : show_staff(req, who, NULL, &why);
}

int page_staff_referral_change(const struct web_request *req)
{
    return page_staff_form(req, &change_form, "state", change_posted, form_refused);
}

int page_account_referrals(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    json_t *list = referrals_person_list(req, &reg);
    if (!list)
        return page_fail(req);
    struct page p;
    page_init(&p, req, person_texts, N(person_texts), "title");
    json_t *items = json_object_get(list, "referrals");
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r) add_words(&p, r);
    json_object_set(p.view, "referrals", items);
    json_decref(list);
    return page_send(&p, "page/account_referrals", MHD_HTTP_OK);
}
