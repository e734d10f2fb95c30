/* figures: counts of a unit or of a state's units, suppressed where small. */
#include "web/figures.h"

#include "catalog/catalog.h"
#include "web/appointments.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

json_t *figures_count_json(long n, bool suppress)
{
    if (suppress && n > 0 && n < FIGURES_SUPPRESS_BELOW)
        return json_string("<5");
    return json_integer(n);
}

struct gather {
    const struct web_request *req;
    int state;     /* keep only units of this state; 0: all */
    json_t *units; /* clues -> {people, appointments{status}, emergencies_open} */
};

static int gather_one(void *ctx, const char *clues, const char *metric, long count)
{
    struct gather *g = ctx;
    if (g->state) {
        const struct catalog_facility *f =
            g->req->app->catalog ? catalog_facility(g->req->app->catalog, clues) : NULL;
        if (!f || f->state != g->state)
            return 0;
    }
    json_t *unit = json_object_get(g->units, clues);
    if (!unit) {
        unit = json_pack("{s:i, s:{}, s:i}", "people", 0, "appointments", "emergencies_open", 0);
        json_object_set_new(g->units, clues, unit);
    }
    static const char prefix[] = "appointments_";
    if (strncmp(metric, prefix, sizeof prefix - 1) == 0)
        json_object_set_new(json_object_get(unit, "appointments"), metric + sizeof prefix - 1,
                            json_integer(count));
    else
        json_object_set_new(unit, metric, json_integer(count));
    return 0;
}

/* unit's raw counts as shown, suppressed or not, with clues and name. */
static json_t *unit_json(const struct web_request *req, const char *clues, json_t *raw,
                         bool suppress)
{
    const char *name = staff_unit_name(req, clues);
    json_t *appointments = json_object(), *a = json_object_get(raw, "appointments");
    const char *status;
    json_t *n;
    json_object_foreach(a, status, n)
    {
        json_object_set_new(appointments, status,
                            figures_count_json((long)json_integer_value(n), suppress));
    }
    return json_pack(
        "{s:s, s:s?, s:o, s:o, s:o}", "clues", clues, "name", name[0] ? name : NULL, "people",
        figures_count_json((long)json_integer_value(json_object_get(raw, "people")), suppress),
        "appointments_today", appointments, "emergencies_open",
        figures_count_json((long)json_integer_value(json_object_get(raw, "emergencies_open")),
                           suppress));
}

json_t *figures_for(const struct web_request *req, const struct staff_member *who,
                    struct refusal *why)
{
    bool state = who->scope.role == STAFF_STATE_ADMIN;
    struct staff_target target = {state ? NULL : who->scope.unit, who->scope.state};
    enum staff_action action = state ? STAFF_STATE_FIGURES : STAFF_UNIT_FIGURES;
    if (!staff_may(&who->scope, action, &target)) {
        refusal_text(why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                     req->lang == I18N_EN
                         ? "Only unit and state administrators see figures."
                         : "Solo la administración de la unidad o del estado ve las cifras.");
        return NULL;
    }
    char day[11], err[256];
    int minute;
    appointments_today(req, day, &minute);
    struct store_audit_record rec = {.at = req->app->clock(), .staff = who->account.id};
    snprintf(rec.role, sizeof rec.role, "%s", who->account.role);
    if (state)
        snprintf(rec.unit, sizeof rec.unit, "%02d", who->scope.state % 100);
    else
        snprintf(rec.unit, sizeof rec.unit, "%s", who->account.unit);
    snprintf(rec.action, sizeof rec.action, "%s", staff_action_name(action));
    snprintf(rec.subject, sizeof rec.subject, "%s", rec.unit);
    web_client_address(req, rec.client, sizeof rec.client);
    struct gather g = {req, state ? who->scope.state : 0, json_object()};
    if (store_figures_each(req->app->store, state ? NULL : who->account.unit, day, gather_one, &g,
                           err, sizeof err) < 0 ||
        store_audit_append(req->app->store, &rec, err, sizeof err) != 0) {
        json_decref(g.units);
        refusal_internal(req, why, err);
        return NULL;
    }
    json_t *out;
    if (state) {
        json_t *units = json_array(), *raw;
        const char *clues;
        json_object_foreach(g.units, clues, raw)
        {
            json_array_append_new(units, unit_json(req, clues, raw, true));
        }
        char code[4];
        snprintf(code, sizeof code, "%02d", who->scope.state % 100);
        out = json_pack("{s:s, s:s, s:s, s:i, s:o}", "scope", "state", "state", code, "day", day,
                        "suppressed_below", FIGURES_SUPPRESS_BELOW, "units", units);
    } else {
        json_t *raw = json_object_get(g.units, who->account.unit);
        json_t *none =
            raw ? NULL
                : json_pack("{s:i, s:{}, s:i}", "people", 0, "appointments", "emergencies_open", 0);
        out = json_pack("{s:s, s:s, s:o}", "scope", "unit", "day", day, "unit",
                        unit_json(req, who->account.unit, raw ? raw : none, false));
        json_decref(none);
    }
    json_decref(g.units);
    return out;
}
