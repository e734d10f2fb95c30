/* Unit tests for src/store/sqlite_staff.c against a real SQLite file: staff
 * accounts and their codes, staff sessions, the person lookup and the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "store/audit_chain.h"

#include <sqlite3.h>
#include <string.h>

#define PW_HASH "$argon2id$v=19$m=19456,t=2,p=1$x"

static int64_t add(struct fixture *f, const char *email, const char *role, const char *unit,
                   int state, uint8_t code_byte, int expect)
{
    struct store_staff st = {.state = state};
    snprintf(st.email, sizeof st.email, "%s", email);
    snprintf(st.role, sizeof st.role, "%s", role);
    snprintf(st.unit, sizeof st.unit, "%s", unit);
    uint8_t code[STORE_TOKEN_HASH_LEN];
    memset(code, code_byte, sizeof code);
    int64_t id = 0;
    char err[256];
    assert_int_equal(
        store_staff_add(f->store, &st, code, 1000, "To: x\r\n\r\nhola", 10, &id, err, sizeof err),
        expect);
    return id;
}

static void test_accounts(void **state)
{
    struct fixture *f = *state;
    char err[256], hash[128];
    int64_t ana = add(f, "ana@imss-bienestar.gob.mx", "receptionist", "OCSSA001234", 0, 1, 1);
    add(f, "jefa@imss-bienestar.gob.mx", "state_admin", "", 20, 2, 1);
    /* The email is the account: another case is the same one. */
    add(f, "ANA@imss-bienestar.gob.mx", "physician", "OCSSA001234", 0, 3, 0);
    /* The schema refuses an unknown role, a state admin with a unit, a unit-less receptionist. */
    add(f, "x@imss-bienestar.gob.mx", "janitor", "OCSSA001234", 0, 4, -1);
    add(f, "y@imss-bienestar.gob.mx", "state_admin", "OCSSA001234", 20, 4, -1);
    add(f, "z@imss-bienestar.gob.mx", "receptionist", "", 0, 4, -1);
    assert_int_equal(store_outbox_pending(f->store), 2); /* one mail per account added */

    struct store_staff st;
    assert_int_equal(
        store_staff_find(f->store, "Ana@IMSS-bienestar.gob.mx", &st, hash, err, sizeof err), 1);
    assert_int_equal(st.id, ana);
    assert_string_equal(st.role, "receptionist");
    assert_string_equal(st.unit, "OCSSA001234");
    assert_int_equal(st.state, 0);
    assert_false(st.password_set);
    assert_string_equal(hash, "");
    assert_int_equal(store_staff_get(f->store, ana + 1, &st, err, sizeof err), 1);
    assert_int_equal(st.state, 20);
    assert_string_equal(st.unit, "");
    assert_int_equal(store_staff_get(f->store, 99, &st, err, sizeof err), 0);
    assert_int_equal(store_staff_find(f->store, "nadie@x.mx", &st, hash, err, sizeof err), 0);
}

static int count(void *ctx, const struct store_staff *st)
{
    (void)st;
    ++*(int *)ctx;
    return 0;
}

static void test_password_code_sessions_disable(void **state)
{
    struct fixture *f = *state;
    char err[256], hash[128];
    const char *email = "ana@imss-bienestar.gob.mx";
    int64_t ana = add(f, email, "receptionist", "OCSSA001234", 0, 1, 1), who = 0;
    uint8_t right[STORE_TOKEN_HASH_LEN], wrong[STORE_TOKEN_HASH_LEN], token[STORE_TOKEN_HASH_LEN];
    memset(right, 1, sizeof right);
    memset(wrong, 9, sizeof wrong);
    memset(token, 5, sizeof token);
    int left;
    assert_int_equal(
        store_staff_set_password(f->store, email, wrong, PW_HASH, 3, 20, &left, err, sizeof err),
        STORE_CODE_WRONG);
    assert_int_equal(left, 2);
    assert_int_equal(
        store_staff_set_password(f->store, email, right, PW_HASH, 3, 1000, &left, err, sizeof err),
        STORE_CODE_EXPIRED);
    assert_int_equal(store_staff_session_create(f->store, token, ana, 20, 100, err, sizeof err), 0);
    assert_int_equal(
        store_staff_set_password(f->store, email, right, PW_HASH, 3, 30, &left, err, sizeof err),
        STORE_CODE_OK);
    /* The code is spent, and setting the password ended the sessions. */
    assert_int_equal(
        store_staff_set_password(f->store, email, right, PW_HASH, 3, 31, &left, err, sizeof err),
        STORE_CODE_NONE);
    assert_int_equal(store_staff_session_find(f->store, token, 40, &who, err, sizeof err), 0);
    struct store_staff st;
    assert_int_equal(store_staff_find(f->store, email, &st, hash, err, sizeof err), 1);
    assert_true(st.password_set);
    assert_string_equal(hash, PW_HASH);

    assert_int_equal(store_staff_session_create(f->store, token, ana, 50, 100, err, sizeof err), 0);
    assert_int_equal(store_staff_session_find(f->store, token, 60, &who, err, sizeof err), 1);
    assert_int_equal(who, ana);
    assert_int_equal(store_staff_session_find(f->store, token, 100, &who, err, sizeof err), 0);

    /* A new code replaces the old one and mails it. */
    long mails = store_outbox_pending(f->store);
    assert_int_equal(store_staff_new_code(f->store, email, wrong, 2000, "m", 70, err, sizeof err),
                     1);
    assert_int_equal(store_outbox_pending(f->store), mails + 1);

    /* Disabling ends the sessions, the code and the account's sign-in for good. */
    assert_int_equal(store_staff_disable(f->store, email, 80, err, sizeof err), 1);
    assert_int_equal(store_staff_disable(f->store, email, 81, err, sizeof err), 0);
    assert_int_equal(store_staff_session_find(f->store, token, 85, &who, err, sizeof err), 0);
    assert_int_equal(
        store_staff_set_password(f->store, email, wrong, PW_HASH, 3, 90, &left, err, sizeof err),
        STORE_CODE_NONE);
    assert_int_equal(store_staff_new_code(f->store, email, wrong, 2000, "m", 90, err, sizeof err),
                     0);
    assert_int_equal(store_staff_find(f->store, email, &st, hash, err, sizeof err), 1);
    assert_int_equal(st.disabled_at, 80);
    int n = 0;
    assert_int_equal(store_staff_each(f->store, count, &n, err, sizeof err), 1);
    assert_int_equal(n, 1);
}

static void test_attempts_run_out(void **state)
{
    struct fixture *f = *state;
    char err[256];
    const char *email = "ana@imss-bienestar.gob.mx";
    add(f, email, "physician", "OCSSA001234", 0, 1, 1);
    uint8_t right[STORE_TOKEN_HASH_LEN], wrong[STORE_TOKEN_HASH_LEN];
    memset(right, 1, sizeof right);
    memset(wrong, 9, sizeof wrong);
    int left;
    assert_int_equal(
        store_staff_set_password(f->store, email, wrong, PW_HASH, 2, 20, &left, err, sizeof err),
        STORE_CODE_WRONG);
    assert_int_equal(
        store_staff_set_password(f->store, email, wrong, PW_HASH, 2, 20, &left, err, sizeof err),
        STORE_CODE_EXHAUSTED);
    assert_int_equal(
        store_staff_set_password(f->store, email, right, PW_HASH, 2, 20, &left, err, sizeof err),
        STORE_CODE_EXHAUSTED);
}

static void test_person_find(void **state)
{
    struct fixture *f = *state;
    char id[STORE_ID_LEN + 1], err[256];
    active_account(f, "0123456789abcdef0123456789abcdef", "SABC560626MDFLRN01", "a@b.mx");
    assert_int_equal(store_person_find(f->store, "SABC560626MDFLRN01", id, err, sizeof err), 1);
    assert_string_equal(id, "0123456789abcdef0123456789abcdef");
    assert_int_equal(store_person_find(f->store, "IB26-0123-0000", id, err, sizeof err), 1);
    assert_int_equal(store_person_find(f->store, "PXNE660720HMCXTN06", id, err, sizeof err), 0);
    /* A draft is nobody the desk can find. */
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(store_registration_create(f->store, "1123456789abcdef0123456789abcdef",
                                               "PXNE660720HMCXTN06", h, 1, err, sizeof err),
                     0);
    assert_int_equal(store_person_find(f->store, "PXNE660720HMCXTN06", id, err, sizeof err), 0);
}

static void append(struct fixture *f, int64_t at, const char *subject, const char *client)
{
    struct store_audit_record r = {.at = at, .staff = 1};
    snprintf(r.role, sizeof r.role, "receptionist");
    snprintf(r.unit, sizeof r.unit, "OCSSA001234");
    snprintf(r.action, sizeof r.action, "person.lookup");
    snprintf(r.subject, sizeof r.subject, "%s", subject);
    snprintf(r.client, sizeof r.client, "%s", client);
    char err[256];
    assert_int_equal(store_audit_append(f->store, &r, err, sizeof err), 0);
}

static int collect(void *ctx, const struct store_audit_record *r)
{
    struct audit_verifier *v = ctx;
    audit_verifier_add(v, r);
    return 0;
}

static int first_email(void *ctx, const struct store_audit_record *r)
{
    snprintf(ctx, 255, "%s", r->staff_email);
    return 1;
}

static void test_audit_log(void **state)
{
    struct fixture *f = *state;
    char err[256];
    add(f, "ana@imss-bienestar.gob.mx", "receptionist", "OCSSA001234", 0, 1, 1);
    append(f, 100, "SABC560626MDFLRN01", "10.0.0.1");
    append(f, 101, "PXNE660720HMCXTN06", "10.0.0.2");
    append(f, 102, "SABC560626MDFLRN01", "10.0.0.3");
    struct audit_verifier v;
    audit_verifier_init(&v);
    assert_int_equal(store_audit_each(f->store, NULL, collect, &v, err, sizeof err), 3);
    assert_null(v.why);
    assert_int_equal(v.count, 3);
    char email[255] = "";
    assert_int_equal(
        store_audit_each(f->store, "SABC560626MDFLRN01", first_email, email, err, sizeof err), 1);
    assert_string_equal(email, "ana@imss-bienestar.gob.mx");
    audit_verifier_init(&v);
    assert_int_equal(store_audit_each(f->store, "PXNE660720HMCXTN06", collect, &v, err, sizeof err),
                     1);

    /* The log refuses changes through SQL; past the triggers, verification finds them. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET client = 'x' WHERE seq = 2", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update;"
                                  "UPDATE audit SET client = '10.6.6.6' WHERE seq = 2",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    audit_verifier_init(&v);
    assert_int_equal(store_audit_each(f->store, NULL, collect, &v, err, sizeof err), 3);
    assert_int_equal(v.broken_at, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_code_sessions_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts_run_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_log, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_staff", tests, NULL, NULL);
}
