/* store.h emergency encounters: every change takes the write lock,
 * checks what it needs under it, and commits with its audit record. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

#define EMERGENCY_COLUMNS                                                                          \
    "id, unit, opened_at, opened_by, triage, identity, curp, name, sex, apparent_age,"             \
    " features, found_where, status, closed_at, closed_by, transfer_to, merged_into,"              \
    " registration, updated_at"

static void read_emergency(struct sq_stmt *st, struct store_emergency *e)
{
    memset(e, 0, sizeof *e);
    sq_copy_column(st, 0, e->id, sizeof e->id);
    sq_copy_column(st, 1, e->unit, sizeof e->unit);
    e->opened_at = sq_int64(st, 2);
    e->opened_by = sq_int64(st, 3);
    sq_copy_column(st, 4, e->triage, sizeof e->triage);
    sq_copy_column(st, 5, e->identity, sizeof e->identity);
    sq_copy_column(st, 6, e->curp, sizeof e->curp);
    sq_copy_column(st, 7, e->name, sizeof e->name);
    sq_copy_column(st, 8, e->sex, sizeof e->sex);
    e->apparent_age = sq_is_null(st, 9) ? -1 : sq_int(st, 9);
    sq_copy_column(st, 10, e->features, sizeof e->features);
    sq_copy_column(st, 11, e->found_where, sizeof e->found_where);
    sq_copy_column(st, 12, e->status, sizeof e->status);
    e->closed_at = sq_int64(st, 13);
    e->closed_by = sq_int64(st, 14);
    sq_copy_column(st, 15, e->transfer_to, sizeof e->transfer_to);
    sq_copy_column(st, 16, e->merged_into, sizeof e->merged_into);
    sq_copy_column(st, 17, e->registration, sizeof e->registration);
    e->updated_at = sq_int64(st, 18);
}

/* The encounter id on conn: 1 (filled), 0, -1. */
static int get_on(struct sq_conn *conn, const char *id, struct store_emergency *out)
{
    struct sq_stmt *st =
        sq_query(conn, "SELECT " EMERGENCY_COLUMNS " FROM emergency WHERE id = ?", SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        read_emergency(st, out);
    return found;
}

/* The open encounter of curp at unit other than id: 1 (existing filled), 0, -1. */
static int open_for_curp(struct sq_conn *conn, const char *unit, const char *curp, const char *id,
                         char existing[STORE_EMERGENCY_ID_LEN + 1])
{
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT id FROM emergency WHERE unit = ? AND curp = ?"
                                  " AND status = 'open' AND id <> ?",
                                  SQ_TEXT(unit), SQ_TEXT(curp), SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found == 1)
        sq_copy_column(st, 0, existing, STORE_EMERGENCY_ID_LEN + 1);
    return found;
}

/* Appends audit and commits: OK, or ERROR with err. */
static enum store_emergency_result finish(struct sq_conn *conn, struct store_audit_record *audit,
                                          const char *what, char *err, size_t errsz)
{
    if (sq_audit_append(conn, audit) != 0)
        return sq_fail_db(conn, err, errsz, what);
    return sq_commit(conn, err, errsz) == 0 ? STORE_EMERGENCY_OK : STORE_EMERGENCY_ERROR;
}

enum store_emergency_result store_emergency_open(struct store *s, const struct store_emergency *e,
                                                 struct store_audit_record *audit,
                                                 char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                 char *err, size_t errsz)
{
    char age[16] = "";
    if (e->apparent_age >= 0)
        snprintf(age, sizeof age, "%d", e->apparent_age);
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_EMERGENCY_ERROR;
    enum store_emergency_result rc = STORE_EMERGENCY_OK;
    int dup = e->curp[0] ? open_for_curp(conn, e->unit, e->curp, e->id, existing) : 0;
    if (dup < 0)
        rc = sq_fail_db(conn, err, errsz, "opening an emergency encounter");
    else if (dup == 1)
        rc = STORE_EMERGENCY_DUPLICATE;
    else if (sq_run(conn,
                    "INSERT INTO emergency (id, unit, opened_at, opened_by, triage, identity, curp,"
                    " name, sex, apparent_age, features, found_where, status, registration,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                    SQ_TEXT(e->id), SQ_TEXT(e->unit), SQ_INT(e->opened_at), SQ_INT(e->opened_by),
                    SQ_TEXT(e->triage), SQ_TEXT(e->identity), SQ_OPT_TEXT(e->curp),
                    SQ_OPT_TEXT(e->name), SQ_OPT_TEXT(e->sex), SQ_OPT_TEXT(age),
                    SQ_OPT_TEXT(e->features), SQ_OPT_TEXT(e->found_where),
                    SQ_OPT_TEXT(e->registration), SQ_INT(e->opened_at)) != 1)
        rc = sq_fail_db(conn, err, errsz, "opening an emergency encounter");
    else
        rc = finish(conn, audit, "opening an emergency encounter", err, errsz);
    sq_release(s, conn);
    return rc;
}

int store_emergency_get(struct store *s, const char *id, struct store_emergency *out, char *err,
                        size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int found = get_on(conn, id, out);
    if (found < 0)
        sq_fail_db(conn, err, errsz, "reading an emergency encounter");
    sq_release(s, conn);
    return found;
}

/* Under the write lock: the open encounter id into *e, or why not. */
static enum store_emergency_result load_open(struct sq_conn *conn, const char *id,
                                             struct store_emergency *e, const char *what, char *err,
                                             size_t errsz)
{
    int found = get_on(conn, id, e);
    if (found < 0)
        return sq_fail_db(conn, err, errsz, what);
    if (found == 0)
        return STORE_EMERGENCY_NONE;
    return strcmp(e->status, "open") == 0 ? STORE_EMERGENCY_OK : STORE_EMERGENCY_NOT_OPEN;
}

enum store_emergency_result store_emergency_identify(struct store *s, const char *id,
                                                     const char *curp, const char *registration,
                                                     int64_t now, struct store_audit_record *audit,
                                                     char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                     char *err, size_t errsz)
{
    static const char what[] = "identifying an emergency encounter";
    struct store_emergency e;
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_EMERGENCY_ERROR;
    enum store_emergency_result rc = load_open(conn, id, &e, what, err, errsz);
    int dup = rc == STORE_EMERGENCY_OK ? open_for_curp(conn, e.unit, curp, id, existing) : 0;
    if (dup < 0)
        rc = sq_fail_db(conn, err, errsz, what);
    else if (dup == 1)
        rc = STORE_EMERGENCY_DUPLICATE;
    if (rc == STORE_EMERGENCY_OK) {
        if (sq_run(conn,
                   "UPDATE emergency SET identity = 'curp', curp = ?, registration = ?,"
                   " updated_at = ? WHERE id = ?",
                   SQ_TEXT(curp), SQ_OPT_TEXT(registration), SQ_INT(now), SQ_TEXT(id)) != 1)
            rc = sq_fail_db(conn, err, errsz, what);
        else
            rc = finish(conn, audit, what, err, errsz);
    }
    sq_release(s, conn);
    return rc;
}

enum store_emergency_result store_emergency_merge(struct store *s, const char *id, const char *into,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz)
{
    static const char what[] = "merging emergency encounters";
    struct store_emergency from, to;
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_EMERGENCY_ERROR;
    enum store_emergency_result rc = load_open(conn, id, &from, what, err, errsz);
    if (rc == STORE_EMERGENCY_OK)
        rc = load_open(conn, into, &to, what, err, errsz);
    if (rc == STORE_EMERGENCY_OK &&
        (strcmp(id, into) == 0 || strcmp(from.unit, to.unit) != 0 ||
         (from.curp[0] && to.curp[0] && strcmp(from.curp, to.curp) != 0)))
        rc = STORE_EMERGENCY_MISMATCH;
    if (rc == STORE_EMERGENCY_OK) {
        /* The merged one leaves the open list first: the one-open-per-CURP index
         * then lets the other take its CURP. */
        if (sq_run(conn,
                   "UPDATE emergency SET status = 'merged', merged_into = ?, closed_at = ?,"
                   " closed_by = ?, updated_at = ? WHERE id = ?",
                   SQ_TEXT(into), SQ_INT(now), SQ_INT(staff), SQ_INT(now), SQ_TEXT(id)) != 1 ||
            (!to.curp[0] && from.curp[0] &&
             sq_run(conn,
                    "UPDATE emergency SET identity = 'curp', curp = ?, registration = ?,"
                    " updated_at = ? WHERE id = ?",
                    SQ_TEXT(from.curp), SQ_OPT_TEXT(from.registration), SQ_INT(now),
                    SQ_TEXT(into)) != 1))
            rc = sq_fail_db(conn, err, errsz, what);
        else
            rc = finish(conn, audit, what, err, errsz);
    }
    sq_release(s, conn);
    return rc;
}

enum store_emergency_result store_emergency_close(struct store *s, const char *id,
                                                  const char *status, const char *transfer_to,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz)
{
    static const char what[] = "closing an emergency encounter";
    struct store_emergency e;
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_EMERGENCY_ERROR;
    enum store_emergency_result rc = load_open(conn, id, &e, what, err, errsz);
    if (rc == STORE_EMERGENCY_OK) {
        if (sq_run(conn,
                   "UPDATE emergency SET status = ?, transfer_to = ?, closed_at = ?,"
                   " closed_by = ?, updated_at = ? WHERE id = ?",
                   SQ_TEXT(status), SQ_OPT_TEXT(transfer_to), SQ_INT(now), SQ_INT(staff),
                   SQ_INT(now), SQ_TEXT(id)) != 1)
            rc = sq_fail_db(conn, err, errsz, what);
        else
            rc = finish(conn, audit, what, err, errsz);
    }
    sq_release(s, conn);
    return rc;
}

int store_emergency_link(struct store *s, const char *id, const char *registration, char *err,
                         size_t errsz)
{
    int changed = sq_write(s, "linking an emergency encounter", err, errsz,
                           "UPDATE emergency SET registration = ? WHERE id = ?"
                           " AND registration IS NULL AND curp IS NOT NULL",
                           SQ_TEXT(registration), SQ_TEXT(id));
    return changed < 0 ? -1 : changed > 0;
}

long store_emergency_each(struct store *s, const char *unit, const char *merged_into,
                          int (*each)(void *ctx, const struct store_emergency *e), void *ctx,
                          char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        merged_into ? sq_query(conn,
                               "SELECT " EMERGENCY_COLUMNS " FROM emergency"
                               " WHERE merged_into = ? ORDER BY opened_at, id",
                               SQ_TEXT(merged_into))
                    : sq_query(conn,
                               "SELECT " EMERGENCY_COLUMNS " FROM emergency"
                               " WHERE unit = ? AND status = 'open' ORDER BY opened_at, id",
                               SQ_TEXT(unit));
    long count = 0;
    int row = st ? sq_row(st) : -1;
    struct store_emergency e;
    for (; row == 1; row = sq_row(st)) {
        read_emergency(st, &e);
        count++;
        if (each(ctx, &e) != 0)
            break;
    }
    if (row < 0)
        count = sq_fail_db(conn, err, errsz, "listing emergency encounters");
    sq_release(s, conn);
    return count;
}
