/* Unit tests for src/store/sqlite_clinics.c against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <math.h>
#include <string.h>

#define ID    "0123456789abcdef0123456789abcdef"
#define DRAFT "fedcba9876543210fedcba9876543210"

static struct store_home_clinic clinic(const char *clues, enum store_clinic_reason reason,
                                       int64_t at)
{
    struct store_home_clinic c = {.reason = reason, .assigned_at = at, .distance_m = -1};
    snprintf(c.clues, sizeof c.clues, "%s", clues);
    return c;
}

static void test_history(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_home_clinic got, h[4];
    active_account(f, ID, "SABC560626MDFLRN01", "a@example.org");
    assert_int_equal(store_home_clinic_get(f->store, ID, &got, err, sizeof err), 0);

    struct store_home_clinic c = clinic("DFIMB002534", STORE_CLINIC_ADDRESS, 10);
    c.has_position = true;
    c.lat = 19.432608;
    c.lon = -99.133209;
    c.distance_m = 104;
    snprintf(c.located_by, sizeof c.located_by, "seat");
    assert_int_equal(store_home_clinic_assign(f->store, ID, &c, err, sizeof err), 1);
    c = clinic("DFIMB001892", STORE_CLINIC_MOVE, 20);
    assert_int_equal(store_home_clinic_assign(f->store, ID, &c, err, sizeof err), 1);
    assert_int_equal(store_home_clinic_override(f->store, ID, "DFIMB001904", "staff-7",
                                                "closer to the person's work", 30, NULL, err,
                                                sizeof err),
                     1);

    assert_int_equal(store_home_clinic_get(f->store, ID, &got, err, sizeof err), 1);
    assert_string_equal(got.clues, "DFIMB001904");
    assert_int_equal(got.reason, STORE_CLINIC_STAFF);
    assert_string_equal(got.assigned_by, "staff-7");
    assert_string_equal(got.note, "closer to the person's work");
    assert_false(got.has_position);
    assert_int_equal(got.distance_m, -1);

    assert_int_equal(store_home_clinic_history(f->store, ID, h, 4, err, sizeof err), 3);
    assert_string_equal(h[0].clues, "DFIMB002534");
    assert_int_equal(h[0].reason, STORE_CLINIC_ADDRESS);
    assert_int_equal(h[0].assigned_at, 10);
    assert_true(h[0].has_position);
    assert_true(fabs(h[0].lat - 19.432608) < 1e-9 && fabs(h[0].lon + 99.133209) < 1e-9);
    assert_int_equal(h[0].distance_m, 104);
    assert_string_equal(h[0].located_by, "seat");
    assert_int_equal(h[1].reason, STORE_CLINIC_MOVE);
    assert_string_equal(store_clinic_reason_name(h[2].reason), "staff");
    /* fewer slots than rows: still the count */
    assert_int_equal(store_home_clinic_history(f->store, ID, h, 1, err, sizeof err), 3);
}

static void test_only_active(void **state)
{
    struct fixture *f = *state;
    char err[256];
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(
        store_registration_create(f->store, DRAFT, "PXNE660720HMCXTN06", hash, 1, err, sizeof err),
        0);
    struct store_home_clinic c = clinic("DFIMB002534", STORE_CLINIC_ADDRESS, 10);
    assert_int_equal(store_home_clinic_assign(f->store, DRAFT, &c, err, sizeof err), 0);
    assert_int_equal(store_home_clinic_assign(f->store, "nobody", &c, err, sizeof err), 0);
    /* the schema refuses a malformed key and a position outside Mexico */
    active_account(f, ID, "SABC560626MDFLRN01", "a@example.org");
    c = clinic("DFIMB00253", STORE_CLINIC_ADDRESS, 10);
    assert_int_equal(store_home_clinic_assign(f->store, ID, &c, err, sizeof err), -1);
    c = clinic("DFIMB002534", STORE_CLINIC_ADDRESS, 10);
    c.has_position = true;
    c.lat = 40.7;
    c.lon = -74.0;
    assert_int_equal(store_home_clinic_assign(f->store, ID, &c, err, sizeof err), -1);
    assert_int_equal(
        store_home_clinic_override(f->store, ID, "DFIMB001904", "", "x", 30, NULL, err, sizeof err),
        -1);
}

static int count_records(void *ctx, const struct store_audit_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

/* The override and its audit record commit together; nothing is recorded when
 * nothing changed. */
static void test_override_is_audited_with_the_change(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int n = 0;
    struct store_audit_record r = {.at = 30, .staff = 7};
    snprintf(r.role, sizeof r.role, "unit_admin");
    snprintf(r.unit, sizeof r.unit, "DFIMB002534");
    snprintf(r.action, sizeof r.action, "person.clinic");
    snprintf(r.subject, sizeof r.subject, "SABC560626MDFLRN01");
    snprintf(r.client, sizeof r.client, "127.0.0.1");
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(
        store_registration_create(f->store, DRAFT, "PXNE660720HMCXTN06", hash, 1, err, sizeof err),
        0);
    assert_int_equal(store_home_clinic_override(f->store, DRAFT, "DFIMB001904", "staff:7",
                                                "lives next to the other unit", 30, &r, err,
                                                sizeof err),
                     0);
    assert_int_equal(store_audit_each(f->store, NULL, count_records, &n, err, sizeof err), 0);
    active_account(f, ID, "SABC560626MDFLRN01", "a@example.org");
    assert_int_equal(store_home_clinic_override(f->store, ID, "DFIMB001904", "staff:7",
                                                "lives next to the other unit", 30, &r, err,
                                                sizeof err),
                     1);
    assert_int_equal(
        store_audit_each(f->store, "SABC560626MDFLRN01", count_records, &n, err, sizeof err), 1);
    assert_int_equal(r.seq, 1);
}

static void test_chosen_position(void **state)
{
    struct fixture *f = *state;
    char err[256];
    double lat, lon;
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(
        store_registration_create(f->store, DRAFT, "PXNE660720HMCXTN06", hash, 1, err, sizeof err),
        0);
    assert_int_equal(store_chosen_position_get(f->store, DRAFT, &lat, &lon, err, sizeof err), 0);
    assert_int_equal(
        store_chosen_position_set(f->store, DRAFT, true, 17.0654, -96.7237, 2, err, sizeof err), 1);
    assert_int_equal(
        store_chosen_position_set(f->store, DRAFT, true, 17.5, -96.5, 3, err, sizeof err), 1);
    assert_int_equal(store_chosen_position_get(f->store, DRAFT, &lat, &lon, err, sizeof err), 1);
    assert_true(lat == 17.5 && lon == -96.5);
    assert_int_equal(store_chosen_position_set(f->store, DRAFT, false, 0, 0, 4, err, sizeof err),
                     1);
    assert_int_equal(store_chosen_position_get(f->store, DRAFT, &lat, &lon, err, sizeof err), 0);
    assert_int_equal(
        store_chosen_position_set(f->store, "nobody", true, 17.5, -96.5, 3, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_active, setup, teardown),
        cmocka_unit_test_setup_teardown(test_override_is_audited_with_the_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chosen_position, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_clinics", tests, NULL, NULL);
}
