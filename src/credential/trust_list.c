/* trust_list: the signed list of signing keys (see trust_list.h). */
#include "credential/trust_list.h"

#include "credential/signed_json.h"
#include "util/alloc.h"
#include "util/errbuf.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ---- */

static json_t *key_entry(const struct keystore_key *k)
{
    json_t *jwk = keys_jwk_export(k->public_key);
    if (jwk == NULL || json_object_set_new(jwk, "use", json_string("sig")) != 0 ||
        json_object_set_new(jwk, "not_before", json_integer(k->not_before)) != 0 ||
        json_object_set_new(jwk, "not_after", json_integer(k->not_after)) != 0) {
        json_decref(jwk);
        return NULL;
    }
    return jwk;
}

char *trust_list_build(const struct keystore *ks, struct signer *signer, const char *issuer,
                       int64_t now, size_t *len, char *err, size_t errsz)
{
    uint8_t current[KEYS_KID_LEN];
    if (signer_current(signer, current, err, errsz) != 0)
        return NULL;
    const struct keystore_key *signing = keystore_find(ks, current);
    if (signing == NULL || signing->not_after <= now) {
        char text[KEYS_KID_TEXT_SIZE];
        keys_kid_text(current, text);
        errbuf_set(err, errsz, "trust list: the signing key %s is not among the keys to list",
                   text);
        return NULL;
    }
    json_t *keys = json_array(), *doc = NULL;
    char *out = NULL;
    for (size_t i = 0; i < ks->n; i++) {
        if (ks->keys[i].not_after <= now)
            continue;
        if (json_array_append_new(keys, key_entry(&ks->keys[i])) != 0) {
            errbuf_set(err, errsz, "trust list: cannot encode key %s", ks->keys[i].kid_text);
            json_decref(keys);
            return NULL;
        }
    }
    doc = json_pack("{s:s, s:I, s:o}", "issuer", issuer ? issuer : signing->issuer, "issued_at",
                    (json_int_t)now, "keys", keys);
    uint8_t used[KEYS_KID_LEN];
    if (doc == NULL) {
        errbuf_set(err, errsz, "trust list: cannot encode it");
    } else if (signed_json_sign(doc, signer, used, err, errsz) == 0) {
        out = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
        if (out == NULL)
            errbuf_set(err, errsz, "trust list: cannot encode it");
        else
            *len = strlen(out);
    }
    json_decref(doc);
    return out;
}

/* ---- parsing ---- */

static int parse_key(const json_t *entry, size_t i, struct trust_key *k, char *err, size_t errsz)
{
    const char *use = NULL;
    json_int_t nb = 0, na = 0;
    json_error_t jerr;
    char why[KEYS_ERR_SIZE];
    if (json_unpack_ex((json_t *)(uintptr_t)entry, &jerr, 0, "{s:s, s:I, s:I}", "use", &use,
                       "not_before", &nb, "not_after", &na) != 0) {
        errbuf_set(err, errsz, "keys[%zu]: %s", i, jerr.text);
        return -1;
    }
    if (strcmp(use, "sig") != 0) {
        errbuf_set(err, errsz, "keys[%zu]: use must be \"sig\"", i);
        return -1;
    }
    if (nb <= 0 || na <= nb) {
        errbuf_set(err, errsz, "keys[%zu]: want 0 < not_before < not_after", i);
        return -1;
    }
    json_t *jwk = json_deep_copy(entry);
    if (jwk == NULL) {
        errbuf_set(err, errsz, "keys[%zu]: out of memory", i);
        return -1;
    }
    json_object_del(jwk, "use");
    json_object_del(jwk, "not_before");
    json_object_del(jwk, "not_after");
    k->key = keys_jwk_import(jwk, k->kid, why, sizeof why);
    json_decref(jwk);
    if (k->key == NULL) {
        errbuf_set(err, errsz, "keys[%zu]: %s", i, why);
        return -1;
    }
    keys_kid_text(k->kid, k->kid_text);
    k->not_before = nb;
    k->not_after = na;
    return 0;
}

/* Checks doc's signature with the key of its kid: from anchors first, else from
 * the list's own keys; the key must be valid at issued_at. */
static int check_signature(const json_t *doc, const struct trust_list *anchors,
                           struct trust_list *out, char *err, size_t errsz)
{
    struct signed_json_sig sig;
    if (signed_json_signature(doc, &sig, err, errsz) != 0)
        return -1;
    const struct trust_key *k = anchors ? trust_list_find(anchors, sig.kid) : NULL;
    out->anchored = k != NULL;
    if (k == NULL)
        k = trust_list_find(out, sig.kid);
    if (k == NULL) {
        char kid[KEYS_KID_TEXT_SIZE];
        keys_kid_text(sig.kid, kid);
        errbuf_set(err, errsz, "signature: kid %s is neither in the list nor trusted already", kid);
        return -1;
    }
    if (signed_json_verify_key(doc, &sig, k->key, k->not_before, k->not_after, out->issued_at, err,
                               errsz) != 0)
        return -1;
    memcpy(out->signed_by, sig.kid, KEYS_KID_LEN);
    return 0;
}

int trust_list_parse(const char *text, size_t len, const struct trust_list *anchors,
                     struct trust_list *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    json_t *keys = NULL;
    const char *issuer = NULL;
    int64_t issued_at = 0;
    int rc = -1;
    json_t *doc = signed_json_load(text, len, TRUST_LIST_MAX_BYTES, "trust list", "keys", &issuer,
                                   &issued_at, NULL, &keys, err, errsz);
    if (doc == NULL)
        return -1;
    size_t n = json_is_array(keys) ? json_array_size(keys) : 0;
    if (n == 0 || n > TRUST_LIST_MAX_KEYS) {
        errbuf_set(err, errsz, "keys: an array of 1 to %d keys", TRUST_LIST_MAX_KEYS);
        goto cleanup;
    }
    snprintf(out->issuer, sizeof out->issuer, "%s", issuer);
    out->issued_at = issued_at;
    out->keys = xcalloc(n, sizeof *out->keys);
    for (size_t i = 0; i < n; i++) {
        if (parse_key(json_array_get(keys, i), i, &out->keys[i], err, errsz) != 0)
            goto cleanup;
        out->n++;
        for (size_t j = 0; j < i; j++)
            if (memcmp(out->keys[j].kid, out->keys[i].kid, KEYS_KID_LEN) == 0) {
                errbuf_set(err, errsz, "keys[%zu]: kid %s listed twice", i, out->keys[i].kid_text);
                goto cleanup;
            }
    }
    if (check_signature(doc, anchors, out, err, errsz) != 0)
        goto cleanup;
    rc = 0;
cleanup:
    json_decref(doc);
    if (rc != 0)
        trust_list_release(out);
    return rc;
}

int trust_list_from_keystore(const struct keystore *ks, struct trust_list *out, char *err,
                             size_t errsz)
{
    memset(out, 0, sizeof *out);
    out->keys = xcalloc(ks->n ? ks->n : 1, sizeof *out->keys);
    for (size_t i = 0; i < ks->n; i++) {
        const struct keystore_key *k = &ks->keys[i];
        if (!EVP_PKEY_up_ref(k->public_key)) {
            errbuf_set(err, errsz, "key %s: openssl failed", k->kid_text);
            trust_list_release(out);
            return -1;
        }
        struct trust_key *t = &out->keys[out->n++];
        t->key = k->public_key;
        memcpy(t->kid, k->kid, KEYS_KID_LEN);
        memcpy(t->kid_text, k->kid_text, KEYS_KID_TEXT_SIZE);
        t->not_before = k->not_before;
        t->not_after = k->not_after;
    }
    if (ks->n > 0)
        snprintf(out->issuer, sizeof out->issuer, "%s", ks->keys[0].issuer);
    return 0;
}

const struct trust_key *trust_list_find(const struct trust_list *tl,
                                        const uint8_t kid[KEYS_KID_LEN])
{
    for (size_t i = 0; i < tl->n; i++)
        if (memcmp(tl->keys[i].kid, kid, KEYS_KID_LEN) == 0)
            return &tl->keys[i];
    return NULL;
}

size_t trust_list_envelope_keys(const struct trust_list *tl, struct envelope_key *out)
{
    for (size_t i = 0; i < tl->n; i++)
        out[i] = (struct envelope_key){tl->keys[i].kid, KEYS_KID_LEN, tl->keys[i].key,
                                       tl->keys[i].not_before, tl->keys[i].not_after};
    return tl->n;
}

void trust_list_release(struct trust_list *tl)
{
    for (size_t i = 0; i < tl->n; i++)
        EVP_PKEY_free(tl->keys[i].key);
    free(tl->keys);
    tl->keys = NULL;
    tl->n = 0;
}
