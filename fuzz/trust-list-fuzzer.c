/* libFuzzer harness for the signed JSON documents: src/credential/trust_list.c and
 * src/credential/revocation_list.c (and signed_json.c beneath them).
 *
 * The first byte chooses the parser: even, the rest is a trust list (with the list
 * parsed from the seed trust-list file as anchors when the input is one); odd, a
 * revocation list checked against a trust list of FIXED_JWK.
 *
 * Invariants checked (abort on violation): a failed parse leaves the result empty
 * and says why; a successful one stays within the caps (TRUST_LIST_MAX_KEYS,
 * REVOCATION_LIST_MAX_IDS), every key is a key and every id 1 to 64 bytes.
 */
#include "credential/revocation_list.h"
#include "credential/trust_list.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT (TRUST_LIST_MAX_BYTES + 1)

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

static struct trust_list fixed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    json_t *jwk = json_loads(FIXED_JWK, 0, NULL);
    require(jwk != NULL);
    fixed.keys = calloc(1, sizeof *fixed.keys);
    require(fixed.keys != NULL);
    fixed.keys[0].key = keys_jwk_import(jwk, fixed.keys[0].kid, NULL, 0);
    json_decref(jwk);
    require(fixed.keys[0].key != NULL);
    fixed.keys[0].not_before = 1;
    fixed.keys[0].not_after = 4102444800; /* 2100 */
    fixed.n = 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    bool revocation = data[0] & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[TRUST_LIST_ERR_SIZE];
    err[0] = '\0';
    if (revocation) {
        struct revocation_list rl;
        if (revocation_list_parse(text, len, &fixed, &rl, err, sizeof err) == 0) {
            require(rl.n <= REVOCATION_LIST_MAX_IDS);
            for (size_t i = 0; i < rl.n; i++)
                require(rl.ids[i].len >= 1 && rl.ids[i].len <= ENVELOPE_CTI_MAX);
        } else {
            require(rl.n == 0 && rl.ids == NULL && err[0] != '\0');
        }
        revocation_list_release(&rl);
    } else {
        struct trust_list tl;
        if (trust_list_parse(text, len, &fixed, &tl, err, sizeof err) == 0) {
            require(tl.n >= 1 && tl.n <= TRUST_LIST_MAX_KEYS);
            for (size_t i = 0; i < tl.n; i++)
                require(tl.keys[i].key != NULL && tl.keys[i].not_before < tl.keys[i].not_after);
        } else {
            require(tl.n == 0 && tl.keys == NULL && err[0] != '\0');
        }
        trust_list_release(&tl);
    }
    return 0;
}
