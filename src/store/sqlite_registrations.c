/* store.h registrations on SQLite. */
#include "store/sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Registrations ---- */

int store_registration_create(struct store *s, const char *id, const char *curp,
                              const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                              char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO registration (id, curp, status, token_hash, created_at, "
                           "updated_at) VALUES (?, ?, 0, ?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, curp, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_blob(st, 3, token_hash, STORE_TOKEN_HASH_LEN, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 4, now) == SQLITE_OK &&
        sqlite3_bind_int64(st, 5, now) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    else
        sq_fail(err, errsz, "database: creating a registration: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return rc;
}

/* Fills reg->documents with the latest upload of each kind. */
static int read_documents(sqlite3 *db, struct store_registration *reg, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind, blob, width, height, bytes, uploaded_at FROM document"
                           " WHERE id IN (SELECT max(id) FROM document WHERE registration = ?"
                           " GROUP BY kind)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, reg->id, -1, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(st, 0);
        if (kind < 0 || kind >= STORE_DOC_KINDS)
            continue;
        struct store_document *d = &reg->documents[kind];
        sq_copy_column(st, 1, d->blob, sizeof d->blob);
        d->width = sqlite3_column_int(st, 2);
        d->height = sqlite3_column_int(st, 3);
        d->bytes = sqlite3_column_int64(st, 4);
        d->uploaded_at = sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
}

int store_registration_get(struct store *s, const char *id, struct store_registration *out,
                           char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(
            db,
            "SELECT r.id, r.curp, r.status, r.token_hash, r.created_at, r.updated_at,"
            " r.folio, r.state, r.phone, r.phone_confirmed, r.email,"
            " r.email_verified_at, c.notice_version, c.accepted_at, r.password_hash IS NOT NULL,"
            " a.postal_code, a.state, a.municipality, a.settlement, a.street,"
            " a.number, a.interior, a.recorded_at, r.nationality, r.id_type, r.pending_email "
            "FROM registration r LEFT JOIN consent c ON c.rowid = ("
            " SELECT rowid FROM consent WHERE registration = r.id"
            " ORDER BY accepted_at DESC, rowid DESC LIMIT 1) "
            "LEFT JOIN address a ON a.id = (SELECT max(id) FROM address WHERE registration = r.id) "
            "WHERE r.id = ?",
            -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 3) == STORE_TOKEN_HASH_LEN) {
        memset(out, 0, sizeof *out);
        sq_copy_column(st, 0, out->id, sizeof out->id);
        sq_copy_column(st, 1, out->curp, sizeof out->curp);
        out->status = (enum store_registration_status)sqlite3_column_int(st, 2);
        memcpy(out->token_hash, sqlite3_column_blob(st, 3), STORE_TOKEN_HASH_LEN);
        out->created_at = sqlite3_column_int64(st, 4);
        out->updated_at = sqlite3_column_int64(st, 5);
        sq_copy_column(st, 6, out->folio, sizeof out->folio);
        struct store_contact *c = &out->contact;
        c->state = sqlite3_column_int(st, 7);
        sq_copy_column(st, 8, c->phone, sizeof c->phone);
        c->phone_confirmed = sqlite3_column_int(st, 9) != 0;
        sq_copy_column(st, 10, c->email, sizeof c->email);
        c->email_verified_at = sqlite3_column_int64(st, 11);
        sq_copy_column(st, 12, c->privacy_version, sizeof c->privacy_version);
        c->privacy_accepted_at = sqlite3_column_int64(st, 13);
        out->password_set = sqlite3_column_int(st, 14) != 0;
        struct store_address *a = &out->address;
        sq_copy_column(st, 15, a->postal_code, sizeof a->postal_code);
        a->state = sqlite3_column_int(st, 16);
        a->municipality = sqlite3_column_int(st, 17);
        sq_copy_column(st, 18, a->settlement, sizeof a->settlement);
        sq_copy_column(st, 19, a->street, sizeof a->street);
        sq_copy_column(st, 20, a->number, sizeof a->number);
        sq_copy_column(st, 21, a->interior, sizeof a->interior);
        a->recorded_at = sqlite3_column_int64(st, 22);
        sq_copy_column(st, 23, out->nationality, sizeof out->nationality);
        sq_copy_column(st, 24, out->id_type, sizeof out->id_type);
        sq_copy_column(st, 25, out->pending_email, sizeof out->pending_email);
        found = read_documents(db, out, err, errsz) == 0 ? 1 : -1;
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

int store_registration_set_contact(struct store *s, const char *id, const struct store_contact *c,
                                   const char *language, int64_t now, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *up = NULL, *consent = NULL;
    int result = -1;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        goto done;
    /* A new address or number must be proven again; the same one keeps its proof. */
    if (sqlite3_prepare_v2(
            db,
            "UPDATE registration SET state = ?1, phone = ?2, email = ?3,"
            " phone_confirmed = CASE WHEN phone IS ?2 THEN phone_confirmed ELSE 0 END,"
            " email_verified_at = CASE WHEN email IS ?3 THEN email_verified_at END,"
            " updated_at = ?4 WHERE id = ?5 AND status = 0",
            -1, &up, NULL) != SQLITE_OK ||
        sqlite3_bind_int(up, 1, c->state) != SQLITE_OK ||
        sq_bind_optional_text(up, 2, c->phone) != SQLITE_OK ||
        sq_bind_optional_text(up, 3, c->email) != SQLITE_OK ||
        sqlite3_bind_int64(up, 4, now) != SQLITE_OK ||
        sqlite3_bind_text(up, 5, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(up) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: saving contact data: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sqlite3_changes(db) == 0) {
        result = 0;
        goto done;
    }
    if (sqlite3_prepare_v2(
            db,
            "INSERT INTO consent (registration, notice_version, language, accepted_at)"
            " VALUES (?, ?, ?, ?)",
            -1, &consent, NULL) != SQLITE_OK ||
        sqlite3_bind_text(consent, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(consent, 2, c->privacy_version, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(consent, 3, language, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(consent, 4, now) != SQLITE_OK || sqlite3_step(consent) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: recording consent: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sq_exec(db, "COMMIT", err, errsz) == 0)
        result = 1;
done:
    sqlite3_finalize(up);
    sqlite3_finalize(consent);
    sq_release(s, db); /* rolls back whatever did not commit */
    return result;
}

int store_registration_set_password(struct store *s, const char *id, const char *hash, int64_t now,
                                    char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db,
                           "UPDATE registration SET password_hash = ?, updated_at = ?"
                           " WHERE id = ? AND status = 0",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, now) == SQLITE_OK &&
        sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE)
        result = sqlite3_changes(db) > 0 ? 1 : 0;
    else
        sq_fail(err, errsz, "database: saving the password: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

/* Starts a write transaction on a draft and stamps its updated_at. Returns 1 (the
 * transaction is open), 0 when id is not a draft, -1 on error. */
static int begin_change(sqlite3 *db, const char *id, enum store_registration_status status,
                        int64_t now, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int result = -1;
    if (sq_exec(db, "BEGIN IMMEDIATE", err, errsz) != 0)
        return -1;
    if (sqlite3_prepare_v2(db, "UPDATE registration SET updated_at = ? WHERE id = ? AND status = ?",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, now) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int(st, 3, (int)status) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        result = sqlite3_changes(db) > 0 ? 1 : 0;
    else
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return result;
}

static int add_address(struct store *s, const char *id, enum store_registration_status status,
                       const struct store_address *a, int64_t now, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = begin_change(db, id, status, now, err, errsz);
    if (result != 1)
        goto done;
    result = -1;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO address (registration, postal_code, state, municipality,"
                           " settlement, street, number, interior, recorded_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, a->postal_code, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, a->state) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, a->municipality) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, a->settlement, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, a->street, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, a->number, -1, SQLITE_STATIC) != SQLITE_OK ||
        sq_bind_optional_text(st, 8, a->interior) != SQLITE_OK ||
        sqlite3_bind_int64(st, 9, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: saving the address: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sq_exec(db, "COMMIT", err, errsz) == 0)
        result = 1;
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

/* Runs sql (text parameters ?1 and ?2, either of which it may leave unused, the
 * id as ?3) on a registration of the given status, in one transaction. An empty
 * or NULL text binds NULL. Returns 1,
 * 0 when the registration has another status, -1 on error. */
static int update_texts(struct store *s, const char *id, enum store_registration_status status,
                        const char *sql, const char *a, const char *b, int64_t now, char *err,
                        size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = begin_change(db, id, status, now, err, errsz);
    if (result != 1)
        goto done;
    result = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
        sq_bind_optional_text(st, 1, a) != SQLITE_OK ||
        sq_bind_optional_text(st, 2, b) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: updating a registration: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sq_exec(db, "COMMIT", err, errsz) == 0)
        result = 1;
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_registration_set_identity(struct store *s, const char *id, const char *nationality,
                                    const char *id_type, int64_t now, char *err, size_t errsz)
{
    return update_texts(s, id, STORE_REG_DRAFT,
                        "UPDATE registration SET nationality = ?1, id_type = ?2 WHERE id = ?3",
                        nationality, id_type, now, err, errsz);
}

int store_account_set_phone(struct store *s, const char *id, const char *phone, int64_t now,
                            char *err, size_t errsz)
{
    /* The same number keeps its confirmation; another one starts unconfirmed. */
    return update_texts(s, id, STORE_REG_ACTIVE,
                        "UPDATE registration SET phone_confirmed = CASE WHEN phone IS ?1"
                        " THEN phone_confirmed ELSE 0 END, phone = ?1 WHERE id = ?3",
                        phone, NULL, now, err, errsz);
}

int store_account_set_pending_email(struct store *s, const char *id, const char *email, int64_t now,
                                    char *err, size_t errsz)
{
    return update_texts(s, id, STORE_REG_ACTIVE,
                        "UPDATE registration SET pending_email = ?1 WHERE id = ?3", email, NULL,
                        now, err, errsz);
}

int store_registration_add_address(struct store *s, const char *id, const struct store_address *a,
                                   int64_t now, char *err, size_t errsz)
{
    return add_address(s, id, STORE_REG_DRAFT, a, now, err, errsz);
}

int store_registration_move(struct store *s, const char *id, const struct store_address *a,
                            int64_t now, char *err, size_t errsz)
{
    return add_address(s, id, STORE_REG_ACTIVE, a, now, err, errsz);
}

int store_document_add(struct store *s, const char *id, enum store_document_kind kind,
                       const struct store_document *d, int64_t now, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int result = begin_change(db, id, STORE_REG_DRAFT, now, err, errsz);
    if (result != 1)
        goto done;
    result = -1;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO document (registration, kind, blob, width, height, bytes,"
                           " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, (int)kind) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, d->blob, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, d->width) != SQLITE_OK ||
        sqlite3_bind_int(st, 5, d->height) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, d->bytes) != SQLITE_OK ||
        sqlite3_bind_int64(st, 7, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
        sq_fail(err, errsz, "database: saving a document: %s", sqlite3_errmsg(db));
        goto done;
    }
    if (sq_exec(db, "COMMIT", err, errsz) == 0)
        result = 1;
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

enum store_submit_result store_registration_submit(struct store *s, const char *id,
                                                   const char *folio, int64_t now, char *err,
                                                   size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return STORE_SUBMIT_ERROR;
    sqlite3_stmt *st = NULL;
    enum store_submit_result result = STORE_SUBMIT_ERROR;
    if (sqlite3_prepare_v2(db,
                           "UPDATE registration SET status = 1, folio = ?, updated_at = ?"
                           " WHERE id = ? AND status = 0",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, folio, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC) != SQLITE_OK) {
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
        goto done;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        result = sqlite3_changes(db) > 0 ? STORE_SUBMIT_OK : STORE_SUBMIT_NOT_DRAFT;
    } else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        /* Which unique rule: the folio's, or one active application per CURP. */
        const char *msg = sqlite3_errmsg(db);
        result = strstr(msg, "folio") ? STORE_SUBMIT_FOLIO_TAKEN : STORE_SUBMIT_CURP_ACTIVE;
    } else {
        sq_fail(err, errsz, "database: submitting: %s", sqlite3_errmsg(db));
    }
done:
    sqlite3_finalize(st);
    sq_release(s, db);
    return result;
}

int store_curp_enrolled(struct store *s, const char *curp, char *err, size_t errsz)
{
    sqlite3 *db = sq_acquire(s, err, errsz);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int found = -1;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM registration WHERE curp = ? AND status = 1", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, curp, -1, SQLITE_STATIC) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    if (found < 0)
        sq_fail(err, errsz, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sq_release(s, db);
    return found;
}
