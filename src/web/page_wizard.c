/*
 * The wizard after its first step: contact data and privacy notice
 * (/registro/contacto) and the application's status (/registro/estado); the
 * codes that follow the contact step are page_codes.c's. Each page needs the application
 * cookie set by /registro/curp and applies the same rules as the JSON API
 * (web/enrollment.c). Without the cookie, a page sends the person back to the
 * first step.
 */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"
#include "web/privacy_notice.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text contact_texts[] = {
    {"title", {"Paso 3 de 8: sus datos de contacto", "Step 3 of 8: your contact details"}},
    {"heading", {"Paso 3 de 8: sus datos de contacto", "Step 3 of 8: your contact details"}},
    {"lead",
     {"Le enviaremos un código a su correo para confirmar que es suyo.",
      "We will send a code to your email to confirm it is yours."}},
    {"state_label", {"Entidad donde vive", "State where you live"}},
    {"choose", {"Elija una entidad", "Choose a state"}},
    {"other_states",
     {"¿Su entidad no aparece? Vea dónde atenderse",
      "Your state is not listed? See where to get care"}},
    {"notice_title", {"Aviso de privacidad", "Privacy notice"}},
    {"notice_read", {"Leer el aviso de privacidad", "Read the privacy notice"}},
    {"notice_accept",
     {"Leí y acepto el aviso de privacidad", "I have read and accept the privacy notice"}},
    {"continue", {"Continuar", "Continue"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const struct page_text status_texts[] = {
    {"title", {"Su solicitud", "Your application"}},
    {"heading", {"Su solicitud", "Your application"}},
    {"curp", {"CURP", "CURP"}},
    {"steps_title", {"Pasos", "Steps"}},
    {"done", {"hecho", "done"}},
    {"pending", {"pendiente", "pending"}},
    {"verified", {"Su correo quedó confirmado.", "Your email is confirmed."}},
    {"continue", {"Continuar", "Continue"}},
    {"later",
     {"Su solicitud queda guardada: puede continuarla después desde este mismo navegador.",
      "Your application is saved: you can continue it later from this same browser."}},
};

static const char *const contact_fields[] = {
    "csrf", "state", "phone", "email", "privacy_notice_version", NULL};
static const struct form_decl contact_form = {contact_fields, NULL, NULL};

json_t *page_notice_paragraphs(const struct web_request *req)
{
    /* The notice's paragraphs, split on blank lines. */
    json_t *paragraphs = json_array();
    const char *text = privacy_notice_current()->text[req->lang == I18N_EN];
    while (*text) {
        const char *end = strstr(text, "\n\n");
        size_t len = end ? (size_t)(end - text) : strlen(text);
        json_array_append_new(paragraphs, json_stringn(text, len));
        text += len;
        while (*text == '\n')
            text++;
    }
    return paragraphs;
}

static int show_contact(const struct web_request *req, const struct store_contact *c,
                        const struct refusal *why, unsigned status)
{
    struct page p;
    page_init(&p, req, contact_texts, N(contact_texts), "title");
    page_contact_fields(&p);
    const struct privacy_notice *notice = privacy_notice_current();
    json_object_set_new(p.view, "states", page_state_options(req, c ? c->state : 0));
    json_object_set_new(p.view, "email", json_string(c ? c->email : ""));
    json_object_set_new(p.view, "phone", json_string(c ? c->phone : ""));
    json_object_set_new(p.view, "notice_version", json_string(notice->version));
    json_object_set_new(p.view, "accepted",
                        json_boolean(c && strcmp(c->privacy_version, notice->version) == 0));
    json_object_set_new(p.view, "notice", page_notice_paragraphs(req));
    if (why)
        page_error(&p, why->field, why->message);
    return page_send(&p, "page/contact", status);
}

int page_contact_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    return show_contact(req, &reg.contact, NULL, MHD_HTTP_OK);
}

int page_contact_post(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    struct store_contact c;
    char err[256];
    if (page_read_form(req, &contact_form, &f, NULL, &why) != 0) {
        ret = show_contact(req, &reg.contact, &why, why.status);
    } else if (enrollment_contact(req, form_get(&f, "state", NULL), form_get(&f, "phone", NULL),
                                  form_get(&f, "email", NULL),
                                  form_get(&f, "privacy_notice_version", NULL), &c, &why) != 0) {
        /* Show what was typed, with the error at its field. */
        snprintf(c.email, sizeof c.email, "%s",
                 form_get(&f, "email", NULL) ? form_get(&f, "email", NULL) : "");
        snprintf(c.phone, sizeof c.phone, "%s",
                 form_get(&f, "phone", NULL) ? form_get(&f, "phone", NULL) : "");
        ret = show_contact(req, &c, &why, why.status);
    } else if (store_registration_set_contact(req->app->store, reg.id, &c, i18n_code(req->lang),
                                              req->app->clock(), err, sizeof err) != 1 ||
               store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) != 1) {
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        why = (struct refusal){MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, ""};
        snprintf(why.message, sizeof why.message, "%s", i18n(req->lang, MSG_INTERNAL));
        ret = show_contact(req, &c, &why, why.status);
    } else {
        int64_t retry_after;
        if (!reg.contact.email_verified_at &&
            api_send_email_code(req, &reg, &retry_after, err, sizeof err) < 0)
            fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        api_send_phone_code(req, &reg);
        ret = page_go(req, !reg.contact.email_verified_at  ? "/registro/verificacion"
                           : page_phone_pending(req, &reg) ? "/registro/celular"
                                                           : "/registro/contrasena");
    }
    form_release(&f);
    return ret;
}

int page_status(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_application(req, &reg, &ret) != 0)
        return ret;
    struct page p;
    page_init(&p, req, status_texts, N(status_texts), "title");
    bool missing[ENROLLMENT_STEPS];
    enrollment_missing(&reg, missing);
    json_t *steps = json_array();
    for (int i = 0; i < ENROLLMENT_STEPS; i++) {
        if (i == ENROLLMENT_STEPS - 1 && !enrollment_needs_migration_document(&reg))
            continue; /* the migration document is asked of some foreigners only */
        json_array_append_new(steps, json_pack("{s:s, s:s, s:b, s:s}", "text",
                                               i18n(req->lang, enrollment_steps[i].msg), "state",
                                               page_text(&p, status_texts, N(status_texts),
                                                         missing[i] ? "pending" : "done"),
                                               "done", !missing[i], "path", page_step_path(i)));
    }
    json_object_set_new(p.view, "steps", steps);
    /* Where to go on: the first step still missing, or the review. */
    const char *next = "/registro/revision";
    for (int i = ENROLLMENT_STEPS - 1; i >= 0; i--)
        if (missing[i])
            next = page_step_path(i);
    if (reg.status != STORE_REG_DRAFT)
        next = "/registro/listo";
    json_object_set_new(p.view, "next", json_string(next));
    json_object_set_new(p.view, "curp", json_string(reg.curp));
    const char *just = web_query(req, "correo");
    if (just && strcmp(just, "confirmado") == 0 && reg.contact.email_verified_at)
        json_object_set_new(p.view, "notice",
                            json_string(page_text(&p, status_texts, N(status_texts), "verified")));
    return page_send(&p, "page/status", MHD_HTTP_OK);
}
