/* claims: padron's claim map in the CWT (see claims.h). */
#include "credential/claims.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ITEMS 40

enum {
    KEY_KIND = 1,
    KEY_FOLIO,
    KEY_CURP,
    KEY_GIVEN,
    KEY_SURNAME1,
    KEY_SURNAME2,
    KEY_BIRTH,
    KEY_PROGRAM,
    KEY_LEVELS,
    KEY_CLUES,
    KEY_INSTITUTION,
    KEY_LAST = KEY_INSTITUTION,
};

struct claims_text claims_text_of(const char *s)
{
    struct claims_text t = {s, s != NULL ? strlen(s) : 0};
    return t;
}

/* The text member stored under key k, or NULL for a non-text key. */
static struct claims_text *text_member(struct claims_person *p, int k)
{
    switch (k) {
    case KEY_FOLIO:
        return &p->folio;
    case KEY_CURP:
        return &p->curp;
    case KEY_GIVEN:
        return &p->given;
    case KEY_SURNAME1:
        return &p->surname1;
    case KEY_SURNAME2:
        return &p->surname2;
    case KEY_BIRTH:
        return &p->birth;
    case KEY_PROGRAM:
        return &p->program;
    case KEY_CLUES:
        return &p->clues;
    case KEY_INSTITUTION:
        return &p->institution;
    default:
        return NULL;
    }
}

/* Whether p's members are present as its kind requires, and within bounds. */
static const char *check(const struct claims_person *p)
{
    if (p->kind != CLAIMS_CREDENTIAL && p->kind != CLAIMS_LETTER)
        return "kind is not 1 (credential) or 2 (letter)";
    struct claims_person copy = *p;
    for (int k = KEY_FOLIO; k <= KEY_LAST; k++) {
        const struct claims_text *t = text_member(&copy, k);
        if (t == NULL || t->s == NULL)
            continue;
        if (t->len == 0 || t->len > CLAIMS_TEXT_MAX)
            return "a text is empty or over 128 bytes";
    }
    if (p->curp.s == NULL || p->birth.s == NULL)
        return "curp and birth date are required";
    /* A letter may be asked for with a CURP alone: the CURP names the person. */
    if ((p->kind == CLAIMS_CREDENTIAL || p->given.s != NULL || p->surname1.s != NULL) &&
        (p->given.s == NULL || p->surname1.s == NULL))
        return "given names and first surname are required (a letter may have neither)";
    if (p->kind == CLAIMS_CREDENTIAL &&
        (p->folio.s == NULL || p->program.s == NULL || p->level_count == 0))
        return "a credential needs folio, program and levels";
    if (p->kind == CLAIMS_LETTER && p->institution.s == NULL)
        return "a letter needs the institution";
    if (p->level_count > CLAIMS_LEVELS_MAX)
        return "more than 3 levels";
    for (size_t i = 0; i < p->level_count; i++)
        if (p->levels[i] < 1 || p->levels[i] > 3 || (i > 0 && p->levels[i] <= p->levels[i - 1]))
            return "levels must be 1 to 3, ascending, once each";
    return NULL;
}

int claims_encode(const struct claims_person *p, struct cbor_out *out)
{
    if (check(p) != NULL) {
        out->failed = 1;
        return -1;
    }
    struct claims_person copy = *p;
    uint64_t n = 1 + (p->level_count > 0);
    for (int k = KEY_FOLIO; k <= KEY_LAST; k++)
        n += text_member(&copy, k) != NULL && text_member(&copy, k)->s != NULL;
    cbor_put_map(out, n);
    cbor_put_uint(out, KEY_KIND);
    cbor_put_uint(out, (uint64_t)p->kind);
    for (int k = KEY_FOLIO; k <= KEY_LAST; k++) {
        if (k == KEY_LEVELS && p->level_count > 0) {
            cbor_put_uint(out, KEY_LEVELS);
            cbor_put_array(out, p->level_count);
            for (size_t i = 0; i < p->level_count; i++)
                cbor_put_uint(out, p->levels[i]);
        }
        const struct claims_text *t = text_member(&copy, k);
        if (t != NULL && t->s != NULL) {
            cbor_put_uint(out, (uint64_t)k);
            cbor_put_text(out, t->s, t->len);
        }
    }
    return cbor_out_status(out);
}

static int refuse(char why[CLAIMS_WHY_SIZE], const char *what)
{
    snprintf(why, CLAIMS_WHY_SIZE, "%s", what);
    return -1;
}

int claims_decode(const uint8_t *buf, size_t len, struct claims_person *p,
                  char why[CLAIMS_WHY_SIZE])
{
    memset(p, 0, sizeof *p);
    why[0] = '\0';
    struct cbor_item items[ITEMS];
    struct cbor_doc doc;
    enum cbor_status st = cbor_decode(buf, len, items, ITEMS, 3, &doc, NULL);
    if (st != CBOR_OK) {
        snprintf(why, CLAIMS_WHY_SIZE, "cbor: %s", cbor_status_code(st));
        return -1;
    }
    if (items[0].type != CBOR_MAP)
        return refuse(why, "not a map");
    for (uint64_t j = 0; j < items[0].value; j++) {
        const struct cbor_item *key = &items[cbor_child(&doc, 0, 2 * j)];
        size_t vi = cbor_child(&doc, 0, 2 * j + 1);
        const struct cbor_item *val = &items[vi];
        int64_t k = 0;
        if (!cbor_get_int(key, &k) || k < KEY_KIND || k > KEY_LAST) {
            snprintf(why, CLAIMS_WHY_SIZE, "unknown key at position %llu",
                     (unsigned long long)j + 1);
            return -1;
        }
        if (k == KEY_KIND) {
            if (val->type != CBOR_UINT)
                return refuse(why, "kind is not an unsigned integer");
            p->kind = val->value <= 2 ? (enum claims_kind)val->value : (enum claims_kind)0;
        } else if (k == KEY_LEVELS) {
            if (val->type != CBOR_ARRAY || val->value == 0 || val->value > CLAIMS_LEVELS_MAX)
                return refuse(why, "levels is not an array of 1 to 3 items");
            for (uint64_t i = 0; i < val->value; i++) {
                const struct cbor_item *lv = &items[cbor_child(&doc, vi, i)];
                if (lv->type != CBOR_UINT || lv->value > 255)
                    return refuse(why, "a level is not a small unsigned integer");
                p->levels[i] = (uint8_t)lv->value;
            }
            p->level_count = (size_t)val->value;
        } else {
            if (val->type != CBOR_TEXT) {
                snprintf(why, CLAIMS_WHY_SIZE, "key %lld is not a text", (long long)k);
                return -1;
            }
            struct claims_text *t = text_member(p, (int)k);
            t->s = (const char *)val->data;
            t->len = (size_t)val->value;
        }
    }
    const char *bad = check(p);
    return bad != NULL ? refuse(why, bad) : 0;
}
