/*
 * Step 5 of the wizard, /registro/contrasena: the password, typed twice. The
 * page lists the rules before anything is typed and marks the ones a refused
 * password broke; the rules and the hashing are enrollment_password's, the
 * same as the API's.
 */
#include "web/routes.h"

#include "core/password.h"
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
    {"title", {"Paso 5 de 8: su contraseña", "Step 5 of 8: your password"}},
    {"heading", {"Paso 5 de 8: su contraseña", "Step 5 of 8: your password"}},
    {"lead",
     {"Con su CURP o su correo y esta contraseña podrá entrar a consultar su afiliación.",
      "With your CURP or email and this password you can sign in to see your enrollment."}},
    {"password_label", {"Contraseña", "Password"}},
    {"continue", {"Guardar y continuar", "Save and continue"}},
    {"status_link", {"Ver los pasos de mi solicitud", "See the steps of my application"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"email_verified", {"Su correo quedó confirmado.", "Your email is confirmed."}},
    {"phone_verified", {"Su celular quedó confirmado.", "Your mobile phone is confirmed."}},
};

/* The rules a person can act on, in the order core/password lists them. */
static const enum password_rule shown_rules[] = {
    PASSWORD_RULE_TOO_SHORT,         PASSWORD_RULE_NO_UPPER,   PASSWORD_RULE_NO_LOWER,
    PASSWORD_RULE_NO_DIGIT,          PASSWORD_RULE_NO_SPECIAL, PASSWORD_RULE_COMMON,
    PASSWORD_RULE_CONTAINS_PERSONAL,
};

static const char *const fields[] = {"csrf", "password", "password2", NULL};
static const struct form_decl declaration = {fields, NULL, NULL};

/* The texts of the layout/new_password partial; a page may word them its own way. */
static const struct page_text new_password_texts[] = {
    {"rules_title",
     {"Su contraseña debe cumplir todo esto:", "Your password must meet all of this:"}},
    {"password_label", {"Contraseña nueva", "New password"}},
    {"again_label", {"Escriba la contraseña otra vez", "Type the password again"}},
};

void page_new_password(struct page *p, unsigned failed)
{
    page_add_texts(p, new_password_texts, N(new_password_texts));
    json_t *rules = json_array();
    for (size_t i = 0; i < N(shown_rules); i++)
        json_array_append_new(rules,
                              json_pack("{s:s, s:b}", "text",
                                        password_rule_message(shown_rules[i], p->req->lang),
                                        "failed", (failed & PASSWORD_BIT(shown_rules[i])) != 0));
    json_object_set_new(p->view, "rules", rules);
}

int page_passwords_match(const struct web_request *req, const char *pw, size_t len,
                         const char *again, size_t again_len, struct refusal *why)
{
    if (!pw || len == 0 || (again && again_len == len && sodium_memcmp(pw, again, len) == 0))
        return 0;
    *why = (struct refusal){MHD_HTTP_UNPROCESSABLE_CONTENT, "passwords_differ", "password2", ""};
    snprintf(why->message, sizeof why->message, "%s", i18n(req->lang, MSG_PASSWORDS_DIFFER));
    return -1;
}

static int show(const struct web_request *req, const struct refusal *why, unsigned failed,
                unsigned status)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    page_new_password(&p, failed);
    const char *email = web_query(req, "correo"), *phone = web_query(req, "celular");
    const char *notice = email && strcmp(email, "confirmado") == 0   ? "email_verified"
                         : phone && strcmp(phone, "confirmado") == 0 ? "phone_verified"
                                                                     : NULL;
    if (notice)
        json_object_set_new(p.view, "notice", json_string(page_text(&p, texts, N(texts), notice)));
    if (why)
        page_error(&p, why->field, why->message);
    return page_send(&p, "page/password", status);
}

int page_password_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    return show(req, NULL, 0, MHD_HTTP_OK);
}

int page_password_post(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_draft(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    unsigned failed = 0;
    size_t len = 0, len2 = 0;
    if (page_read_form(req, &declaration, &f, "password", &why) != 0) {
        ret = show(req, &why, 0, why.status);
        form_release(&f);
        return ret;
    }
    const char *pw = form_get(&f, "password", &len);
    const char *again = form_get(&f, "password2", &len2);
    if (page_passwords_match(req, pw, len, again, len2, &why) != 0) {
        ret = show(req, &why, 0, why.status);
    } else if (enrollment_password(req, &reg, pw, len, &failed, &why) != 0) {
        ret = show(req, &why, failed, why.status);
    } else {
        ret = page_go(req, "/registro/domicilio");
    }
    form_release(&f);
    return ret;
}
