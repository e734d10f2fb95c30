/*
 * The emergency API for hospital staff: POST /api/v1/staff/emergencies (open),
 * GET /api/v1/staff/emergencies (the open ones of the unit), GET
 * /api/v1/staff/emergencies/{id} and POST /api/v1/staff/emergencies/{id}/events
 * (identify, merge, discharge, transfer). The rules are web/emergency.c's; the
 * staff session token is the bearer token. Values are JSON strings (the apparent
 * age too), as every JSON body of padron.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/emergency.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

/* A refusal as JSON; an already_open one names the open encounter. */
static int reply_refusal(const struct web_request *req, const struct refusal *why,
                         const char *existing)
{
    if (!existing[0] || strcmp(why->code, "already_open") != 0)
        return api_reply_refusal(req, why);
    json_t *error = json_pack("{s:s, s:s?, s:s, s:s}", "code", why->code, "field", why->field,
                              "message", why->message, "existing", existing);
    return web_reply_json(req, why->status, json_pack("{s:o}", "error", error));
}

int api_staff_emergency_open(const struct web_request *req)
{
    static const char *const fields[] = {"triage",       "identity", "curp",        "name", "sex",
                                         "apparent_age", "features", "found_where", NULL};
    struct staff_member who;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct emergency_intake_input in = {
        json_input_text(body, "triage"),   json_input_text(body, "identity"),
        json_input_text(body, "curp"),     json_input_text(body, "name"),
        json_input_text(body, "sex"),      json_input_text(body, "apparent_age"),
        json_input_text(body, "features"), json_input_text(body, "found_where"),
    };
    struct store_emergency e;
    struct refusal why;
    char existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    ret = emergency_open(req, &who, &in, &e, existing, &why) != 0
              ? reply_refusal(req, &why, existing)
              : web_reply_json(req, MHD_HTTP_CREATED, emergency_json(req, &e));
    json_decref(body);
    return ret;
}

int api_staff_emergency_list(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    json_t *list = emergency_open_list(req, &who, &why);
    if (!list)
        return api_reply_refusal(req, &why);
    return web_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "emergencies", list));
}

int api_staff_emergency_get(const struct web_request *req)
{
    struct staff_member who;
    struct store_emergency e;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    if (emergency_read(req, &who, req->params[0], &e, &why) != 0)
        return api_reply_refusal(req, &why);
    return web_reply_json(req, MHD_HTTP_OK, emergency_json(req, &e));
}

int api_staff_emergency_event(const struct web_request *req)
{
    static const char *const fields[] = {"kind", "curp", "into", "transfer_to", NULL};
    struct staff_member who;
    json_t *body;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    struct emergency_event ev = {json_input_text(body, "kind"), json_input_text(body, "curp"),
                                 json_input_text(body, "into"),
                                 json_input_text(body, "transfer_to")};
    struct store_emergency e;
    struct refusal why;
    char existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    ret = emergency_apply(req, &who, req->params[0], &ev, &e, existing, &why) != 0
              ? reply_refusal(req, &why, existing)
              : web_reply_json(req, MHD_HTTP_OK, emergency_json(req, &e));
    json_decref(body);
    return ret;
}
