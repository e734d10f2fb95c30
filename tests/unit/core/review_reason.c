/* Unit tests for src/core/review_reason.c: the decision words and the reason's
 * 10-400 characters after cleaning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/review_reason.h"

#include <string.h>

static void test_decision(void **state)
{
    (void)state;
    enum review_decision d = REVIEW_CONFIRM;
    assert_int_equal(review_decision_parse("lift", &d), 0);
    assert_int_equal(d, REVIEW_LIFT);
    assert_int_equal(review_decision_parse("confirm", &d), 0);
    assert_int_equal(d, REVIEW_CONFIRM);
    const char *bad[] = {NULL, "", "Lift", "lift ", "confirmar", "levantar", "lif"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(review_decision_parse(bad[i], &d), -1);
}

static void test_reason_length(void **state)
{
    (void)state;
    char out[4 * REVIEW_REASON_MAX + 1], text[2000];
    assert_true(review_reason_clean("  Dejó el empleo   en 2024 \t", out, sizeof out));
    assert_string_equal(out, "Dejó el empleo en 2024");
    assert_true(review_reason_clean("ñññññññññ.", out, sizeof out)); /* 10 characters, 19 bytes */
    assert_false(review_reason_clean("ñññññññññ", out, sizeof out)); /* 9 characters */
    assert_false(review_reason_clean("   corto   ", out, sizeof out));
    assert_false(review_reason_clean(NULL, out, sizeof out));
    assert_false(review_reason_clean("", out, sizeof out));
    memset(text, 'a', 400);
    text[400] = '\0';
    assert_true(review_reason_clean(text, out, sizeof out));
    text[400] = 'a';
    text[401] = '\0';
    assert_false(review_reason_clean(text, out, sizeof out));
    /* 400 four-byte characters fit the buffer exactly. */
    for (int i = 0; i < 400; i++)
        memcpy(text + 4 * i, "\xF0\x9F\x98\x80", 4);
    text[1600] = '\0';
    assert_true(review_reason_clean(text, out, sizeof out));
    assert_int_equal(strlen(out), 1600);
}

static void test_reason_refuses_hostile_bytes(void **state)
{
    (void)state;
    char out[4 * REVIEW_REASON_MAX + 1];
    assert_false(review_reason_clean("homónimo en el padrón\x01", out, sizeof out));
    assert_false(review_reason_clean("padrón viejo \xC3(", out, sizeof out));
    assert_false(review_reason_clean("una razón válida", out, 10)); /* buffer too small */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision),
        cmocka_unit_test(test_reason_length),
        cmocka_unit_test(test_reason_refuses_hostile_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
