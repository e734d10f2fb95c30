/* libFuzzer harness for src/credential/cose.c on its own: cose_sign1_parse on any
 * bytes, then cose_sign1_verify of what parsed against a fixed key, and the DER <->
 * r||s signature conversions. (fuzz/envelope-fuzzer.c reaches COSE through the
 * whole verify path; this one mutates COSE bytes directly, without base45 and zlib
 * in the way.)
 *
 * Invariants checked (abort on violation):
 * - parse returns COSE_OK or COSE_ERR_MALFORMED; on COSE_OK every pointer lies
 *   inside the input, the kid is at most COSE_KID_MAX bytes, and verify answers one
 *   of its statuses without crashing (never COSE_OK: nobody holds the key's
 *   private half, so a valid signature cannot appear);
 * - on COSE_ERR_MALFORMED the reason is a non-empty C string;
 * - a DER signature that converts to r||s converts back to DER that converts to the
 *   same r||s.
 */
#include "credential/cose.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static bool inside(const uint8_t *p, size_t len, const uint8_t *data, size_t size)
{
    return p == NULL ? len == 0 : p >= data && len <= size && p - data <= (ptrdiff_t)(size - len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static EVP_PKEY *key;
    if (key == NULL) {
        key = keys_generate(NULL, 0); /* its private half is never used to sign */
        require(key != NULL);
    }
    if (size > FUZZ_MAX_INPUT)
        return 0;
    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    why[0] = '\0';
    enum cose_status st = cose_sign1_parse(data, size, &msg, why);
    require(st == COSE_OK || st == COSE_ERR_MALFORMED);
    if (st == COSE_ERR_MALFORMED) {
        require(why[0] != '\0' && memchr(why, '\0', sizeof why) != NULL);
    } else {
        require(inside(msg.protected_bstr, msg.protected_len, data, size));
        require(inside(msg.kid, msg.kid_len, data, size) && msg.kid_len <= COSE_KID_MAX);
        require(inside(msg.payload, msg.payload_len, data, size));
        require(inside(msg.signature, msg.signature_len, data, size));
        enum cose_status v = cose_sign1_verify(&msg, key);
        require(v == COSE_ERR_SIGNATURE || v == COSE_ERR_SIGNATURE_LEN || v == COSE_ERR_INTERNAL);
    }
    uint8_t raw[COSE_ES256_SIG_LEN], again[COSE_ES256_SIG_LEN], der[COSE_ECDSA_DER_MAX];
    size_t der_len = 0;
    if (cose_ecdsa_der_to_raw(data, size, raw) == 0) {
        require(cose_ecdsa_raw_to_der(raw, der, sizeof der, &der_len) == 0);
        require(cose_ecdsa_der_to_raw(der, der_len, again) == 0);
        require(memcmp(raw, again, sizeof raw) == 0);
    }
    return 0;
}
