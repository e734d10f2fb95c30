/* revocation_list: the signed list of revoked ids (see revocation_list.h). */
#include "credential/revocation_list.h"

#include "credential/signed_json.h"
#include "util/alloc.h"
#include "util/errbuf.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_TEXT_SIZE 88 /* base64url of ENVELOPE_CTI_MAX bytes, and a NUL */

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *revocation_list_build(const struct envelope_id *ids, size_t n, struct signer *signer,
                            const char *issuer, int64_t now, size_t *len, char *err, size_t errsz)
{
    if (n > REVOCATION_LIST_MAX_IDS) {
        errbuf_set(err, errsz, "revoked: %zu ids, at most %d", n, REVOCATION_LIST_MAX_IDS);
        return NULL;
    }
    if (issuer == NULL)
        issuer = KEYSTORE_ISSUER_DEFAULT;
    if (!keystore_issuer_ok(issuer)) {
        errbuf_set(err, errsz, "issuer: 1 to %d printable ASCII characters", KEYSTORE_ISSUER_MAX);
        return NULL;
    }
    char **texts = xcalloc(n ? n : 1, sizeof *texts), *out = NULL;
    json_t *doc = NULL, *list = json_array();
    size_t made = 0;
    for (; made < n; made++) {
        if (ids[made].len == 0 || ids[made].len > ENVELOPE_CTI_MAX) {
            errbuf_set(err, errsz, "revoked[%zu]: an id is 1 to %d bytes", made, ENVELOPE_CTI_MAX);
            goto cleanup;
        }
        texts[made] = xmallocarray(ID_TEXT_SIZE, 1);
        sodium_bin2base64(texts[made], ID_TEXT_SIZE, ids[made].id, ids[made].len,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    }
    qsort(texts, n, sizeof *texts, compare_text);
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || strcmp(texts[i], texts[i - 1]) != 0) &&
            json_array_append_new(list, json_string(texts[i])) != 0) {
            errbuf_set(err, errsz, "revoked: out of memory");
            goto cleanup;
        }
    doc = json_pack("{s:s, s:I, s:I, s:O}", "issuer", issuer, "issued_at", (json_int_t)now,
                    "next_update", (json_int_t)(now + REVOCATION_LIST_VALIDITY), "revoked", list);
    uint8_t kid[KEYS_KID_LEN];
    if (doc == NULL) {
        errbuf_set(err, errsz, "revocation list: cannot encode it");
    } else if (signed_json_sign(doc, signer, kid, err, errsz) == 0) {
        out = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
        if (out == NULL)
            errbuf_set(err, errsz, "revocation list: cannot encode it");
        else
            *len = strlen(out);
    }
cleanup:
    for (size_t i = 0; i < made; i++)
        free(texts[i]);
    free(texts);
    json_decref(list);
    json_decref(doc);
    return out;
}

static int compare_id(const void *a, const void *b)
{
    const struct envelope_id *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->id, y->id, n);
    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Decodes the ids of list into out. */
static int read_ids(const json_t *list, struct revocation_list *out, char *err, size_t errsz)
{
    size_t n = json_array_size(list);
    if (!json_is_array(list) || n > REVOCATION_LIST_MAX_IDS) {
        errbuf_set(err, errsz, "revoked: an array of at most %d ids", REVOCATION_LIST_MAX_IDS);
        return -1;
    }
    out->ids = xcalloc(n ? n : 1, sizeof *out->ids);
    out->storage = xmallocarray(n ? n : 1, ENVELOPE_CTI_MAX);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(list, i);
        uint8_t *dst = out->storage + i * ENVELOPE_CTI_MAX;
        long got = json_is_string(item) && json_string_length(item) < ID_TEXT_SIZE
                       ? signed_json_unb64(json_string_value(item), dst, ENVELOPE_CTI_MAX)
                       : -1;
        if (got <= 0) {
            errbuf_set(err, errsz, "revoked[%zu]: not base64url of 1 to %d bytes", i,
                       ENVELOPE_CTI_MAX);
            return -1;
        }
        out->ids[i] = (struct envelope_id){dst, (size_t)got};
        out->n++;
    }
    /* Sorted copies find repeats in n log n; the order kept is the file's. */
    struct envelope_id *sorted = xmallocarray(n ? n : 1, sizeof *sorted);
    memcpy(sorted, out->ids, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_id);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++)
        if (compare_id(&sorted[i - 1], &sorted[i]) == 0) {
            errbuf_set(err, errsz, "revoked: an id is listed twice");
            rc = -1;
        }
    free(sorted);
    return rc;
}

int revocation_list_parse(const char *text, size_t len, const struct trust_list *trust,
                          struct revocation_list *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    json_t *list = NULL;
    const char *issuer = NULL;
    int64_t issued_at = 0, next_update = 0;
    int rc = -1;
    json_t *doc = signed_json_load(text, len, REVOCATION_LIST_MAX_BYTES, "revocation list",
                                   "revoked", &issuer, &issued_at, &next_update, &list, err, errsz);
    if (doc == NULL)
        return -1;
    snprintf(out->issuer, sizeof out->issuer, "%s", issuer);
    out->issued_at = issued_at;
    out->next_update = next_update;
    if (read_ids(list, out, err, errsz) != 0)
        goto cleanup;
    struct signed_json_sig s;
    if (signed_json_signature(doc, &s, err, errsz) != 0)
        goto cleanup;
    char kid[KEYS_KID_TEXT_SIZE];
    keys_kid_text(s.kid, kid);
    const struct trust_key *k = trust_list_find(trust, s.kid);
    if (k == NULL) {
        errbuf_set(err, errsz, "signature: kid %s is not in the trust list", kid);
        goto cleanup;
    }
    if (signed_json_verify_key(doc, &s, k->key, k->not_before, k->not_after, issued_at, err,
                               errsz) != 0)
        goto cleanup;
    memcpy(out->signed_by, s.kid, KEYS_KID_LEN);
    rc = 0;
cleanup:
    json_decref(doc);
    if (rc != 0)
        revocation_list_release(out);
    return rc;
}

void revocation_list_release(struct revocation_list *rl)
{
    free(rl->ids);
    free(rl->storage);
    rl->ids = NULL;
    rl->storage = NULL;
    rl->n = 0;
}
