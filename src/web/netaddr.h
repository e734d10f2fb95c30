/*
 * netaddr: IP addresses and ranges as values, to decide which peers are trusted
 * reverse proxies and which client an X-Forwarded-For header names.
 *
 * Invariants:
 * - An address is 16 bytes: IPv6 as is, IPv4 as the IPv4-mapped IPv6 address
 *   ::ffff:a.b.c.d, so 127.0.0.1 and ::ffff:127.0.0.1 are the same address and
 *   the IPv4 range a.b.c.d/n is the IPv6 range /(96+n). Text out is canonical
 *   (IPv4-mapped addresses print as dotted quads).
 * - Pure: no I/O, no allocation, no locale. Text in is pointer + length; an
 *   embedded NUL, a name, a zone id (fe80::1%eth0) or anything else that is not a
 *   numeric address is simply not an address.
 * - A list holds at most NETADDR_LIST_MAX ranges, checked before storing.
 */
#ifndef PADRON_WEB_NETADDR_H
#define PADRON_WEB_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETADDR_TEXT_MAX 46 /* INET6_ADDRSTRLEN: the longest text plus its NUL */
#define NETADDR_LIST_MAX 32

struct netaddr {
    uint8_t b[16];
};

struct netaddr_range {
    struct netaddr addr; /* bits past the prefix are zero */
    unsigned prefix;     /* 0..128, in IPv6 bits */
};

struct netaddr_list {
    size_t n;
    struct netaddr_range r[NETADDR_LIST_MAX];
};

/* Parses a numeric IPv4 (dotted quad) or IPv6 address, nothing around it.
 * Returns 0, or -1 when s[0..len) is not exactly one address. */
int netaddr_parse(const char *s, size_t len, struct netaddr *out);

/* The address of 4 IPv4 bytes or 16 IPv6 bytes (network order). */
void netaddr_from_ipv4(const uint8_t b[4], struct netaddr *out);
void netaddr_from_ipv6(const uint8_t b[16], struct netaddr *out);

/* Writes the canonical text of a into buf (always NUL-terminated). */
void netaddr_format(const struct netaddr *a, char buf[NETADDR_TEXT_MAX]);

/* True for 127.0.0.0/8 and ::1. */
bool netaddr_is_loopback(const struct netaddr *a);

/* Parses a list of addresses and ranges (ADDR or ADDR/PREFIX) separated by commas
 * and/or blanks, e.g. "127.0.0.1, 10.0.0.0/8 ::1". An empty list is valid.
 * Refused with the entry named in err: a non-numeric address, a prefix longer
 * than the family allows, bits set past the prefix (10.0.0.1/8 is a typo for
 * 10.0.0.1 or 10.0.0.0/8), more than NETADDR_LIST_MAX entries. Returns 0 or -1;
 * out is left empty on failure. */
int netaddr_list_parse(const char *s, size_t len, struct netaddr_list *out, char *err,
                       size_t errsz);

/* True when a falls in one of the ranges of l. */
bool netaddr_list_contains(const struct netaddr_list *l, const struct netaddr *a);

/*
 * The client of a request that came from peer with the X-Forwarded-For value
 * xff[0..len) (every X-Forwarded-For header of the request joined with commas;
 * len 0 when there was none):
 * - peer is not in trusted: peer. The header is the client's own words.
 * - otherwise the right-most entry that is not in trusted, walking leftwards
 *   from the end (each proxy appends the address it saw, so only the entries
 *   right of the first untrusted one were written by us); when every entry is
 *   trusted, the left-most; when an entry is not an address, the last trusted
 *   one before it (never a value the client chose).
 * Entries may carry a port ("1.2.3.4:80", "[::1]:80") or brackets ("[::1]").
 */
struct netaddr netaddr_forwarded_client(const struct netaddr_list *trusted,
                                        const struct netaddr *peer, const char *xff, size_t len);

#endif
