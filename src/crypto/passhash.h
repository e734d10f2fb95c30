/*
 * passhash: password hashing with argon2id (libsodium's crypto_pwhash_argon2id_*).
 *
 * The stored form is libsodium's PHC string, e.g.
 *   $argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<hash, base64>
 * which carries its own salt (16 random bytes) and cost, so a change of the
 * defaults below never invalidates a stored hash: verify with the string, then ask
 * passhash_needs_rehash and store a new hash while the password is at hand.
 *
 * Parameters (docs/passwords.md has the measurements): argon2id, t = 2 passes over
 * m = 19 MiB, p = 1 lane, the OWASP Password Storage Cheat Sheet's minimum. On the
 * reference machine (AMD EPYC, bench/passhash) one hash takes 26 ms of one core,
 * 38 hashes/s; 64 MiB / t = 3 took 126 ms (4.8 times longer) and 3.4 times the
 * memory per concurrent login. Verifying costs the same as hashing.
 *
 * Invariants:
 * - Every function calls sodium_init() first (idempotent and thread-safe); if it
 *   fails the function reports PASSHASH_ERR_RESOURCES.
 * - Passwords travel as pointer + length and may contain any byte, NUL included;
 *   they are never copied, logged or kept. The caller owns the password and wipes
 *   it (sodium_memzero) when done; this module wipes nothing it does not own.
 * - Hash strings are NUL-terminated and shorter than PASSHASH_STRBYTES. A hash
 *   string is trusted only as far as its cost: verification refuses strings whose
 *   m, t or p exceed PASSHASH_MEMLIMIT_MAX, PASSHASH_OPSLIMIT_MAX or 1, so a
 *   corrupted or planted row cannot make a login allocate gigabytes.
 * - No global state besides libsodium's own initialisation.
 */
#ifndef PADRON_CRYPTO_PASSHASH_H
#define PADRON_CRYPTO_PASSHASH_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a hash string buffer, terminating NUL included: libsodium's
 * crypto_pwhash_argon2id_STRBYTES (checked at compile time in passhash.c). */
#define PASSHASH_STRBYTES 128

/* The production cost: OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1). */
#define PASSHASH_OPSLIMIT 2u
#define PASSHASH_MEMLIMIT (19u * 1024u * 1024u)

/* The highest cost a hash string may ask for before verification refuses it. */
#define PASSHASH_OPSLIMIT_MAX 10u
#define PASSHASH_MEMLIMIT_MAX (256u * 1024u * 1024u)

/* Passwords longer than this are refused before any hashing (the password policy,
 * core/password.h, allows 128 bytes; this bound is the module's own). */
#define PASSHASH_PASSWORD_MAX 1024u

/* An argon2id cost. memlimit is in bytes (the string shows KiB); p is always 1. */
struct passhash_params {
    unsigned long long opslimit; /* t: passes over memory */
    size_t memlimit;             /* m: bytes of memory */
};

#define PASSHASH_PARAMS_DEFAULT ((struct passhash_params){PASSHASH_OPSLIMIT, PASSHASH_MEMLIMIT})

enum passhash_status {
    PASSHASH_OK = 0,
    PASSHASH_MISMATCH,      /* verify: the password does not match the hash */
    PASSHASH_ERR_INPUT,     /* password NULL or longer than PASSHASH_PASSWORD_MAX */
    PASSHASH_ERR_PARAMS,    /* cost outside libsodium's or this module's limits */
    PASSHASH_ERR_HASH,      /* not an argon2id string we accept (format, version, cost) */
    PASSHASH_ERR_RESOURCES, /* sodium_init failed or out of memory */
};

/* Initialises libsodium. Optional: every function below does it too. Call it once
 * at start so a broken libsodium is found before the first login. Returns 0 or -1. */
int passhash_init(void);

/* Hashes the len bytes at pw with the production cost into out (a NUL-terminated
 * string of fewer than PASSHASH_STRBYTES bytes, fresh random salt). On failure out
 * holds "". Returns PASSHASH_OK, PASSHASH_ERR_INPUT or PASSHASH_ERR_RESOURCES. */
enum passhash_status passhash_hash(const char *pw, size_t len, char out[PASSHASH_STRBYTES]);

/* The same with the cost p (tests use libsodium's minimum to stay fast; an operator
 * may configure a higher cost). Also PASSHASH_ERR_PARAMS when p is NULL or outside
 * libsodium's range or above the _MAX limits above. */
enum passhash_status passhash_hash_params(const struct passhash_params *p, const char *pw,
                                          size_t len, char out[PASSHASH_STRBYTES]);

/* Checks the len bytes at pw against hash in constant time for a given hash.
 * Returns PASSHASH_OK on a match, PASSHASH_MISMATCH otherwise, PASSHASH_ERR_HASH
 * when hash is NULL, not NUL-terminated within PASSHASH_STRBYTES, not argon2id v=19,
 * or asks for more than the _MAX cost, PASSHASH_ERR_INPUT for a password over the
 * limit, PASSHASH_ERR_RESOURCES when sodium_init fails. libsodium does not tell a
 * mismatch from an allocation failure, so out of memory reads as PASSHASH_MISMATCH. */
enum passhash_status passhash_verify(const char *hash, const char *pw, size_t len);

/* Spends one hash with the production cost on pw and a fixed salt and forgets the
 * result: the login path calls it when the account does not exist, so an unknown
 * CURP takes as long as a wrong password. Returns what passhash_hash would. */
enum passhash_status passhash_burn(const char *pw, size_t len);

/* Whether hash should be recomputed with the production cost: 1 yes (another
 * cost), 0 no, -1 when hash is not an argon2id string. */
int passhash_needs_rehash(const char *hash);

/* The same against the cost p. -1 also when p is NULL. */
int passhash_needs_rehash_params(const struct passhash_params *p, const char *hash);

/* Reads the cost of an argon2id hash string into out (memlimit = m KiB * 1024).
 * Returns 0, or -1 (out untouched) if hash is not "$argon2id$v=19$m=M,t=T,p=P$..."
 * with decimal M, T, P that fit. p is reported through *lanes when lanes != NULL. */
int passhash_read_params(const char *hash, struct passhash_params *out, unsigned *lanes);

/* Whether p is at least OWASP's minimum for argon2id: m >= 19 MiB with t >= 2, or
 * m >= 46 MiB with t >= 1; and within the _MAX limits. For checking configuration. */
bool passhash_params_strong(const struct passhash_params *p);

/* The stable code of a status: "ok", "mismatch", "input", "params", "hash",
 * "resources". */
const char *passhash_status_code(enum passhash_status status);

#endif
