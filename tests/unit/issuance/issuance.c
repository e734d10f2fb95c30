/* Unit tests for src/issuance/issuance.c and documents.c: a real SQLite file, a
 * real in-process signer, envelopes verified with envelope_verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../store/fixture.h"

#include "credential/claims.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "issuance/documents.h"
#include "issuance/issuance.h"

#include <stdlib.h>
#include <string.h>

static const char *const acct = "0123456789abcdef0123456789abcdef";
static const int64_t NOW = 1796300000; /* 2026-12-03 */

/* The fixture's store plus a signing key. */
struct world {
    struct fixture *f;
    EVP_PKEY *key;
    uint8_t kid[KEYS_KID_LEN];
    struct issuance is;
};

static int world_setup(void **state)
{
    if (setup(state) != 0)
        return -1;
    struct world *w = calloc(1, sizeof *w);
    w->f = *state;
    w->key = keys_generate(NULL, 0);
    if (!w->key || keys_kid(w->key, w->kid) != 0)
        return -1;
    w->is = (struct issuance){.store = w->f->store, .signer = signer_new_key(w->key, NULL, 0)};
    *state = w;
    return w->is.signer ? 0 : -1;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    signer_free(w->is.signer);
    EVP_PKEY_free(w->key);
    *state = w->f;
    free(w);
    return teardown(state);
}

/* Verifies text with the world's key at now; fills the claims into p. */
static enum envelope_result verify(struct world *w, const char *text, int64_t now,
                                   const struct envelope_id *revoked, size_t n_revoked,
                                   struct claims_person *p, struct envelope_verdict *v)
{
    struct envelope_key keys[] = {{w->kid, KEYS_KID_LEN, w->key, 0, 0}};
    struct envelope_options opt = {NULL, keys, 1, revoked, n_revoked, now, 300};
    enum envelope_result r = envelope_verify(text, strlen(text), &opt, v);
    char why[CLAIMS_WHY_SIZE];
    if (v->signed_ok)
        assert_int_equal(claims_decode(v->payload, v->payload_len, p, why), 0);
    return r;
}

static void same(struct claims_text t, const char *s)
{
    assert_non_null(t.s);
    assert_int_equal(t.len, strlen(s));
    assert_memory_equal(t.s, s, t.len);
}

static struct store_names names(const char *given)
{
    struct store_names n = {0};
    snprintf(n.given_names, sizeof n.given_names, "%s", given);
    snprintf(n.first_surname, sizeof n.first_surname, "Salgado");
    snprintf(n.second_surname, sizeof n.second_surname, "Briseño");
    return n;
}

static void test_credential(void **state)
{
    struct world *w = *state;
    struct store_credential c, again;
    char err[256];
    assert_int_equal(issuance_credential(&w->is, acct, NOW, &c, err, sizeof err),
                     ISSUANCE_NOT_ACTIVE);
    active_account(w->f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    /* Enrolled before names were asked: no credential until they are given. */
    assert_int_equal(issuance_credential(&w->is, acct, NOW, &c, err, sizeof err),
                     ISSUANCE_NO_NAMES);
    struct store_names n = names("Concepción");
    assert_int_equal(store_registration_correct_names(w->f->store, acct, &n, "applicant", NOW - 10,
                                                      err, sizeof err),
                     1);
    assert_int_equal(issuance_credential(&w->is, acct, NOW, &c, err, sizeof err), ISSUANCE_OK);
    assert_memory_equal(c.id, "CR26-", 5);
    assert_int_equal(c.expires_at - c.issued_at, ISSUANCE_CREDENTIAL_DAYS * 86400LL);

    struct claims_person p;
    struct envelope_verdict v;
    assert_int_equal(verify(w, c.envelope, NOW, NULL, 0, &p, &v), ENVELOPE_VALID);
    assert_int_equal(p.kind, CLAIMS_CREDENTIAL);
    same(p.curp, "SABC560626MDFLRN01");
    same(p.given, "Concepción");
    same(p.surname2, "Briseño");
    same(p.birth, "1956-06-26");
    same(p.program, ISSUANCE_PROGRAM);
    assert_int_equal(p.level_count, 2);
    assert_int_equal(v.cti_len, strlen(c.id));
    assert_memory_equal(v.cti, c.id, v.cti_len);
    envelope_verdict_release(&v);

    /* Asked again: the same one. */
    assert_int_equal(issuance_credential(&w->is, acct, NOW + 60, &again, err, sizeof err),
                     ISSUANCE_OK);
    assert_string_equal(again.id, c.id);
    assert_string_equal(again.envelope, c.envelope);

    /* A correction: a new credential with the new names, and the old one revoked;
     * asked for again in the same second, the same new one (no second reissue). */
    n = names("Concepcion");
    assert_int_equal(store_registration_correct_names(w->f->store, acct, &n, "applicant", NOW + 120,
                                                      err, sizeof err),
                     1);
    assert_int_equal(issuance_credential(&w->is, acct, NOW + 120, &again, err, sizeof err),
                     ISSUANCE_OK);
    assert_string_not_equal(again.id, c.id);
    struct store_credential same_second;
    assert_int_equal(issuance_credential(&w->is, acct, NOW + 120, &same_second, err, sizeof err),
                     ISSUANCE_OK);
    assert_string_equal(same_second.id, again.id);
    /* A forced reissue (what a correction calls) makes another one at once. */
    assert_int_equal(
        issuance_credential_reissue(&w->is, acct, NOW + 120, &same_second, err, sizeof err),
        ISSUANCE_OK);
    assert_string_not_equal(same_second.id, again.id);
    assert_int_equal(store_issued_revoke(w->f->store, again.id, "x", NOW + 200, err, sizeof err),
                     0);
    again = same_second;
    assert_int_equal(verify(w, again.envelope, NOW + 120, NULL, 0, &p, &v), ENVELOPE_VALID);
    same(p.given, "Concepcion");
    envelope_verdict_release(&v);
    assert_int_equal(store_issued_revoke(w->f->store, c.id, "x", NOW + 200, err, sizeof err), 0);

    /* Expired: a new one again ("reissued"). */
    struct store_credential later;
    int64_t after = again.expires_at + 1;
    assert_int_equal(issuance_credential(&w->is, acct, after, &later, err, sizeof err),
                     ISSUANCE_OK);
    assert_string_not_equal(later.id, again.id);

    /* A home clinic goes into the credential: a new one is issued when it is assigned. */
    struct store_home_clinic home = {
        .clues = "OCIMB000012", .assigned_at = after + 10, .distance_m = -1};
    assert_int_equal(store_home_clinic_assign(w->f->store, acct, &home, err, sizeof err), 1);
    struct store_credential with_clinic;
    assert_int_equal(issuance_credential(&w->is, acct, after + 20, &with_clinic, err, sizeof err),
                     ISSUANCE_OK);
    assert_string_not_equal(with_clinic.id, later.id);
    assert_int_equal(verify(w, with_clinic.envelope, after + 20, NULL, 0, &p, &v), ENVELOPE_VALID);
    same(p.clues, "OCIMB000012");
    envelope_verdict_release(&v);
    later = with_clinic;

    /* The printed card reads as a PDF. */
    struct store_registration reg;
    assert_int_equal(store_registration_get(w->f->store, acct, &reg, err, sizeof err), 1);
    uint8_t *pdf = NULL;
    size_t len = 0;
    struct documents_clinic clinic = {"OCIMB000012", "Centro de Salud Rural"};
    assert_int_equal(documents_card_pdf(&reg, &later, clinic, true, "https://padron.example", &pdf,
                                        &len, err, sizeof err),
                     0);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
}

/* The letter mail callback: records the letter it was called with. */
struct mail_seen {
    int calls;
    char folio[STORE_ISSUED_ID_LEN + 1];
};

static int fake_mail(void *ctx, const struct store_letter *l, char **message, char *err,
                     size_t errsz)
{
    (void)err, (void)errsz;
    struct mail_seen *m = ctx;
    m->calls++;
    snprintf(m->folio, sizeof m->folio, "%s", l->folio);
    *message = strdup("Subject: carta\r\n\r\nadjunta\r\n");
    return 0;
}

static void import_roll(struct world *w, enum store_institution inst, const char *curp, bool active,
                        int64_t at)
{
    char err[256];
    struct store_roll_import *imp;
    assert_int_equal(store_roll_begin(w->f->store, inst, at, &imp, err, sizeof err), 0);
    assert_int_equal(store_roll_add(imp, curp, NULL, active, NULL, err, sizeof err), 0);
    assert_int_equal(store_roll_commit(imp, NULL, err, sizeof err), 0);
}

static void test_letter(void **state)
{
    struct world *w = *state;
    char err[256];
    struct issuance_letter_request rq = {.curp = "GODE561231MHGMZM07",
                                         .institution = STORE_ISSSTE,
                                         .email = "emma@ejemplo.mx",
                                         .language = "en"};
    memset(rq.download_hash, 7, sizeof rq.download_hash);
    struct store_letter l;
    struct store_affiliation found;
    struct mail_seen seen = {0};
    assert_int_equal(
        issuance_letter(&w->is, &rq, NOW, fake_mail, &seen, &l, &found, err, sizeof err),
        ISSUANCE_NO_ROLL);
    import_roll(w, STORE_ISSSTE, "GODE561231MHGMZM07", true, NOW - 86400 * 3);
    assert_int_equal(
        issuance_letter(&w->is, &rq, NOW, fake_mail, &seen, &l, &found, err, sizeof err),
        ISSUANCE_AFFILIATED);
    assert_int_equal(found.institution, STORE_ISSSTE);
    assert_int_equal(seen.calls, 0);
    assert_int_equal(store_outbox_pending(w->f->store), 0);

    /* No longer active: the letter, its mail, the roll's date. */
    import_roll(w, STORE_ISSSTE, "GODE561231MHGMZM07", false, NOW - 86400);
    assert_int_equal(
        issuance_letter(&w->is, &rq, NOW, fake_mail, &seen, &l, &found, err, sizeof err),
        ISSUANCE_OK);
    assert_memory_equal(l.folio, "NA26-", 5);
    assert_string_equal(l.roll_date, "2026-12-02");
    assert_int_equal(l.expires_at - l.issued_at, ISSUANCE_LETTER_DAYS * 86400LL);
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.folio, l.folio);
    assert_int_equal(store_outbox_pending(w->f->store), 1);
    struct store_letter stored;
    assert_int_equal(store_letter_get(w->f->store, l.folio, &stored, err, sizeof err), 1);
    assert_memory_equal(stored.download_hash, rq.download_hash, STORE_TOKEN_HASH_LEN);
    assert_string_equal(stored.envelope, l.envelope);

    struct claims_person p;
    struct envelope_verdict v;
    assert_int_equal(verify(w, l.envelope, NOW, NULL, 0, &p, &v), ENVELOPE_VALID);
    assert_int_equal(p.kind, CLAIMS_LETTER);
    same(p.institution, "ISSSTE");
    assert_null(p.given.s); /* asked for with a CURP alone */
    envelope_verdict_release(&v);
    /* Revoked: the verifier says so when given the id. */
    struct envelope_id id = {(const uint8_t *)l.folio, strlen(l.folio)};
    assert_int_equal(verify(w, l.envelope, NOW, &id, 1, &p, &v), ENVELOPE_REVOKED);
    envelope_verdict_release(&v);
    assert_int_equal(verify(w, l.envelope, l.expires_at + 600, NULL, 0, &p, &v), ENVELOPE_EXPIRED);
    envelope_verdict_release(&v);

    uint8_t *pdf = NULL;
    size_t len = 0;
    assert_int_equal(
        documents_letter_pdf(&l, "https://padron.example", &pdf, &len, err, sizeof err), 0);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    char url[128];
    documents_letter_url("https://padron.example", l.folio, url, sizeof url);
    assert_memory_equal(url, "https://padron.example/cartas/NA26-", 35);
}

/* A suspension (padron crosscheck --suspend) revokes the credential in force in
 * its own transaction, and no new one is made while it lasts. */
static void test_suspended(void **state)
{
    struct world *w = *state;
    struct store_credential c, none;
    char err[256];
    active_account(w->f, acct, "SABC560626MDFLRN01", "ana@ejemplo.mx");
    struct store_names n = names("Concepción");
    assert_int_equal(store_registration_correct_names(w->f->store, acct, &n, "applicant", NOW - 10,
                                                      err, sizeof err),
                     1);
    assert_int_equal(issuance_credential(&w->is, acct, NOW, &c, err, sizeof err), ISSUANCE_OK);

    struct store_affiliated a = {.institution = STORE_ISSSTE};
    snprintf(a.id, sizeof a.id, "%s", acct);
    size_t suspended = 0;
    assert_int_equal(
        store_suspend_affiliated(w->f->store, &a, NULL, 1, NOW + 60, &suspended, err, sizeof err),
        0);
    assert_int_equal(suspended, 1);
    assert_int_equal(store_credential_current(w->f->store, acct, NOW + 60, &none, err, sizeof err),
                     0);
    /* Revoked already: a second revocation finds nothing to do. */
    assert_int_equal(store_issued_revoke(w->f->store, c.id, "again", NOW + 70, err, sizeof err), 0);
    struct store_registration reg;
    assert_int_equal(store_registration_get(w->f->store, acct, &reg, err, sizeof err), 1);
    assert_int_equal(reg.suspended_at, NOW + 60);
    assert_int_equal(reg.suspended_institution, STORE_ISSSTE);

    assert_int_equal(issuance_credential(&w->is, acct, NOW + 120, &none, err, sizeof err),
                     ISSUANCE_SUSPENDED_ISSSTE);
    assert_int_equal(issuance_credential_reissue(&w->is, acct, NOW + 120, &none, err, sizeof err),
                     ISSUANCE_SUSPENDED_ISSSTE);
    assert_int_equal(store_credential_current(w->f->store, acct, NOW + 120, &none, err, sizeof err),
                     0);
}

static void test_birth_date(void **state)
{
    (void)state;
    char out[11];
    issuance_birth_date("SABC560626MDFLRN01", out);
    assert_string_equal(out, "1956-06-26");
    issuance_birth_date("LOCM900627MSPRBR05", out);
    assert_string_equal(out, "1990-06-27");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credential, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_letter, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_suspended, world_setup, world_teardown),
        cmocka_unit_test(test_birth_date),
    };
    return cmocka_run_group_tests_name("issuance/issuance", tests, NULL, NULL);
}
