/* /api/v1/registrations: start an application by CURP, and read it back. */
#include "web/routes.h"

#include "core/civil_date.h"
#include "core/contact.h"
#include "core/curp.h"
#include "catalog/catalog.h"
#include "store/store.h"
#include "web/json_input.h"
#include "web/privacy_notice.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOKEN_BYTES    32
#define TOKEN_TEXT_MAX 64

static long today_key(const struct web_request *req)
{
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return 0;
    return civil_date_key(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static void hash_token(const char *token, size_t len, uint8_t out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash(out, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, len, NULL, 0);
}

/* Sends the reply for a refused JSON body. */
static int reply_json_error(const struct web_request *req, enum json_input_error e,
                            const char *field)
{
    switch (e) {
    case JSON_INPUT_NOT_OBJECT:
        return web_reply_error_id(req, MHD_HTTP_BAD_REQUEST, "not_an_object", NULL,
                                  MSG_NOT_AN_OBJECT);
    case JSON_INPUT_UNKNOWN_FIELD:
        return web_reply_error_id(req, MHD_HTTP_BAD_REQUEST, "unknown_field", field,
                                  MSG_UNKNOWN_FIELD);
    case JSON_INPUT_NOT_TEXT:
        return web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "not_text", field,
                                  MSG_FIELD_NOT_TEXT);
    case JSON_INPUT_OK:
    case JSON_INPUT_INVALID:
        break;
    }
    return web_reply_error_id(req, MHD_HTTP_BAD_REQUEST, "invalid_json", NULL, MSG_INVALID_JSON);
}

/* Checks a CURP for an application: valid, not enrolled, not covered elsewhere.
 * Returns 0 with r filled, or -1 with the reply sent and its result in *ret. */
static int check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                      int *ret)
{
    char message[256], err[256];
    if (curp_validate(curp, strlen(curp), today_key(req), r) != CURP_VALID) {
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
        fprintf(stderr, "padron: registrations: %s\n", err);
        *ret =
            web_reply_error_id(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, MSG_INTERNAL);
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
        return reply_json_error(req, e, bad_field);

    int ret;
    struct curp_result r;
    const char *curp = json_input_text(body, "curp");
    if (!curp) {
        ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "curp",
                                 MSG_FIELD_REQUIRED);
        goto done;
    }
    if (check_curp(req, curp, &r, &ret) != 0)
        goto done;

    /* The id names the application; the token proves the caller started it. Only
     * a hash of the token is stored. */
    uint8_t id_bytes[STORE_ID_LEN / 2], token_bytes[TOKEN_BYTES], hash[STORE_TOKEN_HASH_LEN];
    char id[STORE_ID_LEN + 1], token[TOKEN_TEXT_MAX], err[256];
    randombytes_buf(id_bytes, sizeof id_bytes);
    randombytes_buf(token_bytes, sizeof token_bytes);
    sodium_bin2hex(id, sizeof id, id_bytes, sizeof id_bytes);
    sodium_bin2base64(token, sizeof token, token_bytes, sizeof token_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    hash_token(token, strlen(token), hash);
    if (store_registration_create(req->app->store, id, r.curp, hash, req->app->clock(), err,
                                  sizeof err) != 0) {
        fprintf(stderr, "padron: registrations: %s\n", err);
        ret =
            web_reply_error_id(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, MSG_INTERNAL);
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

/* The bearer token of the request, or NULL; *len receives its length. */
static const char *bearer_token(const struct web_request *req, size_t *len)
{
    const char *auth = web_header(req, "Authorization");
    static const char prefix[] = "Bearer ";
    if (!auth || strncmp(auth, prefix, sizeof prefix - 1) != 0)
        return NULL;
    const char *token = auth + sizeof prefix - 1;
    *len = strlen(token);
    return *len > 0 && *len < TOKEN_TEXT_MAX ? token : NULL;
}

/* Loads the registration named in the path when the request carries its token.
 * Returns 0, or -1 with the reply (401, 404, 500) sent and its result in *ret. */
static int load_authorized(const struct web_request *req, struct store_registration *reg, int *ret)
{
    size_t token_len;
    const char *token = bearer_token(req, &token_len);
    if (!token) {
        *ret =
            web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL, MSG_UNAUTHORIZED);
        return -1;
    }
    char err[256];
    int found = strlen(req->params[0]) == STORE_ID_LEN
                    ? store_registration_get(req->app->store, req->params[0], reg, err, sizeof err)
                    : 0;
    if (found < 0) {
        fprintf(stderr, "padron: registrations: %s\n", err);
        *ret =
            web_reply_error_id(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, MSG_INTERNAL);
        return -1;
    }
    if (found == 0) {
        *ret = web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL,
                                  MSG_REGISTRATION_NOT_FOUND);
        return -1;
    }
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    hash_token(token, token_len, hash);
    if (sodium_memcmp(hash, reg->token_hash, sizeof hash) != 0) {
        *ret =
            web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL, MSG_UNAUTHORIZED);
        return -1;
    }
    return 0;
}

static void iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "1970-01-01T00:00:00Z");
}

/* The application as the API shows it. */
static json_t *registration_json(const struct store_registration *reg)
{
    const struct store_contact *c = &reg->contact;
    char created[32], accepted[32], state[8];
    iso_time(reg->created_at, created, sizeof created);
    iso_time(c->privacy_accepted_at, accepted, sizeof accepted);
    snprintf(state, sizeof state, "%02d", c->state % 100);
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:{s:s?, s:s?, s:b, s:s?, s:b, s:s?, s:s?}}", "id",
                     reg->id, "curp", reg->curp, "status",
                     reg->status == STORE_REG_ACTIVE ? "active" : "draft", "created_at", created,
                     "folio", reg->folio[0] ? reg->folio : NULL, "contact", "state",
                     c->state ? state : NULL, "phone", c->phone[0] ? c->phone : NULL,
                     "phone_confirmed", c->phone_confirmed, "email", c->email[0] ? c->email : NULL,
                     "email_verified", c->email_verified_at != 0, "privacy_notice_version",
                     c->privacy_version[0] ? c->privacy_version : NULL,
                     "privacy_notice_accepted_at", c->privacy_accepted_at ? accepted : NULL);
}

int api_registration_get(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (load_authorized(req, &reg, &ret) != 0)
        return ret;
    return web_reply_json(req, MHD_HTTP_OK, registration_json(&reg));
}

/* Reads "01".."32" into a participating state. Returns 0, or -1 with the reply sent. */
static int check_state(const struct web_request *req, const char *text, int *state, int *ret)
{
    const struct catalog_state *st = NULL;
    if (text && strlen(text) == 2 && text[0] >= '0' && text[0] <= '9' && text[1] >= '0' &&
        text[1] <= '9')
        st = catalog_state_by_code(req->app->catalog, (text[0] - '0') * 10 + (text[1] - '0'));
    if (!st) {
        *ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_state", "state",
                                  text ? MSG_STATE_UNKNOWN : MSG_FIELD_REQUIRED);
        return -1;
    }
    long today = today_key(req);
    if (!catalog_state_participating(st, (int)(today / 10000), (int)(today / 100 % 100),
                                     (int)(today % 100))) {
        char message[512];
        i18n_state_not_participating(req->lang, st->name, message, sizeof message);
        *ret = web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "state_not_participating",
                               "state", message);
        return -1;
    }
    *state = st->code;
    return 0;
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

int api_registration_contact(const struct web_request *req)
{
    static const char *const fields[] = {"state", "phone", "email", "privacy_notice_version", NULL};
    struct store_registration reg;
    int ret;
    if (load_authorized(req, &reg, &ret) != 0)
        return ret;
    json_t *body;
    const char *bad_field;
    enum json_input_error e =
        json_input_object(req->body, req->body_len, fields, &body, &bad_field);
    if (e != JSON_INPUT_OK)
        return reply_json_error(req, e, bad_field);

    struct store_contact c = {0};
    const char *phone = json_input_text(body, "phone"), *email = json_input_text(body, "email");
    const char *version = json_input_text(body, "privacy_notice_version");
    enum contact_status cs;
    char err[256];
    if (check_state(req, json_input_text(body, "state"), &c.state, &ret) != 0)
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
        fprintf(stderr, "padron: registrations: %s\n", err);
        ret =
            web_reply_error_id(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, MSG_INTERNAL);
    } else if (stored == 0) {
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    } else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1) {
        ret = web_reply_json(req, MHD_HTTP_OK, registration_json(&reg));
    } else {
        ret =
            web_reply_error_id(req, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, MSG_INTERNAL);
    }
done:
    json_decref(body);
    return ret;
}
