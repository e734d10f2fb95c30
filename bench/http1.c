/*
 * bench/http1.c: a minimal blocking HTTP/1.1 client for the benchmark load drivers
 * (see http1.h for what it leaves out and why).
 */
#include "http1.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

enum { HEAD_MAX = 16384, TIMEOUT_S = 60 };

static long failed(struct http1 *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long failed(struct http1 *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    http1_close(c);
    return 0;
}

int http1_init(struct http1 *c, const char *base_url)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->source.s_addr = htonl(INADDR_LOOPBACK);
    char host[64];
    unsigned port;
    int end = 0;
    if (sscanf(base_url, "http://%63[0-9.]:%u/%n", host, &port, &end) != 2 || end == 0 ||
        base_url[end] != '\0' || port == 0 || port > 65535 ||
        inet_pton(AF_INET, host, &c->server.sin_addr) != 1) {
        snprintf(c->error, sizeof c->error, "not http://IPV4:PORT/: %s", base_url);
        return -1;
    }
    c->server.sin_family = AF_INET;
    c->server.sin_port = htons((uint16_t)port);
    return 0;
}

void http1_set_source(struct http1 *c, struct in_addr source)
{
    http1_close(c);
    c->source = source;
}

void http1_close(struct http1 *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

void http1_free(struct http1 *c)
{
    http1_close(c);
    free(c->in);
    c->in = NULL;
}

static int connect_now(struct http1 *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return (int)failed(c, "socket: %s", strerror(errno));
    int one = 1;
    struct timeval tv = {TIMEOUT_S, 0};
    struct sockaddr_in from = {.sin_family = AF_INET, .sin_addr = c->source};
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0 ||
        bind(fd, (struct sockaddr *)&from, sizeof from) != 0 ||
        connect(fd, (struct sockaddr *)&c->server, sizeof c->server) != 0) {
        int e = errno;
        close(fd);
        return (int)failed(c, "connect: %s", strerror(e));
    }
    c->fd = fd;
    return 1;
}

static int send_all(struct http1 *c, struct iovec *iov, int n)
{
    while (n > 0) {
        struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL); /* a reset connection: EPIPE, no signal */
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return (int)failed(c, "send: %s", w < 0 ? strerror(errno) : "nothing sent");
        size_t done = (size_t)w;
        while (n > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 1;
}

/* Reads more of the answer into c->in, growing it to hold at least want bytes. */
static int read_more(struct http1 *c, size_t want)
{
    if (want + 1 > c->in_cap) {
        size_t cap = want + 1 > 2 * c->in_cap ? want + 1 : 2 * c->in_cap;
        char *p = realloc(c->in, cap);
        if (!p)
            return (int)failed(c, "out of memory");
        c->in = p;
        c->in_cap = cap;
    }
    for (;;) {
        ssize_t r = read(c->fd, c->in + c->in_len, c->in_cap - 1 - c->in_len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return (int)failed(c, "read: %s", r < 0 ? strerror(errno) : "connection closed");
        c->in_len += (size_t)r;
        c->in[c->in_len] = '\0';
        return 1;
    }
}

/* The value of header name in head (lines after the status line), or NULL. */
static const char *header(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':')
            return p + 3 + n + strspn(p + 3 + n, " \t");
    return NULL;
}

long http1_request(struct http1 *c, const char *method, const char *target, const char *headers,
                   const char *body, size_t body_len, int close_after)
{
    if (c->fd < 0 && !connect_now(c))
        return 0;
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: %s:%u\r\nContent-Length: %zu\r\n%s%s\r\n", method,
                     target, inet_ntoa(c->server.sin_addr), ntohs(c->server.sin_port), body_len,
                     headers ? headers : "", close_after ? "Connection: close\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof head)
        return failed(c, "request head too long");
    struct iovec iov[2] = {{head, (size_t)n}, {(void *)body, body ? body_len : 0}};
    if (!send_all(c, iov, body && body_len ? 2 : 1))
        return 0;

    c->in_len = 0;
    if (c->in)
        c->in[0] = '\0'; /* the last answer is not searched for this one's head */
    char *end;
    while (!c->in || !(end = strstr(c->in, "\r\n\r\n"))) {
        if (c->in_len >= HEAD_MAX)
            return failed(c, "answer head over %d bytes", HEAD_MAX);
        if (!read_more(c, c->in_len + 4096))
            return 0;
    }
    *end = '\0';
    size_t head_len = (size_t)(end - c->in) + 4;
    int status = 0;
    const char *length = header(c->in, "Content-Length");
    const char *connection = header(c->in, "Connection");
    char *stop;
    unsigned long long want = length ? strtoull(length, &stop, 10) : 0;
    if (sscanf(c->in, "HTTP/1.%*[01] %3d", &status) != 1 || status < 100)
        return failed(c, "not an HTTP/1.x answer");
    if (!length || stop == length || want > (1u << 30))
        return failed(c, "answer %d without a usable Content-Length", status);
    int server_closes = connection && strncasecmp(connection, "close", 5) == 0;
    while (c->in_len < head_len + want)
        if (!read_more(c, head_len + (size_t)want))
            return 0;
    c->body = c->in + head_len;
    c->body_len = (size_t)want;
    c->in[head_len + want] = '\0';
    if (close_after || server_closes)
        http1_close(c);
    return status;
}
