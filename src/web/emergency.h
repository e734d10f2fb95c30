/*
 * emergency: emergency encounters at hospital units, for anyone. The rules the
 * staff API (api_emergency.c) and page (page_emergency.c) share: who may open,
 * read and change an encounter, at which unit, the link to an enrollment, and
 * the invitation to register on discharge.
 *
 * Invariants:
 * - Only a hospital unit opens encounters: a unit of the catalog in operation
 *   at level 2 or 3 (emergency_unit_takes). Nothing is asked first: no
 *   enrollment, document or payment; the intake is core/emergency_intake.h's.
 * - Staff act on the encounters of their own unit only (web/staff.h:
 *   emergency.open and emergency.update for the desk and the physician,
 *   emergency.read also for social work); another unit's encounter reads as not
 *   found.
 * - At most one open encounter per CURP and unit: a second is refused (409
 *   already_open) naming the open one. An unidentified or name-only encounter
 *   is merged into the identified one instead of duplicating it.
 * - The link to an enrollment is set when the CURP is known and an active
 *   enrollment has it: at opening, at identification, and lazily at each read
 *   (so an enrollment made after the encounter links at the next read).
 * - Every read and change writes an audit record (emergency.read,
 *   emergency.open, emergency.update) whose subject is the CURP when known, else
 *   the encounter id; a change commits with its record.
 */
#ifndef PADRON_WEB_EMERGENCY_H
#define PADRON_WEB_EMERGENCY_H

#include "catalog/catalog.h"
#include "core/emergency_intake.h"
#include "store/store.h"
#include "web/enrollment.h"
#include "web/staff_account.h"

#include <jansson.h>
#include <stdbool.h>

/* Whether f takes emergencies: in operation, level 2 or 3. */
bool emergency_unit_takes(const struct catalog_facility *f);

/* Opens an encounter at who's unit. Returns 0 with out, or -1 with why: 403
 * out_of_scope (a role that may not), 403 not_a_hospital (the unit takes no
 * emergencies), 422 with the intake's code at its field, 409 already_open
 * (existing filled with the open encounter's id), 500. */
int emergency_open(const struct web_request *req, const struct staff_member *who,
                   const struct emergency_intake_input *in, struct store_emergency *out,
                   char existing[STORE_EMERGENCY_ID_LEN + 1], struct refusal *why);

/* Reads the encounter id for who (links it to an enrollment when one has come
 * since) and audits the read. Returns 0 with out, or -1 with why: 403
 * out_of_scope, 404 emergency_not_found (unknown, or of another unit), 500. */
int emergency_read(const struct web_request *req, const struct staff_member *who, const char *id,
                   struct store_emergency *out, struct refusal *why);

/* The encounter id, for a referral of the person reg from the emergency room
 * (web/referrals.h): an encounter of who's unit (a role that may change
 * encounters), still open, and the person's (linked to reg's enrollment, or
 * with reg's CURP; a late link is made as in emergency_read). Not audited here:
 * the referral's record covers it. Returns 0 with out, or -1 with why (field
 * "emergency"): 403 out_of_scope, 404 emergency_not_found (unknown, or of
 * another unit), 409 emergency_closed, 422 emergency_mismatch, 500. */
int emergency_for_referral(const struct web_request *req, const struct staff_member *who,
                           const char *id, const struct store_registration *reg,
                           struct store_emergency *out, struct refusal *why);

/* What happens to an encounter: kind "identify" (with curp), "merge" (into
 * another open encounter of the unit), "discharge", "transfer" (to the unit
 * transfer_to, a CLUES of the catalog). */
struct emergency_event {
    const char *kind, *curp, *into, *transfer_to;
};

/* Applies ev to the encounter id. Returns 0 with out (the encounter after the
 * event; after a merge, the one merged into), or -1 with why: 422
 * invalid_event, invalid_curp, invalid_into, invalid_unit; 404
 * emergency_not_found; 409 not_open, already_open (existing filled),
 * cannot_merge; 403 out_of_scope; 500. */
int emergency_apply(const struct web_request *req, const struct staff_member *who, const char *id,
                    const struct emergency_event *ev, struct store_emergency *out,
                    char existing[STORE_EMERGENCY_ID_LEN + 1], struct refusal *why);

/* An encounter as the API shows it (a new reference). A closed encounter
 * (discharged or transferred) of a person without an enrollment carries
 * "invitation": the portal's registration URL and, when the CURP is known, the
 * CURP to type there (never in the URL), with a message in the request's
 * language. */
json_t *emergency_json(const struct web_request *req, const struct store_emergency *e);

/* The open encounters of who's unit as a JSON array of emergency_json, and an
 * audit record of the list read (subject: the unit). NULL on an error (why set)
 * or when who may not read them (403 out_of_scope). */
json_t *emergency_open_list(const struct web_request *req, const struct staff_member *who,
                            struct refusal *why);

#endif
