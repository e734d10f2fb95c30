/*
 * envelope-tool: the C side of the interoperability test (tests/interop/run.mjs).
 *
 *   envelope-tool keygen DIR            DIR/signing.pem (0600) and DIR/jwk.json
 *   envelope-tool issue DIR NOW         a sample credential valid for a year from NOW,
 *                                       signed with DIR/signing.pem: prints the QR text
 *   envelope-tool verify JWK NOW TEXT   verifies TEXT with the key in the JWK file;
 *                                       prints "RESULT<TAB>LAYER<TAB>REASON", then the
 *                                       claims as KEY=VALUE lines when signed
 *
 * Exit 0 when the command worked (verify: whatever the result), 2 on usage or
 * I/O errors. Not installed; built by `make interop-test`.
 */
#include "credential/claims.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/signer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fputs("usage: envelope-tool keygen DIR | issue DIR NOW | verify JWK NOW TEXT\n", stderr);
    return 2;
}

static int keygen(const char *dir)
{
    char err[KEYS_ERR_SIZE], path[4096];
    EVP_PKEY *key = keys_generate(err, sizeof err);
    if (key == NULL)
        goto fail;
    snprintf(path, sizeof path, "%s/signing.pem", dir);
    if (keys_save_private(key, path, err, sizeof err) != 0)
        goto fail;
    json_t *jwk = keys_jwk_export(key);
    snprintf(path, sizeof path, "%s/jwk.json", dir);
    int rc = jwk != NULL ? json_dump_file(jwk, path, JSON_SORT_KEYS) : -1;
    json_decref(jwk);
    EVP_PKEY_free(key);
    return rc == 0 ? 0 : 2;
fail:
    fprintf(stderr, "envelope-tool: %s\n", err);
    EVP_PKEY_free(key);
    return 2;
}

static int issue(const char *dir, long long now)
{
    char err[KEYS_ERR_SIZE], path[4096];
    snprintf(path, sizeof path, "%s/signing.pem", dir);
    EVP_PKEY *key = keys_load_private(path, err, sizeof err);
    uint8_t kid[KEYS_KID_LEN];
    if (key == NULL || keys_kid(key, kid) != 0) {
        fprintf(stderr, "envelope-tool: %s\n", err);
        EVP_PKEY_free(key);
        return 2;
    }
    struct claims_person p = {0};
    p.kind = CLAIMS_CREDENTIAL;
    p.folio = claims_text_of("IB26-7K3M-9QXD");
    p.curp = claims_text_of("LOCM900627MSPRBR05");
    p.given = claims_text_of("María del Carmen");
    p.surname1 = claims_text_of("Loredo");
    p.surname2 = claims_text_of("Caballero");
    p.birth = claims_text_of("1990-06-27");
    p.program = claims_text_of("IMSS-BIENESTAR");
    p.clues = claims_text_of("BCIMB000010");
    p.levels[0] = 1;
    p.levels[1] = 2;
    p.level_count = 2;
    struct cbor_out o;
    cbor_out_init(&o, 1024);
    claims_encode(&p, &o);
    size_t plen = 0;
    uint8_t *payload = cbor_out_detach(&o, &plen);
    static const uint8_t cti[16] = {0x5a, 0x1e, 0x0c, 0x2d, 0x11, 0x22, 0x33, 0x44,
                                    0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc};
    struct envelope_claims c = {"IMSS-BIENESTAR", now, 0, now + 365 * 86400LL, cti, 16,
                                payload,          plen};
    char *text = NULL;
    struct signer *signer = signer_new_key(key, err, sizeof err);
    int rc = payload != NULL && signer != NULL &&
                     envelope_issue(&c, signer, NULL, &text, err, sizeof err) == 0
                 ? 0
                 : 2;
    signer_free(signer);
    if (rc == 0)
        printf("%s\n", text);
    else
        fprintf(stderr, "envelope-tool: %s\n", err);
    free(text);
    free(payload);
    EVP_PKEY_free(key);
    return rc;
}

static void print_text(const char *name, struct claims_text t)
{
    if (t.s != NULL)
        printf("%s=%.*s\n", name, (int)t.len, t.s);
}

static int verify(const char *jwk_path, long long now, const char *text)
{
    json_error_t jerr;
    json_t *jwk = json_load_file(jwk_path, 0, &jerr);
    char err[KEYS_ERR_SIZE];
    uint8_t kid[KEYS_KID_LEN];
    EVP_PKEY *key = jwk != NULL ? keys_jwk_import(jwk, kid, err, sizeof err) : NULL;
    json_decref(jwk);
    if (key == NULL) {
        fprintf(stderr, "envelope-tool: %s: %s\n", jwk_path, jwk != NULL ? err : jerr.text);
        return 2;
    }
    struct envelope_key keys[] = {{kid, KEYS_KID_LEN, key, 0, 0}};
    struct envelope_options opt = {NULL, keys, 1, NULL, 0, now, 300};
    struct envelope_verdict v;
    envelope_verify(text, strlen(text), &opt, &v);
    printf("%s\t%s\t%s\n", envelope_result_code(v.result), v.layer, v.reason);
    if (v.signed_ok) {
        if (v.iss != NULL)
            printf("iss=%.*s\n", (int)v.iss_len, v.iss);
        printf("iat=%lld\nexp=%lld\ncti=", (long long)v.iat, (long long)v.exp);
        for (size_t k = 0; k < v.cti_len; k++)
            printf("%02x", v.cti[k]);
        printf("\n");
        struct claims_person p;
        char why[CLAIMS_WHY_SIZE];
        if (v.payload != NULL && claims_decode(v.payload, v.payload_len, &p, why) == 0) {
            printf("kind=%d\n", (int)p.kind);
            print_text("folio", p.folio);
            print_text("curp", p.curp);
            print_text("given", p.given);
            print_text("surname1", p.surname1);
            print_text("surname2", p.surname2);
            print_text("birth", p.birth);
            print_text("program", p.program);
            print_text("clues", p.clues);
            printf("levels=");
            for (size_t k = 0; k < p.level_count; k++)
                printf(k > 0 ? ",%u" : "%u", (unsigned)p.levels[k]);
            printf("\n");
        } else if (v.payload != NULL) {
            printf("claims_error=%s\n", why);
        }
    }
    envelope_verdict_release(&v);
    EVP_PKEY_free(key);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "keygen") == 0)
        return keygen(argv[2]);
    if (argc == 4 && strcmp(argv[1], "issue") == 0)
        return issue(argv[2], strtoll(argv[3], NULL, 10));
    if (argc == 5 && strcmp(argv[1], "verify") == 0)
        return verify(argv[2], strtoll(argv[3], NULL, 10), argv[4]);
    return usage();
}
