/*
 * Step 6 of the wizard, /registro/domicilio: the address, without JavaScript.
 *
 * Two stages on one URL. First a GET form asks the postal code (and, when the
 * SEPOMEX catalog is not imported, the state); its answer is the same page with
 * ?cp=...: with the catalog, state and municipality are fixed by the postal code
 * and the settlement is chosen from its list; without it, the municipality is
 * chosen from the state's list and the settlement typed. The POST is checked by
 * enrollment_address, the same rules as the API's.
 */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Paso 6 de 8: su domicilio", "Step 6 of 8: your address"}},
    {"heading", {"Paso 6 de 8: su domicilio", "Step 6 of 8: your address"}},
    {"move_title", {"Cambiar mi domicilio", "Change my address"}},
    {"back_link", {"Volver a mi cuenta", "Back to my account"}},
    {"lead",
     {"Con su domicilio le asignamos el centro de salud más cercano.",
      "Your address tells us which health centre is nearest to you."}},
    {"cp_label", {"Código postal", "Postal code"}},
    {"cp_hint", {"5 números. Ejemplo: 68000", "5 digits. Example: 68000"}},
    {"state_label", {"Entidad", "State"}},
    {"choose", {"Elija una entidad", "Choose a state"}},
    {"search", {"Buscar", "Look up"}},
    {"find_cp",
     {"¿No sabe su código postal? Consúltelo en Correos de México",
      "Don't know your postal code? Look it up at Correos de México"}},
    {"change_cp", {"Cambiar código postal", "Change postal code"}},
    {"municipality_label", {"Municipio o alcaldía", "Municipality"}},
    {"choose_municipality", {"Elija un municipio", "Choose a municipality"}},
    {"settlement_label", {"Colonia o localidad", "Neighbourhood or locality"}},
    {"street_label", {"Calle", "Street"}},
    {"number_label", {"Número exterior", "Street number"}},
    {"number_hint", {"Si no tiene, escriba SN.", "If there is none, write SN."}},
    {"interior_label", {"Número interior (opcional)", "Apartment or unit (optional)"}},
    {"position_legend", {"Ubicación exacta (opcional)", "Exact location (optional)"}},
    {"position_hint",
     {"Si la conoce, escriba la latitud y la longitud de su casa (en su teléfono: mantenga "
      "presionado el punto en el mapa). Con ella le asignamos la unidad de salud más cercana a "
      "su casa; sin ella, la más cercana a su localidad o a la cabecera municipal.",
      "If you know them, type the latitude and longitude of your home (on a phone: press and "
      "hold the spot on a map). With them we assign the clinic nearest to your home; without "
      "them, the one nearest to your locality or the municipal seat."}},
    {"lat_label", {"Latitud (ejemplo: 17.0654)", "Latitude (example: 17.0654)"}},
    {"lon_label", {"Longitud (ejemplo: -96.7237)", "Longitude (example: -96.7237)"}},
    {"continue", {"Guardar y continuar", "Save and continue"}},
    {"status_link", {"Ver los pasos de mi solicitud", "See the steps of my application"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const char *const fields[] = {"csrf",       "postal_code", "state",  "municipality",
                                     "settlement", "street",      "number", "interior",
                                     "lat",        "lon",         NULL};
static const struct form_decl declaration = {fields, NULL, NULL};

/* The two uses of the page: a step of the wizard, and a move of an active
 * enrollment from the account page (the history keeps every address). */
struct address_mode {
    const char *path;     /* where the forms are sent */
    const char *title;    /* key of the page's title and heading */
    const char *next;     /* where a saved address leads */
    const char *back;     /* the link under the form */
    const char *back_key; /* its text */
    int (*load)(const struct web_request *req, struct store_registration *reg, int *ret);
};

static const struct address_mode wizard = {"/registro/domicilio",  "title",
                                           "/registro/documentos", "/registro/estado",
                                           "status_link",          page_need_draft};
static const struct address_mode move = {
    "/cuenta/domicilio", "move_title", "/cuenta?domicilio=cambiado",
    "/cuenta",           "back_link",  page_need_session};

/* What the second stage shows: the typed or stored values. */
struct address_values {
    const char *cp, *state, *municipality, *settlement, *street, *number, *interior;
    const char *lat, *lon; /* the chosen position, as typed or stored */
};

static void set_text(json_t *view, const char *key, const char *value)
{
    json_object_set_new(view, key, json_string(value ? value : ""));
}

/* The first stage: the postal-code form, with an error at field when why is set. */
static int show_lookup(struct page *p, const char *cp, int state, const struct refusal *why)
{
    json_object_set_new(p->view, "lookup", json_true());
    set_text(p->view, "cp", cp);
    if (!p->req->app->postal) {
        json_object_set_new(p->view, "need_state", json_true());
        json_object_set_new(p->view, "states", page_state_options(p->req, state));
    }
    if (why)
        page_error(p, why->field, why->message);
    return page_send(p, "page/address", why ? why->status : MHD_HTTP_OK);
}

static int refuse(const struct web_request *req, struct refusal *why, const char *field,
                  enum i18n_msg msg)
{
    *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", field, ""};
    snprintf(why->message, sizeof why->message, "%s", i18n(req->lang, msg));
    return -1;
}

/* Fills the second stage's place (state, municipality, settlements) from the
 * postal code, or says why the first stage must be shown again (at cp or estado). */
static int place_choices(struct page *p, const struct address_values *v, struct refusal *why)
{
    const struct web_request *req = p->req;
    const char *cp = v->cp;
    if (!cp || !*cp)
        return refuse(req, why, "cp", MSG_FIELD_REQUIRED);
    if (!postal_valid_code(cp, strlen(cp)))
        return refuse(req, why, "cp", MSG_POSTAL_CODE_SHAPE);
    char state_text[8];
    int state;
    size_t n = 0;
    const struct postal_settlement *s = NULL;
    if (req->app->postal) {
        s = postal_lookup(req->app->postal, cp, &n);
        if (n == 0)
            return refuse(req, why, "cp", MSG_POSTAL_CODE_UNKNOWN);
        snprintf(state_text, sizeof state_text, "%02d", s[0].state % 100);
    } else {
        snprintf(state_text, sizeof state_text, "%s", v->state ? v->state : "");
    }
    if (enrollment_check_state(req, state_text, &state, why) != 0) {
        why->field = req->app->postal ? "cp" : "estado";
        return -1;
    }
    const struct catalog_state *st = catalog_state_by_code(req->app->catalog, state);
    json_object_set_new(p->view, "state_code", json_string(state_text));
    json_object_set_new(p->view, "state_name", json_string(st->name));
    if (s) {
        const struct catalog_municipality *m =
            catalog_municipality(req->app->catalog, s[0].state, s[0].municipality);
        char code[8];
        snprintf(code, sizeof code, "%03d", s[0].municipality % 1000);
        json_object_set_new(p->view, "municipality_code", json_string(code));
        json_object_set_new(p->view, "municipality_name", json_string(m ? m->name : code));
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:b}", "name", s[i].name, "type", s[i].type, "selected",
                                v->settlement && strcmp(v->settlement, s[i].name) == 0));
        json_object_set_new(p->view, "settlements", list);
        json_object_set_new(p->view, "has_settlements", json_true());
        return 0;
    }
    size_t count;
    const struct catalog_municipality *m =
        catalog_municipalities_of(req->app->catalog, state, &count);
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        char code[8];
        snprintf(code, sizeof code, "%03d", m[i].code % 1000);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:b}", "code", code, "name", m[i].name, "selected",
                            v->municipality && strcmp(v->municipality, code) == 0));
    }
    json_object_set_new(p->view, "municipalities", list);
    return 0;
}

/* The second stage with v, or the first when the postal code does not lead there. */
static int show(const struct web_request *req, const struct address_mode *mode,
                const struct address_values *v, const struct refusal *error)
{
    struct page p;
    page_init(&p, req, texts, N(texts), mode->title);
    json_object_set_new(p.view, "action", json_string(mode->path));
    json_object_set_new(p.view, "heading",
                        json_string(page_text(&p, texts, N(texts), mode->title)));
    json_object_set_new(p.view, "back", json_string(mode->back));
    json_object_set_new(p.view, "back_text",
                        json_string(page_text(&p, texts, N(texts), mode->back_key)));
    struct refusal why;
    if (place_choices(&p, v, &why) != 0) {
        int state = 0;
        if (v->state && strlen(v->state) == 2 && strspn(v->state, "0123456789") == 2)
            state = (v->state[0] - '0') * 10 + (v->state[1] - '0');
        /* A form refused as a whole says so; a first visit (no postal code asked
         * yet) is not an error; otherwise the postal code is at fault. */
        const struct refusal *shown = error && strcmp(error->code, "form") == 0 ? error
                                      : (v->cp && *v->cp) || error              ? &why
                                                                                : NULL;
        return show_lookup(&p, v->cp, state, shown);
    }
    set_text(p.view, "cp", v->cp);
    set_text(p.view, "settlement", v->settlement);
    set_text(p.view, "street", v->street);
    set_text(p.view, "number", v->number);
    set_text(p.view, "interior", v->interior);
    set_text(p.view, "lat", v->lat);
    set_text(p.view, "lon", v->lon);
    if (error)
        page_error(&p, error->field, error->message);
    return page_send(&p, "page/address", error ? error->status : MHD_HTTP_OK);
}

static int address_get(const struct web_request *req, const struct address_mode *mode)
{
    struct store_registration reg;
    int ret;
    if (mode->load(req, &reg, &ret) != 0)
        return ret;
    const struct store_address *a = &reg.address;
    char state[8], municipality[8];
    snprintf(state, sizeof state, "%02d", a->state % 100);
    snprintf(municipality, sizeof municipality, "%03d", a->municipality % 1000);
    struct address_values v = {0};
    char lat[32] = "", lon[32] = "", err[256];
    double chosen_lat, chosen_lon;
    if (web_query(req, "cp")) {
        v.cp = web_query(req, "cp");
        v.state = web_query(req, "estado");
    } else if (a->recorded_at && !web_query(req, "cambiar")) {
        int chosen = store_chosen_position_get(req->app->store, reg.id, &chosen_lat, &chosen_lon,
                                               err, sizeof err);
        if (chosen < 0)
            return page_fail(req);
        if (chosen == 1) {
            snprintf(lat, sizeof lat, "%.6f", chosen_lat);
            snprintf(lon, sizeof lon, "%.6f", chosen_lon);
        }
        v = (struct address_values){a->postal_code, state,     municipality,
                                    a->settlement,  a->street, a->number,
                                    a->interior,    lat,       lon};
    }
    return show(req, mode, &v, NULL);
}

static int address_post(const struct web_request *req, const struct address_mode *mode)
{
    struct store_registration reg;
    int ret;
    if (mode->load(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    if (page_read_form(req, &declaration, &f, "street", &why) != 0) {
        struct address_values none = {0};
        ret = show(req, mode, &none, &why);
        form_release(&f);
        return ret;
    }
    const struct enrollment_address_input in = {
        form_get(&f, "postal_code", NULL),  form_get(&f, "state", NULL),
        form_get(&f, "municipality", NULL), form_get(&f, "settlement", NULL),
        form_get(&f, "street", NULL),       form_get(&f, "number", NULL),
        form_get(&f, "interior", NULL),     form_get(&f, "lat", NULL),
        form_get(&f, "lon", NULL)};
    if (enrollment_address(req, &reg, &in, &why) == 0) {
        ret = page_go(req, mode->next);
    } else {
        const struct address_values typed = {in.postal_code, in.state,  in.municipality,
                                             in.settlement,  in.street, in.number,
                                             in.interior,    in.lat,    in.lon};
        /* A postal code or state at fault sends the person back to the first stage. */
        if (why.field && (strcmp(why.field, "postal_code") == 0 || strcmp(why.field, "state") == 0))
            why.field = "cp";
        ret = show(req, mode, &typed, &why);
    }
    form_release(&f);
    return ret;
}

int page_address_get(const struct web_request *req)
{
    return address_get(req, &wizard);
}

int page_address_post(const struct web_request *req)
{
    return address_post(req, &wizard);
}

int page_move_get(const struct web_request *req)
{
    return address_get(req, &move);
}

int page_move_post(const struct web_request *req)
{
    return address_post(req, &move);
}
