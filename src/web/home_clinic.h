/*
 * home_clinic: the person's level-1 unit. All care starts there, so every
 * active enrollment gets the nearest operating level-1 unit to its address on
 * submit and again after a move; the person may ask for another one.
 *
 * Invariants:
 * - The address is placed by geo/geocode.h (the position the person chose, else
 *   the municipality's county seat, else its centroid); the unit is the nearest
 *   operating level-1 one (geo/facilities.h, exact, ties by CLUES).
 * - A request is granted only for an operating level-1 unit within
 *   HOME_CLINIC_RADIUS_KM of the placed address, or, where even the nearest unit
 *   is farther, within HOME_CLINIC_SLACK_KM more than the nearest; when the
 *   address cannot be placed, any operating level-1 unit of the address's state;
 *   at most HOME_CLINIC_CHANGES changes a day (429 after).
 * - Every assignment is a new row of the store's history (store.h): nothing is
 *   overwritten. Staff overrides go through store_home_clinic_override.
 */
#ifndef PADRON_WEB_HOME_CLINIC_H
#define PADRON_WEB_HOME_CLINIC_H

#include "catalog/catalog.h"
#include "geo/geocode.h"
#include "store/store.h"
#include "web/enrollment.h"
#include "web/http.h"

#include <jansson.h>

#define HOME_CLINIC_RADIUS_KM 50.0
#define HOME_CLINIC_SLACK_KM  25.0
/* Requests for another clinic a person may make in a day: each one reissues the
 * credential and revokes the one before. Asking for the current clinic is free. */
#define HOME_CLINIC_CHANGES       3
#define HOME_CLINIC_CHANGE_WINDOW (24 * 60 * 60)

/* Places reg's current address. Returns 1 with pos filled, 0 when it cannot be
 * placed, -1 on a store error (err). */
int home_clinic_locate(const struct web_app *app, const struct store_registration *reg,
                       struct geo_position *pos, char *err, size_t errsz);

/* Assigns the nearest operating level-1 unit to reg's current address, with
 * reason (ADDRESS on submit, MOVE after a move). Returns 1 when assigned, 0 when
 * nothing could be (no index, an address that cannot be placed, no unit, or an
 * enrollment that is not active), -1 on a store error (err). */
int home_clinic_assign_nearest(const struct web_app *app, const struct store_registration *reg,
                               enum store_clinic_reason reason, char *err, size_t errsz);

/* The operating level-1 unit clues names (11 characters, any case), as a home
 * clinic: 0 with *f, or -1 with why (422 at "clues": required, unknown_facility,
 * not_level_1). */
int home_clinic_level1(const struct web_request *req, const char *clues,
                       const struct catalog_facility **f, struct refusal *why);

/* The person asks for the unit clues as their clinic. Returns 0 when recorded
 * (reason REQUEST), or -1 with why: 409 not_active, 422 at field "clues":
 * unknown_facility, not_level_1 (not level 1 or not in operation), too_far,
 * other_state; 500 internal. */
int home_clinic_request(const struct web_request *req, const struct store_registration *reg,
                        const char *clues, struct refusal *why);

/* A unit as the API shows it (a new reference): clues, name, level, status,
 * typology, state, municipality, locality, address (the place as text),
 * location {lat, lon} or null, map_url, hours (DGIS notation) or null, and
 * distance_km when km >= 0. */
json_t *home_clinic_facility_json(const struct web_app *app, const struct catalog_facility *f,
                                  double km);

/* The current clinic of enrollment id as JSON (the unit as above plus reason and
 * assigned_at), json null when none; NULL on a store error (err). */
json_t *home_clinic_json(const struct web_app *app, const char *id, char *err, size_t errsz);

/* The place of a unit as one line: locality, municipality, state. */
void home_clinic_place_text(const struct web_app *app, const struct catalog_facility *f, char *buf,
                            size_t size);

/* DGIS opening hours ("LMXJV 08:00-15:30; DS 08:00-14:00") in words of lang:
 * "lun, mar, mié, jue, vie 08:00–15:30; dom, sáb 08:00–14:00", "todos los días"
 * for all seven; "" when hours is NULL. Cut short at size. */
void home_clinic_hours_text(const char *hours, enum i18n_lang lang, char *buf, size_t size);

/* https://www.openstreetmap.org/?mlat=..&mlon=.. for the unit ("" without a position). */
void home_clinic_map_url(const struct catalog_facility *f, char *buf, size_t size);

#endif
