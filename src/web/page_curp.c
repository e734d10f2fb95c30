/*
 * /registro/curp: the first step of the wizard. The person types a CURP; the
 * same rules as the API decide (enrollment.c); on success a draft is created, its
 * id and token go into an HttpOnly cookie, and the next step follows. Errors are
 * shown in a summary and next to the field, in the person's language.
 */
#include "web/routes.h"

#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Paso 1 de 8: su CURP", "Step 1 of 8: your CURP"}},
    {"heading", {"Paso 1 de 8: su CURP", "Step 1 of 8: your CURP"}},
    {"lead",
     {"Con su CURP revisamos que no tenga ya seguridad social en el IMSS o el ISSSTE.",
      "With your CURP we check that you do not already have IMSS or ISSSTE coverage."}},
    {"label", {"CURP", "CURP"}},
    {"hint",
     {"18 letras y números, como aparece en su constancia de CURP. Ejemplo: SABC560626MDFLRN01",
      "18 letters and digits, as on your CURP record. Example: SABC560626MDFLRN01"}},
    {"continue", {"Continuar", "Continue"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"find_curp",
     {"¿No recuerda su CURP? Consúltela en gob.mx/curp",
      "Forgot your CURP? Look it up at gob.mx/curp"}},
    {"form_expired",
     {"El formulario venció. Vuelva a escribir su CURP y continúe.",
      "The form expired. Type your CURP again and continue."}},
    {"bad_form",
     {"No pudimos leer el formulario. Intente de nuevo.",
      "We could not read the form. Try again."}},
};

static const char *const fields[] = {"csrf", "curp", NULL};
static const struct form_decl declaration = {fields, NULL, NULL};

/* Shows the step, with an error and the typed value when there is one. */
static int show(const struct web_request *req, const char *value, const char *error,
                unsigned status)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    json_object_set_new(p.view, "value", json_string(value ? value : ""));
    if (error)
        page_error(&p, "curp", error);
    return page_send(&p, "page/curp", status);
}

int page_curp_get(const struct web_request *req)
{
    return show(req, NULL, NULL, MHD_HTTP_OK);
}

int page_curp_post(const struct web_request *req)
{
    struct form f;
    char err[256];
    form_init(&f, &declaration);
    struct page tmp = {.req = req};
    if (form_parse_urlencoded(req->body, req->body_len, NULL, &f, err, sizeof err) != FORM_OK) {
        form_release(&f);
        return show(req, NULL, page_text(&tmp, texts, N(texts), "bad_form"), MHD_HTTP_BAD_REQUEST);
    }
    size_t csrf_len, curp_len;
    const char *csrf = form_get(&f, "csrf", &csrf_len);
    const char *curp = form_get(&f, "curp", &curp_len);
    int ret;
    struct curp_result r;
    struct refusal why;
    char id[STORE_ID_LEN + 1], token[ENROLLMENT_TOKEN_MAX],
        cookie[STORE_ID_LEN + 2 + ENROLLMENT_TOKEN_MAX];
    if (!page_csrf_ok(req, csrf, csrf_len)) {
        ret = show(req, curp, page_text(&tmp, texts, N(texts), "form_expired"), MHD_HTTP_FORBIDDEN);
    } else if (enrollment_check_curp(req, curp ? curp : "", &r, &why) != 0 ||
               enrollment_start(req, &r, id, token, &why) != 0) {
        ret = show(req, curp, why.message, why.status);
    } else {
        /* The wizard's proof of ownership: id and token, in a cookie scripts cannot read. */
        struct page p;
        page_init(&p, req, texts, N(texts), "title");
        snprintf(cookie, sizeof cookie, "%s.%s", id, token);
        page_set_cookie(&p, "solicitud", cookie);
        ret = page_redirect(&p, "/registro/nombre");
        sodium_memzero(cookie, sizeof cookie);
        sodium_memzero(p.cookie, sizeof p.cookie);
        sodium_memzero(token, sizeof token);
    }
    form_release(&f);
    return ret;
}
