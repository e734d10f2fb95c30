/*
 * The address step and the postal-code lookup that feeds it.
 *
 * PUT /api/v1/registrations/{id}/address: postal code, state and municipality
 * (INEGI codes), settlement, street, exterior and interior number, checked by
 * enrollment_address (web/enrollment_steps.c). Every address is kept: the
 * latest is the current one.
 *
 * GET /api/v1/postal-codes/{cp}: the state, municipality and settlements of a
 * postal code, so a form can offer them as choices.
 */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "web/api_common.h"
#include "web/enrollment.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

const char *const api_address_fields[] = {"postal_code", "state",  "municipality", "settlement",
                                          "street",      "number", "interior",     "lat",
                                          "lon",         NULL};

struct enrollment_address_input api_address_input(json_t *body)
{
    return (struct enrollment_address_input){
        json_input_text(body, "postal_code"),  json_input_text(body, "state"),
        json_input_text(body, "municipality"), json_input_text(body, "settlement"),
        json_input_text(body, "street"),       json_input_text(body, "number"),
        json_input_text(body, "interior"),     json_input_text(body, "lat"),
        json_input_text(body, "lon")};
}

int api_registration_address(const struct web_request *req)
{
    const char *const *fields = api_address_fields;
    struct store_registration reg;
    int ret;
    json_t *body;
    if (api_load_authorized(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    const struct enrollment_address_input in = api_address_input(body);
    struct refusal why;
    if (enrollment_address(req, &reg, &in, &why) != 0)
        ret = api_reply_refusal(req, &why);
    else
        ret = api_reply_registration(req, reg.id);
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
