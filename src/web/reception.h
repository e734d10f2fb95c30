/*
 * reception: the unit's desk on the day of care. Check-in by the credential's QR
 * text or the enrollment folio, the turn of the day, walk-ins, the unit's list
 * of the day and the status changes of its appointments: the rules the
 * reception API (api_reception.c) and page (page_reception.c) share.
 *
 * Invariants:
 * - Only a receptionist or a physician acts (staff.h: appointment.checkin,
 *   appointment.status), and only on people whose home clinic is their unit
 *   and on that unit's appointments; a person of another unit is answered 404
 *   not_at_this_unit and the attempt is audited as appointment.checkin.denied.
 *   A suspended enrollment (padron crosscheck --suspend) is refused 409 suspended
 *   and the attempt is audited as appointment.checkin.suspended.
 * - A QR text is verified like any credential (issued_verify: the server's keys,
 *   the revocations, the clock): anything but a valid credential is refused
 *   with 422 credential_invalid and the reason in words.
 * - A check-in makes today's booking at the unit arrived, or creates a walk-in;
 *   either takes the unit's next turn of the day (store.h). A person already
 *   arrived or in consultation gets 409 already_checked_in with that turn.
 *   Every check-in attempt on a person of the unit is audited with it.
 * - Statuses move arrived -> in_consultation -> done, and booked -> no_show once
 *   the arrival window has passed; anything else is 409 invalid_transition.
 * - The list of the day shows a masked CURP, never the whole one; reading it
 *   writes one audit record (appointment.checkin) per person, staff member and
 *   day.
 */
#ifndef PADRON_WEB_RECEPTION_H
#define PADRON_WEB_RECEPTION_H

#include "store/store.h"
#include "web/enrollment.h"
#include "web/http.h"
#include "web/staff_account.h"

#include <jansson.h>
#include <stdbool.h>

#define RECEPTION_DAY_MAX 300 /* appointments of a unit's day shown */

/* What a check-in found. */
struct reception_checkin {
    struct store_appointment appointment;
    struct store_registration person;
    bool already; /* was already checked in: the appointment and turn are the earlier ones */
};

/* Checks in the person named by qr (a credential's QR text, len bytes) or, when
 * qr is NULL, folio (as typed) at who's unit today. Returns 0 with *out (also
 * when already checked in: out->already), or -1 with why: 422 required /
 * credential_invalid / invalid_folio, 404 person_not_found / not_at_this_unit,
 * 409 suspended, 403 out_of_scope, 429 throttled, 500. */
int reception_checkin(const struct web_request *req, const struct staff_member *who, const char *qr,
                      size_t len, const char *folio, struct reception_checkin *out,
                      struct refusal *why);

/* Whether an appointment may go from from to to; window_passed says whether its
 * arrival window is over (a booking becomes a no-show only then). Pure. */
bool reception_transition_ok(enum store_appointment_status from, enum store_appointment_status to,
                             bool window_passed);

/* Moves appointment id of who's unit to the status named status ("in_consultation",
 * "done", "no_show"), audited. Returns 0 with *out, or -1 with why: 404
 * appointment_not_found, 422 invalid_status, 409 invalid_transition, 403
 * out_of_scope, 500. */
int reception_set_status(const struct web_request *req, const struct staff_member *who, int64_t id,
                         const char *status, struct store_appointment *out, struct refusal *why);

/* The unit's list of date (YYYY-MM-DD; NULL or "" for today) as a JSON array in
 * order: {id, turn (or null), folio, curp (masked), name, slot {start, end} (null
 * for a walk-in), arrival {from, to}, status, walk_in, next: [statuses it may
 * move to now]}. A new reference, or NULL with why (422 invalid_date, 403, 500). */
json_t *reception_day_json(const struct web_request *req, const struct staff_member *who,
                           const char *date, struct refusal *why);

/* An appointment of the unit as the reception API shows it: appointments_json
 * with turn (or null) and walk_in; a walk-in has slot and arrival null. */
json_t *reception_appointment_json(const struct store_appointment *a);

/* The person's name as one line ("Ana López García"), or "" when none. */
void reception_person_name(const struct store_registration *reg, char *buf, size_t size);

#endif
