/* padron serve: load the catalogs, listen, and run until SIGINT or SIGTERM. */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "media/blobstore.h"
#include "notify/delivery.h"
#include "notify/sender.h"
#include "store/store.h"
#include "util/fs.h"
#include "web/server.h"
#include "web/templates.h"

#include <curl/curl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

static int64_t wall_clock(void)
{
    return (int64_t)time(NULL);
}

/* Mail settings from the environment: PADRON_SMTP_URL (smtp:// or smtps://; unset
 * means the Maildir DATA/mail), PADRON_SMTP_TLS (try, require or none),
 * PADRON_SMTP_USER and PADRON_SMTP_PASSWORD, PADRON_MAIL_FROM, and
 * PADRON_MAIL_RETRY_SECONDS (first retry delay, doubling up to an hour). */
static int mail_config(struct delivery_config *m, const char *data, char *maildir, size_t size,
                       char *err, size_t errsz)
{
    const char *url = getenv("PADRON_SMTP_URL"), *tls = getenv("PADRON_SMTP_TLS");
    const char *from = getenv("PADRON_MAIL_FROM");
    *m = (struct delivery_config){.maildir = maildir,
                                  .smtp_url = url && *url ? url : NULL,
                                  .from = from && *from ? from : "no-responder@padron.localhost",
                                  .username = getenv("PADRON_SMTP_USER"),
                                  .password = getenv("PADRON_SMTP_PASSWORD"),
                                  .tls = DELIVERY_TLS_TRY,
                                  .timeout_seconds = 30,
                                  .retry_seconds = 30};
    const char *retry = getenv("PADRON_MAIL_RETRY_SECONDS");
    if (retry && *retry) {
        char *end;
        long v = strtol(retry, &end, 10);
        if (*end != '\0' || v < 1 || v > 3600) {
            snprintf(err, errsz, "PADRON_MAIL_RETRY_SECONDS must be 1 to 3600");
            return -1;
        }
        m->retry_seconds = v;
    }
    if (snprintf(maildir, size, "%s/mail", data) >= (int)size) {
        snprintf(err, errsz, "--data: path too long");
        return -1;
    }
    if (m->smtp_url && strncmp(m->smtp_url, "smtp://", 7) != 0 &&
        strncmp(m->smtp_url, "smtps://", 8) != 0) {
        snprintf(err, errsz, "PADRON_SMTP_URL must start with smtp:// or smtps://");
        return -1;
    }
    if (tls && *tls) {
        if (strcmp(tls, "require") == 0)
            m->tls = DELIVERY_TLS_REQUIRE;
        else if (strcmp(tls, "none") == 0)
            m->tls = DELIVERY_TLS_NONE;
        else if (strcmp(tls, "try") != 0) {
            snprintf(err, errsz, "PADRON_SMTP_TLS must be try, require or none");
            return -1;
        }
    }
    if (!strchr(m->from, '@') || strpbrk(m->from, " <>\r\n")) {
        snprintf(err, errsz, "PADRON_MAIL_FROM must be a bare address like padron@example.mx");
        return -1;
    }
    return 0;
}

static const char usage_text[] =
    "usage: padron serve [--listen ADDR:PORT] [--data DIR] [--catalogs DIR]\n"
    "\n"
    "Starts the web service and prints the address to open.\n"
    "  --listen ADDR:PORT  numeric address and port (default 127.0.0.1:8080;\n"
    "                      [::1]:8080 for IPv6; port 0 picks a free port)\n"
    "  --data DIR          the service's state (default ./var; created, mode 0700)\n"
    "  --catalogs DIR      the reference catalogs (default: the data/ of the source tree)\n"
    "The database is DIR/padron.db (SQLite, WAL), migrated at start.\n"
    "Mail (verification codes) is queued in the database and delivered by a background\n"
    "sender: into the Maildir DIR/mail/new, or over SMTP when PADRON_SMTP_URL is set\n"
    "(smtp://host:port or smtps://...; PADRON_SMTP_TLS=try|require|none, default try;\n"
    "PADRON_SMTP_USER, PADRON_SMTP_PASSWORD; sender PADRON_MAIL_FROM).\n"
    "Behind TLS (nginx in front) set PADRON_SECURE_COOKIES=1 so cookies are Secure.\n"
    "Routes: GET /healthz answers 200 \"ok\" when the database answers; GET / shows the\n"
    "catalog summary; /api/v1/... is the JSON API (docs/api.md).\n"
    "Stops cleanly on SIGINT (Ctrl-C) or SIGTERM.\n";

/* Splits "host:port" or "[v6]:port" into host (copied into host) and port. */
static int parse_listen(const char *s, char *host, size_t hostsz, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return -1;
    const char *h = s;
    size_t hlen = (size_t)(colon - s);
    if (h[0] == '[') {
        if (hlen < 3 || h[hlen - 1] != ']')
            return -1;
        h++, hlen -= 2;
    }
    if (hlen >= hostsz)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*(colon + 1) == '\0' || *end != '\0' || p < 0 || p > 65535)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

int cli_serve(int argc, char **argv)
{
    static const struct option options[] = {{"listen", required_argument, NULL, 'l'},
                                            {"data", required_argument, NULL, 'd'},
                                            {"catalogs", required_argument, NULL, 'c'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *listen = "127.0.0.1:8080", *data = "var", *catalogs = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'c':
            catalogs = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "padron serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    char host[64], err[512], dir[PATH_MAX], path[PATH_MAX], maildir[PATH_MAX];
    struct web_config cfg = {.listen_host = host, .app.clock = wall_clock};
    if (parse_listen(listen, host, sizeof host, &cfg.listen_port) != 0) {
        fprintf(stderr, "padron serve: --listen '%s' is not ADDR:PORT\n", listen);
        return 2;
    }
    struct delivery_config mail;
    if (mail_config(&mail, data, maildir, sizeof maildir, err, sizeof err) != 0) {
        fprintf(stderr, "padron serve: %s\n", err);
        return 2;
    }
    cfg.app.mail_from = mail.from;

    struct store *store = NULL;
    struct catalog *catalog = NULL;
    struct postal_table *postal = NULL;
    struct blobstore *documents = NULL;
    struct page_templates *templates = NULL;
    struct mail_sender *sender = NULL;
    struct web_server *server = NULL;
    sem_t hash_slots, photo_slots;
    bool slots_ready = false;
    int rc = 1;
    umask(077); /* everything the service writes is for its own eyes */
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, sizeof err, "libsodium or libcurl could not initialise");
        goto cleanup;
    }
    if (fs_mkdir_p(data, 0700, err, sizeof err) != 0 ||
        snprintf(path, sizeof path, "%s/keys", data) >= (int)sizeof path ||
        fs_mkdir_p(path, 0700, err, sizeof err) != 0 ||
        snprintf(path, sizeof path, "%s/keys/codes.key", data) >= (int)sizeof path ||
        blobstore_key_load_or_create(path, cfg.app.code_key, err, sizeof err) != 0)
        goto cleanup;
    uint8_t documents_key[BLOBSTORE_KEY_LEN];
    if (snprintf(path, sizeof path, "%s/keys/documents.key", data) >= (int)sizeof path ||
        blobstore_key_load_or_create(path, documents_key, err, sizeof err) != 0 ||
        snprintf(path, sizeof path, "%s/documents", data) >= (int)sizeof path ||
        blobstore_open(path, documents_key, &documents, err, sizeof err) != 0) {
        sodium_memzero(documents_key, sizeof documents_key);
        goto cleanup;
    }
    sodium_memzero(documents_key, sizeof documents_key);
    if (snprintf(path, sizeof path, "%s/padron.db", data) >= (int)sizeof path ||
        store_open(path, &store, err, sizeof err) != 0)
        goto cleanup;
    if (catalog_find_dir(catalogs, dir, sizeof dir, err, sizeof err) != 0 ||
        catalog_load(dir, &catalog, err, sizeof err) != 0)
        goto cleanup;
    if (templates_load(&templates, err, sizeof err) != 0)
        goto cleanup;
    cfg.app.templates = templates;
    const char *secure = getenv("PADRON_SECURE_COOKIES");
    cfg.app.secure_cookies = secure && strcmp(secure, "1") == 0;
    int postal_rc = postal_load(data, &postal, err, sizeof err);
    if (postal_rc < 0)
        goto cleanup;
    cfg.app.catalog = catalog;
    cfg.app.store = store;
    cfg.app.postal = postal;
    /* One argon2id hash per core at a time: more would only queue in the kernel
     * while each holds its 19 MiB. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (sem_init(&hash_slots, 0, (unsigned)(cores > 0 ? cores : 1)) != 0) {
        snprintf(err, sizeof err, "cannot create the hashing semaphore");
        goto cleanup;
    }
    /* Photos likewise: each decode may hold tens of megabytes. */
    if (sem_init(&photo_slots, 0, (unsigned)(cores > 0 ? cores : 1)) != 0) {
        sem_destroy(&hash_slots);
        snprintf(err, sizeof err, "cannot create the photo semaphore");
        goto cleanup;
    }
    slots_ready = true;
    cfg.app.hash_slots = &hash_slots;
    cfg.app.photo_slots = &photo_slots;
    cfg.app.documents = documents;

    /* Block the stop signals before any thread starts, so only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    if (!(sender = mail_sender_start(store, &mail, wall_clock, err, sizeof err)))
        goto cleanup;
    cfg.app.mailer = sender;
    if (!(server = web_server_start(&cfg, err, sizeof err)))
        goto cleanup;

    size_t n_states, n_facilities;
    catalog_states(catalog, &n_states);
    catalog_facilities(catalog, &n_facilities);
    bool v6 = strchr(host, ':') != NULL;
    printf("padron: catalogs from %s: %zu states, %zu facilities\n", dir, n_states, n_facilities);
    printf("padron: data in %s\n", data);
    if (postal) {
        struct postal_stats ps;
        postal_table_stats(postal, &ps);
        printf("padron: %zu postal codes (%zu settlements)\n", ps.postal_codes, ps.settlements);
    } else {
        printf("padron: postal codes not imported (padron import postal-codes FILE --data %s);"
               " settlements are typed\n",
               data);
    }
    if (mail.smtp_url)
        printf("padron: mail goes out through %s\n", mail.smtp_url);
    else
        printf("padron: mail is delivered to the Maildir %s (set PADRON_SMTP_URL for SMTP)\n",
               maildir);
    printf("padron: open http://%s%s%s:%u/ (Ctrl-C stops)\n", v6 ? "[" : "", host, v6 ? "]" : "",
           web_server_port(server));
    fflush(stdout);

    int sig;
    sigwait(&stop, &sig);
    printf("padron: stopping\n");
    rc = 0;
cleanup:
    if (rc != 0)
        fprintf(stderr, "padron serve: %s\n", err);
    web_server_stop(server);
    mail_sender_stop(sender); /* after the server: no request can queue mail any more */
    if (slots_ready) {
        sem_destroy(&hash_slots);
        sem_destroy(&photo_slots);
    }
    blobstore_close(documents);
    templates_free(templates);
    postal_free(postal);
    catalog_free(catalog);
    store_close(store);
    sodium_memzero(cfg.app.code_key, sizeof cfg.app.code_key);
    curl_global_cleanup();
    return rc;
}
