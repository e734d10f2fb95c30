/*
 * Step 8 of the wizard: /registro/revision shows everything the application
 * holds, with a way back to each step and what is still missing; POST
 * /registro/enviar submits it (enrollment_submit, the same as the API's); and
 * /registro/listo shows the folio of the active enrollment.
 */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text review_texts[] = {
    {"title", {"Paso 8 de 8: revise y envíe", "Step 8 of 8: review and send"}},
    {"heading", {"Paso 8 de 8: revise y envíe", "Step 8 of 8: review and send"}},
    {"lead",
     {"Revise sus datos. Puede volver a cualquier paso para corregirlos antes de enviar.",
      "Check your details. You can go back to any step to correct them before sending."}},
    {"missing_title", {"Antes de enviar le falta:", "Before sending you still need to:"}},
    {"person_title", {"Sus datos de la CURP", "Your details from the CURP"}},
    {"names", {"Nombre", "Name"}},
    {"change_names", {"Cambiar nombre", "Change name"}},
    {"birth_date", {"Fecha de nacimiento", "Date of birth"}},
    {"sex", {"Sexo", "Sex"}},
    {"contact_title", {"Contacto", "Contact"}},
    {"state", {"Entidad donde vive", "State where you live"}},
    {"email", {"Correo electrónico", "Email"}},
    {"verified", {"confirmado", "confirmed"}},
    {"phone", {"Celular", "Mobile phone"}},
    {"privacy", {"Aviso de privacidad", "Privacy notice"}},
    {"none", {"(sin dato)", "(not given)"}},
    {"change_contact", {"Cambiar contacto", "Change contact details"}},
    {"password_title", {"Contraseña", "Password"}},
    {"change_password", {"Cambiar contraseña", "Change password"}},
    {"address_title", {"Domicilio", "Address"}},
    {"change_address", {"Cambiar domicilio", "Change address"}},
    {"documents_title", {"Documentos", "Documents"}},
    {"received", {"recibida", "received"}},
    {"change_documents", {"Cambiar fotos", "Change photos"}},
    {"declaration",
     {"Al enviar, declaro que los datos y documentos son verdaderos y míos.",
      "By sending, I declare that the details and documents are true and mine."}},
    {"submit", {"Enviar mi solicitud", "Send my application"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const struct page_text done_texts[] = {
    {"title", {"Su afiliación está activa", "Your enrollment is active"}},
    {"heading", {"Su afiliación está activa", "Your enrollment is active"}},
    {"lead",
     {"Listo: ya está afiliado a IMSS-Bienestar. La atención en el primer y segundo nivel es "
      "gratuita.",
      "Done: you are enrolled in IMSS-Bienestar. Care at the first and second level is free."}},
    {"folio", {"Folio", "Folio"}},
    {"status", {"Estado", "Status"}},
    {"active", {"Activa", "Active"}},
    {"keep_folio",
     {"Anote su folio o tome una captura de esta pantalla.",
      "Write down your folio or take a screenshot of this screen."}},
    {"next_title", {"Qué sigue", "What comes next"}},
    {"next_clinic",
     {"Su atención empieza en el centro de salud más cercano a su domicilio.",
      "Your care starts at the health centre nearest to your address."}},
    {"next_credential",
     {"Su credencial digital, con un código QR que cualquier clínica puede verificar, aparecerá "
      "aquí.",
      "Your digital credential, with a QR code any clinic can verify, will appear here."}},
    {"next_sign_in",
     {"Para volver a consultar su afiliación entre con su CURP o su correo y su contraseña.",
      "To see your enrollment again, sign in with your CURP or email and your password."}},
    {"coverage", {"Qué cubre IMSS-Bienestar", "What IMSS-Bienestar covers"}},
};

/* Where each step of enrollment_steps is done. */
static const char *const step_paths[ENROLLMENT_STEPS] = {
    "/registro/nombre",     "/registro/contacto",   "/registro/verificacion",
    "/registro/contacto",   "/registro/contrasena", "/registro/domicilio",
    "/registro/documentos", "/registro/documentos", "/registro/documentos",
    "/registro/documentos",
};

const char *page_step_path(int step)
{
    return step >= 0 && step < ENROLLMENT_STEPS ? step_paths[step] : "/registro/estado";
}

static const char *const csrf_only[] = {"csrf", NULL};
static const struct form_decl csrf_form = {csrf_only, NULL, NULL};

static const char *state_name(const struct web_request *req, int code)
{
    const struct catalog_state *st = catalog_state_by_code(req->app->catalog, code);
    return st ? st->name : "";
}

/* The person's details as the CURP states them: birth date and sex. */
static void curp_details(struct page *p, const char *curp)
{
    static const struct page_text sexes[] = {
        {"H", {"Hombre", "Male"}}, {"M", {"Mujer", "Female"}}, {"X", {"No binario", "Non-binary"}}};
    struct curp_result r;
    char date[16] = "", sex[2] = "";
    if (curp_validate(curp, strlen(curp), 0, &r) == CURP_VALID) {
        snprintf(date, sizeof date, "%02d/%02d/%04d", r.day % 100, r.month % 100, r.year % 10000);
        sex[0] = r.sex;
    }
    json_object_set_new(p->view, "curp", json_string(curp));
    json_object_set_new(p->view, "birth_date", json_string(date));
    json_object_set_new(p->view, "sex", json_string(page_text(p, sexes, N(sexes), sex)));
}

void page_registration_view(struct page *p, const struct store_registration *reg)
{
    const struct web_request *req = p->req;
    curp_details(p, reg->curp);
    const struct store_names *n = &reg->names;
    if (n->given_names[0])
        json_object_set_new(p->view, "names",
                            json_pack("{s:s, s:s, s:s}", "given_names", n->given_names,
                                      "first_surname", n->first_surname, "second_surname",
                                      n->second_surname));
    const struct store_contact *c = &reg->contact;
    json_object_set_new(p->view, "state", json_string(state_name(req, c->state)));
    json_object_set_new(p->view, "email", json_string(c->email));
    json_object_set_new(p->view, "email_verified", json_boolean(c->email_verified_at != 0));
    json_object_set_new(p->view, "phone", json_string(c->phone));
    json_object_set_new(p->view, "phone_confirmed", json_boolean(c->phone_confirmed));
    json_object_set_new(p->view, "privacy", json_string(c->privacy_version));
    json_object_set_new(p->view, "folio", json_string(reg->folio));
    const struct store_address *a = &reg->address;
    if (a->recorded_at) {
        const struct catalog_municipality *m =
            catalog_municipality(req->app->catalog, a->state, a->municipality);
        json_object_set_new(p->view, "address",
                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "street", a->street,
                                      "number", a->number, "interior", a->interior, "settlement",
                                      a->settlement, "postal_code", a->postal_code, "municipality",
                                      m ? m->name : "", "state", state_name(req, a->state)));
    }
    json_object_set_new(p->view, "documents", page_documents_view(req, reg));
}

static int show_review(const struct web_request *req, const struct store_registration *reg,
                       const struct refusal *why)
{
    struct page p;
    page_init(&p, req, review_texts, N(review_texts), "title");
    bool missing[ENROLLMENT_STEPS];
    json_t *list = json_array();
    int left = enrollment_missing(reg, missing);
    for (int i = 0; i < ENROLLMENT_STEPS; i++)
        if (missing[i])
            json_array_append_new(list, json_pack("{s:s, s:s}", "text",
                                                  i18n(req->lang, enrollment_steps[i].msg), "path",
                                                  step_paths[i]));
    json_object_set_new(p.view, "missing", list);
    json_object_set_new(p.view, "incomplete", json_boolean(left > 0));
    page_registration_view(&p, reg);
    json_object_set_new(
        p.view, "password",
        json_string(i18n(req->lang, reg->password_set ? MSG_PASSWORD_SAVED : MSG_STEP_PASSWORD)));
    if (why)
        page_error(&p, why->field, why->message);
    return page_send(&p, "page/review", why ? why->status : MHD_HTTP_OK);
}

int page_review(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    return show_review(req, &reg, NULL);
}

int page_submit(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    char folio[FOLIO_LENGTH + 1];
    bool missing[ENROLLMENT_STEPS];
    if (page_read_form(req, &csrf_form, &f, NULL, &why) != 0 ||
        enrollment_submit(req, &reg, folio, missing, &why) != 0)
        ret = show_review(req, &reg, &why);
    else
        ret = page_go(req, "/registro/listo");
    form_release(&f);
    return ret;
}

int page_done(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    if (reg.status != STORE_REG_ACTIVE)
        return page_go(req, "/registro/revision");
    struct page p;
    page_init(&p, req, done_texts, N(done_texts), "title");
    page_registration_view(&p, &reg);
    return page_send(&p, "page/done", MHD_HTTP_OK);
}
