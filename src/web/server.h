/*
 * server: the HTTP front of padron on GNU libmicrohttpd.
 *
 * Invariants:
 * - One thread per connection (libmicrohttpd's own); handlers only read the
 *   catalog, which is immutable while the server runs.
 * - Every response carries the security headers (nosniff, no framing, a strict
 *   Content-Security-Policy, no referrer); request bodies are refused on routes
 *   that declare none.
 * - Routes at this stage: GET /healthz (liveness) and GET / (a summary page).
 */
#ifndef PADRON_WEB_SERVER_H
#define PADRON_WEB_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct catalog;
struct web_server;

struct web_config {
    const char *listen_host;       /* numeric IPv4 or IPv6 address, e.g. "127.0.0.1" */
    uint16_t listen_port;          /* 0 picks a free port (see web_server_port) */
    const struct catalog *catalog; /* borrowed; must outlive the server */
    long today_key;                /* civil_date_key of the day the server started */
};

/* Starts listening. Returns a server to stop with web_server_stop, or NULL with
 * the reason in err (bad address, port in use, ...). */
struct web_server *web_server_start(const struct web_config *cfg, char *err, size_t errsz);

/* The port actually bound (useful when cfg->listen_port was 0). */
uint16_t web_server_port(const struct web_server *s);

/* Stops accepting, waits for the connection threads, frees s. NULL is a no-op. */
void web_server_stop(struct web_server *s);

#endif
