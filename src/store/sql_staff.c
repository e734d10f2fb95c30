/*
 * store.h staff accounts, staff sessions, the desk's person lookup and the
 * hash-chained audit log. The audit table refuses UPDATE and DELETE
 * (triggers); appends take the write lock, so seq and prev_hash never race.
 */
#include "store/sql_internal.h"

#include "store/audit_chain.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define STAFF_COLUMNS                                                                              \
    "id, email, role, unit, state, password_hash IS NOT NULL, created_at, disabled_at"

static void read_staff(struct sq_stmt *st, struct store_staff *out)
{
    memset(out, 0, sizeof *out);
    out->id = sq_int64(st, 0);
    sq_copy_column(st, 1, out->email, sizeof out->email);
    sq_copy_column(st, 2, out->role, sizeof out->role);
    sq_copy_column(st, 3, out->unit, sizeof out->unit);
    out->state = sq_int(st, 4);
    out->password_set = sq_int(st, 5) != 0;
    out->created_at = sq_int64(st, 6);
    out->disabled_at = sq_int64(st, 7);
}

int store_staff_add(struct store *s, const struct store_staff *st,
                    const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                    const char *message, int64_t now, int64_t *id, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    struct sq_stmt *taken =
        sq_query(conn, "SELECT 1 FROM staff WHERE email = ? COLLATE NOCASE", SQ_TEXT(st->email));
    int row = taken ? sq_row(taken) : -1;
    if (row != 0) {
        result = row == 1 ? 0 : sq_fail_db(conn, err, errsz, "adding a staff account");
        goto done;
    }
    *id = sq_insert(conn,
                    "INSERT INTO staff (email, role, unit, state, created_at)"
                    " VALUES (?, ?, ?, NULLIF(?, 0), ?) RETURNING id",
                    SQ_TEXT(st->email), SQ_TEXT(st->role), SQ_OPT_TEXT(st->unit), SQ_INT(st->state),
                    SQ_INT(now));
    if (*id < 0) {
        sq_fail_db(conn, err, errsz, "adding a staff account");
        goto done;
    }
    if (sq_run(conn, "INSERT INTO staff_code (staff, code_hash, expires_at) VALUES (?, ?, ?)",
               SQ_INT(*id), SQ_HASH(code_hash), SQ_INT(code_expires)) < 0 ||
        sq_outbox_add(s, conn, st->email, message, now) < 0) {
        sq_fail_db(conn, err, errsz, "adding a staff account");
        goto done;
    }
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
done:
    sq_release(s, conn);
    return result;
}

/* The enabled account of email on conn: 1 (*id, and to when not NULL, filled), 0
 * (none), -1 (the reason in sq_errmsg). */
static int enabled_staff(struct sq_conn *conn, const char *email, int64_t *id, char to[255])
{
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id, email FROM staff"
                                  " WHERE email = ? COLLATE NOCASE AND disabled_at IS NULL",
                                  SQ_TEXT(email));
    int row = st ? sq_row(st) : -1;
    if (row == 1) {
        *id = sq_int64(st, 0);
        if (to)
            sq_copy_column(st, 1, to, 255);
    }
    return row;
}

int store_staff_new_code(struct store *s, const char *email,
                         const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                         const char *message, int64_t now, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    int64_t id = 0;
    char to[255];
    int row = enabled_staff(conn, email, &id, to);
    if (row <= 0) {
        result = row == 0 ? 0 : sq_fail_db(conn, err, errsz, "a staff code");
        goto done;
    }
    if (sq_run(conn,
               "INSERT INTO staff_code (staff, code_hash, expires_at, attempts)"
               " VALUES (?, ?, ?, 0) ON CONFLICT (staff) DO UPDATE SET"
               " code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0",
               SQ_INT(id), SQ_HASH(code_hash), SQ_INT(code_expires)) < 0 ||
        sq_outbox_add(s, conn, to, message, now) < 0) {
        sq_fail_db(conn, err, errsz, "a staff code");
        goto done;
    }
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
done:
    sq_release(s, conn);
    return result;
}

int store_staff_find(struct store *s, const char *email, struct store_staff *out,
                     char password_hash[128], char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(
        conn, "SELECT " STAFF_COLUMNS ", password_hash FROM staff WHERE email = ? COLLATE NOCASE",
        SQ_TEXT(email));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        read_staff(st, out);
        sq_copy_column(st, 8, password_hash, 128);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "finding a staff account");
    }
    sq_release(s, conn);
    return found;
}

int store_staff_get(struct store *s, int64_t id, struct store_staff *out, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT " STAFF_COLUMNS " FROM staff WHERE id = ?", SQ_INT(id));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        read_staff(st, out);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "reading a staff account");
    sq_release(s, conn);
    return found;
}

long store_staff_each(struct store *s, int (*each)(void *ctx, const struct store_staff *st),
                      void *ctx, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_prepare(conn, "SELECT " STAFF_COLUMNS " FROM staff ORDER BY id");
    long n = 0;
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        struct store_staff one;
        read_staff(st, &one);
        n++;
        if (each(ctx, &one) != 0)
            break;
    }
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "listing staff");
    sq_release(s, conn);
    return n;
}

int store_staff_disable(struct store *s, const char *email, int64_t now, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    int64_t id = 0;
    int row = enabled_staff(conn, email, &id, NULL);
    if (row <= 0) {
        result = row == 0 ? 0 : sq_fail_db(conn, err, errsz, "disabling a staff account");
        goto done;
    }
    if (sq_run(conn, "UPDATE staff SET disabled_at = ? WHERE id = ?", SQ_INT(now), SQ_INT(id)) <
            0 ||
        sq_run(conn, "DELETE FROM staff_session WHERE staff = ?", SQ_INT(id)) < 0 ||
        sq_run(conn, "DELETE FROM staff_code WHERE staff = ?", SQ_INT(id)) < 0) {
        sq_fail_db(conn, err, errsz, "disabling a staff account");
        goto done;
    }
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
done:
    sq_release(s, conn);
    return result;
}

enum store_code_result store_staff_set_password(struct store *s, const char *email,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const char *password_hash, int max_attempts,
                                                int64_t now, int *attempts_left, char *err,
                                                size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_CODE_ERROR;
    enum store_code_result result = STORE_CODE_ERROR;
    *attempts_left = 0;
    struct sq_stmt *get = sq_query(conn,
                                   "SELECT c.staff, c.code_hash, c.expires_at, c.attempts"
                                   " FROM staff_code c JOIN staff s ON s.id = c.staff"
                                   " WHERE s.email = ? COLLATE NOCASE AND s.disabled_at IS NULL",
                                   SQ_TEXT(email));
    int row = get ? sq_row(get) : -1;
    if (row <= 0) {
        if (row == 0)
            result = STORE_CODE_NONE;
        else
            sq_fail_db(conn, err, errsz, "a staff code");
        goto done;
    }
    int64_t id = sq_int64(get, 0), expires_at = sq_int64(get, 2);
    int attempts = sq_int(get, 3);
    bool match = sq_bytes(get, 1) == STORE_TOKEN_HASH_LEN &&
                 sodium_memcmp(sq_blob(get, 1), code_hash, STORE_TOKEN_HASH_LEN) == 0;
    if (attempts >= max_attempts) {
        result = STORE_CODE_EXHAUSTED;
        goto done;
    }
    if (now >= expires_at) {
        result = STORE_CODE_EXPIRED;
        goto done;
    }
    int changed;
    if (match)
        changed = sq_run(conn, "UPDATE staff SET password_hash = ? WHERE id = ?",
                         SQ_TEXT(password_hash), SQ_INT(id)) < 0 ||
                          sq_run(conn, "DELETE FROM staff_code WHERE staff = ?", SQ_INT(id)) < 0 ||
                          sq_run(conn, "DELETE FROM staff_session WHERE staff = ?", SQ_INT(id)) < 0
                      ? -1
                      : 0;
    else
        changed = sq_run(conn, "UPDATE staff_code SET attempts = attempts + 1 WHERE staff = ?",
                         SQ_INT(id));
    if (changed < 0) {
        sq_fail_db(conn, err, errsz, "a staff code");
        goto done;
    }
    if (sq_commit(conn, err, errsz) != 0)
        goto done;
    if (match) {
        result = STORE_CODE_OK;
    } else {
        *attempts_left = max_attempts - attempts - 1;
        result = *attempts_left > 0 ? STORE_CODE_WRONG : STORE_CODE_EXHAUSTED;
    }
done:
    sq_release(s, conn);
    return result;
}

int store_staff_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               int64_t staff, int64_t now, int64_t expires_at, char *err,
                               size_t errsz)
{
    int n = sq_write(s, "staff sessions", err, errsz,
                     "INSERT INTO staff_session (token_hash, staff, created_at, expires_at)"
                     " VALUES (?, ?, ?, ?)",
                     SQ_HASH(token_hash), SQ_INT(staff), SQ_INT(now), SQ_INT(expires_at));
    return n < 0 ? -1 : 0;
}

int store_staff_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                             int64_t now, int64_t *staff, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT s.staff FROM staff_session s JOIN staff a ON a.id = s.staff"
                 " WHERE s.token_hash = ? AND s.expires_at > ?"
                 " AND a.disabled_at IS NULL",
                 SQ_HASH(token_hash), SQ_INT(now));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        *staff = sq_int64(st, 0);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "staff sessions");
    sq_release(s, conn);
    return found;
}

int store_staff_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               char *err, size_t errsz)
{
    int n = sq_write(s, "staff sessions", err, errsz,
                     "DELETE FROM staff_session WHERE token_hash = ?", SQ_HASH(token_hash));
    return n < 0 ? -1 : n > 0;
}

int store_person_find(struct store *s, const char *key, char id[STORE_ID_LEN + 1], char *err,
                      size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* Two index lookups (the folio is UNIQUE, active CURPs are unique). */
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id FROM registration WHERE status = 1 AND curp = ?1"
                                  " UNION ALL SELECT id FROM registration"
                                  " WHERE status = 1 AND folio = ?1 LIMIT 1",
                                  SQ_TEXT(key));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        sq_copy_column(st, 0, id, STORE_ID_LEN + 1);
    else if (found < 0)
        sq_fail_db(conn, err, errsz, "finding a person");
    sq_release(s, conn);
    return found;
}

int sq_audit_append(struct sq_conn *conn, struct store_audit_record *r)
{
    struct sq_stmt *last =
        sq_prepare(conn, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    int row = last ? sq_row(last) : -1;
    if (row < 0)
        return -1;
    memset(r->prev_hash, 0, sizeof r->prev_hash);
    r->seq = 1;
    if (row == 1) {
        r->seq = sq_int64(last, 0) + 1;
        if (sq_bytes(last, 1) == STORE_TOKEN_HASH_LEN)
            memcpy(r->prev_hash, sq_blob(last, 1), STORE_TOKEN_HASH_LEN);
    }
    if (audit_chain_hash(r, r->hash) != 0)
        return -1;
    return sq_run(conn,
                  "INSERT INTO audit (seq, at, staff, role, unit, action, subject, client,"
                  " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  SQ_INT(r->seq), SQ_INT(r->at), SQ_INT(r->staff), SQ_TEXT(r->role),
                  SQ_TEXT(r->unit), SQ_TEXT(r->action), SQ_TEXT(r->subject), SQ_TEXT(r->client),
                  SQ_HASH(r->prev_hash), SQ_HASH(r->hash)) < 0
               ? -1
               : 0;
}

int store_audit_append(struct store *s, struct store_audit_record *r, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = sq_audit_append(conn, r) == 0 ? sq_commit(conn, err, errsz)
                                               : sq_fail_db(conn, err, errsz, "audit log");
    sq_release(s, conn);
    return result;
}

static void read_audit(struct sq_stmt *st, struct store_audit_record *r)
{
    memset(r, 0, sizeof *r);
    r->seq = sq_int64(st, 0);
    r->at = sq_int64(st, 1);
    r->staff = sq_int64(st, 2);
    sq_copy_column(st, 3, r->role, sizeof r->role);
    sq_copy_column(st, 4, r->unit, sizeof r->unit);
    sq_copy_column(st, 5, r->action, sizeof r->action);
    sq_copy_column(st, 6, r->subject, sizeof r->subject);
    sq_copy_column(st, 7, r->client, sizeof r->client);
    /* A hash of the wrong size stays zeros: the verifier reports it. */
    if (sq_bytes(st, 8) == STORE_TOKEN_HASH_LEN)
        memcpy(r->prev_hash, sq_blob(st, 8), STORE_TOKEN_HASH_LEN);
    if (sq_bytes(st, 9) == STORE_TOKEN_HASH_LEN)
        memcpy(r->hash, sq_blob(st, 9), STORE_TOKEN_HASH_LEN);
    sq_copy_column(st, 10, r->staff_email, sizeof r->staff_email);
}

long store_audit_each(struct store *s, const char *subject,
                      int (*each)(void *ctx, const struct store_audit_record *r), void *ctx,
                      char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* A stream: the whole log is read at constant memory, in one snapshot. */
    struct sq_stmt *st = NULL;
    if (sq_begin_read(conn, err, errsz) == 0)
        st = sq_stream_query(conn,
                             "SELECT a.seq, a.at, a.staff, a.role, a.unit, a.action, a.subject,"
                             " a.client, a.prev_hash, a.hash, s.email"
                             " FROM audit a LEFT JOIN staff s ON s.id = a.staff"
                             " WHERE CAST(?1 AS TEXT) IS NULL OR a.subject = ?1 ORDER BY a.seq",
                             SQ_OPT_TEXT(subject));
    long n = 0;
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        struct store_audit_record r;
        read_audit(st, &r);
        n++;
        if (each(ctx, &r) != 0)
            break;
    }
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "reading the audit log");
    sq_stream_close(st);
    sq_release(s, conn);
    return n;
}
