/* Unit tests for src/store/sqlite_names.c against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

#define ID "0123456789abcdef0123456789abcdef"

static struct store_names names(const char *given, const char *first, const char *second)
{
    struct store_names n = {0};
    snprintf(n.given_names, sizeof n.given_names, "%s", given);
    snprintf(n.first_surname, sizeof n.first_surname, "%s", first);
    snprintf(n.second_surname, sizeof n.second_surname, "%s", second);
    return n;
}

static void test_draft_names(void **state)
{
    struct fixture *f = *state;
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    struct store_registration r;
    assert_int_equal(
        store_registration_create(f->store, ID, "SABC560626MDFLRN01", h, 1, err, sizeof err), 0);
    assert_int_equal(store_registration_get(f->store, ID, &r, err, sizeof err), 1);
    assert_string_equal(r.names.given_names, "");

    struct store_names n = names("Concepción", "Salgado", "Briseño");
    assert_int_equal(store_registration_set_names(f->store, ID, &n, 5, err, sizeof err), 1);
    n = names("Concepción", "Salgado", ""); /* one surname: stored as none */
    assert_int_equal(store_registration_set_names(f->store, ID, &n, 6, err, sizeof err), 1);
    assert_int_equal(store_registration_get(f->store, ID, &r, err, sizeof err), 1);
    assert_string_equal(r.names.given_names, "Concepción");
    assert_string_equal(r.names.first_surname, "Salgado");
    assert_string_equal(r.names.second_surname, "");
    assert_int_equal(r.names_corrected_at, 0);
    assert_int_equal(r.updated_at, 6);
    /* A draft's names change without history, and a draft is not corrected. */
    assert_int_equal(store_name_corrections(f->store, ID, NULL, 0, err, sizeof err), 0);
    assert_int_equal(
        store_registration_correct_names(f->store, ID, &n, "applicant", 7, err, sizeof err), 0);
    assert_int_equal(store_registration_set_names(f->store, "ffffffffffffffffffffffffffffffff", &n,
                                                  7, err, sizeof err),
                     0);
    /* The schema refuses an empty name: nothing is half-written. */
    struct store_names empty = names("", "Salgado", "");
    assert_int_equal(store_registration_set_names(f->store, ID, &empty, 8, err, sizeof err), -1);
    assert_non_null(strstr(err, "saving the names"));
    assert_int_equal(store_registration_get(f->store, ID, &r, err, sizeof err), 1);
    assert_string_equal(r.names.given_names, "Concepción");
}

static void test_correction_keeps_history(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_registration r;
    active_account(f, ID, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    struct store_names n = names("Concepcion", "Salgado", "");
    /* An active enrollment is corrected, never set as a draft. */
    assert_int_equal(store_registration_set_names(f->store, ID, &n, 10, err, sizeof err), 0);
    /* Enrolled before names were asked: the first names are a correction from none. */
    assert_int_equal(
        store_registration_correct_names(f->store, ID, &n, "applicant", 10, err, sizeof err), 1);
    struct store_names fixed = names("Concepción", "Salgado", "Briseño");
    assert_int_equal(
        store_registration_correct_names(f->store, ID, &fixed, "applicant", 20, err, sizeof err),
        1);
    /* The same names again: nothing to record. */
    assert_int_equal(
        store_registration_correct_names(f->store, ID, &fixed, "applicant", 30, err, sizeof err),
        2);
    assert_int_equal(store_registration_get(f->store, ID, &r, err, sizeof err), 1);
    assert_string_equal(r.names.given_names, "Concepción");
    assert_string_equal(r.names.second_surname, "Briseño");
    assert_int_equal(r.names_corrected_at, 20);

    struct store_name_correction c[4];
    assert_int_equal(store_name_corrections(f->store, ID, c, 4, err, sizeof err), 2);
    assert_string_equal(c[0].old.given_names, "");
    assert_int_equal(c[0].corrected_at, 10);
    assert_string_equal(c[1].old.given_names, "Concepcion");
    assert_string_equal(c[1].old.first_surname, "Salgado");
    assert_string_equal(c[1].old.second_surname, "");
    assert_string_equal(c[1].by, "applicant");
    assert_int_equal(c[1].corrected_at, 20);
    /* A short buffer still gets the count. */
    assert_int_equal(store_name_corrections(f->store, ID, c, 1, err, sizeof err), 2);
    assert_int_equal(
        store_name_corrections(f->store, "ffffffffffffffffffffffffffffffff", c, 4, err, sizeof err),
        0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_draft_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_keeps_history, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
