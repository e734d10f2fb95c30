/*
 * The desk's enrollment pages (docs/staff.md, "Assisted enrollment"): a
 * receptionist types the person's CURP (posted, never in a URL), then fills the
 * application on one page of sections (names, contact with the privacy notice read
 * at the desk, the email code when there is an email, the check of the original
 * ID, the address, the photos from the desk's camera or a file) and submits it;
 * the page then shows the folio and the credential card to print.
 *
 * /personal/inscripcion                  GET the CURP form, POST it
 * /personal/inscripcion/{id}             GET the application (opaque id)
 * /personal/inscripcion/{id}/{step}      POST nombre|contacto|codigo|identificacion|
 *                                        domicilio|enviar
 * /personal/inscripcion/{id}/documentos/{kind}  POST a photo (multipart)
 * /personal/inscripcion/{id}/credencial.pdf     GET the card
 *
 * Every rule is the applicant's (web/enrollment.h) through web/assisted.h, which
 * authorizes and audits; a refused step shows the page again with the error at
 * its field, an accepted one redirects back to the page.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/assisted.h"
#include "web/form.h"
#include "web/issued.h"
#include "web/page.h"
#include "web/privacy_notice.h"
#include "media/photo.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Inscribir a una persona", "Enroll a person"}},
    {"heading", {"Inscribir a una persona en la ventanilla", "Enroll a person at the desk"}},
    {"signed_in_as", {"Personal:", "Staff:"}},
    {"summary_title", {"Revise lo siguiente", "Please check the following"}},
    {"curp_label", {"CURP de la persona", "The person's CURP"}},
    {"curp_hint",
     {"Si la persona empezó su solicitud en línea, se retoma; si no, se empieza una nueva.",
      "If the person started online, their application is resumed; if not, a new one starts."}},
    {"start", {"Empezar o retomar", "Start or resume"}},
    {"missing_title", {"Falta", "Still missing"}},
    {"names_title", {"Nombre", "Name"}},
    {"given_names", {"Nombre(s)", "Given name(s)"}},
    {"first_surname", {"Primer apellido", "First surname"}},
    {"second_surname", {"Segundo apellido (si tiene)", "Second surname (if any)"}},
    {"contact_title", {"Contacto y aviso de privacidad", "Contact and privacy notice"}},
    {"state_label", {"Estado donde vive", "State of residence"}},
    {"choose", {"Elija", "Choose"}},
    {"phone_label", {"Celular (opcional)", "Mobile phone (optional)"}},
    {"email_label", {"Correo (opcional)", "Email (optional)"}},
    {"email_hint",
     {"Sin correo, la persona recibe su folio y credencial impresos aquí.",
      "Without email, the person gets their folio and credential printed here."}},
    {"notice_read",
     {"Aviso de privacidad (léalo con la persona)", "Privacy notice (read it with the person)"}},
    {"notice_accept",
     {"La persona leyó el aviso aquí y lo acepta (queda registrado con su cuenta).",
      "The person read the notice here and accepts it (recorded with your account)."}},
    {"code_title", {"Código del correo", "Email code"}},
    {"code_label", {"Código de 6 dígitos que recibió la persona", "6-digit code the person got"}},
    {"id_title", {"Identificación original", "Original ID"}},
    {"id_accept",
     {"Revisé la identificación original de la persona y es ella.",
      "I checked the person's original ID and it is them."}},
    {"id_done", {"Identificación revisada.", "ID checked."}},
    {"address_title", {"Domicilio", "Address"}},
    {"postal_code", {"Código postal", "Postal code"}},
    {"municipality", {"Municipio (clave INEGI de 3 dígitos)", "Municipality (3-digit INEGI code)"}},
    {"settlement", {"Colonia", "Settlement"}},
    {"street", {"Calle", "Street"}},
    {"number", {"Número exterior", "Number"}},
    {"interior", {"Número interior (si tiene)", "Interior number (if any)"}},
    {"documents_title", {"Fotos", "Photos"}},
    {"photo_hint",
     {"Tome la foto con la cámara de la ventanilla o elija un archivo (JPEG o PNG, hasta 10 MB).",
      "Take the photo with the desk's camera or choose a file (JPEG or PNG, up to 10 MB)."}},
    {"id_front", {"Identificación, frente", "ID, front"}},
    {"id_back", {"Identificación, reverso", "ID, back"}},
    {"face", {"Rostro", "Face"}},
    {"received", {"Recibida", "Received"}},
    {"upload", {"Subir", "Upload"}},
    {"save", {"Guardar", "Save"}},
    {"submit", {"Enviar la solicitud", "Submit the application"}},
    {"done_title", {"Afiliación activa", "Active enrollment"}},
    {"folio", {"Folio", "Folio"}},
    {"print", {"Imprimir la credencial (PDF)", "Print the credential (PDF)"}},
    {"another", {"Inscribir a otra persona", "Enroll another person"}},
    {"audited",
     {"Cada paso queda en la bitácora de accesos y la persona puede verlo.",
      "Every step is in the access log and the person can see it."}},
};

static const char *const start_fields[] = {"csrf", "curp", NULL};
static const struct form_decl start_form = {start_fields, NULL, NULL};
static const struct form_file_decl photo_file[] = {{"photo", PHOTO_MAX_BYTES}, {NULL, 0}};
static const char *const csrf_only[] = {"csrf", NULL};
static const struct form_decl photo_form = {csrf_only, NULL, photo_file};

static void staff_view(struct page *p, const struct staff_member *who)
{
    const char *name = staff_unit_name(p->req, who->account.unit);
    json_object_set_new(p->view, "staff",
                        json_pack("{s:s?, s:s?}", "unit",
                                  who->account.unit[0] ? who->account.unit : NULL, "unit_name",
                                  name[0] ? name : NULL));
}

static int show_start(const struct web_request *req, const struct staff_member *who,
                      const char *curp, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    staff_view(&p, who);
    json_object_set_new(p.view, "curp", json_string(curp ? curp : ""));
    if (why)
        page_error(&p, why->field ? why->field : "curp", why->message);
    return page_send(&p, "page/staff_enroll_start", why ? why->status : MHD_HTTP_OK);
}

int page_assisted_start_get(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    return page_staff_member(req, &who, &ret) != 0 ? ret : show_start(req, &who, NULL, NULL);
}

int page_assisted_start_post(const struct web_request *req)
{
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    struct form f;
    bool resumed;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    if (page_read_form(req, &start_form, &f, "curp", &why) != 0 ||
        assisted_start(req, &who, form_get(&f, "curp", NULL), NULL, &reg, &resumed, &why) != 0) {
        ret = show_start(req, &who, form_get(&f, "curp", NULL), &why);
    } else {
        char location[64];
        snprintf(location, sizeof location, "/personal/inscripcion/%s", reg.id);
        ret = page_go(req, location);
    }
    form_release(&f);
    return ret;
}

/* The application's sections, filled with what it holds. */
static void enrollment_view(struct page *p, const struct store_registration *reg)
{
    const struct web_request *req = p->req;
    json_t *v = p->view;
    char mun[8] = "";
    json_object_set_new(v, "id", json_string(reg->id));
    json_object_set_new(v, "curp", json_string(reg->curp));
    json_object_set_new(v, "active", json_boolean(reg->status == STORE_REG_ACTIVE));
    json_object_set_new(v, "folio", json_string(reg->folio));
    json_object_set_new(v, "missing", assisted_missing_json(req, reg));
    json_object_set_new(v, "names",
                        json_pack("{s:s, s:s, s:s}", "given_names", reg->names.given_names,
                                  "first_surname", reg->names.first_surname, "second_surname",
                                  reg->names.second_surname));
    const struct privacy_notice *notice = privacy_notice_current();
    json_object_set_new(v, "states", page_state_options(req, reg->contact.state));
    json_object_set_new(v, "phone", json_string(reg->contact.phone));
    json_object_set_new(v, "email", json_string(reg->contact.email));
    json_object_set_new(v, "email_pending",
                        json_boolean(reg->contact.email[0] && !reg->contact.email_verified_at));
    json_object_set_new(v, "notice", page_notice_paragraphs(req));
    json_object_set_new(v, "notice_version", json_string(notice->version));
    json_object_set_new(v, "accepted",
                        json_boolean(strcmp(reg->contact.privacy_version, notice->version) == 0));
    json_object_set_new(v, "id_type", json_string(reg->id_type[0] ? reg->id_type : "ine"));
    json_object_set_new(v, "id_checked", json_boolean(reg->verified_by_staff_at != 0));
    const struct store_address *a = &reg->address;
    if (a->recorded_at) {
        snprintf(mun, sizeof mun, "%03d", a->municipality % 1000);
    }
    json_object_set_new(v, "address_states", page_state_options(req, a->state));
    json_object_set_new(v, "address",
                        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "postal_code", a->postal_code,
                                  "municipality", mun, "settlement", a->settlement, "street",
                                  a->street, "number", a->number, "interior", a->interior));
    static const enum store_document_kind kinds[] = {STORE_DOC_ID_FRONT, STORE_DOC_ID_BACK,
                                                     STORE_DOC_FACE};
    json_t *docs = json_array();
    for (size_t i = 0; i < N(kinds); i++) {
        const char *kind = api_document_kind_name(kinds[i]);
        json_array_append_new(docs, json_pack("{s:s, s:s, s:b}", "kind", kind, "title",
                                              page_text(p, texts, N(texts), kind), "uploaded",
                                              reg->documents[kinds[i]].uploaded_at != 0));
    }
    json_object_set_new(v, "documents", docs);
}

/* The whole page for reg, with why (a refused step) at its field. */
static int show(const struct web_request *req, const struct staff_member *who,
                const struct store_registration *reg, const struct refusal *why)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    staff_view(&p, who);
    enrollment_view(&p, reg);
    if (why)
        page_error(&p, why->field ? why->field : "missing", why->message);
    return page_send(&p, "page/staff_enroll", why ? why->status : MHD_HTTP_OK);
}

/* The staff member and the application of the path; -1 with the reply sent. */
static int load(const struct web_request *req, bool change, struct staff_member *who,
                struct store_registration *reg, int *ret)
{
    struct refusal why;
    if (page_staff_member(req, who, ret) != 0)
        return -1;
    if (assisted_load(req, who, req->params[0], change, reg, &why) == 0)
        return 0;
    *ret =
        web_reply(req, why.status, "text/plain; charset=utf-8", why.message, strlen(why.message));
    return -1;
}

int page_assisted_get(const struct web_request *req)
{
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    int ret;
    if (load(req, false, &who, &reg, &ret) != 0)
        return ret;
    if (assisted_audit_read(req, &who, &reg, "read", &why) != 0)
        return page_fail(req);
    return show(req, &who, &reg, NULL);
}

/* One step's form: its fields and what it does with them. */
struct step {
    const char *path; /* the last URL segment */
    const char *const *fields;
    int (*apply)(const struct web_request *req, const struct staff_member *who,
                 const struct store_registration *reg, const struct form *f, struct refusal *why);
};

static int apply_names(const struct web_request *req, const struct staff_member *who,
                       const struct store_registration *reg, const struct form *f,
                       struct refusal *why)
{
    const struct enrollment_names_input in = {form_get(f, "given_names", NULL),
                                              form_get(f, "first_surname", NULL),
                                              form_get(f, "second_surname", NULL)};
    return assisted_names(req, who, reg, &in, why);
}

static int apply_contact(const struct web_request *req, const struct staff_member *who,
                         const struct store_registration *reg, const struct form *f,
                         struct refusal *why)
{
    char err[256];
    struct store_registration now;
    if (assisted_contact(req, who, reg, form_get(f, "state", NULL), form_get(f, "phone", NULL),
                         form_get(f, "email", NULL), form_get(f, "privacy_notice_version", NULL),
                         why) != 0)
        return -1;
    /* The codes go out as online: the email's, and the phone's by SMS. */
    if (store_registration_get(req->app->store, reg->id, &now, err, sizeof err) == 1)
        json_decref(api_registration_with_codes(req, &now));
    return 0;
}

static int apply_code(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, const struct form *f,
                      struct refusal *why)
{
    int left;
    return assisted_email_code(req, who, reg, form_get(f, "code", NULL), &left, why);
}

static int apply_id_check(const struct web_request *req, const struct staff_member *who,
                          const struct store_registration *reg, const struct form *f,
                          struct refusal *why)
{
    return assisted_verify_identity(req, who, reg, form_get(f, "checked_id_type", NULL), why);
}

static int apply_address(const struct web_request *req, const struct staff_member *who,
                         const struct store_registration *reg, const struct form *f,
                         struct refusal *why)
{
    const struct enrollment_address_input in = {form_get(f, "postal_code", NULL),
                                                form_get(f, "state", NULL),
                                                form_get(f, "municipality", NULL),
                                                form_get(f, "settlement", NULL),
                                                form_get(f, "street", NULL),
                                                form_get(f, "number", NULL),
                                                form_get(f, "interior", NULL),
                                                NULL,
                                                NULL};
    return assisted_address(req, who, reg, &in, why);
}

static int apply_submit(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const struct form *f,
                        struct refusal *why)
{
    (void)f;
    char folio[FOLIO_LENGTH + 1];
    bool missing[ENROLLMENT_STEPS];
    return assisted_submit(req, who, reg, folio, missing, why);
}

static const char *const names_fields[] = {"csrf", "given_names", "first_surname", "second_surname",
                                           NULL};
static const char *const contact_fields[] = {
    "csrf", "state", "phone", "email", "privacy_notice_version", NULL};
static const char *const code_fields[] = {"csrf", "code", NULL};
static const char *const id_fields[] = {"csrf", "checked_id_type", NULL};
static const char *const address_fields[] = {"csrf",         "postal_code", "state",
                                             "municipality", "settlement",  "street",
                                             "number",       "interior",    NULL};

static const struct step steps[] = {
    {"nombre", names_fields, apply_names},        {"contacto", contact_fields, apply_contact},
    {"codigo", code_fields, apply_code},          {"identificacion", id_fields, apply_id_check},
    {"domicilio", address_fields, apply_address}, {"enviar", csrf_only, apply_submit},
};

int page_assisted_step_post(const struct web_request *req)
{
    const struct step *step = NULL;
    for (size_t i = 0; i < N(steps) && !step; i++)
        if (strcmp(req->params[1], steps[i].path) == 0)
            step = &steps[i];
    if (!step)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND);
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    struct form f;
    int ret;
    /* The submit of an active application answers its folio again. */
    if (load(req, step->apply != apply_submit, &who, &reg, &ret) != 0)
        return ret;
    const struct form_decl decl = {step->fields, NULL, NULL};
    char location[64];
    snprintf(location, sizeof location, "/personal/inscripcion/%s", reg.id);
    if (page_read_form(req, &decl, &f, NULL, &why) != 0 ||
        step->apply(req, &who, &reg, &f, &why) != 0)
        ret = show(req, &who, &reg, &why);
    else
        ret = page_go(req, location);
    form_release(&f);
    return ret;
}

int page_assisted_document_post(const struct web_request *req)
{
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    struct form f;
    enum store_document_kind kind;
    enum staff_action action;
    const struct form_entry *file;
    int ret;
    if (load(req, true, &who, &reg, &ret) != 0)
        return ret;
    if (staff_document_kind(req->params[1], &kind, &action) != 0)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_DOCUMENT_KIND_UNKNOWN);
    char location[64];
    snprintf(location, sizeof location, "/personal/inscripcion/%s", reg.id);
    if (page_read_form(req, &photo_form, &f, "photo", &why) != 0) {
        ret = show(req, &who, &reg, &why);
    } else if (!(file = form_file(&f, "photo")) || file->len == 0) {
        refusal_set(req, &why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "photo",
                    MSG_DOCUMENT_MISSING);
        ret = show(req, &who, &reg, &why);
    } else {
        int rc =
            assisted_document(req, &who, &reg, kind, (const uint8_t *)file->data, file->len, &why);
        ret = rc != 0 ? show(req, &who, &reg, &why) : page_go(req, location);
    }
    form_release(&f);
    return ret;
}

int page_assisted_credential(const struct web_request *req)
{
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    char name[ASSISTED_PDF_NAME];
    uint8_t *pdf;
    size_t len;
    int ret;
    if (load(req, false, &who, &reg, &ret) != 0)
        return ret;
    if (assisted_credential_pdf(req, &who, &reg, &pdf, &len, name, &why) != 0)
        return web_reply(req, why.status, "text/plain; charset=utf-8", why.message,
                         strlen(why.message));
    return web_reply_pdf(req, pdf, len, name);
}
