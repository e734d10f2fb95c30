/*
 * server: the HTTP front of padron on GNU libmicrohttpd.
 *
 * Invariants:
 * - One thread per connection (libmicrohttpd's own). Handlers share only the
 *   web_app: the catalog is immutable, the store is thread-safe.
 * - Input is checked against routes.c on the request headers, before any body
 *   byte is read; bodies are buffered up to the route's limit and no further.
 */
#ifndef PADRON_WEB_SERVER_H
#define PADRON_WEB_SERVER_H

#include "web/http.h"

#include <stddef.h>
#include <stdint.h>

struct web_server;

struct web_config {
    const char *listen_host; /* numeric IPv4 or IPv6 address, e.g. "127.0.0.1" */
    uint16_t listen_port;    /* 0 picks a free port (see web_server_port) */
    struct web_app app;      /* copied; what it points to must outlive the server */
};

/* Starts listening. Returns a server to stop with web_server_stop, or NULL with
 * the reason in err (bad address, port in use, ...). */
struct web_server *web_server_start(const struct web_config *cfg, char *err, size_t errsz);

/* The port actually bound (useful when cfg->listen_port was 0). */
uint16_t web_server_port(const struct web_server *s);

/* Stops accepting, waits for the connection threads, frees s. NULL is a no-op. */
void web_server_stop(struct web_server *s);

#endif
