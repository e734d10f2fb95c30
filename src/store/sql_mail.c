/* store.h mail outbox. */
#include "store/sql_internal.h"

#include "util/alloc.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds a taken message is leased to its sender before another may retry it. */
#define OUTBOX_LEASE 300

/* An encrypted message: this prefix, then base64 of nonce || ciphertext. */
#define SEALED_PREFIX "padron-mail-v1:"
#define NONCE_LEN     crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN       crypto_aead_xchacha20poly1305_ietf_ABYTES

/* message sealed under key with recipient as associated data, as text (malloc'd). */
static char *seal(const uint8_t *key, const char *recipient, const char *message)
{
    size_t len = strlen(message), sealed_len = NONCE_LEN + len + TAG_LEN;
    uint8_t *sealed = xmallocarray(sealed_len, 1);
    randombytes_buf(sealed, NONCE_LEN);
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed + NONCE_LEN, NULL, (const uint8_t *)message,
                                               len, (const uint8_t *)recipient, strlen(recipient),
                                               NULL, sealed, key);
    size_t b64 = sodium_base64_ENCODED_LEN(sealed_len, sodium_base64_VARIANT_ORIGINAL);
    char *text = xmallocarray(sizeof SEALED_PREFIX - 1 + b64, 1);
    memcpy(text, SEALED_PREFIX, sizeof SEALED_PREFIX - 1);
    sodium_bin2base64(text + sizeof SEALED_PREFIX - 1, b64, sealed, sealed_len,
                      sodium_base64_VARIANT_ORIGINAL);
    free(sealed);
    return text;
}

/* The plaintext of a stored message (malloc'd), or NULL when it is sealed and
 * key is NULL or not its key, or it was altered. */
static char *unseal(const uint8_t *key, const char *recipient, const char *text)
{
    if (strncmp(text, SEALED_PREFIX, sizeof SEALED_PREFIX - 1) != 0)
        return xstrdup(text);
    if (!key)
        return NULL;
    const char *b64 = text + sizeof SEALED_PREFIX - 1;
    size_t b64_len = strlen(b64), sealed_len = 0;
    uint8_t *sealed = xmallocarray(b64_len / 4 * 3 + 3, 1);
    char *plain = NULL;
    if (sodium_base642bin(sealed, b64_len / 4 * 3 + 3, b64, b64_len, NULL, &sealed_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        sealed_len >= NONCE_LEN + TAG_LEN) {
        size_t len = sealed_len - NONCE_LEN - TAG_LEN;
        plain = xmallocarray(len + 1, 1);
        unsigned long long got = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                (uint8_t *)plain, &got, NULL, sealed + NONCE_LEN, sealed_len - NONCE_LEN,
                (const uint8_t *)recipient, strlen(recipient), sealed, key) != 0) {
            free(plain);
            plain = NULL;
        } else {
            plain[got] = '\0';
        }
    }
    free(sealed);
    return plain;
}

int sq_outbox_add(struct store *s, struct sq_conn *conn, const char *recipient, const char *message,
                  int64_t now)
{
    if (!message)
        return 0;
    const uint8_t *key = sq_mail_key(s);
    char *stored = key ? seal(key, recipient, message) : NULL;
    int rc =
        sq_run(conn,
               "INSERT INTO outbox (recipient, message, created_at, next_attempt_at)"
               " VALUES (?, ?, ?, ?)",
               SQ_TEXT(recipient), SQ_TEXT(stored ? stored : message), SQ_INT(now), SQ_INT(now));
    free(stored); /* ciphertext: nothing to wipe */
    return rc < 0 ? -1 : 0;
}

/* The message due first. */
#define NEXT_DUE                                                                                   \
    "SELECT id, recipient, message, attempts FROM outbox"                                          \
    " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?"                        \
    " ORDER BY next_attempt_at, id LIMIT 1"

int store_outbox_next(struct store *s, int64_t now, struct store_mail *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    struct sq_conn *conn = sq_acquire(s, err, errsz);
    if (!conn)
        return -1;
    int result = -1;
    /* Several instances each claim a different message: on PostgreSQL a row one
     * holds is skipped by the others (no wait, no database-wide lock); SQLite
     * has one writer at a time anyway. The lease below then keeps it theirs. */
    bool pg = sq_dialect(conn) == SQ_POSTGRESQL;
    struct sq_stmt *get = NULL;
    if (sq_begin_rows(conn, err, errsz) == 0)
        get = sq_query(conn, pg ? NEXT_DUE " FOR UPDATE SKIP LOCKED" : NEXT_DUE, SQ_INT(now));
    int row = get ? sq_row(get) : -1;
    if (row <= 0) {
        result = row == 0 ? 0 : sq_fail_db(conn, err, errsz, "outbox");
        goto done;
    }
    out->id = sq_int64(get, 0);
    sq_copy_column(get, 1, out->recipient, sizeof out->recipient);
    const char *text = sq_text(get, 2);
    out->message = unseal(sq_mail_key(s), out->recipient, text ? text : "");
    out->attempts = sq_int(get, 3) + 1;
    if (!out->message) {
        /* Never deliverable here: give it up (keeping it would block the queue) and
         * say so; the text stays for an operator with the right key. */
        sq_fail(err, errsz, "outbox: message %lld cannot be decrypted with this mail key",
                (long long)out->id);
        if (sq_run(conn,
                   "UPDATE outbox SET failed_at = ?, last_error = 'cannot decrypt: not this"
                   " mail key' WHERE id = ?",
                   SQ_INT(now), SQ_INT(out->id)) >= 0)
            sq_commit(conn, NULL, 0);
        goto done;
    }
    /* Lease the message so a crash mid-delivery retries it later, not twice at once. */
    if (sq_run(conn, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
               SQ_INT(now + OUTBOX_LEASE), SQ_INT(out->id)) < 0) {
        sq_fail_db(conn, err, errsz, "outbox");
        goto done;
    }
    if (sq_commit(conn, err, errsz) == 0)
        result = 1;
done:
    if (result != 1) {
        free(out->message);
        out->message = NULL;
    }
    sq_release(s, conn); /* rolls back whatever did not commit */
    return result;
}

int store_outbox_sent(struct store *s, int64_t id, int64_t now, char *err, size_t errsz)
{
    /* The text goes once delivered: it may hold a verification code. */
    int n = sq_write(s, "outbox", err, errsz,
                     "UPDATE outbox SET sent_at = ?, message = '', last_error = NULL WHERE id = ?",
                     SQ_INT(now), SQ_INT(id));
    return n < 0 ? -1 : 0;
}

int store_outbox_failed(struct store *s, int64_t id, const char *error, int64_t now,
                        int64_t next_at, char *err, size_t errsz)
{
    int n = next_at == 0
                ? sq_write(s, "outbox", err, errsz,
                           "UPDATE outbox SET failed_at = ?, message = '', last_error = ?"
                           " WHERE id = ?",
                           SQ_INT(now), SQ_OPT_TEXT(error), SQ_INT(id))
                : sq_write(s, "outbox", err, errsz,
                           "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                           SQ_INT(next_at), SQ_OPT_TEXT(error), SQ_INT(id));
    return n < 0 ? -1 : 0;
}

long store_outbox_pending(struct store *s)
{
    return sq_query_long(
        s, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", -1, NULL, 0);
}
