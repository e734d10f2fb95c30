/*
 * referrals: referrals between the levels of care and the socioeconomic study, as
 * the staff API and pages use them. The rules are care/referral.h's (which change,
 * by whom, which level); who may act at which unit is web/staff.h's
 * (referral.create, referral.decide, study.record); this module ties them to the
 * catalog, the CIE-10 diagnoses and the store.
 *
 * Invariants:
 * - Nothing about a person goes out or changes without its audit record: a
 *   referral created or changed and a study recorded append theirs in the same
 *   transaction; every person a staff list shows appends a person.lookup record
 *   before the list goes out.
 * - Who may be referred: from a level-1 unit, a person of the unit (its home
 *   clinic, or its state before a clinic is assigned); from a level-2 unit, a
 *   person referred to that unit (accepted or later): level 3 only through
 *   level 2. Anybody else is "not found", as in the desk's lookups.
 * - The exception, emergencies: a physician of a hospital unit (level 2 or 3)
 *   names an open emergency encounter of the unit that is the person's; the
 *   referral may then go to any other operating level-2 or level-3 unit, the
 *   person is eligible through the encounter, the urgency defaults to urgent and
 *   the referral keeps the encounter's id.
 * - Without the CIE-10 catalog (padron import diagnoses) creation answers 503
 *   diagnoses_not_loaded; everything else works.
 * - The person's view names units and roles, never staff.
 */
#ifndef PADRON_WEB_REFERRALS_H
#define PADRON_WEB_REFERRALS_H

#include "store/store.h"
#include "web/enrollment.h"
#include "web/staff_account.h"

#include <jansson.h>

#define REFERRAL_TEXT_CHARS  250 /* characters of a reason or a note */
#define REFERRAL_LIST_MAX    100 /* referrals in one list */
#define REFERRAL_SUGGEST_MAX 5   /* units suggested */

/* What a physician asks for (texts as typed; NULL when absent). */
struct referral_request {
    const char *person; /* CURP or enrollment folio */
    const char *to_unit, *cie10, *reason, *urgency;
    const char *emergency; /* an open encounter's id (UR26-...) when from the emergency room */
};

/* Creates a referral from who's unit. 0 with *out, or -1 with why: 503
 * diagnoses_not_loaded, 403 forbidden (role, unit or level), 422 required /
 * invalid_key / unknown_unit / unknown_diagnosis / invalid_urgency / invalid_text
 * and the rules' wrong_level, unit_not_in_operation, same_unit; 404
 * person_not_found; with in->emergency, web/emergency.h's emergency_for_referral
 * refusals (404 emergency_not_found, 409 emergency_closed, 422
 * emergency_mismatch); 500. */
int referrals_create(const struct web_request *req, const struct staff_member *who,
                     const struct referral_request *in, struct store_referral *out,
                     struct refusal *why);

/* A change of state asked by who (state named as in care/referral.h; note, date
 * YYYY-MM-DD and time HH:MM as typed, NULL when absent). 0 with *out, or -1 with
 * why: 404 referral_not_found, 422 invalid_state / invalid_date / invalid_time /
 * invalid_text, and the rules' verdicts (403 forbidden, 409 invalid_transition,
 * 409 study_required, 422 reason_required, 422 schedule_required); 500. */
int referrals_change(const struct web_request *req, const struct staff_member *who,
                     const char *public_id, const char *state, const char *note, const char *date,
                     const char *time, struct store_referral *out, struct refusal *why);

/* Records a socioeconomic study by who (a social worker of a level-3 unit) of a
 * person referred to that unit. fee is in centavos (reduced only). 0 with *out,
 * or -1 with why: 403 forbidden, 404 person_not_found, 422 invalid_outcome /
 * invalid_fee / invalid_text, 500. */
int referrals_study(const struct web_request *req, const struct staff_member *who,
                    const char *person, const char *outcome, int64_t fee, const char *note,
                    struct store_study *out, struct refusal *why);

/* who's unit's referrals (incoming or outgoing), newest first, each with the
 * person's folio and names (audited) and its events: {"referrals":[...]}. A new
 * reference, or NULL with why. */
json_t *referrals_staff_list(const struct web_request *req, const struct staff_member *who,
                             bool incoming, struct refusal *why);

/* One referral as staff see it (without the person), with its events. */
json_t *referrals_json(const struct web_request *req, const struct store_referral *r,
                       bool staff_view);

/* The person's referrals with their history, unit names and roles only:
 * {"referrals":[...]}; NULL on a database error (logged). */
json_t *referrals_person_list(const struct web_request *req, const struct store_registration *reg);

/* The nearest operating units of the level who's unit refers to:
 * {"level", "facilities":[...]}, or NULL with why (403 forbidden, 422
 * wrong_level). level 0 means the next one. */
json_t *referrals_suggest(const struct web_request *req, const struct staff_member *who, int level,
                          struct refusal *why);

/* For a physician of a hospital unit (level 2 or 3, in operation), the nearest
 * operating units an emergency referral may go to: up to five of level 2, then
 * up to five of level 3, the unit itself left out: {"facilities":[...]}. NULL
 * for anyone else (no refusal: the page just offers no such units). */
json_t *referrals_suggest_emergency(const struct web_request *req, const struct staff_member *who);

/* Up to 20 CIE-10 entries for q: {"diagnoses":[{code, display, description,
 * chapter}]}, or NULL with why (503 diagnoses_not_loaded). */
json_t *referrals_diagnoses(const struct web_request *req, const char *q, struct refusal *why);

#endif
