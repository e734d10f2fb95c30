/*
 * The staff API of suspension reviews (web/suspension_review.h); the person is
 * named in the body, never in the URL:
 *   POST /api/v1/staff/suspensions/lookup  {"key": CURP, folio or id}
 *        -> {"person", "suspension", "reviews"}
 *   POST /api/v1/staff/suspensions/reviews {"person", "decision", "reason"}
 *        -> 201 {"review", "registration": {"id", "folio", "suspended"}}
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/json_input.h"
#include "web/suspension_review.h"

#include <jansson.h>
#include <microhttpd.h>

/* The person, the suspension and its reviews, as the reviewer sees them. */
static int reply_case(const struct web_request *req, const struct store_registration *reg)
{
    json_t *reviews = suspension_reviews_json(req, reg);
    if (!reviews)
        return api_internal_error(req, "suspension reviews");
    json_t *names = json_null();
    if (reg->names.given_names[0])
        names = json_pack("{s:s, s:s, s:s?}", "given_names", reg->names.given_names,
                          "first_surname", reg->names.first_surname, "second_surname",
                          reg->names.second_surname[0] ? reg->names.second_surname : NULL);
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:{s:s, s:s, s:s, s:o}, s:o, s:o}", "person", "id", reg->id,
                                    "curp", reg->curp, "folio", reg->folio, "names", names,
                                    "suspension", suspension_json(req, reg), "reviews", reviews));
}

int api_staff_suspension_lookup(const struct web_request *req)
{
    static const char *const fields[] = {"key", NULL};
    struct staff_call c;
    struct store_registration reg;
    char clinic[STORE_CLUES_LEN + 1];
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    ret = suspension_review_read(req, &c.who, json_input_text(c.body, "key"), &reg, clinic,
                                 &c.why) != 0
              ? api_reply_refusal(req, &c.why)
              : reply_case(req, &reg);
    return api_staff_call_end(&c, ret);
}

int api_staff_suspension_review(const struct web_request *req)
{
    static const char *const fields[] = {"person", "decision", "reason", NULL};
    struct staff_call c;
    struct store_registration reg;
    struct store_suspension_review r;
    int ret;
    if (api_staff_call(req, fields, &c, &ret) != 0)
        return ret;
    if (suspension_review_decide(req, &c.who, json_input_text(c.body, "person"),
                                 json_input_text(c.body, "decision"),
                                 json_input_text(c.body, "reason"), &reg, &r, &c.why) != 0)
        ret = api_reply_refusal(req, &c.why);
    else
        ret =
            web_reply_json(req, MHD_HTTP_CREATED,
                           json_pack("{s:o, s:{s:s, s:s, s:o}}", "review",
                                     suspension_review_json(&r), "registration", "id", reg.id,
                                     "folio", reg.folio, "suspended", suspension_json(req, &reg)));
    return api_staff_call_end(&c, ret);
}
