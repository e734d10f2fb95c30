/* keys: P-256 key generation, PEM files, kid and JWK (see keys.h). */
#include "credential/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COORD_LEN 32

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
    ERR_clear_error();
    if (err == NULL || errsz == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
    if (n < 0)
        err[0] = '\0';
}

bool keys_is_p256(EVP_PKEY *key)
{
    char group[32];
    size_t len = 0;
    if (key == NULL || !EVP_PKEY_is_a(key, "EC"))
        return false;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) != 1) {
        ERR_clear_error();
        return false;
    }
    return strcmp(group, "prime256v1") == 0;
}

EVP_PKEY *keys_generate(char *err, size_t errsz)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (key == NULL)
        set_err(err, errsz, "key generation: openssl failed");
    return key;
}

int keys_kid(EVP_PKEY *key, uint8_t kid[KEYS_KID_LEN])
{
    if (!keys_is_p256(key))
        return -1;
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key, &der);
    if (n <= 0) {
        ERR_clear_error();
        return -1;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    if (ok != 1 || mdlen < KEYS_KID_LEN) {
        ERR_clear_error();
        return -1;
    }
    memcpy(kid, md, KEYS_KID_LEN);
    return 0;
}

void keys_kid_text(const uint8_t kid[KEYS_KID_LEN], char out[KEYS_KID_TEXT_SIZE])
{
    sodium_bin2base64(out, KEYS_KID_TEXT_SIZE, kid, KEYS_KID_LEN,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Refuses to prompt on a terminal for an encrypted PEM. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

int keys_save_private(EVP_PKEY *key, const char *path, char *err, size_t errsz)
{
    return keys_save_private_pass(key, path, NULL, err, errsz);
}

int keys_save_private_pass(EVP_PKEY *key, const char *path, const char *passphrase, char *err,
                           size_t errsz)
{
    if (!keys_is_p256(key)) {
        set_err(err, errsz, "%s: not a P-256 key", path);
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* The umask may only remove bits; make sure no one else can read it anyway. */
    FILE *f = fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    int ok = passphrase != NULL ? PEM_write_PrivateKey(f, key, EVP_aes_256_cbc(),
                                                       (const unsigned char *)passphrase,
                                                       (int)strlen(passphrase), NULL, NULL) == 1
                                : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        set_err(err, errsz, "%s: cannot write the key", path);
        unlink(path);
        return -1;
    }
    return 0;
}

/* Opens path for reading; with private set, refuses a file others may read. */
static FILE *open_key_file(const char *path, bool private, char *err, size_t errsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_err(err, errsz, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if (private && (st.st_mode & 077) != 0) {
        set_err(err, errsz, "%s: mode %03o lets others read the private key (want 0600)", path,
                (unsigned)(st.st_mode & 0777));
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "r");
    if (f == NULL) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

EVP_PKEY *keys_load_private(const char *path, char *err, size_t errsz)
{
    return keys_load_private_pass(path, NULL, err, errsz);
}

/* Hands OpenSSL the configured passphrase; never prompts. */
static int given_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    size_t n = strlen(u);
    if (size < 0 || n > (size_t)size)
        return -1;
    memcpy(buf, u, n);
    return (int)n;
}

EVP_PKEY *keys_load_private_pass(const char *path, const char *passphrase, char *err, size_t errsz)
{
    FILE *f = open_key_file(path, true, err, errsz);
    if (f == NULL)
        return NULL;
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, passphrase ? given_passphrase : no_passphrase,
                                        (void *)(uintptr_t)passphrase);
    fclose(f);
    if (key == NULL) {
        set_err(err, errsz,
                passphrase ? "%s: not a PEM private key, or the passphrase does not open it"
                           : "%s: not an unencrypted PEM private key (a passphrase is needed?)",
                path);
        return NULL;
    }
    if (!keys_is_p256(key)) {
        EVP_PKEY_free(key);
        set_err(err, errsz, "%s: not a P-256 key", path);
        return NULL;
    }
    ERR_clear_error();
    return key;
}

int keys_save_public(EVP_PKEY *key, const char *path, char *err, size_t errsz)
{
    if (!keys_is_p256(key)) {
        set_err(err, errsz, "%s: not a P-256 key", path);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    int ok = PEM_write_PUBKEY(f, key) == 1;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        set_err(err, errsz, "%s: cannot write the key", path);
        return -1;
    }
    return 0;
}

EVP_PKEY *keys_load_public(const char *path, char *err, size_t errsz)
{
    FILE *f = open_key_file(path, false, err, errsz);
    if (f == NULL)
        return NULL;
    EVP_PKEY *key = PEM_read_PUBKEY(f, NULL, no_passphrase, NULL);
    fclose(f);
    if (key == NULL || !keys_is_p256(key)) {
        EVP_PKEY_free(key);
        set_err(err, errsz, "%s: not a P-256 PEM public key", path);
        return NULL;
    }
    ERR_clear_error();
    return key;
}

/* x or y of key as 32 big-endian bytes. */
static int coordinate(EVP_PKEY *key, const char *name, uint8_t out[COORD_LEN])
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) {
        ERR_clear_error();
        return -1;
    }
    int n = BN_bn2binpad(bn, out, COORD_LEN);
    BN_free(bn);
    return n == COORD_LEN ? 0 : -1;
}

static json_t *b64url(const uint8_t *p, size_t n)
{
    char text[64];
    sodium_bin2base64(text, sizeof text, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return json_string(text);
}

json_t *keys_jwk_export(EVP_PKEY *key)
{
    uint8_t x[COORD_LEN], y[COORD_LEN], kid[KEYS_KID_LEN];
    if (!keys_is_p256(key) || coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X, x) != 0 ||
        coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y, y) != 0 || keys_kid(key, kid) != 0)
        return NULL;
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "kty", "EC", "crv", "P-256", "x",
                     b64url(x, COORD_LEN), "y", b64url(y, COORD_LEN), "kid",
                     b64url(kid, KEYS_KID_LEN), "alg", "ES256");
}

/* Decodes base64url (no padding) text into exactly n bytes. */
static int unb64url(const char *text, uint8_t *out, size_t n)
{
    size_t len = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, n, text, strlen(text), NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return len == n && *end == '\0' ? 0 : -1;
}

/* A public P-256 key from its coordinates; NULL when not a point on the curve. */
static EVP_PKEY *key_from_point(const uint8_t x[COORD_LEN], const uint8_t y[COORD_LEN])
{
    uint8_t point[1 + 2 * COORD_LEN];
    point[0] = 0x04; /* uncompressed */
    memcpy(point + 1, x, COORD_LEN);
    memcpy(point + 1 + COORD_LEN, y, COORD_LEN);
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = NULL, *check = NULL;
    OSSL_PARAM *params = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1 ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
        goto cleanup;
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
        goto cleanup;
    /* fromdata decodes the point; the check makes sure it is on the curve. */
    check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (check == NULL || EVP_PKEY_public_check(check) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
cleanup:
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    ERR_clear_error();
    return key;
}

EVP_PKEY *keys_jwk_import(const json_t *jwk, uint8_t kid[KEYS_KID_LEN], char *err, size_t errsz)
{
    const char *kty = NULL, *crv = NULL, *xs = NULL, *ys = NULL, *kids = NULL, *alg = NULL;
    json_error_t jerr;
    if (json_unpack_ex((json_t *)jwk, &jerr, JSON_STRICT, "{s:s, s:s, s:s, s:s, s:s, s?:s}", "kty",
                       &kty, "crv", &crv, "x", &xs, "y", &ys, "kid", &kids, "alg", &alg) != 0) {
        set_err(err, errsz, "jwk: %s", jerr.text);
        return NULL;
    }
    if (strcmp(kty, "EC") != 0 || strcmp(crv, "P-256") != 0) {
        set_err(err, errsz, "jwk: kty must be \"EC\" and crv \"P-256\"");
        return NULL;
    }
    if (alg != NULL && strcmp(alg, "ES256") != 0) {
        set_err(err, errsz, "jwk: alg must be \"ES256\"");
        return NULL;
    }
    uint8_t x[COORD_LEN], y[COORD_LEN], want[KEYS_KID_LEN], derived[KEYS_KID_LEN];
    if (unb64url(xs, x, COORD_LEN) != 0 || unb64url(ys, y, COORD_LEN) != 0) {
        set_err(err, errsz, "jwk: x and y must be base64url of 32 bytes each");
        return NULL;
    }
    if (unb64url(kids, want, KEYS_KID_LEN) != 0) {
        set_err(err, errsz, "jwk: kid must be base64url of 8 bytes");
        return NULL;
    }
    EVP_PKEY *key = key_from_point(x, y);
    if (key == NULL) {
        set_err(err, errsz, "jwk: x and y are not a point on P-256");
        return NULL;
    }
    if (keys_kid(key, derived) != 0 || memcmp(derived, want, KEYS_KID_LEN) != 0) {
        EVP_PKEY_free(key);
        set_err(err, errsz,
                "jwk: kid %.16s is not this key's (first 8 bytes of SHA-256 of its "
                "SubjectPublicKeyInfo)",
                kids);
        return NULL;
    }
    memcpy(kid, derived, KEYS_KID_LEN);
    return key;
}
