/* /api/v1/registrations: start an application by CURP, and read it back. */
#include "web/routes.h"

#include "core/civil_date.h"
#include "core/contact.h"
#include "core/curp.h"
#include "catalog/catalog.h"
#include "store/store.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/json_input.h"
#include "web/privacy_notice.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int api_check_curp(const struct web_request *req, const char *curp, struct curp_result *r, int *ret)
{
    struct refusal why;
    if (enrollment_check_curp(req, curp, r, &why) == 0)
        return 0;
    *ret = web_reply_error(req, why.status, why.code, why.field, why.message);
    return -1;
}

int api_registration_create(const struct web_request *req)
{
    static const char *const fields[] = {"curp", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct curp_result r;
    struct refusal why;
    char id[STORE_ID_LEN + 1], token[ENROLLMENT_TOKEN_MAX];
    const char *curp = json_input_text(body, "curp");
    if (!curp)
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                                 MSG_FIELD_REQUIRED);
    else if (enrollment_check_curp(req, curp, &r, &why) != 0 ||
             enrollment_start(req, &r, id, token, &why) != 0)
        ret = web_reply_error(req, why.status, why.code, why.field, why.message);
    else
        ret = web_reply_json(
            req, MHD_HTTP_CREATED,
            json_pack("{s:s, s:s, s:s}", "id", id, "token", token, "status", "draft"));
    sodium_memzero(token, sizeof token);
    json_decref(body);
    return ret;
}

int api_registration_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    return api_reply_registration_json(req, &reg);
}

/* The application after its contact step, with a code sent to an unproven email:
 * "email_verification" is "verified", "sent", or "throttled" with "retry_after". */
json_t *api_registration_with_codes(const struct web_request *req,
                                    const struct store_registration *reg)
{
    json_t *j = api_registration_json(reg);
    json_object_set_new(j, "phone_verification", json_string(api_send_phone_code(req, reg)));
    if (reg->contact.email_verified_at) {
        json_object_set_new(j, "email_verification", json_string("verified"));
        return j;
    }
    char err[256];
    int64_t retry_after = 0;
    int rc = api_send_email_code(req, reg, &retry_after, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    json_object_set_new(j, "email_verification",
                        json_string(rc == 1   ? "sent"
                                    : rc == 0 ? "throttled"
                                              : "not_sent"));
    if (rc == 0)
        json_object_set_new(j, "retry_after", json_integer(retry_after));
    return j;
}

int api_registration_contact(const struct web_request *req)
{
    static const char *const fields[] = {"state", "phone", "email", "privacy_notice_version", NULL};
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;

    struct store_contact c;
    struct refusal why;
    char err[256];
    if (enrollment_contact(req, json_input_text(body, "state"), json_input_text(body, "phone"),
                           json_input_text(body, "email"),
                           json_input_text(body, "privacy_notice_version"), &c, &why) != 0) {
        ret = web_reply_error(req, why.status, why.code, why.field, why.message);
        goto done;
    }
    int stored = store_registration_set_contact(req->app->store, reg.id, &c, i18n_code(req->lang),
                                                req->app->clock(), err, sizeof err);
    if (stored < 0) {
        ret = api_internal_error(req, err);
    } else if (stored == 0) {
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    } else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1) {
        ret = web_reply_json(req, MHD_HTTP_OK, api_registration_with_codes(req, &reg));
    } else {
        ret = api_internal_error(req, err);
    }
done:
    json_decref(body);
    return ret;
}

int api_registration_identity(const struct web_request *req)
{
    static const char *const fields[] = {"nationality", "id_type", NULL};
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct refusal why;
    if (enrollment_identity(req, &reg, json_input_text(body, "nationality"),
                            json_input_text(body, "id_type"), &why) != 0)
        ret = api_reply_refusal(req, &why);
    else
        ret = api_reply_registration(req, reg.id);
    json_decref(body);
    return ret;
}
