/* Unit tests for src/credential/base45.c: RFC 9285's examples and strictness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "credential/base45.h"

#include <stdlib.h>
#include <string.h>

static void check_pair(const char *bytes, const char *text)
{
    size_t n = strlen(bytes);
    char enc[64];
    assert_int_equal(base45_encode((const uint8_t *)bytes, n, enc, sizeof enc), BASE45_OK);
    assert_string_equal(enc, text);
    assert_int_equal(strlen(enc), base45_encoded_size(n));
    uint8_t dec[64];
    size_t len = 99;
    assert_int_equal(base45_decode(text, strlen(text), dec, sizeof dec, &len, NULL), BASE45_OK);
    assert_int_equal(len, n);
    assert_memory_equal(dec, bytes, n);
}

/* RFC 9285 sections 4.3 and 4.4. */
static void test_rfc_vectors(void **state)
{
    (void)state;
    check_pair("AB", "BB8");
    check_pair("Hello!!", "%69 VD92EX0");
    check_pair("base-45", "UJCLQE7W581");
    check_pair("ietf!", "QED8WEX0");
    check_pair("", "");
}

static enum base45_status decode(const char *text, size_t *where)
{
    uint8_t out[64];
    size_t len = 99;
    enum base45_status st = base45_decode(text, strlen(text), out, sizeof out, &len, where);
    if (st != BASE45_OK)
        assert_int_equal(len, 0);
    return st;
}

static void test_strict(void **state)
{
    (void)state;
    size_t where = 0;
    assert_int_equal(decode("A", &where), BASE45_ERR_LENGTH);
    assert_int_equal(decode("BB8A", &where), BASE45_ERR_LENGTH);
    assert_int_equal(where, 3);
    assert_int_equal(decode("bb8", &where), BASE45_ERR_CHAR); /* lower case is not base45 */
    assert_int_equal(where, 0);
    assert_int_equal(decode("BB8B\xc3", &where), BASE45_ERR_CHAR);
    assert_int_equal(where, 4);
    assert_int_equal(decode("BB=", &where), BASE45_ERR_CHAR);
    /* 65536 and the largest triplet ":::" = 91124 are over 65535. */
    assert_int_equal(decode("GGW", &where), BASE45_ERR_VALUE);
    assert_int_equal(decode("BB8:::", &where), BASE45_ERR_VALUE);
    assert_int_equal(where, 3);
    assert_int_equal(decode("FGW", NULL), BASE45_OK); /* 65535 itself */
    /* A final pair is one byte: 255 = "U5", 256 = "V5". */
    assert_int_equal(decode("U5", NULL), BASE45_OK);
    assert_int_equal(decode("V5", &where), BASE45_ERR_VALUE);
    assert_int_equal(decode("BB8::", &where), BASE45_ERR_VALUE);

    /* An embedded NUL is a bad character, not the end. */
    uint8_t out[8];
    size_t len;
    assert_int_equal(base45_decode("BB\0", 3, out, sizeof out, &len, &where), BASE45_ERR_CHAR);
    assert_int_equal(where, 2);
}

static void test_space(void **state)
{
    (void)state;
    char enc[4];
    assert_int_equal(base45_encode((const uint8_t *)"AB", 2, enc, 3), BASE45_ERR_SPACE);
    assert_int_equal(base45_encode((const uint8_t *)"AB", 2, enc, 4), BASE45_OK);
    uint8_t out[2];
    size_t len;
    assert_int_equal(base45_decode("BB8", 3, out, 1, &len, NULL), BASE45_ERR_SPACE);
    assert_int_equal(base45_decode("BB8", 3, out, 2, &len, NULL), BASE45_OK);
    assert_int_equal(base45_encoded_size(SIZE_MAX), SIZE_MAX);
    assert_string_equal(base45_status_code(BASE45_ERR_VALUE), "value");
}

/* Every byte string of length 0..3 over a few edge bytes round-trips. */
static void test_roundtrip(void **state)
{
    (void)state;
    const uint8_t edge[] = {0x00, 0x01, 0x2c, 0x2d, 0x7f, 0x80, 0xfe, 0xff};
    for (size_t a = 0; a < sizeof edge; a++)
        for (size_t b = 0; b < sizeof edge; b++)
            for (size_t c = 0; c < sizeof edge; c++) {
                uint8_t in[3] = {edge[a], edge[b], edge[c]};
                for (size_t n = 1; n <= 3; n++) {
                    char enc[8];
                    uint8_t dec[3];
                    size_t len;
                    assert_int_equal(base45_encode(in, n, enc, sizeof enc), BASE45_OK);
                    assert_int_equal(base45_decode(enc, strlen(enc), dec, sizeof dec, &len, NULL),
                                     BASE45_OK);
                    assert_int_equal(len, n);
                    assert_memory_equal(dec, in, n);
                }
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_vectors),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_space),
        cmocka_unit_test(test_roundtrip),
    };
    return cmocka_run_group_tests_name("credential/base45", tests, NULL, NULL);
}
