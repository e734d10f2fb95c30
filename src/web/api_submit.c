/*
 * POST /api/v1/registrations/{id}/submit: the applicant has seen everything and
 * sends it (enrollment_submit, web/enrollment_steps.c). Every step must be
 * complete (the reply lists what is missing, in the person's words); the CURP is
 * checked again against enrollments and the IMSS and ISSSTE rolls; then the
 * application becomes active with a new folio. The database lets only one
 * application per CURP be active, so concurrent submits cannot both win.
 */
#include "web/routes.h"

#include "core/folio.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

json_t *api_missing_json(const struct web_request *req, const bool *missing)
{
    json_t *list = json_array();
    for (size_t i = 0; i < ENROLLMENT_STEPS; i++)
        if (missing[i])
            json_array_append_new(list,
                                  json_pack("{s:s, s:s}", "step", enrollment_steps[i].step,
                                            "message", i18n(req->lang, enrollment_steps[i].msg)));
    return list;
}

int api_reply_incomplete(const struct web_request *req, const bool *missing)
{
    json_t *list = api_missing_json(req, missing);
    char message[1024];
    size_t used = (size_t)snprintf(message, sizeof message, "%s", i18n(req->lang, MSG_INCOMPLETE));
    const char *sep = " ";
    for (size_t i = 0; i < ENROLLMENT_STEPS; i++) {
        if (!missing[i])
            continue;
        if (used < sizeof message) {
            int n = snprintf(message + used, sizeof message - used, "%s%s", sep,
                             i18n(req->lang, enrollment_steps[i].msg));
            used += n > 0 ? (size_t)n : 0;
        }
        sep = "; ";
    }
    if (used < sizeof message - 1)
        strcat(message, ".");
    return web_reply_json(req, MHD_HTTP_UNPROCESSABLE_CONTENT,
                          json_pack("{s:{s:s, s:n, s:s}, s:o}", "error", "code", "incomplete",
                                    "field", "message", message, "missing", list));
}

int api_registration_submit(const struct web_request *req)
{
    struct store_registration reg;
    int ret;
    if (api_load_authorized(req, &reg, &ret) != 0)
        return ret;
    char folio[FOLIO_LENGTH + 1];
    bool missing[ENROLLMENT_STEPS];
    struct refusal why;
    if (enrollment_submit(req, &reg, folio, missing, &why) == 0)
        return web_reply_json(req, MHD_HTTP_OK,
                              json_pack("{s:s, s:s}", "status", "active", "folio", folio));
    if (strcmp(why.code, "incomplete") == 0)
        return api_reply_incomplete(req, missing);
    return api_reply_refusal(req, &why);
}
