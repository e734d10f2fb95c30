/*
 * The account pages of an active enrollment: /entrar (sign in with CURP or email
 * and password), /salir (sign out), /cuenta (status, folio, data, documents, a
 * way to record a move) and /cuenta/documentos/{kind} (the stored photos).
 *
 * The session lives in the "sesion" cookie (HttpOnly, SameSite=Lax, Secure behind
 * TLS); signing in makes a new session and a new CSRF token, so nothing set
 * before the sign-in carries over. The rules are web/account.c's, the API's.
 */
#include "web/routes.h"

#include "web/account.h"
#include "web/form.h"
#include "web/home_clinic.h"
#include "web/page.h"
#include "web/staff_account.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define N(a)           (sizeof(a) / sizeof((a)[0]))
#define SESSION_COOKIE "sesion"

static const struct page_text signin_texts[] = {
    {"title", {"Entrar a mi cuenta", "Sign in to my account"}},
    {"heading", {"Entrar a mi cuenta", "Sign in to my account"}},
    {"login_label", {"CURP o correo electrónico", "CURP or email address"}},
    {"login_hint", {"Los que usó al registrarse.", "The ones you used when you registered."}},
    {"password_label", {"Contraseña", "Password"}},
    {"sign_in", {"Entrar", "Sign in"}},
    {"forgot", {"Olvidé mi contraseña", "I forgot my password"}},
    {"register", {"¿Aún no se registra? Regístrese aquí", "Not registered yet? Register here"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"signed_out", {"Salió de su cuenta.", "You have signed out."}},
    {"password_changed",
     {"Su contraseña cambió. Entre con la nueva.",
      "Your password has changed. Sign in with the new one."}},
};

static const struct page_text account_texts[] = {
    {"title", {"Mi afiliación", "My enrollment"}},
    {"heading", {"Mi afiliación", "My enrollment"}},
    {"folio", {"Folio", "Folio"}},
    {"status", {"Estado", "Status"}},
    {"active", {"Activa", "Active"}},
    {"suspended", {"Suspendida", "Suspended"}},
    {"suspended_title", {"Su afiliación está suspendida", "Your enrollment is suspended"}},
    {"birth_date", {"Fecha de nacimiento", "Date of birth"}},
    {"names", {"Nombre", "Name"}},
    {"correct_names", {"Corregir mi nombre", "Correct my name"}},
    {"names_corrected", {"Corregimos su nombre.", "We corrected your name."}},
    {"contact_title", {"Contacto", "Contact"}},
    {"email", {"Correo electrónico", "Email"}},
    {"phone", {"Celular", "Mobile phone"}},
    {"state", {"Entidad", "State"}},
    {"none", {"(sin dato)", "(not given)"}},
    {"address_title", {"Domicilio", "Address"}},
    {"move", {"Me cambié de domicilio", "I have moved"}},
    {"clinic_title", {"Mi unidad de salud", "My clinic"}},
    {"clinic_lead",
     {"Toda su atención empieza aquí, en la unidad de primer nivel más cercana a su domicilio.",
      "All your care starts here, at the first-level unit nearest to your address."}},
    {"clinic_none",
     {"Aún no tiene unidad asignada: no pudimos ubicar su domicilio.",
      "You have no clinic yet: we could not place your address."}},
    {"clinic_distance", {"km de su domicilio (aprox.)", "km from your address (approx.)"}},
    {"clinic_details", {"Detalles de la unidad", "Unit details"}},
    {"clinic_map", {"Ver en el mapa (OpenStreetMap)", "See on the map (OpenStreetMap)"}},
    {"moved", {"Guardamos su nuevo domicilio.", "We saved your new address."}},
    {"contact_saved", {"Guardamos sus datos de contacto.", "We saved your contact details."}},
    {"email_changed", {"Su nuevo correo quedó confirmado.", "Your new email is confirmed."}},
    {"phone_confirmed", {"Su celular quedó confirmado.", "Your mobile phone is confirmed."}},
    {"change_contact", {"Cambiar mis datos de contacto", "Change my contact details"}},
    {"pending", {"Correo nuevo por confirmar:", "New email awaiting confirmation:"}},
    {"confirmed", {"confirmado", "confirmed"}},
    {"type_code", {"Escribir el código", "Type the code"}},
    {"unconfirmed", {"sin confirmar", "unconfirmed"}},
    {"documents_title", {"Documentos", "Documents"}},
    {"sign_out", {"Salir", "Sign out"}},
    {"credential", {"Ver mi credencial", "See my credential"}},
    {"appointments", {"Mis citas", "My appointments"}},
    {"referrals", {"Mis referencias", "My referrals"}},
    {"accesses_title", {"Quién consultó mis datos", "Who looked at my data"}},
    {"accesses_none",
     {"Nadie del personal ha consultado sus datos.", "No staff member has looked at your data."}},
    {"accesses_when", {"Cuándo (UTC)", "When (UTC)"}},
    {"accesses_role", {"Función", "Role"}},
    {"accesses_unit", {"Unidad", "Unit"}},
    {"accesses_what", {"Qué vio", "What was seen"}},
    {"receptionist", {"Recepción", "Reception"}},
    {"physician", {"Médico", "Physician"}},
    {"social_worker", {"Trabajo social", "Social work"}},
    {"unit_admin", {"Administración de la unidad", "Unit administration"}},
    {"state_admin", {"Administración estatal", "State administration"}},
    {"person.lookup", {"Sus datos de afiliación", "Your enrollment data"}},
    {"person.face", {"Su fotografía", "Your photo"}},
    {"person.documents", {"Sus documentos", "Your documents"}},
    {"person.lookup.denied",
     {"Intentó ver sus datos sin permiso (se le negó)",
      "Tried to see your data without the right (refused)"}},
    {"person.face.denied",
     {"Intentó ver su fotografía sin permiso (se le negó)",
      "Tried to see your photo without the right (refused)"}},
    {"person.documents.denied",
     {"Intentó ver sus documentos sin permiso (se le negó)",
      "Tried to see your documents without the right (refused)"}},
    /* A review of a suspension (docs/staff.md). */
    {"registration.suspension_lift",
     {"Revisó su suspensión y la levantó", "Reviewed your suspension and lifted it"}},
    {"registration.suspension_confirm",
     {"Revisó su suspensión y la confirmó", "Reviewed your suspension and confirmed it"}},
    /* Assisted enrollment at a desk (docs/staff.md). */
    {"enrollment.assist.start",
     {"Empezó o retomó su solicitud en la ventanilla",
      "Started or resumed your application at the desk"}},
    {"enrollment.assist.read", {"Vio su solicitud", "Saw your application"}},
    {"enrollment.assist.names", {"Registró su nombre", "Recorded your name"}},
    {"enrollment.assist.contact",
     {"Registró su contacto y su aceptación del aviso de privacidad",
      "Recorded your contact details and your acceptance of the privacy notice"}},
    {"enrollment.assist.email_code",
     {"Registró el código de su correo", "Recorded your email code"}},
    {"enrollment.assist.identity", {"Registró su identificación", "Recorded your ID"}},
    {"enrollment.assist.id_check",
     {"Revisó su identificación original", "Checked your original ID"}},
    {"enrollment.assist.password", {"Registró su contraseña", "Recorded your password"}},
    {"enrollment.assist.address", {"Registró su domicilio", "Recorded your address"}},
    {"enrollment.assist.document", {"Registró una foto", "Recorded a photo"}},
    {"enrollment.assist.submit", {"Envió su solicitud", "Submitted your application"}},
    {"enrollment.assist.credential", {"Imprimió su credencial", "Printed your credential"}},
    {"enrollment.assist.denied",
     {"Intentó ver su solicitud sin permiso (se le negó)",
      "Tried to see your application without the right (refused)"}},
    /* referrals */
    {"referral.create", {"Le refirió a otra unidad", "Referred you to another unit"}},
    {"referral.decide", {"Atendió su referencia", "Acted on your referral"}},
    {"study.record", {"Registró su estudio socioeconómico", "Recorded your socioeconomic study"}},
};

static const struct page_text contact_texts[] = {
    {"title", {"Cambiar mis datos de contacto", "Change my contact details"}},
    {"heading", {"Cambiar mis datos de contacto", "Change my contact details"}},
    {"lead",
     {"Un correo nuevo se usa hasta que escriba el código que le enviaremos a esa dirección.",
      "A new email is used once you type the code we will send to that address."}},
    {"pending", {"Esperamos el código enviado a", "We are waiting for the code sent to"}},
    {"type_code", {"Escribir el código", "Type the code"}},
    {"save", {"Guardar", "Save"}},
    {"back", {"Volver a mi cuenta", "Back to my account"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
};

static const char *const contact_fields[] = {"csrf", "phone", "email", NULL};
static const struct form_decl contact_form = {contact_fields, NULL, NULL};

static const char *const signin_fields[] = {"csrf", "login", "password", NULL};
static const struct form_decl signin_form = {signin_fields, NULL, NULL};
static const char *const csrf_only[] = {"csrf", NULL};
static const struct form_decl csrf_form = {csrf_only, NULL, NULL};

int page_need_session(const struct web_request *req, struct store_registration *reg, int *ret)
{
    const char *token = web_cookie(req, SESSION_COOKIE);
    int live = token ? account_session(req, token, strlen(token), reg) : 0;
    if (live == 1 && reg->status == STORE_REG_ACTIVE)
        return 0;
    *ret = live < 0 ? page_fail(req) : page_go(req, "/entrar");
    return -1;
}

int page_send_signin(struct page *p, const char *field, const char *typed,
                     const char *password_notice, const struct refusal *why,
                     const char *template_name)
{
    json_object_set_new(p->view, field, json_string(typed ? typed : ""));
    const char *after = web_query(p->req, "hecho");
    const char *notice = !after                             ? NULL
                         : strcmp(after, "salida") == 0     ? "signed_out"
                         : strcmp(after, "contrasena") == 0 ? password_notice
                                                            : NULL;
    if (notice && !why) /* one of the page's texts, which page_init put in "t" */
        json_object_set(p->view, "notice", json_object_get(json_object_get(p->view, "t"), notice));
    if (why)
        page_error(p, why->field ? why->field : field, why->message);
    return page_send(p, template_name, why ? why->status : MHD_HTTP_OK);
}

static int show_signin(const struct web_request *req, const char *login, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, signin_texts, N(signin_texts), "title");
    return page_send_signin(&p, "login", login, "password_changed", why, "page/signin");
}

int page_signin_get(const struct web_request *req)
{
    return show_signin(req, NULL, NULL);
}

/* The applicants' session: the "sesion" cookie, Path=/ (page_set_cookie). */
static void session_cookie(struct page *p, const char *token)
{
    if (token)
        page_set_cookie(p, SESSION_COOKIE, token);
    else
        page_clear_cookie(p, SESSION_COOKIE);
}

static const struct page_session account_session_kind = {
    SESSION_COOKIE, session_cookie, account_sign_out, "/cuenta", "/entrar?hecho=salida"};

int page_signed_in(const struct web_request *req, const struct page_session *s, char *token,
                   size_t size)
{
    struct page p;
    page_init(&p, req, NULL, 0, "title");
    page_rotate_csrf(&p);
    s->set_cookie(&p, token);
    int ret = page_redirect(&p, s->home);
    sodium_memzero(p.cookie, sizeof p.cookie);
    sodium_memzero(token, size);
    return ret;
}

int page_sign_out(const struct web_request *req, const struct page_session *s)
{
    struct form f;
    struct refusal why;
    int ret;
    if (page_read_form(req, &csrf_form, &f, NULL, &why) != 0) {
        ret = page_refused(req, &why);
    } else {
        const char *token = web_cookie(req, s->cookie);
        if (token)
            s->sign_out(req, token, strlen(token));
        struct page p;
        page_init(&p, req, NULL, 0, "title");
        s->set_cookie(&p, NULL);
        ret = page_redirect(&p, s->signed_out);
    }
    form_release(&f);
    return ret;
}

int page_signin_post(const struct web_request *req)
{
    struct form f;
    struct refusal why;
    size_t len = 0;
    int ret;
    if (page_read_form(req, &signin_form, &f, "login", &why) != 0) {
        ret = show_signin(req, NULL, &why);
        form_release(&f);
        return ret;
    }
    const char *login = form_get(&f, "login", NULL);
    const char *pw = form_get(&f, "password", &len);
    char token[API_TOKEN_TEXT_MAX], id[STORE_ID_LEN + 1];
    int64_t retry_after;
    ret = account_sign_in(req, login, pw, len, token, id, &retry_after, &why) != 0
              ? show_signin(req, login, &why)
              : page_signed_in(req, &account_session_kind, token, sizeof token);
    form_release(&f);
    return ret;
}

int page_signout(const struct web_request *req)
{
    return page_sign_out(req, &account_session_kind);
}

int page_account(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    struct page p;
    page_init(&p, req, account_texts, N(account_texts), "title");
    page_registration_view(&p, &reg);
    /* What the person just did, told once at the top. */
    static const struct {
        const char *query, *value, *text;
    } notices[] = {{"domicilio", "cambiado", "moved"},
                   {"contacto", "guardado", "contact_saved"},
                   {"correo", "cambiado", "email_changed"},
                   {"celular", "confirmado", "phone_confirmed"},
                   {"nombre", "corregido", "names_corrected"}};
    for (size_t i = 0; i < N(notices); i++) {
        const char *v = web_query(req, notices[i].query);
        if (v && strcmp(v, notices[i].value) == 0)
            json_object_set_new(
                p.view, "notice",
                json_string(page_text(&p, account_texts, N(account_texts), notices[i].text)));
    }
    if (reg.pending_email[0])
        json_object_set_new(p.view, "pending_email", json_string(reg.pending_email));
    if (reg.suspended_at) /* found active in a roll: what it means and what to do */
        json_object_set_new(p.view, "suspension_notice",
                            json_string(i18n(req->lang, reg.suspended_institution == STORE_ISSSTE
                                                            ? MSG_SUSPENDED_ISSSTE
                                                            : MSG_SUSPENDED_IMSS)));
    char err[256];
    json_t *clinic = home_clinic_json(req->app, reg.id, err, sizeof err);
    if (!clinic) {
        json_decref(p.view);
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
        return page_fail(req);
    }
    if (json_is_object(clinic)) {
        char hours[512];
        home_clinic_hours_text(json_string_value(json_object_get(clinic, "hours")), req->lang,
                               hours, sizeof hours);
        if (*hours)
            json_object_set_new(clinic, "hours_text", json_string(hours));
        json_object_set_new(p.view, "clinic", clinic);
    } else
        json_decref(clinic);
    json_t *accesses = staff_accesses_json(req, reg.curp);
    if (!accesses) {
        json_decref(p.view);
        return page_fail(req);
    }
    /* Worded for the person: role and what was seen in words, the unit by name. */
    size_t i;
    json_t *a;
    json_array_foreach(accesses, i, a)
    {
        const char *keys[] = {"role", "action"};
        for (size_t k = 0; k < 2; k++) {
            const char *v = json_string_value(json_object_get(a, keys[k]));
            const char *text = page_text(&p, account_texts, N(account_texts), v ? v : "");
            if (text[0])
                json_object_set_new(a, keys[k], json_string(text));
        }
        /* "2026-12-03T08:31:05Z" reads "2026-12-03 08:31". */
        char when[17];
        snprintf(when, sizeof when, "%s", json_string_value(json_object_get(a, "at")));
        if (strlen(when) == 16)
            when[10] = ' ';
        json_object_set_new(a, "at", json_string(when));
    }
    json_object_set_new(p.view, "has_accesses", json_boolean(json_array_size(accesses) > 0));
    json_object_set_new(p.view, "accesses", accesses);
    return page_send(&p, "page/account", MHD_HTTP_OK);
}

int page_account_document(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    return page_send_document(req, &reg, req->params[0]);
}

static int show_contact(const struct web_request *req, const struct store_registration *reg,
                        const char *phone, const char *email, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, contact_texts, N(contact_texts), "title");
    page_contact_fields(&p);
    json_object_set_new(p.view, "phone", json_string(phone ? phone : reg->contact.phone));
    json_object_set_new(p.view, "email", json_string(email ? email : reg->contact.email));
    if (reg->pending_email[0])
        json_object_set_new(p.view, "pending_email", json_string(reg->pending_email));
    if (why)
        page_error(&p, why->field, why->message);
    return page_send(&p, "page/account_contact", why ? why->status : MHD_HTTP_OK);
}

int page_account_contact_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    return show_contact(req, &reg, NULL, NULL, NULL);
}

int page_account_contact_post(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (page_need_session(req, &reg, &ret) != 0)
        return ret;
    struct form f;
    struct refusal why;
    struct account_change done;
    if (page_read_form(req, &contact_form, &f, "email", &why) != 0) {
        ret = show_contact(req, &reg, NULL, NULL, &why);
    } else {
        const char *phone = form_get(&f, "phone", NULL), *email = form_get(&f, "email", NULL);
        if (account_change_contact(req, &reg, phone, email, &done, &why) != 0)
            ret = show_contact(req, &reg, phone, email, &why);
        else
            ret = page_go(req, done.email_pending ? "/cuenta/correo"
                               : strcmp(done.phone_verification, "sent") == 0
                                   ? "/cuenta/celular"
                                   : "/cuenta?contacto=guardado");
    }
    form_release(&f);
    return ret;
}
