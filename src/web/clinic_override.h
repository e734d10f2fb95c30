/*
 * clinic_override: staff set a person's home clinic, with a reason. The rules
 * the staff API (PUT /api/v1/staff/people/clinic) and the desk page share.
 *
 * Invariants:
 * - Only a unit administrator overrides, and only for a person of their unit:
 *   the person's current home clinic is the administrator's unit (until a person
 *   has one, the person's state of residence stands in, as for lookups). The
 *   unit that lets the person go decides; the receiving unit is not asked, as
 *   every operating level-1 unit takes the people assigned to it.
 * - The new unit is an operating level-1 unit of the catalog (any state: people
 *   near a state line); distance limits of a person's own request do not apply.
 * - The reason is 10-300 characters after cleaning (core/emergency_intake.h),
 *   at most 400 bytes as stored.
 * - The change and its audit record (person.clinic, the person's CURP) commit in
 *   one transaction (store_home_clinic_override). The credential names the
 *   clinic: as after a person's own request, the next look at it issues a new
 *   one (its data is older than the assignment) and revokes the one before.
 * - The person is read as a desk lookup (person.lookup, audited) after the
 *   clues and reason pass, so a refused form reads nobody.
 */
#ifndef PADRON_WEB_CLINIC_OVERRIDE_H
#define PADRON_WEB_CLINIC_OVERRIDE_H

#include "store/store.h"
#include "web/enrollment.h"
#include "web/staff_account.h"

/* Sets the home clinic of the person key names (a CURP or a folio) to clues for
 * reason. Returns 0 with reg (the person), or -1 with why: 403 out_of_scope (not
 * a unit administrator), 422 invalid_key, 404 person_not_found (unknown, or not
 * a person of the unit), 422 at "clues" unknown_facility or not_level_1, 422
 * invalid_reason at "reason", 409 same_clinic, 500. */
int clinic_override(const struct web_request *req, const struct staff_member *who, const char *key,
                    const char *clues, const char *reason, struct store_registration *reg,
                    struct refusal *why);

#endif
