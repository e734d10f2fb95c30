#include "web/netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4(const struct netaddr *a)
{
    return memcmp(a->b, v4_mapped, sizeof v4_mapped) == 0;
}

void netaddr_from_ipv4(const uint8_t b[4], struct netaddr *out)
{
    memcpy(out->b, v4_mapped, sizeof v4_mapped);
    memcpy(out->b + 12, b, 4);
}

void netaddr_from_ipv6(const uint8_t b[16], struct netaddr *out)
{
    memcpy(out->b, b, 16);
}

int netaddr_parse(const char *s, size_t len, struct netaddr *out)
{
    char text[NETADDR_TEXT_MAX];
    uint8_t b[16];
    if (len == 0 || len >= sizeof text || memchr(s, '\0', len))
        return -1;
    memcpy(text, s, len);
    text[len] = '\0';
    if (inet_pton(AF_INET, text, b) == 1) {
        netaddr_from_ipv4(b, out);
        return 0;
    }
    if (inet_pton(AF_INET6, text, b) == 1) {
        netaddr_from_ipv6(b, out);
        return 0;
    }
    return -1;
}

void netaddr_format(const struct netaddr *a, char buf[NETADDR_TEXT_MAX])
{
    const char *ok = is_v4(a) ? inet_ntop(AF_INET, a->b + 12, buf, NETADDR_TEXT_MAX)
                              : inet_ntop(AF_INET6, a->b, buf, NETADDR_TEXT_MAX);
    if (!ok) /* cannot happen with a buffer this size; never leave it unterminated */
        snprintf(buf, NETADDR_TEXT_MAX, "unknown");
}

bool netaddr_is_loopback(const struct netaddr *a)
{
    static const uint8_t v6_loopback[16] = {[15] = 1};
    return (is_v4(a) && a->b[12] == 127) || memcmp(a->b, v6_loopback, 16) == 0;
}

/* True when a and b agree on their first prefix bits. */
static bool same_prefix(const struct netaddr *a, const struct netaddr *b, unsigned prefix)
{
    unsigned whole = prefix / 8, rest = prefix % 8;
    if (memcmp(a->b, b->b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a->b[whole] & mask) == (b->b[whole] & mask);
}

static bool in_range(const struct netaddr_range *r, const struct netaddr *a)
{
    return same_prefix(&r->addr, a, r->prefix);
}

bool netaddr_list_contains(const struct netaddr_list *l, const struct netaddr *a)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (in_range(&l->r[i], a))
            return true;
    return false;
}

/* Parses "ADDR" or "ADDR/PREFIX" into r; -1 with the reason in err. */
static int parse_range(const char *s, size_t len, struct netaddr_range *r, char *err, size_t errsz)
{
    const char *slash = memchr(s, '/', len);
    size_t alen = slash ? (size_t)(slash - s) : len;
    if (netaddr_parse(s, alen, &r->addr) != 0) {
        snprintf(err, errsz, "'%.*s' is not a numeric IP address", (int)alen, s);
        return -1;
    }
    unsigned max = is_v4(&r->addr) ? 32 : 128, prefix = 0;
    if (!slash) {
        r->prefix = 128;
        return 0;
    }
    const char *p = slash + 1, *end = s + len;
    if (p == end || end - p > 3) {
        snprintf(err, errsz, "'%.*s': the prefix must be 0 to %u", (int)len, s, max);
        return -1;
    }
    for (; p < end; p++) {
        if (*p < '0' || *p > '9') {
            snprintf(err, errsz, "'%.*s': the prefix must be 0 to %u", (int)len, s, max);
            return -1;
        }
        prefix = prefix * 10 + (unsigned)(*p - '0');
    }
    if (prefix > max) {
        snprintf(err, errsz, "'%.*s': the prefix must be 0 to %u", (int)len, s, max);
        return -1;
    }
    r->prefix = prefix + (max == 32 ? 96 : 0);
    struct netaddr zero = r->addr;
    memset(zero.b + r->prefix / 8, 0, 16 - r->prefix / 8);
    if (r->prefix % 8)
        zero.b[r->prefix / 8] = (uint8_t)(r->addr.b[r->prefix / 8] & (0xff << (8 - r->prefix % 8)));
    if (memcmp(zero.b, r->addr.b, 16) != 0) {
        char net[NETADDR_TEXT_MAX];
        netaddr_format(&zero, net);
        snprintf(err, errsz, "'%.*s' has bits set past the prefix (the range is %s/%u)", (int)len,
                 s, net, prefix);
        return -1;
    }
    return 0;
}

static bool is_separator(char c)
{
    return c == ',' || c == ' ' || c == '\t';
}

int netaddr_list_parse(const char *s, size_t len, struct netaddr_list *out, char *err, size_t errsz)
{
    out->n = 0;
    size_t i = 0;
    while (i < len) {
        if (is_separator(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_separator(s[i]))
            i++;
        if (out->n == NETADDR_LIST_MAX) {
            snprintf(err, errsz, "more than %d addresses", NETADDR_LIST_MAX);
            out->n = 0;
            return -1;
        }
        if (parse_range(s + start, i - start, &out->r[out->n], err, errsz) != 0) {
            out->n = 0;
            return -1;
        }
        out->n++;
    }
    return 0;
}

/* Parses one X-Forwarded-For entry, trimmed: an address, [IPv6], [IPv6]:port or
 * IPv4:port. */
static int parse_entry(const char *s, size_t len, struct netaddr *a)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t port_from = len;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return -1;
        port_from = (size_t)(close - s) + 1;
        if (port_from < len && s[port_from] != ':')
            return -1;
        if (netaddr_parse(s + 1, (size_t)(close - s) - 1, a) != 0 || is_v4(a))
            return -1;
    } else {
        const char *colon = memchr(s, ':', len);
        if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1))
            port_from = (size_t)(colon - s); /* one colon: IPv4:port */
        if (netaddr_parse(s, port_from, a) != 0 || (port_from < len && !is_v4(a)))
            return -1;
    }
    if (port_from < len) { /* ":digits" */
        size_t digits = len - port_from - 1;
        if (digits == 0 || digits > 5)
            return -1;
        for (size_t k = port_from + 1; k < len; k++)
            if (s[k] < '0' || s[k] > '9')
                return -1;
    }
    return 0;
}

struct netaddr netaddr_forwarded_client(const struct netaddr_list *trusted,
                                        const struct netaddr *peer, const char *xff, size_t len)
{
    struct netaddr client = *peer, a;
    if (!netaddr_list_contains(trusted, peer))
        return client;
    size_t end = len;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t n = end - start;
        end = start > 0 ? start - 1 : 0;
        bool blank = true;
        for (size_t k = 0; k < n && blank; k++)
            blank = xff[start + k] == ' ' || xff[start + k] == '\t';
        if (blank) /* "a,,b" or a trailing comma: nothing said, nothing to trust */
            continue;
        if (parse_entry(xff + start, n, &a) != 0)
            return client;
        client = a;
        if (!netaddr_list_contains(trusted, &a))
            return client;
    }
    return client;
}
