/*
 * /api/v1/staff/enrollments: assisted enrollment at a unit's desk (docs/staff.md,
 * "Assisted enrollment"). A receptionist, signed in with a staff session, starts or
 * resumes a person's application by CURP (in the body), then completes the same
 * steps as the applicant's API with the same functions (web/enrollment.h), each
 * change audited in its own transaction (web/assisted.h). The email is optional
 * at the desk: the receptionist's check of the original ID stands for it.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/assisted.h"
#include "web/home_clinic.h"
#include "web/issued.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

/* The application as the desk sees it: the applicant's view, with what is missing
 * (the identity check among it) and whether the desk assisted it. */
static json_t *enrollment_json(const struct web_request *req, const struct store_registration *reg,
                               json_t *j)
{
    json_object_set_new(j, "missing", assisted_missing_json(req, reg));
    json_object_set_new(j, "assisted", json_boolean(reg->assisted_by != 0));
    json_object_set_new(j, "identity_checked_at_desk",
                        json_boolean(reg->verified_by_staff_at != 0));
    return j;
}

/* Sends reg (200) as the desk sees it, with its home clinic (null before the submit). */
static int reply_reg(const struct web_request *req, const struct store_registration *reg)
{
    char err[256];
    json_t *clinic = home_clinic_json(req->app, reg->id, err, sizeof err);
    if (!clinic)
        return api_internal_error(req, err);
    json_t *j = enrollment_json(req, reg, api_registration_json(reg));
    json_object_set_new(j, "home_clinic", clinic);
    return web_reply_json(req, MHD_HTTP_OK, j);
}

/* Reloads the application and sends it (200). */
static int reply_enrollment(const struct web_request *req, const char *id)
{
    struct store_registration reg;
    char err[256];
    if (store_registration_get(req->app->store, id, &reg, err, sizeof err) != 1)
        return api_internal_error(req, err);
    return reply_reg(req, &reg);
}

/* A desk call on the application of the path: the staff call and the application. */
struct desk {
    struct staff_call c;
    struct store_registration reg;
};

/* Starts a desk call: the staff member, the application of the path for a change
 * or a read (assisted_load), then the body with only fields (NULL: none). 0, or
 * -1 with the reply sent and its result in *ret (nothing to end). */
static int desk_open(const struct web_request *req, bool change, const char *const *fields,
                     struct desk *d, int *ret)
{
    if (api_staff_call(req, NULL, &d->c, ret) != 0)
        return -1;
    if (assisted_load(req, &d->c.who, req->params[0], change, &d->reg, &d->c.why) != 0) {
        *ret = api_reply_refusal(req, &d->c.why);
        return -1;
    }
    return fields ? api_read_body(req, fields, &d->c.body, ret) : 0;
}

/* Ends a desk change: its refusal (rc != 0) or the application reloaded (200). */
static int desk_done(const struct web_request *req, struct desk *d, int rc)
{
    return api_staff_call_end(&d->c, rc != 0 ? api_reply_refusal(req, &d->c.why)
                                             : reply_enrollment(req, d->reg.id));
}

int api_staff_enrollment_start(const struct web_request *req)
{
    static const char *const fields[] = {"curp", "folio", NULL};
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    json_t *body;
    bool resumed;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    if (assisted_start(req, &who, json_input_text(body, "curp"), json_input_text(body, "folio"),
                       &reg, &resumed, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else {
        json_t *j = enrollment_json(req, &reg, api_registration_json(&reg));
        json_object_set_new(j, "resumed", json_boolean(resumed));
        ret = web_reply_json(req, resumed ? MHD_HTTP_OK : MHD_HTTP_CREATED, j);
    }
    json_decref(body);
    return ret;
}

int api_staff_enrollment_get(const struct web_request *req)
{
    struct desk d;
    int ret;
    if (desk_open(req, false, NULL, &d, &ret) != 0)
        return ret;
    if (assisted_audit_read(req, &d.c.who, &d.reg, "read", &d.c.why) != 0)
        return api_reply_refusal(req, &d.c.why);
    return reply_reg(req, &d.reg);
}

int api_staff_enrollment_names(const struct web_request *req)
{
    static const char *const fields[] = {"given_names", "first_surname", "second_surname", NULL};
    struct desk d;
    int ret;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    const struct enrollment_names_input in = {json_input_text(d.c.body, "given_names"),
                                              json_input_text(d.c.body, "first_surname"),
                                              json_input_text(d.c.body, "second_surname")};
    return desk_done(req, &d, assisted_names(req, &d.c.who, &d.reg, &in, &d.c.why));
}

int api_staff_enrollment_contact(const struct web_request *req)
{
    static const char *const fields[] = {"state", "phone", "email", "privacy_notice_version", NULL};
    struct desk d;
    char err[256];
    int ret;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    json_t *body = d.c.body;
    if (assisted_contact(req, &d.c.who, &d.reg, json_input_text(body, "state"),
                         json_input_text(body, "phone"), json_input_text(body, "email"),
                         json_input_text(body, "privacy_notice_version"), &d.c.why) != 0)
        ret = api_reply_refusal(req, &d.c.why);
    else if (store_registration_get(req->app->store, d.reg.id, &d.reg, err, sizeof err) != 1)
        ret = api_internal_error(req, err);
    else /* the codes go out as online: the email's, and the phone's by SMS */
        ret =
            web_reply_json(req, MHD_HTTP_OK,
                           enrollment_json(req, &d.reg, api_registration_with_codes(req, &d.reg)));
    return api_staff_call_end(&d.c, ret);
}

int api_staff_enrollment_email_code(const struct web_request *req)
{
    static const char *const fields[] = {"code", NULL};
    struct desk d;
    int ret, left;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    const struct refusal *why = &d.c.why;
    int rc = assisted_email_code(req, &d.c.who, &d.reg, json_input_text(d.c.body, "code"), &left,
                                 &d.c.why);
    if (rc != 0 && strcmp(why->code, "wrong_code") == 0)
        return api_staff_call_end(
            &d.c, web_reply_json(req, why->status,
                                 json_pack("{s:{s:s, s:s, s:s}, s:i}", "error", "code", why->code,
                                           "field", "code", "message", why->message,
                                           "attempts_left", left)));
    return desk_done(req, &d, rc);
}

int api_staff_enrollment_identity(const struct web_request *req)
{
    static const char *const fields[] = {"nationality", "id_type", NULL};
    struct desk d;
    int ret;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    return desk_done(req, &d,
                     assisted_identity(req, &d.c.who, &d.reg,
                                       json_input_text(d.c.body, "nationality"),
                                       json_input_text(d.c.body, "id_type"), &d.c.why));
}

int api_staff_enrollment_id_check(const struct web_request *req)
{
    static const char *const fields[] = {"checked_id_type", NULL};
    struct desk d;
    int ret;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    return desk_done(req, &d,
                     assisted_verify_identity(req, &d.c.who, &d.reg,
                                              json_input_text(d.c.body, "checked_id_type"),
                                              &d.c.why));
}

int api_staff_enrollment_password(const struct web_request *req)
{
    static const char *const fields[] = {"password", NULL};
    struct desk d;
    unsigned failed;
    int ret;
    if (desk_open(req, true, fields, &d, &ret) != 0)
        return ret;
    size_t len;
    const char *pw = json_input_secret(d.c.body, "password", &len);
    int rc = assisted_password(req, &d.c.who, &d.reg, pw, len, &failed, &d.c.why);
    json_input_wipe(d.c.body, "password");
    return desk_done(req, &d, rc);
}

int api_staff_enrollment_address(const struct web_request *req)
{
    struct desk d;
    int ret;
    if (desk_open(req, true, api_address_fields, &d, &ret) != 0)
        return ret;
    const struct enrollment_address_input in = api_address_input(d.c.body);
    return desk_done(req, &d, assisted_address(req, &d.c.who, &d.reg, &in, &d.c.why));
}

int api_staff_enrollment_document(const struct web_request *req)
{
    struct desk d;
    enum store_document_kind kind;
    enum staff_action action;
    int ret;
    if (desk_open(req, true, NULL, &d, &ret) != 0)
        return ret;
    if (staff_document_kind(req->params[1], &kind, &action) != 0)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "unknown_document_kind", NULL,
                                  MSG_DOCUMENT_KIND_UNKNOWN);
    return desk_done(req, &d,
                     assisted_document(req, &d.c.who, &d.reg, kind, (const uint8_t *)req->body,
                                       req->body_len, &d.c.why));
}

int api_staff_enrollment_submit(const struct web_request *req)
{
    struct desk d;
    char folio[FOLIO_LENGTH + 1];
    bool missing[ENROLLMENT_STEPS];
    int ret;
    if (desk_open(req, false, NULL, &d, &ret) != 0)
        return ret;
    if (assisted_submit(req, &d.c.who, &d.reg, folio, missing, &d.c.why) == 0)
        return web_reply_json(req, MHD_HTTP_OK,
                              json_pack("{s:s, s:s}", "status", "active", "folio", folio));
    if (strcmp(d.c.why.code, "incomplete") == 0)
        return api_reply_incomplete(req, missing);
    return api_reply_refusal(req, &d.c.why);
}

int api_staff_enrollment_credential_pdf(const struct web_request *req)
{
    struct desk d;
    char name[ASSISTED_PDF_NAME];
    uint8_t *pdf;
    size_t len;
    int ret;
    if (desk_open(req, false, NULL, &d, &ret) != 0)
        return ret;
    if (assisted_credential_pdf(req, &d.c.who, &d.reg, &pdf, &len, name, &d.c.why) != 0)
        return api_reply_refusal(req, &d.c.why);
    return web_reply_pdf(req, pdf, len, name);
}
