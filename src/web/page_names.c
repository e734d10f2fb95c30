/*
 * The person's names as on the birth certificate, checked against the CURP by
 * enrollment_names (the API's rules): step 2 of the wizard, /registro/nombre,
 * and for an active enrollment the correction page /cuenta/nombre, which keeps
 * the old names in the enrollment's history.
 */
#include "web/routes.h"

#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Paso 2 de 8: su nombre", "Step 2 of 8: your name"}},
    {"lead",
     {"Escriba su nombre y sus apellidos tal como aparecen en su acta de nacimiento o en su "
      "constancia de CURP: los comparamos con su CURP.",
      "Write your names and surnames exactly as on your birth certificate or your CURP record: "
      "we check them against your CURP."}},
    {"correction_title", {"Corregir mi nombre", "Correct my name"}},
    {"correction_lead",
     {"Corrija su nombre si no quedó escrito como en su acta de nacimiento. El nombre anterior "
      "queda en el historial de su afiliación.",
      "Correct your name if it is not written as on your birth certificate. The previous name "
      "stays in your enrollment's history."}},
    {"given_label", {"Nombre o nombres", "Given name or names"}},
    {"given_hint", {"Ejemplo: María del Carmen", "Example: María del Carmen"}},
    {"first_label", {"Primer apellido", "First surname"}},
    {"first_hint", {"Ejemplo: Loredo", "Example: Loredo"}},
    {"second_label", {"Segundo apellido", "Second surname"}},
    {"second_hint",
     {"Déjelo vacío si su acta de nacimiento tiene un solo apellido.",
      "Leave it empty if your birth certificate has only one surname."}},
    {"continue", {"Guardar y continuar", "Save and continue"}},
    {"status_link", {"Ver los pasos de mi solicitud", "See the steps of my application"}},
    {"back_link", {"Volver a mi cuenta", "Back to my account"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const char *const fields[] = {"csrf", "given_names", "first_surname", "second_surname",
                                     NULL};
static const struct form_decl declaration = {fields, NULL, NULL};

/* The two uses of the page: a step of the wizard, and a correction of an active
 * enrollment from the account page. */
struct names_mode {
    const char *path;                /* where the form is sent */
    const char *title, *lead, *back; /* keys of the texts; back: the link's text */
    const char *back_path, *next;    /* the link under the form; where saved names lead */
    int (*load)(const struct web_request *req, struct store_registration *reg, int *ret);
};

static const struct names_mode wizard = {
    "/registro/nombre",   "title",        "lead", "status_link", "/registro/estado",
    "/registro/contacto", page_need_draft};
static const struct names_mode correction = {
    "/cuenta/nombre", "correction_title",         "correction_lead", "back_link",
    "/cuenta",        "/cuenta?nombre=corregido", page_need_session};

static int show(const struct web_request *req, const struct names_mode *mode,
                const struct enrollment_names_input *in, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, texts, N(texts), mode->title);
    static const char *const keys[] = {"heading", "lead", "back_text"};
    const char *const values[] = {mode->title, mode->lead, mode->back};
    for (size_t i = 0; i < N(keys); i++)
        json_object_set_new(p.view, keys[i],
                            json_string(page_text(&p, texts, N(texts), values[i])));
    json_object_set_new(p.view, "action", json_string(mode->path));
    json_object_set_new(p.view, "back", json_string(mode->back_path));
    json_object_set_new(p.view, "given_names", json_string(in->given_names ? in->given_names : ""));
    json_object_set_new(p.view, "first_surname",
                        json_string(in->first_surname ? in->first_surname : ""));
    json_object_set_new(p.view, "second_surname",
                        json_string(in->second_surname ? in->second_surname : ""));
    if (why)
        page_error(&p, why->field ? why->field : "given_names", why->message);
    return page_send(&p, "page/names", why ? why->status : MHD_HTTP_OK);
}

static int names_get(const struct web_request *req, const struct names_mode *mode)
{
    struct store_registration reg;
    int ret;
    if (mode->load(req, &reg, &ret) != 0)
        return ret;
    const struct enrollment_names_input stored = {reg.names.given_names, reg.names.first_surname,
                                                  reg.names.second_surname};
    return show(req, mode, &stored, NULL);
}

static int names_post(const struct web_request *req, const struct names_mode *mode)
{
    struct store_registration reg;
    int ret;
    if (mode->load(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    if (page_read_form(req, &declaration, &f, "given_names", &why) != 0) {
        const struct enrollment_names_input none = {0};
        ret = show(req, mode, &none, &why);
        form_release(&f);
        return ret;
    }
    const struct enrollment_names_input in = {form_get(&f, "given_names", NULL),
                                              form_get(&f, "first_surname", NULL),
                                              form_get(&f, "second_surname", NULL)};
    enum enrollment_names_outcome outcome;
    if (enrollment_names(req, &reg, &in, &outcome, &why) == 0)
        ret = page_go(req, mode->next);
    else
        ret = show(req, mode, &in, &why);
    form_release(&f);
    return ret;
}

int page_names_get(const struct web_request *req)
{
    return names_get(req, &wizard);
}

int page_names_post(const struct web_request *req)
{
    return names_post(req, &wizard);
}

int page_name_correction_get(const struct web_request *req)
{
    return names_get(req, &correction);
}

int page_name_correction_post(const struct web_request *req)
{
    return names_post(req, &correction);
}
