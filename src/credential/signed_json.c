/* signed_json: detached JWS over the JCS form of a JSON object (see signed_json.h). */
#include "credential/signed_json.h"

#include "credential/cose.h"
#include "credential/keystore.h"
#include "util/alloc.h"
#include "util/errbuf.h"

#include <openssl/err.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROTECTED_JSON_MAX 96 /* bytes of the decoded protected header */

static bool ascii_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

static int check_at(const json_t *v, const char *path, char *err, size_t errsz)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (!ascii_text(json_string_value(v), json_string_length(v))) {
            errbuf_set(err, errsz, "%s: only printable ASCII is accepted in strings", path);
            return -1;
        }
        return 0;
    case JSON_INTEGER: {
        json_int_t n = json_integer_value(v);
        if (n > SIGNED_JSON_INT_MAX || n < -SIGNED_JSON_INT_MAX) {
            errbuf_set(err, errsz, "%s: integer beyond 2^53", path);
            return -1;
        }
        return 0;
    }
    case JSON_OBJECT: {
        const char *key;
        const json_t *member;
        char sub[128];
        json_object_foreach((json_t *)(uintptr_t)v, key, member)
        {
            if (!ascii_text(key, strlen(key))) {
                errbuf_set(err, errsz, "%s: only printable ASCII is accepted in member names",
                           path);
                return -1;
            }
            snprintf(sub, sizeof sub, "%s.%.40s", path, key);
            if (check_at(member, sub, err, errsz) != 0)
                return -1;
        }
        return 0;
    }
    case JSON_ARRAY: {
        size_t i;
        const json_t *item;
        char sub[128];
        json_array_foreach(v, i, item)
        {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (check_at(item, sub, err, errsz) != 0)
                return -1;
        }
        return 0;
    }
    default:
        errbuf_set(err, errsz, "%s: reals, true, false and null are not accepted", path);
        return -1;
    }
}

int signed_json_check(const json_t *v, char *err, size_t errsz)
{
    return check_at(v, "$", err, errsz);
}

char *signed_json_canonical(const json_t *doc, size_t *len)
{
    json_t *copy = json_copy((json_t *)(uintptr_t)doc);
    if (copy == NULL)
        return NULL;
    json_object_del(copy, "signature");
    char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(copy);
    if (text != NULL)
        *len = strlen(text);
    return text;
}

static char *b64url(const uint8_t *p, size_t n)
{
    size_t size = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = xmallocarray(size, 1);
    sodium_bin2base64(out, size, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

long signed_json_unb64(const char *text, uint8_t *out, size_t cap)
{
    size_t len = 0;
    const char *end = NULL;
    if (sodium_base642bin(out, cap, text, strlen(text), NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        *end != '\0')
        return -1;
    return (long)len;
}

/* protected "." base64url(canonical doc): what the signature covers. */
static char *signing_input(const json_t *doc, const char *protected_b64)
{
    size_t len = 0;
    char *canon = signed_json_canonical(doc, &len);
    if (canon == NULL)
        return NULL;
    char *payload = b64url((const uint8_t *)canon, len);
    free(canon);
    size_t plen = strlen(protected_b64), blen = strlen(payload);
    char *input = xmallocarray(plen + 1 + blen + 1, 1);
    memcpy(input, protected_b64, plen);
    input[plen] = '.';
    memcpy(input + plen + 1, payload, blen + 1);
    free(payload);
    return input;
}

int signed_json_sign(json_t *doc, struct signer *signer, uint8_t kid[KEYS_KID_LEN], char *err,
                     size_t errsz)
{
    if (!json_is_object(doc) || json_object_get(doc, "signature") != NULL) {
        errbuf_set(err, errsz, "signature: the document is not an unsigned object");
        return -1;
    }
    if (signed_json_check(doc, err, errsz) != 0 || signer_current(signer, kid, err, errsz) != 0)
        return -1;
    char kid_text[KEYS_KID_TEXT_SIZE], header[PROTECTED_JSON_MAX];
    keys_kid_text(kid, kid_text);
    int n = snprintf(header, sizeof header, "{\"alg\":\"ES256\",\"kid\":\"%s\"}", kid_text);
    char *protected_b64 = b64url((const uint8_t *)header, (size_t)n);
    char *input = signing_input(doc, protected_b64);
    uint8_t sig[SIGNER_SIG_LEN];
    int rc = -1;
    if (input == NULL) {
        errbuf_set(err, errsz, "signature: cannot serialize the document");
        goto cleanup;
    }
    if (signer_sign(signer, kid, (const uint8_t *)input, strlen(input), sig, err, errsz) != 0)
        goto cleanup;
    char *sig_b64 = b64url(sig, sizeof sig);
    json_t *member = json_pack("{s:s, s:s}", "protected", protected_b64, "signature", sig_b64);
    free(sig_b64);
    if (member == NULL || json_object_set_new(doc, "signature", member) != 0) {
        errbuf_set(err, errsz, "signature: out of memory");
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(input);
    free(protected_b64);
    return rc;
}

int signed_json_signature(const json_t *doc, struct signed_json_sig *out, char *err, size_t errsz)
{
    const char *prot = NULL, *sig = NULL, *alg = NULL, *kid = NULL;
    json_error_t jerr;
    memset(out, 0, sizeof *out);
    if (json_unpack_ex((json_t *)(uintptr_t)json_object_get(doc, "signature"), &jerr, JSON_STRICT,
                       "{s:s, s:s}", "protected", &prot, "signature", &sig) != 0) {
        errbuf_set(err, errsz, "signature: %s", jerr.text);
        return -1;
    }
    uint8_t header[PROTECTED_JSON_MAX];
    long hlen = strlen(prot) <= SIGNED_JSON_PROTECTED_MAX
                    ? signed_json_unb64(prot, header, sizeof header - 1)
                    : -1;
    if (hlen <= 0) {
        errbuf_set(err, errsz, "signature.protected: not base64url of a short header");
        return -1;
    }
    header[hlen] = '\0';
    json_t *h = json_loadb((const char *)header, (size_t)hlen, JSON_REJECT_DUPLICATES, &jerr);
    int rc = -1;
    if (h == NULL ||
        json_unpack_ex(h, &jerr, JSON_STRICT, "{s:s, s:s}", "alg", &alg, "kid", &kid) != 0) {
        errbuf_set(err, errsz, "signature.protected: %s", jerr.text);
        goto cleanup;
    }
    if (strcmp(alg, "ES256") != 0) {
        errbuf_set(err, errsz, "signature.protected: alg must be \"ES256\"");
        goto cleanup;
    }
    if (signed_json_unb64(kid, out->kid, KEYS_KID_LEN) != KEYS_KID_LEN) {
        errbuf_set(err, errsz, "signature.protected: kid is not base64url of 8 bytes");
        goto cleanup;
    }
    if (signed_json_unb64(sig, out->sig, SIGNER_SIG_LEN) != SIGNER_SIG_LEN) {
        errbuf_set(err, errsz, "signature.signature: not base64url of 64 bytes (r || s)");
        goto cleanup;
    }
    memcpy(out->protected_b64, prot, strlen(prot) + 1);
    rc = 0;
cleanup:
    json_decref(h);
    return rc;
}

int signed_json_verify(const json_t *doc, const struct signed_json_sig *sig, EVP_PKEY *key)
{
    uint8_t der[COSE_ECDSA_DER_MAX];
    size_t der_len = 0;
    char *input = signing_input(doc, sig->protected_b64);
    int rc = -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (input != NULL && ctx != NULL && keys_is_p256(key) &&
        cose_ecdsa_raw_to_der(sig->sig, der, sizeof der, &der_len) == 0 &&
        EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) == 1 &&
        EVP_DigestVerify(ctx, der, der_len, (const uint8_t *)input, strlen(input)) == 1)
        rc = 0;
    EVP_MD_CTX_free(ctx);
    free(input);
    ERR_clear_error();
    return rc;
}

json_t *signed_json_load(const char *text, size_t len, size_t max, const char *what,
                         const char *list_name, const char **issuer, int64_t *issued_at,
                         int64_t *next_update, json_t **list, char *err, size_t errsz)
{
    if (len > max) {
        errbuf_set(err, errsz, "size: %zu bytes, at most %zu", len, max);
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *sig = NULL;
    json_int_t at = 0, next = 0;
    if (doc == NULL) {
        errbuf_set(err, errsz, "json: %s at line %d", jerr.text, jerr.line);
        return NULL;
    }
    int unpacked =
        next_update ? json_unpack_ex(doc, &jerr, JSON_STRICT, "{s:s, s:I, s:I, s:o, s:o}", "issuer",
                                     issuer, "issued_at", &at, "next_update", &next, list_name,
                                     list, "signature", &sig)
                    : json_unpack_ex(doc, &jerr, JSON_STRICT, "{s:s, s:I, s:o, s:o}", "issuer",
                                     issuer, "issued_at", &at, list_name, list, "signature", &sig);
    if (unpacked != 0) {
        errbuf_set(err, errsz, "%s: %s", what, jerr.text);
        goto fail;
    }
    if (signed_json_check(doc, err, errsz) != 0)
        goto fail;
    if (!keystore_issuer_ok(*issuer) || at <= 0) {
        errbuf_set(err, errsz,
                   "%s: issuer must be 1 to %d printable characters and issued_at positive", what,
                   KEYSTORE_ISSUER_MAX);
        goto fail;
    }
    if (next_update && next <= at) {
        errbuf_set(err, errsz, "%s: next_update must come after issued_at", what);
        goto fail;
    }
    *issued_at = at;
    if (next_update)
        *next_update = next;
    return doc;
fail:
    json_decref(doc);
    return NULL;
}

int signed_json_verify_key(const json_t *doc, const struct signed_json_sig *sig, EVP_PKEY *key,
                           int64_t not_before, int64_t not_after, int64_t issued_at, char *err,
                           size_t errsz)
{
    char kid[KEYS_KID_TEXT_SIZE];
    keys_kid_text(sig->kid, kid);
    if (issued_at < not_before || issued_at >= not_after) {
        errbuf_set(err, errsz, "signature: key %s was not valid at issued_at %lld", kid,
                   (long long)issued_at);
        return -1;
    }
    if (signed_json_verify(doc, sig, key) != 0) {
        errbuf_set(err, errsz, "signature: does not verify with key %s", kid);
        return -1;
    }
    return 0;
}
