/* Unit tests for src/credential/cbor.c: RFC 8949 Appendix A, strictness, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/cbor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses "1a000f4240" into bytes. */
static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void expect(struct cbor_out *o, const char *hex)
{
    uint8_t want[64];
    size_t n = unhex(hex, want);
    size_t len;
    uint8_t *got = cbor_out_detach(o, &len);
    assert_non_null(got);
    if (len != n || memcmp(got, want, n) != 0) {
        fprintf(stderr, "expected %s, got %zu bytes\n", hex, len);
        fail();
    }
    /* What we write, we read back. */
    struct cbor_item items[16];
    struct cbor_doc doc;
    assert_int_equal(cbor_decode(got, len, items, 16, 8, &doc, NULL), CBOR_OK);
    free(got);
}

static void test_encode_appendix_a(void **state)
{
    (void)state;
    struct cbor_out o;
    cbor_out_init(&o, 1024);
    const struct {
        int64_t v;
        const char *hex;
    } ints[] = {
        {0, "00"},
        {1, "01"},
        {10, "0a"},
        {23, "17"},
        {24, "1818"},
        {25, "1819"},
        {100, "1864"},
        {1000, "1903e8"},
        {1000000, "1a000f4240"},
        {1000000000000, "1b000000e8d4a51000"},
        {-1, "20"},
        {-10, "29"},
        {-100, "3863"},
        {-1000, "3903e7"},
        {-260, "390103"},
        {INT64_MIN, "3b7fffffffffffffff"},
    };
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        cbor_put_int(&o, ints[k].v);
        expect(&o, ints[k].hex);
    }
    cbor_put_uint(&o, UINT64_MAX);
    expect(&o, "1bffffffffffffffff");
    cbor_put_uint(&o, 65535);
    expect(&o, "19ffff");
    cbor_put_uint(&o, 65536);
    expect(&o, "1a00010000");
    cbor_put_bool(&o, false);
    expect(&o, "f4");
    cbor_put_bool(&o, true);
    expect(&o, "f5");
    cbor_put_null(&o);
    expect(&o, "f6");
    cbor_put_bytes(&o, "", 0);
    expect(&o, "40");
    cbor_put_bytes(&o, "\x01\x02\x03\x04", 4);
    expect(&o, "4401020304");
    cbor_put_cstr(&o, "");
    expect(&o, "60");
    cbor_put_cstr(&o, "IETF");
    expect(&o, "6449455446");
    cbor_put_cstr(&o, "\xc3\xbc");
    expect(&o, "62c3bc");
    cbor_put_array(&o, 3);
    cbor_put_int(&o, 1);
    cbor_put_array(&o, 2);
    cbor_put_int(&o, 2);
    cbor_put_int(&o, 3);
    cbor_put_array(&o, 2);
    cbor_put_int(&o, 4);
    cbor_put_int(&o, 5);
    expect(&o, "8301820203820405");
    cbor_put_map(&o, 2);
    cbor_put_cstr(&o, "a");
    cbor_put_int(&o, 1);
    cbor_put_cstr(&o, "b");
    cbor_put_array(&o, 2);
    cbor_put_int(&o, 2);
    cbor_put_int(&o, 3);
    expect(&o, "a26161016162820203");
    cbor_put_tag(&o, 1);
    cbor_put_uint(&o, 1363896240);
    expect(&o, "c11a514b67b0");
    cbor_put_tag(&o, 18);
    cbor_put_array(&o, 0);
    expect(&o, "d280");
    cbor_put_raw(&o, "\xa0", 1);
    expect(&o, "a0");
    cbor_out_release(&o);
}

static void test_encode_failures(void **state)
{
    (void)state;
    struct cbor_out o;
    cbor_out_init(&o, 4);
    cbor_put_cstr(&o, "abc");
    assert_int_equal(cbor_out_status(&o), 0);
    cbor_put_int(&o, 1); /* the fifth byte */
    assert_int_equal(cbor_out_status(&o), -1);
    cbor_put_int(&o, 1);
    size_t len = 7;
    assert_null(cbor_out_detach(&o, &len));
    assert_int_equal(len, 0);

    cbor_out_init(&o, 100);
    cbor_put_text(&o, "\xc3\x28", 2); /* not UTF-8 */
    assert_int_equal(cbor_out_status(&o), -1);
    cbor_out_release(&o);
    cbor_out_release(&o);

    cbor_out_init(&o, 100);
    uint8_t *p = cbor_out_detach(&o, &len);
    assert_non_null(p);
    assert_int_equal(len, 0);
    free(p);
}

static enum cbor_status decode_hex(const char *hex, struct cbor_doc *doc, struct cbor_item *items,
                                   size_t cap, unsigned depth)
{
    static uint8_t buf[256];
    size_t n = unhex(hex, buf);
    return cbor_decode(buf, n, items, cap, depth, doc, NULL);
}

static void test_decode_values(void **state)
{
    (void)state;
    struct cbor_item it[32];
    struct cbor_doc doc;
    int64_t v;

    assert_int_equal(decode_hex("3903e7", &doc, it, 32, 4), CBOR_OK);
    assert_true(cbor_get_int(&it[0], &v));
    assert_int_equal(v, -1000);
    assert_int_equal(decode_hex("1b7fffffffffffffff", &doc, it, 32, 4), CBOR_OK);
    assert_true(cbor_get_int(&it[0], &v));
    assert_int_equal(v, INT64_MAX);
    assert_int_equal(decode_hex("1b8000000000000000", &doc, it, 32, 4), CBOR_OK);
    assert_false(cbor_get_int(&it[0], &v)); /* 2^63 does not fit */
    assert_int_equal(decode_hex("3bffffffffffffffff", &doc, it, 32, 4), CBOR_OK);
    assert_int_equal(it[0].type, CBOR_NEGINT); /* -2^64 is CBOR, but not int64 */
    assert_false(cbor_get_int(&it[0], &v));
    /* Not the shortest form, but well-formed: accepted. */
    assert_int_equal(decode_hex("1801", &doc, it, 32, 4), CBOR_OK);
    assert_true(cbor_get_int(&it[0], &v) && v == 1);

    /* {1: -7, 4: h'0102', "x": [true, false, null], -260: 18([])} */
    assert_int_equal(decode_hex("a40126044201026178"
                                "83f5f4f6"
                                "390103d280",
                                &doc, it, 32, 4),
                     CBOR_OK);
    assert_int_equal(doc.count, 13);
    assert_int_equal(it[0].type, CBOR_MAP);
    assert_int_equal(it[0].value, 4);
    assert_int_equal(it[0].next, 13);
    size_t alg = cbor_map_find_int(&doc, 0, 1);
    assert_true(alg != SIZE_MAX && cbor_get_int(&it[alg], &v) && v == -7);
    size_t kid = cbor_map_find_int(&doc, 0, 4);
    assert_int_equal(it[kid].type, CBOR_BYTES);
    assert_int_equal(it[kid].value, 2);
    assert_memory_equal(it[kid].data, "\x01\x02", 2);
    size_t x = cbor_map_find_text(&doc, 0, "x");
    assert_int_equal(it[x].type, CBOR_ARRAY);
    assert_int_equal(it[cbor_child(&doc, x, 0)].type, CBOR_TRUE);
    assert_int_equal(it[cbor_child(&doc, x, 1)].type, CBOR_FALSE);
    assert_int_equal(it[cbor_child(&doc, x, 2)].type, CBOR_NULL);
    assert_int_equal(cbor_child(&doc, x, 3), SIZE_MAX);
    size_t tag = cbor_map_find_int(&doc, 0, -260);
    assert_int_equal(it[tag].type, CBOR_TAG);
    assert_int_equal(it[tag].value, 18);
    assert_int_equal(it[cbor_child(&doc, tag, 0)].type, CBOR_ARRAY);
    assert_int_equal(it[tag].end - it[tag].start, 2);
    assert_int_equal(cbor_map_find_int(&doc, 0, 2), SIZE_MAX);
    assert_int_equal(cbor_map_find_int(&doc, alg, 1), SIZE_MAX); /* not a map */
    assert_int_equal(cbor_child(&doc, kid, 0), SIZE_MAX);        /* not a container */
    assert_int_equal(cbor_child(&doc, 0, 7), tag);               /* the last value */
    assert_true(cbor_text_equals(&it[cbor_child(&doc, 0, 4)], "x"));
    assert_false(cbor_text_equals(&it[cbor_child(&doc, 0, 4)], "xy"));

    assert_int_equal(decode_hex("62c3bc", &doc, it, 32, 4), CBOR_OK);
    assert_int_equal(decode_hex("6449455446", &doc, it, 32, 1), CBOR_OK);
}

static void expect_error(const char *hex, enum cbor_status want)
{
    struct cbor_item it[16];
    struct cbor_doc doc;
    enum cbor_status st = decode_hex(hex, &doc, it, 16, 8);
    if (st != want) {
        fprintf(stderr, "%s: expected %s, got %s\n", hex, cbor_status_code(want),
                cbor_status_code(st));
        fail();
    }
    if (want != CBOR_OK)
        assert_int_equal(doc.count, 0);
}

static void test_decode_refusals(void **state)
{
    (void)state;
    expect_error("", CBOR_ERR_EMPTY);
    expect_error("0101", CBOR_ERR_TRAILING);
    expect_error("1a0001", CBOR_ERR_TRUNCATED);
    expect_error("18", CBOR_ERR_TRUNCATED);
    expect_error("5bffffffffffffffff00", CBOR_ERR_TRUNCATED); /* 2^64-1 bytes declared */
    expect_error("7a7fffffff", CBOR_ERR_TRUNCATED);
    expect_error("9bffffffffffffffff", CBOR_ERR_TRUNCATED);
    expect_error("bbffffffffffffffff", CBOR_ERR_TRUNCATED);
    expect_error("8301", CBOR_ERR_TRUNCATED);
    expect_error("a10102a1", CBOR_ERR_TRAILING);
    expect_error("d2", CBOR_ERR_TRUNCATED);
    expect_error("5f4101ff", CBOR_ERR_INDEFINITE);
    expect_error("7f6161ff", CBOR_ERR_INDEFINITE);
    expect_error("9f01ff", CBOR_ERR_INDEFINITE);
    expect_error("bf0101ff", CBOR_ERR_INDEFINITE);
    expect_error("ff", CBOR_ERR_INDEFINITE);
    expect_error("1f", CBOR_ERR_UNSUPPORTED);
    expect_error("1c", CBOR_ERR_UNSUPPORTED);
    expect_error("f7", CBOR_ERR_UNSUPPORTED); /* undefined */
    expect_error("f0", CBOR_ERR_UNSUPPORTED); /* simple(16) */
    expect_error("f820", CBOR_ERR_UNSUPPORTED);
    expect_error("f93c00", CBOR_ERR_UNSUPPORTED); /* 1.0 as a half float */
    expect_error("fb3ff199999999999a", CBOR_ERR_UNSUPPORTED);
    expect_error("62c328", CBOR_ERR_UTF8);
    expect_error("62c0af", CBOR_ERR_UTF8);     /* overlong "/" */
    expect_error("63eda080", CBOR_ERR_UTF8);   /* a surrogate */
    expect_error("64f4908080", CBOR_ERR_UTF8); /* above U+10FFFF */
    expect_error("61ff", CBOR_ERR_UTF8);
    expect_error("a201020103", CBOR_ERR_DUPLICATE_KEY);
    expect_error("a20102180103", CBOR_ERR_DUPLICATE_KEY); /* the same key, longer head */
    expect_error("a2616101616102", CBOR_ERR_DUPLICATE_KEY);
    expect_error("a2616101416102", CBOR_OK); /* "a" and h'61' differ */
    expect_error("a2200120"
                 "02",
                 CBOR_ERR_DUPLICATE_KEY); /* -1 twice */
    expect_error("a18001", CBOR_ERR_KEY_TYPE);
    expect_error("a1f501", CBOR_ERR_KEY_TYPE);
    expect_error("a1c10101", CBOR_ERR_KEY_TYPE);
}

static void test_decode_bounds(void **state)
{
    (void)state;
    struct cbor_item it[64];
    struct cbor_doc doc;
    /* [[[[1]]]]: four containers around a scalar need depth 5. */
    assert_int_equal(decode_hex("8181818101", &doc, it, 64, 4), CBOR_ERR_DEPTH);
    assert_int_equal(decode_hex("8181818101", &doc, it, 64, 5), CBOR_OK);
    assert_int_equal(decode_hex("c1c1c101", &doc, it, 64, 3), CBOR_ERR_DEPTH);
    assert_int_equal(decode_hex("01", &doc, it, 64, 1), CBOR_OK);
    assert_int_equal(decode_hex("8101", &doc, it, 64, 1), CBOR_ERR_DEPTH);
    /* Depth above CBOR_DEPTH_MAX is clamped. */
    uint8_t deep[40];
    memset(deep, 0x81, sizeof deep);
    deep[39] = 0x01;
    assert_int_equal(cbor_decode(deep, 40, it, 64, 1000, &doc, NULL), CBOR_ERR_DEPTH);
    assert_int_equal(
        cbor_decode(deep + 40 - CBOR_DEPTH_MAX, CBOR_DEPTH_MAX, it, 64, 1000, &doc, NULL), CBOR_OK);
    /* [1, 2, 3] is four items. */
    assert_int_equal(decode_hex("83010203", &doc, it, 3, 4), CBOR_ERR_ITEMS);
    assert_int_equal(decode_hex("83010203", &doc, it, 4, 4), CBOR_OK);
    size_t at = 0;
    uint8_t bad[] = {0x82, 0x01, 0x1c};
    assert_int_equal(cbor_decode(bad, 3, it, 64, 4, &doc, &at), CBOR_ERR_UNSUPPORTED);
    assert_int_equal(at, 2);
    assert_string_equal(cbor_status_code(CBOR_ERR_DUPLICATE_KEY), "duplicate_key");
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(cbor_utf8_valid((const uint8_t *)"", 0));
    assert_true(cbor_utf8_valid((const uint8_t *)"Mar\xc3\xad"
                                                 "a Pe\xc3\xb1"
                                                 "a",
                                11));
    assert_true(cbor_utf8_valid((const uint8_t *)"\xf0\x9f\x98\x80", 4));
    assert_true(cbor_utf8_valid((const uint8_t *)"\xf4\x8f\xbf\xbf", 4));
    assert_true(cbor_utf8_valid((const uint8_t *)"\x00", 1)); /* NUL is a character */
    assert_false(cbor_utf8_valid((const uint8_t *)"\xe0\x80\xaf", 3));
    assert_false(cbor_utf8_valid((const uint8_t *)"\xf0\x9f\x98", 3));
    assert_false(cbor_utf8_valid((const uint8_t *)"\xe2\x82\x28", 3));
    assert_false(cbor_utf8_valid((const uint8_t *)"\xf5\x80\x80\x80", 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_appendix_a), cmocka_unit_test(test_encode_failures),
        cmocka_unit_test(test_decode_values),     cmocka_unit_test(test_decode_refusals),
        cmocka_unit_test(test_decode_bounds),     cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests_name("credential/cbor", tests, NULL, NULL);
}
