/* Password hashing with argon2id; see passhash.h for the parameters and invariants. */
#include "crypto/passhash.h"

#include <sodium.h>

#include <stdint.h>
#include <string.h>

#define PREFIX "$argon2id$v=19$"

_Static_assert(PASSHASH_STRBYTES == crypto_pwhash_argon2id_STRBYTES, "hash string size");
_Static_assert(PASSHASH_PASSWORD_MAX <= crypto_pwhash_argon2id_PASSWD_MAX, "password bound");

int passhash_init(void)
{
    /* 0 on the first success, 1 when already initialised, -1 on failure. */
    return sodium_init() < 0 ? -1 : 0;
}

static bool params_in_range(const struct passhash_params *p)
{
    return p && p->opslimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN &&
           p->opslimit <= PASSHASH_OPSLIMIT_MAX &&
           p->memlimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN &&
           p->memlimit <= PASSHASH_MEMLIMIT_MAX;
}

enum passhash_status passhash_hash_params(const struct passhash_params *p, const char *pw,
                                          size_t len, char out[PASSHASH_STRBYTES])
{
    out[0] = '\0';
    if (!pw || len > PASSHASH_PASSWORD_MAX)
        return PASSHASH_ERR_INPUT;
    if (!params_in_range(p))
        return PASSHASH_ERR_PARAMS;
    if (passhash_init() != 0)
        return PASSHASH_ERR_RESOURCES;
    if (crypto_pwhash_argon2id_str(out, pw, len, p->opslimit, p->memlimit) != 0) {
        out[0] = '\0';
        return PASSHASH_ERR_RESOURCES;
    }
    return PASSHASH_OK;
}

enum passhash_status passhash_hash(const char *pw, size_t len, char out[PASSHASH_STRBYTES])
{
    struct passhash_params p = PASSHASH_PARAMS_DEFAULT;
    return passhash_hash_params(&p, pw, len, out);
}

/* Reads a decimal number of at most 10 digits at *s, advancing *s. */
static int read_number(const char **s, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (++digits > 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
        p++;
    }
    if (digits == 0 || (digits > 1 && **s == '0'))
        return -1;
    *s = p;
    *out = v;
    return 0;
}

static int expect(const char **s, const char *text)
{
    size_t n = strlen(text);
    if (strncmp(*s, text, n) != 0)
        return -1;
    *s += n;
    return 0;
}

int passhash_read_params(const char *hash, struct passhash_params *out, unsigned *lanes)
{
    if (!hash || strnlen(hash, PASSHASH_STRBYTES) >= PASSHASH_STRBYTES)
        return -1;
    const char *s = hash;
    uint64_t m, t, p;
    if (expect(&s, PREFIX "m=") != 0 || read_number(&s, &m) != 0 || expect(&s, ",t=") != 0 ||
        read_number(&s, &t) != 0 || expect(&s, ",p=") != 0 || read_number(&s, &p) != 0 ||
        expect(&s, "$") != 0)
        return -1;
    if (m > SIZE_MAX / 1024 || p > UINT32_MAX)
        return -1;
    out->memlimit = (size_t)m * 1024;
    out->opslimit = t;
    if (lanes)
        *lanes = (unsigned)p;
    return 0;
}

enum passhash_status passhash_verify(const char *hash, const char *pw, size_t len)
{
    struct passhash_params p;
    unsigned lanes;
    if (passhash_read_params(hash, &p, &lanes) != 0 || lanes != 1 || !params_in_range(&p))
        return PASSHASH_ERR_HASH;
    if (!pw || len > PASSHASH_PASSWORD_MAX)
        return PASSHASH_ERR_INPUT;
    if (passhash_init() != 0)
        return PASSHASH_ERR_RESOURCES;
    return crypto_pwhash_argon2id_str_verify(hash, pw, len) == 0 ? PASSHASH_OK : PASSHASH_MISMATCH;
}

enum passhash_status passhash_burn(const char *pw, size_t len)
{
    static const unsigned char salt[crypto_pwhash_argon2id_SALTBYTES] = "padron-no-user.";
    unsigned char key[32];
    if (!pw || len > PASSHASH_PASSWORD_MAX)
        return PASSHASH_ERR_INPUT;
    if (passhash_init() != 0)
        return PASSHASH_ERR_RESOURCES;
    int rc = crypto_pwhash_argon2id(key, sizeof key, pw, len, salt, PASSHASH_OPSLIMIT,
                                    PASSHASH_MEMLIMIT, crypto_pwhash_argon2id_ALG_ARGON2ID13);
    sodium_memzero(key, sizeof key);
    return rc == 0 ? PASSHASH_OK : PASSHASH_ERR_RESOURCES;
}

int passhash_needs_rehash_params(const struct passhash_params *p, const char *hash)
{
    if (!p || !hash || strnlen(hash, PASSHASH_STRBYTES) >= PASSHASH_STRBYTES)
        return -1;
    if (passhash_init() != 0)
        return -1;
    int rc = crypto_pwhash_argon2id_str_needs_rehash(hash, p->opslimit, p->memlimit);
    return rc < 0 ? -1 : rc > 0;
}

int passhash_needs_rehash(const char *hash)
{
    struct passhash_params p = PASSHASH_PARAMS_DEFAULT;
    return passhash_needs_rehash_params(&p, hash);
}

bool passhash_params_strong(const struct passhash_params *p)
{
    const size_t mib = 1024u * 1024u;
    if (!params_in_range(p))
        return false;
    return (p->memlimit >= 19 * mib && p->opslimit >= 2) ||
           (p->memlimit >= 46 * mib && p->opslimit >= 1);
}

const char *passhash_status_code(enum passhash_status status)
{
    switch (status) {
    case PASSHASH_OK:
        return "ok";
    case PASSHASH_MISMATCH:
        return "mismatch";
    case PASSHASH_ERR_INPUT:
        return "input";
    case PASSHASH_ERR_PARAMS:
        return "params";
    case PASSHASH_ERR_HASH:
        return "hash";
    case PASSHASH_ERR_RESOURCES:
        return "resources";
    }
    return "unknown";
}
