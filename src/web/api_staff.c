/*
 * The staff API: /api/v1/staff/sessions (sign in with email and password, sign
 * out), /api/v1/staff/password (the first password, or a new one, with the code
 * mailed by `padron staff add|code`), /api/v1/staff/people/{curp-or-folio} (the
 * desk's lookup) and its documents; and /api/v1/me/accesses, where a person sees
 * who read their data. The rules are web/staff_account.c's and web/staff.c's.
 * Staff endpoints take the staff session token as a bearer token; an applicant's
 * token opens none of them.
 */
#include "web/routes.h"

#include "web/account.h"
#include "web/api_common.h"
#include "web/home_clinic.h"
#include "web/json_input.h"
#include "web/staff_account.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *scope_json(const struct web_request *req, const struct staff_member *who)
{
    const char *name = staff_unit_name(req, who->account.unit);
    return json_pack("{s:s, s:s?, s:s?, s:i}", "role", who->account.role, "unit",
                     who->account.unit[0] ? who->account.unit : NULL, "unit_name",
                     name[0] ? name : NULL, "state", who->scope.state);
}

int api_staff_session_create(const struct web_request *req)
{
    static const char *const fields[] = {"email", "password", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    size_t pw_len;
    const char *pw = json_input_secret(body, "password", &pw_len);
    char token[API_TOKEN_TEXT_MAX];
    struct staff_member who;
    int64_t retry_after;
    struct refusal why;
    if (staff_sign_in(req, json_input_text(body, "email"), pw, pw_len, token, &who, &retry_after,
                      &why) != 0) {
        ret = api_reply_refusal_after(req, &why, retry_after);
    } else {
        json_t *j = scope_json(req, &who);
        json_object_set_new(j, "token", json_string(token));
        json_object_set_new(j, "expires_in", json_integer(STAFF_SESSION_SECONDS));
        ret = web_reply_json(req, MHD_HTTP_CREATED, j);
    }
    sodium_memzero(token, sizeof token);
    json_input_wipe(body, "password");
    json_decref(body);
    return ret;
}

int api_staff_session_delete(const struct web_request *req)
{
    size_t len = 0;
    const char *token = api_bearer_token(req, &len);
    int n = token ? staff_sign_out(req, token, len) : 0;
    if (n < 0)
        return api_internal_error(req, "staff session");
    if (n == 0)
        return web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                  MSG_UNAUTHORIZED);
    return web_reply(req, MHD_HTTP_NO_CONTENT, "application/json", "", 0);
}

int api_staff_password(const struct web_request *req)
{
    static const char *const fields[] = {"email", "code", "password", NULL};
    json_t *body;
    int ret;
    if (api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    size_t pw_len;
    const char *pw = json_input_secret(body, "password", &pw_len);
    int64_t retry_after;
    unsigned failed;
    struct refusal why;
    ret = staff_set_password(req, json_input_text(body, "email"), json_input_text(body, "code"), pw,
                             pw_len, &failed, &retry_after, &why) != 0
              ? api_reply_refusal_after(req, &why, retry_after)
              : web_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "set"));
    json_input_wipe(body, "password");
    json_decref(body);
    return ret;
}

/* The person's data as this role may see it, after the read was audited. */
static int reply_person(const struct web_request *req, const struct staff_member *who,
                        const struct store_registration *reg, const char *clinic)
{
    char err[256];
    json_t *home = home_clinic_json(req->app, reg->id, err, sizeof err);
    if (!home)
        return api_internal_error(req, err);
    json_t *names = json_null();
    if (reg->names.given_names[0])
        names = json_pack("{s:s, s:s, s:s?}", "given_names", reg->names.given_names,
                          "first_surname", reg->names.first_surname, "second_surname",
                          reg->names.second_surname[0] ? reg->names.second_surname : NULL);
    /* Only the documents this role may open are listed, with where to get them. */
    json_t *documents = json_array();
    for (int k = 0; k < STORE_DOC_KINDS; k++) {
        enum store_document_kind kind;
        enum staff_action action;
        const char *name = api_document_kind_name((enum store_document_kind)k);
        if (!reg->documents[k].uploaded_at || staff_document_kind(name, &kind, &action) != 0 ||
            !staff_may_person(who, action, reg, clinic))
            continue;
        char url[160];
        snprintf(url, sizeof url, "/api/v1/staff/people/%s/documents/%s", reg->id, name);
        json_array_append_new(documents, json_pack("{s:s, s:s}", "kind", name, "url", url));
    }
    return web_reply_json(
        req, MHD_HTTP_OK,
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:o}", "id", reg->id, "curp", reg->curp,
                  "folio", reg->folio, "status", "active", "names", names, "home_clinic", home,
                  "state", reg->address.recorded_at ? reg->address.state : reg->contact.state,
                  "documents", documents));
}

/* Person URLs carry the registration id only: a CURP or folio in a path would
 * stay in proxy and server logs. */
static int refuse_key_in_url(const struct web_request *req)
{
    return web_reply_error_id(req, MHD_HTTP_BAD_REQUEST, "key_in_url", NULL, MSG_STAFF_KEY_IN_URL);
}

/* Reads the person key names for c's staff member (an audited lookup) and sends
 * them as the role may see them, or the refusal. */
static int look_up(const struct web_request *req, struct staff_call *c, const char *key)
{
    struct store_registration reg;
    char clinic[STORE_CLUES_LEN + 1];
    if (staff_read_person(req, &c->who, key, STAFF_PERSON_LOOKUP, &reg, clinic, &c->why) != 0)
        return api_reply_refusal(req, &c->why);
    return reply_person(req, &c->who, &reg, clinic);
}

/* Starts the staff call of a person URL, whose id (req->params[0]) must have the
 * shape of a registration id: 0, or -1 with the reply sent and its result in *ret. */
static int person_url_call(const struct web_request *req, struct staff_call *c, int *ret)
{
    if (api_staff_call(req, NULL, c, ret) != 0)
        return -1;
    if (staff_person_id_shape(req->params[0]))
        return 0;
    *ret = refuse_key_in_url(req);
    return -1;
}

int api_staff_person_lookup(const struct web_request *req)
{
    static const char *const fields[] = {"key", NULL};
    struct staff_call c;
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    return api_staff_call_end(&c, look_up(req, &c, json_input_text(c.body, "key")));
}

int api_staff_person(const struct web_request *req)
{
    struct staff_call c;
    int ret;
    if (person_url_call(req, &c, &ret) != 0)
        return ret;
    return look_up(req, &c, req->params[0]);
}

int api_staff_person_document(const struct web_request *req)
{
    struct staff_call c;
    struct store_registration reg;
    enum store_document_kind kind;
    enum staff_action action;
    int ret;
    if (person_url_call(req, &c, &ret) != 0)
        return ret;
    if (staff_document_kind(req->params[1], &kind, &action) != 0)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "unknown_kind", NULL,
                                  MSG_DOCUMENT_KIND_UNKNOWN);
    char clinic[STORE_CLUES_LEN + 1];
    if (staff_read_person(req, &c.who, req->params[0], action, &reg, clinic, &c.why) != 0)
        return api_reply_refusal(req, &c.why);
    return api_reply_document(req, &reg.documents[kind]);
}

int api_me_accesses(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    if (reg.status != STORE_REG_ACTIVE)
        return web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                  MSG_UNAUTHORIZED);
    json_t *list = staff_accesses_json(req, reg.curp);
    if (!list)
        return api_internal_error(req, "audit log");
    return web_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "accesses", list));
}
