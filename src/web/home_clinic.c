/* home_clinic: nearest on submit and on a move, the person's request, and its JSON. */
#include "web/home_clinic.h"

#include "catalog/postal.h"
#include "geo/facilities.h"
#include "geo/nearest.h"

#include <math.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int home_clinic_locate(const struct web_app *app, const struct store_registration *reg,
                       struct geo_position *pos, char *err, size_t errsz)
{
    struct geo_address a = {.state = reg->address.state, .municipality = reg->address.municipality};
    int chosen = store_chosen_position_get(app->store, reg->id, &a.lat, &a.lon, err, errsz);
    if (chosen < 0)
        return -1;
    a.chosen = chosen == 1;
    if (reg->address.recorded_at == 0 && !a.chosen)
        return 0;
    return geo_locate(app->catalog, &a, pos) == 0 ? 1 : 0;
}

/* Fills where the person was placed into c. */
static void set_position(struct store_home_clinic *c, const struct geo_position *pos, double km)
{
    snprintf(c->located_by, sizeof c->located_by, "%s", geo_located_name(pos->by));
    c->has_position = true;
    c->lat = pos->lat;
    c->lon = pos->lon;
    c->distance_m = km >= 0 ? (int64_t)llround(km * 1000.0) : -1;
}

int home_clinic_assign_nearest(const struct web_app *app, const struct store_registration *reg,
                               enum store_clinic_reason reason, char *err, size_t errsz)
{
    struct geo_position pos;
    struct geo_facility_hit hit;
    if (!app->facilities)
        return 0;
    int placed = home_clinic_locate(app, reg, &pos, err, errsz);
    if (placed <= 0)
        return placed;
    if (geo_facilities_nearest(app->facilities, 1, pos.lat, pos.lon, 1, &hit) != 1)
        return 0;
    struct store_home_clinic c = {.reason = reason, .assigned_at = app->clock()};
    memcpy(c.clues, hit.facility->clues, sizeof c.clues);
    set_position(&c, &pos, hit.km);
    return store_home_clinic_assign(app->store, reg->id, &c, err, errsz);
}

int home_clinic_level1(const struct web_request *req, const char *clues,
                       const struct catalog_facility **f, struct refusal *why)
{
    char key[12];
    size_t len = clues ? strlen(clues) : 0;
    if (len == 0)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "required", "clues",
                           MSG_FIELD_REQUIRED);
    if (len != 11)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_facility", "clues",
                           MSG_CLINIC_UNKNOWN);
    for (size_t i = 0; i < 12; i++) /* keys are capitals; people type either */
        key[i] = (char)(clues[i] >= 'a' && clues[i] <= 'z' ? clues[i] - 32 : clues[i]);
    *f = req->app->catalog ? catalog_facility(req->app->catalog, key) : NULL;
    if (!*f)
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "unknown_facility", "clues",
                           MSG_CLINIC_UNKNOWN);
    if (!geo_facility_assignable(*f, 1))
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "not_level_1", "clues",
                           MSG_CLINIC_NOT_LEVEL_1);
    return 0;
}

int home_clinic_request(const struct web_request *req, const struct store_registration *reg,
                        const char *clues, struct refusal *why)
{
    const struct web_app *app = req->app;
    char err[256];
    struct geo_position pos;
    if (reg->status != STORE_REG_ACTIVE)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_active", NULL, MSG_CLINIC_NOT_ACTIVE);
    const struct catalog_facility *f;
    if (home_clinic_level1(req, clues, &f, why) != 0)
        return -1;
    int placed = home_clinic_locate(app, reg, &pos, err, sizeof err);
    if (placed < 0)
        return refusal_internal(req, why, err);
    struct store_home_clinic c = {
        .reason = STORE_CLINIC_REQUEST, .assigned_at = app->clock(), .distance_m = -1};
    memcpy(c.clues, f->clues, sizeof c.clues);
    if (placed == 1) {
        double km = geo_distance_km(pos.lat, pos.lon, f->pos.lat, f->pos.lon), limit = 0;
        struct geo_facility_hit nearest;
        if (app->facilities &&
            geo_facilities_nearest(app->facilities, 1, pos.lat, pos.lon, 1, &nearest) == 1)
            limit = nearest.km + HOME_CLINIC_SLACK_KM;
        if (limit < HOME_CLINIC_RADIUS_KM)
            limit = HOME_CLINIC_RADIUS_KM;
        if (km > limit)
            return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "too_far", "clues",
                               MSG_CLINIC_TOO_FAR);
        set_position(&c, &pos, km);
    } else if (f->state != reg->address.state) {
        return refusal_set(req, why, MHD_HTTP_UNPROCESSABLE_CONTENT, "other_state", "clues",
                           MSG_CLINIC_OTHER_STATE);
    }
    /* Asking for the clinic one has changes nothing. Each change reissues the
     * credential (it names the clinic) and so revokes one: a few a day at most, or
     * one account could fill the revocation list. */
    struct store_home_clinic current;
    int has = store_home_clinic_get(app->store, reg->id, &current, err, sizeof err);
    if (has < 0)
        return refusal_internal(req, why, err);
    if (has == 1 && strcmp(current.clues, c.clues) == 0)
        return 0;
    char counter[STORE_ID_LEN + 16];
    snprintf(counter, sizeof counter, "clinic:%s", reg->id);
    if (enrollment_count(req, counter, HOME_CLINIC_CHANGE_WINDOW, HOME_CLINIC_CHANGES, why) != 0)
        return -1;
    int stored = store_home_clinic_assign(app->store, reg->id, &c, err, sizeof err);
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_active", NULL, MSG_CLINIC_NOT_ACTIVE);
    return 0;
}

void home_clinic_place_text(const struct web_app *app, const struct catalog_facility *f, char *buf,
                            size_t size)
{
    const struct catalog_municipality *m =
        catalog_municipality(app->catalog, f->state, f->municipality);
    const struct catalog_state *s = catalog_state_by_code(app->catalog, f->state);
    snprintf(buf, size, "%s%s%s, %s", f->locality_name, *f->locality_name ? ", " : "",
             m ? m->name : "?", s ? s->name : "?");
}

void home_clinic_hours_text(const char *hours, enum i18n_lang lang, char *buf, size_t size)
{
    static const char letters[] = "DLMXJVS";
    static const char *const names[2][7] = {
        {"dom", "lun", "mar", "mié", "jue", "vie", "sáb"},
        {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
    };
    int l = lang == I18N_EN ? 1 : 0;
    size_t used = 0;
    buf[0] = '\0';
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(buf + used, size - used, __VA_ARGS__);                                   \
        if (w_ < 0 || (size_t)w_ >= size - used)                                                   \
            return;                                                                                \
        used += (size_t)w_;                                                                        \
    } while (0)
    /* the catalog keeps care_hours_format text: DAYS HH:MM-HH:MM; ... */
    for (const char *p = hours; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        if (!*p)
            break;
        const char *shift = p;
        size_t days = strspn(p, letters);
        if (used)
            PUT("; ");
        if (days == 7)
            PUT("%s", l ? "every day" : "todos los días");
        for (size_t d = 0; d < days && days < 7; d++)
            PUT("%s%s", d ? ", " : "", names[l][strchr(letters, p[d]) - letters]);
        p += days;
        while (*p == ' ')
            p++;
        size_t from = *p >= '0' && *p <= '9' ? 5 : 0;
        const char *to = p + from + (p[from] == '-');
        size_t to_len = *to >= '0' && *to <= '9' ? 5 : 0;
        PUT("%s%.*s–%.*s", days ? " " : "", (int)(from ? from : 1), from ? p : "?",
            (int)(to_len ? to_len : 1), to_len ? to : "?");
        p = to + to_len;
        if (p == shift)
            break; /* not the shape the catalog checks: stop rather than spin */
    }
#undef PUT
}

void home_clinic_map_url(const struct catalog_facility *f, char *buf, size_t size)
{
    if (!f->pos.present) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, size, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f",
             f->pos.lat, f->pos.lon, f->pos.lat, f->pos.lon);
}

static const char *status_name(enum catalog_status s)
{
    switch (s) {
    case CATALOG_IN_OPERATION:
        return "in_operation";
    case CATALOG_OUT_OF_OPERATION:
        return "out_of_operation";
    case CATALOG_UNDER_CONSTRUCTION:
        return "under_construction";
    case CATALOG_PENDING:
        return "pending";
    }
    return "unknown";
}

json_t *home_clinic_facility_json(const struct web_app *app, const struct catalog_facility *f,
                                  double km)
{
    char place[512], map[160], code[8];
    const struct catalog_municipality *m =
        catalog_municipality(app->catalog, f->state, f->municipality);
    const struct catalog_state *s = catalog_state_by_code(app->catalog, f->state);
    home_clinic_place_text(app, f, place, sizeof place);
    home_clinic_map_url(f, map, sizeof map);
    json_t *j = json_object();
    json_object_set_new(j, "clues", json_string(f->clues));
    json_object_set_new(j, "name", json_string(f->name));
    json_object_set_new(j, "level",
                        f->level == CATALOG_LEVEL_NA ? json_null() : json_integer((int)f->level));
    json_object_set_new(j, "status", json_string(status_name(f->status)));
    json_object_set_new(j, "typology", json_string(f->typology));
    snprintf(code, sizeof code, "%02d", f->state % 100);
    json_object_set_new(j, "state",
                        json_pack("{s:s, s:s?}", "code", code, "name", s ? s->name : NULL));
    snprintf(code, sizeof code, "%03d", f->municipality % 1000);
    json_object_set_new(j, "municipality",
                        json_pack("{s:s, s:s?}", "code", code, "name", m ? m->name : NULL));
    json_object_set_new(j, "locality", json_string(f->locality_name));
    json_object_set_new(j, "address", json_string(place));
    json_object_set_new(j, "location",
                        f->pos.present
                            ? json_pack("{s:f, s:f}", "lat", f->pos.lat, "lon", f->pos.lon)
                            : json_null());
    json_object_set_new(j, "map_url", *map ? json_string(map) : json_null());
    json_object_set_new(j, "hours", f->hours ? json_string(f->hours) : json_null());
    if (km >= 0)
        json_object_set_new(j, "distance_km", json_real(round(km * 100.0) / 100.0));
    return j;
}

json_t *home_clinic_json(const struct web_app *app, const char *id, char *err, size_t errsz)
{
    struct store_home_clinic c;
    int found = store_home_clinic_get(app->store, id, &c, err, errsz);
    if (found < 0)
        return NULL;
    const struct catalog_facility *f = found ? catalog_facility(app->catalog, c.clues) : NULL;
    if (!f) /* none yet, or a unit a newer catalog cut no longer lists */
        return found ? json_pack("{s:s, s:n}", "clues", c.clues, "name") : json_null();
    json_t *j = home_clinic_facility_json(app, f, c.distance_m >= 0 ? c.distance_m / 1000.0 : -1);
    char at[32];
    time_t t = (time_t)c.assigned_at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_set_new(j, "reason", json_string(store_clinic_reason_name(c.reason)));
    json_object_set_new(j, "assigned_at", json_string(at));
    json_object_set_new(j, "located_by", *c.located_by ? json_string(c.located_by) : json_null());
    return j;
}
