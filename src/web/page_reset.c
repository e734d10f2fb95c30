/*
 * Password reset without JavaScript: /recuperar asks for the CURP or email and
 * answers with the code form whether or not an account exists (the answer must
 * not tell); /recuperar/codigo takes the emailed code and the new password typed
 * twice, then sends the person to sign in. The login travels in a hidden field,
 * never in a URL, so it stays out of logs and history. Rules: web/account.c.
 */
#include "web/routes.h"

#include "web/account.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Recuperar mi contraseña", "Reset my password"}},
    {"heading", {"Recuperar mi contraseña", "Reset my password"}},
    {"lead",
     {"Le enviaremos un código al correo de su registro.",
      "We will send a code to the email of your enrollment."}},
    {"login_label", {"CURP o correo electrónico", "CURP or email address"}},
    {"login_hint", {"Los que usó al registrarse.", "The ones you used when you registered."}},
    {"send", {"Enviar código", "Send code"}},
    {"code_lead",
     {"Si hay una afiliación con esos datos, le enviamos un código a su correo. Escríbalo aquí "
      "junto con su contraseña nueva.",
      "If there is an enrollment with those details, we emailed you a code. Type it here with "
      "your new password."}},
    {"code_label", {"Código", "Code"}},
    {"code_hint",
     {"6 números. Vale por 10 minutos. Revise también su correo no deseado.",
      "6 digits. It is valid for 10 minutes. Check your spam folder too."}},
    {"save", {"Cambiar mi contraseña", "Change my password"}},
    {"again", {"Pedir otro código", "Ask for another code"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const char *const request_fields[] = {"csrf", "login", NULL};
static const struct form_decl request_form = {request_fields, NULL, NULL};
static const char *const code_fields[] = {"csrf", "login", "code", "password", "password2", NULL};
static const struct form_decl code_form = {code_fields, NULL, NULL};

static int show(const struct web_request *req, bool code_step, const char *login,
                const struct refusal *why, unsigned failed)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    json_object_set_new(p.view, "code_step", json_boolean(code_step));
    json_object_set_new(p.view, "login", json_string(login ? login : ""));
    if (code_step)
        page_new_password(&p, failed);
    if (why)
        page_error(&p, why->field ? why->field : (code_step ? "code" : "login"), why->message);
    return page_send(&p, "page/reset", why ? why->status : MHD_HTTP_OK);
}

int page_reset_get(const struct web_request *req)
{
    return show(req, false, NULL, NULL, 0);
}

int page_reset_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    int64_t retry_after;
    int ret;
    if (page_read_form(req, &request_form, &f, "login", &why) != 0) {
        ret = show(req, false, NULL, &why, 0);
    } else {
        const char *login = form_get(&f, "login", NULL);
        if (account_request_reset(req, login, &retry_after, &why) != 0)
            ret = show(req, false, login, &why, 0);
        else
            ret = show(req, true, login, NULL, 0);
    }
    form_release(&f);
    return ret;
}

int page_reset_code_get(const struct web_request *req)
{
    return page_go(req, "/recuperar");
}

int page_reset_code_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    int64_t retry_after;
    unsigned failed = 0;
    size_t len = 0, len2 = 0;
    int ret;
    if (page_read_form(req, &code_form, &f, "code", &why) != 0) {
        ret = show(req, true, NULL, &why, 0);
        form_release(&f);
        return ret;
    }
    const char *login = form_get(&f, "login", NULL);
    const char *pw = form_get(&f, "password", &len);
    const char *again = form_get(&f, "password2", &len2);
    if (page_passwords_match(req, pw, len, again, len2, &why) != 0 ||
        account_reset_password(req, login, form_get(&f, "code", NULL), pw, len, &failed,
                               &retry_after, &why) != 0)
        ret = show(req, true, login, &why, failed);
    else
        ret = page_go(req, "/entrar?hecho=contrasena");
    form_release(&f);
    return ret;
}
