/* cbor: a deterministic encoder and a strict, bounded decoder (see cbor.h). */
#include "credential/cbor.h"

#include "util/alloc.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

enum {
    MAJOR_UINT,
    MAJOR_NEGINT,
    MAJOR_BYTES,
    MAJOR_TEXT,
    MAJOR_ARRAY,
    MAJOR_MAP,
    MAJOR_TAG,
    MAJOR_SIMPLE
};

/* ---- Encoder ---- */

void cbor_out_init(struct cbor_out *o, size_t cap)
{
    o->buf = NULL;
    o->len = 0;
    o->alloc = 0;
    o->cap = cap;
    o->failed = 0;
}

void cbor_out_release(struct cbor_out *o)
{
    free(o->buf);
    cbor_out_init(o, 0);
}

int cbor_out_status(const struct cbor_out *o)
{
    return o->failed ? -1 : 0;
}

uint8_t *cbor_out_detach(struct cbor_out *o, size_t *len)
{
    *len = 0;
    if (o->failed) {
        cbor_out_release(o);
        return NULL;
    }
    uint8_t *p = o->buf != NULL ? o->buf : xmallocarray(1, 1);
    *len = o->len;
    cbor_out_init(o, o->cap);
    return p;
}

static void append(struct cbor_out *o, const void *p, size_t n)
{
    if (o->failed)
        return;
    if (n > o->cap - o->len) {
        o->failed = 1;
        return;
    }
    if (o->len + n > o->alloc) {
        size_t want = o->alloc < 64 ? 64 : o->alloc;
        while (want < o->len + n)
            want = want > SIZE_MAX / 2 ? o->len + n : want * 2;
        if (want > o->cap)
            want = o->cap;
        o->buf = xreallocarray(o->buf, want, 1);
        o->alloc = want;
    }
    if (n > 0)
        memcpy(o->buf + o->len, p, n);
    o->len += n;
}

/* A head in its shortest form: the value inline below 24, else 1, 2, 4 or 8 bytes. */
static void put_head(struct cbor_out *o, unsigned major, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) {
        h[0] = (uint8_t)(m | v);
        n = 1;
    } else if (v <= 0xff) {
        h[0] = m | 24;
        h[1] = (uint8_t)v;
        n = 2;
    } else if (v <= 0xffff) {
        h[0] = m | 25;
        n = 3;
    } else if (v <= 0xffffffffu) {
        h[0] = m | 26;
        n = 5;
    } else {
        h[0] = m | 27;
        n = 9;
    }
    for (size_t k = 1; n > 2 && k < n; k++)
        h[k] = (uint8_t)(v >> (8 * (n - 1 - k)));
    append(o, h, n);
}

void cbor_put_uint(struct cbor_out *o, uint64_t v)
{
    put_head(o, MAJOR_UINT, v);
}

void cbor_put_int(struct cbor_out *o, int64_t v)
{
    if (v >= 0)
        put_head(o, MAJOR_UINT, (uint64_t)v);
    else
        put_head(o, MAJOR_NEGINT, (uint64_t)(-(v + 1))); /* -1 - v without overflow */
}

void cbor_put_bytes(struct cbor_out *o, const void *p, size_t n)
{
    put_head(o, MAJOR_BYTES, n);
    append(o, p, n);
}

void cbor_put_text(struct cbor_out *o, const char *s, size_t n)
{
    if (!cbor_utf8_valid((const uint8_t *)s, n)) {
        o->failed = 1;
        return;
    }
    put_head(o, MAJOR_TEXT, n);
    append(o, s, n);
}

void cbor_put_cstr(struct cbor_out *o, const char *s)
{
    cbor_put_text(o, s, strlen(s));
}

void cbor_put_array(struct cbor_out *o, uint64_t n)
{
    put_head(o, MAJOR_ARRAY, n);
}

void cbor_put_map(struct cbor_out *o, uint64_t n)
{
    put_head(o, MAJOR_MAP, n);
}

void cbor_put_tag(struct cbor_out *o, uint64_t tag)
{
    put_head(o, MAJOR_TAG, tag);
}

void cbor_put_bool(struct cbor_out *o, bool v)
{
    put_head(o, MAJOR_SIMPLE, v ? 21 : 20);
}

void cbor_put_null(struct cbor_out *o)
{
    put_head(o, MAJOR_SIMPLE, 22);
}

void cbor_put_raw(struct cbor_out *o, const void *p, size_t n)
{
    append(o, p, n);
}

/* ---- UTF-8 ---- */

bool cbor_utf8_valid(const uint8_t *s, size_t n)
{
    return utf8_valid(s, n, NULL);
}

/* ---- Decoder ---- */

struct parser {
    const uint8_t *in;
    size_t len;
    size_t pos;
    struct cbor_item *items;
    size_t cap;
    size_t count;
    unsigned max_depth;
};

static bool is_key(const struct cbor_item *it)
{
    return it->type == CBOR_UINT || it->type == CBOR_NEGINT || it->type == CBOR_BYTES ||
           it->type == CBOR_TEXT;
}

static bool same_key(const struct cbor_item *a, const struct cbor_item *b)
{
    if (a->type != b->type || a->value != b->value)
        return false;
    if (a->type == CBOR_BYTES || a->type == CBOR_TEXT)
        return a->value == 0 || memcmp(a->data, b->data, (size_t)a->value) == 0;
    return true;
}

static enum cbor_status parse_item(struct parser *p, unsigned depth);

static enum cbor_status parse_map(struct parser *p, size_t self, uint64_t pairs, unsigned depth)
{
    for (uint64_t j = 0; j < pairs; j++) {
        size_t key = p->count;
        size_t key_at = p->pos;
        enum cbor_status st = parse_item(p, depth + 1);
        if (st != CBOR_OK)
            return st;
        if (!is_key(&p->items[key])) {
            p->pos = key_at;
            return CBOR_ERR_KEY_TYPE;
        }
        /* Earlier keys of this map: its children alternate key, value. */
        for (size_t k = self + 1; k < key; k = p->items[p->items[k].next].next) {
            if (same_key(&p->items[k], &p->items[key])) {
                p->pos = key_at;
                return CBOR_ERR_DUPLICATE_KEY;
            }
        }
        st = parse_item(p, depth + 1);
        if (st != CBOR_OK)
            return st;
    }
    return CBOR_OK;
}

static enum cbor_status parse_item(struct parser *p, unsigned depth)
{
    if (depth > p->max_depth)
        return CBOR_ERR_DEPTH;
    if (p->pos >= p->len)
        return CBOR_ERR_TRUNCATED;
    if (p->count >= p->cap)
        return CBOR_ERR_ITEMS;
    size_t self = p->count++;
    struct cbor_item *it = &p->items[self];
    it->start = p->pos;
    it->data = NULL;

    uint8_t ib = p->in[p->pos];
    unsigned major = ib >> 5, ai = ib & 31;
    uint64_t v;
    if (ai < 24) {
        v = ai;
        p->pos += 1;
    } else if (ai <= 27) {
        size_t n = (size_t)1 << (ai - 24);
        if (p->len - p->pos - 1 < n)
            return CBOR_ERR_TRUNCATED;
        v = 0;
        for (size_t k = 0; k < n; k++)
            v = v << 8 | p->in[p->pos + 1 + k];
        p->pos += 1 + n;
    } else if (ai == 31) {
        return major == MAJOR_UINT || major == MAJOR_NEGINT || major == MAJOR_TAG
                   ? CBOR_ERR_UNSUPPORTED
                   : CBOR_ERR_INDEFINITE;
    } else {
        return CBOR_ERR_UNSUPPORTED; /* 28-30 are reserved */
    }
    it->value = v;
    size_t remaining = p->len - p->pos;
    enum cbor_status st = CBOR_OK;

    switch (major) {
    case MAJOR_UINT:
        it->type = CBOR_UINT;
        break;
    case MAJOR_NEGINT:
        it->type = CBOR_NEGINT;
        break;
    case MAJOR_BYTES:
    case MAJOR_TEXT:
        it->type = major == MAJOR_BYTES ? CBOR_BYTES : CBOR_TEXT;
        if (v > remaining)
            return CBOR_ERR_TRUNCATED;
        it->data = p->in + p->pos;
        if (major == MAJOR_TEXT && !cbor_utf8_valid(it->data, (size_t)v))
            return CBOR_ERR_UTF8;
        p->pos += (size_t)v;
        break;
    case MAJOR_ARRAY:
        it->type = CBOR_ARRAY;
        if (v > remaining) /* every item takes at least one byte */
            return CBOR_ERR_TRUNCATED;
        for (uint64_t k = 0; k < v && st == CBOR_OK; k++)
            st = parse_item(p, depth + 1);
        break;
    case MAJOR_MAP:
        it->type = CBOR_MAP;
        if (v > remaining / 2)
            return CBOR_ERR_TRUNCATED;
        st = parse_map(p, self, v, depth);
        break;
    case MAJOR_TAG:
        it->type = CBOR_TAG;
        st = parse_item(p, depth + 1);
        break;
    default:
        if (ai == 20 || ai == 21 || ai == 22) {
            it->type = ai == 20 ? CBOR_FALSE : ai == 21 ? CBOR_TRUE : CBOR_NULL;
            it->value = 0;
            break;
        }
        p->pos = it->start;
        return CBOR_ERR_UNSUPPORTED;
    }
    if (st != CBOR_OK)
        return st;
    it->end = p->pos;
    it->next = p->count;
    return CBOR_OK;
}

enum cbor_status cbor_decode(const uint8_t *input, size_t len, struct cbor_item *items, size_t cap,
                             unsigned max_depth, struct cbor_doc *doc, size_t *error_at)
{
    size_t dummy;
    if (error_at == NULL)
        error_at = &dummy;
    *error_at = 0;
    doc->input = input;
    doc->input_len = len;
    doc->items = items;
    doc->count = 0;
    if (len == 0)
        return CBOR_ERR_EMPTY;
    struct parser p = {
        input, len, 0, items, cap, 0, max_depth > CBOR_DEPTH_MAX ? CBOR_DEPTH_MAX : max_depth};
    enum cbor_status st = parse_item(&p, 1);
    if (st == CBOR_OK && p.pos != len)
        st = CBOR_ERR_TRAILING;
    if (st != CBOR_OK) {
        *error_at = p.pos;
        return st;
    }
    doc->count = p.count;
    return CBOR_OK;
}

const char *cbor_status_code(enum cbor_status st)
{
    switch (st) {
    case CBOR_OK:
        return "ok";
    case CBOR_ERR_EMPTY:
        return "empty";
    case CBOR_ERR_TRUNCATED:
        return "truncated";
    case CBOR_ERR_TRAILING:
        return "trailing_bytes";
    case CBOR_ERR_INDEFINITE:
        return "indefinite_length";
    case CBOR_ERR_UNSUPPORTED:
        return "unsupported";
    case CBOR_ERR_UTF8:
        return "utf8";
    case CBOR_ERR_DEPTH:
        return "depth";
    case CBOR_ERR_ITEMS:
        return "items";
    case CBOR_ERR_KEY_TYPE:
        return "key_type";
    case CBOR_ERR_DUPLICATE_KEY:
        return "duplicate_key";
    }
    return "unknown";
}

/* ---- Access ---- */

bool cbor_get_int(const struct cbor_item *it, int64_t *out)
{
    if (it->type == CBOR_UINT && it->value <= (uint64_t)INT64_MAX) {
        *out = (int64_t)it->value;
        return true;
    }
    if (it->type == CBOR_NEGINT && it->value <= (uint64_t)INT64_MAX) {
        *out = -1 - (int64_t)it->value;
        return true;
    }
    return false;
}

bool cbor_text_equals(const struct cbor_item *it, const char *s)
{
    size_t n = strlen(s);
    return it->type == CBOR_TEXT && it->value == n && (n == 0 || memcmp(it->data, s, n) == 0);
}

size_t cbor_child(const struct cbor_doc *doc, size_t i, size_t k)
{
    if (i >= doc->count)
        return SIZE_MAX;
    const struct cbor_item *it = &doc->items[i];
    uint64_t n;
    if (it->type == CBOR_ARRAY || it->type == CBOR_TAG)
        n = it->type == CBOR_TAG ? 1 : it->value;
    else if (it->type == CBOR_MAP)
        n = it->value * 2; /* cannot overflow: pairs <= input length / 2 */
    else
        return SIZE_MAX;
    if (k >= n)
        return SIZE_MAX;
    size_t c = i + 1;
    for (size_t j = 0; j < k; j++)
        c = doc->items[c].next;
    return c;
}

static size_t map_find(const struct cbor_doc *doc, size_t i, const struct cbor_item *want)
{
    if (i >= doc->count || doc->items[i].type != CBOR_MAP)
        return SIZE_MAX;
    size_t k = i + 1;
    for (uint64_t j = 0; j < doc->items[i].value; j++) {
        size_t v = doc->items[k].next;
        if (same_key(&doc->items[k], want))
            return v;
        k = doc->items[v].next;
    }
    return SIZE_MAX;
}

size_t cbor_map_find_int(const struct cbor_doc *doc, size_t i, int64_t key)
{
    struct cbor_item want = {0};
    want.type = key >= 0 ? CBOR_UINT : CBOR_NEGINT;
    want.value = key >= 0 ? (uint64_t)key : (uint64_t)(-(key + 1));
    return map_find(doc, i, &want);
}

size_t cbor_map_find_text(const struct cbor_doc *doc, size_t i, const char *key)
{
    struct cbor_item want = {0};
    want.type = CBOR_TEXT;
    want.value = strlen(key);
    want.data = (const uint8_t *)key;
    return map_find(doc, i, &want);
}
