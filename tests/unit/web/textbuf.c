/* Unit tests for src/web/textbuf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/textbuf.h"

#include <stdlib.h>
#include <string.h>

/* ---- Helpers ---- */

/* Escapes the len bytes at s with a large cap and compares with expected. */
static void assert_escaped(const char *s, size_t len, const char *expected)
{
    struct textbuf tb;
    textbuf_init(&tb, 4096);
    textbuf_append_html_escaped(&tb, s, len);
    assert_int_equal(textbuf_status(&tb), 0);
    assert_int_equal(tb.len, strlen(expected));
    assert_memory_equal(textbuf_str(&tb), expected, tb.len);
    textbuf_release(&tb);
}

#define ESCAPED(lit, expected) assert_escaped(lit, sizeof lit - 1, expected)

/* ---- Building ---- */

static void test_empty(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 100);
    assert_string_equal(textbuf_str(&tb), "");
    assert_int_equal(tb.len, 0);
    assert_null(tb.buf); /* nothing allocated yet */
    assert_int_equal(textbuf_status(&tb), 0);
    assert_null(textbuf_error(&tb));
    textbuf_append(&tb, "x", 0);
    assert_null(tb.buf);
    textbuf_release(&tb);
    textbuf_release(&tb); /* twice is fine */
}

static void test_append_and_format(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 1 << 20);
    textbuf_append_str(&tb, "hola");
    textbuf_append(&tb, ", mundo", 7);
    textbuf_appendf(&tb, " %d %s", 42, "ñ");
    assert_string_equal(textbuf_str(&tb), "hola, mundo 42 ñ");
    assert_int_equal(tb.len, strlen("hola, mundo 42 ñ"));
    /* Growth past the first allocation, by append and by format. */
    char big[1000];
    memset(big, 'a', sizeof big);
    for (int i = 0; i < 100; i++)
        textbuf_append(&tb, big, sizeof big);
    textbuf_appendf(&tb, "%5000s|", "z");
    assert_int_equal(textbuf_status(&tb), 0);
    assert_int_equal(tb.len, strlen("hola, mundo 42 ñ") + 100000 + 5001);
    assert_int_equal(textbuf_str(&tb)[tb.len - 1], '|');
    assert_int_equal(textbuf_str(&tb)[tb.len], '\0');
    assert_true(tb.alloc <= tb.cap + 1);
    textbuf_release(&tb);
}

static void test_embedded_nul_is_kept(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 16);
    textbuf_append(&tb, "a\0b", 3);
    assert_int_equal(tb.len, 3);
    assert_memory_equal(tb.buf, "a\0b", 4);
    textbuf_release(&tb);
}

/* ---- The cap and the sticky error ---- */

static void test_cap_is_exact(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 10);
    textbuf_append_str(&tb, "0123456789"); /* exactly the cap */
    assert_int_equal(textbuf_status(&tb), 0);
    assert_int_equal(tb.len, 10);
    assert_int_equal(tb.alloc, 11);
    textbuf_append_str(&tb, "x");
    assert_int_equal(textbuf_status(&tb), -1);
    assert_string_equal(textbuf_error(&tb), "textbuf: output would pass the cap of 10 bytes");
    assert_string_equal(textbuf_str(&tb), "0123456789");
    textbuf_release(&tb);
}

static void test_error_is_sticky(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 8);
    textbuf_append_str(&tb, "abc");
    textbuf_append_str(&tb, "defghijk"); /* would make 11: nothing of it is added */
    assert_string_equal(textbuf_str(&tb), "abc");
    textbuf_append_str(&tb, "d"); /* would fit, but the error is sticky */
    textbuf_appendf(&tb, "%d", 1);
    textbuf_append_html_escaped(&tb, "e", 1);
    assert_string_equal(textbuf_str(&tb), "abc");
    assert_int_equal(textbuf_status(&tb), -1);
    textbuf_fail(&tb, "later: ignored");
    assert_string_equal(textbuf_error(&tb), "textbuf: output would pass the cap of 8 bytes");
    /* reset clears the error and keeps the cap */
    textbuf_reset(&tb);
    assert_int_equal(textbuf_status(&tb), 0);
    assert_string_equal(textbuf_str(&tb), "");
    textbuf_append_str(&tb, "12345678");
    assert_int_equal(textbuf_status(&tb), 0);
    textbuf_release(&tb);
}

static void test_appendf_over_cap(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 300);
    textbuf_append_str(&tb, "start"); /* allocates 256 */
    textbuf_appendf(&tb, "%400d", 7);
    assert_int_equal(textbuf_status(&tb), -1);
    assert_string_equal(textbuf_str(&tb), "start");
    assert_int_equal(tb.len, 5);
    textbuf_release(&tb);

    textbuf_init(&tb, 3);
    textbuf_appendf(&tb, "%s", "abcd"); /* first append, nothing allocated */
    assert_int_equal(textbuf_status(&tb), -1);
    assert_string_equal(textbuf_str(&tb), "");
    textbuf_release(&tb);
}

static void test_zero_cap(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 0);
    textbuf_append(&tb, "", 0);
    assert_int_equal(textbuf_status(&tb), 0);
    textbuf_append_str(&tb, "a");
    assert_int_equal(textbuf_status(&tb), -1);
    textbuf_release(&tb);
}

static void test_fail(void **state)
{
    (void)state;
    struct textbuf tb;
    textbuf_init(&tb, 100);
    textbuf_append_str(&tb, "ok");
    textbuf_fail(&tb, "template: partial not found: %s", "header");
    textbuf_fail(&tb, "second: ignored");
    assert_string_equal(textbuf_error(&tb), "template: partial not found: header");
    textbuf_append_str(&tb, "more");
    assert_string_equal(textbuf_str(&tb), "ok");
    textbuf_release(&tb);
}

static void test_detach(void **state)
{
    (void)state;
    struct textbuf tb;
    size_t len = 99;
    textbuf_init(&tb, 50);
    char *empty = textbuf_detach(&tb, &len); /* nothing appended: "" */
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_int_equal(len, 0);
    free(empty);

    textbuf_append_str(&tb, "<p>hola</p>");
    char *page = textbuf_detach(&tb, &len);
    assert_string_equal(page, "<p>hola</p>");
    assert_int_equal(len, 11);
    assert_null(tb.buf);
    assert_int_equal(tb.cap, 50);
    free(page);

    /* After a failure the cut-off content is discarded, never handed out. */
    textbuf_append_str(&tb, "<p>");
    textbuf_append_str(&tb, "0123456789012345678901234567890123456789012345678");
    assert_int_equal(textbuf_status(&tb), -1);
    assert_null(textbuf_detach(&tb, &len));
    assert_int_equal(len, 0);
    assert_int_equal(textbuf_status(&tb), 0);
    assert_int_equal(tb.cap, 50);
    textbuf_append_str(&tb, "again");
    assert_string_equal(textbuf_str(&tb), "again");
    textbuf_release(&tb);
}

/* ---- HTML escaping ---- */

static void test_escape_every_special_character(void **state)
{
    (void)state;
    ESCAPED("&", "&amp;");
    ESCAPED("<", "&lt;");
    ESCAPED(">", "&gt;");
    ESCAPED("\"", "&quot;");
    ESCAPED("'", "&#39;");
    ESCAPED("`", "&#96;");
    ESCAPED("=", "&#61;");
    ESCAPED("\0", "&#xFFFD;");
    ESCAPED("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    ESCAPED("\" onmouseover=alert(1) x=`", "&quot; onmouseover&#61;alert(1) x&#61;&#96;");
    ESCAPED("&amp;", "&amp;amp;"); /* already-escaped text is escaped again */
    ESCAPED("", "");
}

static void test_escape_keeps_everything_else(void **state)
{
    (void)state;
    /* Every other ASCII byte, control characters included, is copied. */
    char all[128];
    char expected[128];
    size_t n = 0, m = 0;
    for (int c = 1; c < 128; c++) {
        all[n++] = (char)c;
        if (!strchr("&<>\"'`=", c))
            expected[m++] = (char)c;
    }
    struct textbuf tb;
    textbuf_init(&tb, 4096);
    textbuf_append_html_escaped(&tb, all, n);
    const char *out = textbuf_str(&tb);
    /* Remove the entities and what is left must be the unescaped bytes. */
    char stripped[1024];
    size_t k = 0;
    for (size_t i = 0; i < tb.len; i++) {
        if (out[i] == '&') {
            const char *semi = strchr(out + i, ';');
            assert_non_null(semi);
            i = (size_t)(semi - out);
            continue;
        }
        stripped[k++] = out[i];
    }
    assert_int_equal(k, m);
    assert_memory_equal(stripped, expected, m);
    textbuf_release(&tb);
    /* Valid multi-byte UTF-8, up to 4 bytes, and the edges of each range. */
    ESCAPED("José Ñúñez €5 😀", "José Ñúñez €5 😀");
    ESCAPED("\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
            "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
}

#define FFFD "\xEF\xBF\xBD"

static void test_escape_malformed_utf8(void **state)
{
    (void)state;
    ESCAPED("\x80", FFFD); /* lone continuation byte */
    ESCAPED("a\xBF"
            "b",
            "a" FFFD "b");
    ESCAPED("\xC0\xBC", FFFD FFFD); /* overlong '<' never becomes '<' */
    ESCAPED("\xC1\xBF", FFFD FFFD);
    ESCAPED("\xE0\x80\xBC", FFFD FFFD FFFD);          /* overlong 3-byte '<' */
    ESCAPED("\xF0\x80\x80\xBC", FFFD FFFD FFFD FFFD); /* overlong 4-byte '<' */
    ESCAPED("\xED\xA0\x80", FFFD FFFD FFFD);          /* surrogate D800 */
    ESCAPED("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    ESCAPED("\xF5\xFF\xFE", FFFD FFFD FFFD);
    ESCAPED("\xE2\x82"
            "A",
            FFFD "A");             /* truncated: one U+FFFD for the subpart */
    ESCAPED("\xF0\x9F\x98", FFFD); /* truncated at the end */
    ESCAPED("\xF0\x9F\x98<", FFFD "&lt;");
    ESCAPED("\xC3", FFFD);
    ESCAPED("\xC3\xB1\xC3", "\xC3\xB1" FFFD);
}

static void test_escape_cut_at_cap(void **state)
{
    (void)state;
    /* Whatever the cap, the escaped prefix ends between input characters: never
     * inside an entity or a UTF-8 sequence. */
    static const char in[] = "a<b&ñ\x80z\"";
    for (size_t cap = 0; cap < 40; cap++) {
        struct textbuf tb;
        textbuf_init(&tb, cap);
        textbuf_append_html_escaped(&tb, in, sizeof in - 1);
        const char *out = textbuf_str(&tb);
        assert_true(tb.len <= cap);
        static const char *const cuts[] = {
            "",
            "a",
            "a&lt;",
            "a&lt;b",
            "a&lt;b&amp;",
            "a&lt;b&amp;ñ",
            "a&lt;b&amp;ñ" FFFD,
            "a&lt;b&amp;ñ" FFFD "z",
            "a&lt;b&amp;ñ" FFFD "z&quot;",
        };
        int ok = 0;
        for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++)
            ok |= strcmp(out, cuts[k]) == 0;
        assert_true(ok);
        assert_int_equal(textbuf_status(&tb), strcmp(out, cuts[8]) == 0 ? 0 : -1);
        textbuf_release(&tb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_append_and_format),
        cmocka_unit_test(test_embedded_nul_is_kept),
        cmocka_unit_test(test_cap_is_exact),
        cmocka_unit_test(test_error_is_sticky),
        cmocka_unit_test(test_appendf_over_cap),
        cmocka_unit_test(test_zero_cap),
        cmocka_unit_test(test_fail),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_escape_every_special_character),
        cmocka_unit_test(test_escape_keeps_everything_else),
        cmocka_unit_test(test_escape_malformed_utf8),
        cmocka_unit_test(test_escape_cut_at_cap),
    };
    return cmocka_run_group_tests_name("web/textbuf", tests, NULL, NULL);
}
