/*
 * POST /api/v1/registrations/{id}/submit: the applicant has seen everything and
 * sends it. Every step must be complete (the reply lists what is missing, in the
 * person's words); the CURP is checked again against enrollments and the IMSS
 * and ISSSTE rolls, since either may have changed since the application began;
 * then the application becomes active with a new folio. The database lets only
 * one application per CURP be active, so concurrent submits cannot both win.
 */
#include "web/routes.h"

#include "core/folio.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define FOLIO_TRIES 5

static int reply_incomplete(const struct web_request *req, const bool missing[ENROLLMENT_STEPS])
{
    json_t *list = json_array();
    char message[1024];
    size_t used = (size_t)snprintf(message, sizeof message, "%s", i18n(req->lang, MSG_INCOMPLETE));
    const char *sep = " ";
    for (size_t i = 0; i < ENROLLMENT_STEPS; i++) {
        if (!missing[i])
            continue;
        json_array_append_new(list, json_pack("{s:s, s:s}", "step", enrollment_steps[i].step,
                                              "message", i18n(req->lang, enrollment_steps[i].msg)));
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
    if (reg.status == STORE_REG_ACTIVE) /* a repeated submit gets the same answer */
        return web_reply_json(req, MHD_HTTP_OK,
                              json_pack("{s:s, s:s}", "status", "active", "folio", reg.folio));
    bool missing[ENROLLMENT_STEPS];
    if (enrollment_missing(&reg, missing) > 0)
        return reply_incomplete(req, missing);
    struct curp_result curp;
    if (api_check_curp(req, reg.curp, &curp, &ret) != 0)
        return ret;

    char folio[FOLIO_LENGTH + 1], err[256];
    time_t now = (time_t)req->app->clock();
    struct tm tm;
    gmtime_r(&now, &tm);
    for (int attempt = 0; attempt < FOLIO_TRIES; attempt++) {
        uint8_t random[FOLIO_RANDOM_BYTES];
        randombytes_buf(random, sizeof random);
        folio_format(random, tm.tm_year + 1900, folio);
        switch (store_registration_submit(req->app->store, reg.id, folio, (int64_t)now, err,
                                          sizeof err)) {
        case STORE_SUBMIT_OK:
            return web_reply_json(req, MHD_HTTP_OK,
                                  json_pack("{s:s, s:s}", "status", "active", "folio", folio));
        case STORE_SUBMIT_FOLIO_TAKEN:
            continue;
        case STORE_SUBMIT_CURP_ACTIVE:
            return web_reply_error_id(req, MHD_HTTP_CONFLICT, "already_enrolled", "curp",
                                      MSG_ALREADY_ENROLLED);
        case STORE_SUBMIT_NOT_DRAFT:
            /* Submitted by a concurrent request of the same applicant: same answer. */
            if (store_registration_get(req->app->store, reg.id, &reg, err, sizeof err) == 1 &&
                reg.status == STORE_REG_ACTIVE)
                return web_reply_json(
                    req, MHD_HTTP_OK,
                    json_pack("{s:s, s:s}", "status", "active", "folio", reg.folio));
            return web_reply_error_id(req, MHD_HTTP_CONFLICT, "not_a_draft", NULL, MSG_NOT_A_DRAFT);
        case STORE_SUBMIT_ERROR:
        default:
            return api_internal_error(req, err);
        }
    }
    return api_internal_error(req, "no free folio after several draws");
}
