/* store.h cross-check of the active enrollments against the rolls.
 *
 * Three cursors walk in CURP order: the active, unsuspended enrollments over the
 * partial index registration_unsuspended (covering: no table reads), and the
 * active rows of each roll over the affiliation primary key (institution, curp).
 * None needs a sort, so memory stays constant at any size; the details of a
 * match are read by CURP only for the (few) enrollments that match. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

static const char enrollments_sql[] =
    "SELECT curp FROM registration WHERE status = 1 AND suspended_at IS NULL ORDER BY curp";
static const char roll_sql[] =
    "SELECT curp FROM affiliation WHERE institution = ? AND active = 1 ORDER BY curp";

/* A cursor over one CURP-ordered scan. */
struct cursor {
    struct sq_stmt *st;
    const char *curp; /* the current row's CURP, NULL at the end */
};

static int cursor_step(struct cursor *c)
{
    int row = sq_row(c->st);
    c->curp = row == 1 ? sq_text(c->st, 0) : NULL;
    return row < 0 ? -1 : 0;
}

/* Moves c to the first CURP not below curp; 1 when it is equal, 0 when not, -1. */
static int cursor_seek(struct cursor *c, const char *curp)
{
    int cmp;
    while (c->curp && (cmp = strcmp(c->curp, curp)) < 0)
        if (cursor_step(c) != 0)
            return -1;
    return c->curp && strcmp(c->curp, curp) == 0;
}

/* Reads the details of the active enrollment of curp into a. */
static int read_affiliated(struct sq_conn *conn, const char *curp, struct store_affiliated *a)
{
    struct sq_stmt *st =
        sq_query(conn, "SELECT id, folio, email FROM registration WHERE curp = ? AND status = 1",
                 SQ_TEXT(curp));
    if (!st || sq_row(st) != 1)
        return -1;
    sq_copy_column(st, 0, a->id, sizeof a->id);
    sq_copy_column(st, 1, a->folio, sizeof a->folio);
    sq_copy_column(st, 2, a->email, sizeof a->email);
    snprintf(a->curp, sizeof a->curp, "%s", curp);
    sq_reset(st);
    return 0;
}

int store_crosscheck(struct store *s, const struct store_crosscheck_hooks *h,
                     struct store_crosscheck_totals *t, char *err, size_t errsz)
{
    memset(t, 0, sizeof *t);
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int rc = -1;
    struct cursor e = {0}, roll[2] = {{0}, {0}};
    /* One read transaction: the three scans see one snapshot. */
    if (sq_begin_read(conn, err, errsz) != 0)
        goto cleanup;
    /* Streams: outside the statement cache (the two roll scans share one text), and
     * read in batches on PostgreSQL. */
    if (!(e.st = sq_stream(conn, enrollments_sql)) ||
        !(roll[0].st = sq_stream_query(conn, roll_sql, SQ_INT(STORE_IMSS))) ||
        !(roll[1].st = sq_stream_query(conn, roll_sql, SQ_INT(STORE_ISSSTE))))
        goto db_error;
    if (cursor_step(&e) || cursor_step(&roll[0]) || cursor_step(&roll[1]))
        goto db_error;
    while (e.curp && (roll[0].curp || roll[1].curp)) {
        int in_imss = cursor_seek(&roll[0], e.curp), in_issste = cursor_seek(&roll[1], e.curp);
        if (in_imss < 0 || in_issste < 0)
            goto db_error;
        if (in_imss || in_issste) {
            struct store_affiliated a;
            memset(&a, 0, sizeof a);
            a.institution = in_imss ? STORE_IMSS : STORE_ISSSTE;
            t->affiliated[a.institution]++;
            t->in_both += in_imss && in_issste;
            if (read_affiliated(conn, e.curp, &a) != 0)
                goto db_error;
            if (h->affiliated && h->affiliated(h->ctx, &a) != 0) {
                if (err && errsz && !err[0])
                    snprintf(err, errsz, "cross-check: stopped");
                goto cleanup;
            }
        }
        if (++t->enrollments % STORE_CROSSCHECK_TICK == 0 && h->progress)
            h->progress(h->ctx, t->enrollments);
        if (cursor_step(&e))
            goto db_error;
    }
    /* The rolls are done: the rest of the enrollments are only counted. */
    for (; e.curp; t->enrollments++) {
        if (t->enrollments % STORE_CROSSCHECK_TICK == 0 && h->progress && t->enrollments)
            h->progress(h->ctx, t->enrollments);
        if (cursor_step(&e))
            goto db_error;
    }
    rc = 0;
    goto cleanup;
db_error:
    sq_fail_db(conn, err, errsz, "cross-checking the rolls");
cleanup:
    sq_stream_close(e.st);
    sq_stream_close(roll[0].st);
    sq_stream_close(roll[1].st);
    sq_release(s, conn); /* resets the cached statements and ends the read */
    return rc;
}

long store_unsuspended_count(struct store *s)
{
    return sq_query_long(s,
                         "SELECT count(*) FROM registration WHERE status = 1"
                         " AND suspended_at IS NULL",
                         -1, NULL, 0);
}

int store_suspend_affiliated(struct store *s, const struct store_affiliated *batch,
                             const char *const *messages, size_t n, int64_t now, size_t *suspended,
                             char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        int changed = sq_run(conn,
                             "UPDATE registration SET suspended_at = ?, suspended_institution = ?,"
                             " updated_at = ? WHERE id = ? AND status = 1 AND suspended_at IS NULL"
                             /* Not again after a staff review lifted a suspension by this roll
                              * as it stands: the lift saw this very import (or a later one).
                              * A newer import of the roll is new evidence and suspends again
                              * (sql_suspension.c, docs/staff.md). */
                             " AND NOT EXISTS (SELECT 1 FROM suspension_review v"
                             "  JOIN roll r ON r.institution = v.institution"
                             "  WHERE v.registration = registration.id AND v.institution = ?"
                             "  AND v.decision = 'lift' AND v.roll_imported_at >= r.imported_at)",
                             SQ_INT(now), SQ_INT(batch[i].institution), SQ_INT(now),
                             SQ_TEXT(batch[i].id), SQ_INT(batch[i].institution));
        if (changed < 0)
            goto fail;
        if (changed == 0)
            continue;
        done++;
        /* What a verifier checks: the credentials in force are revoked at once. */
        char reason[64];
        snprintf(reason, sizeof reason, "affiliated to %s",
                 store_institution_name(batch[i].institution));
        if (sq_run(conn,
                   "UPDATE credential SET revoked_at = ?, revoked_reason = ?"
                   " WHERE registration = ? AND revoked_at IS NULL",
                   SQ_INT(now), SQ_TEXT(reason), SQ_TEXT(batch[i].id)) < 0)
            goto fail;
        if (messages && messages[i] && batch[i].email[0] &&
            sq_outbox_add(s, conn, batch[i].email, messages[i], now) < 0)
            goto fail;
    }
    if (sq_commit(conn, err, errsz) != 0) {
        sq_release(s, conn);
        return -1;
    }
    sq_release(s, conn);
    *suspended = done;
    return 0;
fail:
    sq_fail_db(conn, err, errsz, "suspending affiliated enrollments");
    sq_release(s, conn);
    return -1;
}
