/* store.h bulk loads of active enrollments (padron synth). */
#include "store/sql_internal.h"

#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Addresses wait and go in ADDRESS_ROWS at a time, one statement instead of one a
 * row (each a round trip on PostgreSQL). Their registrations are already written
 * in the open transaction, and every commit writes the waiting ones first. Nine
 * parameters a row: 900 stays within the PostgreSQL driver's 999. */
#define ADDRESS_ROWS    100
#define ADDRESS_COLUMNS 9
#define ADDRESS_INSERT                                                                             \
    "INSERT INTO address (registration, postal_code, state, municipality, settlement, street,"     \
    " number, interior, recorded_at) VALUES "
#define ADDRESS_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?)"

struct pending_address {
    char registration[STORE_ID_LEN + 1];
    struct store_address address;
    int64_t at;
};

struct store_bulk {
    struct store *store;
    struct sq_conn *conn; /* holds the write transaction of the open batch */
    size_t batch, in_batch, added;
    struct pending_address pending[ADDRESS_ROWS];
    size_t n_pending;
    struct sq_value values[ADDRESS_ROWS * ADDRESS_COLUMNS];
    char insert_many[sizeof ADDRESS_INSERT + ADDRESS_ROWS * (sizeof ADDRESS_ROW + 1)];
};

int store_bulk_begin(struct store *s, size_t batch, struct store_bulk **out, char *err,
                     size_t errsz)
{
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    /* Keys arrive in random order: a large page cache keeps the indexes' inner
     * pages in memory (256 MiB at most, given back when the connection closes). */
    if ((sq_dialect(conn) == SQ_SQLITE &&
         sq_exec(conn, "PRAGMA cache_size = -262144", err, errsz) != 0) ||
        sq_begin(conn, err, errsz) != 0) {
        sq_release(s, conn);
        return -1;
    }
    struct store_bulk *b = xcalloc(1, sizeof *b);
    b->store = s;
    b->conn = conn;
    b->batch = batch ? batch : 1;
    size_t at = (size_t)snprintf(b->insert_many, sizeof b->insert_many, "%s", ADDRESS_INSERT);
    for (size_t i = 0; i < ADDRESS_ROWS; i++)
        at += (size_t)snprintf(b->insert_many + at, sizeof b->insert_many - at, "%s%s",
                               i ? "," : "", ADDRESS_ROW);
    *out = b;
    return 0;
}

/* The parameters of one address row, in ADDRESS_ROW's order. */
static void address_values(const struct pending_address *p, struct sq_value *v)
{
    const struct store_address *a = &p->address;
    const struct sq_value row[ADDRESS_COLUMNS] = {
        SQ_TEXT(p->registration), SQ_TEXT(a->postal_code),  SQ_INT(a->state),
        SQ_INT(a->municipality),  SQ_TEXT(a->settlement),   SQ_TEXT(a->street),
        SQ_TEXT(a->number),       SQ_OPT_TEXT(a->interior), SQ_INT(p->at)};
    memcpy(v, row, sizeof row);
}

/* Writes the waiting addresses: ADDRESS_ROWS in one statement, fewer one by one. */
static int flush_addresses(struct store_bulk *b, char *err, size_t errsz)
{
    for (size_t i = 0; i < b->n_pending; i++)
        address_values(&b->pending[i], &b->values[i * ADDRESS_COLUMNS]);
    int rc = 0;
    if (b->n_pending == ADDRESS_ROWS) {
        rc = sq_run_values(b->conn, b->insert_many, b->values, ADDRESS_ROWS * ADDRESS_COLUMNS);
    } else {
        for (size_t i = 0; i < b->n_pending && rc >= 0; i++)
            rc = sq_run_values(b->conn, ADDRESS_INSERT ADDRESS_ROW, &b->values[i * ADDRESS_COLUMNS],
                               ADDRESS_COLUMNS);
    }
    b->n_pending = 0;
    return rc < 0 ? sq_fail_db(b->conn, err, errsz, "adding addresses") : 0;
}

/* Commits the open batch, its waiting addresses with it, and opens the next one. */
static int next_batch(struct store_bulk *b, char *err, size_t errsz)
{
    if (flush_addresses(b, err, errsz) != 0 || sq_commit(b->conn, err, errsz) != 0 ||
        sq_begin(b->conn, err, errsz) != 0)
        return -1;
    b->in_batch = 0;
    return 0;
}

enum store_bulk_result store_bulk_enroll(struct store_bulk *b,
                                         const struct store_bulk_enrollment *e, char *err,
                                         size_t errsz)
{
    const struct store_address *a = e->address;
    const struct store_names *n = e->names;
    /* A taken CURP or folio adds nothing and leaves the batch open (a failed
     * statement would abort the whole batch on PostgreSQL). */
    int added = sq_run(
        b->conn,
        "INSERT INTO registration (id, curp, status, token_hash, created_at, updated_at, folio,"
        " state, email, email_verified_at, given_names, first_surname, second_surname,"
        " nationality, id_type) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, "
        "'mexican', 'ine') ON CONFLICT DO NOTHING",
        SQ_TEXT(e->id), SQ_TEXT(e->curp), SQ_HASH(e->token_hash), SQ_INT(e->at), SQ_INT(e->at),
        SQ_TEXT(e->folio), SQ_INT(a->state), SQ_OPT_TEXT(e->email), SQ_INT(e->email ? e->at : 0),
        SQ_TEXT(n->given_names), SQ_TEXT(n->first_surname), SQ_OPT_TEXT(n->second_surname));
    if (added < 0)
        goto fail;
    if (added == 0) {
        struct sq_stmt *folio =
            sq_query(b->conn, "SELECT 1 FROM registration WHERE folio = ?", SQ_TEXT(e->folio));
        int taken = folio ? sq_row(folio) : -1;
        if (taken < 0)
            goto fail;
        return taken ? STORE_BULK_FOLIO_TAKEN : STORE_BULK_CURP_TAKEN;
    }
    struct pending_address *p = &b->pending[b->n_pending++];
    snprintf(p->registration, sizeof p->registration, "%s", e->id);
    p->address = *a;
    p->at = e->at;
    if (b->n_pending == ADDRESS_ROWS && flush_addresses(b, err, errsz) != 0)
        return STORE_BULK_ERROR;
    b->added++;
    if (++b->in_batch >= b->batch && next_batch(b, err, errsz) != 0)
        return STORE_BULK_ERROR;
    return STORE_BULK_ADDED;
fail:
    sq_fail_db(b->conn, err, errsz, "adding an enrollment");
    return STORE_BULK_ERROR;
}

/* Rolls back what is not committed, gives the connection its default cache back,
 * returns it to the pool and frees b. */
static void release(struct store_bulk *b)
{
    sq_rollback(b->conn);
    if (sq_dialect(b->conn) == SQ_SQLITE)
        sq_exec(b->conn, "PRAGMA cache_size = -2000", NULL, 0);
    sq_release(b->store, b->conn);
    free(b);
}

int store_bulk_finish(struct store_bulk *b, size_t *added, char *err, size_t errsz)
{
    int rc = flush_addresses(b, err, errsz) == 0 ? sq_commit(b->conn, err, errsz) : -1;
    if (rc == 0 && added)
        *added = b->added;
    release(b);
    return rc;
}

void store_bulk_abort(struct store_bulk *b)
{
    if (b)
        release(b);
}
