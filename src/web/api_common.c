/* Helpers shared by the JSON endpoints. */
#include "web/api_common.h"

#include "media/blobstore.h"
#include "web/home_clinic.h"

#include "web/enrollment.h"

#include "catalog/catalog.h"
#include "core/civil_date.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long api_today_key(const struct web_request *req)
{
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return 0;
    return civil_date_key(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void api_hash_token(const char *token, size_t len, uint8_t out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash(out, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, len, NULL, 0);
}

/* Sends the reply for a refused JSON body. */
int api_reply_json_error(const struct web_request *req, enum json_input_error e, const char *field)
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

/* The bearer token of the request, or NULL; *len receives its length. */
const char *api_bearer_token(const struct web_request *req, size_t *len)
{
    const char *auth = web_header(req, "Authorization");
    static const char prefix[] = "Bearer ";
    if (!auth || strncmp(auth, prefix, sizeof prefix - 1) != 0)
        return NULL;
    const char *token = auth + sizeof prefix - 1;
    *len = strlen(token);
    return *len > 0 && *len < API_TOKEN_TEXT_MAX ? token : NULL;
}

/* Loads the registration named in the path when the request carries its token.
 * Returns 0, or -1 with the reply (401, 404, 500) sent and its result in *ret. */
int api_load_authorized(const struct web_request *req, struct store_registration *reg, int *ret)
{
    size_t token_len;
    const char *token = api_bearer_token(req, &token_len);
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
        *ret = api_internal_error(req, err);
        return -1;
    }
    if (found == 0) {
        *ret = web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "not_found", NULL,
                                  MSG_REGISTRATION_NOT_FOUND);
        return -1;
    }
    /* Either the application's own token, or a live session of its account. */
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char session_of[STORE_ID_LEN + 1] = "";
    api_hash_token(token, token_len, hash);
    if (sodium_memcmp(hash, reg->token_hash, sizeof hash) == 0)
        return 0;
    int live =
        store_session_find(req->app->store, hash, req->app->clock(), session_of, err, sizeof err);
    if (live < 0) {
        *ret = api_internal_error(req, err);
        return -1;
    }
    if (live == 1 && strcmp(session_of, reg->id) == 0)
        return 0;
    *ret = web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL, MSG_UNAUTHORIZED);
    return -1;
}

void api_iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "1970-01-01T00:00:00Z");
}

/* Sets key to the string, or to null when text is NULL or "". */
static void set_text(json_t *obj, const char *key, const char *text)
{
    json_object_set_new(obj, key, text && *text ? json_string(text) : json_null());
}

/* The application as the API shows it. */
json_t *api_registration_json(const struct store_registration *reg)
{
    const struct store_contact *c = &reg->contact;
    char created[32], accepted[32], state[8];
    api_iso_time(reg->created_at, created, sizeof created);
    api_iso_time(c->privacy_accepted_at, accepted, sizeof accepted);
    snprintf(state, sizeof state, "%02d", c->state % 100);

    json_t *contact = json_object();
    set_text(contact, "state", c->state ? state : NULL);
    set_text(contact, "phone", c->phone);
    json_object_set_new(contact, "phone_confirmed", json_boolean(c->phone_confirmed));
    set_text(contact, "email", c->email);
    json_object_set_new(contact, "email_verified", json_boolean(c->email_verified_at != 0));
    set_text(contact, "privacy_notice_version", c->privacy_version);
    set_text(contact, "privacy_notice_accepted_at", c->privacy_accepted_at ? accepted : NULL);

    json_t *j = json_object();
    set_text(j, "id", reg->id);
    set_text(j, "curp", reg->curp);
    set_text(j, "status", reg->status == STORE_REG_ACTIVE ? "active" : "draft");
    set_text(j, "created_at", created);
    set_text(j, "folio", reg->folio);
    json_object_set_new(j, "contact", contact);
    json_object_set_new(j, "password_set", json_boolean(reg->password_set));
    json_object_set_new(j, "pending_email",
                        reg->pending_email[0] ? json_string(reg->pending_email) : json_null());
    const struct store_names *n = &reg->names;
    json_t *names = json_null();
    if (n->given_names[0]) {
        names = json_object();
        set_text(names, "given_names", n->given_names);
        set_text(names, "first_surname", n->first_surname);
        set_text(names, "second_surname", n->second_surname);
    }
    json_object_set_new(j, "names", names);
    char corrected[32];
    api_iso_time(reg->names_corrected_at, corrected, sizeof corrected);
    set_text(j, "names_corrected_at", reg->names_corrected_at ? corrected : NULL);
    json_t *suspended = json_null(); /* padron crosscheck --suspend */
    if (reg->suspended_at) {
        char at[32];
        api_iso_time(reg->suspended_at, at, sizeof at);
        suspended = json_pack("{s:s, s:s}", "at", at, "institution",
                              store_institution_name(reg->suspended_institution));
    }
    json_object_set_new(j, "suspended", suspended);
    json_object_set_new(j, "identity",
                        json_pack("{s:s, s:s, s:b}", "nationality",
                                  reg->nationality[0] ? reg->nationality : "mexican", "id_type",
                                  reg->id_type[0] ? reg->id_type : "ine",
                                  "migration_document_required",
                                  enrollment_needs_migration_document(reg)));

    const struct store_address *a = &reg->address;
    json_t *address = json_null();
    if (a->recorded_at) {
        char mun[8];
        snprintf(state, sizeof state, "%02d", a->state % 100);
        snprintf(mun, sizeof mun, "%03d", a->municipality % 1000);
        address = json_object();
        set_text(address, "postal_code", a->postal_code);
        set_text(address, "state", state);
        set_text(address, "municipality", mun);
        set_text(address, "settlement", a->settlement);
        set_text(address, "street", a->street);
        set_text(address, "number", a->number);
        set_text(address, "interior", a->interior);
    }
    json_object_set_new(j, "address", address);

    json_t *documents = json_object();
    for (int k = 0; k < STORE_DOC_KINDS; k++) {
        const struct store_document *d = &reg->documents[k];
        char uploaded[32];
        api_iso_time(d->uploaded_at, uploaded, sizeof uploaded);
        json_object_set_new(documents, api_document_kind_name((enum store_document_kind)k),
                            d->uploaded_at
                                ? json_pack("{s:i, s:i, s:I, s:s}", "width", d->width, "height",
                                            d->height, "bytes", (json_int_t)d->bytes, "uploaded_at",
                                            uploaded)
                                : json_null());
    }
    json_object_set_new(j, "documents", documents);
    return j;
}

int api_check_state(const struct web_request *req, const char *text, int *state, int *ret)
{
    struct refusal why;
    if (enrollment_check_state(req, text, state, &why) == 0)
        return 0;
    *ret = api_reply_refusal(req, &why);
    return -1;
}

int api_read_body(const struct web_request *req, const char *const *fields, json_t **body, int *ret)
{
    const char *bad;
    enum json_input_error e = json_input_object(req->body, req->body_len, fields, body, &bad);
    if (e == JSON_INPUT_OK)
        return 0;
    *ret = api_reply_json_error(req, e, bad);
    return -1;
}

int api_reply_refusal(const struct web_request *req, const struct refusal *why)
{
    return web_reply_error(req, why->status, why->code, why->field, why->message);
}

int api_reply_registration_json(const struct web_request *req, const struct store_registration *reg)
{
    char err[256];
    json_t *clinic = home_clinic_json(req->app, reg->id, err, sizeof err);
    if (!clinic)
        return api_internal_error(req, err);
    json_t *j = api_registration_json(reg);
    json_object_set_new(j, "home_clinic", clinic);
    return web_reply_json(req, MHD_HTTP_OK, j);
}

int api_reply_refusal_after(const struct web_request *req, const struct refusal *why,
                            int64_t retry_after)
{
    if (why->status != MHD_HTTP_TOO_MANY_REQUESTS || retry_after <= 0)
        return api_reply_refusal(req, why);
    return web_reply_json(req, why->status,
                          json_pack("{s:{s:s, s:s?, s:s}, s:I}", "error", "code", why->code,
                                    "field", why->field, "message", why->message, "retry_after",
                                    (json_int_t)retry_after));
}

int api_reply_document(const struct web_request *req, const struct store_document *d)
{
    if (!d->uploaded_at)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "no_document", NULL,
                                  MSG_DOCUMENT_MISSING);
    uint8_t *data = NULL;
    size_t len = 0;
    char err[256];
    if (blobstore_get(req->app->documents, d->blob, &data, &len, err, sizeof err) != 1) {
        free(data);
        return api_internal_error(req, err[0] ? err : "document blob missing");
    }
    int ret = web_reply(req, MHD_HTTP_OK, "image/jpeg", (const char *)data, len);
    free(data);
    return ret;
}

int api_reply_registration(const struct web_request *req, const char *id)
{
    struct store_registration reg;
    char err[256];
    if (store_registration_get(req->app->store, id, &reg, err, sizeof err) != 1)
        return api_internal_error(req, err);
    return api_reply_registration_json(req, &reg);
}

int api_load_me(const struct web_request *req, struct store_registration *reg, int *ret)
{
    size_t len;
    const char *token = api_bearer_token(req, &len);
    char id[STORE_ID_LEN + 1], err[256];
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    int found = 0;
    if (token) {
        api_hash_token(token, len, hash);
        found = store_session_find(req->app->store, hash, req->app->clock(), id, err, sizeof err);
        if (found == 0)
            found = store_registration_find_by_token(req->app->store, hash, id, err, sizeof err);
        if (found == 1)
            found = store_registration_get(req->app->store, id, reg, err, sizeof err);
    }
    if (found < 0) {
        *ret = api_internal_error(req, err);
        return -1;
    }
    if (found == 0) {
        *ret =
            web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL, MSG_UNAUTHORIZED);
        return -1;
    }
    return 0;
}

int api_internal_error(const struct web_request *req, const char *err)
{
    struct refusal why; /* refusal_internal logs err and tells unavailable from internal */
    refusal_internal(req, &why, err);
    return api_reply_refusal(req, &why);
}
