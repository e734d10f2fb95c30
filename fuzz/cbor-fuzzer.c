/* libFuzzer harness for the CBOR readers of src/credential: cbor_decode, and the two
 * parsers built on it, cose_sign1_parse and claims_decode, on any bytes.
 *
 * Invariants checked (abort on violation):
 * - a status is one of the enum; on failure no item is reported and the error
 *   offset lies within the input;
 * - on success: items[0] spans the whole input; every item's span lies inside its
 *   parent's and starts at or after the previous item's start; next points past the
 *   subtree and never beyond count; strings lie inside the input and text is UTF-8;
 *   map keys are integers or strings, pairwise different (map_find finds each key's
 *   own value); cbor_child agrees with the next links;
 * - a smaller item array or depth limit never turns a failure into success;
 * - COSE parse results point inside the input; claims texts are at most 128 bytes.
 */
#include "credential/cbor.h"
#include "credential/claims.h"
#include "credential/cose.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_INPUT 8192
#define ITEMS          256
#define DEPTH          16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static bool inside(const uint8_t *p, size_t n, const uint8_t *buf, size_t size)
{
    return p >= buf && (size_t)(p - buf) <= size && n <= size - (size_t)(p - buf);
}

static void check_doc(const struct cbor_doc *doc, const uint8_t *buf, size_t size)
{
    const struct cbor_item *it = doc->items;
    require(doc->count >= 1 && doc->count <= ITEMS);
    require(it[0].start == 0 && it[0].end == size && it[0].next == doc->count);
    for (size_t i = 0; i < doc->count; i++) {
        require(it[i].start < it[i].end && it[i].end <= size);
        require(it[i].next > i && it[i].next <= doc->count);
        if (i > 0)
            require(it[i].start > it[i - 1].start);
        /* Every item of the subtree lies inside this one's span. */
        for (size_t j = i + 1; j < it[i].next; j++)
            require(it[j].start >= it[i].start && it[j].end <= it[i].end);
        switch (it[i].type) {
        case CBOR_BYTES:
        case CBOR_TEXT:
            require(it[i].next == i + 1);
            require(inside(it[i].data, (size_t)it[i].value, buf, size));
            if (it[i].type == CBOR_TEXT)
                require(cbor_utf8_valid(it[i].data, (size_t)it[i].value));
            break;
        case CBOR_ARRAY:
        case CBOR_MAP:
        case CBOR_TAG: {
            uint64_t n = it[i].type == CBOR_TAG   ? 1
                         : it[i].type == CBOR_MAP ? it[i].value * 2
                                                  : it[i].value;
            size_t c = i + 1;
            for (uint64_t k = 0; k < n; k++) {
                require(cbor_child(doc, i, (size_t)k) == c);
                c = it[c].next;
            }
            require(c == it[i].next);
            require(cbor_child(doc, i, (size_t)n) == SIZE_MAX);
            if (it[i].type == CBOR_MAP) {
                for (uint64_t k = 0; k < it[i].value; k++) {
                    size_t key = cbor_child(doc, i, (size_t)(2 * k));
                    size_t val = cbor_child(doc, i, (size_t)(2 * k + 1));
                    const struct cbor_item *kt = &it[key];
                    int64_t v;
                    require(kt->type == CBOR_UINT || kt->type == CBOR_NEGINT ||
                            kt->type == CBOR_BYTES || kt->type == CBOR_TEXT);
                    if (cbor_get_int(kt, &v))
                        require(cbor_map_find_int(doc, i, v) == val);
                }
            }
            break;
        }
        default:
            require(it[i].next == i + 1 && it[i].data == NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    uint8_t *buf = malloc(size ? size : 1);
    require(buf != NULL);
    memcpy(buf, data, size);

    static struct cbor_item items[ITEMS];
    struct cbor_doc doc;
    size_t at = 0;
    enum cbor_status st = cbor_decode(buf, size, items, ITEMS, DEPTH, &doc, &at);
    require(strcmp(cbor_status_code(st), "unknown") != 0);
    if (st == CBOR_OK) {
        check_doc(&doc, buf, size);
        /* Tighter limits fail exactly when the document needs more. */
        size_t count = doc.count;
        enum cbor_status tight = cbor_decode(buf, size, items, count - 1, DEPTH, &doc, NULL);
        require(tight == CBOR_ERR_ITEMS);
        require(cbor_decode(buf, size, items, count, DEPTH, &doc, NULL) == CBOR_OK);
    } else {
        require(doc.count == 0 && at <= size);
        require(cbor_decode(buf, size, items, ITEMS / 2, DEPTH / 2, &doc, NULL) != CBOR_OK);
    }

    struct cose_sign1 msg;
    char why[COSE_WHY_SIZE];
    if (cose_sign1_parse(buf, size, &msg, why) == COSE_OK) {
        require(st == CBOR_OK);
        require(inside(msg.protected_bstr, msg.protected_len, buf, size));
        require(inside(msg.kid, msg.kid_len, buf, size) && msg.kid_len >= 1 &&
                msg.kid_len <= COSE_KID_MAX);
        require(inside(msg.payload, msg.payload_len, buf, size));
        require(inside(msg.signature, msg.signature_len, buf, size));
    } else {
        require(why[0] != '\0' && strlen(why) < COSE_WHY_SIZE);
    }

    struct claims_person p;
    char cwhy[CLAIMS_WHY_SIZE];
    if (claims_decode(buf, size, &p, cwhy) == 0) {
        require(p.kind == CLAIMS_CREDENTIAL || p.kind == CLAIMS_LETTER);
        require(p.curp.s != NULL && p.curp.len <= CLAIMS_TEXT_MAX);
        require(p.level_count <= CLAIMS_LEVELS_MAX);
        /* Whatever decodes passes the encoder's own rules too. */
        struct cbor_out o;
        cbor_out_init(&o, FUZZ_MAX_INPUT);
        require(claims_encode(&p, &o) == 0);
        cbor_out_release(&o);
    } else {
        require(cwhy[0] != '\0');
    }
    free(buf);
    return 0;
}
