/*
 * credential-rate: how fast padron signs and verifies credential envelopes, on one
 * core, and how big they are. Run by bench/credentials, which puts the figures next
 * to `openssl speed ecdsap256`.
 *
 *   credential-rate SECONDS
 *
 * Prints KEY=VALUE lines: the size of each layer of a realistic credential, then
 * issue/s (claims -> COSE_Sign1 -> zlib -> base45), verify/s (the whole
 * envelope_verify), cose_verify/s (the signature check alone, on a parsed message),
 * decode/s (envelope_verify with no trusted key: every layer but the signature),
 * and issue_card/s: a credential issued and printed as its PDF card
 * (render/card_pdf.h), what a person asking for their card costs.
 */
#include "credential/base45.h"
#include "credential/claims.h"
#include "credential/cose.h"
#include "credential/envelope.h"
#include "credential/keys.h"
#include "credential/signer.h"
#include "render/card_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *sample_payload(size_t *len)
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
    return cbor_out_detach(&o, len);
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 2.0;
    EVP_PKEY *key = keys_generate(NULL, 0);
    uint8_t kid[KEYS_KID_LEN];
    struct signer *signer = key != NULL ? signer_new_key(key, NULL, 0) : NULL;
    if (signer == NULL || keys_kid(key, kid) != 0)
        return 1;
    size_t plen = 0;
    uint8_t *payload = sample_payload(&plen);
    static const uint8_t cti[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const int64_t now = 1767225600;
    struct envelope_claims c = {"IMSS-BIENESTAR", now, 0, now + 365 * 86400LL, cti, 16,
                                payload,          plen};
    char *text = NULL, err[160];
    if (payload == NULL || envelope_issue(&c, signer, NULL, &text, err, sizeof err) != 0)
        return 1;
    struct envelope_key keys[] = {{kid, KEYS_KID_LEN, key, 0, 0}};
    struct envelope_options opt = {NULL, keys, 1, NULL, 0, now, 300};
    struct envelope_verdict v;
    if (envelope_verify(text, strlen(text), &opt, &v) != ENVELOPE_VALID)
        return 1;
    size_t cose_len = v.buffer_len;
    uLongf zlen = compressBound(cose_len);
    uint8_t *z = malloc(zlen);
    compress2(z, &zlen, v.buffer, cose_len, Z_BEST_COMPRESSION);
    printf("padron_claim_bytes=%zu\n", plen);
    printf("cwt_bytes=%zu\n", v.payload != NULL ? (size_t)(v.payload - v.buffer) : 0);
    printf("cose_bytes=%zu\n", cose_len);
    printf("zlib_bytes=%lu\n", (unsigned long)zlen);
    printf("text_chars=%zu\n", strlen(text));
    printf("text=%s\n", text);
    free(z);
    envelope_verdict_release(&v);

    /* Each loop runs until the budget is spent, checking the clock every 64 rounds. */
    long n = 0;
    double t0 = seconds_now(), t = t0;
    while (t - t0 < budget) {
        for (int k = 0; k < 64; k++, n++) {
            char *t2 = NULL;
            if (envelope_issue(&c, signer, NULL, &t2, err, sizeof err) != 0)
                return 1;
            free(t2);
        }
        t = seconds_now();
    }
    printf("issue_per_s=%.0f\n", (double)n / (t - t0));

    static const int levels[] = {1, 2};
    n = 0;
    t0 = t = seconds_now();
    while (t - t0 < budget) {
        for (int k = 0; k < 8; k++, n++) {
            char *t2 = NULL;
            uint8_t *pdf = NULL;
            size_t pdf_len = 0;
            if (envelope_issue(&c, signer, NULL, &t2, err, sizeof err) != 0)
                return 1;
            struct card_pdf card = {PDF_LANG_ES,
                                    "IMSS-Bienestar",
                                    "María del Carmen Loredo Caballero",
                                    "LOCM900627MSPRBR05",
                                    "1990-06-27",
                                    "IB26-7K3M-9QXD",
                                    levels,
                                    2,
                                    "OCSSA001234",
                                    NULL,
                                    "2026-12-03",
                                    "2027-12-03",
                                    t2,
                                    "https://padron.example/verificar"};
            if (card_pdf_render(&card, &pdf, &pdf_len, err, sizeof err) != 0)
                return 1;
            free(pdf);
            free(t2);
        }
        t = seconds_now();
    }
    printf("issue_card_per_s=%.1f\n", (double)n / (t - t0));

    n = 0;
    t0 = t = seconds_now();
    while (t - t0 < budget) {
        for (int k = 0; k < 64; k++, n++) {
            if (envelope_verify(text, strlen(text), &opt, &v) != ENVELOPE_VALID)
                return 1;
            envelope_verdict_release(&v);
        }
        t = seconds_now();
    }
    printf("verify_per_s=%.0f\n", (double)n / (t - t0));

    /* The signature alone, on a message parsed once. */
    envelope_verify(text, strlen(text), &opt, &v);
    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    if (cose_sign1_parse(v.buffer, v.buffer_len, &msg, why) != COSE_OK)
        return 1;
    n = 0;
    t0 = t = seconds_now();
    while (t - t0 < budget) {
        for (int k = 0; k < 64; k++, n++)
            if (cose_sign1_verify(&msg, key) != COSE_OK)
                return 1;
        t = seconds_now();
    }
    printf("cose_verify_per_s=%.0f\n", (double)n / (t - t0));
    envelope_verdict_release(&v);

    opt.key_count = 0;
    n = 0;
    t0 = t = seconds_now();
    while (t - t0 < budget / 4) {
        for (int k = 0; k < 64; k++, n++) {
            if (envelope_verify(text, strlen(text), &opt, &v) != ENVELOPE_UNKNOWN_KEY)
                return 1;
            envelope_verdict_release(&v);
        }
        t = seconds_now();
    }
    printf("decode_per_s=%.0f\n", (double)n / (t - t0));
    free(text);
    free(payload);
    signer_free(signer);
    EVP_PKEY_free(key);
    return 0;
}
