/* padron serve: read the configuration, load the catalogs, listen, and run until
 * SIGINT or SIGTERM; or only check the configuration (--check-config). */
#include "cli/commands.h"
#include "cli/workspace.h"

#include "cli/config.h"
#include "cli/input.h"
#include "cli/serve_check.h"

#include "catalog/catalog.h"
#include "catalog/facility_import.h"
#include "catalog/diagnoses.h"
#include "catalog/postal.h"
#include "geo/facilities.h"
#include "credential/keystore.h"
#include "credential/signer.h"
#include "credential/trust_cache.h"
#include "media/blobstore.h"
#include "notify/delivery.h"
#include "notify/sender.h"
#include "store/store.h"
#include "util/fs.h"
#include "web/reminders.h"
#include "web/netaddr.h"
#include "web/server.h"
#include "web/templates.h"

#include <curl/curl.h>
#include <errno.h>
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

extern char **environ; /* declared by unistd.h only under _GNU_SOURCE */

static int64_t wall_clock(void)
{
    return (int64_t)time(NULL);
}

static const char usage_text[] =
    "usage: padron serve [--listen ADDR:PORT] [--data DIR] [--db URL] [--catalogs DIR]\n"
    "                    [--config FILE] [--dev] [--check-config]\n"
    "\n"
    "Starts the web service and prints the address to open.\n"
    "  --listen ADDR:PORT  numeric address and port (default 127.0.0.1:8080;\n"
    "                      [::1]:8080 for IPv6; port 0 picks a free port)\n"
    "  --data DIR          the service's state (default ./var; created, mode 0700)\n"
    "  --db URL            a PostgreSQL database (postgresql://USER@HOST:PORT/DB)\n"
    "                      instead of DIR/padron.db\n"
    "  --catalogs DIR      the reference catalogs (default: the data/ of the source tree)\n"
    "  --config FILE       the configuration file (default: DIR/padron.conf when it exists)\n"
    "  --dev               development mode: loopback addresses only, and all mail into\n"
    "                      the Maildir DIR/mail whatever the configuration says\n"
    "  --check-config      check the settings, the data directory, the keys and the\n"
    "                      catalogs without starting or changing anything; print every\n"
    "                      setting and where it came from; exit 0 when valid, 2 when not\n"
    "Settings: built-in defaults, then the configuration file, then the PADRON_*\n"
    "environment variables, then these options. docs/configuration.md lists every key\n"
    "(mail over SMTP, secure_cookies behind TLS, trusted_proxies behind nginx).\n"
    "The database is DIR/padron.db (SQLite, WAL) or --db, migrated at start.\n"
    "Mail (verification codes) is queued in the database and delivered by a background\n"
    "sender: into the Maildir DIR/mail/new, or over SMTP when smtp_url is set.\n"
    "Routes: GET /healthz answers 200 \"ok\" when the database answers; GET / shows the\n"
    "catalog summary; /api/v1/... is the JSON API (docs/api.md).\n"
    "Stops cleanly on SIGINT (Ctrl-C) or SIGTERM.\n";

/* Development mode serves this machine only: its other promise (mail stays in the
 * Maildir) is kept where the mail settings are built. */
static void check_dev(struct config *c)
{
    char host[NETADDR_TEXT_MAX], where[300];
    uint16_t port;
    struct netaddr a;
    const char *listen = config_str(c, CONFIG_LISTEN);
    if (config_split_listen(listen, host, sizeof host, &port) == 0 &&
        netaddr_parse(host, strlen(host), &a) == 0 && !netaddr_is_loopback(&a)) {
        config_describe_source(c, CONFIG_LISTEN, where, sizeof where);
        config_error(c,
                     "--dev: listen %s (%s) is not a loopback address: development mode serves "
                     "this machine only (127.0.0.1, [::1])",
                     listen, where);
    }
}

static void warn_unknown(const char *name, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "padron serve: warning: %s is not a setting of padron serve (ignored)\n", name);
}

static void print_errors(const struct config *c)
{
    for (size_t i = 0; i < c->n_errors && i < CONFIG_MAX_ERRORS; i++)
        fprintf(stderr, "padron serve: %s\n", c->errors[i]);
    if (c->n_errors > CONFIG_MAX_ERRORS)
        fprintf(stderr, "padron serve: ... and %zu more\n", c->n_errors - CONFIG_MAX_ERRORS);
}

static void warn_dev(const struct config *c)
{
    fprintf(stderr,
            "padron: warning: development mode (--dev) is on: loopback only, all mail into the "
            "Maildir %s/mail, no SMS; not for real applicants\n",
            config_str(c, CONFIG_DATA));
}

/* --check-config: the effective settings on stdout, then the checks of what they
 * point at; every problem on stderr. */
static int check_config(struct config *c, bool dev)
{
    if (dev)
        warn_dev(c);
    printf("# padron serve --check-config%s\n# configuration file: %s\n", dev ? " --dev" : "",
           c->file ? c->file : "none");
    config_print(c, stdout);
    if (c->n_errors == 0)
        serve_check(c, dev, stdout);
    fflush(stdout);
    if (c->n_errors > 0) {
        print_errors(c);
        return cli_usage_error("serve", "the configuration is not valid (%zu %s)", c->n_errors,
                               c->n_errors == 1 ? "problem" : "problems");
    }
    printf("padron serve: the configuration is valid\n");
    return 0;
}

static enum delivery_tls smtp_tls(const struct config *c)
{
    const char *tls = config_str(c, CONFIG_SMTP_TLS);
    return strcmp(tls, "require") == 0 ? DELIVERY_TLS_REQUIRE
           : strcmp(tls, "none") == 0  ? DELIVERY_TLS_NONE
                                       : DELIVERY_TLS_TRY;
}

static int serve(const struct config *conf, bool dev);

/* Starts the signer process over keys_dir, creating a key when none is valid;
 * the passphrase goes to it and is wiped here. */
static int start_signer(const struct config *conf, const char *keys_dir, struct signer **signer,
                        struct signer_started *started, char *err, size_t errsz)
{
    char passphrase[CONFIG_VALUE_MAX + 1];
    int has = config_key_passphrase(conf, passphrase, sizeof passphrase, err, errsz);
    if (has >= 0) {
        struct signer_config sc = {keys_dir, has ? passphrase : NULL, true, NULL};
        *signer = signer_start(&sc, started, err, errsz);
    }
    sodium_memzero(passphrase, sizeof passphrase);
    return *signer != NULL ? 0 : -1;
}

int cli_serve(int argc, char **argv)
{
    static const struct option options[] = {{"listen", required_argument, NULL, 'l'},
                                            {"data", required_argument, NULL, 'd'},
                                            {"db", required_argument, NULL, 'b'},
                                            {"catalogs", required_argument, NULL, 'c'},
                                            {"config", required_argument, NULL, 'f'},
                                            {"dev", no_argument, NULL, 'D'},
                                            {"check-config", no_argument, NULL, 'k'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *opt[CONFIG_N] = {NULL}, *file = NULL;
    bool dev = false, check = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            opt[CONFIG_LISTEN] = optarg;
            break;
        case 'd':
            opt[CONFIG_DATA] = optarg;
            break;
        case 'b':
            opt[CONFIG_DATABASE] = optarg;
            break;
        case 'c':
            opt[CONFIG_CATALOGS] = optarg;
            break;
        case 'f':
            file = optarg;
            break;
        case 'D':
            dev = true;
            break;
        case 'k':
            check = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return 2;
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    struct config conf;
    config_init(&conf);
    config_load_all(&conf, opt, file);
    if (dev)
        check_dev(&conf);
    config_unknown_env(environ, warn_unknown, NULL);
    int rc;
    if (check) {
        rc = check_config(&conf, dev);
    } else if (conf.n_errors > 0) {
        print_errors(&conf);
        rc = cli_usage_error("serve", "the configuration is not valid (%zu %s)", conf.n_errors,
                             conf.n_errors == 1 ? "problem" : "problems");
    } else {
        rc = serve(&conf, dev);
    }
    config_release(&conf);
    return rc;
}

/* Starts everything conf describes and runs until SIGINT or SIGTERM. */
static int serve(const struct config *conf, bool dev)
{
    const char *data = config_str(conf, CONFIG_DATA), *catalogs = config_str(conf, CONFIG_CATALOGS);
    char host[NETADDR_TEXT_MAX], err[512], dir[PATH_MAX], path[PATH_MAX], maildir[PATH_MAX];
    char password[CONFIG_VALUE_MAX + 1];
    struct web_config cfg = {.listen_host = host, .app.clock = wall_clock};
    struct netaddr_list proxies;
    const char *listen = config_str(conf, CONFIG_LISTEN),
               *proxy_text = config_str(conf, CONFIG_TRUSTED_PROXIES);
    /* Both were checked when loaded: these cannot fail. */
    if (config_split_listen(listen, host, sizeof host, &cfg.listen_port) != 0 ||
        netaddr_list_parse(proxy_text ? proxy_text : "", proxy_text ? strlen(proxy_text) : 0,
                           &proxies, err, sizeof err) != 0) {
        fprintf(stderr, "padron serve: listen or trusted_proxies changed after checking\n");
        return 2;
    }
    cfg.app.trusted_proxies = proxies.n > 0 ? &proxies : NULL;
    cfg.app.secure_cookies = config_bool(conf, CONFIG_SECURE_COOKIES);
    int has_password = config_smtp_password(conf, password, sizeof password, err, sizeof err);
    if (has_password < 0) {
        sodium_memzero(password, sizeof password);
        return cli_usage_error("serve", "%s", err);
    }
    if (snprintf(maildir, sizeof maildir, "%s/mail", data) >= (int)sizeof maildir) {
        sodium_memzero(password, sizeof password);
        return cli_usage_error("serve", "--data: path too long");
    }
    /* --dev never mails anybody: a copy of a production configuration stays local. */
    struct delivery_config mail = {.maildir = maildir,
                                   .smtp_url = dev ? NULL : config_str(conf, CONFIG_SMTP_URL),
                                   .from = config_str(conf, CONFIG_MAIL_FROM),
                                   .username = config_str(conf, CONFIG_SMTP_USER),
                                   .password = has_password ? password : NULL,
                                   .tls = smtp_tls(conf),
                                   .timeout_seconds = 30,
                                   .retry_seconds = config_long(conf, CONFIG_MAIL_RETRY_SECONDS),
                                   .sms_url = dev ? NULL : config_str(conf, CONFIG_SMS_WEBHOOK_URL),
                                   .sms_token = config_str(conf, CONFIG_SMS_WEBHOOK_TOKEN)};
    cfg.app.sms_enabled = mail.sms_url != NULL;
    cfg.app.help_phone = config_str(conf, CONFIG_HELP_PHONE);
    /* Letters and cards print it; without public_url it is filled in once the
     * port is known, before the address is printed (nobody can ask earlier). */
    char public_url[CONFIG_VALUE_MAX + 1] = "";
    if (config_str(conf, CONFIG_PUBLIC_URL)) {
        snprintf(public_url, sizeof public_url, "%s", config_str(conf, CONFIG_PUBLIC_URL));
        size_t n = strlen(public_url);
        while (n > 0 && public_url[n - 1] == '/')
            public_url[--n] = '\0';
    }
    cfg.app.public_url = public_url;
    cfg.app.mail_from = mail.from;
    if (dev)
        warn_dev(conf);

    struct store *store = NULL;
    struct catalog *catalog = NULL;
    struct geo_facilities *facilities = NULL;
    bool facilities_imported = false;
    struct postal_table *postal = NULL;
    struct diagnoses *diagnoses = NULL;
    struct blobstore *documents = NULL;
    struct page_templates *templates = NULL;
    struct mail_sender *sender = NULL;
    struct web_server *server = NULL;
    struct signer *signer = NULL;
    struct trust_cache *trust = NULL;
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
        fs_mkdir_p(path, 0700, err, sizeof err) != 0)
        goto cleanup;
    /* The signer process first: forked before any thread and before this process
     * loads a secret, it alone reads the signing keys. */
    struct signer_started started;
    if (start_signer(conf, path, &signer, &started, err, sizeof err) != 0 ||
        !(trust = trust_cache_new(path, signer, wall_clock(), err, sizeof err)))
        goto cleanup;
    cfg.app.signer = signer;
    cfg.app.trust_list = trust;
    if (snprintf(path, sizeof path, "%s/keys/codes.key", data) >= (int)sizeof path ||
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
    if (workspace_store_open(conf, &store, err, sizeof err) != 0 ||
        workspace_mail_key(store, data, err, sizeof err) != 0)
        goto cleanup;
    if (catalog_find_dir(catalogs, dir, sizeof dir, err, sizeof err) != 0 ||
        facility_import_load(dir, data, &catalog, &facilities_imported, err, sizeof err) != 0)
        goto cleanup;
    facilities = geo_facilities_new(catalog);
    if (templates_load(&templates, err, sizeof err) != 0)
        goto cleanup;
    cfg.app.templates = templates;
    int postal_rc = postal_load(data, &postal, err, sizeof err);
    if (postal_rc < 0)
        goto cleanup;
    cfg.app.catalog = catalog;
    cfg.app.facilities = facilities;
    cfg.app.store = store;
    cfg.app.postal = postal;
    char diagnoses_note[512];
    if (diagnoses_load(data, &diagnoses, diagnoses_note, sizeof diagnoses_note) < 0) {
        snprintf(err, sizeof err, "%s", diagnoses_note);
        goto cleanup;
    }
    cfg.app.diagnoses = diagnoses;
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
    /* The reminders of the day before, queued by the sender's thread. */
    struct reminders reminders = {.app = &cfg.app};
    mail_sender_set_job(sender, reminders_job, &reminders);
    if (!(server = web_server_start(&cfg, err, sizeof err)))
        goto cleanup;

    size_t n_states, n_facilities;
    catalog_states(catalog, &n_states);
    catalog_facilities(catalog, &n_facilities);
    bool v6 = strchr(host, ':') != NULL;
    printf("padron: catalogs from %s: %zu states, %zu facilities%s\n", dir, n_states, n_facilities,
           facilities_imported ? " (imported into the data directory)" : "");
    printf("padron: data in %s\n", data);
    char kid[KEYS_KID_TEXT_SIZE];
    keys_kid_text(started.kid, kid);
    if (started.created)
        printf("padron: created the signing key %s in %s/keys (no key was valid); the trust "
               "list is at /.well-known/padron/trust-list\n",
               kid, data);
    else
        printf("padron: signing with key %s (%zu %s in %s/keys)\n", kid, started.key_count,
               started.key_count == 1 ? "key" : "keys", data);
    if (conf->file)
        printf("padron: configuration from %s\n", conf->file);
    if (proxies.n > 0)
        printf("padron: X-Forwarded-For is believed from %s\n", proxy_text);
    if (postal) {
        struct postal_stats ps;
        postal_table_stats(postal, &ps);
        printf("padron: %zu postal codes (%zu settlements)\n", ps.postal_codes, ps.settlements);
    } else {
        printf("padron: postal codes not imported (padron import postal-codes FILE --data %s);"
               " settlements are typed\n",
               data);
    }
    if (diagnoses)
        printf("padron: %zu CIE-10 diagnoses\n", diagnoses_count(diagnoses));
    else
        printf("padron: CIE-10 diagnoses not imported (padron import diagnoses FILE --data %s);"
               " referrals cannot be made\n",
               data);
    if (mail.smtp_url)
        printf("padron: mail goes out through %s\n", mail.smtp_url);
    else
        printf("padron: mail is delivered to the Maildir %s (smtp_url sends it over SMTP)\n",
               maildir);
    if (!public_url[0])
        snprintf(public_url, sizeof public_url, "http://%s%s%s:%u", v6 ? "[" : "", host,
                 v6 ? "]" : "", web_server_port(server));
    printf("padron: open %s/ (Ctrl-C stops)\n", public_url);
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
    trust_cache_free(trust);
    signer_free(signer); /* after the server: no request can ask for a signature */
    if (slots_ready) {
        sem_destroy(&hash_slots);
        sem_destroy(&photo_slots);
    }
    blobstore_close(documents);
    templates_free(templates);
    postal_free(postal);
    diagnoses_free(diagnoses);
    geo_facilities_free(facilities);
    catalog_free(catalog);
    store_close(store);
    sodium_memzero(cfg.app.code_key, sizeof cfg.app.code_key);
    sodium_memzero(password, sizeof password);
    curl_global_cleanup();
    return rc;
}
