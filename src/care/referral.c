#include "care/referral.h"

#include <stddef.h>
#include <string.h>

static const char *const state_names[REFERRAL_STATES] = {
    "requested", "accepted", "rejected", "scheduled", "attended", "closed", "cancelled",
};

static const char *const urgency_names[REFERRAL_URGENCIES] = {"routine", "priority", "urgent"};

static const char *const outcome_names[STUDY_OUTCOMES] = {"exempt", "reduced", "full"};

static const struct {
    const char *code;
    int status;
    const char *text;
} verdicts[REFERRAL_VERDICTS] = {
    [REFERRAL_ALLOWED] = {"ok", 200, "allowed"},
    [REFERRAL_FORBIDDEN] = {"forbidden", 403, "your role at your unit may not make this change"},
    [REFERRAL_INVALID_TRANSITION] = {"invalid_transition", 409,
                                     "the referral's state does not allow this change"},
    [REFERRAL_REASON_REQUIRED] = {"reason_required", 422, "note: a rejection needs a reason"},
    [REFERRAL_SCHEDULE_REQUIRED] = {"schedule_required", 422,
                                    "date, time: scheduling needs a date and a time"},
    [REFERRAL_STUDY_REQUIRED] = {"study_required", 409,
                                 "level 3 attends after the socioeconomic study: a social "
                                 "worker of the unit records it first"},
    [REFERRAL_WRONG_LEVEL] = {"wrong_level", 422,
                              "to_unit: level 1 refers to level 2 and level 2 to level 3"},
    [REFERRAL_UNIT_NOT_OPERATING] = {"unit_not_in_operation", 422,
                                     "to_unit: the receiving unit is not in operation"},
    [REFERRAL_SAME_UNIT] = {"same_unit", 422, "to_unit: a unit does not refer to itself"},
};

static int parse(const char *const *names, int n, const char *text)
{
    for (int i = 0; text && i < n; i++)
        if (strcmp(text, names[i]) == 0)
            return i;
    return -1;
}

const char *referral_state_name(enum referral_state s)
{
    return (unsigned)s < REFERRAL_STATES ? state_names[s] : "unknown";
}

int referral_state_parse(const char *text, enum referral_state *out)
{
    int i = parse(state_names, REFERRAL_STATES, text);
    if (i >= 0)
        *out = (enum referral_state)i;
    return i >= 0 ? 0 : -1;
}

const char *referral_urgency_name(enum referral_urgency u)
{
    return (unsigned)u < REFERRAL_URGENCIES ? urgency_names[u] : "unknown";
}

int referral_urgency_parse(const char *text, enum referral_urgency *out)
{
    int i = parse(urgency_names, REFERRAL_URGENCIES, text);
    if (i >= 0)
        *out = (enum referral_urgency)i;
    return i >= 0 ? 0 : -1;
}

const char *study_outcome_name(enum study_outcome o)
{
    return (unsigned)o < STUDY_OUTCOMES ? outcome_names[o] : "unknown";
}

int study_outcome_parse(const char *text, enum study_outcome *out)
{
    int i = parse(outcome_names, STUDY_OUTCOMES, text);
    if (i >= 0)
        *out = (enum study_outcome)i;
    return i >= 0 ? 0 : -1;
}

const char *referral_verdict_code(enum referral_verdict v)
{
    return (unsigned)v < REFERRAL_VERDICTS ? verdicts[v].code : "forbidden";
}

int referral_verdict_status(enum referral_verdict v)
{
    return (unsigned)v < REFERRAL_VERDICTS ? verdicts[v].status : 403;
}

const char *referral_verdict_text(enum referral_verdict v)
{
    return (unsigned)v < REFERRAL_VERDICTS ? verdicts[v].text : verdicts[REFERRAL_FORBIDDEN].text;
}

int referral_next_level(int from_level)
{
    return from_level == 1 ? 2 : from_level == 2 ? 3 : 0;
}

enum referral_verdict referral_may_create(enum referral_role role, const char *actor_unit,
                                          const struct referral_unit *from,
                                          const struct referral_unit *to, bool emergency)
{
    if (role != REFERRAL_ROLE_PHYSICIAN || !actor_unit || !from->clues || !to->clues ||
        !actor_unit[0] || strcmp(actor_unit, from->clues) != 0)
        return REFERRAL_FORBIDDEN;
    if (strcmp(from->clues, to->clues) == 0)
        return REFERRAL_SAME_UNIT;
    if (emergency ? to->level != 2 && to->level != 3
                  : to->level != referral_next_level(from->level))
        return REFERRAL_WRONG_LEVEL;
    if (!to->in_operation)
        return REFERRAL_UNIT_NOT_OPERATING;
    return REFERRAL_ALLOWED;
}

/* Which changes the receiving unit makes; cancel is the referring unit's. */
static bool edge(enum referral_state from, enum referral_state to)
{
    switch (to) {
    case REFERRAL_ACCEPTED:
    case REFERRAL_REJECTED:
        return from == REFERRAL_REQUESTED;
    case REFERRAL_SCHEDULED:
        return from == REFERRAL_ACCEPTED;
    case REFERRAL_ATTENDED:
        return from == REFERRAL_SCHEDULED;
    case REFERRAL_CLOSED:
        return from == REFERRAL_ATTENDED;
    case REFERRAL_CANCELLED:
        return from == REFERRAL_REQUESTED || from == REFERRAL_ACCEPTED ||
               from == REFERRAL_SCHEDULED;
    case REFERRAL_REQUESTED:
    case REFERRAL_STATES:
        break;
    }
    return false;
}

enum referral_verdict referral_may_change(enum referral_state from, enum referral_state to,
                                          const struct referral_change *c)
{
    if ((unsigned)from >= REFERRAL_STATES || (unsigned)to >= REFERRAL_STATES || !edge(from, to))
        return REFERRAL_INVALID_TRANSITION;
    if (to == REFERRAL_CANCELLED) {
        if (c->role != REFERRAL_ROLE_PHYSICIAN || !c->at_referring_unit)
            return REFERRAL_FORBIDDEN;
        return REFERRAL_ALLOWED;
    }
    if ((c->role != REFERRAL_ROLE_PHYSICIAN && c->role != REFERRAL_ROLE_UNIT_ADMIN) ||
        !c->at_receiving_unit)
        return REFERRAL_FORBIDDEN;
    if (to == REFERRAL_REJECTED && !c->has_note)
        return REFERRAL_REASON_REQUIRED;
    if (to == REFERRAL_SCHEDULED && !c->has_schedule)
        return REFERRAL_SCHEDULE_REQUIRED;
    if (to == REFERRAL_ATTENDED && referral_level_charges(c->to_level) && !c->study_recorded)
        return REFERRAL_STUDY_REQUIRED;
    return REFERRAL_ALLOWED;
}

bool study_fee_valid(enum study_outcome o, int64_t fee_centavos)
{
    switch (o) {
    case STUDY_REDUCED:
        return fee_centavos >= 1 && fee_centavos <= REFERRAL_FEE_MAX;
    case STUDY_EXEMPT:
    case STUDY_FULL:
        return fee_centavos == 0;
    case STUDY_OUTCOMES:
        break;
    }
    return false;
}

bool referral_level_charges(int level)
{
    return level == 3;
}
