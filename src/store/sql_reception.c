/* store.h reception: check-in, the unit's day, status changes and the
 * reminders of the day before. Each write is one BEGIN IMMEDIATE transaction, so
 * the turn of the day (max + 1 under the write lock, backed by a unique index)
 * cannot be handed out twice, and an audit record commits with its change. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The appointment of registration checked in at clues on date and still there
 * (arrived or in consultation), else its booking of that day: 1 (out), 0, -1. */
static int find_today(struct sq_conn *conn, const char *registration, const char *clues,
                      const char *date, const char *status, struct store_appointment *out)
{
    struct sq_stmt *st = sq_query(
        conn,
        "SELECT " SQ_APPOINTMENT_COLUMNS " FROM appointment"
        " WHERE registration = ? AND clues = ? AND day = ?"
        " AND (status = ? OR (? = 'arrived' AND status = 'in_consultation'))"
        " ORDER BY id LIMIT 1",
        SQ_TEXT(registration), SQ_TEXT(clues), SQ_TEXT(date), SQ_TEXT(status), SQ_TEXT(status));
    return sq_read_appointments(conn, st, out, 1, "reading today's appointment", NULL, 0);
}

/* The unit's next turn of date: 1 + the highest given, or -1. */
static int next_turn(struct sq_conn *conn, const char *clues, const char *date)
{
    struct sq_stmt *st = sq_query(
        conn, "SELECT coalesce(max(turn), 0) + 1 FROM appointment WHERE clues = ? AND day = ?",
        SQ_TEXT(clues), SQ_TEXT(date));
    return st && sq_row(st) == 1 ? sq_int(st, 0) : -1;
}

/* Inside the transaction: the check-in itself, without the audit record. */
static enum store_checkin_result checkin_in(struct sq_conn *conn, const char *registration,
                                            const char *clues, const char *date, int64_t now,
                                            struct store_appointment *out, char *err, size_t errsz)
{
    int found = find_today(conn, registration, clues, date, "arrived", out);
    if (found != 0)
        return found < 0 ? sq_fail_db(conn, err, errsz, "reading today's check-in")
                         : STORE_CHECKIN_ALREADY;
    int turn = next_turn(conn, clues, date);
    if (turn < 1)
        return sq_fail_db(conn, err, errsz, "numbering the turn");
    found = find_today(conn, registration, clues, date, "booked", out);
    if (found < 0)
        return sq_fail_db(conn, err, errsz, "reading today's booking");
    if (found == 1) {
        if (sq_run(conn,
                   "UPDATE appointment SET status = 'arrived', turn = ?, arrived_at = ?,"
                   " updated_at = ? WHERE id = ? AND status = 'booked'",
                   SQ_INT(turn), SQ_INT(now), SQ_INT(now), SQ_INT(out->id)) != 1)
            return sq_fail_db(conn, err, errsz, "checking a booking in");
        out->status = STORE_APPT_ARRIVED;
        out->turn = turn;
        out->arrived_at = out->updated_at = now;
        return STORE_CHECKIN_ARRIVED;
    }
    int64_t id = sq_insert(conn,
                           "INSERT INTO appointment (registration, clues, service, day, walk_in,"
                           " status, turn, arrived_at, created_at, updated_at)"
                           " VALUES (?, ?, 'consulta', ?, 1, 'arrived', ?, ?, ?, ?) RETURNING id",
                           SQ_TEXT(registration), SQ_TEXT(clues), SQ_TEXT(date), SQ_INT(turn),
                           SQ_INT(now), SQ_INT(now), SQ_INT(now));
    if (id < 0)
        return sq_fail_db(conn, err, errsz, "checking a walk-in in");
    *out = (struct store_appointment){.id = id,
                                      .status = STORE_APPT_ARRIVED,
                                      .walk_in = true,
                                      .turn = turn,
                                      .arrived_at = now,
                                      .created_at = now,
                                      .updated_at = now};
    snprintf(out->registration, sizeof out->registration, "%s", registration);
    snprintf(out->clues, sizeof out->clues, "%s", clues);
    snprintf(out->service, sizeof out->service, "consulta");
    snprintf(out->date, sizeof out->date, "%s", date);
    return STORE_CHECKIN_WALK_IN;
}

enum store_checkin_result store_appointment_checkin(struct store *s, const char *registration,
                                                    const char *clues, const char *date,
                                                    int64_t now, struct store_audit_record *audit,
                                                    struct store_appointment *out, char *err,
                                                    size_t errsz)
{
    if (!registration || strlen(registration) != STORE_ID_LEN || !clues || strlen(clues) != 11 ||
        !date || strlen(date) != 10)
        return sq_fail(err, errsz, "check-in: registration, unit or date malformed");
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_CHECKIN_ERROR;
    enum store_checkin_result rc =
        checkin_in(conn, registration, clues, date, now, out, err, errsz);
    if (rc != STORE_CHECKIN_ERROR && audit && sq_audit_append(conn, audit) != 0)
        rc = sq_fail_db(conn, err, errsz, "auditing a check-in");
    if (rc != STORE_CHECKIN_ERROR && sq_commit(conn, err, errsz) != 0)
        rc = STORE_CHECKIN_ERROR;
    sq_release(s, conn);
    return rc;
}

int store_appointment_at_unit(struct store *s, int64_t id, const char *clues,
                              struct store_appointment *out, char *err, size_t errsz)
{
    return sq_select_appointments(s,
                                  "SELECT " SQ_APPOINTMENT_COLUMNS " FROM appointment"
                                  " WHERE id = ? AND clues = ?",
                                  SQ_VALUES(SQ_INT(id), SQ_TEXT(clues)), out, 1,
                                  "reading an appointment", err, errsz);
}

int store_appointment_set_status(struct store *s, int64_t id, const char *clues,
                                 enum store_appointment_status from,
                                 enum store_appointment_status to, int64_t now,
                                 struct store_audit_record *audit, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int changed = sq_run(conn,
                         "UPDATE appointment SET status = ?, updated_at = ?"
                         " WHERE id = ? AND clues = ? AND status = ?",
                         SQ_TEXT(store_appointment_status_name(to)), SQ_INT(now), SQ_INT(id),
                         SQ_TEXT(clues), SQ_TEXT(store_appointment_status_name(from)));
    if (changed < 0)
        changed = sq_fail_db(conn, err, errsz, "changing an appointment's status");
    else if (changed == 1 && audit && sq_audit_append(conn, audit) != 0)
        changed = sq_fail_db(conn, err, errsz, "auditing a status change");
    if (changed == 1 && sq_commit(conn, err, errsz) != 0)
        changed = -1;
    sq_release(s, conn);
    return changed;
}

int store_appointment_day_list(struct store *s, const char *clues, const char *date,
                               struct store_appointment *out, int max, char *err, size_t errsz)
{
    return sq_select_appointments(s,
                                  "SELECT " SQ_APPOINTMENT_COLUMNS " FROM appointment"
                                  " WHERE clues = ? AND day = ? AND status <> 'cancelled'"
                                  " ORDER BY turn IS NULL, turn, slot_start, position, id",
                                  SQ_VALUES(SQ_TEXT(clues), SQ_TEXT(date)), out, max,
                                  "listing the unit's day", err, errsz);
}

/* Inside the transaction: queues up to max reminders of date; how many, or -1. */
static int remind_in(struct store *s, struct sq_conn *conn, const char *date, int64_t now, int max,
                     char *(*compose)(void *ctx, const struct store_reminder *r), void *ctx,
                     char *err, size_t errsz)
{
    /* Read the batch first: the statements below must not reset this one. */
    struct store_reminder *batch = calloc((size_t)max, sizeof *batch);
    if (!batch)
        return sq_fail(err, errsz, "reminders: out of memory");
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT " SQ_APPOINTMENT_COLUMNS ","
                 " (SELECT email FROM registration WHERE id = appointment.registration),"
                 " (SELECT language FROM consent WHERE registration = appointment.registration"
                 "  ORDER BY rowid DESC LIMIT 1)"
                 " FROM appointment WHERE day = ? AND status = 'booked' AND reminded_at IS NULL"
                 " AND (SELECT coalesce(email, '') FROM registration"
                 "      WHERE id = appointment.registration AND status = 1) <> ''"
                 " ORDER BY id LIMIT ?",
                 SQ_TEXT(date), SQ_INT(max));
    int n = 0, row = st ? sq_row(st) : -1;
    for (; row == 1 && n < max; row = sq_row(st), n++) {
        sq_read_appointment(st, &batch[n].appointment);
        sq_copy_column(st, 16, batch[n].email, sizeof batch[n].email);
        sq_copy_column(st, 17, batch[n].language, sizeof batch[n].language);
        if (strcmp(batch[n].language, "en") != 0)
            snprintf(batch[n].language, sizeof batch[n].language, "es");
    }
    int queued = row < 0 ? sq_fail_db(conn, err, errsz, "reading tomorrow's bookings") : 0;
    for (int i = 0; queued >= 0 && i < n; i++) {
        char *message = compose(ctx, &batch[i]);
        if (!message)
            continue;
        int ok = sq_outbox_add(s, conn, batch[i].email, message, now) == 0 &&
                 sq_run(conn, "UPDATE appointment SET reminded_at = ? WHERE id = ?", SQ_INT(now),
                        SQ_INT(batch[i].appointment.id)) == 1;
        free(message);
        queued = ok ? queued + 1 : sq_fail_db(conn, err, errsz, "queueing a reminder");
    }
    free(batch);
    return queued;
}

int store_appointment_remind(struct store *s, const char *date, int64_t now, int max,
                             char *(*compose)(void *ctx, const struct store_reminder *r), void *ctx,
                             char *err, size_t errsz)
{
    if (!date || strlen(date) != 10 || max < 1 || max > 10000 || !compose)
        return sq_fail(err, errsz, "reminders: date, batch size or composer malformed");
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int queued = remind_in(s, conn, date, now, max, compose, ctx, err, errsz);
    if (queued > 0 && sq_commit(conn, err, errsz) != 0)
        queued = -1;
    sq_release(s, conn);
    return queued;
}

/* Whether staff already has a record of action on subject at or after since: 1,
 * 0, or -1 (the reason in the connection). */
static int audited_since(struct sq_conn *conn, const struct store_audit_record *r, int64_t since)
{
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT 1 FROM audit WHERE subject = ? AND action = ?"
                 " AND staff = ? AND at >= ? LIMIT 1",
                 SQ_TEXT(r->subject), SQ_TEXT(r->action), SQ_INT(r->staff), SQ_INT(since));
    return st ? sq_row(st) : -1;
}

int store_audit_append_since(struct store *s, struct store_audit_record *r, int64_t since,
                             char *err, size_t errsz)
{
    /* Mostly there already (a list reloaded all day): look without the write
     * lock first, then again under it before appending. */
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int found = audited_since(conn, r, since);
    if (found < 0)
        sq_fail_db(conn, err, errsz, "reading the audit log");
    sq_release(s, conn);
    if (found != 0)
        return found < 0 ? -1 : 0;
    if (!(conn = sq_acquire_write(s, err, errsz)))
        return -1;
    found = audited_since(conn, r, since);
    int rc = found == 1 ? 0 : -1;
    if (found < 0)
        sq_fail_db(conn, err, errsz, "reading the audit log");
    else if (found == 0 && sq_audit_append(conn, r) != 0)
        sq_fail_db(conn, err, errsz, "appending to the audit log");
    else if (found == 0)
        rc = sq_commit(conn, err, errsz) == 0 ? 1 : -1;
    sq_release(s, conn);
    return rc;
}
