/* Unit tests for src/store/sql_suspension.c against a real SQLite file: a
 * review lifts or confirms a suspension with its audit record and mail in one
 * transaction, keeps the history, and a lift holds against the cross-check's
 * suspension (sql_crosscheck.c) until the roll is imported again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

#define ID   "0123456789abcdef0123456789abcdef"
#define CURP "PXNE660720HMCXTN06"

static int64_t unit_admin(struct fixture *f)
{
    struct store_staff st = {0};
    snprintf(st.email, sizeof st.email, "direccion@salud.gob.mx");
    snprintf(st.role, sizeof st.role, "unit_admin");
    snprintf(st.unit, sizeof st.unit, "OCSSA001234");
    uint8_t code[STORE_TOKEN_HASH_LEN] = {7};
    int64_t id = 0;
    char err[256];
    assert_int_equal(store_staff_add(f->store, &st, code, 1000, NULL, 10, &id, err, sizeof err), 1);
    return id;
}

/* An active enrollment of CURP whose consent was given in English. */
static void english_account(struct fixture *f)
{
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    assert_int_equal(store_registration_create(f->store, ID, CURP, h, 1, err, sizeof err), 0);
    struct store_contact c = {.state = 20, .privacy_version = "2026-11"};
    snprintf(c.email, sizeof c.email, "enrique@ejemplo.mx");
    assert_int_equal(store_registration_set_contact(f->store, ID, &c, "en", 2, err, sizeof err), 1);
    assert_int_equal(store_registration_submit(f->store, ID, "IB26-0123-0000", 4, err, sizeof err),
                     STORE_SUBMIT_OK);
}

static void import_imss(struct fixture *f, int64_t now)
{
    struct store_roll_import *imp;
    char err[256];
    assert_int_equal(store_roll_begin(f->store, STORE_IMSS, now, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, CURP, NULL, true, NULL, err, sizeof err), 0);
    assert_int_equal(store_roll_commit(imp, NULL, err, sizeof err), 0);
}

static size_t suspend(struct fixture *f, int64_t now)
{
    struct store_affiliated a = {.id = ID, .institution = STORE_IMSS};
    size_t done = 99;
    char err[256];
    assert_int_equal(store_suspend_affiliated(f->store, &a, NULL, 1, now, &done, err, sizeof err),
                     0);
    return done;
}

static int64_t suspended_at(struct fixture *f)
{
    struct store_registration reg;
    char err[256];
    assert_int_equal(store_registration_get(f->store, ID, &reg, err, sizeof err), 1);
    return reg.suspended_at;
}

struct mail_seen {
    char email[255], language[3];
    int calls;
};

static char *compose(void *ctx, const char *email, const char *language)
{
    struct mail_seen *m = ctx;
    snprintf(m->email, sizeof m->email, "%s", email);
    snprintf(m->language, sizeof m->language, "%s", language);
    m->calls++;
    return strdup("To: enrique@ejemplo.mx\r\nSubject: lifted\r\n\r\nactive again\r\n");
}

static int review(struct fixture *f, int64_t staff, enum store_review_decision d,
                  const char *reason, int64_t now, int64_t seen, struct mail_seen *m)
{
    struct store_suspension_review r = {.decision = d, .staff = staff, .reviewed_at = now};
    snprintf(r.reason, sizeof r.reason, "%s", reason);
    struct store_audit_record rec = {.at = now, .staff = staff};
    snprintf(rec.role, sizeof rec.role, "unit_admin");
    snprintf(rec.unit, sizeof rec.unit, "OCSSA001234");
    snprintf(rec.action, sizeof rec.action, "registration.suspension_%s",
             store_review_decision_name(d));
    snprintf(rec.subject, sizeof rec.subject, CURP);
    snprintf(rec.client, sizeof rec.client, "127.0.0.1");
    char err[256];
    return store_suspension_review(f->store, ID, seen, &r, compose, m, &rec, err, sizeof err);
}

static int count_audit(void *ctx, const struct store_audit_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static long audit_records(struct fixture *f)
{
    int n = 0;
    char err[256];
    store_audit_each(f->store, CURP, count_audit, &n, err, sizeof err);
    return n;
}

static void test_lift_holds_until_the_roll_is_imported_again(void **state)
{
    struct fixture *f = *state;
    struct mail_seen m = {0};
    char err[256];
    int64_t staff = unit_admin(f);
    english_account(f);
    import_imss(f, 100);
    assert_int_equal(suspend(f, 200), 1);
    assert_int_equal(suspended_at(f), 200);

    /* A review of a suspension other than the one seen changes nothing. */
    assert_int_equal(review(f, staff, STORE_REVIEW_LIFT, "Dejó el empleo en 2025.", 300, 199, &m),
                     0);
    /* A reason the schema refuses rolls everything back. */
    assert_int_equal(review(f, staff, STORE_REVIEW_LIFT, "corto", 300, 200, &m), -1);
    assert_int_equal(suspended_at(f), 200);
    assert_int_equal(audit_records(f), 0);
    long mail_before = store_outbox_pending(f->store);

    assert_int_equal(review(f, staff, STORE_REVIEW_LIFT, "Dejó el empleo en 2025.", 300, 200, &m),
                     1);
    assert_int_equal(suspended_at(f), 0);
    assert_int_equal(m.calls, 1);
    assert_string_equal(m.language, "en");
    assert_string_equal(m.email, "enrique@ejemplo.mx");
    assert_int_equal(store_outbox_pending(f->store), mail_before + 1);
    assert_int_equal(audit_records(f), 1);

    /* The same roll: not suspended again. */
    assert_int_equal(suspend(f, 400), 0);
    assert_int_equal(suspended_at(f), 0);
    /* Nothing to review now. */
    assert_int_equal(review(f, staff, STORE_REVIEW_CONFIRM, "Sigue en el padrón.", 450, 200, &m),
                     0);

    /* A newer import still listing him suspends again; a confirmation keeps it. */
    import_imss(f, 500);
    assert_int_equal(suspend(f, 600), 1);
    assert_int_equal(
        review(f, staff, STORE_REVIEW_CONFIRM, "Sigue en el padrón del IMSS.", 700, 600, &m), 1);
    assert_int_equal(suspended_at(f), 600);
    assert_int_equal(m.calls, 1); /* a confirmation mails nothing */
    assert_int_equal(audit_records(f), 2);

    struct store_suspension_review list[4];
    assert_int_equal(store_suspension_reviews(f->store, ID, list, 4, err, sizeof err), 2);
    assert_int_equal(list[0].decision, STORE_REVIEW_CONFIRM);
    assert_int_equal(list[0].roll_imported_at, 500);
    assert_int_equal(list[0].suspended_at, 600);
    assert_int_equal(list[1].decision, STORE_REVIEW_LIFT);
    assert_int_equal(list[1].roll_imported_at, 100);
    assert_int_equal(list[1].institution, STORE_IMSS);
    assert_string_equal(list[1].reason, "Dejó el empleo en 2025.");
    assert_int_equal(list[1].staff, staff);
    assert_true(list[1].id > 0 && list[0].id > list[1].id);
    assert_int_equal(store_suspension_reviews(f->store, ID, list, 1, err, sizeof err), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lift_holds_until_the_roll_is_imported_again, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
