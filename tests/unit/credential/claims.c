/* Unit tests for src/credential/claims.c: padron's claim map, both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct claims_person credential(void)
{
    struct claims_person p = {0};
    p.kind = CLAIMS_CREDENTIAL;
    p.folio = claims_text_of("IB26-7K3M-9QXD");
    p.curp = claims_text_of("SABC560626MDFLRN01");
    p.given = claims_text_of("María del Carmen");
    p.surname1 = claims_text_of("Loredo");
    p.surname2 = claims_text_of("Caballero");
    p.birth = claims_text_of("1956-06-26");
    p.program = claims_text_of("IMSS-BIENESTAR");
    p.clues = claims_text_of("BCIMB000010");
    p.levels[0] = 1;
    p.levels[1] = 2;
    p.level_count = 2;
    return p;
}

static uint8_t *encode(const struct claims_person *p, size_t *len)
{
    struct cbor_out o;
    cbor_out_init(&o, 1024);
    int rc = claims_encode(p, &o);
    uint8_t *b = cbor_out_detach(&o, len);
    assert_true((rc == 0) == (b != NULL));
    return b;
}

static void same_text(struct claims_text a, struct claims_text b)
{
    assert_int_equal(a.s == NULL, b.s == NULL);
    if (a.s != NULL) {
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.s, b.s, a.len);
    }
}

static void test_roundtrip(void **state)
{
    (void)state;
    struct claims_person p = credential(), q;
    size_t len;
    uint8_t *b = encode(&p, &len);
    assert_non_null(b);
    /* {1: 1, 2: "IB26-...", ...}: the kind first, keys ascending. */
    assert_int_equal(b[0], 0xaa); /* 10 pairs: no institution */
    assert_int_equal(b[1], 0x01);
    assert_int_equal(b[2], 0x01);
    assert_int_equal(b[3], 0x02);
    char why[CLAIMS_WHY_SIZE];
    assert_int_equal(claims_decode(b, len, &q, why), 0);
    assert_int_equal(q.kind, CLAIMS_CREDENTIAL);
    same_text(p.folio, q.folio);
    same_text(p.curp, q.curp);
    same_text(p.given, q.given);
    same_text(p.surname1, q.surname1);
    same_text(p.surname2, q.surname2);
    same_text(p.birth, q.birth);
    same_text(p.program, q.program);
    same_text(p.clues, q.clues);
    same_text(p.institution, q.institution);
    assert_int_equal(q.level_count, 2);
    assert_int_equal(q.levels[1], 2);
    free(b);

    struct claims_person letter = {0};
    letter.kind = CLAIMS_LETTER;
    letter.curp = claims_text_of("SABC560626MDFLRN01");
    letter.given = claims_text_of("Ana");
    letter.surname1 = claims_text_of("Pérez");
    letter.birth = claims_text_of("1956-06-26");
    letter.institution = claims_text_of("IMSS");
    b = encode(&letter, &len);
    assert_non_null(b);
    assert_int_equal(claims_decode(b, len, &q, why), 0);
    assert_int_equal(q.kind, CLAIMS_LETTER);
    assert_null(q.surname2.s);
    assert_null(q.folio.s);
    same_text(letter.institution, q.institution);
    free(b);

    /* A letter without names; never half of them. */
    letter.given = letter.surname1 = (struct claims_text){0};
    b = encode(&letter, &len);
    assert_non_null(b);
    assert_int_equal(claims_decode(b, len, &q, why), 0);
    assert_null(q.given.s);
    free(b);
    letter.given = claims_text_of("Ana");
    assert_null(encode(&letter, &len));
}

static void test_encode_refusals(void **state)
{
    (void)state;
    size_t len;
    struct claims_person p = credential();
    p.kind = 3;
    assert_null(encode(&p, &len));
    p = credential();
    p.curp.s = NULL;
    assert_null(encode(&p, &len));
    p = credential();
    p.level_count = 0;
    assert_null(encode(&p, &len));
    p = credential();
    p.levels[1] = 1;
    assert_null(encode(&p, &len));
    p = credential();
    p.levels[1] = 4;
    assert_null(encode(&p, &len));
    p = credential();
    p.given = claims_text_of("");
    assert_null(encode(&p, &len));
    p = credential();
    p.surname1.len = CLAIMS_TEXT_MAX + 1;
    assert_null(encode(&p, &len));
    p = credential();
    p.given = claims_text_of("\xc3");
    assert_null(encode(&p, &len));
    p = credential();
    p.kind = CLAIMS_LETTER;
    assert_null(encode(&p, &len)); /* no institution */
}

static void expect_refused(const char *hex, const char *why_part)
{
    uint8_t buf[256];
    size_t n = 0;
    for (const char *h = hex; *h; h += 2)
        sscanf(h, "%2hhx", &buf[n++]);
    struct claims_person p;
    char why[CLAIMS_WHY_SIZE];
    if (claims_decode(buf, n, &p, why) != -1 || strstr(why, why_part) == NULL) {
        fprintf(stderr, "%s: expected \"%s\", got \"%s\"\n", hex, why_part, why);
        fail();
    }
}

static void test_decode_refusals(void **state)
{
    (void)state;
    /* letter: {1: 2, 3: "C", 4: "G", 5: "S", 7: "B", 11: "I"} */
    const char *letter = "a601020361430461470561530761420b6149";
    uint8_t buf[64];
    size_t n = 0;
    for (const char *h = letter; *h; h += 2)
        sscanf(h, "%2hhx", &buf[n++]);
    struct claims_person p;
    char why[CLAIMS_WHY_SIZE];
    assert_int_equal(claims_decode(buf, n, &p, why), 0);

    expect_refused("80", "not a map");
    expect_refused("a6010203614304614705615307614218216149", "unknown key");
    expect_refused("a60102036143046147056153076142206149", "unknown key");
    expect_refused("a601020361430461470561530761426178"
                   "6149",
                   "unknown key");
    expect_refused("a601030361430461470561530761420b6149", "kind");
    expect_refused("a60161320361430461470561530761420b6149", "kind is not");
    expect_refused("a601020341430461470561530761420b6149", "key 3 is not a text");
    expect_refused("a501020361430461470561530761422"
                   "0",
                   "cbor: trailing_bytes");
    expect_refused("a50102036143046147056153076142", "needs the institution");
    expect_refused("a5010203614304614705615307", "cbor: truncated");
    expect_refused("a60102036143046147056153076142"
                   "0b60",
                   "empty");
    expect_refused("a7010203614304614705615307614209800b6149", "levels is not");
    expect_refused("a70102036143046147056153076142098161610b6149", "a level");
    expect_refused("a7010203614304614705615307614209820202"
                   "0b6149",
                   "ascending");
    expect_refused("a701020361430461470561530761420b6149"
                   "0b6149",
                   "cbor: duplicate_key");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_encode_refusals),
        cmocka_unit_test(test_decode_refusals),
    };
    return cmocka_run_group_tests_name("credential/claims", tests, NULL, NULL);
}
