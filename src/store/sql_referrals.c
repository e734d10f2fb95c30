/* store.h referrals and socioeconomic studies: each change is one write
 * transaction holding the rules' check (care/referral.h) against the row as it is,
 * the new state, its event and its audit record. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

#define REFERRAL_COLUMNS                                                                           \
    "id, public_id, registration, from_unit, to_unit, to_level, reason, cie10, urgency, state,"    \
    " scheduled_date, scheduled_time, rejection_reason, created_by, created_at, updated_at,"       \
    " emergency"

static void read_referral(struct sq_stmt *st, struct store_referral *r)
{
    char text[16];
    memset(r, 0, sizeof *r);
    r->id = sq_int64(st, 0);
    sq_copy_column(st, 1, r->public_id, sizeof r->public_id);
    sq_copy_column(st, 2, r->registration, sizeof r->registration);
    sq_copy_column(st, 3, r->from_unit, sizeof r->from_unit);
    sq_copy_column(st, 4, r->to_unit, sizeof r->to_unit);
    r->to_level = sq_int(st, 5);
    sq_copy_column(st, 6, r->reason, sizeof r->reason);
    sq_copy_column(st, 7, r->cie10, sizeof r->cie10);
    sq_copy_column(st, 8, text, sizeof text);
    (void)referral_urgency_parse(text, &r->urgency); /* the schema allows no other */
    sq_copy_column(st, 9, text, sizeof text);
    (void)referral_state_parse(text, &r->state);
    sq_copy_column(st, 10, r->scheduled_date, sizeof r->scheduled_date);
    sq_copy_column(st, 11, r->scheduled_time, sizeof r->scheduled_time);
    sq_copy_column(st, 12, r->rejection_reason, sizeof r->rejection_reason);
    r->created_by = sq_int64(st, 13);
    r->created_at = sq_int64(st, 14);
    r->updated_at = sq_int64(st, 15);
    sq_copy_column(st, 16, r->emergency, sizeof r->emergency);
}

static int add_event(struct sq_conn *conn, int64_t referral, enum referral_state state, int64_t at,
                     int64_t staff, const char *note)
{
    return sq_run(conn,
                  "INSERT INTO referral_event (referral, state, at, staff, note)"
                  " VALUES (?, ?, ?, ?, ?)",
                  SQ_INT(referral), SQ_TEXT(referral_state_name(state)), SQ_INT(at), SQ_INT(staff),
                  SQ_OPT_TEXT(note)) == 1
               ? 0
               : -1;
}

int store_referral_create(struct store *s, struct store_referral *r,
                          struct store_audit_record *audit, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    int result = -1;
    if (!conn)
        return -1;
    struct sq_stmt *taken =
        sq_query(conn, "SELECT 1 FROM referral WHERE public_id = ?", SQ_TEXT(r->public_id));
    int row = taken ? sq_row(taken) : -1;
    if (row != 0) {
        result = row == 1 ? 0 : sq_fail_db(conn, err, errsz, "referral");
        goto done;
    }
    r->id =
        sq_insert(conn,
                  "INSERT INTO referral (public_id, registration, from_unit, to_unit, to_level,"
                  " reason, cie10, urgency, state, created_by, created_at, updated_at, emergency)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?, ?) RETURNING id",
                  SQ_TEXT(r->public_id), SQ_TEXT(r->registration), SQ_TEXT(r->from_unit),
                  SQ_TEXT(r->to_unit), SQ_INT(r->to_level), SQ_TEXT(r->reason), SQ_TEXT(r->cie10),
                  SQ_TEXT(referral_urgency_name(r->urgency)), SQ_INT(r->created_by),
                  SQ_INT(r->created_at), SQ_INT(r->created_at), SQ_OPT_TEXT(r->emergency));
    if (r->id < 0) {
        sq_fail_db(conn, err, errsz, "creating a referral");
        goto done;
    }
    r->state = REFERRAL_REQUESTED;
    r->updated_at = r->created_at;
    if (add_event(conn, r->id, REFERRAL_REQUESTED, r->created_at, r->created_by, NULL) < 0 ||
        sq_audit_append(conn, audit) < 0) {
        sq_fail_db(conn, err, errsz, "creating a referral");
        goto done;
    }
    result = sq_commit(conn, err, errsz) == 0 ? 1 : -1;
done:
    sq_release(s, conn);
    return result;
}

static int get_in(struct sq_conn *conn, const char *public_id, struct store_referral *out)
{
    struct sq_stmt *st = sq_query(
        conn, "SELECT " REFERRAL_COLUMNS " FROM referral WHERE public_id = ?", SQ_TEXT(public_id));
    int row = st ? sq_row(st) : -1;
    if (row == 1)
        read_referral(st, out);
    return row;
}

int store_referral_get(struct store *s, const char *public_id, struct store_referral *out,
                       char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int row = get_in(conn, public_id, out);
    if (row < 0)
        sq_fail_db(conn, err, errsz, "reading a referral");
    sq_release(s, conn);
    return row;
}

long store_referral_each(struct store *s, enum store_referral_list list, const char *key, int limit,
                         int (*each)(void *ctx, const struct store_referral *r), void *ctx,
                         char *err, size_t errsz)
{
    static const char *const sql[] = {
        [STORE_REFERRALS_OUTGOING] = "SELECT " REFERRAL_COLUMNS " FROM referral WHERE from_unit"
                                     " = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        [STORE_REFERRALS_INCOMING] = "SELECT " REFERRAL_COLUMNS " FROM referral WHERE to_unit"
                                     " = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        [STORE_REFERRALS_OF_PERSON] = "SELECT " REFERRAL_COLUMNS " FROM referral WHERE"
                                      " registration = ? ORDER BY created_at DESC, id DESC LIMIT ?",
    };
    if ((unsigned)list > STORE_REFERRALS_OF_PERSON)
        return sq_fail(err, errsz, "referrals: unknown list");
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    long n = 0;
    struct store_referral r;
    struct sq_stmt *st = sq_query(conn, sql[list], SQ_TEXT(key), SQ_INT(limit));
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        read_referral(st, &r);
        n++;
        if (each(ctx, &r) != 0) {
            row = 0;
            break;
        }
    }
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "listing referrals");
    sq_release(s, conn);
    return n;
}

long store_referral_events(struct store *s, int64_t referral,
                           int (*each)(void *ctx, const struct store_referral_event *e), void *ctx,
                           char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    long n = 0;
    char state[16];
    struct store_referral_event e;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT e.at, e.state, e.staff, s.role, s.unit, e.note"
                                  " FROM referral_event e JOIN staff s ON s.id = e.staff"
                                  " WHERE e.referral = ? ORDER BY e.id",
                                  SQ_INT(referral));
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        memset(&e, 0, sizeof e);
        e.at = sq_int64(st, 0);
        sq_copy_column(st, 1, state, sizeof state);
        (void)referral_state_parse(state, &e.state);
        e.staff = sq_int64(st, 2);
        sq_copy_column(st, 3, e.role, sizeof e.role);
        sq_copy_column(st, 4, e.unit, sizeof e.unit);
        sq_copy_column(st, 5, e.note, sizeof e.note);
        n++;
        if (each(ctx, &e) != 0) {
            row = 0;
            break;
        }
    }
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "listing referral events");
    sq_release(s, conn);
    return n;
}

/* 1 when the person has a study at unit, 0 when not, -1 on error. */
static int has_study(struct sq_conn *conn, const char *registration, const char *unit)
{
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT 1 FROM socioeconomic_study WHERE registration = ?"
                                  " AND unit = ? LIMIT 1",
                                  SQ_TEXT(registration), SQ_TEXT(unit));
    return st ? sq_row(st) : -1;
}

static bool present(const char *s)
{
    return s && *s;
}

int store_referral_change(struct store *s, const struct store_referral_change *c,
                          struct store_audit_record *audit, enum referral_verdict *verdict,
                          struct store_referral *out, char *err, size_t errsz)
{
    struct store_referral r;
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    int result = -1;
    if (!conn)
        return -1;
    int row = get_in(conn, c->public_id, &r);
    if (row != 1) {
        result = row == 0 ? 0 : sq_fail_db(conn, err, errsz, "reading a referral");
        goto done;
    }
    int study = c->to == REFERRAL_ATTENDED ? has_study(conn, r.registration, r.to_unit) : 0;
    if (study < 0) {
        sq_fail_db(conn, err, errsz, "reading the studies");
        goto done;
    }
    struct referral_change facts = {
        .role = c->role,
        .at_referring_unit = present(c->unit) && strcmp(c->unit, r.from_unit) == 0,
        .at_receiving_unit = present(c->unit) && strcmp(c->unit, r.to_unit) == 0,
        .to_level = r.to_level,
        .has_note = present(c->note),
        .has_schedule = present(c->date) && present(c->time),
        .study_recorded = study == 1,
    };
    *verdict = referral_may_change(r.state, c->to, &facts);
    if (*verdict != REFERRAL_ALLOWED) {
        result = 1;
        goto done;
    }
    bool scheduling = c->to == REFERRAL_SCHEDULED, rejecting = c->to == REFERRAL_REJECTED;
    if (sq_run(conn,
               "UPDATE referral SET state = ?, updated_at = ?,"
               " scheduled_date = CASE WHEN ? <> 0 THEN ? ELSE scheduled_date END,"
               " scheduled_time = CASE WHEN ? <> 0 THEN ? ELSE scheduled_time END,"
               " rejection_reason = CASE WHEN ? <> 0 THEN ? ELSE rejection_reason END WHERE id = ?",
               SQ_TEXT(referral_state_name(c->to)), SQ_INT(c->now), SQ_INT(scheduling),
               SQ_OPT_TEXT(scheduling ? c->date : NULL), SQ_INT(scheduling),
               SQ_OPT_TEXT(scheduling ? c->time : NULL), SQ_INT(rejecting),
               SQ_OPT_TEXT(rejecting ? c->note : NULL), SQ_INT(r.id)) != 1 ||
        add_event(conn, r.id, c->to, c->now, c->staff, c->note) < 0 ||
        sq_audit_append(conn, audit) < 0) {
        sq_fail_db(conn, err, errsz, "changing a referral");
        goto done;
    }
    if (out && get_in(conn, c->public_id, out) != 1) {
        sq_fail_db(conn, err, errsz, "reading a referral");
        goto done;
    }
    result = sq_commit(conn, err, errsz) == 0 ? 1 : -1;
done:
    sq_release(s, conn);
    return result;
}

int store_study_record(struct store *s, struct store_study *st, struct store_audit_record *audit,
                       char *err, size_t errsz)
{
    if (!study_fee_valid(st->outcome, st->fee_centavos))
        return sq_fail(err, errsz, "study: fee_centavos does not go with outcome %s",
                       study_outcome_name(st->outcome));
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    int result = -1;
    if (!conn)
        return -1;
    st->id = sq_insert(conn,
                       "INSERT INTO socioeconomic_study (registration, unit, social_worker,"
                       " outcome, fee_centavos, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                       " RETURNING id",
                       SQ_TEXT(st->registration), SQ_TEXT(st->unit), SQ_INT(st->social_worker),
                       SQ_TEXT(study_outcome_name(st->outcome)), SQ_INT(st->fee_centavos),
                       SQ_OPT_TEXT(st->note), SQ_INT(st->at));
    if (st->id < 0) {
        sq_fail_db(conn, err, errsz, "recording a study");
        goto done;
    }
    if (sq_audit_append(conn, audit) < 0) {
        sq_fail_db(conn, err, errsz, "recording a study");
        goto done;
    }
    result = sq_commit(conn, err, errsz);
done:
    sq_release(s, conn);
    return result;
}

int store_study_latest(struct store *s, const char *registration, const char *unit,
                       struct store_study *out, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    char outcome[16];
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id, social_worker, outcome, fee_centavos, note, at"
                                  " FROM socioeconomic_study WHERE registration = ? AND unit = ?"
                                  " ORDER BY at DESC, id DESC LIMIT 1",
                                  SQ_TEXT(registration), SQ_TEXT(unit));
    int row = st ? sq_row(st) : -1;
    if (row == 1) {
        memset(out, 0, sizeof *out);
        out->id = sq_int64(st, 0);
        snprintf(out->registration, sizeof out->registration, "%s", registration);
        snprintf(out->unit, sizeof out->unit, "%s", unit);
        out->social_worker = sq_int64(st, 1);
        sq_copy_column(st, 2, outcome, sizeof outcome);
        (void)study_outcome_parse(outcome, &out->outcome);
        out->fee_centavos = sq_int64(st, 3);
        sq_copy_column(st, 4, out->note, sizeof out->note);
        out->at = sq_int64(st, 5);
    } else if (row < 0)
        sq_fail_db(conn, err, errsz, "reading the studies");
    sq_release(s, conn);
    return row;
}
