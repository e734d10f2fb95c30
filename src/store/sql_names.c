/* store.h names of a registration: set on a draft, corrected (with
 * history) on an active enrollment. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <string.h>

int store_registration_set_names(struct store *s, const char *id, const struct store_names *n,
                                 int64_t now, char *err, size_t errsz)
{
    int changed = sq_write(s, "saving the names", err, errsz,
                           "UPDATE registration SET given_names = ?, first_surname = ?,"
                           " second_surname = ?, updated_at = ? WHERE id = ? AND status = 0",
                           SQ_TEXT(n->given_names), SQ_TEXT(n->first_surname),
                           SQ_OPT_TEXT(n->second_surname), SQ_INT(now), SQ_TEXT(id));
    return changed < 0 ? -1 : changed > 0;
}

/* True when column col holds text (NULL read as "") equal to want. */
static bool column_is(struct sq_stmt *st, int col, const char *want)
{
    const char *have = sq_text(st, col);
    return strcmp(have ? have : "", want) == 0;
}

int store_registration_correct_names(struct store *s, const char *id, const struct store_names *n,
                                     const char *by, int64_t now, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT given_names, first_surname, second_surname"
                                  " FROM registration WHERE id = ? AND status = 1",
                                  SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found <= 0) {
        result = found < 0 ? sq_fail_db(conn, err, errsz, "reading the names") : 0;
    } else if (column_is(st, 0, n->given_names) && column_is(st, 1, n->first_surname) &&
               column_is(st, 2, n->second_surname)) {
        result = 2; /* the same names: nothing to correct */
    } else if (sq_run(conn,
                      "INSERT INTO name_correction (registration, old_given_names,"
                      " old_first_surname, old_second_surname, corrected_by, corrected_at)"
                      " SELECT id, given_names, first_surname, second_surname, ?, ?"
                      " FROM registration WHERE id = ?",
                      SQ_TEXT(by), SQ_INT(now), SQ_TEXT(id)) < 0 ||
               sq_run(conn,
                      "UPDATE registration SET given_names = ?1, first_surname = ?2,"
                      " second_surname = ?3, names_corrected_at = ?4, updated_at = ?4"
                      " WHERE id = ?5",
                      SQ_TEXT(n->given_names), SQ_TEXT(n->first_surname),
                      SQ_OPT_TEXT(n->second_surname), SQ_INT(now), SQ_TEXT(id)) < 0) {
        sq_fail_db(conn, err, errsz, "correcting the names");
    } else if (sq_commit(conn, err, errsz) == 0) {
        result = 1;
    }
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

int store_name_corrections(struct store *s, const char *id, struct store_name_correction *out,
                           int max, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(conn,
                                  "SELECT old_given_names, old_first_surname, old_second_surname,"
                                  " corrected_by, corrected_at FROM name_correction"
                                  " WHERE registration = ? ORDER BY id",
                                  SQ_TEXT(id));
    int count = 0, row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st), count++) {
        if (count >= max)
            continue;
        struct store_name_correction *c = &out[count];
        memset(c, 0, sizeof *c);
        sq_copy_column(st, 0, c->old.given_names, sizeof c->old.given_names);
        sq_copy_column(st, 1, c->old.first_surname, sizeof c->old.first_surname);
        sq_copy_column(st, 2, c->old.second_surname, sizeof c->old.second_surname);
        sq_copy_column(st, 3, c->by, sizeof c->by);
        c->corrected_at = sq_int64(st, 4);
    }
    if (row < 0)
        count = sq_fail_db(conn, err, errsz, "reading the name corrections");
    sq_release(s, conn);
    return count;
}
