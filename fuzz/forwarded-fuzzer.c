/*
 * Fuzzes the X-Forwarded-For reading of netaddr with arbitrary bytes: the first
 * byte picks the peer, the rest is the header. The same bytes are also read as a
 * trusted_proxies list.
 * Invariants: from an untrusted peer the client is the peer whatever the header
 * says; the client's text parses back to the same address; every range of a
 * parsed list contains its own address.
 */
#include "web/netaddr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const peers[] = {"127.0.0.1", "10.1.2.3", "::1", "203.0.113.9"};
    static struct netaddr_list trusted;
    static int ready;
    char err[256];
    if (size > 4096 || size < 1)
        return 0;
    if (!ready) {
        static const char list[] = "127.0.0.1, 10.0.0.0/8 ::1";
        if (netaddr_list_parse(list, sizeof list - 1, &trusted, err, sizeof err) != 0)
            abort();
        ready = 1;
    }
    struct netaddr peer, back;
    const char *p = peers[data[0] % 4], *xff = (const char *)data + 1;
    size_t len = size - 1;
    if (netaddr_parse(p, strlen(p), &peer) != 0)
        abort();
    struct netaddr client = netaddr_forwarded_client(&trusted, &peer, xff, len);
    char text[NETADDR_TEXT_MAX];
    netaddr_format(&client, text);
    if (netaddr_parse(text, strlen(text), &back) != 0 || memcmp(&back, &client, sizeof back) != 0)
        abort();
    bool is_peer = memcmp(&client, &peer, sizeof peer) == 0;
    if (!netaddr_list_contains(&trusted, &peer) && !is_peer)
        abort();
    struct netaddr_list l;
    if (netaddr_list_parse(xff, len, &l, err, sizeof err) == 0)
        for (size_t i = 0; i < l.n; i++)
            if (!netaddr_list_contains(&l, &l.r[i].addr))
                abort();
    return 0;
}
