/* store.h signed credentials and letters, and their revocation. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

/* Runs an INSERT on a connection holding the write lock: 1 done, 0 when the
 * primary key is taken, -1 with err. */
static int insert_unique(struct sq_conn *conn, const char *what, char *err, size_t errsz,
                         const char *sql, const struct sq_value *v, int n)
{
    int rc = sq_run_values(conn, sql, v, n);
    if (rc >= 0)
        return 1;
    return rc == SQ_CONFLICT ? 0 : sq_fail_db(conn, err, errsz, what);
}

int store_credential_add(struct store *s, const struct store_credential *c, const char *reason,
                         bool force, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    /* Under the write lock: a credential in force that carries data as new as this
     * one (a concurrent first view) or newer (a correction that won the race) stays
     * the current one, unless the caller forces a new one. */
    struct sq_stmt *st = force ? NULL
                               : sq_query(conn,
                                          "SELECT data_at FROM credential WHERE registration = ?"
                                          " AND revoked_at IS NULL AND expires_at > ?"
                                          " ORDER BY issued_at DESC LIMIT 1",
                                          SQ_TEXT(c->registration), SQ_INT(c->issued_at));
    int row = st ? sq_row(st) : 0;
    int rc = row < 0 ? sq_fail_db(conn, err, errsz, "reading the credential") : 1;
    if (row == 1 && sq_int64(st, 0) >= c->data_at)
        rc = 2;
    if (rc == 1)
        rc = sq_run(conn,
                    "UPDATE credential SET revoked_at = ?, revoked_reason = ?"
                    " WHERE registration = ? AND revoked_at IS NULL",
                    SQ_INT(c->issued_at), SQ_TEXT(reason), SQ_TEXT(c->registration)) < 0
                 ? sq_fail_db(conn, err, errsz, "revoking earlier credentials")
                 : insert_unique(conn, "recording a credential", err, errsz,
                                 "INSERT INTO credential (id, registration, issued_at, expires_at,"
                                 " envelope, data_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 SQ_VALUES(SQ_TEXT(c->id), SQ_TEXT(c->registration),
                                           SQ_INT(c->issued_at), SQ_INT(c->expires_at),
                                           SQ_TEXT(c->envelope), SQ_INT(c->data_at)));
    if (rc == 1 && sq_commit(conn, err, errsz) != 0)
        rc = -1;
    sq_release(s, conn); /* rolls back unless committed */
    return rc;
}

/* Reads the revocation columns at col (revoked_at) and col + 1 (reason). */
static void read_revocation(struct sq_stmt *st, int col, struct store_revocation *r)
{
    r->revoked_at = sq_int64(st, col);
    sq_copy_column(st, col + 1, r->reason, sizeof r->reason);
}

int store_credential_current(struct store *s, const char *registration, int64_t now,
                             struct store_credential *out, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT id, issued_at, expires_at, envelope, data_at FROM credential"
                 " WHERE registration = ? AND revoked_at IS NULL AND expires_at > ?"
                 " ORDER BY issued_at DESC LIMIT 1",
                 SQ_TEXT(registration), SQ_INT(now));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        memset(out, 0, sizeof *out);
        sq_copy_column(st, 0, out->id, sizeof out->id);
        snprintf(out->registration, sizeof out->registration, "%s", registration);
        out->issued_at = sq_int64(st, 1);
        out->expires_at = sq_int64(st, 2);
        sq_copy_column(st, 3, out->envelope, sizeof out->envelope);
        out->data_at = sq_int64(st, 4);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading the credential");
    }
    sq_release(s, conn);
    return found;
}

int store_letter_add(struct store *s, const struct store_letter *l, const char *message, char *err,
                     size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int rc = insert_unique(
        conn, "recording a letter", err, errsz,
        "INSERT INTO letter (folio, curp, institution, email, language, given_names,"
        " first_surname, second_surname, roll_date, issued_at, expires_at, envelope,"
        " download_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        SQ_VALUES(SQ_TEXT(l->folio), SQ_TEXT(l->curp), SQ_INT(l->institution), SQ_TEXT(l->email),
                  SQ_TEXT(l->language), SQ_OPT_TEXT(l->names.given_names),
                  SQ_OPT_TEXT(l->names.first_surname), SQ_OPT_TEXT(l->names.second_surname),
                  SQ_TEXT(l->roll_date), SQ_INT(l->issued_at), SQ_INT(l->expires_at),
                  SQ_TEXT(l->envelope), SQ_HASH(l->download_hash)));
    if (rc == 1 && sq_outbox_add(s, conn, l->email, message, l->issued_at) < 0)
        rc = sq_fail_db(conn, err, errsz, "queueing the letter's mail");
    if (rc == 1 && sq_commit(conn, err, errsz) != 0)
        rc = -1;
    sq_release(s, conn);
    return rc;
}

int store_letter_get(struct store *s, const char *folio, struct store_letter *out, char *err,
                     size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT folio, curp, institution, email, language, given_names, first_surname,"
                 " second_surname, roll_date, issued_at, expires_at, envelope, revoked_at,"
                 " revoked_reason, download_hash FROM letter WHERE folio = ?",
                 SQ_TEXT(folio));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        memset(out, 0, sizeof *out);
        sq_copy_column(st, 0, out->folio, sizeof out->folio);
        sq_copy_column(st, 1, out->curp, sizeof out->curp);
        out->institution = sq_int(st, 2) == STORE_ISSSTE ? STORE_ISSSTE : STORE_IMSS;
        sq_copy_column(st, 3, out->email, sizeof out->email);
        sq_copy_column(st, 4, out->language, sizeof out->language);
        sq_copy_column(st, 5, out->names.given_names, sizeof out->names.given_names);
        sq_copy_column(st, 6, out->names.first_surname, sizeof out->names.first_surname);
        sq_copy_column(st, 7, out->names.second_surname, sizeof out->names.second_surname);
        sq_copy_column(st, 8, out->roll_date, sizeof out->roll_date);
        out->issued_at = sq_int64(st, 9);
        out->expires_at = sq_int64(st, 10);
        sq_copy_column(st, 11, out->envelope, sizeof out->envelope);
        read_revocation(st, 12, &out->revocation);
        if (sq_bytes(st, 14) == STORE_TOKEN_HASH_LEN)
            memcpy(out->download_hash, sq_blob(st, 14), STORE_TOKEN_HASH_LEN);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading a letter");
    }
    sq_release(s, conn);
    return found;
}

int store_issued_revoke(struct store *s, const char *id, const char *reason, int64_t now, char *err,
                        size_t errsz)
{
    /* The prefix says the table (core/folio.h): CR credentials, NA letters. */
    const char *sql = strncmp(id, "NA", 2) == 0
                          ? "UPDATE letter SET revoked_at = ?, revoked_reason = ?"
                            " WHERE folio = ? AND revoked_at IS NULL"
                          : "UPDATE credential SET revoked_at = ?, revoked_reason = ?"
                            " WHERE id = ? AND revoked_at IS NULL";
    int n = sq_write(s, "revoking", err, errsz, sql, SQ_INT(now), SQ_TEXT(reason), SQ_TEXT(id));
    return n < 0 ? -1 : n > 0;
}

long store_revoked_each(struct store *s, int64_t now, int (*each)(void *ctx, const char *id),
                        void *ctx, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id FROM credential"
                                  " WHERE revoked_at IS NOT NULL AND expires_at > ?1 UNION ALL"
                                  " SELECT folio FROM letter"
                                  " WHERE revoked_at IS NOT NULL AND expires_at > ?1 ORDER BY 1",
                                  SQ_INT(now));
    long count = 0;
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        count++;
        if (each(ctx, sq_text(st, 0)) != 0)
            break;
    }
    if (row < 0)
        count = sq_fail_db(conn, err, errsz, "listing revocations");
    sq_release(s, conn);
    return count;
}
