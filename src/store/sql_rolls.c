/* store.h affiliation rolls. */
#include "store/sql_internal.h"

#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Affiliation rolls ---- */

/* The first key of the PostgreSQL advisory lock a roll import takes, the
 * institution the second ("roll" in ASCII); the write lock's is another space. */
#define ROLL_LOCK_CLASS "1919904876"

struct store_roll_import {
    struct store *store;
    struct sq_conn *conn;
    struct sq_stmt *insert; /* the connection's, lent for the whole import */
    enum store_institution institution;
    int64_t now;
    size_t rows;
};

const char *store_institution_name(enum store_institution inst)
{
    return inst == STORE_IMSS ? "IMSS" : "ISSSTE";
}

/* Opens the import's transaction. SQLite has one writer: the import holds the
 * write lock to its end. On PostgreSQL it touches only the rolls' two tables,
 * which no other write reads under the write lock, so it takes a lock of its
 * own per institution instead (two imports of one roll wait for each other)
 * and enrollment goes on for the minutes a national roll takes: readers see
 * the previous roll until the commit. */
static int begin_import(struct sq_conn *conn, enum store_institution inst, char *err, size_t errsz)
{
    if (sq_dialect(conn) != SQ_POSTGRESQL)
        return sq_begin(conn, err, errsz);
    if (sq_begin_rows(conn, err, errsz) != 0)
        return -1;
    /* Waits at most the session's lock_timeout for another import of this roll. */
    struct sq_stmt *st =
        sq_query(conn, "SELECT pg_advisory_xact_lock(" ROLL_LOCK_CLASS ", CAST(? AS INTEGER))",
                 SQ_INT(inst));
    if (!st || sq_row(st) != 1)
        return sq_fail_db(conn, err, errsz, "waiting for another import of this roll");
    return 0;
}

int store_roll_begin(struct store *s, enum store_institution inst, int64_t now,
                     struct store_roll_import **out, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    if (begin_import(conn, inst, err, errsz) != 0) {
        sq_release(s, conn);
        return -1;
    }
    /* ON CONFLICT: a CURP listed twice is skipped and reported by the caller,
     * without the failed statement that would abort a PostgreSQL transaction
     * (--skip-invalid goes on past it). */
    struct sq_stmt *ins = NULL;
    if (sq_run(conn, "DELETE FROM affiliation WHERE institution = ?", SQ_INT(inst)) < 0 ||
        !(ins = sq_prepare(conn, "INSERT INTO affiliation (institution, curp, nss, active, as_of)"
                                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"))) {
        sq_fail_db(conn, err, errsz, "starting a roll import");
        sq_release(s, conn); /* rolls back */
        return -1;
    }
    struct store_roll_import *imp = xcalloc(1, sizeof *imp);
    *imp = (struct store_roll_import){s, conn, ins, inst, now, 0};
    *out = imp;
    return 0;
}

int store_roll_add(struct store_roll_import *imp, const char *curp, const char *nss, bool active,
                   const char *as_of, char *err, size_t errsz)
{
    struct sq_stmt *st = imp->insert;
    sq_reset(st);
    if (sq_bind(st, SQ_INT(imp->institution), SQ_TEXT(curp), SQ_OPT_TEXT(nss), SQ_INT(active),
                SQ_OPT_TEXT(as_of)) != 0)
        return sq_fail_db(imp->conn, err, errsz, "importing a roll");
    int rc = sq_done(st);
    if (rc == 0) /* ON CONFLICT DO NOTHING left it out */
        return sq_fail(err, errsz, "the CURP appears twice in this roll");
    if (rc < 0)
        return sq_fail_db(imp->conn, err, errsz, "importing a roll");
    imp->rows++;
    return 0;
}

int store_roll_commit(struct store_roll_import *imp, size_t *rows, char *err, size_t errsz)
{
    int rc = sq_run(imp->conn,
                    "INSERT INTO roll (institution, imported_at, rows) VALUES (?, ?, ?)"
                    " ON CONFLICT (institution) DO UPDATE SET imported_at = excluded.imported_at,"
                    " rows = excluded.rows",
                    SQ_INT(imp->institution), SQ_INT(imp->now), SQ_INT((int64_t)imp->rows)) < 0
                 ? sq_fail_db(imp->conn, err, errsz, "importing a roll")
                 : sq_commit(imp->conn, err, errsz);
    if (rc == 0 && rows)
        *rows = imp->rows;
    sq_release(imp->store, imp->conn); /* rolls back a failed commit */
    free(imp);
    return rc;
}

void store_roll_abort(struct store_roll_import *imp)
{
    if (!imp)
        return;
    sq_release(imp->store, imp->conn); /* rolls back */
    free(imp);
}

int store_roll_lookup(struct store *s, const char *curp, struct store_affiliation *out, char *err,
                      size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* One primary-key lookup per roll, the choice in C: "IN (0, 1)" or an ORDER BY
     * would build a temporary b-tree on every call. */
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT institution, active, nss, as_of FROM affiliation"
                                  " WHERE institution = 0 AND curp = ?1 UNION ALL"
                                  " SELECT institution, active, nss, as_of FROM affiliation"
                                  " WHERE institution = 1 AND curp = ?1",
                                  SQ_TEXT(curp));
    int found = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        enum store_institution inst = (enum store_institution)sq_int(st, 0);
        bool active = sq_int(st, 1) != 0;
        /* An active row wins over an inactive one, then IMSS over ISSSTE. */
        bool better = !found || (active && !out->active) ||
                      (active == out->active && inst < out->institution);
        if (!better)
            continue;
        found = 1;
        out->institution = inst;
        out->active = active;
        sq_copy_column(st, 2, out->nss, sizeof out->nss);
        sq_copy_column(st, 3, out->as_of, sizeof out->as_of);
    }
    if (row < 0)
        found = sq_fail_db(conn, err, errsz, "looking up the rolls");
    sq_release(s, conn);
    return found;
}

int store_roll_find(struct store *s, enum store_institution inst, const char *curp,
                    struct store_affiliation *out, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT active, nss, as_of FROM affiliation"
                                  " WHERE institution = ? AND curp = ?",
                                  SQ_INT(inst), SQ_TEXT(curp));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        out->institution = inst;
        out->active = sq_int(st, 0) != 0;
        sq_copy_column(st, 1, out->nss, sizeof out->nss);
        sq_copy_column(st, 2, out->as_of, sizeof out->as_of);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "looking up a roll");
    }
    sq_release(s, conn);
    return found;
}

int store_roll_info(struct store *s, enum store_institution inst, int64_t *imported_at, long *rows,
                    char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT imported_at, rows FROM roll WHERE institution = ?", SQ_INT(inst));
    int found = st ? sq_row(st) : -1;
    if (found == 1) {
        *imported_at = sq_int64(st, 0);
        *rows = (long)sq_int64(st, 1);
    } else if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading a roll's date");
    }
    sq_release(s, conn);
    return found;
}

long store_roll_count(struct store *s, enum store_institution inst)
{
    return sq_query_long(s, "SELECT count(*) FROM affiliation WHERE institution = ?", (int)inst,
                         NULL, 0);
}
