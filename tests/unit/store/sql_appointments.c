/* Unit tests for src/store/sqlite_appointments.c against a real SQLite file,
 * including two bookings racing for the last place of a slot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <pthread.h>
#include <string.h>

#define ANA   "0123456789abcdef0123456789abcdef"
#define BETO  "fedcba9876543210fedcba9876543210"
#define CARLA "00000000000000000000000000000001"
#define UNIT  "DFIMB002534"

static struct store_booking booking(const char *who, const char *date, int start, int capacity)
{
    return (struct store_booking){.registration = who,
                                  .clues = UNIT,
                                  .service = "consulta",
                                  .date = date,
                                  .today = "2026-12-01",
                                  .slot_start = start,
                                  .slot_end = start + 20,
                                  .capacity = capacity,
                                  .now = 100};
}

static void three_people(struct fixture *f)
{
    active_account(f, ANA, "SABC560626MDFLRN01", "ana@example.org");
    active_account(f, BETO, "PXNE660720HMCXTN06", "beto@example.org");
    active_account(f, CARLA, "GOMC800101MOCMRR09", "carla@example.org");
}

static void test_positions_double_and_full(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_appointment a, list[4];
    three_people(f);
    struct store_booking b = booking(ANA, "2026-12-02", 540, 2);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    assert_int_equal(a.position, 0);
    assert_string_equal(a.date, "2026-12-02");
    assert_int_equal(a.status, STORE_APPT_BOOKED);
    /* the same person again, another slot, another day: a double booking */
    b = booking(ANA, "2026-12-03", 600, 2);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err),
                     STORE_BOOKING_ALREADY);
    b = booking(BETO, "2026-12-02", 540, 2);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    assert_int_equal(a.position, 1);
    /* the second of two in 09:00-09:20 arrives from 09:10 */
    assert_int_equal(a.arrival_from, 550);
    assert_int_equal(a.arrival_to, 560);
    b = booking(CARLA, "2026-12-02", 540, 2);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_FULL);
    /* Ana cancels: Carla takes the position she freed, the lowest */
    assert_int_equal(store_appointment_list(f->store, ANA, "2026-12-01", list, 4, err, sizeof err),
                     1);
    assert_int_equal(store_appointment_cancel(f->store, list[0].id, BETO, 200, err, sizeof err), 0);
    assert_int_equal(store_appointment_cancel(f->store, list[0].id, ANA, 200, err, sizeof err), 1);
    assert_int_equal(store_appointment_cancel(f->store, list[0].id, ANA, 201, err, sizeof err), 0);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    assert_int_equal(a.position, 0);
    struct store_place places[4];
    assert_int_equal(
        store_appointment_places(f->store, UNIT, "2026-12-02", places, 4, err, sizeof err), 2);
    assert_int_equal(places[0].slot_start, 540);
    assert_int_equal(places[0].position, 0);
    assert_int_equal(places[1].position, 1);
    /* a live booking dated before today no longer blocks a new one */
    b = booking(ANA, "2026-12-04", 540, 2);
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    b = booking(ANA, "2026-12-06", 540, 2);
    b.today = "2026-12-05";
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    assert_int_equal(store_appointment_get(f->store, a.id, ANA, &list[0], err, sizeof err), 1);
    assert_int_equal(list[0].slot_end, 560);
    assert_int_equal(list[0].arrival_from, 540);
    assert_int_equal(list[0].arrival_to, 550);
    assert_string_equal(store_appointment_status_name(list[0].status), "booked");
    assert_int_equal(store_appointment_get(f->store, a.id, BETO, &list[0], err, sizeof err), 0);
}

static char *compose(void *ctx, const struct store_appointment *a)
{
    char *m = malloc(64);
    snprintf(m, 64, "%s position %d", (const char *)ctx, a->position);
    return m;
}

static char *refuse(void *ctx, const struct store_appointment *a)
{
    (void)ctx, (void)a;
    return NULL;
}

static void test_move_and_mail(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_appointment a, moved;
    three_people(f);
    struct store_booking b = booking(ANA, "2026-12-02", 540, 1);
    b.recipient = "ana@example.org";
    b.compose = compose;
    b.ctx = "booked";
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err), STORE_BOOKING_OK);
    assert_int_equal(store_outbox_pending(f->store), 1);
    struct store_booking other = booking(BETO, "2026-12-02", 560, 1);
    assert_int_equal(store_appointment_book(f->store, &other, &moved, err, sizeof err),
                     STORE_BOOKING_OK);
    /* moving into a full slot is refused and keeps the old booking */
    b.slot_start = 560, b.slot_end = 580;
    assert_int_equal(store_appointment_move(f->store, a.id, &b, &moved, err, sizeof err),
                     STORE_BOOKING_FULL);
    assert_int_equal(store_appointment_get(f->store, a.id, ANA, &moved, err, sizeof err), 1);
    assert_int_equal(moved.status, STORE_APPT_BOOKED);
    /* a failed mail fails the booking: nothing half-written */
    b.slot_start = 600, b.slot_end = 620;
    b.compose = refuse;
    assert_int_equal(store_appointment_move(f->store, a.id, &b, &moved, err, sizeof err),
                     STORE_BOOKING_ERROR);
    assert_int_equal(store_appointment_get(f->store, a.id, ANA, &moved, err, sizeof err), 1);
    assert_int_equal(moved.status, STORE_APPT_BOOKED);
    b.compose = compose;
    assert_int_equal(store_appointment_move(f->store, a.id, &b, &moved, err, sizeof err),
                     STORE_BOOKING_OK);
    assert_int_equal(moved.slot_start, 600);
    assert_int_equal(store_outbox_pending(f->store), 2);
    assert_int_equal(store_appointment_get(f->store, a.id, ANA, &a, err, sizeof err), 1);
    assert_int_equal(a.status, STORE_APPT_CANCELLED);
    /* a cancelled one, or somebody else's, cannot be moved */
    assert_int_equal(store_appointment_move(f->store, a.id, &b, &moved, err, sizeof err),
                     STORE_BOOKING_UNKNOWN);
    other.slot_start = 600, other.slot_end = 620;
    assert_int_equal(store_appointment_move(f->store, moved.id, &other, &a, err, sizeof err),
                     STORE_BOOKING_UNKNOWN);
    /* malformed input is an error, not a row */
    b.date = "2026-12";
    assert_int_equal(store_appointment_book(f->store, &b, &a, err, sizeof err),
                     STORE_BOOKING_ERROR);
    assert_non_null(strstr(err, "malformed"));
}

struct racer {
    struct store *store;
    const char *who;
    enum store_booking_result result;
    pthread_barrier_t *start;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    char err[256];
    struct store_appointment a;
    struct store_booking b = booking(r->who, "2026-12-02", 540, 2);
    pthread_barrier_wait(r->start);
    r->result = store_appointment_book(r->store, &b, &a, err, sizeof err);
    return NULL;
}

/* Two people race for the last place: exactly one gets it, many times over. */
static void test_race_for_the_last_place(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_appointment a;
    three_people(f);
    for (int round = 0; round < 20; round++) {
        struct store_booking first = booking(ANA, "2026-12-02", 540, 2);
        assert_int_equal(store_appointment_book(f->store, &first, &a, err, sizeof err),
                         STORE_BOOKING_OK);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        struct racer r[2] = {{f->store, BETO, 0, &start}, {f->store, CARLA, 0, &start}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        assert_true((r[0].result == STORE_BOOKING_OK && r[1].result == STORE_BOOKING_FULL) ||
                    (r[0].result == STORE_BOOKING_FULL && r[1].result == STORE_BOOKING_OK));
        struct store_place places[4];
        assert_int_equal(
            store_appointment_places(f->store, UNIT, "2026-12-02", places, 4, err, sizeof err), 2);
        /* everybody cancels for the next round */
        const char *who[] = {ANA, BETO, CARLA};
        for (int i = 0; i < 3; i++) {
            struct store_appointment all[64];
            int k =
                store_appointment_list(f->store, who[i], "2026-12-01", all, 64, err, sizeof err);
            for (int j = 0; j < k && j < 64; j++)
                store_appointment_cancel(f->store, all[j].id, who[i], 300, err, sizeof err);
        }
    }
}

static void test_schedule_and_closed_days(void **state)
{
    struct fixture *f = *state;
    char err[256];
    struct store_schedule sc;
    assert_int_equal(store_schedule_get(f->store, UNIT, &sc, err, sizeof err), 0);
    assert_int_equal(sc.slot_minutes, 20);
    assert_int_equal(sc.capacity, 3);
    assert_string_equal(sc.hours, "");
    sc = (struct store_schedule){30, 1, "LMXJV 08:00-14:00"};
    assert_int_equal(store_schedule_set(f->store, UNIT, &sc, 5, err, sizeof err), 0);
    memset(&sc, 0, sizeof sc);
    assert_int_equal(store_schedule_get(f->store, UNIT, &sc, err, sizeof err), 1);
    assert_int_equal(sc.slot_minutes, 30);
    assert_int_equal(sc.capacity, 1);
    assert_string_equal(sc.hours, "LMXJV 08:00-14:00");
    /* the schema refuses what the rules do not allow */
    sc.capacity = 0;
    assert_int_equal(store_schedule_set(f->store, UNIT, &sc, 6, err, sizeof err), -1);

    assert_int_equal(store_closed_day_get(f->store, UNIT, "2026-12-25", err, sizeof err), 0);
    assert_int_equal(store_closed_day_set(f->store, UNIT, "2026-12-25", true, 7, err, sizeof err),
                     0);
    assert_int_equal(store_closed_day_set(f->store, UNIT, "2026-12-25", true, 8, err, sizeof err),
                     0);
    assert_int_equal(store_closed_day_get(f->store, UNIT, "2026-12-25", err, sizeof err), 1);
    assert_int_equal(store_closed_day_get(f->store, "DFIMB001904", "2026-12-25", err, sizeof err),
                     0);
    assert_int_equal(store_closed_day_set(f->store, UNIT, "2026-12-25", false, 9, err, sizeof err),
                     0);
    assert_int_equal(store_closed_day_get(f->store, UNIT, "2026-12-25", err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_positions_double_and_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_and_mail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_race_for_the_last_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_and_closed_days, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
