/* /api/v1/registrations: start an application by CURP, and read it back. */
#include "web/routes.h"

#include "core/civil_date.h"
#include "core/contact.h"
#include "core/curp.h"
#include "catalog/catalog.h"
#include "store/store.h"
#include "web/api_common.h"
#include "web/json_input.h"
#include "web/privacy_notice.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOKEN_BYTES 32

/* Checks a CURP for an application: valid, not enrolled, not covered elsewhere.
 * Returns 0 with r filled, or -1 with the reply sent and its result in *ret. */
int api_check_curp(const struct web_request *req, const char *curp, struct curp_result *r, int *ret)
{
    char message[256], err[256];
    if (curp_validate(curp, strlen(curp), api_today_key(req), r) != CURP_VALID) {
        i18n_curp_error(req->lang, r, message, sizeof message);
        *ret =
            web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_curp", "curp", message);
        return -1;
    }
    int enrolled = store_curp_enrolled(req->app->store, r->curp, err, sizeof err);
    struct store_affiliation a;
    int affiliated =
        enrolled == 0 ? store_roll_lookup(req->app->store, r->curp, &a, err, sizeof err) : 0;
    if (enrolled < 0 || affiliated < 0) {
        *ret = api_internal_error(req, err);
        return -1;
    }
    if (enrolled) {
        *ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "already_enrolled", "curp",
                                  MSG_ALREADY_ENROLLED);
        return -1;
    }
    if (affiliated && a.active) {
        bool imss = a.institution == STORE_IMSS;
        *ret = web_reply_error_id(req, MHD_HTTP_CONFLICT,
                                  imss ? "affiliated_imss" : "affiliated_issste", "curp",
                                  imss ? MSG_AFFILIATED_IMSS : MSG_AFFILIATED_ISSSTE);
        return -1;
    }
    return 0;
}

int api_registration_create(const struct web_request *req)
{
    static const char *const fields[] = {"curp", NULL};
    json_t *body;
    const char *bad_field;
    enum json_input_error e =
        json_input_object(req->body, req->body_len, fields, &body, &bad_field);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad_field);

    int ret;
    struct curp_result r;
    const char *curp = json_input_text(body, "curp");
    if (!curp) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                                 MSG_FIELD_REQUIRED);
        goto done;
    }
    if (api_check_curp(req, curp, &r, &ret) != 0)
        goto done;

    /* The id names the application; the token proves the caller started it. Only
     * a hash of the token is stored. */
    uint8_t id_bytes[STORE_ID_LEN / 2], token_bytes[TOKEN_BYTES], hash[STORE_TOKEN_HASH_LEN];
    char id[STORE_ID_LEN + 1], token[API_TOKEN_TEXT_MAX], err[256];
    randombytes_buf(id_bytes, sizeof id_bytes);
    randombytes_buf(token_bytes, sizeof token_bytes);
    sodium_bin2hex(id, sizeof id, id_bytes, sizeof id_bytes);
    sodium_bin2base64(token, sizeof token, token_bytes, sizeof token_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    api_hash_token(token, strlen(token), hash);
    if (store_registration_create(req->app->store, id, r.curp, hash, req->app->clock(), err,
                                  sizeof err) != 0) {
        ret = api_internal_error(req, err);
    } else {
        ret = web_reply_json(
            req, MHD_HTTP_CREATED,
            json_pack("{s:s, s:s, s:s}", "id", id, "token", token, "status", "draft"));
    }
    sodium_memzero(token, sizeof token);
    sodium_memzero(token_bytes, sizeof token_bytes);
done:
    json_decref(body);
    return ret;
}

int api_registration_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    return web_reply_json(req, MHD_HTTP_OK, api_registration_json(&reg));
}

static enum i18n_msg phone_message(enum contact_status s)
{
    switch (s) {
    case CONTACT_PHONE_CHARSET:
        return MSG_PHONE_CHARSET;
    case CONTACT_PHONE_AREA:
        return MSG_PHONE_AREA;
    case CONTACT_PHONE_COUNTRY:
        return MSG_PHONE_COUNTRY;
    default:
        return MSG_PHONE_LENGTH;
    }
}

/* The application after its contact step, with a code sent to an unproven email:
 * "email_verification" is "verified", "sent", or "throttled" with "retry_after". */
static json_t *with_email_code(const struct web_request *req, const struct store_registration *reg)
{
    json_t *j = api_registration_json(reg);
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
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    json_t *body;
    const char *bad_field;
    enum json_input_error e =
        json_input_object(req->body, req->body_len, fields, &body, &bad_field);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad_field);

    struct store_contact c = {0};
    const char *phone = json_input_text(body, "phone"), *email = json_input_text(body, "email");
    const char *version = json_input_text(body, "privacy_notice_version");
    enum contact_status cs;
    char err[256];
    if (api_check_state(req, json_input_text(body, "state"), &c.state, &ret) != 0)
        goto done;
    /* The phone is optional: a newcomer may not have a Mexican number yet. */
    if (phone && (cs = contact_phone(phone, strlen(phone), c.phone)) != CONTACT_OK) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_phone", "phone",
                                 phone_message(cs));
        goto done;
    }
    if (!email || (cs = contact_email(email, strlen(email), c.email)) != CONTACT_OK) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT,
                                 email ? "invalid_email" : "required", "email",
                                 !email                       ? MSG_FIELD_REQUIRED
                                 : cs == CONTACT_EMAIL_LENGTH ? MSG_EMAIL_LENGTH
                                                              : MSG_EMAIL_INVALID);
        goto done;
    }
    const struct privacy_notice *notice = privacy_notice_current();
    if (!version || strcmp(version, notice->version) != 0) {
        ret = web_reply_error_id(
            req, MHD_HTTP_UNPROCESSABLE_CONTENT, version ? "privacy_notice_outdated" : "required",
            "privacy_notice_version", version ? MSG_PRIVACY_OUTDATED : MSG_FIELD_REQUIRED);
        goto done;
    }
    snprintf(c.privacy_version, sizeof c.privacy_version, "%s", notice->version);
    int stored = store_registration_set_contact(req->app->store, reg.id, &c, i18n_code(req->lang),
                                                req->app->clock(), err, sizeof err);
    if (stored < 0) {
        ret = api_internal_error(req, err);
    } else if (stored == 0) {
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    } else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1) {
        ret = web_reply_json(req, MHD_HTTP_OK, with_email_code(req, &reg));
    } else {
        ret = api_internal_error(req, err);
    }
done:
    json_decref(body);
    return ret;
}
