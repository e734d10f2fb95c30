/*
 * The staff pages: /personal/entrar (sign in with email and password),
 * /personal/salir (sign out), /personal/contrasena (the first password, with the
 * code `padron staff add` mailed), /personal/persona (look a person up by CURP or
 * folio at the desk) and /personal/persona/{curp}/documentos/{kind} (a photo, for
 * the roles that need it).
 *
 * The session lives in the "personal" cookie: HttpOnly, SameSite=Strict, Path
 * /personal, 8 hours (Secure behind TLS), apart from the applicants' "sesion".
 * Signing in makes a new session and a new CSRF token. Every read of a person's
 * data is audited (web/staff_account.c).
 */
#include "web/routes.h"

#include "web/clinic_override.h"
#include "web/form.h"
#include "web/page.h"
#include "web/page_staff.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a)         (sizeof(a) / sizeof((a)[0]))
#define STAFF_COOKIE "personal"

static const struct page_text signin_texts[] = {
    {"title", {"Entrada del personal", "Staff sign-in"}},
    {"heading", {"Entrada del personal", "Staff sign-in"}},
    {"email_label", {"Correo institucional", "Work email"}},
    {"password_label", {"Contraseña", "Password"}},
    {"sign_in", {"Entrar", "Sign in"}},
    {"first_password",
     {"Tengo un código para elegir mi contraseña", "I have a code to choose my password"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"signed_out", {"Salió de la cuenta de personal.", "You have signed out."}},
    {"password_set",
     {"Su contraseña quedó guardada. Entre con ella.", "Your password is saved. Sign in with it."}},
};

static const struct page_text password_texts[] = {
    {"title", {"Elegir mi contraseña de personal", "Choose my staff password"}},
    {"heading", {"Elegir mi contraseña de personal", "Choose my staff password"}},
    {"lead",
     {"Escriba su correo institucional y el código que le enviamos.",
      "Type your work email and the code we sent you."}},
    {"email_label", {"Correo institucional", "Work email"}},
    {"code_label", {"Código", "Code"}},
    {"code_hint",
     {"20 letras y números, como ABCD-EFGH-JKMN-PQRS-TVWX. Vale 72 horas.",
      "20 letters and digits, like ABCD-EFGH-JKMN-PQRS-TVWX. Valid for 72 hours."}},
    {"save", {"Guardar mi contraseña", "Save my password"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const struct page_text person_texts[] = {
    {"title", {"Consultar a una persona", "Look a person up"}},
    {"heading", {"Consultar a una persona", "Look a person up"}},
    {"signed_in_as", {"Personal:", "Staff:"}},
    {"folio", {"Folio", "Folio"}},
    {"status", {"Estado", "Status"}},
    {"active", {"Afiliación activa", "Active enrollment"}},
    {"clinic", {"Unidad de adscripción", "Home clinic"}},
    {"clinic_unknown", {"(aún sin asignar)", "(not assigned yet)"}},
    {"audited",
     {"Esta consulta quedó en la bitácora de accesos.", "This lookup is in the access log."}},
    {"sign_out", {"Salir", "Sign out"}},
    {"referrals", {"Referencias entre niveles de atención", "Referrals between levels of care"}},
    {"override_heading", {"Cambiar la unidad de adscripción", "Change the home clinic"}},
    {"override_clues",
     {"CLUES de la nueva unidad (primer nivel)", "CLUES of the new unit (level 1)"}},
    {"override_reason",
     {"Motivo (de 10 a 300 caracteres; la persona lo verá)",
      "Reason (10 to 300 characters; the person will see it)"}},
    {"override_submit", {"Cambiar la unidad", "Change the unit"}},
    {"clinic_changed",
     {"La unidad de adscripción cambió. La credencial se emitirá de nuevo con la nueva unidad.",
      "The home clinic changed. The credential will be issued again with the new unit."}},
    {"reception_link", {"Recepción: llegadas y turnos", "Reception: arrivals and turns"}},
    {"receptionist", {"Recepción", "Reception"}},
    {"physician", {"Médico", "Physician"}},
    {"social_worker", {"Trabajo social", "Social work"}},
    {"unit_admin", {"Administración de la unidad", "Unit administration"}},
    {"state_admin", {"Administración estatal", "State administration"}},
};

static const char *const signin_fields[] = {"csrf", "email", "password", NULL};
static const struct form_decl signin_form = {signin_fields, NULL, NULL};
static const char *const password_fields[] = {"csrf",     "email",     "code",
                                              "password", "password2", NULL};
static const struct form_decl password_form = {password_fields, NULL, NULL};

int page_staff_member(const struct web_request *req, struct staff_member *who, int *ret)
{
    const char *token = web_cookie(req, STAFF_COOKIE);
    int live = token ? staff_session(req, token, strlen(token), who) : 0;
    if (live == 1)
        return 0;
    *ret = live < 0 ? page_fail(req) : page_go(req, "/personal/entrar");
    return -1;
}

int page_staff_form(const struct web_request *req, const struct form_decl *decl, const char *field,
                    page_staff_handler *handle, page_staff_refused *refused)
{
    struct staff_member who;
    struct form f;
    struct refusal why;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    if (page_read_form(req, decl, &f, field, &why) != 0)
        ret = refused ? refused(req, &who, &why) : page_refused(req, &why);
    else
        ret = handle(req, &who, &f);
    form_release(&f);
    return ret;
}

/* ---- The person lookup of the staff pages (web/page_staff.h) ---- */

static const char *const lookup_fields[] = {"csrf", "curp", NULL};
const struct form_decl page_staff_lookup_form = {lookup_fields, NULL, NULL};

/* The texts of the layout/staff_lookup partial. */
static const struct page_text lookup_texts[] = {
    {"key_label", {"CURP o folio de afiliación", "CURP or enrollment folio"}},
    {"key_hint",
     {"La consulta queda registrada y la persona puede verla.",
      "The lookup is recorded and the person can see it."}},
    {"search", {"Consultar", "Look up"}},
    {"no_names", {"(sin nombre registrado)", "(no name recorded)"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

int page_staff_lookup(struct page *p, const struct staff_member *who,
                      const struct page_staff_lookup *l, struct store_registration *reg,
                      char clinic[STORE_CLUES_LEN + 1], unsigned *status)
{
    page_add_texts(p, lookup_texts, N(lookup_texts));
    json_object_set_new(p->view, "lookup_action", json_string(l->action));
    json_object_set_new(p->view, "key", json_string(l->key ? l->key : ""));
    *status = l->failed ? l->failed->status : MHD_HTTP_OK;
    if (l->failed)
        page_error(p, l->failed->field ? l->failed->field : "curp", l->failed->message);
    if (l->notice)
        json_object_set_new(p->view, "notice", json_string(l->notice));
    if (!l->key || !*l->key)
        return 0;
    struct refusal why;
    if (l->read(p->req, who, l->key, reg, clinic, &why) == 0)
        return 1;
    if (!l->failed) {
        page_error(p, why.field ? why.field : "curp", why.message);
        *status = why.status;
    }
    return 0;
}

/* Sets the page's extra cookie to the staff session (or clears it: token NULL). */
static void staff_cookie(struct page *p, const char *token)
{
    const char *secure = p->req->app->secure_cookies ? "; Secure" : "";
    if (token)
        snprintf(p->cookie, sizeof p->cookie,
                 STAFF_COOKIE "=%s; Path=/personal; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
                 STAFF_SESSION_SECONDS, secure);
    else
        snprintf(p->cookie, sizeof p->cookie,
                 STAFF_COOKIE "=; Path=/personal; Max-Age=0; HttpOnly; SameSite=Strict%s", secure);
}

static int show_signin(const struct web_request *req, const char *email, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, signin_texts, N(signin_texts), "title");
    return page_send_signin(&p, "email", email, "password_set", why, "page/staff_signin");
}

int page_staff_signin_get(const struct web_request *req)
{
    return show_signin(req, NULL, NULL);
}

static const struct page_session staff_session_kind = {STAFF_COOKIE, staff_cookie, staff_sign_out,
                                                       "/personal/persona",
                                                       "/personal/entrar?hecho=salida"};

int page_staff_signin_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    size_t len = 0;
    int ret;
    if (page_read_form(req, &signin_form, &f, "email", &why) != 0) {
        ret = show_signin(req, NULL, &why);
        form_release(&f);
        return ret;
    }
    const char *email = form_get(&f, "email", NULL);
    const char *pw = form_get(&f, "password", &len);
    char token[API_TOKEN_TEXT_MAX];
    struct staff_member who;
    int64_t retry_after;
    ret = staff_sign_in(req, email, pw, len, token, &who, &retry_after, &why) != 0
              ? show_signin(req, email, &why)
              : page_signed_in(req, &staff_session_kind, token, sizeof token);
    form_release(&f);
    return ret;
}

int page_staff_signout(const struct web_request *req)
{
    return page_sign_out(req, &staff_session_kind);
}

static int show_password(const struct web_request *req, const char *email,
                         const struct refusal *why, unsigned failed)
{
    struct page p;
    page_init(&p, req, password_texts, N(password_texts), "title");
    json_object_set_new(p.view, "email", json_string(email ? email : ""));
    page_new_password(&p, failed);
    if (why)
        page_error(&p, why->field ? why->field : "code", why->message);
    return page_send(&p, "page/staff_password", why ? why->status : MHD_HTTP_OK);
}

int page_staff_password_get(const struct web_request *req)
{
    return show_password(req, NULL, NULL, 0);
}

int page_staff_password_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    size_t len = 0, len2 = 0;
    unsigned failed = 0;
    int64_t retry_after;
    int ret;
    if (page_read_form(req, &password_form, &f, "code", &why) != 0) {
        ret = show_password(req, NULL, &why, 0);
        form_release(&f);
        return ret;
    }
    const char *email = form_get(&f, "email", NULL);
    const char *pw = form_get(&f, "password", &len);
    const char *again = form_get(&f, "password2", &len2);
    if (page_passwords_match(req, pw, len, again, len2, &why) != 0 ||
        staff_set_password(req, email, form_get(&f, "code", NULL), pw, len, &failed, &retry_after,
                           &why) != 0)
        ret = show_password(req, email, &why, failed);
    else
        ret = page_go(req, "/personal/entrar?hecho=contrasena");
    form_release(&f);
    return ret;
}

/* The person's view: names, CURP, folio, and the photos this role may open. */
static void person_view(struct page *p, const struct staff_member *who,
                        const struct store_registration *reg, const char *clinic)
{
    json_t *person = json_pack("{s:s, s:s}", "curp", reg->curp, "folio", reg->folio);
    if (clinic[0])
        json_object_set_new(
            person, "clinic",
            json_pack("{s:s, s:s}", "clues", clinic, "name", staff_unit_name(p->req, clinic)));
    if (reg->names.given_names[0])
        json_object_set_new(person, "names",
                            json_pack("{s:s, s:s, s:s}", "given_names", reg->names.given_names,
                                      "first_surname", reg->names.first_surname, "second_surname",
                                      reg->names.second_surname));
    json_t *documents = json_array(), *all = page_documents_view(p->req, reg);
    size_t i;
    json_t *d;
    json_array_foreach(all, i, d)
    {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        enum store_document_kind k;
        enum staff_action action;
        if (json_is_true(json_object_get(d, "uploaded")) &&
            staff_document_kind(kind, &k, &action) == 0 &&
            staff_may_person(who, action, reg, clinic))
            json_array_append_new(documents, json_pack("{s:s, s:O, s:s}", "kind", kind, "title",
                                                       json_object_get(d, "title"), "id", reg->id));
    }
    json_decref(all);
    json_object_set_new(person, "documents", documents);
    json_object_set_new(p->view, "person", person);
}

/* The desk's read of a person: what the lookup shows. */
static int read_for_lookup(const struct web_request *req, const struct staff_member *who,
                           const char *key, struct store_registration *reg,
                           char clinic[STORE_CLUES_LEN + 1], struct refusal *why)
{
    return staff_read_person(req, who, key, STAFF_PERSON_LOOKUP, reg, clinic, why);
}

/* The desk page for who: the lookup form and, when key names a person (posted: a
 * CURP must not sit in a URL, where history and logs keep it), the person (an
 * audited read); notice or a refusal of a form on top. */
static int show_person(const struct web_request *req, const struct staff_member *who,
                       const char *key, const char *notice, const struct refusal *failed)
{
    struct page p;
    page_init(&p, req, person_texts, N(person_texts), "title");
    const char *unit_name = staff_unit_name(req, who->account.unit);
    json_object_set_new(p.view, "staff",
                        json_pack("{s:s, s:s?, s:s?}", "role_name",
                                  page_text(&p, person_texts, N(person_texts), who->account.role),
                                  "unit", who->account.unit[0] ? who->account.unit : NULL,
                                  "unit_name", unit_name[0] ? unit_name : NULL));
    const struct page_staff_lookup lookup = {
        "/personal/persona", key,
        notice ? page_text(&p, person_texts, N(person_texts), notice) : NULL, failed,
        read_for_lookup};
    struct store_registration reg;
    char clinic[STORE_CLUES_LEN + 1];
    unsigned status;
    if (page_staff_lookup(&p, who, &lookup, &reg, clinic, &status) == 1) {
        person_view(&p, who, &reg, clinic);
        /* The unit administrator may move the person to another unit. */
        if (staff_may_person(who, STAFF_CLINIC_OVERRIDE, &reg, clinic))
            json_object_set_new(json_object_get(p.view, "person"), "may_override", json_true());
    }
    return page_send(&p, "page/staff_person", status);
}

int page_staff_person(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    return show_person(req, &who, NULL, NULL, NULL);
}

static int lookup_posted(const struct web_request *req, const struct staff_member *who,
                         const struct form *f)
{
    return show_person(req, who, form_get(f, "curp", NULL), NULL, NULL);
}

int page_staff_person_post(const struct web_request *req)
{
    return page_staff_form(req, &page_staff_lookup_form, "curp", lookup_posted, NULL);
}

/* ---- The unit administrator's override of a home clinic (web/clinic_override.h) ---- */

static const char *const override_fields[] = {"csrf", "person", "clues", "reason", NULL};
static const struct form_decl override_form = {override_fields, NULL, NULL};

static int override_posted(const struct web_request *req, const struct staff_member *who,
                           const struct form *f)
{
    struct store_registration reg;
    struct refusal why;
    const char *key = form_get(f, "person", NULL);
    bool done = clinic_override(req, who, key, form_get(f, "clues", NULL),
                                form_get(f, "reason", NULL), &reg, &why) == 0;
    /* After the change the person may belong to another unit: the page says it is
     * done and reads nobody again. */
    return done ? show_person(req, who, NULL, "clinic_changed", NULL)
                : show_person(req, who, key, NULL, &why);
}

int page_staff_person_clinic(const struct web_request *req)
{
    return page_staff_form(req, &override_form, "clues", override_posted, NULL);
}

int page_staff_person_document(const struct web_request *req)
{
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    enum store_document_kind kind;
    enum staff_action action;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    if (staff_document_kind(req->params[1], &kind, &action) != 0 ||
        !staff_person_id_shape(req->params[0]))
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_DOCUMENT_KIND_UNKNOWN);
    char clinic[STORE_CLUES_LEN + 1];
    if (staff_read_person(req, &who, req->params[0], action, &reg, clinic, &why) != 0)
        return web_reply(req, why.status, "text/plain; charset=utf-8", why.message,
                         strlen(why.message));
    return page_send_document(req, &reg, req->params[1]);
}
