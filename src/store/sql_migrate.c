/* store.h "Moving an installation": every row of one store copied into another,
 * empty one (padron migrate: a SQLite file into PostgreSQL), in one transaction
 * on the target, then verified table by table before it commits.
 *
 * - The tables are one list, parents before children, so each row's foreign
 *   keys find their parent already copied. store_migrate_check_tables compares
 *   it with the schema (a table missing from the list would be left behind), and
 *   store_migrate refuses to start when they differ.
 * - The columns come from the source's own description of each table (SQLite's
 *   pragma_table_info), so a column added by a later schema step is copied
 *   without touching this file. A table without a declared key (consent) is
 *   keyed by SQLite's rowid, which the PostgreSQL schema names as a column.
 * - A column that refers to its own table (emergency.merged_into) is copied as
 *   NULL and set in a second pass, once every row it may name is in.
 * - Rows are read in key order and written in multi-row INSERTs of up to
 *   PARAMS_MAX values. Values keep their type (integer, text, blob, NULL).
 * - The digest of a table is SHA-256 over its rows in key order, each value as a
 *   type tag and its bytes; text keys are ordered by bytes on both databases
 *   (COLLATE "C" on PostgreSQL, SQLite's BINARY), so equal tables give equal
 *   digests. The source's is taken while copying (one read snapshot), the
 *   target's by reading back inside the copy's transaction: a difference rolls
 *   everything back.
 * - On PostgreSQL the identity columns took the copied ids; their sequences are
 *   then set past the highest, so new rows do not collide. */
#include "store/sql_internal.h"

#include "util/alloc.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parents before children: every REFERENCES names a table earlier in the list. */
static const char *const tables[] = {
    "affiliation",
    "roll",
    "staff",
    "staff_code",
    "staff_session",
    "registration",
    "consent",
    "email_code",
    "outbox",
    "address",
    "document",
    "session",
    "throttle",
    "reset_code",
    "phone_code",
    "email_change_code",
    "name_correction",
    "credential",
    "letter",
    "home_clinic",
    "chosen_position",
    "audit",
    "appointment",
    "facility_schedule",
    "closed_day",
    "emergency",
    "referral",
    "referral_event",
    "socioeconomic_study",
    "suspension_review",
};
#define N_TABLES (sizeof tables / sizeof tables[0])
_Static_assert(N_TABLES <= STORE_MIGRATE_TABLES_MAX, "the result holds every table");

#define MAX_COLUMNS    64
#define PARAMS_MAX     999 /* values in one INSERT (the PostgreSQL driver's limit) */
#define ROWS_MAX       200 /* rows in one INSERT */
#define SQL_MAX        16384
#define PROGRESS_EVERY 4096

const char *const *store_migrate_tables(size_t *n)
{
    *n = N_TABLES;
    return tables;
}

/* A name this file may paste into SQL: lowercase letters, digits, '_'. */
static bool plain_name(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* ---- SQL text ---- */

struct sql {
    char text[SQL_MAX];
    size_t len;
    bool overflow;
};

static void sql_add(struct sql *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql_add(struct sql *q, const char *fmt, ...)
{
    if (q->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q->text + q->len, sizeof q->text - q->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof q->text - q->len)
        q->overflow = true;
    else
        q->len += (size_t)n;
}

/* ---- The schema's tables ---- */

static const char sqlite_tables_sql[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE "
    "'\\' ORDER BY name";
static const char pg_tables_sql[] =
    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = "
    "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'padron_schema' ORDER BY 1";

/* Each table of c's schema against the list, both ways; target: c is where the
 * rows go (a table of its own there is another program's, not one left behind). */
static int check_tables(struct sq_conn *c, bool target, char *err, size_t errsz)
{
    bool seen[N_TABLES] = {false};
    struct sq_stmt *st =
        sq_prepare(c, sq_dialect(c) == SQ_POSTGRESQL ? pg_tables_sql : sqlite_tables_sql);
    if (!st)
        return sq_fail_db(c, err, errsz, "tables");
    int row;
    while ((row = sq_row(st)) == 1) {
        const char *name = sq_text(st, 0);
        size_t i = 0;
        while (i < N_TABLES && strcmp(tables[i], name) != 0)
            i++;
        if (i == N_TABLES)
            return sq_fail(err, errsz,
                           target ? "table %s: not padron's; the target must be a database of "
                                    "padron's own"
                                  : "table %s: not in the list of tables to move "
                                    "(src/store/sql_migrate.c); this padron would leave it behind",
                           name);
        seen[i] = true;
    }
    if (row != 0)
        return sq_fail_db(c, err, errsz, "tables");
    for (size_t i = 0; i < N_TABLES; i++)
        if (!seen[i])
            return sq_fail(err, errsz, "table %s: listed to move but not in the database",
                           tables[i]);
    return 0;
}

int store_migrate_check_tables(struct store *s, char *err, size_t errsz)
{
    struct sq_conn *c = sq_acquire(s, err, errsz);
    if (!c)
        return -1;
    int rc = check_tables(c, false, err, errsz);
    sq_release(s, c);
    return rc;
}

/* ---- One table's shape, read from the source ---- */

struct shape {
    const char *name;
    int ncols;
    char *cols[MAX_COLUMNS];
    bool text[MAX_COLUMNS]; /* declared TEXT: ordered by bytes on PostgreSQL */
    int key[MAX_COLUMNS];   /* the key's columns, in key order */
    int nkey;
    bool self_ref[MAX_COLUMNS]; /* refers to its own table: second pass */
    bool has_self_ref;
};

static void shape_release(struct shape *t)
{
    for (int i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    memset(t, 0, sizeof *t);
}

static int add_column(struct shape *t, const char *name, bool text)
{
    if (t->ncols == MAX_COLUMNS || !plain_name(name))
        return -1;
    t->text[t->ncols] = text;
    t->cols[t->ncols++] = xstrdup(name);
    return 0;
}

/* Reads table name's columns, key and self-references from SQLite connection c. */
static int read_shape(struct sq_conn *c, const char *name, struct shape *t, char *err, size_t errsz)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    int pk_of[MAX_COLUMNS] = {0};
    struct sq_stmt *st =
        sq_query(c, "SELECT name, upper(type), pk FROM pragma_table_info(?)", SQ_TEXT(name));
    int row;
    while (st && (row = sq_row(st)) == 1) {
        if (add_column(t, sq_text(st, 0), strcmp(sq_text(st, 1), "TEXT") == 0) != 0)
            return sq_fail(err, errsz, "table %s: too many columns or an unusual column name",
                           name);
        pk_of[t->ncols - 1] = sq_int(st, 2);
    }
    if (!st || row != 0)
        return sq_fail_db(c, err, errsz, name);
    if (t->ncols == 0)
        return sq_fail(err, errsz, "table %s: no columns", name);
    for (int k = 1; k <= t->ncols; k++)
        for (int i = 0; i < t->ncols; i++)
            if (pk_of[i] == k)
                t->key[t->nkey++] = i;
    if (t->nkey == 0) { /* no declared key: SQLite's rowid, a column on PostgreSQL */
        if (t->ncols == MAX_COLUMNS)
            return sq_fail(err, errsz, "table %s: too many columns", name);
        memmove(t->cols + 1, t->cols, (size_t)t->ncols * sizeof t->cols[0]);
        memmove(t->text + 1, t->text, (size_t)t->ncols * sizeof t->text[0]);
        t->cols[0] = xstrdup("rowid");
        t->text[0] = false;
        t->ncols++;
        t->key[t->nkey++] = 0;
    }
    st = sq_query(c, "SELECT \"from\" FROM pragma_foreign_key_list(?) WHERE \"table\" = ?",
                  SQ_TEXT(name), SQ_TEXT(name));
    while (st && (row = sq_row(st)) == 1)
        for (int i = 0; i < t->ncols; i++)
            if (strcmp(t->cols[i], sq_text(st, 0)) == 0)
                t->self_ref[i] = t->has_self_ref = true;
    if (!st || row != 0)
        return sq_fail_db(c, err, errsz, name);
    return 0;
}

static void add_columns(struct sql *q, const struct shape *t)
{
    for (int i = 0; i < t->ncols; i++)
        sql_add(q, "%s%s", i ? ", " : "", t->cols[i]);
}

/* SELECT every column ORDER BY the key, on dialect d. */
static void select_sql(struct sql *q, const struct shape *t, enum sq_dialect d)
{
    sql_add(q, "SELECT ");
    add_columns(q, t);
    sql_add(q, " FROM %s ORDER BY ", t->name);
    for (int k = 0; k < t->nkey; k++)
        sql_add(q, "%s%s%s", k ? ", " : "", t->cols[t->key[k]],
                d == SQ_POSTGRESQL && t->text[t->key[k]] ? " COLLATE \"C\"" : "");
}

/* ---- Values ---- */

/* One row's values for an INSERT, copied out of the source's current row. */
struct batch {
    struct sq_value *v; /* rows * ncols */
    char **owned;       /* copies of text and blobs */
    int nowned, rows, max_rows, ncols;
};

static void batch_clear(struct batch *b)
{
    for (int i = 0; i < b->nowned; i++)
        free(b->owned[i]);
    b->nowned = b->rows = 0;
}

/* Copies column col of st into *v (text and blobs into b's memory). */
static int take_value(struct batch *b, struct sq_stmt *st, int col, struct sq_value *v)
{
    switch (sq_type(st, col)) {
    case SQ_TYPE_NULL:
        *v = (struct sq_value)SQ_OPT_TEXT(NULL);
        return 0;
    case SQ_TYPE_INT:
        *v = (struct sq_value)SQ_INT(sq_int64(st, col));
        return 0;
    case SQ_TYPE_TEXT: {
        char *copy = xstrdup(sq_text(st, col));
        b->owned[b->nowned++] = copy;
        *v = (struct sq_value)SQ_TEXT(copy);
        return 0;
    }
    case SQ_TYPE_BLOB: {
        int n = sq_bytes(st, col);
        char *copy = xmallocarray((size_t)n + 1, 1);
        if (n > 0)
            memcpy(copy, sq_blob(st, col), (size_t)n);
        b->owned[b->nowned++] = copy;
        *v = (struct sq_value)SQ_BLOB(copy, n);
        return 0;
    }
    default:
        return -1;
    }
}

/* Adds value col of st to the digest: a type tag, then its bytes. -1 for a type
 * the store never writes. */
static int digest_value(crypto_hash_sha256_state *h, struct sq_stmt *st, int col)
{
    unsigned char head[9];
    const void *bytes = NULL;
    size_t n = 0;
    enum sq_type type = sq_type(st, col);
    switch (type) {
    case SQ_TYPE_NULL:
        head[0] = 'n';
        crypto_hash_sha256_update(h, head, 1);
        return 0;
    case SQ_TYPE_INT: {
        uint64_t v = (uint64_t)sq_int64(st, col);
        head[0] = 'i';
        for (int i = 0; i < 8; i++)
            head[1 + i] = (unsigned char)(v >> (56 - 8 * i));
        crypto_hash_sha256_update(h, head, 9);
        return 0;
    }
    case SQ_TYPE_TEXT:
        bytes = sq_text(st, col);
        n = strlen(bytes);
        head[0] = 't';
        break;
    case SQ_TYPE_BLOB:
        bytes = sq_blob(st, col);
        n = (size_t)sq_bytes(st, col);
        head[0] = 'b';
        break;
    default:
        return -1;
    }
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    crypto_hash_sha256_update(h, head, 9);
    if (n > 0)
        crypto_hash_sha256_update(h, bytes, n);
    return 0;
}

/* ---- The copy ---- */

struct copy {
    struct sq_conn *from, *to;
    const struct store_migrate_hooks *hooks;
    struct store_migrate_result *r;
    long copied;
    struct sql insert; /* scratch for statement texts */
    char *err;
    size_t errsz;
};

static void progress(struct copy *c)
{
    if (c->hooks && c->hooks->progress)
        c->hooks->progress(c->hooks->ctx, c->copied);
}

/* INSERT INTO t (cols) VALUES (?, ...), ... for rows rows; self references NULL. */
static int flush(struct copy *c, const struct shape *t, struct batch *b)
{
    if (b->rows == 0)
        return 0;
    struct sql *q = &c->insert;
    q->len = 0;
    q->overflow = false;
    sql_add(q, "INSERT INTO %s (", t->name);
    add_columns(q, t);
    sql_add(q, ") VALUES ");
    for (int r = 0; r < b->rows; r++) {
        sql_add(q, "%s(", r ? ", " : "");
        for (int i = 0; i < t->ncols; i++)
            sql_add(q, "%s?", i ? ", " : "");
        sql_add(q, ")");
    }
    if (q->overflow)
        return sq_fail(c->err, c->errsz, "table %s: statement too long", t->name);
    int n = sq_run_values(c->to, q->text, b->v, b->rows * t->ncols);
    if (n != b->rows) {
        char what[96];
        snprintf(what, sizeof what, "copying %s", t->name);
        return n >= 0 ? sq_fail(c->err, c->errsz, "%s: %d rows written of %d", what, n, b->rows)
                      : sq_fail_db(c->to, c->err, c->errsz, what);
    }
    c->copied += b->rows;
    batch_clear(b);
    return 0;
}

/* Copies table t; its digest and row count into out. */
static int copy_rows(struct copy *c, const struct shape *t, struct store_migrate_table *out)
{
    struct sql q = {.len = 0};
    select_sql(&q, t, SQ_SQLITE);
    if (q.overflow)
        return sq_fail(c->err, c->errsz, "table %s: statement too long", t->name);
    struct batch b = {.ncols = t->ncols};
    b.max_rows = PARAMS_MAX / t->ncols < ROWS_MAX ? PARAMS_MAX / t->ncols : ROWS_MAX;
    b.v = xmallocarray((size_t)b.max_rows * (size_t)t->ncols, sizeof *b.v);
    b.owned = xmallocarray((size_t)b.max_rows * (size_t)t->ncols, sizeof *b.owned);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    struct sq_stmt *st = sq_stream(c->from, q.text);
    int rc = st ? 0 : sq_fail_db(c->from, c->err, c->errsz, t->name);
    int row = 0;
    long last_progress = c->copied;
    while (rc == 0 && (row = sq_row(st)) == 1) {
        struct sq_value *v = b.v + (size_t)b.rows * (size_t)t->ncols;
        for (int i = 0; i < t->ncols && rc == 0; i++) {
            if (digest_value(&h, st, i) != 0 ||
                (t->self_ref[i] ? (v[i] = (struct sq_value)SQ_OPT_TEXT(NULL), 0)
                                : take_value(&b, st, i, &v[i])) != 0)
                rc = sq_fail(c->err, c->errsz,
                             "table %s, column %s: a value of a type padron "
                             "does not store (floating point?)",
                             t->name, t->cols[i]);
        }
        out->source_rows++;
        if (rc == 0 && ++b.rows == b.max_rows)
            rc = flush(c, t, &b);
        if (c->copied - last_progress >= PROGRESS_EVERY) {
            last_progress = c->copied;
            progress(c);
        }
    }
    if (rc == 0 && row != 0)
        rc = sq_fail_db(c->from, c->err, c->errsz, t->name);
    if (rc == 0)
        rc = flush(c, t, &b);
    sq_stream_close(st);
    batch_clear(&b);
    free(b.v);
    free(b.owned);
    crypto_hash_sha256_final(&h, out->source_digest);
    return rc;
}

/* The second pass of a table with self references: sets them row by row. */
static int copy_self_refs(struct copy *c, const struct shape *t)
{
    for (int col = 0; col < t->ncols; col++) {
        if (!t->self_ref[col])
            continue;
        struct sql sel = {.len = 0}, upd = {.len = 0};
        sql_add(&sel, "SELECT %s", t->cols[col]);
        sql_add(&upd, "UPDATE %s SET %s = ? WHERE ", t->name, t->cols[col]);
        for (int k = 0; k < t->nkey; k++) {
            sql_add(&sel, ", %s", t->cols[t->key[k]]);
            sql_add(&upd, "%s%s = ?", k ? " AND " : "", t->cols[t->key[k]]);
        }
        sql_add(&sel, " FROM %s WHERE %s IS NOT NULL", t->name, t->cols[col]);
        if (sel.overflow || upd.overflow)
            return sq_fail(c->err, c->errsz, "table %s: statement too long", t->name);
        struct sq_stmt *st = sq_stream(c->from, sel.text);
        if (!st)
            return sq_fail_db(c->from, c->err, c->errsz, t->name);
        struct batch b = {.owned = xmallocarray(MAX_COLUMNS + 1, sizeof(char *))};
        struct sq_value v[MAX_COLUMNS + 1];
        int row, rc = 0;
        while (rc == 0 && (row = sq_row(st)) == 1) {
            for (int i = 0; i <= t->nkey && rc == 0; i++)
                rc = take_value(&b, st, i, &v[i]);
            if (rc == 0 && sq_run_values(c->to, upd.text, v, t->nkey + 1) != 1)
                rc = sq_fail_db(c->to, c->err, c->errsz, t->name);
            batch_clear(&b);
        }
        if (rc == 0 && row != 0)
            rc = sq_fail_db(c->from, c->err, c->errsz, t->name);
        sq_stream_close(st);
        free(b.owned);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Reads table t back from the target: its rows and digest into out. */
static int digest_target(struct copy *c, const struct shape *t, struct store_migrate_table *out)
{
    struct sql q = {.len = 0};
    select_sql(&q, t, sq_dialect(c->to));
    struct sq_stmt *st = q.overflow ? NULL : sq_stream(c->to, q.text);
    if (!st)
        return sq_fail_db(c->to, c->err, c->errsz, t->name);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    int row, rc = 0;
    while (rc == 0 && (row = sq_row(st)) == 1) {
        for (int i = 0; i < t->ncols && rc == 0; i++)
            rc = digest_value(&h, st, i);
        out->target_rows++;
    }
    if (rc == 0 && row != 0)
        rc = sq_fail_db(c->to, c->err, c->errsz, t->name);
    else if (rc != 0)
        sq_fail(c->err, c->errsz, "table %s: the target returned a value of another type", t->name);
    sq_stream_close(st);
    crypto_hash_sha256_final(&h, out->target_digest);
    return rc;
}

/* The first table of the list with a row on the target, or NULL; -1 on error. */
static int first_nonempty(struct copy *c, const char **name)
{
    *name = NULL;
    for (size_t i = 0; i < N_TABLES && !*name; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", tables[i]);
        struct sq_stmt *st = sq_prepare(c->to, sql);
        int row = st ? sq_row(st) : -1;
        if (row < 0)
            return sq_fail_db(c->to, c->err, c->errsz, tables[i]);
        if (row == 1)
            *name = tables[i];
    }
    return 0;
}

/* PostgreSQL: every identity sequence past the highest id copied. */
static int advance_sequences(struct copy *c)
{
    struct sq_stmt *st =
        sq_prepare(c->to, "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM "
                          "information_schema.columns WHERE table_schema = current_schema() AND "
                          "is_identity = 'YES' ORDER BY 1, 2");
    if (!st)
        return sq_fail_db(c->to, c->err, c->errsz, "identity columns");
    char names[N_TABLES * 2][64];
    int n = 0, row;
    while ((row = sq_row(st)) == 1 && n < (int)N_TABLES * 2) {
        if (!plain_name(sq_text(st, 0)) || !plain_name(sq_text(st, 1)))
            return sq_fail(c->err, c->errsz, "identity column %s: unusual name", sq_text(st, 0));
        sq_copy_column(st, 0, names[n], sizeof names[n]);
        sq_copy_column(st, 1, names[n + 1], sizeof names[n + 1]);
        n += 2;
    }
    if (row < 0)
        return sq_fail_db(c->to, c->err, c->errsz, "identity columns");
    for (int i = 0; i < n; i += 2) {
        struct sql q = {.len = 0};
        sql_add(&q,
                "SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE(MAX(%s), 0) + 1, "
                "false) FROM %s",
                names[i], names[i + 1], names[i + 1], names[i]);
        struct sq_stmt *set = sq_prepare(c->to, q.text);
        if (!set || sq_row(set) != 1)
            return sq_fail_db(c->to, c->err, c->errsz, "identity sequence");
    }
    return 0;
}

static int count_source(struct copy *c, long *total)
{
    *total = 0;
    for (size_t i = 0; i < N_TABLES; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        struct sq_stmt *st = sq_prepare(c->from, sql);
        if (!st || sq_row(st) != 1)
            return sq_fail_db(c->from, c->err, c->errsz, tables[i]);
        *total += (long)sq_int64(st, 0);
    }
    return 0;
}

static int copy_all(struct copy *c)
{
    struct store_migrate_result *r = c->r;
    if (sq_dialect(c->from) != SQ_SQLITE)
        return sq_fail(c->err, c->errsz, "--from: the source must be a SQLite file");
    if (check_tables(c->from, false, c->err, c->errsz) != 0 ||
        check_tables(c->to, true, c->err, c->errsz) != 0)
        return -1;
    if (sq_begin_read(c->from, c->err, c->errsz) != 0 || sq_begin(c->to, c->err, c->errsz) != 0)
        return -1;
    const char *busy;
    if (first_nonempty(c, &busy) != 0)
        return -1;
    if (busy)
        return sq_fail(c->err, c->errsz,
                       "the target database is not empty (table %s has rows): padron migrate "
                       "fills an empty database only, it never mixes two installations",
                       busy);
    long total;
    if (count_source(c, &total) != 0)
        return -1;
    if (c->hooks && c->hooks->start)
        c->hooks->start(c->hooks->ctx, total);
    struct shape shapes[N_TABLES];
    memset(shapes, 0, sizeof shapes);
    int rc = 0;
    for (size_t i = 0; i < N_TABLES && rc == 0; i++) {
        struct store_migrate_table *out = &r->table[r->n++];
        out->name = tables[i];
        rc = read_shape(c->from, tables[i], &shapes[i], c->err, c->errsz);
        if (rc == 0)
            rc = copy_rows(c, &shapes[i], out);
        if (rc == 0 && shapes[i].has_self_ref)
            rc = copy_self_refs(c, &shapes[i]);
        progress(c);
    }
    r->rows = c->copied;
    r->verified = rc == 0;
    for (size_t i = 0; i < N_TABLES && rc == 0; i++) {
        struct store_migrate_table *out = &r->table[i];
        rc = digest_target(c, &shapes[i], out);
        out->same = rc == 0 && out->source_rows == out->target_rows &&
                    memcmp(out->source_digest, out->target_digest, sizeof out->source_digest) == 0;
        r->verified = r->verified && out->same;
    }
    for (size_t i = 0; i < N_TABLES; i++)
        shape_release(&shapes[i]);
    if (rc != 0)
        return -1;
    if (!r->verified)
        return 1;
    if (sq_dialect(c->to) == SQ_POSTGRESQL && advance_sequences(c) != 0)
        return -1;
    return sq_commit(c->to, c->err, c->errsz);
}

int store_migrate(struct store *from, struct store *to, const struct store_migrate_hooks *hooks,
                  struct store_migrate_result *r, char *err, size_t errsz)
{
    memset(r, 0, sizeof *r);
    struct copy *c = xcalloc(1, sizeof *c);
    *c = (struct copy){.hooks = hooks, .r = r, .err = err, .errsz = errsz};
    int rc = -1;
    c->from = sq_acquire(from, err, errsz);
    c->to = c->from ? sq_acquire(to, err, errsz) : NULL;
    if (c->to)
        rc = copy_all(c);
    if (rc != 0)
        r->verified = false;
    sq_release(to, c->to); /* rolls back what did not commit */
    sq_release(from, c->from);
    free(c);
    return rc;
}
