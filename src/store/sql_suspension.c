/* store_staff.h reviews of suspensions.
 *
 * Written for the backend-neutral layer: only the helpers of sql_internal.h,
 * plain SQL that PostgreSQL 15 accepts as well (RETURNING for the new id, no
 * SQLite-only functions or conflict clauses). */
#include "store/sql_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const decision_names[] = {"lift", "confirm"};

const char *store_review_decision_name(enum store_review_decision d)
{
    return (unsigned)d <= STORE_REVIEW_CONFIRM ? decision_names[d] : "unknown";
}

/* The suspension of the active enrollment id made at suspended_at, with the
 * enrollment's email: 1 (r's suspension fields and email set), 0, -1. */
static int read_suspension(struct sq_conn *conn, const char *id, int64_t suspended_at,
                           struct store_suspension_review *r, char email[255])
{
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT suspended_institution, coalesce(email, '') FROM registration"
                 " WHERE id = ? AND status = 1 AND suspended_at = ?",
                 SQ_TEXT(id), SQ_INT(suspended_at));
    int row = st ? sq_row(st) : -1;
    if (row != 1)
        return row;
    r->suspended_at = suspended_at;
    r->institution = sq_int64(st, 0) == STORE_ISSSTE ? STORE_ISSSTE : STORE_IMSS;
    sq_copy_column(st, 1, email, 255);
    /* When the roll that suspended the person was imported: a lift holds until a
     * newer import of it. */
    st = sq_query(conn, "SELECT imported_at FROM roll WHERE institution = ?",
                  SQ_INT(r->institution));
    row = st ? sq_row(st) : -1;
    if (row < 0)
        return -1;
    r->roll_imported_at = row == 1 ? sq_int64(st, 0) : 0;
    return 1;
}

/* The language of the newest consent of id: "es" unless it says "en". */
static int read_language(struct sq_conn *conn, const char *id, char language[3])
{
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT language FROM consent WHERE registration = ?"
                                  " ORDER BY accepted_at DESC LIMIT 1",
                                  SQ_TEXT(id));
    int row = st ? sq_row(st) : -1;
    if (row < 0)
        return -1;
    char found[3] = "";
    if (row == 1)
        sq_copy_column(st, 0, found, sizeof found);
    snprintf(language, 3, "%s", strcmp(found, "en") == 0 ? "en" : "es");
    return 0;
}

/* Queues the lift's mail, when the enrollment has an email and compose makes one. */
static int queue_lift_mail(struct store *s, struct sq_conn *conn, const char *id, const char *email,
                           store_lift_mail_fn *compose, void *ctx, int64_t now)
{
    char language[3];
    if (!compose || !email[0])
        return 0;
    if (read_language(conn, id, language) != 0)
        return -1;
    char *message = compose(ctx, email, language);
    int rc = sq_outbox_add(s, conn, email, message, now);
    free(message);
    return rc;
}

int store_suspension_review(struct store *s, const char *id, int64_t suspended_at,
                            struct store_suspension_review *r, store_lift_mail_fn *compose,
                            void *ctx, struct store_audit_record *audit, char *err, size_t errsz)
{
    if (!id || suspended_at <= 0 || (unsigned)r->decision > STORE_REVIEW_CONFIRM || r->staff <= 0)
        return sq_fail(err, errsz, "reviewing a suspension: id, time, decision or staff missing");
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    char email[255] = "";
    int rc = read_suspension(conn, id, suspended_at, r, email);
    if (rc != 1)
        goto done;
    rc = -1;
    struct sq_stmt *st = sq_query(
        conn,
        "INSERT INTO suspension_review (registration, decision, reason, staff, reviewed_at,"
        " suspended_at, institution, roll_imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        SQ_TEXT(id), SQ_TEXT(store_review_decision_name(r->decision)), SQ_TEXT(r->reason),
        SQ_INT(r->staff), SQ_INT(r->reviewed_at), SQ_INT(r->suspended_at), SQ_INT(r->institution),
        SQ_INT(r->roll_imported_at));
    if (!st || sq_row(st) != 1)
        goto done;
    r->id = sq_int64(st, 0);
    if (sq_row(st) != 0) /* runs the insert to its end */
        goto done;
    if (r->decision == STORE_REVIEW_LIFT &&
        (sq_run(conn,
                "UPDATE registration SET suspended_at = NULL, suspended_institution = NULL,"
                " updated_at = ? WHERE id = ?",
                SQ_INT(r->reviewed_at), SQ_TEXT(id)) != 1 ||
         queue_lift_mail(s, conn, id, email, compose, ctx, r->reviewed_at) != 0))
        goto done;
    /* The decision and its audit record commit together, or neither does. */
    if (audit && sq_audit_append(conn, audit) != 0)
        goto done;
    rc = 1;
done:
    if (rc < 0)
        sq_fail_db(conn, err, errsz, "reviewing a suspension");
    else if (rc == 1 && sq_commit(conn, err, errsz) != 0)
        rc = -1;
    sq_release(s, conn); /* rolls back what was not committed */
    return rc;
}

int store_suspension_reviews(struct store *s, const char *id, struct store_suspension_review *out,
                             int max, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id, decision, reason, staff, reviewed_at, suspended_at,"
                                  " institution, roll_imported_at FROM suspension_review"
                                  " WHERE registration = ? ORDER BY reviewed_at DESC, id DESC",
                                  SQ_TEXT(id));
    int n = 0, row = st ? sq_row(st) : -1;
    for (; row == 1 && n < max; row = sq_row(st), n++) {
        struct store_suspension_review *r = &out[n];
        memset(r, 0, sizeof *r);
        r->id = sq_int64(st, 0);
        const char *decision = sq_text(st, 1);
        r->decision =
            decision && strcmp(decision, "lift") == 0 ? STORE_REVIEW_LIFT : STORE_REVIEW_CONFIRM;
        sq_copy_column(st, 2, r->reason, sizeof r->reason);
        r->staff = sq_int64(st, 3);
        r->reviewed_at = sq_int64(st, 4);
        r->suspended_at = sq_int64(st, 5);
        r->institution = sq_int64(st, 6) == STORE_ISSSTE ? STORE_ISSSTE : STORE_IMSS;
        r->roll_imported_at = sq_int64(st, 7);
    }
    if (row < 0)
        n = sq_fail_db(conn, err, errsz, "reading the reviews of a suspension");
    sq_release(s, conn);
    return n;
}
