/*
 * The address step and the postal-code lookup that feeds it.
 *
 * PUT /api/v1/registrations/{id}/address: postal code, state and municipality
 * (INEGI codes), settlement, street, exterior and interior number. With the
 * SEPOMEX catalog imported, the postal code must exist, lie in the chosen state
 * and municipality, and the settlement must be one of its own; without it the
 * state and municipality come from the INEGI catalogs and the settlement is free
 * text. Every address is kept: the latest is the current one.
 *
 * GET /api/v1/postal-codes/{cp}: the state, municipality and settlements of a
 * postal code, so a form can offer them as choices.
 */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "core/password.h"
#include "core/text_field.h"
#include "web/api_common.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define SETTLEMENT_CHARS 100
#define STREET_CHARS     100
#define NUMBER_CHARS     20

/* Cleans one text field into out. Returns 0, or -1 with the 422 reply sent. */
static int text_field(const struct web_request *req, json_t *body, const char *name, bool required,
                      size_t max_chars, char *out, size_t outsz, int *ret)
{
    json_t *v = json_object_get(body, name);
    const char *s = json_string_value(v);
    enum text_field_status st =
        s ? text_field_clean(s, json_string_length(v), max_chars, out, outsz) : TEXT_FIELD_EMPTY;
    if (st == TEXT_FIELD_OK || (st == TEXT_FIELD_EMPTY && !required)) {
        if (st == TEXT_FIELD_EMPTY)
            out[0] = '\0';
        return 0;
    }
    *ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT,
                              st == TEXT_FIELD_EMPTY      ? "required"
                              : st == TEXT_FIELD_TOO_LONG ? "too_long"
                                                          : "invalid_text",
                              name,
                              st == TEXT_FIELD_EMPTY      ? MSG_FIELD_REQUIRED
                              : st == TEXT_FIELD_TOO_LONG ? MSG_TEXT_TOO_LONG
                                                          : MSG_TEXT_INVALID);
    return -1;
}

static int refuse(const struct web_request *req, const char *code, const char *field,
                  enum i18n_msg msg, int *ret)
{
    *ret = web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, code, field, msg);
    return -1;
}

/* Checks postal code, municipality and settlement against the catalogs. */
static int check_place(const struct web_request *req, json_t *body, struct store_address *a,
                       int *ret)
{
    const char *cp = json_input_text(body, "postal_code");
    if (!cp || !postal_valid_code(cp, strlen(cp)))
        return refuse(req, cp ? "invalid_postal_code" : "required", "postal_code",
                      cp ? MSG_POSTAL_CODE_SHAPE : MSG_FIELD_REQUIRED, ret);
    memcpy(a->postal_code, cp, 6);
    if (api_check_state(req, json_input_text(body, "state"), &a->state, ret) != 0)
        return -1;
    const char *mun = json_input_text(body, "municipality");
    int code = 0;
    if (mun && strlen(mun) == 3 && strspn(mun, "0123456789") == 3)
        code = (mun[0] - '0') * 100 + (mun[1] - '0') * 10 + (mun[2] - '0');
    if (!catalog_municipality(req->app->catalog, a->state, code))
        return refuse(req, mun ? "invalid_municipality" : "required", "municipality",
                      mun ? MSG_MUNICIPALITY_UNKNOWN : MSG_FIELD_REQUIRED, ret);
    a->municipality = code;
    if (text_field(req, body, "settlement", true, SETTLEMENT_CHARS, a->settlement,
                   sizeof a->settlement, ret) != 0)
        return -1;
    if (!req->app->postal)
        return 0; /* without SEPOMEX the settlement stays as typed */

    size_t n;
    const struct postal_settlement *s = postal_lookup(req->app->postal, cp, &n);
    if (n == 0)
        return refuse(req, "unknown_postal_code", "postal_code", MSG_POSTAL_CODE_UNKNOWN, ret);
    if (s[0].state != a->state)
        return refuse(req, "postal_code_other_state", "postal_code", MSG_POSTAL_CODE_OTHER_STATE,
                      ret);
    if (s[0].municipality != a->municipality)
        return refuse(req, "postal_code_other_municipality", "municipality",
                      MSG_POSTAL_CODE_OTHER_MUNICIPALITY, ret);
    /* Compared without case or accents: "san angel" is San Ángel. */
    char typed[2 * STORE_TEXT_MAX + 1], listed[2 * STORE_TEXT_MAX + 1];
    size_t typed_len, listed_len;
    if (password_fold(a->settlement, strlen(a->settlement), typed, sizeof typed, &typed_len) != 0)
        return refuse(req, "unknown_settlement", "settlement", MSG_SETTLEMENT_UNKNOWN, ret);
    for (size_t i = 0; i < n; i++) {
        if (password_fold(s[i].name, strlen(s[i].name), listed, sizeof listed, &listed_len) == 0 &&
            listed_len == typed_len && memcmp(listed, typed, typed_len) == 0) {
            snprintf(a->settlement, sizeof a->settlement, "%s", s[i].name); /* catalog spelling */
            return 0;
        }
    }
    return refuse(req, "unknown_settlement", "settlement", MSG_SETTLEMENT_UNKNOWN, ret);
}

int api_registration_address(const struct web_request *req)
{
    static const char *const fields[] = {"postal_code", "state",  "municipality", "settlement",
                                         "street",      "number", "interior",     NULL};
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    json_t *body;
    const char *bad;
    enum json_input_error e = json_input_object(req->body, req->body_len, fields, &body, &bad);
    if (e != JSON_INPUT_OK)
        return api_reply_json_error(req, e, bad);

    struct store_address a = {0};
    char err[256];
    if (check_place(req, body, &a, &ret) != 0 ||
        text_field(req, body, "street", true, STREET_CHARS, a.street, sizeof a.street, &ret) != 0 ||
        text_field(req, body, "number", true, NUMBER_CHARS, a.number, sizeof a.number, &ret) != 0 ||
        text_field(req, body, "interior", false, NUMBER_CHARS, a.interior, sizeof a.interior,
                   &ret) != 0)
        goto done;
    int stored = store_registration_add_address(req->app->store, reg.id, &a, req->app->clock(), err,
                                                sizeof err);
    if (stored < 0)
        ret = api_internal_error(req, err);
    else if (stored == 0)
        ret = web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
    else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1)
        ret = web_reply_json(req, MHD_HTTP_OK, api_registration_json(&reg));
    else
        ret = api_internal_error(req, err);
done:
    json_decref(body);
    return ret;
}

int api_postal_code(const struct web_request *req)
{
    const char *cp = req->params[0];
    if (!postal_valid_code(cp, strlen(cp)))
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "invalid_postal_code", NULL,
                                  MSG_POSTAL_CODE_SHAPE);
    if (!req->app->postal)
        return web_reply_error_id(req, MHD_HTTP_SERVICE_UNAVAILABLE, "postal_codes_not_imported",
                                  NULL, MSG_POSTAL_NOT_IMPORTED);
    size_t n;
    const struct postal_settlement *s = postal_lookup(req->app->postal, cp, &n);
    if (n == 0)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "unknown_postal_code", NULL,
                                  MSG_POSTAL_CODE_UNKNOWN);
    const struct catalog_state *st = catalog_state_by_code(req->app->catalog, s[0].state);
    const struct catalog_municipality *m =
        catalog_municipality(req->app->catalog, s[0].state, s[0].municipality);
    char state[8], mun[8];
    snprintf(state, sizeof state, "%02d", s[0].state % 100);
    snprintf(mun, sizeof mun, "%03d", s[0].municipality % 1000);
    json_t *settlements = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(settlements, json_pack("{s:s, s:s, s:s}", "name", s[i].name, "type",
                                                     s[i].type, "zone", s[i].zone));
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:s, s:{s:s, s:s?}, s:{s:s, s:s?}, s:o}", "postal_code", cp,
                                    "state", "code", state, "name", st ? st->name : NULL,
                                    "municipality", "code", mun, "name", m ? m->name : NULL,
                                    "settlements", settlements));
}
