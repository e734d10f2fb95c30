/* Unit tests for src/core/emergency_intake.c: the three identity kinds, the triage
 * scale, descriptions, and the staff reason of a clinic override. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/emergency_intake.h"

#include <string.h>

static enum emergency_intake_status check(const struct emergency_intake_input *in,
                                          const char *want_field)
{
    static struct emergency_intake out;
    const char *field = "unset";
    enum emergency_intake_status st = emergency_intake_check(in, &out, &field);
    if (want_field)
        assert_string_equal(field, want_field);
    else
        assert_null(field);
    return st;
}

static void test_kinds(void **state)
{
    (void)state;
    struct emergency_intake out;
    const char *field;
    struct emergency_intake_input in = {
        .triage = "red", .identity = "curp", .curp = " pxne660720hmcxtn06 "};
    assert_int_equal(emergency_intake_check(&in, &out, &field), EMERGENCY_INTAKE_OK);
    assert_string_equal(out.curp, "PXNE660720HMCXTN06");
    assert_int_equal(out.apparent_age, -1);
    in.curp = "PXNE660720HMCXTN07"; /* wrong check digit */
    assert_int_equal(check(&in, "curp"), EMERGENCY_INTAKE_CURP);
    in.curp = NULL;
    assert_int_equal(check(&in, "curp"), EMERGENCY_INTAKE_CURP);

    in = (struct emergency_intake_input){
        .triage = "green", .identity = "name", .name = "  María   López "};
    assert_int_equal(emergency_intake_check(&in, &out, &field), EMERGENCY_INTAKE_OK);
    assert_string_equal(out.name, "María López");
    assert_string_equal(out.curp, "");
    in.name = "   ";
    assert_int_equal(check(&in, "name"), EMERGENCY_INTAKE_NAME);
    in.name = "Ana\x01";
    assert_int_equal(check(&in, "name"), EMERGENCY_INTAKE_NAME);
    in.name = "Ana";
    in.curp = "PXNE660720HMCXTN06"; /* a known CURP is a "curp" intake */
    assert_int_equal(check(&in, "curp"), EMERGENCY_INTAKE_CURP);

    in = (struct emergency_intake_input){.triage = "blue", .identity = "unidentified"};
    assert_int_equal(check(&in, "features"), EMERGENCY_INTAKE_DESCRIPTION);
    in.found_where = "Mercado de abastos";
    in.sex = "female";
    in.apparent_age = "70";
    assert_int_equal(emergency_intake_check(&in, &out, &field), EMERGENCY_INTAKE_OK);
    assert_int_equal(out.apparent_age, 70);
    assert_string_equal(out.sex, "female");
    in.apparent_age = "121";
    assert_int_equal(check(&in, "apparent_age"), EMERGENCY_INTAKE_AGE);
    in.apparent_age = "4x";
    assert_int_equal(check(&in, "apparent_age"), EMERGENCY_INTAKE_AGE);
    in.apparent_age = "0";
    in.sex = "other";
    assert_int_equal(check(&in, "sex"), EMERGENCY_INTAKE_SEX);
}

static void test_triage_and_identity(void **state)
{
    (void)state;
    const char *const colours[] = {"red", "orange", "yellow", "green", "blue"};
    for (size_t i = 0; i < 5; i++)
        assert_true(emergency_triage_valid(colours[i]));
    assert_false(emergency_triage_valid("Red"));
    assert_false(emergency_triage_valid(NULL));
    struct emergency_intake_input in = {.triage = "black", .identity = "name", .name = "X"};
    assert_int_equal(check(&in, "triage"), EMERGENCY_INTAKE_TRIAGE);
    in.triage = "red";
    in.identity = "anonymous";
    assert_int_equal(check(&in, "identity"), EMERGENCY_INTAKE_IDENTITY);
    assert_string_equal(emergency_intake_code(EMERGENCY_INTAKE_DESCRIPTION),
                        "description_required");
    assert_string_equal(emergency_intake_code((enum emergency_intake_status)99), "unknown");
}

static void test_too_long(void **state)
{
    (void)state;
    static char text[EMERGENCY_FEATURES_MAX + 2];
    memset(text, 'a', sizeof text - 1);
    struct emergency_intake_input in = {
        .triage = "red", .identity = "unidentified", .features = text};
    assert_int_equal(check(&in, "features"), EMERGENCY_INTAKE_TEXT);
    text[EMERGENCY_FEATURES_MAX] = '\0';
    assert_int_equal(check(&in, NULL), EMERGENCY_INTAKE_OK);
}

static void test_reason(void **state)
{
    (void)state;
    char out[4 * 300 + 1];
    assert_false(emergency_reason_clean(NULL, out, sizeof out));
    assert_false(emergency_reason_clean("  corto  ", out, sizeof out));
    assert_false(emergency_reason_clean("ñññññññññ", out, sizeof out)); /* 9 characters */
    assert_true(emergency_reason_clean("ññññññññññ", out, sizeof out));
    assert_true(emergency_reason_clean(" vive junto al  hospital ", out, sizeof out));
    assert_string_equal(out, "vive junto al hospital");
    static char text[302];
    memset(text, 'a', 301);
    assert_false(emergency_reason_clean(text, out, sizeof out));
    text[300] = '\0';
    assert_true(emergency_reason_clean(text, out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_triage_and_identity),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_reason),
    };
    return cmocka_run_group_tests_name("core/emergency_intake", tests, NULL, NULL);
}
