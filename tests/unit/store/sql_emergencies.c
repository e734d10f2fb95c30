/* Unit tests for src/store/sqlite_emergencies.c against a real SQLite file: one
 * open encounter per CURP and unit, identification, merging, closing, the late
 * link to an enrollment, and the audit record of each change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <stdio.h>
#include <string.h>

#define REG  "0123456789abcdef0123456789abcdef"
#define CURP "SABC560626MDFLRN01"
#define H    "OCIMB000881"
#define H3   "OCIMB006826"

static struct store_emergency encounter(const char *id, const char *unit, const char *curp)
{
    struct store_emergency e = {.opened_at = 100, .opened_by = 7, .apparent_age = -1};
    snprintf(e.id, sizeof e.id, "%s", id);
    snprintf(e.unit, sizeof e.unit, "%s", unit);
    snprintf(e.triage, sizeof e.triage, "red");
    snprintf(e.identity, sizeof e.identity, "%s", curp ? "curp" : "unidentified");
    snprintf(e.curp, sizeof e.curp, "%s", curp ? curp : "");
    if (!curp)
        snprintf(e.features, sizeof e.features, "tattoo on the left arm");
    return e;
}

static struct store_audit_record record(const char *action, const char *subject)
{
    struct store_audit_record r = {.at = 100, .staff = 7};
    snprintf(r.role, sizeof r.role, "receptionist");
    snprintf(r.unit, sizeof r.unit, H);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.subject, sizeof r.subject, "%s", subject);
    snprintf(r.client, sizeof r.client, "127.0.0.1");
    return r;
}

static int count_audit(void *ctx, const struct store_audit_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int audited(struct fixture *f, const char *subject)
{
    char err[256];
    int n = 0;
    assert_true(store_audit_each(f->store, subject, count_audit, &n, err, sizeof err) >= 0);
    return n;
}

static int count_open(void *ctx, const struct store_emergency *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

static void test_one_open_per_curp_and_unit(void **state)
{
    struct fixture *f = *state;
    char err[256], existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    struct store_emergency e = encounter("UR26-AAAA-AAAA", H, CURP), got;
    struct store_audit_record r = record("emergency.open", CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(audited(f, CURP), 1);
    e = encounter("UR26-BBBB-BBBB", H, CURP);
    r = record("emergency.open", CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err),
                     STORE_EMERGENCY_DUPLICATE);
    assert_string_equal(existing, "UR26-AAAA-AAAA");
    assert_int_equal(audited(f, CURP), 1); /* nothing written for the refusal */
    assert_int_equal(store_emergency_get(f->store, "UR26-BBBB-BBBB", &got, err, sizeof err), 0);
    /* Another unit may have one open at the same time. */
    e = encounter("UR26-CCCC-CCCC", H3, CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err),
                     STORE_EMERGENCY_OK);
    /* Once closed, a new one may open at the first unit. */
    r = record("emergency.update", CURP);
    assert_int_equal(store_emergency_close(f->store, "UR26-AAAA-AAAA", "discharged", NULL, 200, 7,
                                           &r, err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(store_emergency_close(f->store, "UR26-AAAA-AAAA", "discharged", NULL, 201, 7,
                                           &r, err, sizeof err),
                     STORE_EMERGENCY_NOT_OPEN);
    e = encounter("UR26-BBBB-BBBB", H, CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(store_emergency_get(f->store, "UR26-AAAA-AAAA", &got, err, sizeof err), 1);
    assert_string_equal(got.status, "discharged");
    assert_int_equal(got.closed_at, 200);
    assert_int_equal(got.apparent_age, -1);
}

static void test_identify_and_merge(void **state)
{
    struct fixture *f = *state;
    char err[256], existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    struct store_emergency e = encounter("UR26-AAAA-AAAA", H, CURP), got;
    struct store_audit_record r = record("emergency.open", CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    e = encounter("UR26-DDDD-DDDD", H, NULL);
    r = record("emergency.open", "UR26-DDDD-DDDD");
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    /* Identifying the unidentified one with a CURP open at the unit: refused. */
    r = record("emergency.update", CURP);
    assert_int_equal(store_emergency_identify(f->store, "UR26-DDDD-DDDD", CURP, NULL, 300, &r,
                                              existing, err, sizeof err),
                     STORE_EMERGENCY_DUPLICATE);
    assert_string_equal(existing, "UR26-AAAA-AAAA");
    /* Merging: not into itself, not across units; then into the identified one. */
    assert_int_equal(store_emergency_merge(f->store, "UR26-DDDD-DDDD", "UR26-DDDD-DDDD", 300, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_MISMATCH);
    e = encounter("UR26-EEEE-EEEE", H3, NULL);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    assert_int_equal(store_emergency_merge(f->store, "UR26-DDDD-DDDD", "UR26-EEEE-EEEE", 300, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_MISMATCH);
    assert_int_equal(store_emergency_merge(f->store, "UR26-DDDD-DDDD", "UR26-ZZZZ-ZZZZ", 300, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_NONE);
    assert_int_equal(store_emergency_merge(f->store, "UR26-DDDD-DDDD", "UR26-AAAA-AAAA", 300, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(store_emergency_get(f->store, "UR26-DDDD-DDDD", &got, err, sizeof err), 1);
    assert_string_equal(got.status, "merged");
    assert_string_equal(got.merged_into, "UR26-AAAA-AAAA");
    assert_int_equal(store_emergency_merge(f->store, "UR26-DDDD-DDDD", "UR26-AAAA-AAAA", 301, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_NOT_OPEN);
    /* The open list of the unit: the identified one only. */
    int n = 0;
    assert_int_equal(store_emergency_each(f->store, H, NULL, count_open, &n, err, sizeof err), 1);
    assert_int_equal(
        store_emergency_each(f->store, NULL, "UR26-AAAA-AAAA", count_open, &n, err, sizeof err), 1);
    /* An unidentified one merged into another unidentified one gives it its CURP. */
    e = encounter("UR26-FFFF-FFFF", H3, NULL);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    assert_int_equal(store_emergency_identify(f->store, "UR26-FFFF-FFFF", CURP, NULL, 302, &r,
                                              existing, err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(store_emergency_merge(f->store, "UR26-FFFF-FFFF", "UR26-EEEE-EEEE", 303, 7, &r,
                                           err, sizeof err),
                     STORE_EMERGENCY_OK);
    assert_int_equal(store_emergency_get(f->store, "UR26-EEEE-EEEE", &got, err, sizeof err), 1);
    assert_string_equal(got.curp, CURP);
    assert_string_equal(got.identity, "curp");
}

static void test_link(void **state)
{
    struct fixture *f = *state;
    char err[256], existing[STORE_EMERGENCY_ID_LEN + 1] = "";
    struct store_emergency e = encounter("UR26-AAAA-AAAA", H, CURP), got;
    struct store_audit_record r = record("emergency.open", CURP);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    active_account(f, REG, CURP, "a@example.org");
    assert_int_equal(store_emergency_link(f->store, "UR26-AAAA-AAAA", REG, err, sizeof err), 1);
    assert_int_equal(store_emergency_link(f->store, "UR26-AAAA-AAAA", REG, err, sizeof err), 0);
    assert_int_equal(store_emergency_get(f->store, "UR26-AAAA-AAAA", &got, err, sizeof err), 1);
    assert_string_equal(got.registration, REG);
    /* Without a CURP there is nothing to link. */
    e = encounter("UR26-DDDD-DDDD", H, NULL);
    assert_int_equal(store_emergency_open(f->store, &e, &r, existing, err, sizeof err), 1);
    assert_int_equal(store_emergency_link(f->store, "UR26-DDDD-DDDD", REG, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_open_per_curp_and_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_emergencies", tests, NULL, NULL);
}
