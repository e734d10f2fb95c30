/* store.h affiliation rolls on SQLite. */
#include "store/sqlite_internal.h"

#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Affiliation rolls ---- */

struct store_roll_import {
    struct store *store;
    sqlite3 *db;
    sqlite3_stmt *insert;
    enum store_institution institution;
    size_t rows;
};

const char *store_institution_name(enum store_institution inst)
{
    return inst == STORE_IMSS ? "IMSS" : "ISSSTE";
}

int store_roll_begin(struct store *s, enum store_institution inst, struct store_roll_import **out,
                     char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *del = NULL, *ins = NULL;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto fail;
    if (sqlite3_prepare_v2(db, "DELETE FROM affiliation WHERE institution = ?", -1, &del, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int(del, 1, (int)inst) != SQLITE_OK || sqlite3_step(del) != SQLITE_DONE ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO affiliation (institution, curp, nss, active, as_of) "
                           "VALUES (?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(del);
    struct store_roll_import *imp = xcalloc(1, sizeof *imp);
    *imp = (struct store_roll_import){s, db, ins, inst, 0};
    *out = imp;
    return 0;
fail:
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    sq_release(s, db); /* rolls back */
    return -1;
}

int store_roll_add(struct store_roll_import *imp, const char *curp, const char *nss, bool active,
                   const char *as_of, char *err, size_t errsz)
{
    sqlite3_stmt *st = imp->insert;
    sqlite3_reset(st);
    if (sqlite3_bind_int(st, 1, (int)imp->institution) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, curp, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sq_bind_optional_text(st, 3, nss) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, active) != SQLITE_OK ||
        sq_bind_optional_text(st, 5, as_of) != SQLITE_OK)
        return sq_fail(err, errsz, "database: %s", sqlite3_errmsg(imp->db));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return sq_fail(err, errsz, "the CURP appears twice in this roll");
    if (rc != SQLITE_DONE)
        return sq_fail(err, errsz, "database: %s", sqlite3_errmsg(imp->db));
    imp->rows++;
    return 0;
}

int store_roll_commit(struct store_roll_import *imp, size_t *rows, char *err, size_t errsz)
{
    sqlite3_finalize(imp->insert);
    int rc = sq_exec(imp->db, "COMMIT", err, errsz);
    if (rc == 0 && rows)
        *rows = imp->rows;
    sq_release(imp->store, imp->db);
    free(imp);
    return rc;
}

void store_roll_abort(struct store_roll_import *imp)
{
    if (!imp)
        return;
    sqlite3_finalize(imp->insert);
    sq_release(imp->store, imp->db); /* rolls back */
    free(imp);
}

int store_roll_lookup(struct store *s, const char *curp, struct store_affiliation *out, char *err,
                      size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT institution, active, nss, as_of FROM affiliation "
                           "WHERE institution IN (0, 1) AND curp = ? "
                           "ORDER BY active DESC, institution ASC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, curp, -1, SQLITE_STATIC) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->institution = (enum store_institution)sqlite3_column_int(st, 0);
        out->active = sqlite3_column_int(st, 1) != 0;
        sq_copy_column(st, 2, out->nss, sizeof out->nss);
        sq_copy_column(st, 3, out->as_of, sizeof out->as_of);
        found = 1;
    } else if (rc == SQLITE_DONE) {
        found = 0;
    } else {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    }
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return found;
}

long store_roll_count(struct store *s, enum store_institution inst)
{
    return sq_query_long(s, "SELECT count(*) FROM affiliation WHERE institution = ?", (int)inst,
                         NULL, 0);
}
