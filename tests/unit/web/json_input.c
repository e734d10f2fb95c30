/* Unit tests for src/web/json_input.c: strict bodies, their text fields, and the
 * secrets read from them and wiped in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/json_input.h"

#include <jansson.h>
#include <string.h>

static const char *const fields[] = {"login", "password", NULL};

static json_t *parse(const char *body)
{
    json_t *obj = NULL;
    const char *bad = NULL;
    if (json_input_object(body, strlen(body), fields, &obj, &bad) != JSON_INPUT_OK)
        fail_msg("'%s' refused (%s)", body, bad ? bad : "-");
    return obj;
}

static void test_refusals_name_the_field(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"{\"login\":\"a\",\"admin\":\"1\"}", "admin"},
        {"{\"login\":1}", "login"},
    };
    enum json_input_error want[] = {JSON_INPUT_UNKNOWN_FIELD, JSON_INPUT_NOT_TEXT};
    for (size_t i = 0; i < 2; i++) {
        json_t *obj = (json_t *)1;
        const char *bad = NULL;
        assert_int_equal(json_input_object(cases[i][0], strlen(cases[i][0]), fields, &obj, &bad),
                         want[i]);
        assert_null(obj);
        assert_string_equal(bad, cases[i][1]);
    }
    json_t *obj = NULL;
    const char *bad = NULL;
    assert_int_equal(json_input_object("[]", 2, fields, &obj, &bad), JSON_INPUT_NOT_OBJECT);
    const char *twice = "{\"login\":\"a\",\"login\":\"b\"}";
    assert_int_equal(json_input_object(twice, strlen(twice), fields, &obj, &bad),
                     JSON_INPUT_INVALID);
}

static void test_text_absent_null_or_empty_is_null(void **state)
{
    (void)state;
    json_t *obj = parse("{\"login\":\"\",\"password\":null}");
    assert_null(json_input_text(obj, "login"));
    assert_null(json_input_text(obj, "password"));
    json_decref(obj);
    obj = parse("{\"login\":\"ana@example.mx\"}");
    assert_string_equal(json_input_text(obj, "login"), "ana@example.mx");
    json_decref(obj);
}

static void test_secret_keeps_its_length(void **state)
{
    (void)state;
    json_t *obj = parse("{\"password\":\"correct horse \\u00e9\"}");
    size_t len = 99;
    const char *pw = json_input_secret(obj, "password", &len);
    assert_non_null(pw);
    assert_int_equal(len, strlen("correct horse \xc3\xa9"));
    assert_memory_equal(pw, "correct horse \xc3\xa9", len);
    json_decref(obj);
}

static void test_secret_absent_or_null(void **state)
{
    (void)state;
    json_t *obj = parse("{\"password\":null}");
    size_t len = 99;
    assert_null(json_input_secret(obj, "password", &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(json_input_secret(obj, "login", &len));
    assert_int_equal(len, 0);
    json_input_wipe(obj, "password"); /* nothing to wipe: no crash */
    json_input_wipe(obj, "login");
    json_decref(obj);
}

static void test_wipe_zeroes_the_bytes_in_place(void **state)
{
    (void)state;
    json_t *obj = parse("{\"login\":\"ana\",\"password\":\"s3cret-pass\"}");
    size_t len;
    const char *pw = json_input_secret(obj, "password", &len);
    json_input_wipe(obj, "password");
    for (size_t i = 0; i < len; i++)
        assert_int_equal(pw[i], 0);
    assert_string_equal(json_input_text(obj, "login"), "ana"); /* the rest is untouched */
    json_decref(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals_name_the_field),
        cmocka_unit_test(test_text_absent_null_or_empty_is_null),
        cmocka_unit_test(test_secret_keeps_its_length),
        cmocka_unit_test(test_secret_absent_or_null),
        cmocka_unit_test(test_wipe_zeroes_the_bytes_in_place),
    };
    return cmocka_run_group_tests_name("web/json_input", tests, NULL, NULL);
}
