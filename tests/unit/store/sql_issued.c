/* Unit tests for src/store/sqlite_issued.c (and the roll dates of sqlite_rolls.c)
 * against a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

static const char *const acct = "0123456789abcdef0123456789abcdef";

static struct store_credential credential(const char *id, int64_t issued_at)
{
    struct store_credential c = {.issued_at = issued_at, .expires_at = issued_at + 1000};
    snprintf(c.id, sizeof c.id, "%s", id);
    snprintf(c.registration, sizeof c.registration, "%s", acct);
    snprintf(c.envelope, sizeof c.envelope, "PB1:%s", id);
    return c;
}

/* The ids store_revoked_each lists, joined by spaces. */
struct listing {
    char text[256];
    int stop_after;
};

static int collect(void *ctx, const char *id)
{
    struct listing *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s%s", n ? " " : "", id);
    return --l->stop_after == 0;
}

static void test_credential_reissue_revokes_the_previous(void **state)
{
    struct fixture *f = *state;
    char err[256];
    active_account(f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    struct store_credential out;
    assert_int_equal(store_credential_current(f->store, acct, 100, &out, err, sizeof err), 0);

    struct store_credential first = credential("CR26-0000-0001", 100);
    assert_int_equal(store_credential_add(f->store, &first, "reissued", false, err, sizeof err), 1);
    assert_int_equal(store_credential_current(f->store, acct, 150, &out, err, sizeof err), 1);
    assert_string_equal(out.id, "CR26-0000-0001");
    assert_string_equal(out.envelope, "PB1:CR26-0000-0001");
    assert_int_equal(out.expires_at, 1100);
    /* Expired: no current credential. */
    assert_int_equal(store_credential_current(f->store, acct, 1100, &out, err, sizeof err), 0);

    struct store_credential second = credential("CR26-0000-0002", 200);
    assert_int_equal(store_credential_add(f->store, &second, "corrected", true, err, sizeof err),
                     1);
    assert_int_equal(store_credential_current(f->store, acct, 250, &out, err, sizeof err), 1);
    assert_string_equal(out.id, "CR26-0000-0002");
    /* The first is revoked, the second not. */
    struct listing l = {.stop_after = -1};
    assert_int_equal(store_revoked_each(f->store, 250, collect, &l, err, sizeof err), 1);
    assert_string_equal(l.text, "CR26-0000-0001");
    /* Once expired, it leaves the list. */
    l = (struct listing){.stop_after = -1};
    assert_int_equal(store_revoked_each(f->store, 1100, collect, &l, err, sizeof err), 0);

    /* Not forced: a credential in force for data as new or newer wins (the race of
     * two first views, or a stale request after a correction). */
    struct store_credential stale = credential("CR26-0000-0003", 210);
    stale.data_at = -1;
    assert_int_equal(store_credential_add(f->store, &stale, "reissued", false, err, sizeof err), 2);
    assert_int_equal(store_credential_current(f->store, acct, 250, &out, err, sizeof err), 1);
    assert_string_equal(out.id, "CR26-0000-0002");
    stale.data_at = 5;
    assert_int_equal(store_credential_add(f->store, &stale, "corrected", false, err, sizeof err),
                     1);
    assert_int_equal(store_credential_current(f->store, acct, 250, &out, err, sizeof err), 1);
    assert_string_equal(out.id, "CR26-0000-0003");

    /* A taken id is told apart from an error, and nothing changes. */
    struct store_credential dup = credential("CR26-0000-0002", 300);
    assert_int_equal(store_credential_add(f->store, &dup, "reissued", true, err, sizeof err), 0);
    assert_int_equal(store_credential_current(f->store, acct, 300, &out, err, sizeof err), 1);
    assert_string_equal(out.id, "CR26-0000-0003");
    assert_int_equal(out.issued_at, 210);
}

static struct store_letter letter(const char *folio, enum store_institution inst)
{
    struct store_letter l = {.institution = inst, .issued_at = 100, .expires_at = 1000};
    snprintf(l.folio, sizeof l.folio, "%s", folio);
    snprintf(l.curp, sizeof l.curp, "SABC560626MDFLRN01");
    snprintf(l.email, sizeof l.email, "ana@ejemplo.mx");
    snprintf(l.language, sizeof l.language, "en");
    snprintf(l.names.given_names, sizeof l.names.given_names, "Ana María");
    snprintf(l.names.first_surname, sizeof l.names.first_surname, "Sánchez");
    snprintf(l.roll_date, sizeof l.roll_date, "2026-11-30");
    snprintf(l.envelope, sizeof l.envelope, "PB1:%s", folio);
    memset(l.download_hash, folio[13], sizeof l.download_hash);
    return l;
}

static void test_letters_and_revocation(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_letter in = letter("NA26-0000-0001", STORE_ISSSTE), out;
    assert_int_equal(
        store_letter_add(f->store, &in, "Subject: carta\r\n\r\nx\r\n", err, sizeof err), 1);
    /* A taken folio queues no mail either. */
    assert_int_equal(store_letter_add(f->store, &in, "second", err, sizeof err), 0);
    assert_int_equal(store_outbox_pending(f->store), 1);
    struct store_mail mail;
    assert_int_equal(store_outbox_next(f->store, 100, &mail, err, sizeof err), 1);
    assert_string_equal(mail.recipient, "ana@ejemplo.mx");
    assert_non_null(strstr(mail.message, "carta"));
    free(mail.message);
    assert_int_equal(store_letter_get(f->store, "NA26-0000-0001", &out, err, sizeof err), 1);
    assert_string_equal(out.curp, "SABC560626MDFLRN01");
    assert_int_equal(out.institution, STORE_ISSSTE);
    assert_string_equal(out.language, "en");
    assert_string_equal(out.names.given_names, "Ana María");
    assert_string_equal(out.names.first_surname, "Sánchez");
    assert_string_equal(out.names.second_surname, "");
    assert_string_equal(out.roll_date, "2026-11-30");
    assert_string_equal(out.envelope, "PB1:NA26-0000-0001");
    assert_memory_equal(out.download_hash, in.download_hash, STORE_TOKEN_HASH_LEN);
    assert_int_equal(out.revocation.revoked_at, 0);
    assert_int_equal(store_letter_get(f->store, "NA26-0000-0009", &out, err, sizeof err), 0);

    struct store_letter other = letter("NA26-0000-0002", STORE_IMSS);
    assert_int_equal(store_letter_add(f->store, &other, NULL, err, sizeof err), 1);
    assert_int_equal(store_outbox_pending(f->store), 1);
    assert_int_equal(store_issued_revoke(f->store, "NA26-0000-0002", "error", 150, err, sizeof err),
                     1);
    assert_int_equal(store_issued_revoke(f->store, "NA26-0000-0002", "error", 160, err, sizeof err),
                     0);
    assert_int_equal(store_issued_revoke(f->store, "NA26-0000-0001", "staff", 170, err, sizeof err),
                     1);
    assert_int_equal(store_letter_get(f->store, "NA26-0000-0002", &out, err, sizeof err), 1);
    assert_int_equal(out.revocation.revoked_at, 150);
    assert_string_equal(out.revocation.reason, "error");
    /* Listed in id order; the callback can stop the listing. */
    struct listing l = {.stop_after = -1};
    assert_int_equal(store_revoked_each(f->store, 200, collect, &l, err, sizeof err), 2);
    assert_string_equal(l.text, "NA26-0000-0001 NA26-0000-0002");
    l = (struct listing){.stop_after = 1};
    assert_int_equal(store_revoked_each(f->store, 200, collect, &l, err, sizeof err), 1);
    assert_string_equal(l.text, "NA26-0000-0001");
    assert_int_equal(store_issued_revoke(f->store, "CR26-0000-0404", "x", 1, err, sizeof err), 0);
}

static void test_roll_dates(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t at = 0;
    long rows = 0;
    assert_int_equal(store_roll_info(f->store, STORE_IMSS, &at, &rows, err, sizeof err), 0);
    struct store_roll_import *imp;
    assert_int_equal(store_roll_begin(f->store, STORE_IMSS, 1234, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, "SABC560626MDFLRN01", NULL, true, NULL, err, sizeof err),
                     0);
    assert_int_equal(store_roll_commit(imp, NULL, err, sizeof err), 0);
    assert_int_equal(store_roll_info(f->store, STORE_IMSS, &at, &rows, err, sizeof err), 1);
    assert_int_equal(at, 1234);
    assert_int_equal(rows, 1);
    assert_int_equal(store_roll_info(f->store, STORE_ISSSTE, &at, &rows, err, sizeof err), 0);
    /* An aborted import leaves the date as it was. */
    assert_int_equal(store_roll_begin(f->store, STORE_IMSS, 5678, &imp, err, sizeof err), 0);
    store_roll_abort(imp);
    assert_int_equal(store_roll_info(f->store, STORE_IMSS, &at, &rows, err, sizeof err), 1);
    assert_int_equal(at, 1234);
    /* One institution's roll at a time. */
    struct store_affiliation a;
    assert_int_equal(
        store_roll_find(f->store, STORE_IMSS, "SABC560626MDFLRN01", &a, err, sizeof err), 1);
    assert_true(a.active);
    assert_int_equal(
        store_roll_find(f->store, STORE_ISSSTE, "SABC560626MDFLRN01", &a, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credential_reissue_revokes_the_previous, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_letters_and_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roll_dates, setup, teardown),
    };
    return cmocka_run_group_tests_name("store/sqlite_issued", tests, NULL, NULL);
}
