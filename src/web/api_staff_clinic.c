/*
 * PUT /api/v1/staff/people/clinic {"person": CURP or folio, "clues", "reason"}:
 * a unit administrator sets a person's home clinic, with a reason. The person is
 * named in the body, never in the URL. The rules are web/clinic_override.c's.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/clinic_override.h"
#include "web/home_clinic.h"

#include <jansson.h>
#include <microhttpd.h>

int api_staff_person_clinic(const struct web_request *req)
{
    static const char *const fields[] = {"person", "clues", "reason", NULL};
    struct staff_member who;
    struct store_registration reg;
    struct refusal why;
    json_t *body;
    int ret;
    char err[256];
    if (api_staff_member(req, &who, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    if (clinic_override(req, &who, json_input_text(body, "person"), json_input_text(body, "clues"),
                        json_input_text(body, "reason"), &reg, &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else {
        json_t *clinic = home_clinic_json(req->app, reg.id, err, sizeof err);
        ret = clinic ? web_reply_json(req, MHD_HTTP_OK,
                                      json_pack("{s:s, s:s, s:o}", "curp", reg.curp, "folio",
                                                reg.folio, "home_clinic", clinic))
                     : api_internal_error(req, err);
    }
    json_decref(body);
    return ret;
}
