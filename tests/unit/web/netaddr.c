/* Unit tests for src/web/netaddr.c: addresses, ranges, and who the client of a
 * proxied request is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "web/netaddr.h"

#include <string.h>

/* ---- Helpers ---- */

static struct netaddr addr(const char *s)
{
    struct netaddr a;
    if (netaddr_parse(s, strlen(s), &a) != 0)
        fail_msg("'%s' does not parse", s);
    return a;
}

static void assert_text(const struct netaddr *a, const char *want)
{
    char text[NETADDR_TEXT_MAX];
    netaddr_format(a, text);
    assert_string_equal(text, want);
}

static struct netaddr_list list(const char *s)
{
    struct netaddr_list l;
    char err[256];
    if (netaddr_list_parse(s, strlen(s), &l, err, sizeof err) != 0)
        fail_msg("'%s': %s", s, err);
    return l;
}

static void assert_list_refused(const char *s, const char *want)
{
    struct netaddr_list l;
    char err[256];
    assert_int_equal(netaddr_list_parse(s, strlen(s), &l, err, sizeof err), -1);
    assert_int_equal(l.n, 0);
    if (!strstr(err, want))
        fail_msg("'%s': '%s', wanted '%s'", s, err, want);
}

/* The client netaddr_forwarded_client picks for a request from peer with xff. */
static void assert_client(const char *trusted, const char *peer, const char *xff, const char *want)
{
    struct netaddr_list l = list(trusted);
    struct netaddr p = addr(peer);
    struct netaddr c = netaddr_forwarded_client(&l, &p, xff, xff ? strlen(xff) : 0);
    char text[NETADDR_TEXT_MAX];
    netaddr_format(&c, text);
    if (strcmp(text, want) != 0)
        fail_msg("trusted '%s', peer %s, X-Forwarded-For '%s': %s, wanted %s", trusted, peer,
                 xff ? xff : "(none)", text, want);
}

/* ---- Addresses ---- */

static void test_parse_and_format(void **state)
{
    (void)state;
    struct netaddr a = addr("192.0.2.1");
    assert_text(&a, "192.0.2.1");
    a = addr("::ffff:192.0.2.1"); /* the same address, printed as IPv4 */
    assert_text(&a, "192.0.2.1");
    a = addr("2001:DB8:0:0::1");
    assert_text(&a, "2001:db8::1");
    static const char *const bad[] = {"",           "localhost", "1.2.3",      "1.2.3.4.5",
                                      "256.1.1.1",  "1.2.3.4 ",  "[::1]",      "fe80::1%eth0",
                                      "1.2.3.4:80", "::1/128",   "0x7f.0.0.1", ":::"};
    struct netaddr b;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (netaddr_parse(bad[i], strlen(bad[i]), &b) == 0)
            fail_msg("'%s' parsed", bad[i]);
    assert_int_equal(netaddr_parse("1.2.3.4\0x", 9, &b), -1); /* embedded NUL */
    char longer[100];
    memset(longer, '1', sizeof longer);
    assert_int_equal(netaddr_parse(longer, sizeof longer, &b), -1);
    assert_int_equal(netaddr_parse("1.2.3.4xyz", 7, &b), 0); /* length, not NUL, ends it */
    assert_text(&b, "1.2.3.4");
}

static void test_loopback(void **state)
{
    (void)state;
    struct netaddr a = addr("127.0.0.1");
    assert_true(netaddr_is_loopback(&a));
    a = addr("127.255.0.9");
    assert_true(netaddr_is_loopback(&a));
    a = addr("::1");
    assert_true(netaddr_is_loopback(&a));
    a = addr("::ffff:127.0.0.1");
    assert_true(netaddr_is_loopback(&a));
    a = addr("0.0.0.0");
    assert_false(netaddr_is_loopback(&a));
    a = addr("::");
    assert_false(netaddr_is_loopback(&a));
    a = addr("128.0.0.1");
    assert_false(netaddr_is_loopback(&a));
}

/* ---- Lists ---- */

static void test_lists(void **state)
{
    (void)state;
    struct netaddr_list l = list("");
    assert_int_equal(l.n, 0);
    l = list(" ,, \t");
    assert_int_equal(l.n, 0);
    l = list("127.0.0.1, 10.0.0.0/8 172.16.0.0/12,2001:db8::/32,::1 0.0.0.0/0");
    assert_int_equal(l.n, 6);
    static const char *const inside[] = {"127.0.0.1",   "10.255.3.4", "172.31.255.255",
                                         "2001:db8::9", "::1",        "203.0.113.7"};
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        struct netaddr a = addr(inside[i]);
        assert_true(netaddr_list_contains(&l, &a));
    }
    l = list("10.0.0.0/8, 192.168.1.128/25");
    static const char *const outside[] = {"11.0.0.1", "192.168.1.127", "::a00:1", "::1"};
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        struct netaddr a = addr(outside[i]);
        assert_false(netaddr_list_contains(&l, &a));
    }
    struct netaddr a = addr("192.168.1.200");
    assert_true(netaddr_list_contains(&l, &a));
    assert_false(netaddr_list_contains(NULL, &a));
    l = list("::/0"); /* every IPv6 address, and so every IPv4-mapped one */
    assert_true(netaddr_list_contains(&l, &a));
}

static void test_list_errors(void **state)
{
    (void)state;
    assert_list_refused("127.0.0.1, proxy", "'proxy' is not a numeric IP address");
    assert_list_refused("10.0.0.0/33", "'10.0.0.0/33': the prefix must be 0 to 32");
    assert_list_refused("::/129", "the prefix must be 0 to 128");
    assert_list_refused("10.0.0.0/", "the prefix must be 0 to 32");
    assert_list_refused("10.0.0.0/8x", "the prefix must be 0 to 32");
    assert_list_refused("10.0.0.0/0008", "the prefix must be 0 to 32");
    assert_list_refused("10.0.0.1/8", "'10.0.0.1/8' has bits set past the prefix (the range is "
                                      "10.0.0.0/8)");
    assert_list_refused("2001:db8::1/32", "(the range is 2001:db8::/32)");
    assert_list_refused("192.168.1.129/25", "(the range is 192.168.1.128/25)");
    assert_list_refused("/8", "'' is not a numeric IP address");
    char many[NETADDR_LIST_MAX * 16 + 32] = "";
    for (int i = 0; i <= NETADDR_LIST_MAX; i++)
        strcat(many, "10.0.0.1 ");
    assert_list_refused(many, "more than 32 addresses");
}

/* ---- X-Forwarded-For ---- */

static void test_untrusted_peer_is_the_client(void **state)
{
    (void)state;
    assert_client("", "203.0.113.7", "198.51.100.1", "203.0.113.7");
    assert_client("127.0.0.1", "203.0.113.7", "198.51.100.1", "203.0.113.7");
    assert_client("10.0.0.0/8", "192.0.2.1", "10.0.0.1", "192.0.2.1");
}

static void test_trusted_peer(void **state)
{
    (void)state;
    /* no header: the proxy itself (its own health checks) */
    assert_client("127.0.0.1", "127.0.0.1", NULL, "127.0.0.1");
    assert_client("127.0.0.1", "127.0.0.1", "", "127.0.0.1");
    /* the proxy appended the address it saw */
    assert_client("127.0.0.1", "127.0.0.1", "198.51.100.1", "198.51.100.1");
    /* whatever the client wrote on the left is not believed */
    assert_client("127.0.0.1", "127.0.0.1", "1.1.1.1, 2.2.2.2, 198.51.100.1", "198.51.100.1");
    /* two proxies: the right-most untrusted entry */
    assert_client("127.0.0.1, 10.0.0.0/8", "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.1.1",
                  "198.51.100.1");
    /* every entry trusted: the left-most */
    assert_client("10.0.0.0/8, 127.0.0.1", "127.0.0.1", "10.0.0.9, 10.0.0.8", "10.0.0.9");
    /* ports and brackets, blanks and empty entries */
    assert_client("127.0.0.1", "127.0.0.1", "198.51.100.1:5555", "198.51.100.1");
    assert_client("127.0.0.1", "127.0.0.1", "[2001:db8::7]:443", "2001:db8::7");
    assert_client("127.0.0.1", "127.0.0.1", "x, [2001:db8::7]", "2001:db8::7");
    assert_client("127.0.0.1", "127.0.0.1", "2001:db8::7", "2001:db8::7");
    assert_client("127.0.0.1", "127.0.0.1", " 198.51.100.1 ,, \t", "198.51.100.1");
    /* an IPv4-mapped peer matches an IPv4 range */
    assert_client("127.0.0.1", "::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1");
}

static void test_garbage_is_never_the_client(void **state)
{
    (void)state;
    /* an entry that is not an address stops the walk at the last trusted hop */
    assert_client("127.0.0.1", "127.0.0.1", "unknown", "127.0.0.1");
    assert_client("127.0.0.1, 10.0.0.0/8", "127.0.0.1", "198.51.100.1, junk, 10.0.0.5", "10.0.0.5");
    static const char *const bad[] = {
        "1.2.3.4:", "1.2.3.4:123456", "1.2.3.4:8x", "[1.2.3.4]",
        "[::1",     "[::1]x",         "[::1]:",     "2001:db8::1:80 80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_client("127.0.0.1", "127.0.0.1", bad[i], "127.0.0.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_list_errors),
        cmocka_unit_test(test_untrusted_peer_is_the_client),
        cmocka_unit_test(test_trusted_peer),
        cmocka_unit_test(test_garbage_is_never_the_client),
    };
    return cmocka_run_group_tests_name("web/netaddr", tests, NULL, NULL);
}
