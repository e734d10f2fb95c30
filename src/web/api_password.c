/*
 * PUT /api/v1/registrations/{id}/password: the applicant's password, checked
 * against every rule of core/password (all failures reported at once, each also
 * in "rules") and stored as an argon2id hash (web/enrollment_steps.c).
 */
#include "web/routes.h"

#include "core/password.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

/* Refuses a password with every rule it breaks, each with its sentence. */
static int reply_weak(const struct web_request *req, const struct refusal *why, unsigned failed)
{
    json_t *rules = json_array();
    for (int r = 0; r < PASSWORD_RULE_COUNT; r++)
        if (failed & PASSWORD_BIT(r))
            json_array_append_new(rules,
                                  json_pack("{s:s, s:s}", "rule", password_rule_code(r), "message",
                                            password_rule_message(r, (int)req->lang)));
    json_t *j = json_pack("{s:{s:s, s:s, s:s}, s:o}", "error", "code", why->code, "field",
                          why->field, "message", why->message, "rules", rules);
    return web_reply_json(req, why->status, j);
}

int api_registration_password(const struct web_request *req)
{
    static const char *const fields[] = {"password", NULL};
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    size_t len;
    const char *pw = json_input_secret(body, "password", &len);
    struct refusal why;
    unsigned failed;
    if (enrollment_password(req, &reg, pw, len, &failed, &why) != 0)
        ret = failed ? reply_weak(req, &why, failed) : api_reply_refusal(req, &why);
    else
        ret = api_reply_registration(req, reg.id);
    /* The password lives in the parsed body: wipe it before jansson frees it. */
    json_input_wipe(body, "password");
    json_decref(body);
    return ret;
}
