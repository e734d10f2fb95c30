/* store.h registrations. */
#include "store/sql_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Registrations ---- */

int store_registration_create(struct store *s, const char *id, const char *curp,
                              const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                              char *err, size_t errsz)
{
    int n = sq_write(s, "creating a registration", err, errsz,
                     "INSERT INTO registration (id, curp, status, token_hash, created_at,"
                     " updated_at) VALUES (?, ?, 0, ?, ?, ?)",
                     SQ_TEXT(id), SQ_TEXT(curp), SQ_HASH(token_hash), SQ_INT(now), SQ_INT(now));
    return n < 0 ? -1 : 0;
}

/* Fills reg->documents with the latest upload of each kind. */
static int read_documents(struct sq_conn *conn, struct store_registration *reg, char *err,
                          size_t errsz)
{
    /* Every upload in the index's order: the last of a kind is the latest. (Asking
     * for "id IN (SELECT max(id) ...)" builds a temporary b-tree on every call.) */
    struct sq_stmt *st =
        sq_query(conn,
                 "SELECT kind, blob, width, height, bytes, uploaded_at FROM document"
                 " WHERE registration = ? ORDER BY kind, id",
                 SQ_TEXT(reg->id));
    int row = st ? sq_row(st) : -1;
    for (; row == 1; row = sq_row(st)) {
        int kind = sq_int(st, 0);
        if (kind < 0 || kind >= STORE_DOC_KINDS)
            continue;
        struct store_document *d = &reg->documents[kind];
        sq_copy_column(st, 1, d->blob, sizeof d->blob);
        d->width = sq_int(st, 2);
        d->height = sq_int(st, 3);
        d->bytes = sq_int64(st, 4);
        d->uploaded_at = sq_int64(st, 5);
    }
    return row == 0 ? 0 : sq_fail_db(conn, err, errsz, "reading documents");
}

/* Fills out from a row of store_registration_get's query (all but the documents). */
static void read_registration(struct sq_stmt *st, struct store_registration *out)
{
    memset(out, 0, sizeof *out);
    sq_copy_column(st, 0, out->id, sizeof out->id);
    sq_copy_column(st, 1, out->curp, sizeof out->curp);
    out->status = (enum store_registration_status)sq_int(st, 2);
    memcpy(out->token_hash, sq_blob(st, 3), STORE_TOKEN_HASH_LEN);
    out->created_at = sq_int64(st, 4);
    out->updated_at = sq_int64(st, 5);
    sq_copy_column(st, 6, out->folio, sizeof out->folio);
    struct store_contact *c = &out->contact;
    c->state = sq_int(st, 7);
    sq_copy_column(st, 8, c->phone, sizeof c->phone);
    c->phone_confirmed = sq_int(st, 9) != 0;
    sq_copy_column(st, 10, c->email, sizeof c->email);
    c->email_verified_at = sq_int64(st, 11);
    sq_copy_column(st, 12, c->privacy_version, sizeof c->privacy_version);
    c->privacy_accepted_at = sq_int64(st, 13);
    out->password_set = sq_int(st, 14) != 0;
    struct store_address *a = &out->address;
    sq_copy_column(st, 15, a->postal_code, sizeof a->postal_code);
    a->state = sq_int(st, 16);
    a->municipality = sq_int(st, 17);
    sq_copy_column(st, 18, a->settlement, sizeof a->settlement);
    sq_copy_column(st, 19, a->street, sizeof a->street);
    sq_copy_column(st, 20, a->number, sizeof a->number);
    sq_copy_column(st, 21, a->interior, sizeof a->interior);
    a->recorded_at = sq_int64(st, 22);
    sq_copy_column(st, 23, out->nationality, sizeof out->nationality);
    sq_copy_column(st, 24, out->id_type, sizeof out->id_type);
    sq_copy_column(st, 25, out->pending_email, sizeof out->pending_email);
    sq_copy_column(st, 26, out->names.given_names, sizeof out->names.given_names);
    sq_copy_column(st, 27, out->names.first_surname, sizeof out->names.first_surname);
    sq_copy_column(st, 28, out->names.second_surname, sizeof out->names.second_surname);
    out->names_corrected_at = sq_int64(st, 29);
    out->assisted_by = sq_int64(st, 30);
    out->verified_by_staff = sq_int64(st, 31);
    out->verified_by_staff_at = sq_int64(st, 32);
    out->suspended_at = sq_int64(st, 33);
    out->suspended_institution = sq_int(st, 34) == STORE_ISSSTE ? STORE_ISSSTE : STORE_IMSS;
}

int store_registration_get(struct store *s, const char *id, struct store_registration *out,
                           char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st = sq_query(
        conn,
        "SELECT r.id, r.curp, r.status, r.token_hash, r.created_at, r.updated_at,"
        " r.folio, r.state, r.phone, r.phone_confirmed, r.email,"
        " r.email_verified_at, c.notice_version, c.accepted_at, r.password_hash IS NOT NULL,"
        " a.postal_code, a.state, a.municipality, a.settlement, a.street,"
        " a.number, a.interior, a.recorded_at, r.nationality, r.id_type, r.pending_email,"
        " r.given_names, r.first_surname, r.second_surname, r.names_corrected_at,"
        " r.assisted_by, r.verified_by_staff, r.verified_by_staff_at,"
        " r.suspended_at, r.suspended_institution "
        "FROM registration r LEFT JOIN consent c ON c.rowid = ("
        " SELECT rowid FROM consent WHERE registration = r.id"
        " ORDER BY accepted_at DESC, rowid DESC LIMIT 1) "
        "LEFT JOIN address a ON a.id = (SELECT max(id) FROM address WHERE registration = r.id) "
        "WHERE r.id = ?",
        SQ_TEXT(id));
    int found = st ? sq_row(st) : -1;
    if (found < 0) {
        sq_fail_db(conn, err, errsz, "reading a registration");
    } else if (found == 1 && sq_bytes(st, 3) != STORE_TOKEN_HASH_LEN) {
        found = sq_fail(err, errsz, "database: a registration's token hash is malformed");
    } else if (found == 1) {
        read_registration(st, out);
        found = read_documents(conn, out, err, errsz) == 0 ? 1 : -1;
    }
    sq_release(s, conn);
    return found;
}

int store_registration_set_contact(struct store *s, const char *id, const struct store_contact *c,
                                   const char *language, int64_t now, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    /* A new address or number must be proven again; the same one keeps its proof. */
    int changed = sq_run(
        conn,
        "UPDATE registration SET state = ?1, phone = ?2, email = ?3,"
        " phone_confirmed = CASE WHEN phone IS NOT DISTINCT FROM ?2 THEN phone_confirmed ELSE 0 "
        "END,"
        " email_verified_at = CASE WHEN email IS NOT DISTINCT FROM ?3 THEN email_verified_at END,"
        " updated_at = ?4 WHERE id = ?5 AND status = 0",
        SQ_INT(c->state), SQ_OPT_TEXT(c->phone), SQ_OPT_TEXT(c->email), SQ_INT(now), SQ_TEXT(id));
    if (changed <= 0)
        result = changed < 0 ? sq_fail_db(conn, err, errsz, "saving contact data") : 0;
    else if (sq_run(conn,
                    "INSERT INTO consent (registration, notice_version, language, accepted_at,"
                    " assisted_by) VALUES (?, ?, ?, ?, nullif(?, 0))",
                    SQ_TEXT(id), SQ_TEXT(c->privacy_version), SQ_TEXT(language), SQ_INT(now),
                    /* read at a desk with the person present: the staff member recording it */
                    SQ_INT(sq_audit_attached() ? sq_audit_attached()->staff : 0)) < 0)
        sq_fail_db(conn, err, errsz, "recording consent");
    else if (sq_commit(conn, err, errsz) == 0)
        result = 1;
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

int store_registration_set_password(struct store *s, const char *id, const char *hash, int64_t now,
                                    char *err, size_t errsz)
{
    int n = sq_write(s, "saving the password", err, errsz,
                     "UPDATE registration SET password_hash = ?, updated_at = ?"
                     " WHERE id = ? AND status = 0",
                     SQ_TEXT(hash), SQ_INT(now), SQ_TEXT(id));
    return n < 0 ? -1 : n > 0;
}

/* Runs sql with the values on a registration of the given status, in one
 * transaction that also stamps its updated_at. Returns 1, 0 when the
 * registration has another status (or does not exist), -1 on error. */
static int change_values(struct store *s, const char *id, enum store_registration_status status,
                         int64_t now, const char *what, char *err, size_t errsz, const char *sql,
                         const struct sq_value *v, int n)
{
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    int changed = sq_run(conn, "UPDATE registration SET updated_at = ? WHERE id = ? AND status = ?",
                         SQ_INT(now), SQ_TEXT(id), SQ_INT(status));
    if (changed <= 0)
        result = changed < 0 ? sq_fail_db(conn, err, errsz, what) : 0;
    else if (sq_run_values(conn, sql, v, n) < 0)
        sq_fail_db(conn, err, errsz, what);
    else if (sq_commit(conn, err, errsz) == 0)
        result = 1;
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}
#define change(s, id, status, now, what, err, errsz, sql, ...)                                     \
    change_values(s, id, status, now, what, err, errsz, sql, SQ_VALUES(__VA_ARGS__))

int store_registration_set_identity(struct store *s, const char *id, const char *nationality,
                                    const char *id_type, int64_t now, char *err, size_t errsz)
{
    return change(s, id, STORE_REG_DRAFT, now, "saving the identity", err, errsz,
                  "UPDATE registration SET nationality = ?, id_type = ? WHERE id = ?",
                  SQ_OPT_TEXT(nationality), SQ_OPT_TEXT(id_type), SQ_TEXT(id));
}

int store_account_set_phone(struct store *s, const char *id, const char *phone, int64_t now,
                            char *err, size_t errsz)
{
    /* The same number keeps its confirmation; another one starts unconfirmed. */
    return change(
        s, id, STORE_REG_ACTIVE, now, "saving the phone", err, errsz,
        "UPDATE registration SET phone_confirmed = CASE WHEN phone IS NOT DISTINCT FROM ?1"
        " THEN phone_confirmed ELSE 0 END, phone = ?1 WHERE id = ?2",
        SQ_OPT_TEXT(phone), SQ_TEXT(id));
}

int store_account_set_pending_email(struct store *s, const char *id, const char *email, int64_t now,
                                    char *err, size_t errsz)
{
    return change(s, id, STORE_REG_ACTIVE, now, "saving the new email", err, errsz,
                  "UPDATE registration SET pending_email = ? WHERE id = ?", SQ_OPT_TEXT(email),
                  SQ_TEXT(id));
}

static int add_address(struct store *s, const char *id, enum store_registration_status status,
                       const struct store_address *a, int64_t now, char *err, size_t errsz)
{
    return change(s, id, status, now, "saving the address", err, errsz,
                  "INSERT INTO address (registration, postal_code, state, municipality,"
                  " settlement, street, number, interior, recorded_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  SQ_TEXT(id), SQ_TEXT(a->postal_code), SQ_INT(a->state), SQ_INT(a->municipality),
                  SQ_TEXT(a->settlement), SQ_TEXT(a->street), SQ_TEXT(a->number),
                  SQ_OPT_TEXT(a->interior), SQ_INT(now));
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
    return change(s, id, STORE_REG_DRAFT, now, "saving a document", err, errsz,
                  "INSERT INTO document (registration, kind, blob, width, height, bytes,"
                  " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  SQ_TEXT(id), SQ_INT(kind), SQ_TEXT(d->blob), SQ_INT(d->width), SQ_INT(d->height),
                  SQ_INT(d->bytes), SQ_INT(now));
}

enum store_submit_result store_registration_submit(struct store *s, const char *id,
                                                   const char *folio, int64_t now, char *err,
                                                   size_t errsz)
{
    /* A transaction of its own, so an audit record bound by store_audit_attach
     * commits with the submit. */
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_SUBMIT_ERROR;
    enum store_submit_result result = STORE_SUBMIT_ERROR;
    struct sq_stmt *st = sq_query(conn,
                                  "UPDATE registration SET status = 1, folio = ?, updated_at = ?"
                                  " WHERE id = ? AND status = 0",
                                  SQ_TEXT(folio), SQ_INT(now), SQ_TEXT(id));
    int rc = st ? sq_done(st) : -1;
    if (rc >= 0) {
        result = rc > 0 ? STORE_SUBMIT_OK : STORE_SUBMIT_NOT_DRAFT;
        if (result == STORE_SUBMIT_OK && sq_commit(conn, err, errsz) != 0)
            result = STORE_SUBMIT_ERROR;
    } else if (rc == SQ_CONFLICT) {
        /* Which unique rule: the folio's, or one active application per CURP
         * (SQLite names the column, PostgreSQL the constraint). */
        const char *msg = sq_errmsg(conn);
        result = strstr(msg, "folio") ? STORE_SUBMIT_FOLIO_TAKEN : STORE_SUBMIT_CURP_ACTIVE;
    } else {
        sq_fail_db(conn, err, errsz, "submitting");
    }
    sq_release(s, conn);
    return result;
}

int store_curp_enrolled(struct store *s, const char *curp, char *err, size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    struct sq_stmt *st =
        sq_query(conn, "SELECT 1 FROM registration WHERE curp = ? AND status = 1", SQ_TEXT(curp));
    int found = st ? sq_row(st) : -1;
    if (found < 0)
        sq_fail_db(conn, err, errsz, "looking up a CURP");
    sq_release(s, conn);
    return found;
}
