/*
 * envelope-tool: the C side of the interoperability test (tests/interop/run.mjs).
 *
 *   envelope-tool keygen DIR            DIR/signing.pem (0600) and DIR/jwk.json
 *   envelope-tool issue DIR NOW         a sample credential valid for a year from NOW,
 *                                       signed with DIR/signing.pem: prints the QR text
 *   envelope-tool verify JWK NOW TEXT   verifies TEXT with the key in the JWK file;
 *                                       prints "RESULT<TAB>LAYER<TAB>REASON", then the
 *                                       claims as KEY=VALUE lines when signed
 *   envelope-tool issue-keys KEYSDIR IAT DAYS [bad-signature]
 *                                       the sample credential issued at IAT for DAYS
 *                                       through the signer process over a padron keys
 *                                       directory (its current key); bad-signature
 *                                       flips a bit of the signature afterwards
 *   envelope-tool revoke KEYSDIR        a revocation list naming the sample's id,
 *                                       signed the same way (tests/cli/keys.sh)
 *   envelope-tool trust-list KEYSDIR    the signed trust list of a padron keys
 *                                       directory (a key is made when none is valid)
 *
 * Exit 0 when the command worked (verify: whatever the result), 2 on usage or
 * I/O errors. Not installed; built by `make interop-test`.
 */
#include "credential/claims.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/base45.h"
#include "credential/revocation_list.h"
#include "credential/signer.h"
#include "credential/trust_list.h"
#include "credential/signer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

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

static const uint8_t sample_cti[16] = {0x5a, 0x1e, 0x0c, 0x2d, 0x11, 0x22, 0x33, 0x44,
                                       0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc};

/* The sample credential's text, issued at iat for days, through signer. */
static char *sample_text(struct signer *signer, long long iat, long long days, char *err,
                         size_t errsz);

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
    char *text = NULL;
    struct signer *signer = signer_new_key(key, err, sizeof err);
    int rc =
        signer != NULL && (text = sample_text(signer, now, 365, err, sizeof err)) != NULL ? 0 : 2;
    signer_free(signer);
    if (rc == 0)
        printf("%s\n", text);
    else
        fprintf(stderr, "envelope-tool: %s\n", err);
    free(text);
    EVP_PKEY_free(key);
    return rc;
}

static char *sample_text(struct signer *signer, long long iat, long long days, char *err,
                         size_t errsz)
{
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
    struct envelope_claims c = {"IMSS-BIENESTAR", iat, 0,       iat + days * 86400LL,
                                sample_cti,       16,  payload, plen};
    char *text = NULL;
    if (payload == NULL || envelope_issue(&c, signer, NULL, &text, err, errsz) != 0)
        text = NULL;
    free(payload);
    return text;
}

/* The signer process over a padron keys directory, as padron serve starts it. */
static struct signer *keys_signer(const char *keys_dir)
{
    char err[SIGNER_ERR_SIZE];
    struct signer_config sc = {keys_dir, NULL, false, NULL};
    struct signer_started started;
    struct signer *s = signer_start(&sc, &started, err, sizeof err);
    if (s == NULL)
        fprintf(stderr, "envelope-tool: %s\n", err);
    return s;
}

/* text with one bit of the COSE signature flipped (re-deflated, re-encoded). */
static char *flip_signature(const char *text)
{
    uint8_t z[ENVELOPE_TEXT_MAX], cose[ENVELOPE_INFLATE_MAX], z2[ENVELOPE_INFLATE_MAX + 64];
    size_t zlen = 0, where = 0;
    uLongf clen = sizeof cose, z2len = sizeof z2;
    if (base45_decode(text + 4, strlen(text) - 4, z, sizeof z, &zlen, &where) != BASE45_OK ||
        uncompress(cose, &clen, z, zlen) != Z_OK)
        return NULL;
    cose[clen - 1] ^= 0x01; /* the last byte of s */
    if (compress2(z2, &z2len, cose, clen, 9) != Z_OK)
        return NULL;
    size_t tlen = 4 + base45_encoded_size(z2len);
    char *out = malloc(tlen + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, "PB1:", 4);
    if (base45_encode(z2, z2len, out + 4, tlen + 1 - 4) != BASE45_OK) {
        free(out);
        return NULL;
    }
    return out;
}

static int issue_keys(const char *keys_dir, long long iat, long long days, bool bad)
{
    char err[SIGNER_ERR_SIZE];
    struct signer *s = keys_signer(keys_dir);
    char *text = s ? sample_text(s, iat, days, err, sizeof err) : NULL;
    if (s != NULL && text == NULL)
        fprintf(stderr, "envelope-tool: %s\n", err);
    if (text != NULL && bad) {
        char *flipped = flip_signature(text);
        free(text);
        text = flipped;
    }
    if (text != NULL)
        printf("%s\n", text);
    free(text);
    signer_free(s);
    return text != NULL ? 0 : 2;
}

static int revoke_sample(const char *keys_dir)
{
    char err[SIGNER_ERR_SIZE];
    struct signer *s = keys_signer(keys_dir);
    struct envelope_id id = {sample_cti, sizeof sample_cti};
    size_t len = 0;
    char *text =
        s ? revocation_list_build(&id, 1, s, NULL, (int64_t)time(NULL), &len, err, sizeof err)
          : NULL;
    if (s != NULL && text == NULL)
        fprintf(stderr, "envelope-tool: %s\n", err);
    if (text != NULL)
        printf("%s\n", text);
    free(text);
    signer_free(s);
    return text != NULL ? 0 : 2;
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

static int trust_list(const char *keys_dir)
{
    char err[KEYSTORE_ERR_SIZE], kid[KEYS_KID_TEXT_SIZE];
    bool created;
    if (keystore_ensure(keys_dir, NULL, (int64_t)time(NULL), NULL, &created, kid, err,
                        sizeof err) != 0) {
        fprintf(stderr, "envelope-tool: %s\n", err);
        return 2;
    }
    struct signer *s = keys_signer(keys_dir);
    struct keystore ks = {0};
    char *text = NULL;
    size_t len = 0;
    if (s != NULL &&
        (keystore_load(keys_dir, false, NULL, &ks, err, sizeof err) != 0 ||
         !(text = trust_list_build(&ks, s, NULL, (int64_t)time(NULL), &len, err, sizeof err))))
        fprintf(stderr, "envelope-tool: %s\n", err);
    if (text != NULL)
        printf("%s\n", text);
    int rc = text != NULL ? 0 : 2;
    free(text);
    keystore_release(&ks);
    signer_free(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "keygen") == 0)
        return keygen(argv[2]);
    if (argc == 4 && strcmp(argv[1], "issue") == 0)
        return issue(argv[2], strtoll(argv[3], NULL, 10));
    if (argc == 5 && strcmp(argv[1], "verify") == 0)
        return verify(argv[2], strtoll(argv[3], NULL, 10), argv[4]);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "issue-keys") == 0)
        return issue_keys(argv[2], strtoll(argv[3], NULL, 10), strtoll(argv[4], NULL, 10),
                          argc == 6 && strcmp(argv[5], "bad-signature") == 0);
    if (argc == 3 && strcmp(argv[1], "trust-list") == 0)
        return trust_list(argv[2]);
    if (argc == 3 && strcmp(argv[1], "revoke") == 0)
        return revoke_sample(argv[2]);
    return usage();
}
