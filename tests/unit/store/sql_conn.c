/* Unit tests for src/store/sql_conn.c and the SQLite driver against a real SQLite file in a
 * temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/migrations.h"
#include "store/sql_internal.h"
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

/* The SQLite handle under a pooled connection. */
#define DB(c) ((sqlite3 *)(c)->impl)

static void test_migrations_apply_once(void **state)
{
    struct fixture *f = *state;
    size_t current;
    migrations_sqlite(&current);
    assert_true(current >= 2);
    assert_int_equal(store_schema_version(f->store), (int)current);
    assert_int_equal(store_ping(f->store), 0);
    struct store *again;
    char err[256];
    assert_int_equal(store_open(f->path, &again, err, sizeof err), 0);
    assert_int_equal(store_schema_version(again), (int)current);
    store_close(again);
}

static void test_newer_schema_is_refused(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct store *s = NULL;
    char err[256];
    assert_int_equal(store_open(f->path, &s, err, sizeof err), -1);
    size_t current;
    migrations_sqlite(&current);
    char expected[128];
    snprintf(expected, sizeof expected,
             "database: schema version 99 is newer than this padron (%zu)", current);
    assert_string_equal(err, expected);
    assert_null(s);
}

static void test_unopenable_path(void **state)
{
    (void)state;
    struct store *s = NULL;
    char err[256];
    assert_int_equal(store_open("/nonexistent-dir/x/padron.db", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "database /nonexistent-dir/x/padron.db"));
}

static void import_roll(struct store *s, enum store_institution inst, const char *const *curps,
                        size_t n)
{
    struct store_roll_import *imp;
    char err[256];
    assert_int_equal(store_roll_begin(s, inst, 1000, &imp, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(store_roll_add(imp, curps[i], NULL, true, NULL, err, sizeof err), 0);
    size_t rows;
    assert_int_equal(store_roll_commit(imp, &rows, err, sizeof err), 0);
    assert_int_equal(rows, n);
}

static void test_roll_replace_is_atomic(void **state)
{
    struct fixture *f = *state;
    const char *first[] = {"SABC560626MDFLRN01", "PXNE660720HMCXTN06"};
    import_roll(f->store, STORE_IMSS, first, 2);
    assert_int_equal(store_roll_count(f->store, STORE_IMSS), 2);

    /* A failed re-import (duplicate) leaves the previous roll whole. */
    struct store_roll_import *imp;
    char err[256];
    assert_int_equal(store_roll_begin(f->store, STORE_IMSS, 1000, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, "LOOA531113HTCPBN07", "92919084431", true, "2026-01-31",
                                    err, sizeof err),
                     0);
    assert_int_equal(store_roll_add(imp, "LOOA531113HTCPBN07", NULL, true, NULL, err, sizeof err),
                     -1);
    assert_string_equal(err, "the CURP appears twice in this roll");
    store_roll_abort(imp);
    assert_int_equal(store_roll_count(f->store, STORE_IMSS), 2);

    struct store_affiliation a;
    assert_int_equal(store_roll_lookup(f->store, "SABC560626MDFLRN01", &a, err, sizeof err), 1);
    assert_int_equal(a.institution, STORE_IMSS);
    assert_true(a.active);
    assert_int_equal(store_roll_lookup(f->store, "LOOA531113HTCPBN07", &a, err, sizeof err), 0);

    /* A successful re-import replaces the roll. */
    const char *second[] = {"LOOA531113HTCPBN07"};
    import_roll(f->store, STORE_IMSS, second, 1);
    assert_int_equal(store_roll_count(f->store, STORE_IMSS), 1);
    assert_int_equal(store_roll_lookup(f->store, "SABC560626MDFLRN01", &a, err, sizeof err), 0);
    assert_int_equal(store_roll_lookup(f->store, "LOOA531113HTCPBN07", &a, err, sizeof err), 1);
}

/* Adds one row to an import, or fails the test. */
static void roll_row(struct store_roll_import *imp, const char *curp, const char *nss, bool active)
{
    char err[256];
    assert_int_equal(store_roll_add(imp, curp, nss, active, NULL, err, sizeof err), 0);
}

static void test_roll_lookup_prefers_active(void **state)
{
    struct fixture *f = *state;
    struct store_roll_import *imp;
    char err[256];
    assert_int_equal(store_roll_begin(f->store, STORE_IMSS, 1000, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, "SABC560626MDFLRN01", "92919084431", false, "2020-01-01",
                                    err, sizeof err),
                     0);
    roll_row(imp, "LOOA531113HTCPBN07", "11111111111", true);
    roll_row(imp, "GODE561231MHGMZM07", "22222222222", false);
    assert_int_equal(store_roll_commit(imp, NULL, err, sizeof err), 0);
    assert_int_equal(store_roll_begin(f->store, STORE_ISSSTE, 1000, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, "SABC560626MDFLRN01", NULL, true, NULL, err, sizeof err),
                     0);
    roll_row(imp, "LOOA531113HTCPBN07", "33333333333", true);
    roll_row(imp, "GODE561231MHGMZM07", "44444444444", false);
    roll_row(imp, "PXNE660720HMCXTN06", "55555555555", false);
    assert_int_equal(store_roll_commit(imp, NULL, err, sizeof err), 0);

    struct store_affiliation a;
    assert_int_equal(store_roll_lookup(f->store, "SABC560626MDFLRN01", &a, err, sizeof err), 1);
    assert_int_equal(a.institution, STORE_ISSSTE);
    assert_true(a.active);
    assert_string_equal(a.nss, "");
    assert_string_equal(store_institution_name(a.institution), "ISSSTE");
    /* Both active, or both not: IMSS, with its own data. */
    assert_int_equal(store_roll_lookup(f->store, "LOOA531113HTCPBN07", &a, err, sizeof err), 1);
    assert_int_equal(a.institution, STORE_IMSS);
    assert_true(a.active);
    assert_string_equal(a.nss, "11111111111");
    assert_int_equal(store_roll_lookup(f->store, "GODE561231MHGMZM07", &a, err, sizeof err), 1);
    assert_int_equal(a.institution, STORE_IMSS);
    assert_false(a.active);
    assert_string_equal(a.nss, "22222222222");
    assert_int_equal(store_roll_lookup(f->store, "PXNE660720HMCXTN06", &a, err, sizeof err), 1);
    assert_int_equal(a.institution, STORE_ISSSTE);
    assert_false(a.active);
    assert_string_equal(a.nss, "55555555555");
}

static void test_registrations(void **state)
{
    struct fixture *f = *state;
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    memset(hash, 0xab, sizeof hash);
    char err[256];
    const char *id = "0123456789abcdef0123456789abcdef";
    assert_int_equal(store_registration_create(f->store, id, "SABC560626MDFLRN01", hash, 1700000000,
                                               err, sizeof err),
                     0);
    struct store_registration r;
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_string_equal(r.curp, "SABC560626MDFLRN01");
    assert_int_equal(r.status, STORE_REG_DRAFT);
    assert_memory_equal(r.token_hash, hash, sizeof hash);
    assert_int_equal(r.created_at, 1700000000);
    assert_string_equal(r.folio, "");
    assert_int_equal(
        store_registration_get(f->store, "ffffffffffffffffffffffffffffffff", &r, err, sizeof err),
        0);
    /* A draft never counts as an enrollment, and a second draft is allowed. */
    assert_int_equal(store_curp_enrolled(f->store, "SABC560626MDFLRN01", err, sizeof err), 0);
    assert_int_equal(store_registration_create(f->store, "1123456789abcdef0123456789abcdef",
                                               "SABC560626MDFLRN01", hash, 1700000001, err,
                                               sizeof err),
                     0);
    /* The same id twice is refused by the schema. */
    assert_int_equal(store_registration_create(f->store, id, "SABC560626MDFLRN01", hash, 1700000000,
                                               err, sizeof err),
                     -1);
}

static void test_contact(void **state)
{
    struct fixture *f = *state;
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    const char *id = "0123456789abcdef0123456789abcdef";
    assert_int_equal(
        store_registration_create(f->store, id, "SABC560626MDFLRN01", hash, 100, err, sizeof err),
        0);
    struct store_contact c = {.state = 20,
                              .phone = "9511234567",
                              .email = "ana@ejemplo.mx",
                              .privacy_version = "2026-11"};
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 200, err, sizeof err),
                     1);
    struct store_registration r;
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_int_equal(r.contact.state, 20);
    assert_string_equal(r.contact.phone, "9511234567");
    assert_string_equal(r.contact.email, "ana@ejemplo.mx");
    assert_string_equal(r.contact.privacy_version, "2026-11");
    assert_int_equal(r.contact.privacy_accepted_at, 200);
    assert_int_equal(r.contact.email_verified_at, 0);
    assert_int_equal(r.updated_at, 200);

    /* Consent history: the latest acceptance is the one reported. */
    snprintf(c.privacy_version, sizeof c.privacy_version, "2027-01");
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "en", 300, err, sizeof err),
                     1);
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_string_equal(r.contact.privacy_version, "2027-01");
    assert_int_equal(r.contact.privacy_accepted_at, 300);

    /* Out-of-range data is refused by the schema and nothing is half-written. */
    c.state = 40;
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 400, err, sizeof err),
                     -1);
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_int_equal(r.contact.state, 20);
    assert_int_equal(r.updated_at, 300);

    /* Without a phone (it is optional) the row stores none. */
    c.state = 20;
    c.phone[0] = '\0';
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 450, err, sizeof err),
                     1);
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_string_equal(r.contact.phone, "");

    /* Unknown registrations are reported as such. */
    c.state = 20;
    assert_int_equal(store_registration_set_contact(f->store, "ffffffffffffffffffffffffffffffff",
                                                    &c, "es", 500, err, sizeof err),
                     0);
}

static const struct store_code_policy policy = {600, 5, 60, 3600, 3};

static void draft_with_email(struct fixture *f, const char *id)
{
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    assert_int_equal(
        store_registration_create(f->store, id, "SABC560626MDFLRN01", hash, 100, err, sizeof err),
        0);
    struct store_contact c = {.state = 20, .email = "ana@ejemplo.mx", .privacy_version = "2026-11"};
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 100, err, sizeof err),
                     1);
}

static void test_email_code(void **state)
{
    struct fixture *f = *state;
    const char *id = "0123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    uint8_t good[STORE_TOKEN_HASH_LEN], bad[STORE_TOKEN_HASH_LEN];
    memset(good, 1, sizeof good);
    memset(bad, 2, sizeof bad);
    char err[256];
    int64_t retry = 0;
    int left;

    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 1000, &left, err, sizeof err),
        STORE_CODE_NONE);
    assert_int_equal(store_email_code_issue(f->store, id, good, "To: ana@ejemplo.mx\r\n\r\nhola",
                                            &policy, 1000, &retry, err, sizeof err),
                     1);
    assert_int_equal(store_outbox_pending(f->store), 1);
    /* Throttled: too soon after the last send. */
    assert_int_equal(
        store_email_code_issue(f->store, id, good, "x", &policy, 1030, &retry, err, sizeof err), 0);
    assert_int_equal(retry, 30);
    assert_int_equal(store_outbox_pending(f->store), 1);

    assert_int_equal(
        store_email_code_check(f->store, id, bad, &policy, 1100, &left, err, sizeof err),
        STORE_CODE_WRONG);
    assert_int_equal(left, 4);
    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 1700, &left, err, sizeof err),
        STORE_CODE_EXPIRED);
    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 1200, &left, err, sizeof err),
        STORE_CODE_OK);
    struct store_registration r;
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_int_equal(r.contact.email_verified_at, 1200);
    /* The code is used up. */
    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 1201, &left, err, sizeof err),
        STORE_CODE_NONE);
}

static void test_email_code_limits(void **state)
{
    struct fixture *f = *state;
    const char *id = "1123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    uint8_t good[STORE_TOKEN_HASH_LEN], bad[STORE_TOKEN_HASH_LEN];
    memset(good, 1, sizeof good);
    memset(bad, 2, sizeof bad);
    char err[256];
    int64_t retry = 0;
    int left;
    /* Three sends per hour, a minute apart. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_email_code_issue(f->store, id, good, "m", &policy, 1000 + 60 * i,
                                                &retry, err, sizeof err),
                         1);
    assert_int_equal(
        store_email_code_issue(f->store, id, good, "m", &policy, 1180, &retry, err, sizeof err), 0);
    assert_int_equal(retry, 3600 - 180);
    assert_int_equal(
        store_email_code_issue(f->store, id, good, "m", &policy, 4600, &retry, err, sizeof err), 1);

    /* Five wrong guesses kill the code, even for the right one afterwards. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(
            store_email_code_check(f->store, id, bad, &policy, 4601, &left, err, sizeof err),
            STORE_CODE_WRONG);
    assert_int_equal(left, 0);
    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 4602, &left, err, sizeof err),
        STORE_CODE_EXHAUSTED);

    /* A changed email invalidates the outstanding code. */
    assert_int_equal(
        store_email_code_issue(f->store, id, good, "m", &policy, 9000, &retry, err, sizeof err), 1);
    struct store_contact c = {
        .state = 20, .email = "otra@ejemplo.mx", .privacy_version = "2026-11"};
    assert_int_equal(store_registration_set_contact(f->store, id, &c, "es", 9001, err, sizeof err),
                     1);
    assert_int_equal(
        store_email_code_check(f->store, id, good, &policy, 9002, &left, err, sizeof err),
        STORE_CODE_NONE);

    /* No email yet: nothing to send. */
    uint8_t h[STORE_TOKEN_HASH_LEN] = {0};
    assert_int_equal(store_registration_create(f->store, "2123456789abcdef0123456789abcdef",
                                               "SABC560626MDFLRN01", h, 1, err, sizeof err),
                     0);
    assert_int_equal(store_email_code_issue(f->store, "2123456789abcdef0123456789abcdef", good, "m",
                                            &policy, 9000, &retry, err, sizeof err),
                     -2);
}

static void test_outbox(void **state)
{
    struct fixture *f = *state;
    const char *id = "0123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    uint8_t code[STORE_TOKEN_HASH_LEN] = {0};
    char err[256];
    int64_t retry;
    assert_int_equal(
        store_email_code_issue(f->store, id, code, "first", &policy, 1000, &retry, err, sizeof err),
        1);
    struct store_mail m;
    assert_int_equal(store_outbox_next(f->store, 999, &m, err, sizeof err), 0); /* not due yet */
    assert_int_equal(store_outbox_next(f->store, 1000, &m, err, sizeof err), 1);
    assert_string_equal(m.recipient, "ana@ejemplo.mx");
    assert_string_equal(m.message, "first");
    assert_int_equal(m.attempts, 1);
    free(m.message);
    /* Leased: not handed out twice at once; handed out again once the lease ends. */
    assert_int_equal(store_outbox_next(f->store, 1001, &m, err, sizeof err), 0);
    assert_int_equal(store_outbox_next(f->store, 1400, &m, err, sizeof err), 1);
    assert_int_equal(m.attempts, 2);
    free(m.message);
    assert_int_equal(
        store_outbox_failed(f->store, m.id, "connection refused", 1400, 1460, err, sizeof err), 0);
    assert_int_equal(store_outbox_next(f->store, 1459, &m, err, sizeof err), 0);
    assert_int_equal(store_outbox_next(f->store, 1460, &m, err, sizeof err), 1);
    free(m.message);
    assert_int_equal(store_outbox_sent(f->store, m.id, 1461, err, sizeof err), 0);
    assert_int_equal(store_outbox_pending(f->store), 0);
    assert_int_equal(store_outbox_next(f->store, 99999, &m, err, sizeof err), 0);
}

/* The raw text of the newest outbox row, as a copy of the database would show it. */
static void raw_message(const struct fixture *f, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT message FROM outbox ORDER BY id DESC LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_outbox_sealed(void **state)
{
    struct fixture *f = *state;
    const char *id = "0123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    uint8_t key[STORE_MAIL_KEY_LEN], other[STORE_MAIL_KEY_LEN];
    memset(key, 7, sizeof key);
    memset(other, 8, sizeof other);
    store_set_mail_key(f->store, key);
    uint8_t code[STORE_TOKEN_HASH_LEN] = {0};
    char err[256], raw[1024];
    int64_t retry;
    assert_int_equal(store_email_code_issue(f->store, id, code, "Su código: 482915", &policy, 1000,
                                            &retry, err, sizeof err),
                     1);
    raw_message(f, raw, sizeof raw);
    assert_non_null(strstr(raw, "padron-mail-v1:"));
    assert_null(strstr(raw, "482915"));
    struct store_mail m;
    assert_int_equal(store_outbox_next(f->store, 1000, &m, err, sizeof err), 1);
    assert_string_equal(m.message, "Su código: 482915");
    free(m.message);
    assert_int_equal(store_outbox_sent(f->store, m.id, 1001, err, sizeof err), 0);

    /* Sealed under another key (or altered): never handed out, given up, said why. */
    assert_int_equal(store_email_code_issue(f->store, id, code, "Su código: 111111", &policy, 1100,
                                            &retry, err, sizeof err),
                     1);
    store_set_mail_key(f->store, other);
    assert_int_equal(store_outbox_next(f->store, 1100, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot be decrypted"));
    assert_null(m.message);
    assert_int_equal(store_outbox_pending(f->store), 0);
}

static void test_address_history(void **state)
{
    struct fixture *f = *state;
    const char *id = "0123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    char err[256];
    struct store_address a = {.postal_code = "01000",
                              .state = 9,
                              .municipality = 10,
                              .settlement = "San Ángel",
                              .street = "Av. Revolución",
                              .number = "1500"};
    assert_int_equal(store_registration_add_address(f->store, id, &a, 500, err, sizeof err), 1);
    struct store_address b = {.postal_code = "70400",
                              .state = 20,
                              .municipality = 551,
                              .settlement = "Centro",
                              .street = "Juárez",
                              .number = "3",
                              .interior = "B"};
    assert_int_equal(store_registration_add_address(f->store, id, &b, 600, err, sizeof err), 1);
    struct store_registration r;
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_string_equal(r.address.postal_code, "70400");
    assert_string_equal(r.address.interior, "B");
    assert_int_equal(r.address.recorded_at, 600);
    assert_int_equal(r.updated_at, 600);

    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM address", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2); /* the first address is kept as history */
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* A refused row leaves nothing behind. */
    b.state = 99;
    assert_int_equal(store_registration_add_address(f->store, id, &b, 700, err, sizeof err), -1);
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_int_equal(r.updated_at, 600);
}

/* Records an upload whose blob id is 64 times the letter c. */
static int add_document(struct fixture *f, const char *id, enum store_document_kind kind, char c,
                        int64_t now)
{
    struct store_document d = {.width = 640, .height = 480, .bytes = 1000 + now};
    memset(d.blob, c, 64);
    char err[256];
    return store_document_add(f->store, id, kind, &d, now, err, sizeof err);
}

static void test_documents_latest_of_each_kind(void **state)
{
    struct fixture *f = *state;
    const char *id = "0123456789abcdef0123456789abcdef";
    draft_with_email(f, id);
    assert_int_equal(add_document(f, id, STORE_DOC_FACE, 'f', 10), 1);
    assert_int_equal(add_document(f, id, STORE_DOC_ID_FRONT, 'a', 11), 1);
    assert_int_equal(add_document(f, id, STORE_DOC_ID_FRONT, 'b', 12), 1); /* a new photo */
    assert_int_equal(add_document(f, id, STORE_DOC_FACE, 'g', 13), 1);
    assert_int_equal(add_document(f, "ffffffffffffffffffffffffffffffff", STORE_DOC_FACE, 'x', 14),
                     0);
    struct store_registration r;
    char err[256];
    assert_int_equal(store_registration_get(f->store, id, &r, err, sizeof err), 1);
    assert_int_equal(r.documents[STORE_DOC_ID_FRONT].blob[0], 'b');
    assert_int_equal(strlen(r.documents[STORE_DOC_ID_FRONT].blob), 64);
    assert_int_equal(r.documents[STORE_DOC_ID_FRONT].uploaded_at, 12);
    assert_int_equal(r.documents[STORE_DOC_ID_FRONT].bytes, 1012);
    assert_int_equal(r.documents[STORE_DOC_FACE].blob[0], 'g');
    assert_int_equal(r.documents[STORE_DOC_FACE].width, 640);
    assert_int_equal(r.documents[STORE_DOC_FACE].height, 480);
    assert_int_equal(r.documents[STORE_DOC_ID_BACK].uploaded_at, 0);
    assert_string_equal(r.documents[STORE_DOC_ID_BACK].blob, "");
    assert_int_equal(r.updated_at, 13);
}

/* ---- The statement cache ---- */

/* Statements the connection holds prepared. */
static int statements(struct sq_conn *c)
{
    int n = 0;
    for (sqlite3_stmt *st = sqlite3_next_stmt(DB(c), NULL); st; st = sqlite3_next_stmt(DB(c), st))
        n++;
    return n;
}

static void test_statement_reused_across_calls(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    assert_non_null(c);
    int before = statements(c);
    struct sq_stmt *st = sq_query(c, "SELECT ?1, ?2", SQ_INT(7), SQ_TEXT("siete"));
    assert_non_null(st);
    assert_int_equal(sq_row(st), 1);
    assert_int_equal(sq_int(st, 0), 7);
    sq_release(f->store, c);
    assert_false(sqlite3_stmt_busy(st->impl)); /* reset on release */

    /* The same text from another buffer: the same statement, without the old values. */
    char sql[32];
    snprintf(sql, sizeof sql, "SELECT ?%d, ?%d", 1, 2);
    struct sq_conn *again = sq_acquire(f->store, err, sizeof err);
    assert_ptr_equal(again, c); /* the pool's only connection */
    assert_ptr_equal(sq_prepare(again, sql), st);
    assert_int_equal(sq_row(st), 1);
    assert_int_equal(sq_is_null(st, 0), true);
    assert_int_equal(sq_is_null(st, 1), true);
    /* Asked for again while out, it starts over. */
    assert_ptr_equal(sq_prepare(again, sql), st);
    assert_false(sqlite3_stmt_busy(st->impl));
    assert_int_equal(statements(again), before + 1);
    sq_release(f->store, again);
}

static void test_bind_values(void **state)
{
    struct fixture *f = *state;
    char err[256];
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    memset(hash, 0xab, sizeof hash);
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    struct sq_stmt *st = sq_query(c, "SELECT ?1 IS NULL, ?2 IS NULL, ?3, ?4, ?5, ?6",
                                  SQ_OPT_TEXT(""), SQ_OPT_TEXT(NULL), SQ_OPT_TEXT("x"),
                                  SQ_TEXT("y"), SQ_INT(INT64_MAX), SQ_HASH(hash));
    assert_non_null(st);
    assert_int_equal(sq_row(st), 1);
    assert_int_equal(sq_int(st, 0), 1);
    assert_int_equal(sq_int(st, 1), 1);
    assert_string_equal(sq_text(st, 2), "x");
    assert_string_equal(sq_text(st, 3), "y");
    assert_true(sq_int64(st, 4) == INT64_MAX);
    assert_int_equal(sq_bytes(st, 5), STORE_TOKEN_HASH_LEN);
    assert_memory_equal(sq_blob(st, 5), hash, sizeof hash);
    assert_int_equal(sq_row(st), 0);
    /* More values than parameters is a mistake, not silently dropped. */
    assert_null(sq_query(c, "SELECT ?", SQ_INT(1), SQ_INT(2)));
    sq_release(f->store, c);
}

static long throttle_rows(struct fixture *f)
{
    return sq_query_long(f->store, "SELECT count(*) FROM throttle", -1, NULL, 0);
}

static const char insert_throttle[] = "INSERT INTO throttle (key, window_start, failures)"
                                      " VALUES (?, 0, 1)";

static void test_failed_step_leaves_connection_usable(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(sq_begin(c, err, sizeof err), 0);
    assert_int_equal(sq_run(c, insert_throttle, SQ_TEXT("a")), 1);
    assert_int_equal(sq_run(c, insert_throttle, SQ_TEXT("a")), SQ_CONFLICT);
    sq_fail_db(c, err, sizeof err, "throttle");
    assert_non_null(strstr(err, "UNIQUE constraint failed"));
    /* A statement that does not compile is reported and not kept. */
    int kept = statements(c);
    assert_null(sq_prepare(c, "SELEC nothing"));
    sq_fail_db(c, err, sizeof err, "typo");
    assert_non_null(strstr(err, "database: typo: near \"SELEC\""));
    assert_int_equal(statements(c), kept);
    sq_release(f->store, c); /* rolls back the first row too */
    assert_true(sqlite3_get_autocommit(DB(c)));
    assert_int_equal(throttle_rows(f), 0);

    /* The statement that failed works again on the same connection. */
    c = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(sq_run(c, insert_throttle, SQ_TEXT("a")), 1);
    sq_release(f->store, c);
    assert_int_equal(throttle_rows(f), 1);
}

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(sq_begin(c, err, sizeof err), 0);
    assert_int_equal(sq_run(c, insert_throttle, SQ_TEXT("gone")), 1);
    sq_release(f->store, c); /* never committed */
    assert_int_equal(throttle_rows(f), 0);

    c = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(sq_begin(c, err, sizeof err), 0);
    assert_int_equal(sq_begin(c, err, sizeof err), -1); /* no nesting */
    assert_non_null(strstr(err, "within a transaction"));
    assert_int_equal(sq_run(c, insert_throttle, SQ_TEXT("kept")), 1);
    assert_int_equal(sq_commit(c, err, sizeof err), 0);
    assert_int_equal(sq_commit(c, err, sizeof err), -1); /* nothing open */
    sq_release(f->store, c);
    assert_int_equal(throttle_rows(f), 1);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct waiting_writer {
    struct store *store;
    double got_lock; /* when its BEGIN IMMEDIATE returned */
    int begin_rc, commit_rc;
};

static void *write_after_wait(void *arg)
{
    struct waiting_writer *w = arg;
    char err[256];
    struct sq_conn *c = sq_acquire(w->store, err, sizeof err);
    w->begin_rc = sq_begin(c, err, sizeof err);
    w->got_lock = seconds_now();
    w->commit_rc = w->begin_rc == 0 && sq_run(c, insert_throttle, SQ_TEXT("second")) == 1
                       ? sq_commit(c, err, sizeof err)
                       : -1;
    sq_release(w->store, c);
    return NULL;
}

/* A writer that finds the lock taken goes on as soon as the holder commits. SQLite's
 * own busy handler sleeps 1, 2, 5 ... 50, 50, 100 ms between tries: it looks at 228 ms,
 * then at 328 ms, so a lock held 240 ms was taken ~90 ms after it was free. */
static void test_waiting_writer_wakes_on_commit(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct sq_conn *holder = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(sq_begin(holder, err, sizeof err), 0);
    assert_int_equal(sq_run(holder, insert_throttle, SQ_TEXT("first")), 1);
    struct waiting_writer w = {.store = f->store, .begin_rc = -9};
    pthread_t t;
    double start = seconds_now();
    assert_int_equal(pthread_create(&t, NULL, write_after_wait, &w), 0);
    const struct timespec hold = {0, 240 * 1000000};
    nanosleep(&hold, NULL);
    double released = seconds_now();
    assert_int_equal(sq_commit(holder, err, sizeof err), 0);
    sq_release(f->store, holder);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.begin_rc, 0);
    assert_int_equal(w.commit_rc, 0);
    assert_true(w.got_lock >= released);
    /* Generous for a loaded machine, and still well under the ~90 ms of sleeping. */
    if (w.got_lock - released > 0.05)
        fail_msg("the waiting writer took the lock %.0f ms after it was released (%.0f ms after "
                 "it asked)",
                 1000 * (w.got_lock - released), 1000 * (w.got_lock - start));
    assert_int_equal(throttle_rows(f), 2);
}

enum { WRITERS = 8, WRITES_EACH = 40 };

struct writer_job {
    struct store *store;
    int index, committed;
};

static void *write_many(void *arg)
{
    struct writer_job *j = arg;
    char err[256], key[32];
    for (int i = 0; i < WRITES_EACH; i++) {
        struct sq_conn *c = sq_acquire_write(j->store, err, sizeof err);
        snprintf(key, sizeof key, "w%d-%d", j->index, i);
        if (c && sq_run(c, insert_throttle, SQ_TEXT(key)) == 1 &&
            sq_commit(c, err, sizeof err) == 0)
            j->committed++;
        sq_release(j->store, c);
    }
    return NULL;
}

/* Writers on every pooled connection at once: each transaction commits, none gives up
 * busy, none is lost. */
static void test_concurrent_writers_all_commit(void **state)
{
    struct fixture *f = *state;
    struct writer_job jobs[WRITERS];
    pthread_t threads[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        jobs[i] = (struct writer_job){.store = f->store, .index = i};
        assert_int_equal(pthread_create(&threads[i], NULL, write_many, &jobs[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].committed, WRITES_EACH);
    }
    assert_int_equal(throttle_rows(f), WRITERS * WRITES_EACH);
}

/* A query left mid-step holds a read snapshot: release must end it, or the next
 * caller of that connection would not see later commits. */
static void test_release_ends_read_snapshot(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct sq_conn *reader = sq_acquire(f->store, err, sizeof err);
    struct sq_conn *writer = sq_acquire(f->store, err, sizeof err);
    assert_ptr_not_equal(reader, writer);
    struct sq_stmt *st = sq_prepare(reader, "SELECT key FROM throttle");
    assert_int_equal(sq_run(writer, insert_throttle, SQ_TEXT("first")), 1);
    assert_int_equal(sq_row(st), 1); /* left on its row */
    sq_release(f->store, reader);
    assert_int_equal(sq_run(writer, insert_throttle, SQ_TEXT("second")), 1);
    reader = sq_acquire(f->store, err, sizeof err); /* the only idle one */
    struct sq_stmt *count = sq_prepare(reader, "SELECT count(*) FROM throttle");
    assert_int_equal(sq_row(count), 1);
    assert_int_equal(sq_int(count, 0), 2);
    sq_release(f->store, reader);
    sq_release(f->store, writer);
}

static void test_many_statements_stay_bounded(void **state)
{
    struct fixture *f = *state;
    char err[256], sql[32];
    for (int i = 0; i < 2 * SQ_CACHE_MAX + 10; i++) {
        snprintf(sql, sizeof sql, "SELECT %d", i);
        assert_int_equal(sq_query_long(f->store, sql, -1, err, sizeof err), i);
    }
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    assert_int_equal(statements(c), SQ_CACHE_MAX);
    assert_int_equal(c->n_cached, SQ_CACHE_MAX);

    /* Statements out are never evicted: past the cache's size, a prepare fails. */
    struct sq_stmt *first = sq_prepare(c, "SELECT 'first'");
    for (int i = 0; i < SQ_CACHE_MAX - 1; i++) {
        snprintf(sql, sizeof sql, "SELECT %d + 1", i);
        assert_non_null(sq_prepare(c, sql));
    }
    assert_null(sq_prepare(c, "SELECT 'one too many'"));
    sq_fail_db(c, err, sizeof err, "cache");
    assert_string_equal(err, "database: cache: too many statements in use on one connection");
    assert_int_equal(sq_row(first), 1);
    assert_string_equal(sq_text(first, 0), "first");
    sq_release(f->store, c);
    assert_int_equal(sq_query_long(f->store, "SELECT 42", -1, err, sizeof err), 42);
}

/* Whether a statement's plan scans a table or builds a temporary b-tree (or, for
 * a query, an ephemeral table): what grows with the data or costs a page cache
 * on every run. */
static bool costly_plan(sqlite3 *db, const char *sql)
{
    char explain[2048];
    bool costly = false;
    for (int pass = 0; pass < 2; pass++) {
        snprintf(explain, sizeof explain, "EXPLAIN %s%s", pass == 0 ? "QUERY PLAN " : "", sql);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(st, pass == 0 ? 3 : 1);
            if (pass == 0 ? strncmp(text, "SCAN", 4) == 0 || strstr(text, "TEMP B-TREE")
                          : strncmp(sql, "SELECT", 6) == 0 && strstr(text, "Ephemeral")) {
                fprintf(stderr, "costly plan (%s) for: %s\n", text, sql);
                costly = true;
            }
        }
        sqlite3_finalize(st);
    }
    return costly;
}

static void test_enrollment_statements_use_indexes(void **state)
{
    struct fixture *f = *state;
    const char *draft = "0123456789abcdef0123456789abcdef";
    const char *account = "fedcba9876543210fedcba9876543210";
    uint8_t hash[STORE_TOKEN_HASH_LEN] = {7};
    char err[256], id[STORE_ID_LEN + 1], password[128];
    int64_t retry = 0;
    int left;
    struct store_affiliation a;
    struct store_registration r;
    struct store_mail m;
    import_roll(f->store, STORE_IMSS, (const char *const[]){"GODE561231MHGMZM07"}, 1);
    assert_int_equal(store_throttle_check(f->store, "k", 1, 60, 5, &retry, err, sizeof err), 1);
    assert_int_equal(store_throttle_fail(f->store, "k", 1, 60, err, sizeof err), 0);
    assert_int_equal(store_curp_enrolled(f->store, "SABC560626MDFLRN01", err, sizeof err), 0);
    assert_int_equal(store_roll_lookup(f->store, "SABC560626MDFLRN01", &a, err, sizeof err), 0);
    draft_with_email(f, draft);
    assert_int_equal(
        store_email_code_issue(f->store, draft, hash, "m", &policy, 100, &retry, err, sizeof err),
        1);
    assert_int_equal(store_outbox_next(f->store, 100, &m, err, sizeof err), 1);
    free(m.message);
    assert_int_equal(store_outbox_sent(f->store, m.id, 100, err, sizeof err), 0);
    assert_int_equal(
        store_email_code_check(f->store, draft, hash, &policy, 100, &left, err, sizeof err),
        STORE_CODE_OK);
    assert_int_equal(add_document(f, draft, STORE_DOC_FACE, 'f', 101), 1);
    assert_int_equal(store_registration_get(f->store, draft, &r, err, sizeof err), 1);
    active_account(f, account, "PXNE660720HMCXTN06", "pepe@ejemplo.mx");
    assert_int_equal(store_account_find(f->store, "pepe@ejemplo.mx", id, password, err, sizeof err),
                     1);
    assert_int_equal(
        store_account_find(f->store, "PXNE660720HMCXTN06", id, password, err, sizeof err), 1);
    assert_int_equal(store_session_create(f->store, hash, account, 5, 50, err, sizeof err), 0);
    assert_int_equal(store_session_find(f->store, hash, 6, id, err, sizeof err), 1);
    assert_int_equal(store_session_delete(f->store, hash, err, sizeof err), 1);
    assert_int_equal(store_throttle_clear(f->store, "k", err, sizeof err), 0);

    /* One thread: every call above ran on this one connection. */
    struct sq_conn *c = sq_acquire(f->store, err, sizeof err);
    assert_true(c->n_cached > 20);
    int costly = 0;
    for (int i = 0; i < c->n_cached; i++)
        costly += costly_plan(DB(c), c->cache[i].sql);
    assert_int_equal(costly, 0);
    sq_release(f->store, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_apply_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
        cmocka_unit_test(test_unopenable_path),
        cmocka_unit_test_setup_teardown(test_roll_replace_is_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roll_lookup_prefers_active, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_email_code_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_sealed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_documents_latest_of_each_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_reused_across_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_step_leaves_connection_usable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_ends_read_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_writer_wakes_on_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers_all_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_statements_stay_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enrollment_statements_use_indexes, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
}
