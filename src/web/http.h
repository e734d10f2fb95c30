/*
 * http: what a handler sees of a request, and the replies it can send.
 *
 * Invariants:
 * - A handler runs once per request, after the router has checked everything
 *   the route declares (method, path shape, content type, body size), so a
 *   handler only validates the meaning of its input.
 * - The body is a private copy, NUL-terminated for convenience but carrying its
 *   length: an embedded NUL is the handler's to refuse.
 * - Every reply carries the security headers; JSON errors have the shape
 *   {"error":{"code","field","message"}} with the message in req->lang.
 */
#ifndef PADRON_WEB_HTTP_H
#define PADRON_WEB_HTTP_H

#include "web/i18n.h"

#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Connection;
struct store;
struct catalog;
struct geo_facilities;
struct postal_table;
struct diagnoses;
struct blobstore;
struct page_templates;
typedef struct json_t json_t;

struct mail_sender;
struct signer;
struct trust_cache;

#define WEB_KEY_LEN        32
#define WEB_PUBLIC_URL_MAX 1024 /* bytes of public_url (a configuration value) */

/* What handlers share, set up once by `padron serve`. */
struct web_app {
    struct store *store;
    const struct catalog *catalog;
    const struct geo_facilities *facilities; /* nearest units by level; NULL: none assigned */
    const struct postal_table *postal;       /* SEPOMEX postal codes; NULL when not imported */
    int64_t (*clock)(void);                  /* Unix seconds; replaceable in tests */
    struct mail_sender *mailer;              /* woken after mail is queued; NULL in tools */
    const char *mail_from;                   /* sender address of padron's mail */
    uint8_t code_key[WEB_KEY_LEN];           /* keys the hashes of one-time codes */
    sem_t *hash_slots;                      /* bounds concurrent password hashing; NULL: no bound */
    sem_t *photo_slots;                     /* bounds concurrent photo decoding; NULL: no bound */
    struct blobstore *documents;            /* encrypted document photos */
    const struct page_templates *templates; /* compiled page templates */
    bool secure_cookies;                    /* behind TLS: cookies get Secure */
    bool sms_enabled;                       /* an SMS gateway confirms phones by code */
    const char *help_phone;                 /* the program's phone line as shown; NULL: none */
    /* peers whose X-Forwarded-For names the client (web_client_address); NULL: none */
    const struct netaddr_list *trusted_proxies;
    struct signer *signer;             /* signs credentials and letters; NULL in tools */
    struct trust_cache *trust_list;    /* GET /.well-known/padron/trust-list; NULL: 404 */
    const char *public_url;            /* where people open padron, without a final "/"; at most
                                          WEB_PUBLIC_URL_MAX bytes */
    const struct diagnoses *diagnoses; /* CIE-10 for referrals; NULL when not imported */
};

#define WEB_MAX_PARAMS 2

struct web_request {
    struct MHD_Connection *conn;
    const struct web_app *app;
    const char *method;
    const char *url;
    enum i18n_lang lang;
    const char *params[WEB_MAX_PARAMS]; /* the {placeholders} of the route, in order */
    const char *body;
    size_t body_len;
};

/* Seconds a client is told to wait (Retry-After) when the database was out of
 * reach: long enough for a PostgreSQL restart. */
#define WEB_RETRY_AFTER_UNAVAILABLE "5"

/* Sends body (copied) with the given status and content type. Returns the
 * libmicrohttpd result to hand back to it. A 500 or 503 while the database
 * was out of reach (store_unavailable) goes out as 503 with Retry-After. */
int web_reply(const struct web_request *req, unsigned status, const char *type, const char *body,
              size_t len);

/* Like web_reply, with extra headers: a NULL-terminated list of name, value
 * pairs (e.g. {"Set-Cookie", "lang=en; Path=/", NULL}); NULL for none. A
 * Cache-Control or Vary given there replaces the default one (no-store). */
int web_reply_headers(const struct web_request *req, unsigned status, const char *type,
                      const char *body, size_t len, const char *const *headers);

/* Sends a PDF (malloc'd; freed here) as a download named name (a plain file name),
 * not to be cached: it holds personal data. */
int web_reply_pdf(const struct web_request *req, uint8_t *pdf, size_t len, const char *name);

/* Sends j as compact JSON (j is released) with the status. */
int web_reply_json(const struct web_request *req, unsigned status, json_t *j);

/* Sends a JSON error. field may be NULL (JSON null). message is already in the
 * request's language. */
int web_reply_error(const struct web_request *req, unsigned status, const char *code,
                    const char *field, const char *message);

/* Same, with the message taken from the i18n catalog. */
int web_reply_error_id(const struct web_request *req, unsigned status, const char *code,
                       const char *field, enum i18n_msg msg);

/* The value of a cookie of the request, or NULL. */
const char *web_cookie(const struct web_request *req, const char *name);

/* The value of a query-string argument of the request, or NULL. */
const char *web_query(const struct web_request *req, const char *name);

/* The value of a request header, or NULL. */
const char *web_header(const struct web_request *req, const char *name);

/* The client address of the request as text ("127.0.0.1", "::1"), or "unknown":
 * the peer of the connection, unless the peer is one of app->trusted_proxies;
 * then the right-most address of X-Forwarded-For that is not a trusted proxy
 * (netaddr_forwarded_client), so a client cannot choose the address its rate
 * limits are counted against. */
void web_client_address(const struct web_request *req, char *buf, size_t size);

/* Picks es or en from an Accept-Language value (highest q wins, es by default). */
enum i18n_lang web_pick_language(const char *accept_language);

#endif
