/* libFuzzer harness for the whole verify path, src/credential/envelope.c: prefix,
 * base45, bounded inflate, COSE_Sign1, signature, CWT claims, revocation, dates.
 *
 * The first byte chooses the mode:
 * - even: the rest is QR text, verified against FIXED_JWK below. The seeds include
 *   texts that key really signed (its private half was thrown away after making
 *   them), so mutations reach the signature check with well-formed layers.
 * - odd: the rest is a CWT payload, which the harness signs with a key made at
 *   start-up and wraps like envelope_issue, so the claims reader (which only runs
 *   after a good signature) sees arbitrary bytes.
 * In both modes the next 8 bytes of the input, when present, are the "now".
 *
 * Invariants checked (abort on violation):
 * - the result is one of the seven, reason and layer are C strings of their size;
 *   layer is set exactly for malformed;
 * - signed_ok is true exactly for valid, expired, not_yet_valid and revoked, and
 *   then the claims point inside the verdict's buffer and exp > iat;
 * - in the even mode nothing other than FIXED_JWK's kid gets past unknown_key;
 * - in the odd mode the result is never unknown_key or bad_signature, and
 *   malformed only in the cwt layer.
 */
#include "credential/base45.h"
#include "credential/cose.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/signer.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FUZZ_MAX_INPUT (ENVELOPE_TEXT_MAX + 16)

#define FIXED_JWK                                                                                  \
    "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"QXq5F0qRODntUmTfsPoXN-6E9YJ75YPL2Y4VOygmzWU\","     \
    "\"y\":\"td487FZ2r1GDWT8ERg2fS1qa8qkxohOz6Re84RRNAuE\",\"kid\":\"HMr6t8KA1bk\"}"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static EVP_PKEY *fixed_key, *own_key;
static struct signer *own_signer;
static uint8_t fixed_kid[KEYS_KID_LEN], own_kid[KEYS_KID_LEN];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    json_t *jwk = json_loads(FIXED_JWK, 0, NULL);
    require(jwk != NULL);
    fixed_key = keys_jwk_import(jwk, fixed_kid, NULL, 0);
    json_decref(jwk);
    own_key = keys_generate(NULL, 0);
    require(fixed_key != NULL && own_key != NULL && keys_kid(own_key, own_kid) == 0);
    own_signer = signer_new_key(own_key, NULL, 0);
    require(own_signer != NULL);
    return 0;
}

static bool inside(const uint8_t *p, size_t n, const struct envelope_verdict *v)
{
    return p >= v->buffer && (size_t)(p - v->buffer) <= v->buffer_len &&
           n <= v->buffer_len - (size_t)(p - v->buffer);
}

/* Signs payload with own_key and wraps it as envelope_issue does; NULL when the
 * result would not fit a QR code. */
static char *wrap_signed(const uint8_t *payload, size_t n)
{
    struct cbor_out o;
    cbor_out_init(&o, ENVELOPE_INFLATE_MAX);
    require(cose_sign1_create(own_signer, own_kid, payload, n, &o, NULL, 0) == 0 || o.failed);
    size_t len = 0;
    uint8_t *cose = cbor_out_detach(&o, &len);
    if (cose == NULL)
        return NULL;
    uLongf zlen = compressBound(len);
    uint8_t *z = malloc(zlen);
    require(z != NULL && compress2(z, &zlen, cose, len, 9) == Z_OK);
    free(cose);
    size_t tlen = 4 + base45_encoded_size(zlen);
    char *text = NULL;
    if (tlen <= ENVELOPE_TEXT_MAX) {
        text = malloc(tlen + 1);
        require(text != NULL);
        memcpy(text, "PB1:", 4);
        require(base45_encode(z, zlen, text + 4, tlen + 1 - 4) == BASE45_OK);
    }
    free(z);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    bool sign_mode = data[0] & 1;
    data++;
    size--;
    int64_t now = 1767225600; /* 2026-01-01 */
    if (size >= 8) {
        uint64_t u = 0;
        for (int k = 0; k < 8; k++)
            u = u << 8 | data[k];
        now = (int64_t)u;
        data += 8;
        size -= 8;
    }
    char *text;
    size_t len;
    if (sign_mode) {
        text = wrap_signed(data, size);
        if (text == NULL)
            return 0;
        len = strlen(text);
    } else {
        text = malloc(size ? size : 1);
        require(text != NULL);
        memcpy(text, data, size);
        len = size;
    }
    struct envelope_key keys[] = {{fixed_kid, KEYS_KID_LEN, fixed_key, 0, 0},
                                  {own_kid, KEYS_KID_LEN, own_key, 0, 0}};
    static const uint8_t one[] = {0x01};
    struct envelope_id revoked[] = {{one, 1}};
    struct envelope_options opt = {NULL, keys, 2, revoked, 1, now, 300};
    struct envelope_verdict v;
    enum envelope_result r = envelope_verify(text, len, &opt, &v);
    require(r == v.result && r >= ENVELOPE_VALID && r <= ENVELOPE_MALFORMED);
    require(strcmp(envelope_result_code(r), "unknown") != 0);
    require(memchr(v.reason, '\0', sizeof v.reason) != NULL);
    require(memchr(v.layer, '\0', sizeof v.layer) != NULL);
    require((v.layer[0] != '\0') == (r == ENVELOPE_MALFORMED));
    bool signed_result = r == ENVELOPE_VALID || r == ENVELOPE_EXPIRED ||
                         r == ENVELOPE_NOT_YET_VALID || r == ENVELOPE_REVOKED;
    require(v.signed_ok == signed_result);
    require(v.buffer_len <= ENVELOPE_INFLATE_MAX);
    if (v.signed_ok) {
        require(v.exp > v.iat);
        require(inside(v.cti, v.cti_len, &v) && v.cti_len >= 1);
        require(v.iss == NULL || inside((const uint8_t *)v.iss, v.iss_len, &v));
        require(v.payload == NULL || inside(v.payload, v.payload_len, &v));
    }
    if (sign_mode) {
        require(r != ENVELOPE_UNKNOWN_KEY && r != ENVELOPE_BAD_SIGNATURE);
        require(r != ENVELOPE_MALFORMED || strcmp(v.layer, "cwt") == 0);
    } else if (r != ENVELOPE_MALFORMED && r != ENVELOPE_UNKNOWN_KEY) {
        /* own_key's kid is random per run: only the fixed key can be found. */
        require(v.kid_len == KEYS_KID_LEN && memcmp(v.kid, fixed_kid, KEYS_KID_LEN) == 0);
    }
    envelope_verdict_release(&v);
    free(text);
    return 0;
}
