/* envelope: CWT -> COSE_Sign1 -> zlib -> base45 -> prefix, and back (see envelope.h). */
#include "credential/envelope.h"

#include "credential/base45.h"
#include "credential/cbor.h"
#include "credential/cose.h"
#include "credential/signer.h"
#include "util/alloc.h"
#include "util/errbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CLAIM_ITEMS  128
#define CLAIM_DEPTH  8
#define DECODED_MAX  (ENVELOPE_TEXT_MAX / 3 * 2 + 1)
#define COSE_OUT_MAX ENVELOPE_INFLATE_MAX
#define STR(x)       #x
#define XSTR(x)      STR(x)

/* Whether the prefix is short and all base45 characters (QR alphanumeric mode). */
static bool prefix_ok(const char *prefix)
{
    size_t n = strlen(prefix);
    if (n > ENVELOPE_PREFIX_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", prefix[i]) == NULL)
            return false;
    return true;
}

/* The CWT claims map, keys in deterministic order: 1, 4, 5, 6, 7, then ours. */
static uint8_t *encode_claims(const struct envelope_claims *c, size_t *len)
{
    struct cbor_out o;
    cbor_out_init(&o, COSE_OUT_MAX);
    uint64_t n = 3 + (c->iss != NULL) + (c->nbf != 0) + (c->payload != NULL);
    cbor_put_map(&o, n);
    if (c->iss != NULL) {
        cbor_put_uint(&o, ENVELOPE_CLAIM_ISS);
        cbor_put_cstr(&o, c->iss);
    }
    cbor_put_uint(&o, ENVELOPE_CLAIM_EXP);
    cbor_put_int(&o, c->exp);
    if (c->nbf != 0) {
        cbor_put_uint(&o, ENVELOPE_CLAIM_NBF);
        cbor_put_int(&o, c->nbf);
    }
    cbor_put_uint(&o, ENVELOPE_CLAIM_IAT);
    cbor_put_int(&o, c->iat);
    cbor_put_uint(&o, ENVELOPE_CLAIM_CTI);
    cbor_put_bytes(&o, c->cti, c->cti_len);
    if (c->payload != NULL) {
        cbor_put_int(&o, ENVELOPE_CLAIM_PADRON);
        cbor_put_raw(&o, c->payload, c->payload_len);
    }
    return cbor_out_detach(&o, len);
}

/* zlib (RFC 1950) of the n bytes at in, n <= COSE_OUT_MAX. compress2's defaults
 * allocate a 32 KiB window and a 64 Ki-entry hash for every call, which made
 * issuing 40 times slower than signing; an 8 KiB window covers the whole input,
 * and any inflater (windowBits 15) reads it. NULL on failure. */
static uint8_t *deflate_small(const uint8_t *in, size_t n, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 13, 4, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong bound = deflateBound(&zs, (uLong)n);
    uint8_t *out = xmallocarray(bound, 1);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)bound;
    int zr = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (zr != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

int envelope_issue(const struct envelope_claims *c, struct signer *signer, const char *prefix,
                   char **out, char *err, size_t errsz)
{
    int rc = -1;
    uint8_t *claims = NULL, *cose = NULL, *z = NULL;
    *out = NULL;
    if (prefix == NULL)
        prefix = ENVELOPE_PREFIX_DEFAULT;
    if (!prefix_ok(prefix)) {
        errbuf_set(err, errsz, "prefix: at most %d characters of the base45 alphabet",
                   ENVELOPE_PREFIX_MAX);
        return -1;
    }
    if (c->cti == NULL || c->cti_len == 0 || c->cti_len > ENVELOPE_CTI_MAX) {
        errbuf_set(err, errsz, "cti: 1 to %d bytes", ENVELOPE_CTI_MAX);
        return -1;
    }
    if (c->exp <= c->iat || c->iat <= 0 || (c->nbf != 0 && c->nbf >= c->exp)) {
        errbuf_set(err, errsz, "dates: want 0 < iat < exp and nbf < exp");
        return -1;
    }
    if (c->payload != NULL) {
        struct cbor_item items[CLAIM_ITEMS];
        struct cbor_doc doc;
        if (cbor_decode(c->payload, c->payload_len, items, CLAIM_ITEMS, CLAIM_DEPTH - 1, &doc,
                        NULL) != CBOR_OK) {
            errbuf_set(err, errsz, "payload: not one well-formed CBOR item within our limits");
            return -1;
        }
    }
    size_t claims_len = 0;
    claims = encode_claims(c, &claims_len);
    if (claims == NULL) {
        errbuf_set(err, errsz, "claims: over %d bytes or not UTF-8", COSE_OUT_MAX);
        goto cleanup;
    }
    uint8_t kid[KEYS_KID_LEN];
    if (signer_current(signer, kid, err, errsz) != 0)
        goto cleanup;
    struct cbor_out o;
    cbor_out_init(&o, COSE_OUT_MAX);
    if (cose_sign1_create(signer, kid, claims, claims_len, &o, err, errsz) != 0) {
        cbor_out_release(&o);
        goto cleanup;
    }
    size_t cose_len = 0;
    cose = cbor_out_detach(&o, &cose_len);
    if (cose == NULL) {
        errbuf_set(err, errsz, "cose: over %d bytes", COSE_OUT_MAX);
        goto cleanup;
    }
    size_t z_len = 0;
    z = deflate_small(cose, cose_len, &z_len);
    if (z == NULL) {
        errbuf_set(err, errsz, "zlib: compression failed");
        goto cleanup;
    }
    size_t text_len = strlen(prefix) + base45_encoded_size(z_len);
    if (text_len > ENVELOPE_TEXT_MAX) {
        errbuf_set(err, errsz, "size: %zu characters, a QR code holds %d", text_len,
                   ENVELOPE_TEXT_MAX);
        goto cleanup;
    }
    char *text = xmallocarray(text_len + 1, 1);
    size_t plen = strlen(prefix);
    memcpy(text, prefix, plen);
    if (base45_encode(z, z_len, text + plen, text_len + 1 - plen) != BASE45_OK) {
        free(text);
        errbuf_set(err, errsz, "base45: encoding failed");
        goto cleanup;
    }
    *out = text;
    rc = 0;
cleanup:
    free(claims);
    free(cose);
    free(z);
    return rc;
}

/* ---- Verification ---- */

static enum envelope_result finish(struct envelope_verdict *v, enum envelope_result r,
                                   const char *layer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum envelope_result finish(struct envelope_verdict *v, enum envelope_result r,
                                   const char *layer, const char *fmt, ...)
{
    v->result = r;
    snprintf(v->layer, sizeof v->layer, "%s", layer);
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(v->reason, sizeof v->reason, fmt, ap) < 0)
        v->reason[0] = '\0';
    va_end(ap);
    return r;
}

/* Inflates in into v->buffer, at most ENVELOPE_INFLATE_MAX bytes. Returns NULL or
 * the reason it failed. */
static const char *inflate_bounded(const uint8_t *in, size_t n, struct envelope_verdict *v)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return "cannot start inflating";
    v->buffer = xmallocarray(ENVELOPE_INFLATE_MAX, 1);
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = v->buffer;
    zs.avail_out = ENVELOPE_INFLATE_MAX;
    int zr = inflate(&zs, Z_FINISH);
    const char *why = NULL;
    if (zr == Z_STREAM_END) {
        if (zs.avail_in != 0)
            why = "bytes after the end of the stream";
    } else if (zs.avail_out == 0) {
        why = "inflates to more than " XSTR(ENVELOPE_INFLATE_MAX) " bytes";
    } else if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT) {
        why = "not a zlib stream";
    } else {
        why = "truncated stream";
    }
    v->buffer_len = zs.total_out;
    inflateEnd(&zs);
    return why;
}

static bool int_claim(const struct cbor_doc *doc, int64_t key, int64_t *out, bool *present)
{
    size_t i = cbor_map_find_int(doc, 0, key);
    *present = i != SIZE_MAX;
    return i == SIZE_MAX || cbor_get_int(&doc->items[i], out);
}

/* Reads the CWT claims from the verified payload. Returns NULL or the reason. */
static const char *read_claims(const struct cose_sign1 *msg, struct envelope_verdict *v)
{
    struct cbor_item items[CLAIM_ITEMS];
    struct cbor_doc doc;
    if (cbor_decode(msg->payload, msg->payload_len, items, CLAIM_ITEMS, CLAIM_DEPTH, &doc, NULL) !=
        CBOR_OK)
        return "payload is not CBOR within our limits";
    if (items[0].type != CBOR_MAP)
        return "claims are not a map";
    bool has_exp, has_iat;
    if (!int_claim(&doc, ENVELOPE_CLAIM_EXP, &v->exp, &has_exp) ||
        !int_claim(&doc, ENVELOPE_CLAIM_IAT, &v->iat, &has_iat) ||
        !int_claim(&doc, ENVELOPE_CLAIM_NBF, &v->nbf, &v->has_nbf))
        return "exp, iat and nbf must be integers (untagged)";
    if (!has_exp || !has_iat)
        return "exp and iat are required";
    if (v->exp <= v->iat)
        return "exp is not after iat";
    size_t i = cbor_map_find_int(&doc, 0, ENVELOPE_CLAIM_ISS);
    if (i != SIZE_MAX) {
        if (items[i].type != CBOR_TEXT || items[i].value > ENVELOPE_ISS_MAX)
            return "iss is not a text of at most 256 bytes";
        v->iss = (const char *)items[i].data;
        v->iss_len = (size_t)items[i].value;
    }
    i = cbor_map_find_int(&doc, 0, ENVELOPE_CLAIM_CTI);
    if (i == SIZE_MAX)
        return "cti is required";
    if (items[i].type != CBOR_BYTES || items[i].value == 0 || items[i].value > ENVELOPE_CTI_MAX)
        return "cti is not a byte string of 1 to 64 bytes";
    v->cti = items[i].data;
    v->cti_len = (size_t)items[i].value;
    i = cbor_map_find_int(&doc, 0, ENVELOPE_CLAIM_PADRON);
    if (i != SIZE_MAX) {
        if (items[i].type != CBOR_MAP)
            return "the padron claim is not a map";
        v->payload = msg->payload + items[i].start;
        v->payload_len = items[i].end - items[i].start;
    }
    return NULL;
}

enum envelope_result envelope_verify(const char *text, size_t len,
                                     const struct envelope_options *opt, struct envelope_verdict *v)
{
    memset(v, 0, sizeof *v);
    const char *prefix = opt->prefix != NULL ? opt->prefix : ENVELOPE_PREFIX_DEFAULT;
    size_t plen = strlen(prefix);
    if (len > ENVELOPE_TEXT_MAX)
        return finish(v, ENVELOPE_MALFORMED, "size", "%zu characters, at most %d", len,
                      ENVELOPE_TEXT_MAX);
    if (len < plen || memcmp(text, prefix, plen) != 0)
        return finish(v, ENVELOPE_MALFORMED, "prefix", "does not start with \"%s\"", prefix);

    uint8_t decoded[DECODED_MAX];
    size_t dlen = 0, where = 0;
    enum base45_status bs =
        base45_decode(text + plen, len - plen, decoded, sizeof decoded, &dlen, &where);
    if (bs != BASE45_OK)
        return finish(v, ENVELOPE_MALFORMED, "base45", "%s at character %zu",
                      base45_status_code(bs), plen + where);

    const char *why = inflate_bounded(decoded, dlen, v);
    if (why != NULL)
        return finish(v, ENVELOPE_MALFORMED, "zlib", "%s", why);

    struct cose_sign1 msg;
    char cwhy[COSE_WHY_SIZE];
    if (cose_sign1_parse(v->buffer, v->buffer_len, &msg, cwhy) != COSE_OK)
        return finish(v, ENVELOPE_MALFORMED, "cose", "%s", cwhy);
    memcpy(v->kid, msg.kid, msg.kid_len);
    v->kid_len = msg.kid_len;

    const struct envelope_key *trusted = NULL;
    for (size_t k = 0; k < opt->key_count && trusted == NULL; k++)
        if (opt->keys[k].kid_len == msg.kid_len &&
            memcmp(opt->keys[k].kid, msg.kid, msg.kid_len) == 0)
            trusted = &opt->keys[k];
    if (trusted == NULL)
        return finish(v, ENVELOPE_UNKNOWN_KEY, "", "no trusted key has this kid");

    switch (cose_sign1_verify(&msg, trusted->key)) {
    case COSE_OK:
        break;
    case COSE_ERR_SIGNATURE_LEN:
        return finish(v, ENVELOPE_BAD_SIGNATURE, "", "signature is %zu bytes, ES256 needs 64",
                      msg.signature_len);
    case COSE_ERR_SIGNATURE:
        return finish(v, ENVELOPE_BAD_SIGNATURE, "", "signature does not verify");
    default:
        return finish(v, ENVELOPE_BAD_SIGNATURE, "", "signature could not be checked");
    }
    why = read_claims(&msg, v);
    if (why != NULL)
        return finish(v, ENVELOPE_MALFORMED, "cwt", "%s", why);
    /* The key vouches only for what it signed inside its window. */
    if ((trusted->not_before != 0 && v->iat < trusted->not_before) ||
        (trusted->not_after != 0 && v->iat >= trusted->not_after))
        return finish(v, ENVELOPE_UNKNOWN_KEY, "",
                      "the key was not valid at iat %lld (valid from %lld until %lld)",
                      (long long)v->iat, (long long)trusted->not_before,
                      (long long)trusted->not_after);
    v->signed_ok = true;

    for (size_t k = 0; k < opt->revoked_count; k++)
        if (opt->revoked[k].len == v->cti_len &&
            memcmp(opt->revoked[k].id, v->cti, v->cti_len) == 0)
            return finish(v, ENVELOPE_REVOKED, "", "the id is on the revocation list");

    /* Saturating arithmetic: hostile dates near INT64 limits must not overflow. */
    int64_t leeway = opt->leeway < 0 ? 0 : opt->leeway;
    int64_t late = opt->now > INT64_MAX - leeway ? INT64_MAX : opt->now + leeway;
    int64_t early = opt->now < INT64_MIN + leeway ? INT64_MIN : opt->now - leeway;
    if (v->has_nbf && late < v->nbf)
        return finish(v, ENVELOPE_NOT_YET_VALID, "", "valid from %lld (nbf)", (long long)v->nbf);
    if (late < v->iat)
        return finish(v, ENVELOPE_NOT_YET_VALID, "", "issued in the future (iat %lld)",
                      (long long)v->iat);
    if (early >= v->exp)
        return finish(v, ENVELOPE_EXPIRED, "", "expired at %lld (exp)", (long long)v->exp);
    return finish(v, ENVELOPE_VALID, "", "%s", "");
}

void envelope_verdict_release(struct envelope_verdict *v)
{
    free(v->buffer);
    v->buffer = NULL;
    v->buffer_len = 0;
    v->iss = NULL;
    v->cti = NULL;
    v->payload = NULL;
}

const char *envelope_result_code(enum envelope_result r)
{
    switch (r) {
    case ENVELOPE_VALID:
        return "valid";
    case ENVELOPE_EXPIRED:
        return "expired";
    case ENVELOPE_NOT_YET_VALID:
        return "not_yet_valid";
    case ENVELOPE_REVOKED:
        return "revoked";
    case ENVELOPE_UNKNOWN_KEY:
        return "unknown_key";
    case ENVELOPE_BAD_SIGNATURE:
        return "bad_signature";
    case ENVELOPE_MALFORMED:
        return "malformed";
    }
    return "unknown";
}
