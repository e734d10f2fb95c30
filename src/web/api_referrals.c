/*
 * The referrals API: /api/v1/staff/referrals (create, list incoming or outgoing),
 * /api/v1/staff/referrals/{id}/events (a change of state),
 * /api/v1/staff/referrals/suggest (nearest units of the next level),
 * /api/v1/staff/studies (the socioeconomic study), /api/v1/staff/diagnoses?q=
 * (CIE-10 search) and /api/v1/me/referrals (the person's). The rules are
 * web/referrals.c's; a person's key travels in the body, never in the URL.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/referrals.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

static int reply(const struct web_request *req, unsigned status, json_t *j,
                 const struct refusal *why)
{
    return j ? web_reply_json(req, status, j) : api_reply_refusal(req, why);
}

int api_staff_referral_create(const struct web_request *req)
{
    static const char *const fields[] = {"person",  "to_unit",   "cie10", "reason",
                                         "urgency", "emergency", NULL};
    struct staff_member who;
    struct store_referral r;
    struct refusal why;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct referral_request in = {
        json_input_text(body, "person"),  json_input_text(body, "to_unit"),
        json_input_text(body, "cie10"),   json_input_text(body, "reason"),
        json_input_text(body, "urgency"), json_input_text(body, "emergency"),
    };
    ret = referrals_create(req, &who, &in, &r, &why) == 0
              ? reply(req, MHD_HTTP_CREATED, referrals_json(req, &r, true), NULL)
              : api_reply_refusal(req, &why);
    json_decref(body);
    return ret;
}

int api_staff_referrals(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    const char *direction = web_query(req, "direction");
    bool incoming = !direction || strcmp(direction, "incoming") == 0;
    if (direction && !incoming && strcmp(direction, "outgoing") != 0)
        return web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_query", "direction",
                               req->lang == I18N_EN ? "direction: incoming or outgoing."
                                                    : "direction: incoming u outgoing.");
    return reply(req, MHD_HTTP_OK, referrals_staff_list(req, &who, incoming, &why), &why);
}

int api_staff_referral_event(const struct web_request *req)
{
    static const char *const fields[] = {"state", "note", "date", "time", NULL};
    struct staff_member who;
    struct store_referral r;
    struct refusal why;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    ret = referrals_change(req, &who, req->params[0], json_input_text(body, "state"),
                           json_input_text(body, "note"), json_input_text(body, "date"),
                           json_input_text(body, "time"), &r, &why) == 0
              ? reply(req, MHD_HTTP_OK, referrals_json(req, &r, true), NULL)
              : api_reply_refusal(req, &why);
    json_decref(body);
    return ret;
}

int api_staff_referral_suggest(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    const char *level = web_query(req, "level");
    int n = !level ? 0 : strcmp(level, "2") == 0 ? 2 : strcmp(level, "3") == 0 ? 3 : -1;
    if (n < 0)
        return web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_query", "level",
                               req->lang == I18N_EN ? "level: 2 or 3." : "level: 2 o 3.");
    return reply(req, MHD_HTTP_OK, referrals_suggest(req, &who, n, &why), &why);
}

int api_staff_study_create(const struct web_request *req)
{
    static const char *const fields[] = {"person", "outcome", "fee_centavos", "note", NULL};
    struct staff_member who;
    struct store_study st;
    struct refusal why;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    /* bodies are strings only: the fee is whole centavos in digits, "25000" */
    const char *fee_text = json_input_text(body, "fee_centavos");
    int64_t fee = 0;
    size_t digits = fee_text ? strspn(fee_text, "0123456789") : 0;
    if (fee_text && (digits == 0 || digits > 9 || fee_text[digits] != '\0')) {
        json_decref(body);
        return web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_fee", "fee_centavos",
                               req->lang == I18N_EN
                                   ? "fee_centavos: whole centavos in digits, like \"25000\"."
                                   : "fee_centavos: centavos enteros en cifras, como \"25000\".");
    }
    for (size_t i = 0; i < digits; i++)
        fee = fee * 10 + (fee_text[i] - '0');
    if (referrals_study(req, &who, json_input_text(body, "person"),
                        json_input_text(body, "outcome"), fee, json_input_text(body, "note"), &st,
                        &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else {
        char at[32];
        api_iso_time(st.at, at, sizeof at);
        ret = web_reply_json(req, MHD_HTTP_CREATED,
                             json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)st.id, "unit",
                                       st.unit, "outcome", study_outcome_name(st.outcome),
                                       "fee_centavos", (json_int_t)st.fee_centavos, "at", at));
    }
    json_decref(body);
    return ret;
}

int api_staff_diagnoses(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    return reply(req, MHD_HTTP_OK, referrals_diagnoses(req, web_query(req, "q"), &why), &why);
}

int api_me_referrals(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_me(req, &reg, &ret) != 0)
        return ret;
    if (reg.status != STORE_REG_ACTIVE)
        return web_reply_error_id(req, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL,
                                  MSG_UNAUTHORIZED);
    json_t *list = referrals_person_list(req, &reg);
    return list ? web_reply_json(req, MHD_HTTP_OK, list) : api_internal_error(req, "referrals");
}
