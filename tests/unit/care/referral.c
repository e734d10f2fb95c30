/* Tests src/care/referral.c: every transition allowed and refused, who may make
 * it, the level rules of creation, the study before level 3, fees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "care/referral.h"

#include <string.h>

/* The only edges of the machine, and which side makes them. */
static bool expected_edge(enum referral_state from, enum referral_state to, bool *referring)
{
    static const struct {
        enum referral_state from, to;
        bool referring;
    } edges[] = {
        {REFERRAL_REQUESTED, REFERRAL_ACCEPTED, false},
        {REFERRAL_REQUESTED, REFERRAL_REJECTED, false},
        {REFERRAL_ACCEPTED, REFERRAL_SCHEDULED, false},
        {REFERRAL_SCHEDULED, REFERRAL_ATTENDED, false},
        {REFERRAL_ATTENDED, REFERRAL_CLOSED, false},
        {REFERRAL_REQUESTED, REFERRAL_CANCELLED, true},
        {REFERRAL_ACCEPTED, REFERRAL_CANCELLED, true},
        {REFERRAL_SCHEDULED, REFERRAL_CANCELLED, true},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        if (edges[i].from == from && edges[i].to == to) {
            *referring = edges[i].referring;
            return true;
        }
    return false;
}

static struct referral_change complete(enum referral_role role, bool referring)
{
    return (struct referral_change){.role = role,
                                    .at_referring_unit = referring,
                                    .at_receiving_unit = !referring,
                                    .to_level = 2,
                                    .has_note = true,
                                    .has_schedule = true,
                                    .study_recorded = false};
}

static void test_every_pair(void **state)
{
    (void)state;
    int allowed = 0;
    for (int f = 0; f < REFERRAL_STATES; f++)
        for (int t = 0; t < REFERRAL_STATES; t++) {
            bool referring = false;
            bool edge = expected_edge((enum referral_state)f, (enum referral_state)t, &referring);
            for (int role = 0; role <= REFERRAL_ROLE_OTHER; role++)
                for (int side = 0; side < 3; side++) {
                    struct referral_change c = complete((enum referral_role)role, side == 0);
                    if (side == 2) /* a unit on neither side */
                        c.at_referring_unit = c.at_receiving_unit = false;
                    enum referral_verdict v =
                        referral_may_change((enum referral_state)f, (enum referral_state)t, &c);
                    bool role_ok = referring ? role == REFERRAL_ROLE_PHYSICIAN
                                             : role == REFERRAL_ROLE_PHYSICIAN ||
                                                   role == REFERRAL_ROLE_UNIT_ADMIN;
                    bool side_ok = referring ? side == 0 : side == 1;
                    enum referral_verdict want = !edge                ? REFERRAL_INVALID_TRANSITION
                                                 : role_ok && side_ok ? REFERRAL_ALLOWED
                                                                      : REFERRAL_FORBIDDEN;
                    if (v != want)
                        fail_msg("%s -> %s by role %d side %d: %s, wanted %s",
                                 referral_state_name((enum referral_state)f),
                                 referral_state_name((enum referral_state)t), role, side,
                                 referral_verdict_code(v), referral_verdict_code(want));
                    allowed += v == REFERRAL_ALLOWED;
                }
        }
    /* 5 receiving edges x 2 roles + 3 cancels x 1 role */
    assert_int_equal(allowed, 13);
    struct referral_change c = complete(REFERRAL_ROLE_PHYSICIAN, false);
    assert_int_equal(referral_may_change(REFERRAL_STATES, REFERRAL_ACCEPTED, &c),
                     REFERRAL_INVALID_TRANSITION);
    assert_int_equal(referral_may_change(REFERRAL_REQUESTED, (enum referral_state) - 1, &c),
                     REFERRAL_INVALID_TRANSITION);
}

static void test_what_changes_need(void **state)
{
    (void)state;
    struct referral_change c = complete(REFERRAL_ROLE_UNIT_ADMIN, false);
    c.has_note = false;
    assert_int_equal(referral_may_change(REFERRAL_REQUESTED, REFERRAL_REJECTED, &c),
                     REFERRAL_REASON_REQUIRED);
    assert_int_equal(referral_may_change(REFERRAL_REQUESTED, REFERRAL_ACCEPTED, &c),
                     REFERRAL_ALLOWED);
    c.has_schedule = false;
    assert_int_equal(referral_may_change(REFERRAL_ACCEPTED, REFERRAL_SCHEDULED, &c),
                     REFERRAL_SCHEDULE_REQUIRED);
    /* level 3 attends only after the study; levels 1 and 2 never ask */
    c.to_level = 3;
    assert_int_equal(referral_may_change(REFERRAL_SCHEDULED, REFERRAL_ATTENDED, &c),
                     REFERRAL_STUDY_REQUIRED);
    assert_int_equal(referral_verdict_status(REFERRAL_STUDY_REQUIRED), 409);
    assert_string_equal(referral_verdict_code(REFERRAL_STUDY_REQUIRED), "study_required");
    c.study_recorded = true;
    assert_int_equal(referral_may_change(REFERRAL_SCHEDULED, REFERRAL_ATTENDED, &c),
                     REFERRAL_ALLOWED);
    c.to_level = 2;
    c.study_recorded = false;
    assert_int_equal(referral_may_change(REFERRAL_SCHEDULED, REFERRAL_ATTENDED, &c),
                     REFERRAL_ALLOWED);
    /* a social worker of the receiving unit decides nothing */
    c.role = REFERRAL_ROLE_SOCIAL_WORKER;
    assert_int_equal(referral_may_change(REFERRAL_REQUESTED, REFERRAL_ACCEPTED, &c),
                     REFERRAL_FORBIDDEN);
}

static void test_create_levels(void **state)
{
    (void)state;
    struct referral_unit l1 = {"OCIMB000024", 1, true}, l2 = {"OCIMB000100", 2, true},
                         l3 = {"DFIMB000300", 3, true}, l2_closed = {"OCIMB000200", 2, false},
                         l2b = {"OCIMB000101", 2, true}, none = {"OCIMB000900", 0, true};
    const enum referral_role md = REFERRAL_ROLE_PHYSICIAN;
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &l2, false), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l3, false), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &l3, false), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l2b, false), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l1, false), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l3.clues, &l3, &l3, false), REFERRAL_SAME_UNIT);
    assert_int_equal(referral_may_create(md, l3.clues, &l3, &l2, false), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &none, false), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &l2_closed, false),
                     REFERRAL_UNIT_NOT_OPERATING);
    /* only a physician, only from their own unit */
    assert_int_equal(referral_may_create(REFERRAL_ROLE_UNIT_ADMIN, l1.clues, &l1, &l2, false),
                     REFERRAL_FORBIDDEN);
    assert_int_equal(referral_may_create(REFERRAL_ROLE_SOCIAL_WORKER, l1.clues, &l1, &l2, false),
                     REFERRAL_FORBIDDEN);
    assert_int_equal(referral_may_create(md, l2.clues, &l1, &l2b, false), REFERRAL_FORBIDDEN);
    assert_int_equal(referral_may_create(md, "", &l1, &l2, false), REFERRAL_FORBIDDEN);
    assert_int_equal(referral_may_create(md, NULL, &l1, &l2, false), REFERRAL_FORBIDDEN);
    /* the emergency hook: straight to level 3, never to level 1 or a closed unit */
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &l3, true), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l1, true), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(md, l1.clues, &l1, &l2_closed, true),
                     REFERRAL_UNIT_NOT_OPERATING);
    /* from a hospital's emergency room: to any other operating level-2 or level-3
     * unit, across and down the levels; still only a physician of that unit */
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l3, true), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l2b, true), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l3.clues, &l3, &l2, true), REFERRAL_ALLOWED);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &l2, true), REFERRAL_SAME_UNIT);
    assert_int_equal(referral_may_create(md, l2.clues, &l2, &none, true), REFERRAL_WRONG_LEVEL);
    assert_int_equal(referral_may_create(REFERRAL_ROLE_OTHER, l2.clues, &l2, &l3, true),
                     REFERRAL_FORBIDDEN);
    assert_int_equal(referral_may_create(md, l3.clues, &l2, &l3, true), REFERRAL_FORBIDDEN);
    assert_int_equal(referral_next_level(1), 2);
    assert_int_equal(referral_next_level(2), 3);
    assert_int_equal(referral_next_level(3), 0);
    assert_int_equal(referral_next_level(0), 0);
}

static void test_names_and_fees(void **state)
{
    (void)state;
    enum referral_state s;
    enum referral_urgency u;
    enum study_outcome o;
    for (int i = 0; i < REFERRAL_STATES; i++) {
        assert_int_equal(referral_state_parse(referral_state_name((enum referral_state)i), &s), 0);
        assert_int_equal(s, i);
    }
    assert_int_equal(referral_state_parse("Accepted", &s), -1);
    assert_int_equal(referral_state_parse(NULL, &s), -1);
    assert_string_equal(referral_state_name(REFERRAL_STATES), "unknown");
    assert_int_equal(referral_urgency_parse("urgent", &u), 0);
    assert_int_equal(u, REFERRAL_URGENT);
    assert_int_equal(referral_urgency_parse("asap", &u), -1);
    assert_int_equal(study_outcome_parse("reduced", &o), 0);
    assert_int_equal(o, STUDY_REDUCED);
    assert_int_equal(study_outcome_parse("free", &o), -1);
    for (int v = 0; v < REFERRAL_VERDICTS; v++) {
        assert_true(strlen(referral_verdict_code((enum referral_verdict)v)) > 0);
        assert_true(strlen(referral_verdict_text((enum referral_verdict)v)) > 0);
    }
    assert_int_equal(referral_verdict_status(REFERRAL_FORBIDDEN), 403);
    assert_int_equal(referral_verdict_status(REFERRAL_WRONG_LEVEL), 422);
    assert_true(study_fee_valid(STUDY_REDUCED, 15000));
    assert_false(study_fee_valid(STUDY_REDUCED, 0));
    assert_false(study_fee_valid(STUDY_REDUCED, REFERRAL_FEE_MAX + 1));
    assert_false(study_fee_valid(STUDY_REDUCED, -5));
    assert_true(study_fee_valid(STUDY_EXEMPT, 0));
    assert_false(study_fee_valid(STUDY_EXEMPT, 100));
    assert_true(study_fee_valid(STUDY_FULL, 0));
    assert_false(study_fee_valid(STUDY_OUTCOMES, 0));
    assert_false(referral_level_charges(1));
    assert_false(referral_level_charges(2));
    assert_true(referral_level_charges(3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_what_changes_need),
        cmocka_unit_test(test_create_levels),
        cmocka_unit_test(test_names_and_fees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
