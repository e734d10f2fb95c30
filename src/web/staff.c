#include "web/staff.h"

#include <sodium.h>
#include <string.h>

static const char *const role_names[STAFF_ROLES] = {
    "receptionist", "physician", "social_worker", "unit_admin", "state_admin",
};

static const char *const action_names[STAFF_ACTIONS] = {
    "person.lookup",
    "person.face",
    "person.documents",
    "unit.figures",
    "state.figures",
    "staff.manage",
    "emergency.open",
    "emergency.update",
    "emergency.read",
    "person.clinic",
    "enrollment.assist",
    "referral.create",
    "referral.decide",
    "study.record",
    "appointment.checkin",
    "appointment.status",
    "registration.suspension_review",
};

/* Which roles may do each action (bit 1 << role). */
#define ROLE(r) (1u << (r))
static const unsigned granted[STAFF_ACTIONS] = {
    [STAFF_PERSON_LOOKUP] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN) |
                            ROLE(STAFF_SOCIAL_WORKER) | ROLE(STAFF_UNIT_ADMIN),
    [STAFF_PERSON_FACE] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN),
    [STAFF_PERSON_DOCUMENTS] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_SOCIAL_WORKER),
    [STAFF_UNIT_FIGURES] = ROLE(STAFF_UNIT_ADMIN) | ROLE(STAFF_STATE_ADMIN),
    [STAFF_STATE_FIGURES] = ROLE(STAFF_STATE_ADMIN),
    [STAFF_MANAGE_STAFF] = ROLE(STAFF_UNIT_ADMIN) | ROLE(STAFF_STATE_ADMIN),
    /* Emergencies: the desk and the physician of the unit act, social work reads. */
    [STAFF_EMERGENCY_OPEN] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN),
    [STAFF_EMERGENCY_UPDATE] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN),
    [STAFF_EMERGENCY_READ] =
        ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN) | ROLE(STAFF_SOCIAL_WORKER),
    [STAFF_CLINIC_OVERRIDE] = ROLE(STAFF_UNIT_ADMIN),
    [STAFF_ENROLLMENT_ASSIST] = ROLE(STAFF_RECEPTIONIST),
    /* referrals */
    [STAFF_REFERRAL_CREATE] = ROLE(STAFF_PHYSICIAN),
    [STAFF_REFERRAL_DECIDE] = ROLE(STAFF_PHYSICIAN) | ROLE(STAFF_UNIT_ADMIN),
    [STAFF_STUDY_RECORD] = ROLE(STAFF_SOCIAL_WORKER),
    /* reception */
    [STAFF_APPOINTMENT_CHECKIN] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN),
    [STAFF_APPOINTMENT_STATUS] = ROLE(STAFF_RECEPTIONIST) | ROLE(STAFF_PHYSICIAN),
    /* suspensions: the administrator of the person's unit, who looks them up already */
    [STAFF_SUSPENSION_REVIEW] = ROLE(STAFF_UNIT_ADMIN),
};

/* The levels of care at which each referral action happens (bit 1 << level). */
static const unsigned referral_levels[STAFF_ACTIONS] = {
    [STAFF_REFERRAL_CREATE] = 1u << 1 | 1u << 2,
    [STAFF_REFERRAL_DECIDE] = 1u << 1 | 1u << 2 | 1u << 3,
    [STAFF_STUDY_RECORD] = 1u << 3,
};

const char *staff_role_name(enum staff_role role)
{
    return (unsigned)role < STAFF_ROLES ? role_names[role] : "unknown";
}

int staff_role_parse(const char *text, enum staff_role *role)
{
    for (int i = 0; text && i < STAFF_ROLES; i++)
        if (strcmp(text, role_names[i]) == 0) {
            *role = (enum staff_role)i;
            return 0;
        }
    return -1;
}

const char *staff_action_name(enum staff_action action)
{
    return (unsigned)action < STAFF_ACTIONS ? action_names[action] : "unknown";
}

static bool same_unit(const char *a, const char *b)
{
    return a && b && a[0] && strcmp(a, b) == 0;
}

bool staff_may(const struct staff_scope *who, enum staff_action action,
               const struct staff_target *target)
{
    return staff_may_at_level(who, action, target, 0);
}

bool staff_may_at_level(const struct staff_scope *who, enum staff_action action,
                        const struct staff_target *target, int level)
{
    if ((unsigned)who->role >= STAFF_ROLES || (unsigned)action >= STAFF_ACTIONS ||
        !(granted[action] & ROLE(who->role)))
        return false;
    bool has_unit = target->unit && target->unit[0];
    if (referral_levels[action]) /* only at the actor's own unit, of a level that fits */
        return has_unit && same_unit(who->unit, target->unit) && level >= 1 && level <= 3 &&
               (referral_levels[action] & (1u << level));
    if (who->role == STAFF_STATE_ADMIN)
        /* A state administrator reaches the units and figures of the state. */
        return target->state != 0 && target->state == who->state;
    if (action == STAFF_STATE_FIGURES)
        return false;
    if (has_unit)
        return same_unit(who->unit, target->unit);
    /* A person without a home clinic yet: the units of their state reach them.
     * Unit figures and staff always name their unit. */
    bool person = action == STAFF_PERSON_LOOKUP || action == STAFF_PERSON_FACE ||
                  action == STAFF_PERSON_DOCUMENTS || action == STAFF_CLINIC_OVERRIDE ||
                  action == STAFF_ENROLLMENT_ASSIST || action == STAFF_SUSPENSION_REVIEW;
    return person && target->state != 0 && target->state == who->state;
}

/* Crockford's base32: no I, L, O, U. */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void code_digest(const char canonical[STAFF_CODE_CHARS], uint8_t hash[STORE_TOKEN_HASH_LEN])
{
    static const char context[] = "padron staff set-password code v1";
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, STORE_TOKEN_HASH_LEN);
    crypto_generichash_update(&st, (const unsigned char *)context, sizeof context);
    crypto_generichash_update(&st, (const unsigned char *)canonical, STAFF_CODE_CHARS);
    crypto_generichash_final(&st, hash, STORE_TOKEN_HASH_LEN);
}

void staff_code_new(char text[STAFF_CODE_TEXT], uint8_t hash[STORE_TOKEN_HASH_LEN])
{
    char canonical[STAFF_CODE_CHARS];
    size_t at = 0;
    for (int i = 0; i < STAFF_CODE_CHARS; i++) {
        canonical[i] = alphabet[randombytes_uniform(32)];
        if (i > 0 && i % 4 == 0)
            text[at++] = '-';
        text[at++] = canonical[i];
    }
    text[at] = '\0';
    code_digest(canonical, hash);
    sodium_memzero(canonical, sizeof canonical);
}

int staff_code_hash(const char *typed, size_t len, uint8_t hash[STORE_TOKEN_HASH_LEN])
{
    char canonical[STAFF_CODE_CHARS];
    int n = 0;
    for (size_t i = 0; typed && i < len; i++) {
        char c = typed[i];
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        c = c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
        if (c == '\0' || !strchr(alphabet, c) || n == STAFF_CODE_CHARS)
            return -1;
        canonical[n++] = c;
    }
    if (n != STAFF_CODE_CHARS)
        return -1;
    code_digest(canonical, hash);
    sodium_memzero(canonical, sizeof canonical);
    return 0;
}
