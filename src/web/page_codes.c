/*
 * The one-time code pages: the wizard's /registro/verificacion (the code mailed
 * to the email, required) and /registro/celular (the code sent by SMS to the
 * phone, offered only when an SMS gateway is configured; it may be skipped, and
 * the phone then stays unconfirmed); the account's /cuenta/correo (a new email's
 * code) and /cuenta/celular (a new phone's). One page shape serves both; each POST has a
 * /reenviar companion that sends a new code within the throttle. The rules are
 * enrollment_check_code's, the API's.
 */
#include "web/routes.h"

#include "core/contact.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/form.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* What every code page says alike; a page's own table may word any of it anew. */
static const struct page_text common_texts[] = {
    {"code_label", {"Código", "Code"}},
    {"code_hint",
     {"Vale por 10 minutos. Revise también su correo no deseado.",
      "It is valid for 10 minutes. Check your spam folder too."}},
    {"confirm", {"Confirmar", "Confirm"}},
    {"resend", {"Enviar otro código", "Send another code"}},
    {"sent", {"Le enviamos un código nuevo.", "We sent you a new code."}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const struct page_text email_texts[] = {
    {"title", {"Paso 4 de 8: confirme su correo", "Step 4 of 8: confirm your email"}},
    {"heading", {"Paso 4 de 8: confirme su correo", "Step 4 of 8: confirm your email"}},
    {"lead",
     {"Escriba el código de 6 números que enviamos a %s.", "Type the 6-digit code we sent to %s."}},
    {"change", {"Cambiar mi correo", "Change my email"}},
};

static const struct page_text phone_texts[] = {
    {"title", {"Confirme su celular (opcional)", "Confirm your mobile phone (optional)"}},
    {"heading", {"Confirme su celular (opcional)", "Confirm your mobile phone (optional)"}},
    {"lead",
     {"Escriba el código de 6 números que enviamos por SMS al %s.",
      "Type the 6-digit code we sent by text message to %s."}},
    {"code_hint", {"Vale por 10 minutos.", "It is valid for 10 minutes."}},
    {"change", {"Cambiar mi celular", "Change my mobile number"}},
    {"skip",
     {"Confirmarlo después: continuar sin confirmar",
      "Confirm it later: continue without confirming"}},
};

static const struct page_text change_texts[] = {
    {"title", {"Confirme su nuevo correo", "Confirm your new email"}},
    {"heading", {"Confirme su nuevo correo", "Confirm your new email"}},
    {"lead",
     {"Escriba el código de 6 números que enviamos a %s. Hasta entonces, su correo sigue siendo "
      "el anterior.",
      "Type the 6-digit code we sent to %s. Until then, your email stays the old one."}},
    {"change", {"Cambiar mis datos de contacto", "Change my contact details"}},
    {"skip", {"Volver a mi cuenta", "Back to my account"}},
};

/* One code page: its texts, where its forms go, and where a right code leads. */
struct code_page {
    enum api_code_purpose purpose;
    const struct page_text *texts;
    size_t n_texts;
    const char *path;   /* the page; its resend form posts to path + "/reenviar" */
    const char *next;   /* after a right code; NULL: after_email decides */
    const char *skip;   /* a way on without the code, or NULL */
    const char *change; /* where the address is changed */
    bool account;       /* an active enrollment's page (session), not the wizard's */
};

static const struct code_page email_page = {API_CODE_VERIFY_EMAIL,    email_texts, N(email_texts),
                                            "/registro/verificacion", NULL,        NULL,
                                            "/registro/contacto",     false};
static const struct code_page phone_page = {API_CODE_VERIFY_PHONE,
                                            phone_texts,
                                            N(phone_texts),
                                            "/registro/celular",
                                            "/registro/contrasena?celular=confirmado",
                                            "/registro/contrasena",
                                            "/registro/contacto",
                                            false};
static const struct code_page change_page = {
    API_CODE_CHANGE_EMAIL,     change_texts, N(change_texts),    "/cuenta/correo",
    "/cuenta?correo=cambiado", "/cuenta",    "/cuenta/contacto", true};
static const struct code_page account_phone_page = {
    API_CODE_VERIFY_PHONE,        phone_texts, N(phone_texts),     "/cuenta/celular",
    "/cuenta?celular=confirmado", "/cuenta",   "/cuenta/contacto", true};

static const char *const code_fields[] = {"csrf", "code", NULL};
static const struct form_decl code_form = {code_fields, NULL, NULL};
static const char *const csrf_only[] = {"csrf", NULL};
static const struct form_decl csrf_form = {csrf_only, NULL, NULL};

bool page_phone_pending(const struct web_request *req, const struct store_registration *reg)
{
    return req->app->sms_enabled && reg->contact.phone[0] && !reg->contact.phone_confirmed;
}

/* Where a right email code leads: the phone's code when one was sent, else on. */
static const char *after_email(const struct web_request *req, const struct store_registration *reg)
{
    return page_phone_pending(req, reg) ? "/registro/celular"
                                        : "/registro/contrasena?correo=confirmado";
}

static int show(const struct web_request *req, const struct code_page *cp,
                const struct store_registration *reg, const struct refusal *why, bool sent)
{
    struct page p;
    page_init(&p, req, cp->texts, cp->n_texts, "title");
    page_add_texts(&p, common_texts, N(common_texts));
    /* The lead names the address; the format has one %s, from our own catalog. */
    char lead[512], phone[13];
    const char *fmt = page_text(&p, cp->texts, cp->n_texts, "lead");
    const char *at = strstr(fmt, "%s");
    contact_phone_display(reg->contact.phone, phone);
    const char *address = cp->purpose == API_CODE_VERIFY_PHONE   ? phone
                          : cp->purpose == API_CODE_CHANGE_EMAIL ? reg->pending_email
                                                                 : reg->contact.email;
    snprintf(lead, sizeof lead, "%.*s%s%s", at ? (int)(at - fmt) : (int)strlen(fmt), fmt,
             at ? address : "", at ? at + 2 : "");
    char resend[64];
    snprintf(resend, sizeof resend, "%s/reenviar", cp->path);
    json_object_set_new(p.view, "lead", json_string(lead));
    json_object_set_new(p.view, "action", json_string(cp->path));
    json_object_set_new(p.view, "resend_action", json_string(resend));
    json_object_set_new(p.view, "change_path", json_string(cp->change));
    if (cp->skip)
        json_object_set_new(p.view, "skip", json_string(cp->skip));
    if (sent)
        json_object_set_new(p.view, "sent",
                            json_string(page_text(&p, common_texts, N(common_texts), "sent")));
    if (why)
        page_error(&p, why->field, why->message);
    return page_send(&p, "page/verification", why ? why->status : MHD_HTTP_OK);
}

/* The draft, when this page has something to confirm; else the person is sent on. */
static int load(const struct web_request *req, const struct code_page *cp,
                struct store_registration *reg, int *ret)
{
    if ((cp->account ? page_need_session(req, reg, ret) : page_need_draft(req, reg, ret)) != 0)
        return -1;
    const char *on = cp->account ? "/cuenta" : "/registro/contrasena";
    if (cp->purpose == API_CODE_CHANGE_EMAIL && !reg->pending_email[0]) {
        *ret = page_go(req, on);
        return -1;
    }
    if (cp->purpose == API_CODE_VERIFY_EMAIL && !reg->contact.email[0]) {
        *ret = page_go(req, "/registro/contacto");
        return -1;
    }
    if (cp->purpose == API_CODE_VERIFY_PHONE && !page_phone_pending(req, reg)) {
        *ret = page_go(req, on);
        return -1;
    }
    return 0;
}

static int code_get(const struct web_request *req, const struct code_page *cp)
{
    struct store_registration reg;
    int ret;
    if (load(req, cp, &reg, &ret) != 0)
        return ret;
    return show(req, cp, &reg, NULL, false);
}

static int code_post(const struct web_request *req, const struct code_page *cp)
{
    struct store_registration reg;
    int ret, left;
    if (load(req, cp, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    if (page_read_form(req, &code_form, &f, "code", &why) != 0 ||
        enrollment_check_code(req, cp->purpose, reg.id, form_get(&f, "code", NULL), &why, &left) !=
            0)
        ret = show(req, cp, &reg, &why, false);
    else
        ret = page_go(req, cp->next ? cp->next : after_email(req, &reg));
    form_release(&f);
    return ret;
}

static int code_resend(const struct web_request *req, const struct code_page *cp)
{
    struct store_registration reg;
    int ret;
    if (load(req, cp, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    char err[256];
    int64_t retry_after = 0;
    if (page_read_form(req, &csrf_form, &f, "code", &why) != 0) {
        ret = show(req, cp, &reg, &why, false);
    } else {
        int rc = api_issue_code(req, cp->purpose, &reg, &retry_after, err, sizeof err);
        if (rc == 1) {
            ret = show(req, cp, &reg, NULL, true);
        } else {
            if (rc < 0)
                fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
            refusal_set(req, &why, rc == 0 ? MHD_HTTP_TOO_MANY_REQUESTS : MHD_HTTP_CONFLICT,
                        "throttled", "code", MSG_CODE_THROTTLED);
            ret = show(req, cp, &reg, &why, false);
        }
    }
    form_release(&f);
    return ret;
}

int page_verification_get(const struct web_request *req)
{
    return code_get(req, &email_page);
}

int page_verification_post(const struct web_request *req)
{
    return code_post(req, &email_page);
}

int page_verification_resend(const struct web_request *req)
{
    return code_resend(req, &email_page);
}

int page_phone_get(const struct web_request *req)
{
    return code_get(req, &phone_page);
}

int page_phone_post(const struct web_request *req)
{
    return code_post(req, &phone_page);
}

int page_phone_resend(const struct web_request *req)
{
    return code_resend(req, &phone_page);
}

int page_email_change_get(const struct web_request *req)
{
    return code_get(req, &change_page);
}

int page_email_change_post(const struct web_request *req)
{
    return code_post(req, &change_page);
}

int page_email_change_resend(const struct web_request *req)
{
    return code_resend(req, &change_page);
}

int page_account_phone_get(const struct web_request *req)
{
    return code_get(req, &account_phone_page);
}

int page_account_phone_post(const struct web_request *req)
{
    return code_post(req, &account_phone_page);
}

int page_account_phone_resend(const struct web_request *req)
{
    return code_resend(req, &account_phone_page);
}
