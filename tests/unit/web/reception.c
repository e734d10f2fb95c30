/* Unit tests for src/web/reception.c: which status changes reception may make,
 * the JSON of an appointment (walk-ins without slot), and the person's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/reception.h"

#include <string.h>

static void test_transitions(void **state)
{
    (void)state;
    enum store_appointment_status all[] = {STORE_APPT_BOOKED,  STORE_APPT_CANCELLED,
                                           STORE_APPT_ARRIVED, STORE_APPT_IN_CONSULTATION,
                                           STORE_APPT_DONE,    STORE_APPT_NO_SHOW};
    int allowed = 0;
    for (size_t i = 0; i < 6; i++)
        for (size_t k = 0; k < 6; k++)
            for (int passed = 0; passed < 2; passed++)
                allowed += reception_transition_ok(all[i], all[k], passed);
    /* arrived->in_consultation and in_consultation->done (window or not), and
     * booked->no_show once the window has passed: nothing else */
    assert_int_equal(allowed, 5);
    assert_true(reception_transition_ok(STORE_APPT_ARRIVED, STORE_APPT_IN_CONSULTATION, false));
    assert_true(reception_transition_ok(STORE_APPT_IN_CONSULTATION, STORE_APPT_DONE, false));
    assert_true(reception_transition_ok(STORE_APPT_BOOKED, STORE_APPT_NO_SHOW, true));
    assert_false(reception_transition_ok(STORE_APPT_BOOKED, STORE_APPT_NO_SHOW, false));
    assert_false(reception_transition_ok(STORE_APPT_ARRIVED, STORE_APPT_NO_SHOW, true));
    assert_false(reception_transition_ok(STORE_APPT_ARRIVED, STORE_APPT_DONE, true));
    assert_false(reception_transition_ok(STORE_APPT_DONE, STORE_APPT_ARRIVED, true));
    assert_false(reception_transition_ok((enum store_appointment_status)42, STORE_APPT_DONE, true));
}

static void test_json_and_name(void **state)
{
    (void)state;
    struct store_appointment a = {.id = 7,
                                  .clues = "DFIMB002534",
                                  .service = "consulta",
                                  .date = "2026-12-02",
                                  .status = STORE_APPT_ARRIVED,
                                  .walk_in = true,
                                  .turn = 3};
    json_t *j = reception_appointment_json(&a);
    assert_true(json_is_null(json_object_get(j, "slot")));
    assert_true(json_is_true(json_object_get(j, "walk_in")));
    assert_int_equal(json_integer_value(json_object_get(j, "turn")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "arrived");
    json_decref(j);
    a = (struct store_appointment){
        .id = 8, .slot_start = 540, .slot_end = 560, .arrival_from = 540, .arrival_to = 550};
    j = reception_appointment_json(&a);
    assert_true(json_is_null(json_object_get(j, "turn")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "arrival"), "to")),
                        "09:10");
    json_decref(j);

    struct store_registration reg;
    memset(&reg, 0, sizeof reg);
    char name[64];
    reception_person_name(&reg, name, sizeof name);
    assert_string_equal(name, "");
    strcpy(reg.names.given_names, "Ana");
    strcpy(reg.names.first_surname, "López");
    reception_person_name(&reg, name, sizeof name);
    assert_string_equal(name, "Ana López");
    strcpy(reg.names.second_surname, "García");
    reception_person_name(&reg, name, sizeof name);
    assert_string_equal(name, "Ana López García");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_json_and_name),
    };
    return cmocka_run_group_tests_name("web/reception", tests, NULL, NULL);
}
