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

/* Ends call with the referral r a change made (rc 0, sent with status) or its
 * refusal. */
static int reply_referral(const struct web_request *req, struct staff_call *call, int rc,
                          unsigned status, const struct store_referral *r)
{
    return api_staff_call_end(call, rc == 0 ? reply(req, status, referrals_json(req, r, true), NULL)
                                            : api_reply_refusal(req, &call->why));
}

int api_staff_referral_create(const struct web_request *req)
{
    static const char *const fields[] = {"person",  "to_unit",   "cie10", "reason",
                                         "urgency", "emergency", NULL};
    struct staff_call c;
    struct store_referral r;
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    struct referral_request in = {
        json_input_text(c.body, "person"),  json_input_text(c.body, "to_unit"),
        json_input_text(c.body, "cie10"),   json_input_text(c.body, "reason"),
        json_input_text(c.body, "urgency"), json_input_text(c.body, "emergency"),
    };
    return reply_referral(req, &c, referrals_create(req, &c.who, &in, &r, &c.why), MHD_HTTP_CREATED,
                          &r);
}

int api_staff_referrals(const struct web_request *req)
{
    struct staff_call c;
    int ret;
    if (api_staff_call(req, NULL, &c, &ret) != 0)
        return ret;
    const char *direction = web_query(req, "direction");
    bool incoming = !direction || strcmp(direction, "incoming") == 0;
    if (direction && !incoming && strcmp(direction, "outgoing") != 0)
        return web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_query", "direction",
                               req->lang == I18N_EN ? "direction: incoming or outgoing."
                                                    : "direction: incoming u outgoing.");
    return reply(req, MHD_HTTP_OK, referrals_staff_list(req, &c.who, incoming, &c.why), &c.why);
}

int api_staff_referral_event(const struct web_request *req)
{
    static const char *const fields[] = {"state", "note", "date", "time", NULL};
    struct staff_call c;
    struct store_referral r;
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    return reply_referral(
        req, &c,
        referrals_change(req, &c.who, req->params[0], json_input_text(c.body, "state"),
                         json_input_text(c.body, "note"), json_input_text(c.body, "date"),
                         json_input_text(c.body, "time"), &r, &c.why),
        MHD_HTTP_OK, &r);
}

int api_staff_referral_suggest(const struct web_request *req)
{
    struct staff_call c;
    int ret;
    if (api_staff_call(req, NULL, &c, &ret) != 0)
        return ret;
    const char *level = web_query(req, "level");
    int n = !level ? 0 : strcmp(level, "2") == 0 ? 2 : strcmp(level, "3") == 0 ? 3 : -1;
    if (n < 0)
        return web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_query", "level",
                               req->lang == I18N_EN ? "level: 2 or 3." : "level: 2 o 3.");
    return reply(req, MHD_HTTP_OK, referrals_suggest(req, &c.who, n, &c.why), &c.why);
}

/* The fee of a study as the body gives it: whole centavos in digits ("25000";
 * bodies are strings only), 0 when absent. 0, or -1 when it is not digits. */
static int parse_fee(const char *text, int64_t *fee)
{
    size_t digits = text ? strspn(text, "0123456789") : 0;
    *fee = 0;
    if (text && (digits == 0 || digits > 9 || text[digits] != '\0'))
        return -1;
    for (size_t i = 0; i < digits; i++)
        *fee = *fee * 10 + (text[i] - '0');
    return 0;
}

int api_staff_study_create(const struct web_request *req)
{
    static const char *const fields[] = {"person", "outcome", "fee_centavos", "note", NULL};
    struct staff_call c;
    struct store_study st;
    int64_t fee;
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    if (parse_fee(json_input_text(c.body, "fee_centavos"), &fee) != 0)
        return api_staff_call_end(
            &c, web_reply_error(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_fee", "fee_centavos",
                                req->lang == I18N_EN
                                    ? "fee_centavos: whole centavos in digits, like \"25000\"."
                                    : "fee_centavos: centavos enteros en cifras, como \"25000\"."));
    if (referrals_study(req, &c.who, json_input_text(c.body, "person"),
                        json_input_text(c.body, "outcome"), fee, json_input_text(c.body, "note"),
                        &st, &c.why) != 0)
        return api_staff_call_end(&c, api_reply_refusal(req, &c.why));
    char at[32];
    api_iso_time(st.at, at, sizeof at);
    return api_staff_call_end(
        &c, web_reply_json(req, MHD_HTTP_CREATED,
                           json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)st.id, "unit",
                                     st.unit, "outcome", study_outcome_name(st.outcome),
                                     "fee_centavos", (json_int_t)st.fee_centavos, "at", at)));
}

int api_staff_diagnoses(const struct web_request *req)
{
    struct staff_call c;
    int ret;
    if (api_staff_call(req, NULL, &c, &ret) != 0)
        return ret;
    return reply(req, MHD_HTTP_OK, referrals_diagnoses(req, web_query(req, "q"), &c.why), &c.why);
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
