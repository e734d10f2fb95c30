/* Unit tests for src/store/sqlite_referrals.c against a real SQLite file: a
 * referral through every state with one event and one audit record per change,
 * refusals that change nothing, the study before level 3, the emergency
 * encounter a referral is made from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

#define ANA      "0123456789abcdef0123456789abcdef"
#define ANA_CURP "SABC560626MDFLRN01"
#define L1       "OCIMB000024"
#define L2       "OCIMB000100"
#define L3       "DFIMB000300"

static int64_t staff(struct fixture *f, const char *email, const char *role, const char *unit)
{
    struct store_staff st = {0};
    snprintf(st.email, sizeof st.email, "%s", email);
    snprintf(st.role, sizeof st.role, "%s", role);
    snprintf(st.unit, sizeof st.unit, "%s", unit);
    uint8_t code[STORE_TOKEN_HASH_LEN] = {1};
    int64_t id = 0;
    char err[256];
    assert_int_equal(store_staff_add(f->store, &st, code, 1000, NULL, 10, &id, err, sizeof err), 1);
    return id;
}

static struct store_audit_record audit(int64_t who, const char *role, const char *unit,
                                       const char *action, int64_t at)
{
    struct store_audit_record r = {.at = at, .staff = who};
    snprintf(r.role, sizeof r.role, "%s", role);
    snprintf(r.unit, sizeof r.unit, "%s", unit);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.subject, sizeof r.subject, "%s", ANA_CURP);
    snprintf(r.client, sizeof r.client, "127.0.0.1");
    return r;
}

static int64_t create(struct fixture *f, const char *public_id, const char *from, const char *to,
                      int level, int64_t md)
{
    struct store_referral r = {
        .to_level = level, .urgency = REFERRAL_PRIORITY, .created_by = md, .created_at = 100};
    snprintf(r.public_id, sizeof r.public_id, "%s", public_id);
    snprintf(r.registration, sizeof r.registration, "%s", ANA);
    snprintf(r.from_unit, sizeof r.from_unit, "%s", from);
    snprintf(r.to_unit, sizeof r.to_unit, "%s", to);
    snprintf(r.reason, sizeof r.reason, "Glucosa alta persistente");
    snprintf(r.cie10, sizeof r.cie10, "E119");
    struct store_audit_record a = audit(md, "physician", from, "referral.create", 100);
    char err[256];
    assert_int_equal(store_referral_create(f->store, &r, &a, err, sizeof err), 1);
    assert_true(r.id > 0);
    assert_int_equal(a.seq > 0, 1);
    return r.id;
}

static enum referral_verdict change(struct fixture *f, const char *public_id,
                                    enum referral_state to, int64_t who, enum referral_role role,
                                    const char *unit, const char *note, int64_t now)
{
    struct store_referral_change c = {.public_id = public_id,
                                      .to = to,
                                      .note = note,
                                      .date = "2026-12-15",
                                      .time = "09:30",
                                      .staff = who,
                                      .role = role,
                                      .unit = unit,
                                      .now = now};
    struct store_audit_record a = audit(who, "physician", unit, "referral.decide", now);
    enum referral_verdict v = REFERRAL_VERDICTS;
    char err[256];
    assert_int_equal(store_referral_change(f->store, &c, &a, &v, NULL, err, sizeof err), 1);
    return v;
}

struct collected {
    int n;
    struct store_referral_event e[10];
};

static int collect(void *ctx, const struct store_referral_event *e)
{
    struct collected *c = ctx;
    if (c->n < 10)
        c->e[c->n] = *e;
    c->n++;
    return 0;
}

static int count_audit(void *ctx, const struct store_audit_record *r)
{
    (void)ctx;
    (void)r;
    return 0;
}

static long audit_count(struct fixture *f)
{
    char err[256];
    return store_audit_each(f->store, NULL, count_audit, NULL, err, sizeof err);
}

struct listed {
    int n;
    char ids[4][STORE_REFERRAL_ID_LEN + 1];
};

static int list_one(void *ctx, const struct store_referral *r)
{
    struct listed *l = ctx;
    if (l->n < 4)
        snprintf(l->ids[l->n], sizeof l->ids[0], "%s", r->public_id);
    l->n++;
    return 0;
}

static void test_through_every_state(void **state)
{
    struct fixture *f = *state;
    char err[256];
    active_account(f, ANA, ANA_CURP, "ana@example.org");
    int64_t md1 = staff(f, "md1@salud.gob.mx", "physician", L1);
    int64_t md2 = staff(f, "md2@salud.gob.mx", "physician", L2);
    int64_t adm2 = staff(f, "adm2@salud.gob.mx", "unit_admin", L2);
    int64_t id = create(f, "RF26-AAAA-0001", L1, L2, 2, md1);
    assert_int_equal(audit_count(f), 1);

    /* refused: the referring unit accepting, scheduling before accepting */
    assert_int_equal(
        change(f, "RF26-AAAA-0001", REFERRAL_ACCEPTED, md1, REFERRAL_ROLE_PHYSICIAN, L1, NULL, 110),
        REFERRAL_FORBIDDEN);
    assert_int_equal(change(f, "RF26-AAAA-0001", REFERRAL_SCHEDULED, md2, REFERRAL_ROLE_PHYSICIAN,
                            L2, NULL, 110),
                     REFERRAL_INVALID_TRANSITION);
    assert_int_equal(audit_count(f), 1); /* refusals write nothing */

    assert_int_equal(change(f, "RF26-AAAA-0001", REFERRAL_ACCEPTED, adm2, REFERRAL_ROLE_UNIT_ADMIN,
                            L2, "Se recibe", 120),
                     REFERRAL_ALLOWED);
    assert_int_equal(change(f, "RF26-AAAA-0001", REFERRAL_SCHEDULED, md2, REFERRAL_ROLE_PHYSICIAN,
                            L2, NULL, 130),
                     REFERRAL_ALLOWED);
    assert_int_equal(
        change(f, "RF26-AAAA-0001", REFERRAL_ATTENDED, md2, REFERRAL_ROLE_PHYSICIAN, L2, NULL, 140),
        REFERRAL_ALLOWED);
    assert_int_equal(change(f, "RF26-AAAA-0001", REFERRAL_CLOSED, md2, REFERRAL_ROLE_PHYSICIAN, L2,
                            "Contrarreferencia", 150),
                     REFERRAL_ALLOWED);
    assert_int_equal(change(f, "RF26-AAAA-0001", REFERRAL_CANCELLED, md1, REFERRAL_ROLE_PHYSICIAN,
                            L1, NULL, 160),
                     REFERRAL_INVALID_TRANSITION);
    assert_int_equal(audit_count(f), 5);

    struct store_referral r;
    assert_int_equal(store_referral_get(f->store, "RF26-AAAA-0001", &r, err, sizeof err), 1);
    assert_int_equal(r.id, id);
    assert_int_equal(r.state, REFERRAL_CLOSED);
    assert_string_equal(r.scheduled_date, "2026-12-15");
    assert_string_equal(r.scheduled_time, "09:30");
    assert_string_equal(r.cie10, "E119");
    assert_int_equal(r.urgency, REFERRAL_PRIORITY);
    assert_int_equal(r.updated_at, 150);
    assert_int_equal(store_referral_get(f->store, "RF26-ZZZZ-0000", &r, err, sizeof err), 0);

    /* one event per change, in order, with who and when */
    struct collected c = {0};
    assert_int_equal(store_referral_events(f->store, id, collect, &c, err, sizeof err), 5);
    static const enum referral_state want[] = {REFERRAL_REQUESTED, REFERRAL_ACCEPTED,
                                               REFERRAL_SCHEDULED, REFERRAL_ATTENDED,
                                               REFERRAL_CLOSED};
    static const int64_t when[] = {100, 120, 130, 140, 150};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c.e[i].state, want[i]);
        assert_int_equal(c.e[i].at, when[i]);
    }
    assert_int_equal(c.e[0].staff, md1);
    assert_string_equal(c.e[1].role, "unit_admin");
    assert_string_equal(c.e[1].unit, L2);
    assert_string_equal(c.e[1].note, "Se recibe");
    assert_string_equal(c.e[4].note, "Contrarreferencia");

    /* events are append-only; the public id is unique */
    struct store_referral dup = r;
    struct store_audit_record a = audit(md1, "physician", L1, "referral.create", 200);
    assert_int_equal(store_referral_create(f->store, &dup, &a, err, sizeof err), 0);
}

static void test_reject_cancel_and_lists(void **state)
{
    struct fixture *f = *state;
    char err[256];
    active_account(f, ANA, ANA_CURP, "ana@example.org");
    int64_t md1 = staff(f, "md1@salud.gob.mx", "physician", L1);
    int64_t md2 = staff(f, "md2@salud.gob.mx", "physician", L2);
    create(f, "RF26-AAAA-0002", L1, L2, 2, md1);
    create(f, "RF26-AAAA-0003", L1, L2, 2, md1);
    assert_int_equal(
        change(f, "RF26-AAAA-0002", REFERRAL_REJECTED, md2, REFERRAL_ROLE_PHYSICIAN, L2, "", 110),
        REFERRAL_REASON_REQUIRED);
    assert_int_equal(change(f, "RF26-AAAA-0002", REFERRAL_REJECTED, md2, REFERRAL_ROLE_PHYSICIAN,
                            L2, "Sin especialista", 110),
                     REFERRAL_ALLOWED);
    assert_int_equal(change(f, "RF26-AAAA-0003", REFERRAL_CANCELLED, md2, REFERRAL_ROLE_PHYSICIAN,
                            L2, NULL, 120),
                     REFERRAL_FORBIDDEN);
    assert_int_equal(change(f, "RF26-AAAA-0003", REFERRAL_CANCELLED, md1, REFERRAL_ROLE_PHYSICIAN,
                            L1, NULL, 120),
                     REFERRAL_ALLOWED);
    struct store_referral r;
    assert_int_equal(store_referral_get(f->store, "RF26-AAAA-0002", &r, err, sizeof err), 1);
    assert_int_equal(r.state, REFERRAL_REJECTED);
    assert_string_equal(r.rejection_reason, "Sin especialista");
    struct listed out = {0}, in = {0}, mine = {0}, none = {0};
    assert_int_equal(store_referral_each(f->store, STORE_REFERRALS_OUTGOING, L1, 50, list_one, &out,
                                         err, sizeof err),
                     2);
    assert_int_equal(store_referral_each(f->store, STORE_REFERRALS_INCOMING, L2, 1, list_one, &in,
                                         err, sizeof err),
                     1);
    assert_int_equal(store_referral_each(f->store, STORE_REFERRALS_OF_PERSON, ANA, 50, list_one,
                                         &mine, err, sizeof err),
                     2);
    assert_int_equal(store_referral_each(f->store, STORE_REFERRALS_INCOMING, L1, 50, list_one,
                                         &none, err, sizeof err),
                     0);
    /* newest first (same time: the later id first) */
    assert_string_equal(out.ids[0], "RF26-AAAA-0003");
    assert_string_equal(out.ids[1], "RF26-AAAA-0002");
}

static void test_study_before_level_3(void **state)
{
    struct fixture *f = *state;
    char err[256];
    active_account(f, ANA, ANA_CURP, "ana@example.org");
    int64_t md2 = staff(f, "md2@salud.gob.mx", "physician", L2);
    int64_t md3 = staff(f, "md3@salud.gob.mx", "physician", L3);
    int64_t sw3 = staff(f, "ts3@salud.gob.mx", "social_worker", L3);
    create(f, "RF26-AAAA-0004", L2, L3, 3, md2);
    assert_int_equal(
        change(f, "RF26-AAAA-0004", REFERRAL_ACCEPTED, md3, REFERRAL_ROLE_PHYSICIAN, L3, NULL, 110),
        REFERRAL_ALLOWED);
    assert_int_equal(change(f, "RF26-AAAA-0004", REFERRAL_SCHEDULED, md3, REFERRAL_ROLE_PHYSICIAN,
                            L3, NULL, 120),
                     REFERRAL_ALLOWED);
    assert_int_equal(
        change(f, "RF26-AAAA-0004", REFERRAL_ATTENDED, md3, REFERRAL_ROLE_PHYSICIAN, L3, NULL, 130),
        REFERRAL_STUDY_REQUIRED);

    struct store_study st = {
        .social_worker = sw3, .outcome = STUDY_REDUCED, .fee_centavos = 0, .at = 125};
    snprintf(st.registration, sizeof st.registration, "%s", ANA);
    snprintf(st.unit, sizeof st.unit, "%s", L3);
    struct store_audit_record a = audit(sw3, "social_worker", L3, "study.record", 125);
    assert_int_equal(store_study_record(f->store, &st, &a, err, sizeof err), -1);
    st.fee_centavos = 25000;
    assert_int_equal(store_study_record(f->store, &st, &a, err, sizeof err), 0);
    /* a study at another unit does not count */
    struct store_study other;
    assert_int_equal(store_study_latest(f->store, ANA, L2, &other, err, sizeof err), 0);
    assert_int_equal(store_study_latest(f->store, ANA, L3, &other, err, sizeof err), 1);
    assert_int_equal(other.outcome, STUDY_REDUCED);
    assert_int_equal(other.fee_centavos, 25000);
    assert_int_equal(other.social_worker, sw3);

    assert_int_equal(
        change(f, "RF26-AAAA-0004", REFERRAL_ATTENDED, md3, REFERRAL_ROLE_PHYSICIAN, L3, NULL, 130),
        REFERRAL_ALLOWED);
}

/* A referral from an emergency encounter keeps the encounter's id; one that
 * names no encounter reads "", and an unknown encounter is refused by the
 * schema with nothing written. */
static void test_from_an_emergency(void **state)
{
    struct fixture *f = *state;
    char err[256], existing[STORE_EMERGENCY_ID_LEN + 1];
    active_account(f, ANA, ANA_CURP, "ana@example.org");
    int64_t md2 = staff(f, "md2@salud.gob.mx", "physician", L2);
    struct store_emergency e = {.opened_at = 90, .opened_by = md2, .apparent_age = -1};
    snprintf(e.id, sizeof e.id, "UR26-EEEE-0001");
    snprintf(e.unit, sizeof e.unit, L2);
    snprintf(e.triage, sizeof e.triage, "red");
    snprintf(e.identity, sizeof e.identity, "curp");
    snprintf(e.curp, sizeof e.curp, ANA_CURP);
    struct store_audit_record a = audit(md2, "physician", L2, "emergency.open", 90);
    assert_int_equal(store_emergency_open(f->store, &e, &a, existing, err, sizeof err),
                     STORE_EMERGENCY_OK);

    struct store_referral r = {
        .to_level = 2, .urgency = REFERRAL_URGENT, .created_by = md2, .created_at = 100};
    snprintf(r.public_id, sizeof r.public_id, "RF26-EEEE-0001");
    snprintf(r.registration, sizeof r.registration, "%s", ANA);
    snprintf(r.from_unit, sizeof r.from_unit, L2);
    snprintf(r.to_unit, sizeof r.to_unit, "OCIMB000101");
    snprintf(r.reason, sizeof r.reason, "Trauma craneal");
    snprintf(r.cie10, sizeof r.cie10, "S069");
    snprintf(r.emergency, sizeof r.emergency, "UR26-EEEE-9999"); /* no such encounter */
    a = audit(md2, "physician", L2, "referral.create", 100);
    assert_int_equal(store_referral_create(f->store, &r, &a, err, sizeof err), -1);
    struct store_referral got;
    assert_int_equal(store_referral_get(f->store, "RF26-EEEE-0001", &got, err, sizeof err), 0);

    snprintf(r.emergency, sizeof r.emergency, "%s", e.id);
    a = audit(md2, "physician", L2, "referral.create", 100);
    assert_int_equal(store_referral_create(f->store, &r, &a, err, sizeof err), 1);
    assert_int_equal(store_referral_get(f->store, "RF26-EEEE-0001", &got, err, sizeof err), 1);
    assert_string_equal(got.emergency, "UR26-EEEE-0001");
    assert_int_equal(got.to_level, 2);
    assert_int_equal(got.urgency, REFERRAL_URGENT);

    create(f, "RF26-EEEE-0002", L1, L2, 2, md2);
    assert_int_equal(store_referral_get(f->store, "RF26-EEEE-0002", &got, err, sizeof err), 1);
    assert_string_equal(got.emergency, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_through_every_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_cancel_and_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_study_before_level_3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_an_emergency, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
