/*
 * The steps of an application as the desk takes them: each is the applicant's own
 * function (web/enrollment.h) between assisted_change_begin and
 * assisted_change_end, so its audit record commits with the change.
 */
#include "web/assisted.h"

#include "web/issued.h"

#include <jansson.h>

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

int assisted_names(const struct web_request *req, const struct staff_member *who,
                   const struct store_registration *reg, const struct enrollment_names_input *in,
                   struct refusal *why)
{
    struct store_audit_record rec;
    enum enrollment_names_outcome outcome;
    assisted_change_begin(req, who, reg, "names", &rec);
    int rc = enrollment_names(req, reg, in, &outcome, why);
    assisted_change_end(req);
    return rc;
}

int assisted_contact(const struct web_request *req, const struct staff_member *who,
                     const struct store_registration *reg, const char *state, const char *phone,
                     const char *email, const char *notice_version, struct refusal *why)
{
    struct store_contact c;
    struct store_audit_record rec;
    char err[256];
    if (enrollment_contact_at_desk(req, state, phone, email, notice_version, &c, why) != 0)
        return -1;
    /* The consent read at the desk is recorded with the receptionist's account. */
    assisted_change_begin(req, who, reg, "contact", &rec);
    int stored = store_registration_set_contact(req->app->store, reg->id, &c, i18n_code(req->lang),
                                                req->app->clock(), err, sizeof err);
    assisted_change_end(req);
    return enrollment_stored_or_refused(req, stored, err, why);
}

int assisted_email_code(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const char *code, int *attempts_left,
                        struct refusal *why)
{
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "email_code", &rec);
    int rc = enrollment_check_email_code(req, reg->id, code, why, attempts_left);
    assisted_change_end(req);
    return rc;
}

int assisted_identity(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, const char *nationality,
                      const char *id_type, struct refusal *why)
{
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "identity", &rec);
    int rc = enrollment_identity(req, reg, nationality, id_type, why);
    assisted_change_end(req);
    return rc;
}

int assisted_password(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, const char *password, size_t len,
                      unsigned *failed, struct refusal *why)
{
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "password", &rec);
    int rc = enrollment_password(req, reg, password, len, failed, why);
    assisted_change_end(req);
    return rc;
}

int assisted_address(const struct web_request *req, const struct staff_member *who,
                     const struct store_registration *reg,
                     const struct enrollment_address_input *in, struct refusal *why)
{
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "address", &rec);
    int rc = enrollment_address(req, reg, in, why);
    assisted_change_end(req);
    return rc;
}

int assisted_document(const struct web_request *req, const struct staff_member *who,
                      const struct store_registration *reg, enum store_document_kind kind,
                      const uint8_t *data, size_t len, struct refusal *why)
{
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "document", &rec);
    int rc = enrollment_document(req, reg, kind, data, len, why);
    assisted_change_end(req);
    return rc;
}

int assisted_verify_identity(const struct web_request *req, const struct staff_member *who,
                             const struct store_registration *reg, const char *checked_id_type,
                             struct refusal *why)
{
    const char *id_type = reg->id_type[0] ? reg->id_type : "ine";
    if (!checked_id_type)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "checked_id_type",
                            req->lang == I18N_EN
                                ? "Check the person's original ID and say which one you checked."
                                : "Revise la identificación original de la persona y diga cuál "
                                  "revisó.");
    if (strcmp(checked_id_type, id_type) != 0)
        return refusal_text(
            why, MHD_HTTP_UNPROCESSABLE_CONTENT, "id_type_mismatch", "checked_id_type",
            req->lang == I18N_EN ? "The ID checked is not the one the application names: correct "
                                   "the identity step or check the ID it names."
                                 : "La identificación revisada no es la que dice la solicitud: "
                                   "corrija el paso de identificación o revise la identificación "
                                   "indicada.");
    char err[256];
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "id_check", &rec);
    int stored = store_registration_verify_by_staff(req->app->store, reg->id, who->account.id,
                                                    req->app->clock(), err, sizeof err);
    assisted_change_end(req);
    return enrollment_stored_or_refused(req, stored, err, why);
}

int assisted_submit(const struct web_request *req, const struct staff_member *who,
                    const struct store_registration *reg, char folio[FOLIO_LENGTH + 1],
                    bool missing[ENROLLMENT_STEPS], struct refusal *why)
{
    memset(missing, 0, ENROLLMENT_STEPS * sizeof missing[0]);
    if (reg->status == STORE_REG_DRAFT && assisted_identity_missing(reg))
        return refusal_text(
            why, MHD_HTTP_UNPROCESSABLE_CONTENT, "identity_not_checked", "checked_id_type",
            req->lang == I18N_EN
                ? "The person's original ID has not been checked at the desk yet."
                : "Falta revisar la identificación original de la persona en la ventanilla.");
    struct store_audit_record rec;
    assisted_change_begin(req, who, reg, "submit", &rec);
    int ret = enrollment_submit(req, reg, folio, missing, why);
    assisted_change_end(req);
    return ret;
}

int assisted_credential_pdf(const struct web_request *req, const struct staff_member *who,
                            const struct store_registration *reg, uint8_t **pdf, size_t *len,
                            char name[ASSISTED_PDF_NAME], struct refusal *why)
{
    struct store_credential c;
    if (reg->status != STORE_REG_ACTIVE)
        return refusal_text(why, MHD_HTTP_CONFLICT, "not_active", NULL,
                            req->lang == I18N_EN
                                ? "The credential exists once the enrollment is submitted."
                                : "La credencial existe cuando la afiliación se envía.");
    /* The card carries the person's data and face: its record goes first. */
    if (assisted_audit_read(req, who, reg, "credential", why) != 0 ||
        issued_credential(req, reg->id, &c, why) != 0 ||
        issued_credential_pdf(req, reg, &c, pdf, len, why) != 0)
        return -1;
    snprintf(name, ASSISTED_PDF_NAME, "credencial-%s.pdf", c.id);
    return 0;
}

json_t *assisted_missing_json(const struct web_request *req, const struct store_registration *reg)
{
    bool missing[ENROLLMENT_STEPS];
    enrollment_missing(reg, missing);
    if (reg->status != STORE_REG_DRAFT)
        return json_array();
    /* The proof of identity at the desk is the ID check, and the email code only
     * when there is an email: listed apart so the desk sees which. */
    bool id_check = assisted_identity_missing(reg);
    if (id_check && missing[2])
        missing[2] = reg->contact.email[0] && !reg->contact.email_verified_at;
    json_t *list = api_missing_json(req, missing);
    if (id_check)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "step", "identity_verification", "message",
                            req->lang == I18N_EN
                                ? "the check of the original ID at the desk"
                                : "la revisión de la identificación original en la ventanilla"));
    return list;
}
