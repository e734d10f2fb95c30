/*
 * staff: who may do what where. The one place that says what each staff role may
 * do with a person's data and at which unit; every staff page, endpoint and
 * command asks staff_may (staff_may_at_level for the referral actions, which
 * also depend on the unit's level of care) and nothing else. Pure: no database,
 * no clock.
 *
 * Roles and scope:
 * - receptionist, physician, social worker: act on people at their own unit only
 *   (the person's home clinic when known; until a person has one, the people of
 *   the unit's state). The receptionist and the physician see the face photo (to
 *   know who stands in front of them); the receptionist and the social worker see
 *   the identity and migration documents (the desk checks them; the social worker
 *   needs them for the socioeconomic study). The physician never sees documents.
 * - unit administrator: manages the unit (its staff, its figures); looks people
 *   up like the desk, but sees no photos or documents.
 * - state administrator: figures of the state's units; never a person's data.
 * - suspensions: the unit administrator reviews the suspension of a person of the
 *   unit (docs/staff.md says why not the state administrator).
 * - referrals (care/referral.h says which change each side makes): a physician
 *   refers onward from a level-1 or level-2 unit; physicians and the unit
 *   administrator act on the referrals of their unit; a social worker of a
 *   level-3 unit records the socioeconomic study. Always at the actor's own unit.
 *
 * Invariants:
 * - Anything not granted here is refused: a new action is refused to every role
 *   until a line below grants it.
 * - A target with neither unit nor state is refused for person actions.
 * - Set-password codes are 20 characters of Crockford base32 (100 random bits),
 *   shown in groups of four; only their BLAKE2b-256 hash is stored.
 */
#ifndef PADRON_WEB_STAFF_H
#define PADRON_WEB_STAFF_H

#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

enum staff_role {
    STAFF_RECEPTIONIST,
    STAFF_PHYSICIAN,
    STAFF_SOCIAL_WORKER,
    STAFF_UNIT_ADMIN,
    STAFF_STATE_ADMIN,
    STAFF_ROLES
};

/* "receptionist", "physician", "social_worker", "unit_admin", "state_admin". */
const char *staff_role_name(enum staff_role role);

/* The role named text: 0 with *role set, or -1. */
int staff_role_parse(const char *text, enum staff_role *role);

enum staff_action {
    STAFF_PERSON_LOOKUP,    /* name, folio, status, home clinic of a person */
    STAFF_PERSON_FACE,      /* the person's face photo */
    STAFF_PERSON_DOCUMENTS, /* the identity and migration documents */
    STAFF_UNIT_FIGURES,     /* aggregate figures of a unit */
    STAFF_STATE_FIGURES,    /* aggregate figures of a state */
    STAFF_MANAGE_STAFF,     /* add and disable staff of a unit */
    /* Emergencies (web/emergency.h) and the staff override of a home clinic. */
    STAFF_EMERGENCY_OPEN,   /* open an emergency encounter at the unit */
    STAFF_EMERGENCY_UPDATE, /* identify, merge, discharge, transfer an encounter */
    STAFF_EMERGENCY_READ,   /* read an encounter of the unit */
    STAFF_CLINIC_OVERRIDE,  /* set a person's home clinic, with a reason */
    /* Assisted enrollment (docs/staff.md): enroll a person at the desk, or finish an
     * application started online; receptionists only, their unit's (or, before
     * the desk has touched it, their state's) applications. */
    STAFF_ENROLLMENT_ASSIST,
    /* referrals (care/referral.h): always at a named unit of the right level */
    STAFF_REFERRAL_CREATE, /* refer a person onward: physician, own unit of level 1 or 2 */
    STAFF_REFERRAL_DECIDE, /* accept, reject, schedule, attend, close, cancel: physician or
                              unit administrator, own unit of level 2 or 3 (the referring
                              physician cancels at level 1 or 2; care/referral.h says which) */
    STAFF_STUDY_RECORD,    /* the socioeconomic study: social worker, own unit of level 3 */
    /* reception (web/reception.h): at the person's home clinic only, never by state */
    STAFF_APPOINTMENT_CHECKIN, /* check a person in; see the unit's list of the day */
    STAFF_APPOINTMENT_STATUS,  /* move an appointment of the unit to its next status */
    /* suspensions (web/suspension_review.h): lift or confirm one, with a reason;
     * the unit administrator of the person's unit (by state until they have one) */
    STAFF_SUSPENSION_REVIEW,
    STAFF_ACTIONS
};

/* The audit log's name of an action: "person.lookup", "person.face",
 * "person.documents", "unit.figures", "state.figures", "staff.manage",
 * "emergency.open", "emergency.update", "emergency.read", "person.clinic",
 * "enrollment.assist", "referral.create", "referral.decide", "study.record",
 * "appointment.checkin", "appointment.status", "registration.suspension_review". */
const char *staff_action_name(enum staff_action action);

/* Who acts: a role at a unit (CLUES), with the state the unit is in; or a state
 * administrator's state (unit ""). */
struct staff_scope {
    enum staff_role role;
    const char *unit;
    int state;
};

/* Where the action lands: the unit concerned (a person's home clinic, a unit
 * whose figures or staff are asked for), NULL or "" when unknown; and its state
 * (the person's state of residence when there is no unit), 0 when unknown. */
struct staff_target {
    const char *unit;
    int state;
};

/* Whether who may do action on target. The referral actions need the unit's level:
 * staff_may refuses them. */
bool staff_may(const struct staff_scope *who, enum staff_action action,
               const struct staff_target *target);

/* staff_may for an action at a unit of level of care `level` (1-3; 0 unknown). */
bool staff_may_at_level(const struct staff_scope *who, enum staff_action action,
                        const struct staff_target *target, int level);

#define STAFF_CODE_CHARS 20
#define STAFF_CODE_TEXT  (STAFF_CODE_CHARS + STAFF_CODE_CHARS / 4) /* with dashes, + NUL */

/* A new random set-password code, "ABCD-EFGH-JKMN-PQRS-TVWX", and its stored hash. */
void staff_code_new(char text[STAFF_CODE_TEXT], uint8_t hash[STORE_TOKEN_HASH_LEN]);

/* The stored hash of a code as typed (any case; spaces and dashes ignored; O read
 * as 0, I and L as 1): 0, or -1 when it is not 20 code characters. */
int staff_code_hash(const char *typed, size_t len, uint8_t hash[STORE_TOKEN_HASH_LEN]);

#endif
