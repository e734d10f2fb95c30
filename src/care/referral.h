/*
 * referral: the rules of a referral from one level of care to the next, and of
 * the socioeconomic study that decides what level 3 charges.
 *
 * States: requested -> accepted | rejected; accepted -> scheduled -> attended ->
 * closed; requested, accepted and scheduled may be cancelled. rejected, closed
 * and cancelled are final.
 *
 * Who may make each change (the actor's role and on which side of the referral
 * its unit is):
 * - create: a physician at the referring unit. From a level-1 unit only to a
 *   level-2 unit, from level 2 only to level 3; the receiving unit is another
 *   unit, in operation, of exactly that level. Level 3 is reached only through a
 *   level-2 referral; the one exception, emergencies, enters through the
 *   `emergency` flag of referral_may_create (any unit to another operating
 *   level-2 or level-3 unit), which web/referrals.c sets for a referral made
 *   from an open emergency encounter of the referring unit.
 * - accept, reject (with a reason), schedule (with a date and time), mark
 *   attended, close: a physician or the unit administrator of the receiving unit.
 *   Marking a level-3 referral attended needs a socioeconomic study of the
 *   person at that unit (study_required).
 * - cancel: a physician of the referring unit.
 *
 * Fees: levels 1 and 2 never charge. At level 3 the social worker's study gives
 * the outcome: exempt (nothing), reduced (a fee in centavos, 1 to
 * REFERRAL_FEE_MAX) or full (the unit's tariff, not recorded here).
 *
 * Invariants: pure (no clock, no I/O, no allocation); every refusal is one
 * verdict with a stable code and an HTTP status; anything not allowed below is
 * refused.
 */
#ifndef PADRON_CARE_REFERRAL_H
#define PADRON_CARE_REFERRAL_H

#include <stdbool.h>
#include <stdint.h>

enum referral_state {
    REFERRAL_REQUESTED,
    REFERRAL_ACCEPTED,
    REFERRAL_REJECTED,
    REFERRAL_SCHEDULED,
    REFERRAL_ATTENDED,
    REFERRAL_CLOSED,
    REFERRAL_CANCELLED,
    REFERRAL_STATES
};

enum referral_urgency { REFERRAL_ROUTINE, REFERRAL_PRIORITY, REFERRAL_URGENT, REFERRAL_URGENCIES };

enum study_outcome { STUDY_EXEMPT, STUDY_REDUCED, STUDY_FULL, STUDY_OUTCOMES };

/* The staff roles the rules speak of; every other role is REFERRAL_ROLE_OTHER. */
enum referral_role {
    REFERRAL_ROLE_PHYSICIAN,
    REFERRAL_ROLE_UNIT_ADMIN,
    REFERRAL_ROLE_SOCIAL_WORKER,
    REFERRAL_ROLE_OTHER
};

enum referral_verdict {
    REFERRAL_ALLOWED,
    REFERRAL_FORBIDDEN,          /* 403 forbidden: role or unit may not */
    REFERRAL_INVALID_TRANSITION, /* 409 invalid_transition */
    REFERRAL_REASON_REQUIRED,    /* 422 reason_required: a rejection without reason */
    REFERRAL_SCHEDULE_REQUIRED,  /* 422 schedule_required: scheduling without date/time */
    REFERRAL_STUDY_REQUIRED,     /* 409 study_required: level 3 before the study */
    REFERRAL_WRONG_LEVEL,        /* 422 wrong_level: not the next level of care */
    REFERRAL_UNIT_NOT_OPERATING, /* 422 unit_not_in_operation */
    REFERRAL_SAME_UNIT,          /* 422 same_unit */
    REFERRAL_VERDICTS
};

#define REFERRAL_FEE_MAX 10000000 /* centavos: 100,000 pesos */

/* "requested", "accepted", "rejected", "scheduled", "attended", "closed",
 * "cancelled"; "unknown" out of range. */
const char *referral_state_name(enum referral_state s);
int referral_state_parse(const char *text, enum referral_state *out);

/* "routine", "priority", "urgent". */
const char *referral_urgency_name(enum referral_urgency u);
int referral_urgency_parse(const char *text, enum referral_urgency *out);

/* "exempt", "reduced", "full". */
const char *study_outcome_name(enum study_outcome o);
int study_outcome_parse(const char *text, enum study_outcome *out);

/* The stable code ("forbidden", "invalid_transition", ...), the HTTP status and
 * an English sentence saying why. */
const char *referral_verdict_code(enum referral_verdict v);
int referral_verdict_status(enum referral_verdict v);
const char *referral_verdict_text(enum referral_verdict v);

/* A unit as the rules see it: its level (0 = none) and whether it operates. */
struct referral_unit {
    const char *clues;
    int level;
    bool in_operation;
};

/* Whether role at actor_unit may refer from `from` to `to`. */
enum referral_verdict referral_may_create(enum referral_role role, const char *actor_unit,
                                          const struct referral_unit *from,
                                          const struct referral_unit *to, bool emergency);

/* The level a referral from a unit of level `from_level` goes to: 2 from 1, 3
 * from 2, 0 from anything else. */
int referral_next_level(int from_level);

/* A change asked for, and what the rules need to know about it. */
struct referral_change {
    enum referral_role role;
    bool at_referring_unit; /* the actor's unit is the referral's from unit */
    bool at_receiving_unit; /* ... its to unit */
    int to_level;           /* the receiving unit's level */
    bool has_note;          /* a non-empty note (the reason of a rejection) */
    bool has_schedule;      /* a date and time (scheduling) */
    bool study_recorded;    /* the person has a study at the receiving unit */
};

/* Whether the change from -> to may happen. */
enum referral_verdict referral_may_change(enum referral_state from, enum referral_state to,
                                          const struct referral_change *c);

/* Whether a study outcome and fee go together: reduced with 1..REFERRAL_FEE_MAX
 * centavos, exempt and full with 0. */
bool study_fee_valid(enum study_outcome o, int64_t fee_centavos);

/* Whether care at a unit of this level may charge anything (only level 3). */
bool referral_level_charges(int level);

#endif
