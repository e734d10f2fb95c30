/*
 * GET /api/v1/staff/figures: a unit administrator's unit, or a state
 * administrator's units, in counts (web/figures.h); and the page
 * /personal/cifras showing the same.
 */
#include "web/routes.h"

#include "web/api_common.h"
#include "web/figures.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

int api_staff_figures(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (api_staff_member(req, &who, &ret) != 0)
        return ret;
    json_t *figures = figures_for(req, &who, &why);
    return figures ? web_reply_json(req, MHD_HTTP_OK, figures) : api_reply_refusal(req, &why);
}

static const struct page_text figures_texts[] = {
    {"title", {"Cifras", "Figures"}},
    {"heading_unit", {"Cifras de la unidad", "Figures of the unit"}},
    {"heading_state", {"Cifras de las unidades del estado", "Figures of the state's units"}},
    {"day", {"Día", "Day"}},
    {"unit", {"Unidad", "Unit"}},
    {"people", {"Personas adscritas", "People with this home clinic"}},
    {"emergencies_open", {"Urgencias abiertas", "Open emergencies"}},
    {"appointments", {"Citas de hoy", "Today's appointments"}},
    {"booked", {"Agendadas", "Booked"}},
    {"arrived", {"Llegaron", "Arrived"}},
    {"in_consultation", {"En consulta", "In consultation"}},
    {"done", {"Atendidas", "Done"}},
    {"no_show", {"No llegaron", "No-show"}},
    {"cancelled", {"Canceladas", "Cancelled"}},
    {"suppressed",
     {"Las cantidades de 1 a 4 se muestran como «<5» para que nadie pueda ser identificado.",
      "Counts from 1 to 4 show as \"<5\" so that nobody can be identified."}},
    {"none", {"Nada que contar hoy.", "Nothing to count today."}},
    {"counts_only",
     {"Solo cantidades: ningún nombre ni dato personal.",
      "Counts only: no names, no personal data."}},
};

/* Every status in every unit, 0 where the store had none, for the page's table. */
static void fill_statuses(json_t *unit)
{
    static const char *const statuses[] = {"booked",  "done",      "arrived",
                                           "no_show", "cancelled", "in_consultation"};
    json_t *a = json_object_get(unit, "appointments_today");
    for (size_t i = 0; i < N(statuses); i++)
        if (!json_object_get(a, statuses[i]))
            json_object_set_new(a, statuses[i], json_integer(0));
}

int page_staff_figures(const struct web_request *req)
{
    struct staff_member who;
    struct refusal why;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    struct page p;
    page_init(&p, req, figures_texts, N(figures_texts), "title");
    json_t *figures = figures_for(req, &who, &why);
    if (!figures) {
        json_object_set_new(p.view, "heading",
                            json_string(page_text(&p, figures_texts, N(figures_texts), "title")));
        json_object_set_new(p.view, "message", json_string(why.message));
        return page_send(&p, "page/error", why.status);
    }
    json_t *units = json_object_get(figures, "units");
    if (!units) { /* a unit administrator: their one unit */
        units = json_array();
        json_array_append(units, json_object_get(figures, "unit"));
        json_object_set_new(figures, "units", units);
    }
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) fill_statuses(u);
    bool state = json_object_get(figures, "state") != NULL;
    json_object_set_new(p.view, "heading",
                        json_string(page_text(&p, figures_texts, N(figures_texts),
                                              state ? "heading_state" : "heading_unit")));
    json_object_set_new(p.view, "is_state", json_boolean(state));
    json_object_set_new(p.view, "has_units", json_boolean(json_array_size(units) > 0));
    json_object_set(p.view, "figures", figures);
    json_decref(figures);
    return page_send(&p, "page/staff_figures", MHD_HTTP_OK);
}
