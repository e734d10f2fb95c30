/* Unit tests for src/store/sqlite_reception.c against a real SQLite file: check-in
 * of a booking and of a walk-in, turns per unit and day, status changes, the
 * day's list, the audit records written with them, and the reminders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <string.h>

#define ANA   "0123456789abcdef0123456789abcdef"
#define BETO  "fedcba9876543210fedcba9876543210"
#define CARLA "00000000000000000000000000000001"
#define UNIT  "DFIMB002534"
#define OTHER "DFIMB001904"
#define TODAY "2026-12-02"

static void book(struct fixture *f, const char *who, const char *date, int start)
{
    struct store_booking b = {.registration = who,
                              .clues = UNIT,
                              .service = "consulta",
                              .date = date,
                              .today = "2026-12-01",
                              .slot_start = start,
                              .slot_end = start + 20,
                              .capacity = 3,
                              .now = 100};
    struct store_appointment a;
    char err[256];
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
}

static struct store_audit_record audit(const char *action, const char *subject)
{
    struct store_audit_record r = {.at = 500, .staff = 1};
    snprintf(r.role, sizeof r.role, "receptionist");
    snprintf(r.unit, sizeof r.unit, UNIT);
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.subject, sizeof r.subject, "%s", subject);
    snprintf(r.client, sizeof r.client, "127.0.0.1");
    return r;
}

static int count_records(void *ctx, const struct store_audit_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int audited(struct fixture *f)
{
    int n = 0;
    char err[256];
    assert_true(store_audit_each(f->store, NULL, count_records, &n, err, sizeof err) >= 0);
    return n;
}

static void test_checkin_turns_and_walk_ins(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_appointment a, list[8];
    active_account(f, ANA, "SABC560626MDFLRN01", "ana@example.org");
    active_account(f, BETO, "PXNE660720HMCXTN06", "beto@example.org");
    active_account(f, CARLA, "GOMC800101MOCMRR09", "carla@example.org");
    book(f, ANA, TODAY, 540);
    book(f, CARLA, TODAY, 560);

    /* Beto has no booking: a walk-in, turn 1 */
    struct store_audit_record r = audit("appointment.checkin", "PXNE660720HMCXTN06");
    assert_int_equal(
        store_appointment_checkin(f->store, BETO, UNIT, TODAY, 600, &r, &a, err, sizeof err),
        STORE_CHECKIN_WALK_IN);
    assert_true(a.walk_in);
    assert_int_equal(a.turn, 1);
    assert_int_equal(a.status, STORE_APPT_ARRIVED);
    assert_int_equal(r.seq, 1);
    /* Ana's booking becomes arrived with turn 2 */
    r = audit("appointment.checkin", "SABC560626MDFLRN01");
    assert_int_equal(
        store_appointment_checkin(f->store, ANA, UNIT, TODAY, 610, &r, &a, err, sizeof err),
        STORE_CHECKIN_ARRIVED);
    assert_false(a.walk_in);
    assert_int_equal(a.turn, 2);
    assert_int_equal(a.slot_start, 540);
    assert_int_equal(a.arrived_at, 610);
    int64_t ana = a.id;
    /* again: the same turn, nothing new, but the attempt is audited */
    r = audit("appointment.checkin", "SABC560626MDFLRN01");
    assert_int_equal(
        store_appointment_checkin(f->store, ANA, UNIT, TODAY, 620, &r, &a, err, sizeof err),
        STORE_CHECKIN_ALREADY);
    assert_int_equal(a.id, ana);
    assert_int_equal(a.turn, 2);
    assert_int_equal(audited(f), 3);
    /* turns count per unit and day: another unit starts at 1 */
    assert_int_equal(
        store_appointment_checkin(f->store, CARLA, OTHER, TODAY, 630, NULL, &a, err, sizeof err),
        STORE_CHECKIN_WALK_IN);
    assert_int_equal(a.turn, 1);

    /* the walk-in holds no place: Carla's slot still shows only hers */
    struct store_place places[8];
    assert_int_equal(store_appointment_places(f->store, UNIT, TODAY, places, 8, err, sizeof err),
                     2);

    /* the day's list: checked in by turn, then the others by slot */
    assert_int_equal(store_appointment_day_list(f->store, UNIT, TODAY, list, 8, err, sizeof err),
                     3);
    assert_string_equal(list[0].registration, BETO);
    assert_string_equal(list[1].registration, ANA);
    assert_string_equal(list[2].registration, CARLA);
    assert_int_equal(list[2].turn, 0);
    assert_int_equal(list[2].status, STORE_APPT_BOOKED);

    /* status changes: only from the status asked for, audited with the change */
    r = audit("appointment.status", "SABC560626MDFLRN01");
    assert_int_equal(store_appointment_set_status(f->store, ana, UNIT, STORE_APPT_ARRIVED,
                                                  STORE_APPT_IN_CONSULTATION, 700, &r, err,
                                                  sizeof err),
                     1);
    assert_int_equal(store_appointment_set_status(f->store, ana, UNIT, STORE_APPT_ARRIVED,
                                                  STORE_APPT_DONE, 701, &r, err, sizeof err),
                     0);
    assert_int_equal(store_appointment_set_status(f->store, ana, OTHER, STORE_APPT_IN_CONSULTATION,
                                                  STORE_APPT_DONE, 702, NULL, err, sizeof err),
                     0);
    assert_int_equal(audited(f), 4);
    /* in consultation is still checked in: the same turn */
    assert_int_equal(
        store_appointment_checkin(f->store, ANA, UNIT, TODAY, 703, NULL, &a, err, sizeof err),
        STORE_CHECKIN_ALREADY);
    assert_int_equal(a.status, STORE_APPT_IN_CONSULTATION);
    assert_int_equal(store_appointment_set_status(f->store, ana, UNIT, STORE_APPT_IN_CONSULTATION,
                                                  STORE_APPT_DONE, 704, NULL, err, sizeof err),
                     1);
    assert_int_equal(store_appointment_at_unit(f->store, ana, UNIT, &a, err, sizeof err), 1);
    assert_int_equal(a.status, STORE_APPT_DONE);
    assert_int_equal(a.turn, 2);
    assert_int_equal(store_appointment_at_unit(f->store, ana, OTHER, &a, err, sizeof err), 0);
    /* a booking never checked in may become a no-show; it keeps no turn */
    assert_int_equal(store_appointment_day_list(f->store, UNIT, TODAY, list, 8, err, sizeof err),
                     3);
    assert_int_equal(store_appointment_set_status(f->store, list[2].id, UNIT, STORE_APPT_BOOKED,
                                                  STORE_APPT_NO_SHOW, 705, NULL, err, sizeof err),
                     1);
    /* the schema refuses a checked-in status without a turn */
    assert_int_equal(store_appointment_set_status(f->store, list[2].id, UNIT, STORE_APPT_NO_SHOW,
                                                  STORE_APPT_ARRIVED, 706, NULL, err, sizeof err),
                     -1);
    /* after her visit is done, Ana may come back the same day: a new turn */
    assert_int_equal(
        store_appointment_checkin(f->store, ANA, UNIT, TODAY, 800, NULL, &a, err, sizeof err),
        STORE_CHECKIN_WALK_IN);
    assert_int_equal(a.turn, 3);
}

static char *compose(void *ctx, const struct store_reminder *r)
{
    char *seen = ctx;
    size_t at = strlen(seen);
    memcpy(seen + at, r->language, 3);
    size_t size = strlen(r->email) + 64;
    char *m = malloc(size);
    assert_true(snprintf(m, size, "To: %s\r\n\r\nremember %s\r\n", r->email, r->appointment.date) <
                (int)size);
    return m;
}

static void test_reminders(void **state)
{
    struct fixture *f = *state;
    char err[256], seen[32] = "";
    active_account(f, ANA, "SABC560626MDFLRN01", "ana@example.org");
    active_account(f, BETO, "PXNE660720HMCXTN06", "beto@example.org");
    active_account(f, CARLA, "GOMC800101MOCMRR09", "carla@example.org");
    book(f, ANA, "2026-12-03", 540);
    book(f, BETO, "2026-12-03", 560);
    book(f, CARLA, "2026-12-04", 560);
    struct store_mail m;
    /* a batch of one, then the rest, then nothing: each booking once */
    assert_int_equal(
        store_appointment_remind(f->store, "2026-12-03", 1001, 1, compose, seen, err, sizeof err),
        1);
    assert_int_equal(
        store_appointment_remind(f->store, "2026-12-03", 1002, 10, compose, seen, err, sizeof err),
        1);
    assert_int_equal(
        store_appointment_remind(f->store, "2026-12-03", 1003, 10, compose, seen, err, sizeof err),
        0);
    assert_string_equal(seen, "eses");
    assert_int_equal(store_outbox_next(f->store, 2000, &m, err, sizeof err), 1);
    assert_string_equal(m.recipient, "ana@example.org");
    assert_non_null(strstr(m.message, "remember 2026-12-03"));
    free(m.message);
    assert_int_equal(
        store_appointment_remind(f->store, "2026-12-03", 1004, 0, compose, seen, err, sizeof err),
        -1);
}

static void test_audit_once_a_day(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_audit_record r = audit("appointment.queue", "SABC560626MDFLRN01");
    assert_int_equal(store_audit_append_since(f->store, &r, 400, err, sizeof err), 1);
    r = audit("appointment.queue", "SABC560626MDFLRN01");
    assert_int_equal(store_audit_append_since(f->store, &r, 400, err, sizeof err), 0);
    /* another person, another staff member, or a new day: a new record */
    r = audit("appointment.queue", "PXNE660720HMCXTN06");
    assert_int_equal(store_audit_append_since(f->store, &r, 400, err, sizeof err), 1);
    r = audit("appointment.queue", "SABC560626MDFLRN01");
    r.staff = 2;
    assert_int_equal(store_audit_append_since(f->store, &r, 400, err, sizeof err), 1);
    r = audit("appointment.queue", "SABC560626MDFLRN01");
    r.at = 90000;
    assert_int_equal(store_audit_append_since(f->store, &r, 86400, err, sizeof err), 1);
    assert_int_equal(audited(f), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_checkin_turns_and_walk_ins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_once_a_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
