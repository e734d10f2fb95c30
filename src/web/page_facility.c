/*
 * /unidades/{clues}: one unit of the care network for anyone (no sign-in): name,
 * level of care, status, type, where it is, and a map link. No JavaScript: the
 * map is a link to OpenStreetMap. The account page links here for the person's
 * clinic.
 */
#include "web/routes.h"

#include "web/home_clinic.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text facility_texts[] = {
    {"title", {"Unidad de salud", "Health unit"}},
    {"level", {"Nivel de atención", "Level of care"}},
    {"level_1", {"Primer nivel: centro de salud", "First level: health centre"}},
    {"level_2", {"Segundo nivel: hospital", "Second level: hospital"}},
    {"level_3", {"Tercer nivel: hospital de alta especialidad", "Third level: specialty hospital"}},
    {"level_na", {"No aplica (unidad móvil u oficina)", "Not applicable (mobile unit or office)"}},
    {"status", {"Situación", "Status"}},
    {"in_operation", {"En operación", "In operation"}},
    {"not_in_operation",
     {"No está en operación: no se asigna ni atiende", "Not in operation: not assigned, no care"}},
    {"typology", {"Tipo", "Type"}},
    {"address", {"Ubicación", "Location"}},
    {"address_note",
     {"El catálogo CLUES de IMSS-Bienestar da la localidad, no la calle.",
      "The IMSS-Bienestar CLUES catalog gives the locality, not the street."}},
    {"hours", {"Horario", "Opening hours"}},
    {"hours_unknown",
     {"No lo tenemos. Llame a la unidad antes de ir.", "We do not have them. Call before going."}},
    {"hours_note",
     {"Según el catálogo CLUES de la Secretaría de Salud (abril de 2026).",
      "As listed in the Ministry of Health's CLUES catalog (April 2026)."}},
    {"map", {"Ver en el mapa (OpenStreetMap)", "See on the map (OpenStreetMap)"}},
    {"clues", {"Clave CLUES", "CLUES key"}},
};

int page_facility(const struct web_request *req)
{
    const struct catalog_facility *f = catalog_facility(req->app->catalog, req->params[0]);
    if (!f)
        return page_refusal(req, MHD_HTTP_NOT_FOUND, MSG_FACILITY_NOT_FOUND);
    struct page p;
    char place[512], map[160], hours[512];
    page_init(&p, req, facility_texts, N(facility_texts), "title");
    static const char *const level_keys[] = {"level_na", "level_1", "level_2", "level_3"};
    home_clinic_place_text(req->app, f, place, sizeof place);
    home_clinic_map_url(f, map, sizeof map);
    json_t *v = p.view;
    json_object_set_new(v, "name", json_string(f->name));
    json_object_set_new(v, "clues", json_string(f->clues));
    json_object_set_new(v, "typology", json_string(f->typology));
    json_object_set_new(
        v, "level_text",
        json_string(page_text(&p, facility_texts, N(facility_texts),
                              level_keys[(unsigned)f->level < 4 ? (unsigned)f->level : 0])));
    json_object_set_new(v, "in_operation", json_boolean(f->status == CATALOG_IN_OPERATION));
    json_object_set_new(v, "place", json_string(place));
    if (*map)
        json_object_set_new(v, "map_url", json_string(map));
    home_clinic_hours_text(f->hours, req->lang, hours, sizeof hours);
    if (*hours)
        json_object_set_new(v, "hours", json_string(hours));
    return page_send(&p, "page/facility", MHD_HTTP_OK);
}
