/* cose: COSE_Sign1 with ES256 (see cose.h). */
#include "credential/cose.h"

#include "credential/keys.h"
#include "credential/signer.h"

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outer structure: tags, array, two bstrs, the unprotected map, one bstr. The
 * unprotected map may hold a few members of its own. */
#define OUTER_ITEMS  64
#define HEADER_ITEMS 32
#define OUTER_DEPTH  6
#define HEADER_DEPTH 4
#define COORD        32

int cose_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[COSE_ES256_SIG_LEN])
{
    const unsigned char *p = der;
    if (der_len > COSE_ECDSA_DER_MAX)
        return -1;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    int rc = -1;
    if (sig == NULL || p != der + der_len)
        goto cleanup;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_is_negative(r) || BN_is_negative(s) || BN_bn2binpad(r, raw, COORD) != COORD ||
        BN_bn2binpad(s, raw + COORD, COORD) != COORD)
        goto cleanup;
    rc = 0;
cleanup:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return rc;
}

int cose_ecdsa_raw_to_der(const uint8_t raw[COSE_ES256_SIG_LEN], uint8_t *der, size_t cap,
                          size_t *der_len)
{
    int rc = -1;
    *der_len = 0;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, COORD, NULL), *s = BN_bin2bn(raw + COORD, COORD, NULL);
    if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        goto cleanup;
    }
    /* sig owns r and s now. */
    int n = i2d_ECDSA_SIG(sig, NULL);
    if (n <= 0 || (size_t)n > cap)
        goto cleanup;
    unsigned char *p = der;
    if (i2d_ECDSA_SIG(sig, &p) != n)
        goto cleanup;
    *der_len = (size_t)n;
    rc = 0;
cleanup:
    ECDSA_SIG_free(sig);
    ERR_clear_error();
    return rc;
}

/* The bytes ES256 signs: ["Signature1", protected, h'', payload]. */
static uint8_t *sig_structure(const uint8_t *protected_bstr, size_t protected_len,
                              const uint8_t *payload, size_t payload_len, size_t *len)
{
    struct cbor_out o;
    size_t cap = protected_len + payload_len + 64;
    cbor_out_init(&o, cap < protected_len ? 0 : cap);
    cbor_put_array(&o, 4);
    cbor_put_cstr(&o, "Signature1");
    cbor_put_bytes(&o, protected_bstr, protected_len);
    cbor_put_bytes(&o, "", 0);
    cbor_put_bytes(&o, payload, payload_len);
    return cbor_out_detach(&o, len);
}

int cose_sign1_create(struct signer *signer, const uint8_t kid[KEYS_KID_LEN],
                      const uint8_t *payload, size_t payload_len, struct cbor_out *out, char *err,
                      size_t errsz)
{
    int rc = -1;
    uint8_t *hdr = NULL, *tbs = NULL;
    struct cbor_out h;
    cbor_out_init(&h, 16 + COSE_KID_MAX);
    cbor_put_map(&h, 2);
    cbor_put_uint(&h, COSE_HEADER_ALG);
    cbor_put_int(&h, COSE_ALG_ES256);
    cbor_put_uint(&h, COSE_HEADER_KID);
    cbor_put_bytes(&h, kid, KEYS_KID_LEN);
    size_t hdr_len = 0, tbs_len = 0;
    hdr = cbor_out_detach(&h, &hdr_len);
    if (hdr != NULL)
        tbs = sig_structure(hdr, hdr_len, payload, payload_len, &tbs_len);
    if (tbs == NULL) {
        snprintf(err, errsz, "cose: the message is too large");
        goto cleanup;
    }
    uint8_t raw[COSE_ES256_SIG_LEN];
    if (signer_sign(signer, kid, tbs, tbs_len, raw, err, errsz) != 0)
        goto cleanup;
    cbor_put_tag(out, COSE_TAG_SIGN1);
    cbor_put_array(out, 4);
    cbor_put_bytes(out, hdr, hdr_len);
    cbor_put_map(out, 0);
    cbor_put_bytes(out, payload, payload_len);
    cbor_put_bytes(out, raw, sizeof raw);
    rc = cbor_out_status(out);
    if (rc != 0)
        snprintf(err, errsz, "cose: the message is too large");
cleanup:
    free(hdr);
    free(tbs);
    return rc;
}

static enum cose_status malformed(char why[COSE_WHY_SIZE], const char *what)
{
    snprintf(why, COSE_WHY_SIZE, "%s", what);
    return COSE_ERR_MALFORMED;
}

enum cose_status cose_sign1_parse(const uint8_t *buf, size_t len, struct cose_sign1 *msg,
                                  char why[COSE_WHY_SIZE])
{
    memset(msg, 0, sizeof *msg);
    why[0] = '\0';
    struct cbor_item items[OUTER_ITEMS];
    struct cbor_doc doc;
    size_t at = 0;
    enum cbor_status st = cbor_decode(buf, len, items, OUTER_ITEMS, OUTER_DEPTH, &doc, &at);
    if (st != CBOR_OK) {
        snprintf(why, COSE_WHY_SIZE, "cbor: %s at byte %zu", cbor_status_code(st), at);
        return COSE_ERR_MALFORMED;
    }
    size_t i = 0;
    if (items[i].type == CBOR_TAG && items[i].value == COSE_TAG_CWT)
        i = cbor_child(&doc, i, 0);
    if (items[i].type == CBOR_TAG && items[i].value == COSE_TAG_SIGN1)
        i = cbor_child(&doc, i, 0);
    if (items[i].type == CBOR_TAG)
        return malformed(why, "not a COSE_Sign1: unexpected tag");
    if (items[i].type != CBOR_ARRAY || items[i].value != 4)
        return malformed(why, "not a COSE_Sign1: expected an array of 4");
    const struct cbor_item *prot = &items[cbor_child(&doc, i, 0)];
    size_t unprot = cbor_child(&doc, i, 1);
    const struct cbor_item *payload = &items[cbor_child(&doc, i, 2)];
    const struct cbor_item *sig = &items[cbor_child(&doc, i, 3)];
    if (prot->type != CBOR_BYTES)
        return malformed(why, "protected header is not a byte string");
    if (items[unprot].type != CBOR_MAP)
        return malformed(why, "unprotected header is not a map");
    if (payload->type != CBOR_BYTES)
        return malformed(why, "payload is not a byte string (detached payloads are refused)");
    if (sig->type != CBOR_BYTES)
        return malformed(why, "signature is not a byte string");

    /* The protected header: a serialized map with alg = ES256. */
    if (prot->value == 0)
        return malformed(why, "no alg in the protected header (it is empty)");
    struct cbor_item hitems[HEADER_ITEMS];
    struct cbor_doc hdoc;
    st = cbor_decode(prot->data, (size_t)prot->value, hitems, HEADER_ITEMS, HEADER_DEPTH, &hdoc,
                     &at);
    if (st != CBOR_OK) {
        snprintf(why, COSE_WHY_SIZE, "protected header: cbor: %s at byte %zu", cbor_status_code(st),
                 at);
        return COSE_ERR_MALFORMED;
    }
    if (hitems[0].type != CBOR_MAP)
        return malformed(why, "protected header is not a map");
    size_t alg = cbor_map_find_int(&hdoc, 0, COSE_HEADER_ALG);
    int64_t alg_value = 0;
    if (alg == SIZE_MAX)
        return malformed(why, "no alg in the protected header");
    if (!cbor_get_int(&hitems[alg], &alg_value) || alg_value != COSE_ALG_ES256)
        return malformed(why, "alg is not ES256 (-7)");
    if (cbor_map_find_int(&doc, unprot, COSE_HEADER_ALG) != SIZE_MAX)
        return malformed(why, "alg in the unprotected header");
    if (cbor_map_find_int(&hdoc, 0, COSE_HEADER_CRIT) != SIZE_MAX ||
        cbor_map_find_int(&doc, unprot, COSE_HEADER_CRIT) != SIZE_MAX)
        return malformed(why, "crit header: no extensions are understood");

    size_t pk = cbor_map_find_int(&hdoc, 0, COSE_HEADER_KID);
    size_t uk = cbor_map_find_int(&doc, unprot, COSE_HEADER_KID);
    if (pk != SIZE_MAX && uk != SIZE_MAX)
        return malformed(why, "kid in both headers");
    const struct cbor_item *kid = pk != SIZE_MAX ? &hitems[pk] : uk != SIZE_MAX ? &items[uk] : NULL;
    if (kid == NULL)
        return malformed(why, "no kid");
    if (kid->type != CBOR_BYTES || kid->value == 0 || kid->value > COSE_KID_MAX)
        return malformed(why, "kid is not a byte string of 1 to 64 bytes");

    msg->protected_bstr = prot->data;
    msg->protected_len = (size_t)prot->value;
    msg->kid = kid->data;
    msg->kid_len = (size_t)kid->value;
    msg->payload = payload->data;
    msg->payload_len = (size_t)payload->value;
    msg->signature = sig->data;
    msg->signature_len = (size_t)sig->value;
    return COSE_OK;
}

enum cose_status cose_sign1_verify(const struct cose_sign1 *msg, EVP_PKEY *pub)
{
    if (!keys_is_p256(pub))
        return COSE_ERR_KEY;
    if (msg->signature_len != COSE_ES256_SIG_LEN)
        return COSE_ERR_SIGNATURE_LEN;
    uint8_t der[COSE_ECDSA_DER_MAX];
    size_t der_len = 0;
    if (cose_ecdsa_raw_to_der(msg->signature, der, sizeof der, &der_len) != 0)
        return COSE_ERR_INTERNAL;
    size_t tbs_len = 0;
    uint8_t *tbs = sig_structure(msg->protected_bstr, msg->protected_len, msg->payload,
                                 msg->payload_len, &tbs_len);
    if (tbs == NULL)
        return COSE_ERR_INTERNAL;
    enum cose_status st = COSE_ERR_INTERNAL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    /* By name, not EVP_sha256(): OpenSSL 3.0 fetches a legacy EVP_MD again on every
     * init, which halved the verify rate (bench/credentials). */
    if (ctx != NULL && EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, pub, NULL) == 1) {
        int v = EVP_DigestVerify(ctx, der, der_len, tbs, tbs_len);
        /* 0 is a wrong signature; below 0 OpenSSL refused the input, also wrong. */
        st = v == 1 ? COSE_OK : COSE_ERR_SIGNATURE;
    }
    EVP_MD_CTX_free(ctx);
    free(tbs);
    ERR_clear_error();
    return st;
}
