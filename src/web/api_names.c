/*
 * PUT /api/v1/registrations/{id}/names: the person's given names and surnames,
 * checked against the CURP by enrollment_names (web/enrollment_names.c). For a
 * draft this is the names step; for an active enrollment (with its token or a
 * session token) it is a correction that keeps the old names in a history, as a
 * move keeps the old addresses. The reply is the application, with
 * "names_change": "saved", "corrected" or "unchanged".
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>

int api_registration_names(const struct web_request *req)
{
    static const char *const fields[] = {"given_names", "first_surname", "second_surname", NULL};
    static const char *const outcomes[] = {
        [ENROLLMENT_NAMES_SAVED] = "saved",
        [ENROLLMENT_NAMES_CORRECTED] = "corrected",
        [ENROLLMENT_NAMES_UNCHANGED] = "unchanged",
    };
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    const struct enrollment_names_input in = {json_input_text(body, "given_names"),
                                              json_input_text(body, "first_surname"),
                                              json_input_text(body, "second_surname")};
    enum enrollment_names_outcome outcome;
    struct refusal why;
    char err[256];
    if (enrollment_names(req, &reg, &in, &outcome, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) != 1) {
        ret = api_internal_error(req, err);
    } else {
        json_t *j = api_registration_json(&reg);
        json_object_set_new(j, "names_change", json_string(outcomes[outcome]));
        ret = web_reply_json(req, MHD_HTTP_OK, j);
    }
    json_decref(body);
    return ret;
}
