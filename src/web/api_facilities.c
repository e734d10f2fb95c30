/*
 * The care network's units and the person's clinic.
 *
 * GET /api/v1/facilities?near=LAT,LON[&level=1|2|3][&limit=N]: the operating
 * units nearest to a point (any level when level is absent; limit 1-100,
 * default 5), nearest first, ties by CLUES; GET /api/v1/facilities/{clues}: one
 * unit, whatever its status. Both are public: the catalog is open data.
 *
 * PUT /api/v1/me/clinic {"clues"}: the bearer's enrollment asks for another
 * level-1 unit as its clinic (rules in web/home_clinic.h); answers the new
 * home_clinic.
 */
#include "web/routes.h"

#include "geo/facilities.h"
#include "geo/nearest.h"
#include "web/api_common.h"
#include "web/home_clinic.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LIMIT 5

/* "LAT,LON" inside Mexico (geo_parse_point); 0 or -1. */
static int parse_near(const char *s, double *lat, double *lon)
{
    return s ? geo_parse_point(s, strlen(s), lat, lon) : -1;
}

/* A whole number in [lo, hi] (at most 3 digits); absent gives dflt; -1 when bad. */
static int small_number(const char *s, int lo, int hi, int dflt)
{
    int v = 0;
    if (!s)
        return dflt;
    size_t len = strlen(s);
    if (len == 0 || len > 3 || strspn(s, "0123456789") != len)
        return -1;
    for (; *s; s++)
        v = v * 10 + (*s - '0');
    return v >= lo && v <= hi ? v : -1;
}

int api_facilities(const struct web_request *req)
{
    double lat, lon;
    int level = small_number(web_query(req, "level"), 1, 3, 0);
    int limit = small_number(web_query(req, "limit"), 1, GEO_MAX_K, DEFAULT_LIMIT);
    const char *near = web_query(req, "near");
    if (parse_near(near, &lat, &lon) != 0 || level < 0 || limit < 0)
        return web_reply_error_id(req, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_query",
                                  parse_near(near, &lat, &lon) != 0 ? "near"
                                  : level < 0                       ? "level"
                                                                    : "limit",
                                  MSG_NEAR_INVALID);
    struct geo_facility_hit hits[GEO_MAX_K];
    size_t n = req->app->facilities ? geo_facilities_nearest(req->app->facilities, level, lat, lon,
                                                             (size_t)limit, hits)
                                    : 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list,
                              home_clinic_facility_json(req->app, hits[i].facility, hits[i].km));
    return web_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "facilities", list));
}

int api_facility(const struct web_request *req)
{
    const struct catalog_facility *f = catalog_facility(req->app->catalog, req->params[0]);
    if (!f)
        return web_reply_error_id(req, MHD_HTTP_NOT_FOUND, "unknown_facility", NULL,
                                  MSG_FACILITY_NOT_FOUND);
    return web_reply_json(req, MHD_HTTP_OK, home_clinic_facility_json(req->app, f, -1));
}

int api_me_clinic(const struct web_request *req)
{
    static const char *const fields[] = {"clues", NULL};
    struct store_registration reg;
    struct refusal why;
    json_t *body;
    int ret;
    char err[256];
    if (api_load_me(req, &reg, &ret) != 0 || api_read_body(req, fields, &body, &ret) != 0)
        return ret;
    if (home_clinic_request(req, &reg, json_input_text(body, "clues"), &why) != 0) {
        ret = api_reply_refusal(req, &why);
    } else {
        json_t *clinic = home_clinic_json(req->app, reg.id, err, sizeof err);
        ret = clinic ? web_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "home_clinic", clinic))
                     : api_internal_error(req, err);
    }
    json_decref(body);
    return ret;
}
