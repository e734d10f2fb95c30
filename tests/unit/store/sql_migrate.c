/* Unit tests for src/store/sql_migrate.c on SQLite files: the list of tables against
 * the schema, and a whole copy from one store into another (the same code moves a
 * SQLite file into PostgreSQL: tests/cli/migrate.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/audit_chain.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s\n", msg);
    sqlite3_free(msg);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

static long count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Every table a fresh database has is on the list, read here from sqlite_master
 * itself: a schema step that adds a table fails this test until the table is
 * listed (and so moved by padron migrate). */
static void test_every_table_is_listed(void **state)
{
    struct fixture *f = *state;
    size_t n;
    const char *const *tables = store_migrate_tables(&n);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t in_schema = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        size_t i = 0;
        while (i < n && strcmp(tables[i], name) != 0)
            i++;
        if (i == n)
            fail_msg("table %s is in the schema but not in store_migrate_tables", name);
        in_schema++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(in_schema, n);
    char err[256] = "";
    assert_int_equal(store_migrate_check_tables(f->store, err, sizeof err), 0);
}

static void test_unlisted_table_is_refused(void **state)
{
    struct fixture *f = *state;
    exec_sql(f->path, "CREATE TABLE later_feature (id INTEGER PRIMARY KEY)");
    char err[256] = "";
    assert_int_equal(store_migrate_check_tables(f->store, err, sizeof err), -1);
    assert_non_null(strstr(err, "table later_feature: not in the list"));
}

/* A target of its own next to the fixture's source. */
static struct store *open_target(struct fixture *f, char *path, size_t size)
{
    snprintf(path, size, "%s/target.db", f->dir);
    struct store *to = NULL;
    char err[256];
    assert_int_equal(store_open(path, &to, err, sizeof err), 0);
    return to;
}

/* Rows of several kinds: enrollments (text keys, blobs), staff and the audit chain
 * (integer keys), consent (no key: rowid), emergencies merged into one that sorts
 * after them (a self reference), an empty blob and NULLs. */
static void fill_source(struct fixture *f)
{
    active_account(f, "a0000000000000000000000000000001", "GODE561231MHGMZM01", "a@ejemplo.mx");
    active_account(f, "b0000000000000000000000000000002", "PXNE660720HMCXTN06", "b@ejemplo.mx");
    char err[256];
    struct store_staff staff = {.role = "receptionist", .unit = "HGSSA000123"};
    snprintf(staff.email, sizeof staff.email, "recepcion@ejemplo.mx");
    uint8_t code[STORE_TOKEN_HASH_LEN] = {1};
    int64_t id;
    assert_int_equal(store_staff_add(f->store, &staff, code, 100, NULL, 5, &id, err, sizeof err),
                     1);
    for (int i = 0; i < 3; i++) {
        struct store_audit_record r = {.at = 10 + i, .staff = id};
        snprintf(r.role, sizeof r.role, "receptionist");
        snprintf(r.unit, sizeof r.unit, "HGSSA000123");
        snprintf(r.action, sizeof r.action, "person.lookup");
        snprintf(r.subject, sizeof r.subject, "GODE561231MHGMZM01");
        snprintf(r.client, sizeof r.client, "127.0.0.1");
        assert_int_equal(store_audit_append(f->store, &r, err, sizeof err), 0);
    }
    exec_sql(f->path,
             "INSERT INTO emergency (id, unit, opened_at, opened_by, triage, identity, status,"
             " updated_at) VALUES ('ZZZZZZZZZZZZZZ', 'HGSSA000123', 1, 1, 'red', 'unidentified',"
             " 'open', 1);"
             "INSERT INTO emergency (id, unit, opened_at, opened_by, triage, identity, status,"
             " closed_at, merged_into, updated_at, features) VALUES ('AAAAAAAAAAAAAA',"
             " 'HGSSA000123', 1, 1, 'green', 'unidentified', 'merged', 2, 'ZZZZZZZZZZZZZZ', 2,"
             " 'cicatriz en la mano, ñ y acentos: á');"
             "INSERT INTO throttle (key, window_start, failures) VALUES ('b', 1, 2), ('B', 1, 3),"
             " ('a', 1, 1);");
}

static int verify_each(void *ctx, const struct store_audit_record *r)
{
    return audit_verifier_add(ctx, r) != 0;
}

static void test_copy_is_whole_and_verified(void **state)
{
    struct fixture *f = *state;
    fill_source(f);
    char path[160], err[256] = "";
    struct store *to = open_target(f, path, sizeof path);
    struct store_migrate_result *r = calloc(1, sizeof *r);
    assert_int_equal(store_migrate(f->store, to, NULL, r, err, sizeof err), 0);
    assert_true(r->verified);
    size_t n;
    store_migrate_tables(&n);
    assert_int_equal(r->n, n);
    long rows = 0;
    for (size_t i = 0; i < r->n; i++) {
        assert_true(r->table[i].same);
        assert_int_equal(r->table[i].source_rows, r->table[i].target_rows);
        rows += r->table[i].source_rows;
    }
    assert_int_equal(r->rows, rows);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM registration"), 2);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM consent"), 2);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM audit"), 3);
    assert_int_equal(
        count_rows(path, "SELECT count(*) FROM emergency WHERE merged_into = 'ZZZZZZZZZZZZZZ'"), 1);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM consent WHERE rowid = 2"), 1);
    /* The audit chain reads back whole through the store, and a new record
     * continues it. */
    struct audit_verifier v;
    audit_verifier_init(&v);
    assert_int_equal(store_audit_each(to, NULL, verify_each, &v, err, sizeof err), 3);
    assert_null(v.why);
    struct store_audit_record next = {.at = 20, .staff = 1};
    snprintf(next.role, sizeof next.role, "receptionist");
    snprintf(next.unit, sizeof next.unit, "HGSSA000123");
    snprintf(next.action, sizeof next.action, "person.lookup");
    snprintf(next.subject, sizeof next.subject, "GODE561231MHGMZM01");
    snprintf(next.client, sizeof next.client, "127.0.0.1");
    assert_int_equal(store_audit_append(to, &next, err, sizeof err), 0);
    assert_int_equal(next.seq, 4);

    /* A second run finds the target full and writes nothing. */
    assert_int_equal(store_migrate(f->store, to, NULL, r, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty (table staff has rows)"));
    assert_int_equal(count_rows(path, "SELECT count(*) FROM registration"), 2);
    free(r);
    store_close(to);
}

static void test_foreign_key_failure_leaves_target_empty(void **state)
{
    struct fixture *f = *state;
    fill_source(f);
    /* A consent whose registration does not exist: SQLite took it with foreign keys
     * off; the target's foreign keys refuse it, and the whole copy rolls back. */
    exec_sql(f->path, "PRAGMA foreign_keys = OFF; INSERT INTO consent (registration,"
                      " notice_version, language, accepted_at) VALUES"
                      " ('c0000000000000000000000000000003', '2026-11', 'es', 9);");
    char path[160], err[256] = "";
    struct store *to = open_target(f, path, sizeof path);
    struct store_migrate_result *r = calloc(1, sizeof *r);
    assert_int_equal(store_migrate(f->store, to, NULL, r, err, sizeof err), -1);
    assert_non_null(strstr(err, "copying consent"));
    assert_false(r->verified);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM registration"), 0);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM staff"), 0);
    free(r);
    store_close(to);
}

/* A target that changes what it is given (a trigger here) fails the verification:
 * the table is named and nothing is committed. */
static void test_difference_rolls_back(void **state)
{
    struct fixture *f = *state;
    fill_source(f);
    char path[160], err[256] = "";
    struct store *to = open_target(f, path, sizeof path);
    exec_sql(path, "CREATE TRIGGER tamper AFTER INSERT ON throttle BEGIN UPDATE throttle"
                   " SET failures = failures + 1 WHERE key = NEW.key; END;");
    struct store_migrate_result *r = calloc(1, sizeof *r);
    assert_int_equal(store_migrate(f->store, to, NULL, r, err, sizeof err), 1);
    assert_false(r->verified);
    for (size_t i = 0; i < r->n; i++) {
        bool throttle = strcmp(r->table[i].name, "throttle") == 0;
        assert_int_equal(r->table[i].same, !throttle);
        if (throttle)
            assert_int_equal(r->table[i].target_rows, 3);
    }
    assert_int_equal(count_rows(path, "SELECT count(*) FROM registration"), 0);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM throttle"), 0);
    free(r);
    store_close(to);
}

struct ticks {
    long total, last;
};

static void on_start(void *ctx, long total)
{
    ((struct ticks *)ctx)->total = total;
}

static void on_progress(void *ctx, long copied)
{
    ((struct ticks *)ctx)->last = copied;
}

static void test_progress_reaches_the_total(void **state)
{
    struct fixture *f = *state;
    fill_source(f);
    char path[160], err[256] = "";
    struct store *to = open_target(f, path, sizeof path);
    struct store_migrate_result *r = calloc(1, sizeof *r);
    struct ticks t = {0};
    struct store_migrate_hooks hooks = {on_start, on_progress, &t};
    assert_int_equal(store_migrate(f->store, to, &hooks, r, err, sizeof err), 0);
    assert_true(t.total > 10);
    assert_int_equal(t.last, t.total);
    assert_int_equal(r->rows, t.total);
    free(r);
    store_close(to);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_table_is_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlisted_table_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_is_whole_and_verified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_key_failure_leaves_target_empty, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_difference_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_reaches_the_total, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
