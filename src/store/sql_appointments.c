/* store.h appointments: bookings in one write transaction each (the
 * double-booking and capacity checks and the insert cannot interleave with
 * another booking), a unit's schedule and its closed days. */
#include "store/sql_internal.h"

#include "care/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = {
    [STORE_APPT_BOOKED] = "booked",   [STORE_APPT_CANCELLED] = "cancelled",
    [STORE_APPT_ARRIVED] = "arrived", [STORE_APPT_IN_CONSULTATION] = "in_consultation",
    [STORE_APPT_DONE] = "done",       [STORE_APPT_NO_SHOW] = "no_show",
};

#define LIVE "status IN ('booked', 'arrived', 'in_consultation')"

const char *store_appointment_status_name(enum store_appointment_status st)
{
    return (unsigned)st < sizeof statuses / sizeof statuses[0] ? statuses[st] : "?";
}

void sq_read_appointment(struct sq_stmt *st, struct store_appointment *a)
{
    memset(a, 0, sizeof *a);
    a->id = sq_int64(st, 0);
    sq_copy_column(st, 1, a->registration, sizeof a->registration);
    sq_copy_column(st, 2, a->clues, sizeof a->clues);
    sq_copy_column(st, 3, a->service, sizeof a->service);
    sq_copy_column(st, 4, a->date, sizeof a->date);
    a->slot_start = sq_int(st, 5);
    a->slot_end = sq_int(st, 6);
    a->position = sq_int(st, 7);
    const char *status = sq_text(st, 8);
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (status && strcmp(status, statuses[i]) == 0)
            a->status = (enum store_appointment_status)i;
    a->created_at = sq_int64(st, 9);
    a->updated_at = sq_int64(st, 10);
    a->arrival_from = sq_int(st, 11);
    a->arrival_to = sq_int(st, 12);
    a->walk_in = sq_int(st, 13) != 0;
    a->turn = sq_int(st, 14);
    a->arrived_at = sq_int64(st, 15);
}

static bool booking_ok(const struct store_booking *b)
{
    return b->registration && strlen(b->registration) == STORE_ID_LEN && b->clues &&
           strlen(b->clues) == 11 && b->service && *b->service &&
           strlen(b->service) <= STORE_SERVICE_MAX && b->date && strlen(b->date) == 10 &&
           b->today && strlen(b->today) == 10 && b->slot_start >= 0 &&
           b->slot_end > b->slot_start && b->slot_end <= 1440 && b->capacity >= 1;
}

/* Inside the open transaction of conn: the checks, the insert, the mail. */
static enum store_booking_result book_in(struct store *s, struct sq_conn *conn,
                                         const struct store_booking *b,
                                         struct store_appointment *out, char *err, size_t errsz)
{
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT count(*) FROM appointment WHERE registration = ?"
                                  " AND service = ? AND day >= ? AND " LIVE,
                                  SQ_TEXT(b->registration), SQ_TEXT(b->service), SQ_TEXT(b->today));
    if (!st || sq_row(st) != 1)
        return sq_fail_db(conn, err, errsz, "checking for a booking");
    if (sq_int(st, 0) > 0)
        return STORE_BOOKING_ALREADY;
    /* the lowest position no live booking holds */
    st = sq_query(conn,
                  "SELECT position FROM appointment WHERE clues = ? AND day = ?"
                  " AND slot_start = ? AND " LIVE " ORDER BY position",
                  SQ_TEXT(b->clues), SQ_TEXT(b->date), SQ_INT(b->slot_start));
    int position = 0, row = st ? sq_row(st) : -1;
    for (; row == 1 && sq_int(st, 0) == position; row = sq_row(st))
        position++;
    if (row < 0)
        return sq_fail_db(conn, err, errsz, "reading the slot");
    if (position >= b->capacity)
        return STORE_BOOKING_FULL;
    int from, to;
    struct care_slot slot = {(uint16_t)b->slot_start, (uint16_t)b->slot_end};
    if (care_arrival_window(slot, b->capacity, position, &from, &to) != 0 || to <= from)
        return sq_fail(err, errsz, "booking: the slot is too short for its capacity");
    int64_t id = sq_insert(
        conn,
        "INSERT INTO appointment (registration, clues, service, day, slot_start, slot_end,"
        " position, arrival_from, arrival_to, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?) RETURNING id",
        SQ_TEXT(b->registration), SQ_TEXT(b->clues), SQ_TEXT(b->service), SQ_TEXT(b->date),
        SQ_INT(b->slot_start), SQ_INT(b->slot_end), SQ_INT(position), SQ_INT(from), SQ_INT(to),
        SQ_INT(b->now), SQ_INT(b->now));
    if (id < 0)
        return sq_fail_db(conn, err, errsz, "booking");
    *out = (struct store_appointment){.id = id,
                                      .slot_start = b->slot_start,
                                      .slot_end = b->slot_end,
                                      .position = position,
                                      .arrival_from = from,
                                      .arrival_to = to,
                                      .status = STORE_APPT_BOOKED,
                                      .created_at = b->now,
                                      .updated_at = b->now};
    snprintf(out->registration, sizeof out->registration, "%s", b->registration);
    snprintf(out->clues, sizeof out->clues, "%s", b->clues);
    snprintf(out->service, sizeof out->service, "%s", b->service);
    snprintf(out->date, sizeof out->date, "%s", b->date);
    if (!b->compose || !b->recipient || !*b->recipient)
        return STORE_BOOKING_OK;
    char *message = b->compose(b->ctx, out);
    if (!message)
        return sq_fail(err, errsz, "booking: composing the confirmation failed");
    int queued = sq_outbox_add(s, conn, b->recipient, message, b->now);
    free(message);
    if (queued < 0)
        return sq_fail_db(conn, err, errsz, "queueing the confirmation");
    return STORE_BOOKING_OK;
}

static enum store_booking_result book_or_move(struct store *s, int64_t moved,
                                              const struct store_booking *b,
                                              struct store_appointment *out, char *err,
                                              size_t errsz)
{
    if (!booking_ok(b))
        return sq_fail(err, errsz, "booking: registration, unit, service, date or slot malformed");
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_BOOKING_ERROR;
    enum store_booking_result rc = STORE_BOOKING_OK;
    if (moved > 0) {
        int changed = sq_run(conn,
                             "UPDATE appointment SET status = 'cancelled', updated_at = ?"
                             " WHERE id = ? AND registration = ? AND status = 'booked'",
                             SQ_INT(b->now), SQ_INT(moved), SQ_TEXT(b->registration));
        rc = changed < 0    ? sq_fail_db(conn, err, errsz, "moving an appointment")
             : changed == 0 ? STORE_BOOKING_UNKNOWN
                            : STORE_BOOKING_OK;
    }
    if (rc == STORE_BOOKING_OK)
        rc = book_in(s, conn, b, out, err, errsz);
    if (rc == STORE_BOOKING_OK && sq_commit(conn, err, errsz) != 0)
        rc = STORE_BOOKING_ERROR;
    sq_release(s, conn); /* rolls back whatever did not commit */
    return rc;
}

enum store_booking_result store_appointment_book(struct store *s, const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz)
{
    return book_or_move(s, 0, b, out, err, errsz);
}

enum store_booking_result store_appointment_move(struct store *s, int64_t id,
                                                 const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz)
{
    return id > 0 ? book_or_move(s, id, b, out, err, errsz) : STORE_BOOKING_UNKNOWN;
}

int store_appointment_cancel(struct store *s, int64_t id, const char *registration, int64_t now,
                             char *err, size_t errsz)
{
    int changed = sq_write(s, "cancelling an appointment", err, errsz,
                           "UPDATE appointment SET status = 'cancelled', updated_at = ?"
                           " WHERE id = ? AND registration = ? AND status = 'booked'",
                           SQ_INT(now), SQ_INT(id), SQ_TEXT(registration));
    return changed < 0 ? -1 : changed > 0;
}

int store_appointment_get(struct store *s, int64_t id, const char *registration,
                          struct store_appointment *out, char *err, size_t errsz)
{
    return sq_select_appointments(s,
                                  "SELECT " SQ_APPOINTMENT_COLUMNS " FROM appointment"
                                  " WHERE id = ? AND registration = ?",
                                  SQ_VALUES(SQ_INT(id), SQ_TEXT(registration)), out, 1,
                                  "reading an appointment", err, errsz);
}

int store_appointment_list(struct store *s, const char *registration, const char *from_date,
                           struct store_appointment *out, int max, char *err, size_t errsz)
{
    return sq_select_appointments(s,
                                  "SELECT " SQ_APPOINTMENT_COLUMNS " FROM appointment"
                                  " WHERE registration = ? AND day >= ?"
                                  " ORDER BY day, slot_start, id",
                                  SQ_VALUES(SQ_TEXT(registration), SQ_TEXT(from_date)), out, max,
                                  "listing appointments", err, errsz);
}

int sq_read_appointments(struct sq_conn *c, struct sq_stmt *st, struct store_appointment *out,
                         int max, const char *what, char *err, size_t errsz)
{
    int count = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st), count++)
        if (count < max)
            sq_read_appointment(st, &out[count]);
    return row < 0 ? sq_fail_db(c, err, errsz, what) : count;
}

int sq_select_appointments(struct store *s, const char *sql, const struct sq_value *v, int n,
                           struct store_appointment *out, int max, const char *what, char *err,
                           size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int count =
        sq_read_appointments(conn, sq_query_values(conn, sql, v, n), out, max, what, err, errsz);
    sq_release(s, conn);
    return count;
}

int store_appointment_places(struct store *s, const char *clues, const char *date,
                             struct store_place *out, int max, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT slot_start, position FROM appointment"
                                  " WHERE clues = ? AND day = ? AND walk_in = 0 AND " LIVE
                                  " ORDER BY slot_start, position",
                                  SQ_TEXT(clues), SQ_TEXT(date));
    int count = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st), count++)
        if (count < max)
            out[count] = (struct store_place){sq_int(st, 0), sq_int(st, 1)};
    if (row < 0)
        count = sq_fail_db(conn, err, errsz, "reading a day's bookings");
    sq_release(s, conn);
    return count;
}

int store_schedule_get(struct store *s, const char *clues, struct store_schedule *out, char *err,
                       size_t errsz)
{
    *out = (struct store_schedule){STORE_SLOT_MINUTES_DEFAULT, STORE_CAPACITY_DEFAULT, ""};
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(
        conn, "SELECT slot_minutes, capacity, hours FROM facility_schedule WHERE clues = ?",
        SQ_TEXT(clues));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        out->slot_minutes = sq_int(st, 0);
        out->capacity = sq_int(st, 1);
        sq_copy_column(st, 2, out->hours, sizeof out->hours);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading a schedule");
    }
    sq_release(s, conn);
    return found;
}

int store_schedule_set(struct store *s, const char *clues, const struct store_schedule *sc,
                       int64_t now, char *err, size_t errsz)
{
    int changed = sq_write(s, "setting a schedule", err, errsz,
                           "INSERT INTO facility_schedule (clues, slot_minutes, capacity, hours,"
                           " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (clues) DO UPDATE SET"
                           " slot_minutes = excluded.slot_minutes, capacity = excluded.capacity,"
                           " hours = excluded.hours, updated_at = excluded.updated_at",
                           SQ_TEXT(clues), SQ_INT(sc->slot_minutes), SQ_INT(sc->capacity),
                           SQ_OPT_TEXT(sc->hours), SQ_INT(now));
    return changed < 0 ? -1 : 0;
}

int store_closed_day_set(struct store *s, const char *clues, const char *date, bool closed,
                         int64_t now, char *err, size_t errsz)
{
    int changed = closed ? sq_write(s, "closing a day", err, errsz,
                                    "INSERT INTO closed_day (clues, day, recorded_at)"
                                    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                    SQ_TEXT(clues), SQ_TEXT(date), SQ_INT(now))
                         : sq_write(s, "opening a day", err, errsz,
                                    "DELETE FROM closed_day WHERE clues = ? AND day = ?",
                                    SQ_TEXT(clues), SQ_TEXT(date));
    return changed < 0 ? -1 : 0;
}

int store_closed_day_get(struct store *s, const char *clues, const char *date, char *err,
                         size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn, "SELECT 1 FROM closed_day WHERE clues = ? AND day = ?",
                                  SQ_TEXT(clues), SQ_TEXT(date));
    int found = st ? sq_row(st) : -1;
    if (found < 0)
        sq_fail_db(conn, err, errsz, "reading the closed days");
    sq_release(s, conn);
    return found;
}
