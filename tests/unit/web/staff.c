/* Unit tests for src/web/staff.c: who may do what where, and set-password codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/staff.h"

#include <string.h>

#define HERE  "OCSSA001234" /* a unit in Oaxaca (20) */
#define THERE "OCSSA009999" /* another unit in Oaxaca */

static bool may(enum staff_role role, enum staff_action action, const char *unit, int state)
{
    struct staff_scope who = {role, role == STAFF_STATE_ADMIN ? "" : HERE, 20};
    struct staff_target target = {unit, state};
    return staff_may(&who, action, &target);
}

static void test_desk_roles_act_at_their_unit_only(void **state)
{
    (void)state;
    enum staff_role desk[] = {STAFF_RECEPTIONIST, STAFF_PHYSICIAN, STAFF_SOCIAL_WORKER,
                              STAFF_UNIT_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        assert_true(may(desk[i], STAFF_PERSON_LOOKUP, HERE, 20));
        assert_false(may(desk[i], STAFF_PERSON_LOOKUP, THERE, 20)); /* another unit's patient */
        /* No home clinic yet: the people of the unit's state, no others. */
        assert_true(may(desk[i], STAFF_PERSON_LOOKUP, NULL, 20));
        assert_true(may(desk[i], STAFF_PERSON_LOOKUP, "", 20));
        assert_false(may(desk[i], STAFF_PERSON_LOOKUP, NULL, 7));
        assert_false(may(desk[i], STAFF_PERSON_LOOKUP, NULL, 0));
        assert_false(may(desk[i], STAFF_STATE_FIGURES, NULL, 20));
    }
}

static void test_photos_and_documents_by_need(void **state)
{
    (void)state;
    assert_true(may(STAFF_RECEPTIONIST, STAFF_PERSON_FACE, HERE, 20));
    assert_true(may(STAFF_PHYSICIAN, STAFF_PERSON_FACE, HERE, 20));
    assert_false(may(STAFF_SOCIAL_WORKER, STAFF_PERSON_FACE, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_PERSON_FACE, HERE, 20));
    assert_true(may(STAFF_RECEPTIONIST, STAFF_PERSON_DOCUMENTS, HERE, 20));
    assert_true(may(STAFF_SOCIAL_WORKER, STAFF_PERSON_DOCUMENTS, HERE, 20));
    assert_false(may(STAFF_PHYSICIAN, STAFF_PERSON_DOCUMENTS, HERE, 20));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_PERSON_FACE, THERE, 20));
}

static void test_state_admin_sees_figures_not_faces(void **state)
{
    (void)state;
    for (int a = STAFF_PERSON_LOOKUP; a <= STAFF_PERSON_DOCUMENTS; a++) {
        assert_false(may(STAFF_STATE_ADMIN, (enum staff_action)a, HERE, 20));
        assert_false(may(STAFF_STATE_ADMIN, (enum staff_action)a, NULL, 20));
    }
    assert_true(may(STAFF_STATE_ADMIN, STAFF_STATE_FIGURES, NULL, 20));
    assert_false(may(STAFF_STATE_ADMIN, STAFF_STATE_FIGURES, NULL, 7));
    assert_true(may(STAFF_STATE_ADMIN, STAFF_UNIT_FIGURES, THERE, 20));
    assert_false(may(STAFF_STATE_ADMIN, STAFF_UNIT_FIGURES, "CSSSA000001", 7));
    assert_true(may(STAFF_STATE_ADMIN, STAFF_MANAGE_STAFF, HERE, 20));
}

static void test_unit_admin_manages_own_unit(void **state)
{
    (void)state;
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_MANAGE_STAFF, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_MANAGE_STAFF, THERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_MANAGE_STAFF, NULL, 20)); /* must name a unit */
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_UNIT_FIGURES, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_UNIT_FIGURES, THERE, 20));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_MANAGE_STAFF, HERE, 20));
    assert_false(may(STAFF_PHYSICIAN, STAFF_UNIT_FIGURES, HERE, 20));
}

static void test_emergencies_and_overrides(void **state)
{
    (void)state;
    /* The desk and the physician open and change encounters; social work reads. */
    assert_true(may(STAFF_RECEPTIONIST, STAFF_EMERGENCY_OPEN, HERE, 20));
    assert_true(may(STAFF_PHYSICIAN, STAFF_EMERGENCY_UPDATE, HERE, 20));
    assert_true(may(STAFF_SOCIAL_WORKER, STAFF_EMERGENCY_READ, HERE, 20));
    assert_false(may(STAFF_SOCIAL_WORKER, STAFF_EMERGENCY_UPDATE, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_EMERGENCY_READ, HERE, 20));
    assert_false(may(STAFF_STATE_ADMIN, STAFF_EMERGENCY_READ, NULL, 20));
    /* Another unit's encounter, even in the same state, is out of reach. */
    assert_false(may(STAFF_RECEPTIONIST, STAFF_EMERGENCY_READ, THERE, 20));
    /* Only the unit administrator overrides a home clinic, at their unit. */
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_CLINIC_OVERRIDE, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_CLINIC_OVERRIDE, THERE, 20));
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_CLINIC_OVERRIDE, NULL, 20)); /* none yet: the state */
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_CLINIC_OVERRIDE, NULL, 7));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_CLINIC_OVERRIDE, HERE, 20));
    assert_false(may(STAFF_STATE_ADMIN, STAFF_CLINIC_OVERRIDE, NULL, 20));
    assert_string_equal(staff_action_name(STAFF_EMERGENCY_OPEN), "emergency.open");
    assert_string_equal(staff_action_name(STAFF_CLINIC_OVERRIDE), "person.clinic");
}

static void test_only_receptionists_assist_enrollment(void **state)
{
    (void)state;
    /* A draft the desk touched is its unit's; before that, its state's units'. */
    assert_true(may(STAFF_RECEPTIONIST, STAFF_ENROLLMENT_ASSIST, HERE, 20));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_ENROLLMENT_ASSIST, THERE, 20));
    assert_true(may(STAFF_RECEPTIONIST, STAFF_ENROLLMENT_ASSIST, NULL, 20));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_ENROLLMENT_ASSIST, NULL, 7));
    assert_false(may(STAFF_RECEPTIONIST, STAFF_ENROLLMENT_ASSIST, NULL, 0));
    enum staff_role others[] = {STAFF_PHYSICIAN, STAFF_SOCIAL_WORKER, STAFF_UNIT_ADMIN,
                                STAFF_STATE_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        assert_false(may(others[i], STAFF_ENROLLMENT_ASSIST, HERE, 20));
        assert_false(may(others[i], STAFF_ENROLLMENT_ASSIST, NULL, 20));
    }
    assert_string_equal(staff_action_name(STAFF_ENROLLMENT_ASSIST), "enrollment.assist");
}

static void test_reception_at_the_home_clinic_only(void **state)
{
    (void)state;
    enum staff_action reception[] = {STAFF_APPOINTMENT_CHECKIN, STAFF_APPOINTMENT_STATUS};
    for (size_t i = 0; i < 2; i++) {
        assert_true(may(STAFF_RECEPTIONIST, reception[i], HERE, 20));
        assert_true(may(STAFF_PHYSICIAN, reception[i], HERE, 20));
        assert_false(may(STAFF_RECEPTIONIST, reception[i], THERE, 20));
        /* no home clinic: the state does not stand in for check-in */
        assert_false(may(STAFF_RECEPTIONIST, reception[i], NULL, 20));
        assert_false(may(STAFF_SOCIAL_WORKER, reception[i], HERE, 20));
        assert_false(may(STAFF_UNIT_ADMIN, reception[i], HERE, 20));
        assert_false(may(STAFF_STATE_ADMIN, reception[i], HERE, 20));
    }
    assert_string_equal(staff_action_name(STAFF_APPOINTMENT_CHECKIN), "appointment.checkin");
    assert_string_equal(staff_action_name(STAFF_APPOINTMENT_STATUS), "appointment.status");
}

static void test_out_of_range_is_refused(void **state)
{
    (void)state;
    assert_false(may((enum staff_role)STAFF_ROLES, STAFF_PERSON_LOOKUP, HERE, 20));
    assert_false(may(STAFF_RECEPTIONIST, (enum staff_action)STAFF_ACTIONS, HERE, 20));
    assert_string_equal(staff_role_name((enum staff_role)99), "unknown");
    assert_string_equal(staff_action_name(STAFF_PERSON_FACE), "person.face");
    enum staff_role r;
    for (int i = 0; i < STAFF_ROLES; i++) {
        assert_int_equal(staff_role_parse(staff_role_name((enum staff_role)i), &r), 0);
        assert_int_equal(r, i);
    }
    assert_int_equal(staff_role_parse("Receptionist", &r), -1);
    assert_int_equal(staff_role_parse(NULL, &r), -1);
}

static bool may_at_level(enum staff_role role, enum staff_action action, const char *unit,
                         int level)
{
    struct staff_scope who = {role, HERE, 20};
    struct staff_target target = {unit, 20};
    return staff_may_at_level(&who, action, &target, level);
}

static void test_referral_actions(void **state)
{
    (void)state;
    assert_string_equal(staff_action_name(STAFF_REFERRAL_CREATE), "referral.create");
    assert_string_equal(staff_action_name(STAFF_REFERRAL_DECIDE), "referral.decide");
    assert_string_equal(staff_action_name(STAFF_STUDY_RECORD), "study.record");
    /* a physician refers from their own unit of level 1 or 2 */
    assert_true(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, HERE, 1));
    assert_true(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, HERE, 2));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, HERE, 3));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, HERE, 0));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, THERE, 1));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_CREATE, NULL, 1));
    assert_false(may_at_level(STAFF_UNIT_ADMIN, STAFF_REFERRAL_CREATE, HERE, 1));
    assert_false(may_at_level(STAFF_RECEPTIONIST, STAFF_REFERRAL_CREATE, HERE, 1));
    /* physicians and unit administrators decide at their own unit */
    assert_true(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_DECIDE, HERE, 2));
    assert_true(may_at_level(STAFF_UNIT_ADMIN, STAFF_REFERRAL_DECIDE, HERE, 3));
    assert_false(may_at_level(STAFF_UNIT_ADMIN, STAFF_REFERRAL_DECIDE, THERE, 3));
    assert_false(may_at_level(STAFF_SOCIAL_WORKER, STAFF_REFERRAL_DECIDE, HERE, 3));
    assert_false(may_at_level(STAFF_RECEPTIONIST, STAFF_REFERRAL_DECIDE, HERE, 2));
    /* the study: a social worker of a level-3 unit */
    assert_true(may_at_level(STAFF_SOCIAL_WORKER, STAFF_STUDY_RECORD, HERE, 3));
    assert_false(may_at_level(STAFF_SOCIAL_WORKER, STAFF_STUDY_RECORD, HERE, 2));
    assert_false(may_at_level(STAFF_SOCIAL_WORKER, STAFF_STUDY_RECORD, THERE, 3));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_STUDY_RECORD, HERE, 3));
    /* never a state administrator, never without a unit */
    struct staff_scope admin = {STAFF_STATE_ADMIN, "", 20};
    struct staff_target t = {HERE, 20};
    assert_false(staff_may_at_level(&admin, STAFF_REFERRAL_DECIDE, &t, 2));
    /* without a level, never */
    struct staff_scope md = {STAFF_PHYSICIAN, HERE, 20};
    assert_false(staff_may(&md, STAFF_REFERRAL_CREATE, &t));
    assert_false(may_at_level(STAFF_PHYSICIAN, STAFF_REFERRAL_DECIDE, "", 2));
}

static void test_codes(void **state)
{
    (void)state;
    char text[STAFF_CODE_TEXT], other[STAFF_CODE_TEXT];
    uint8_t hash[STORE_TOKEN_HASH_LEN], again[STORE_TOKEN_HASH_LEN];
    staff_code_new(text, hash);
    staff_code_new(other, again);
    assert_string_not_equal(text, other);
    assert_int_equal(strlen(text), 24);
    assert_int_equal(text[4], '-');
    assert_int_equal(staff_code_hash(text, strlen(text), again), 0);
    assert_memory_equal(hash, again, sizeof hash);
    /* Typed in lower case without dashes: the same code. */
    char typed[32];
    size_t n = 0;
    for (const char *c = text; *c; c++)
        if (*c != '-')
            typed[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    assert_int_equal(staff_code_hash(typed, n, again), 0);
    assert_memory_equal(hash, again, sizeof hash);
    /* O and 0, I/L and 1 read alike. */
    uint8_t a[STORE_TOKEN_HASH_LEN], b[STORE_TOKEN_HASH_LEN];
    assert_int_equal(staff_code_hash("0000-1111-2222-3333-4444", 24, a), 0);
    assert_int_equal(staff_code_hash("OoOo-IilL-2222-3333-4444", 24, b), 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(staff_code_hash("0000-1111-2222-3333-444", 23, a), -1); /* short */
    assert_int_equal(staff_code_hash("0000-1111-2222-3333-44444", 25, a), -1);
    assert_int_equal(staff_code_hash("0000-1111-2222-3333-444U", 24, a), -1); /* no U */
    assert_int_equal(staff_code_hash("0000-1111-2222-3333-44\0"
                                     "4",
                                     24, a),
                     -1);
}

/* A suspension is reviewed by the administrator of the person's unit only: not by the
 * desk roles, not by the state administrator, who never reaches a person. */
static void test_suspension_review_by_the_unit_administrator(void **state)
{
    (void)state;
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_SUSPENSION_REVIEW, HERE, 20));
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_SUSPENSION_REVIEW, THERE, 20));
    assert_true(may(STAFF_UNIT_ADMIN, STAFF_SUSPENSION_REVIEW, NULL, 20)); /* no clinic yet */
    assert_false(may(STAFF_UNIT_ADMIN, STAFF_SUSPENSION_REVIEW, NULL, 7));
    enum staff_role others[] = {STAFF_RECEPTIONIST, STAFF_PHYSICIAN, STAFF_SOCIAL_WORKER,
                                STAFF_STATE_ADMIN};
    for (size_t i = 0; i < 4; i++) {
        assert_false(may(others[i], STAFF_SUSPENSION_REVIEW, HERE, 20));
        assert_false(may(others[i], STAFF_SUSPENSION_REVIEW, NULL, 20));
    }
    assert_string_equal(staff_action_name(STAFF_SUSPENSION_REVIEW),
                        "registration.suspension_review");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_desk_roles_act_at_their_unit_only),
        cmocka_unit_test(test_photos_and_documents_by_need),
        cmocka_unit_test(test_state_admin_sees_figures_not_faces),
        cmocka_unit_test(test_unit_admin_manages_own_unit),
        cmocka_unit_test(test_emergencies_and_overrides),
        cmocka_unit_test(test_only_receptionists_assist_enrollment),
        cmocka_unit_test(test_reception_at_the_home_clinic_only),
        cmocka_unit_test(test_out_of_range_is_refused),
        cmocka_unit_test(test_referral_actions),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_suspension_review_by_the_unit_administrator),
    };
    return cmocka_run_group_tests_name("web/staff", tests, NULL, NULL);
}
