/*
 * store.h one-time codes: the email- and phone-verification codes of a
 * draft and the password-reset code of an active enrollment. Both kinds share the rules
 * (hashed, one live code per registration, expiry, attempts, send throttling,
 * mail queued in the same transaction); they differ in their table, the status
 * of the registration they serve, and what a right guess changes.
 */
#include "store/sql_internal.h"

#include "notify/delivery.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Compares two hashes without an early exit. */
static bool same_hash(const void *a, const void *b)
{
    const unsigned char *x = a, *y = b;
    unsigned char diff = 0;
    for (size_t i = 0; i < STORE_TOKEN_HASH_LEN; i++)
        diff |= x[i] ^ y[i];
    return diff == 0;
}

/* Decides from the previous send (a row of last_sent_at, window_start,
 * window_sends, or none) whether a code may be sent now, and fills the new
 * window. 1 = may send, 0 = throttled (*retry_after set), -1 = error. */
static int may_send(struct sq_stmt *prev, const struct store_code_policy *p, int64_t now,
                    int64_t *window_start, int *window_sends, int64_t *retry_after)
{
    *window_start = now;
    *window_sends = 1;
    int row = sq_row(prev);
    if (row <= 0)
        return row < 0 ? -1 : 1;
    int64_t last = sq_int64(prev, 0), start = sq_int64(prev, 1);
    int sends = sq_int(prev, 2);
    if (now - last < p->min_interval) {
        *retry_after = p->min_interval - (now - last);
        return 0;
    }
    if (now - start < p->window) {
        if (sends >= p->max_per_window) {
            *retry_after = p->window - (now - start);
            return 0;
        }
        *window_start = start;
        *window_sends = sends + 1;
    }
    return 1;
}

/* What a kind of code is for: its table, where it is sent (the registration's
 * column of that name, also kept in the code's row so a changed address voids
 * the code; the outbox recipient is prefix + that value), the status of the
 * registrations it serves, and what a right guess does (?1 id, ?2 now, ?3 the
 * caller's text). */
struct code_kind {
    const char *table;
    const char *contact;
    const char *recipient_prefix;
    enum store_registration_status status;
    const char *on_match[2]; /* one or two statements; NULL when unused */
};

static const struct code_kind email_kind = {
    "email_code",
    "email",
    "",
    STORE_REG_DRAFT,
    {"UPDATE registration SET email_verified_at = ?2, updated_at = ?2 WHERE id = ?1", NULL},
};

/* Phones are stored as 10 national digits; the gateway gets them in E.164. */
static const struct code_kind phone_kind = {
    "phone_code",
    "phone",
    DELIVERY_SMS_PREFIX "+52",
    STORE_REG_DRAFT,
    {"UPDATE registration SET phone_confirmed = 1, updated_at = ?2 WHERE id = ?1", NULL},
};

/* An active enrollment's new email becomes its email, verified, when the code
 * mailed to it comes back. */
static const struct code_kind email_change_kind = {
    "email_change_code",
    "pending_email",
    "",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET email = pending_email, pending_email = NULL,"
     " email_verified_at = ?2, updated_at = ?2 WHERE id = ?1",
     NULL},
};

/* An active enrollment's phone is confirmed the same way as a draft's. */
static const struct code_kind active_phone_kind = {
    "phone_code",
    "phone",
    DELIVERY_SMS_PREFIX "+52",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET phone_confirmed = 1, updated_at = ?2 WHERE id = ?1", NULL},
};

/* A reset ends every session of the account: whoever knew the old password is out. */
static const struct code_kind reset_kind = {
    "reset_code",
    "email",
    "",
    STORE_REG_ACTIVE,
    {"UPDATE registration SET password_hash = ?3, updated_at = ?2 WHERE id = ?1",
     "DELETE FROM session WHERE registration = ?1"},
};

static int code_issue(struct store *s, const struct code_kind *k, const char *id,
                      const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                      const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                      char *err, size_t errsz)
{
    char sql[640];
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    snprintf(sql, sizeof sql, "SELECT %s FROM registration WHERE id = ? AND status = ?",
             k->contact);
    struct sq_stmt *reg = sq_query(conn, sql, SQ_TEXT(id), SQ_INT(k->status));
    int row = reg ? sq_row(reg) : -1;
    if (row < 0)
        goto fail;
    if (row == 0 || sq_is_null(reg, 0)) {
        result = -2;
        goto done;
    }
    char contact[255], recipient[300];
    sq_copy_column(reg, 0, contact, sizeof contact);
    snprintf(recipient, sizeof recipient, "%s%s", k->recipient_prefix, contact);

    snprintf(sql, sizeof sql,
             "SELECT last_sent_at, window_start, window_sends FROM %s WHERE registration = ?",
             k->table);
    struct sq_stmt *prev = sq_query(conn, sql, SQ_TEXT(id));
    int64_t window_start;
    int window_sends;
    int may = prev ? may_send(prev, p, now, &window_start, &window_sends, retry_after) : -1;
    if (may <= 0) {
        if (may < 0)
            goto fail;
        result = 0;
        goto done;
    }
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (registration, %s, code_hash, expires_at, attempts,"
             " last_sent_at, window_start, window_sends) VALUES (?, ?, ?, ?, 0, ?, ?, ?)"
             " ON CONFLICT (registration) DO UPDATE SET %s = excluded.%s,"
             " code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0,"
             " last_sent_at = excluded.last_sent_at, window_start = excluded.window_start,"
             " window_sends = excluded.window_sends",
             k->table, k->contact, k->contact, k->contact);
    if (sq_run(conn, sql, SQ_TEXT(id), SQ_TEXT(contact), SQ_HASH(code_hash), SQ_INT(now + p->ttl),
               SQ_INT(now), SQ_INT(window_start), SQ_INT(window_sends)) < 0 ||
        sq_outbox_add(s, conn, recipient, message, now) < 0)
        goto fail;
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
    goto done;
fail:
    sq_fail_db(conn, err, errsz, "issuing a code");
done:
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

static enum store_code_result code_check(struct store *s, const struct code_kind *k, const char *id,
                                         const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                         const char *text, const struct store_code_policy *p,
                                         int64_t now, int *attempts_left, char *err, size_t errsz)
{
    char sql[256];
    struct sq_conn *conn = sq_acquire_write(s, err, errsz);
    if (!conn)
        return STORE_CODE_ERROR;
    enum store_code_result result = STORE_CODE_ERROR;
    *attempts_left = 0;
    snprintf(sql, sizeof sql,
             "SELECT c.code_hash, c.expires_at, c.attempts FROM %s c"
             " JOIN registration r ON r.id = c.registration"
             " WHERE c.registration = ? AND r.status = ? AND r.%s IS NOT DISTINCT FROM c.%s",
             k->table, k->contact, k->contact);
    struct sq_stmt *get = sq_query(conn, sql, SQ_TEXT(id), SQ_INT(k->status));
    int row = get ? sq_row(get) : -1;
    if (row < 0)
        goto fail;
    if (row == 0) {
        result = STORE_CODE_NONE;
        goto done;
    }
    int64_t expires_at = sq_int64(get, 1);
    int attempts = sq_int(get, 2);
    bool match = sq_bytes(get, 0) == STORE_TOKEN_HASH_LEN && same_hash(sq_blob(get, 0), code_hash);
    sq_reset(get); /* done reading: the row changes next */
    if (expires_at == 0) {
        result = STORE_CODE_NONE; /* spent */
        goto done;
    }
    if (attempts >= p->max_attempts) {
        result = STORE_CODE_EXHAUSTED;
        goto done;
    }
    if (now > expires_at) {
        result = STORE_CODE_EXPIRED;
        goto done;
    }
    /* A right guess does what the kind says and spends the code; a wrong one an attempt. */
    const char *steps[3] = {NULL, NULL, NULL};
    /* A spent code keeps its row (expires_at 0): the send throttle lives there. */
    snprintf(sql, sizeof sql,
             match ? "UPDATE %s SET expires_at = 0 WHERE registration = ?1"
                   : "UPDATE %s SET attempts = attempts + 1 WHERE registration = ?1",
             k->table);
    steps[0] = sql;
    if (match)
        steps[1] = k->on_match[0], steps[2] = k->on_match[1];
    /* Each statement takes the first one, two or three of these (see struct code_kind). */
    const struct sq_value args[] = {SQ_TEXT(id), SQ_INT(now), SQ_TEXT(text)};
    for (int i = 0; i < 3 && steps[i]; i++) {
        struct sq_stmt *st = sq_prepare(conn, steps[i]);
        int params = sq_param_count(steps[i]);
        if (!st || params > 3 || sq_bind_values(st, args, params) != 0 || sq_done(st) < 0)
            goto fail;
    }
    if (sq_commit(conn, err, errsz) != 0)
        goto done;
    *attempts_left = match ? 0 : p->max_attempts - attempts - 1;
    result = match ? STORE_CODE_OK : STORE_CODE_WRONG;
    goto done;
fail:
    sq_fail_db(conn, err, errsz, "checking a code");
done:
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

int store_email_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    return code_issue(s, &email_kind, id, code_hash, message, p, now, retry_after, err, errsz);
}

enum store_code_result store_email_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &email_kind, id, code_hash, NULL, p, now, attempts_left, err, errsz);
}

int store_reset_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    return code_issue(s, &reset_kind, id, code_hash, message, p, now, retry_after, err, errsz);
}

enum store_code_result store_reset_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const char *password_hash,
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &reset_kind, id, code_hash, password_hash, p, now, attempts_left, err,
                      errsz);
}

int store_phone_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz)
{
    int rc = code_issue(s, &phone_kind, id, code_hash, message, p, now, retry_after, err, errsz);
    return rc == -2 ? code_issue(s, &active_phone_kind, id, code_hash, message, p, now, retry_after,
                                 err, errsz)
                    : rc;
}

enum store_code_result store_phone_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz)
{
    enum store_code_result r =
        code_check(s, &phone_kind, id, code_hash, NULL, p, now, attempts_left, err, errsz);
    return r == STORE_CODE_NONE ? code_check(s, &active_phone_kind, id, code_hash, NULL, p, now,
                                             attempts_left, err, errsz)
                                : r;
}

int store_email_change_issue(struct store *s, const char *id,
                             const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                             const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                             char *err, size_t errsz)
{
    return code_issue(s, &email_change_kind, id, code_hash, message, p, now, retry_after, err,
                      errsz);
}

enum store_code_result store_email_change_check(struct store *s, const char *id,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const struct store_code_policy *p, int64_t now,
                                                int *attempts_left, char *err, size_t errsz)
{
    return code_check(s, &email_change_kind, id, code_hash, NULL, p, now, attempts_left, err,
                      errsz);
}
