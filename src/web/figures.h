/*
 * figures: counts of a unit, or of the units of a state, for their
 * administrators. Counts only: no names, no CURPs, no faces.
 *
 * Invariants:
 * - A unit administrator sees their own unit, exactly: people whose home clinic
 *   it is, today's appointments by status, open emergencies. Audited as
 *   unit.figures (subject: the unit's CLUES).
 * - A state administrator sees the same per unit of their state (units with
 *   something to count), each count from 1 to FIGURES_SUPPRESS_BELOW - 1 shown
 *   as "<5" so a small number cannot point at a person; no state totals (a total
 *   minus the shown counts would give the hidden ones back). Audited as
 *   state.figures (subject: the state as two digits).
 * - Every other role is refused (403 out_of_scope).
 * - "Today" is the server's local date, as for appointments.
 */
#ifndef PADRON_WEB_FIGURES_H
#define PADRON_WEB_FIGURES_H

#include "web/enrollment.h"
#include "web/staff_account.h"

#include <jansson.h>
#include <stdbool.h>

#define FIGURES_SUPPRESS_BELOW 5

/* A count as shown: the number, or "<5" when suppress and 1 <= n < 5. A new
 * reference. */
json_t *figures_count_json(long n, bool suppress);

/* The figures who may see (the unit's, or the state's per unit) as a new JSON
 * object, after their audit record; NULL with why (403 out_of_scope, 500). */
json_t *figures_for(const struct web_request *req, const struct staff_member *who,
                    struct refusal *why);

#endif
