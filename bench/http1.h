/*
 * bench/http1.h: a minimal blocking HTTP/1.1 client over one keep-alive TCP
 * connection, for the benchmark load drivers.
 *
 * A load driver shares the machine's cores with the server it measures, so what it
 * spends per request is counted against the server: this client does one sendmsg and
 * as few reads as the answer needs, and nothing else (no TLS, no redirects, no
 * chunked bodies: padron answers with Content-Length). Not for outside input.
 */
#ifndef BENCH_HTTP1_H
#define BENCH_HTTP1_H

#include <netinet/in.h>
#include <stddef.h>

struct http1 {
    struct sockaddr_in server; /* where to connect */
    struct in_addr source;     /* the local address to connect from */
    int fd;                    /* -1 when not connected */
    char *in;                  /* what was read: head, then body */
    size_t in_len, in_cap;
    const char *body; /* the answer's body within in, NUL-terminated */
    size_t body_len;
    char error[160]; /* why the last call failed */
};

/* Parses "http://IPV4:PORT/" into c->server and sets up an unconnected client. Returns
 * 0, or -1 with c->error set. */
int http1_init(struct http1 *c, const char *base_url);

/* The next connection is made from source (an IPv4 loopback address, say) and
 * closes any connection open now. */
void http1_set_source(struct http1 *c, struct in_addr source);

/* Sends METHOD TARGET with the given extra header lines (each ending in \r\n, may be
 * NULL) and body (may be NULL), over the open connection or a new one, and reads the
 * answer. With close_after, asks the server to close and closes. Returns the HTTP
 * status with the body in c->body, or 0 with c->error set. */
long http1_request(struct http1 *c, const char *method, const char *target, const char *headers,
                   const char *body, size_t body_len, int close_after);

void http1_close(struct http1 *c);
void http1_free(struct http1 *c);

#endif
