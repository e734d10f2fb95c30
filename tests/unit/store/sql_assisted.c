/* Unit tests for src/store/sqlite_assisted.c against a real SQLite file: an audit
 * record bound to the thread commits with the next write (and only with it), the
 * desk's marks on a draft, the drafts of a CURP and the consent read at a desk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

#define ID1  "11111111111111111111111111111111"
#define ID2  "22222222222222222222222222222222"
#define CURP "PXNE660720HMCXTN06"

static int64_t receptionist(struct fixture *f)
{
    struct store_staff st = {0};
    snprintf(st.email, sizeof st.email, "recepcion@salud.gob.mx");
    snprintf(st.role, sizeof st.role, "receptionist");
    snprintf(st.unit, sizeof st.unit, "OCIMB000024");
    uint8_t code[STORE_TOKEN_HASH_LEN] = {1};
    int64_t id = 0;
    char err[256];
    assert_int_equal(store_staff_add(f->store, &st, code, 1000, NULL, 10, &id, err, sizeof err), 1);
    return id;
}

static void record(struct store_audit_record *r, int64_t staff, const char *action)
{
    *r = (struct store_audit_record){.at = 50, .staff = staff};
    snprintf(r->role, sizeof r->role, "receptionist");
    snprintf(r->unit, sizeof r->unit, "OCIMB000024");
    snprintf(r->action, sizeof r->action, "%s", action);
    snprintf(r->subject, sizeof r->subject, CURP);
    snprintf(r->client, sizeof r->client, "127.0.0.1");
}

static int count_each(void *ctx, const struct store_audit_record *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int audit_count(struct fixture *f)
{
    int n = 0;
    char err[256];
    assert_true(store_audit_each(f->store, NULL, count_each, &n, err, sizeof err) >= 0);
    return n;
}

static void test_bound_record_commits_with_the_next_write_only(void **state)
{
    struct fixture *f = *state;
    int64_t staff = receptionist(f);
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    assert_int_equal(store_registration_create(f->store, ID1, CURP, h, 1, err, sizeof err), 0);

    /* Nothing written: nothing recorded. */
    struct store_audit_record r;
    record(&r, staff, "enrollment.assist.names");
    store_audit_attach(f->store, &r);
    assert_int_equal(store_audit_detach(f->store), 0);
    assert_int_equal(audit_count(f), 0);

    /* A write that changes nothing (not a draft id) records nothing either. */
    store_audit_attach(f->store, &r);
    assert_int_equal(store_registration_verify_by_staff(f->store, ID2, staff, 5, err, sizeof err),
                     0);
    assert_int_equal(store_audit_detach(f->store), 0);
    assert_int_equal(audit_count(f), 0);

    /* The change and its record; a second write in the same binding adds none. */
    store_audit_attach(f->store, &r);
    struct store_names n = {.given_names = "Enrique", .first_surname = "Peña"};
    assert_int_equal(store_registration_set_names(f->store, ID1, &n, 5, err, sizeof err), 1);
    assert_int_equal(store_registration_set_assisted(f->store, ID1, staff, 6, err, sizeof err), 1);
    assert_int_equal(store_audit_detach(f->store), 1);
    assert_int_equal(r.seq, 1);
    assert_int_equal(audit_count(f), 1);

    /* Unbound, writes record nothing. */
    assert_int_equal(store_registration_verify_by_staff(f->store, ID1, staff, 7, err, sizeof err),
                     1);
    assert_int_equal(audit_count(f), 1);

    /* A transaction of the store (the contact step) carries the record, and the
     * consent row names the staff member. */
    struct store_audit_record c;
    record(&c, staff, "enrollment.assist.contact");
    store_audit_attach(f->store, &c);
    struct store_contact contact = {.state = 20, .privacy_version = "2026-11"};
    assert_int_equal(
        store_registration_set_contact(f->store, ID1, &contact, "es", 8, err, sizeof err), 1);
    assert_int_equal(store_audit_detach(f->store), 1);
    assert_int_equal(c.seq, 2);
    int64_t by = 0;
    assert_int_equal(store_consent_assisted_by(f->store, ID1, &by, err, sizeof err), 1);
    assert_int_equal(by, staff);
    /* The same step online: the consent is the person's own. */
    assert_int_equal(
        store_registration_set_contact(f->store, ID1, &contact, "es", 9, err, sizeof err), 1);
    assert_int_equal(store_consent_assisted_by(f->store, ID1, &by, err, sizeof err), 0);
    assert_int_equal(audit_count(f), 2);

    /* The submit carries it too. */
    struct store_audit_record s;
    record(&s, staff, "enrollment.assist.submit");
    store_audit_attach(f->store, &s);
    assert_int_equal(
        store_registration_submit(f->store, ID1, "IB26-AAAA-0000", 10, err, sizeof err),
        STORE_SUBMIT_OK);
    assert_int_equal(store_audit_detach(f->store), 1);
    assert_int_equal(audit_count(f), 3);

    struct store_registration reg;
    assert_int_equal(store_registration_get(f->store, ID1, &reg, err, sizeof err), 1);
    assert_int_equal(reg.assisted_by, staff);
    assert_int_equal(reg.verified_by_staff, staff);
    assert_int_equal(reg.verified_by_staff_at, 7);
    /* Active now: the desk's marks are for drafts. */
    assert_int_equal(store_registration_set_assisted(f->store, ID1, staff, 11, err, sizeof err), 0);
}

static void test_drafts_of_a_curp_newest_first(void **state)
{
    struct fixture *f = *state;
    int64_t staff = receptionist(f);
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    char err[256], ids[4][STORE_ID_LEN + 1];
    assert_int_equal(store_drafts_of_curp(f->store, CURP, ids, 4, err, sizeof err), 0);
    assert_int_equal(store_registration_create(f->store, ID1, CURP, h, 1, err, sizeof err), 0);
    assert_int_equal(store_registration_create(f->store, ID2, CURP, h, 2, err, sizeof err), 0);
    assert_int_equal(store_drafts_of_curp(f->store, CURP, ids, 4, err, sizeof err), 2);
    assert_string_equal(ids[0], ID2);
    /* A change makes a draft the newest. */
    assert_int_equal(store_registration_set_assisted(f->store, ID1, staff, 3, err, sizeof err), 1);
    assert_int_equal(store_drafts_of_curp(f->store, CURP, ids, 1, err, sizeof err), 1);
    assert_string_equal(ids[0], ID1);
    assert_int_equal(store_drafts_of_curp(f->store, "SABC560626MDFLRN01", ids, 4, err, sizeof err),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bound_record_commits_with_the_next_write_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_drafts_of_a_curp_newest_first, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
