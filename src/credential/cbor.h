/*
 * cbor: the part of CBOR (RFC 8949) that COSE and CWT need, both ways.
 *
 * Encoder (struct cbor_out): writes each head in its shortest form, so what the
 * caller writes in a fixed order is deterministically encoded (RFC 8949 4.2.1)
 * as long as map keys are written in bytewise order of their encodings: for the
 * integer labels COSE and CWT use, 0, 1, 2, ..., 23, 24, ... then -1, -2, ...
 * The buffer keeps a sticky error and a hard cap (as textbuf does): callers put
 * without checking and look once, with cbor_out_status, at the end. Text must be
 * valid UTF-8, or the put fails.
 *
 * Decoder (cbor_decode): strict and bounded, for bytes that come from outside.
 * - Accepted: unsigned and negative integers, byte and text strings, arrays,
 *   maps, tags, and the simple values false, true, null. Refused: indefinite
 *   lengths, floats, undefined and other simple values, reserved encodings, text
 *   that is not valid UTF-8, map keys other than integers and strings, duplicate
 *   map keys (compared by value), and any byte after the one top-level item.
 *   Heads need not be in their shortest form (the signature covers the bytes as
 *   they came, and other encoders may be lax about it).
 * - Zero-copy and allocation-free: items go into an array the caller provides and
 *   point into the input, which must outlive them. A declared length or count is
 *   compared with the bytes that remain before anything else, so a hostile length
 *   costs nothing; nesting deeper than max_depth or more items than the array
 *   holds is refused. Work is linear in the input except the duplicate-key check,
 *   quadratic in the keys of one map and so bounded by the item array.
 */
#ifndef PADRON_CREDENTIAL_CBOR_H
#define PADRON_CREDENTIAL_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Encoder ---- */

struct cbor_out {
    uint8_t *buf; /* NULL until the first put */
    size_t len;   /* bytes written */
    size_t alloc; /* bytes allocated at buf */
    size_t cap;   /* hard limit on len */
    int failed;   /* sticky: nonzero once a put failed (cap passed, bad UTF-8) */
};

/* Prepares o, empty, holding at most cap bytes. Allocates nothing. */
void cbor_out_init(struct cbor_out *o, size_t cap);

/* Frees o's memory and leaves it as cbor_out_init(o, 0) did. Safe to call twice. */
void cbor_out_release(struct cbor_out *o);

/* 0 when every put so far succeeded, -1 otherwise. */
int cbor_out_status(const struct cbor_out *o);

/* Hands the bytes to the caller (free() them) and empties o; stores the length in
 * *len. Returns NULL (and releases o) when a put failed. An empty, successful o
 * gives a 1-byte allocation with *len = 0. */
uint8_t *cbor_out_detach(struct cbor_out *o, size_t *len);

void cbor_put_uint(struct cbor_out *o, uint64_t v);
void cbor_put_int(struct cbor_out *o, int64_t v);
void cbor_put_bytes(struct cbor_out *o, const void *p, size_t n);
/* Fails (sticky) when the n bytes at s are not valid UTF-8. */
void cbor_put_text(struct cbor_out *o, const char *s, size_t n);
void cbor_put_cstr(struct cbor_out *o, const char *s);
/* Heads only: the caller then puts n items (n key-value pairs for a map). */
void cbor_put_array(struct cbor_out *o, uint64_t n);
void cbor_put_map(struct cbor_out *o, uint64_t n);
void cbor_put_tag(struct cbor_out *o, uint64_t tag);
void cbor_put_bool(struct cbor_out *o, bool v);
void cbor_put_null(struct cbor_out *o);
/* Appends n bytes the caller already encoded as whole items. */
void cbor_put_raw(struct cbor_out *o, const void *p, size_t n);

/* ---- Decoder ---- */

enum cbor_type {
    CBOR_UINT,
    CBOR_NEGINT,
    CBOR_BYTES,
    CBOR_TEXT,
    CBOR_ARRAY,
    CBOR_MAP,
    CBOR_TAG,
    CBOR_FALSE,
    CBOR_TRUE,
    CBOR_NULL,
};

/* One decoded item. Items are stored in pre-order: a container's children follow
 * it, and next is the index just past its whole subtree. */
struct cbor_item {
    enum cbor_type type;
    uint64_t value;      /* UINT: the number; NEGINT: n for the number -1 - n;
                            BYTES, TEXT: length; ARRAY: items; MAP: pairs; TAG: number */
    const uint8_t *data; /* BYTES, TEXT: the content (not NUL-terminated); else NULL */
    size_t start, end;   /* the item's whole encoding is input[start, end) */
    size_t next;         /* index of the first item after this one's subtree */
};

struct cbor_doc {
    const uint8_t *input;    /* the bytes decoded; items point into them */
    size_t input_len;        /* their length */
    struct cbor_item *items; /* the caller's array; items[0] is the top-level item */
    size_t count;            /* items used */
};

enum cbor_status {
    CBOR_OK = 0,
    CBOR_ERR_EMPTY,         /* no bytes at all */
    CBOR_ERR_TRUNCATED,     /* a head, length or count runs past the end */
    CBOR_ERR_TRAILING,      /* bytes after the top-level item */
    CBOR_ERR_INDEFINITE,    /* an indefinite length or a break */
    CBOR_ERR_UNSUPPORTED,   /* float, undefined, other simple value, reserved encoding */
    CBOR_ERR_UTF8,          /* a text string that is not valid UTF-8 */
    CBOR_ERR_DEPTH,         /* nesting deeper than max_depth */
    CBOR_ERR_ITEMS,         /* more items than the caller's array holds */
    CBOR_ERR_KEY_TYPE,      /* a map key that is not an integer or a string */
    CBOR_ERR_DUPLICATE_KEY, /* the same key twice in one map */
};

/* The deepest nesting any caller may ask for (arrays, maps and tags count). */
#define CBOR_DEPTH_MAX 32

/* Decodes the len bytes at input, which must hold exactly one item, into
 * items[0..cap) and describes them in *doc. max_depth (at most CBOR_DEPTH_MAX) is
 * how many containers may enclose an item: 1 allows only a scalar at the top.
 * On failure doc->count is 0 and *error_at (when not NULL) is the input offset
 * where the problem was found. */
enum cbor_status cbor_decode(const uint8_t *input, size_t len, struct cbor_item *items, size_t cap,
                             unsigned max_depth, struct cbor_doc *doc, size_t *error_at);

/* A stable lowercase name of a status, e.g. "duplicate_key". */
const char *cbor_status_code(enum cbor_status st);

/* The number when the item is an integer that fits int64_t. */
bool cbor_get_int(const struct cbor_item *it, int64_t *out);

/* Whether the item is a text string equal to the NUL-terminated s. */
bool cbor_text_equals(const struct cbor_item *it, const char *s);

/* The index of the k-th child of the array or map at index i (for a map, keys
 * and values alternate: 2j is key j, 2j + 1 its value), or SIZE_MAX when i is not
 * a container or k is out of range. A tag's only child is k = 0. */
size_t cbor_child(const struct cbor_doc *doc, size_t i, size_t k);

/* The index of the value stored under the integer key (or text key) in the map at
 * index i, or SIZE_MAX when absent or when i is not a map. */
size_t cbor_map_find_int(const struct cbor_doc *doc, size_t i, int64_t key);
size_t cbor_map_find_text(const struct cbor_doc *doc, size_t i, const char *key);

/* Whether the n bytes at s are valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool cbor_utf8_valid(const uint8_t *s, size_t n);

#endif
