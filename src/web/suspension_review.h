/*
 * suspension_review: staff review a suspension made by `padron crosscheck
 * --suspend` (a roll said the person is affiliated to IMSS or ISSSTE) that the
 * person says is a mistake: a stale roll, a namesake, a job left. The rules the
 * staff API (api_suspension.c) and the staff page (page_suspension.c) share.
 *
 * Invariants:
 * - Only a unit administrator reviews (web/staff.h, STAFF_SUSPENSION_REVIEW), and
 *   only a person of the unit (by state until the person has a home clinic); the
 *   person is named by CURP, folio or registration id in a body, never a URL.
 * - Reading the person is a desk lookup, audited as person.lookup before anything
 *   is shown; refused forms read nobody.
 * - A decision is "lift" or "confirm" with a reason of 10-400 characters
 *   (core/review_reason.h). It is recorded with its audit record
 *   (registration.suspension_lift or registration.suspension_confirm, subject the
 *   CURP) in one transaction (store_suspension_review); a lift also clears the
 *   suspension and queues a mail to the person in the language of their consent.
 * - A lift holds against later cross-checks until the roll is imported again.
 */
#ifndef PADRON_WEB_SUSPENSION_REVIEW_H
#define PADRON_WEB_SUSPENSION_REVIEW_H

#include "store/store.h"
#include "web/enrollment.h"
#include "web/staff_account.h"

#include <jansson.h>

#define SUSPENSION_REVIEWS_SHOWN 20 /* the newest reviews shown with a person */

/* Reads the person key names for a review by who (an audited lookup). Returns 0
 * with reg and clinic, or -1 with why: 403 out_of_scope (not a unit
 * administrator), 422 invalid_key, 404 person_not_found, 500. */
int suspension_review_read(const struct web_request *req, const struct staff_member *who,
                           const char *key, struct store_registration *reg,
                           char clinic[STORE_CLUES_LEN + 1], struct refusal *why);

/* Decides the suspension of the person key names: decision "lift" or "confirm",
 * reason as typed. Returns 0 with reg (as it is after the decision) and r, or -1
 * with why: 403 out_of_scope, 400 required at "decision" or "reason" (absent),
 * 422 invalid_decision, 422 invalid_reason (not 10-400 characters), the lookup's
 * refusals, 409 not_suspended (nothing to review, or decided meanwhile), 500. */
int suspension_review_decide(const struct web_request *req, const struct staff_member *who,
                             const char *key, const char *decision, const char *reason,
                             struct store_registration *reg, struct store_suspension_review *r,
                             struct refusal *why);

/* {"at","institution","roll_imported_at"} of reg's suspension, or JSON null. */
json_t *suspension_json(const struct web_request *req, const struct store_registration *reg);

/* One review as JSON: {"id","decision","reason","at","suspended_at","institution"}. */
json_t *suspension_review_json(const struct store_suspension_review *r);

/* The newest reviews of reg, newest first, as a JSON array; NULL on a database
 * error (logged). */
json_t *suspension_reviews_json(const struct web_request *req,
                                const struct store_registration *reg);

#endif
