/* padron serve: load the catalogs, listen, and run until SIGINT or SIGTERM. */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/fs.h"
#include "web/server.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t wall_clock(void)
{
    return (int64_t)time(NULL);
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
    char host[64], err[512], dir[PATH_MAX];
    struct web_config cfg = {.listen_host = host, .app.clock = wall_clock};
    if (parse_listen(listen, host, sizeof host, &cfg.listen_port) != 0) {
        fprintf(stderr, "padron serve: --listen '%s' is not ADDR:PORT\n", listen);
        return 2;
    }
    if (fs_mkdir_p(data, 0700, err, sizeof err) != 0) {
        fprintf(stderr, "padron serve: data directory %s\n", err);
        return 1;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "padron serve: libsodium could not initialise\n");
        return 1;
    }
    char db_path[PATH_MAX];
    struct store *store = NULL;
    if (snprintf(db_path, sizeof db_path, "%s/padron.db", data) >= (int)sizeof db_path ||
        store_open(db_path, &store, err, sizeof err) != 0) {
        fprintf(stderr, "padron serve: %s\n", err);
        return 1;
    }
    struct catalog *catalog = NULL;
    if (catalog_find_dir(catalogs, dir, sizeof dir, err, sizeof err) != 0 ||
        catalog_load(dir, &catalog, err, sizeof err) != 0) {
        fprintf(stderr, "padron serve: catalogs: %s\n", err);
        store_close(store);
        return 1;
    }
    cfg.app.catalog = catalog;
    cfg.app.store = store;

    /* Block the stop signals before any thread starts, so only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    struct web_server *server = web_server_start(&cfg, err, sizeof err);
    if (!server) {
        fprintf(stderr, "padron serve: %s\n", err);
        catalog_free(catalog);
        store_close(store);
        return 1;
    }
    size_t n_states, n_facilities;
    catalog_states(catalog, &n_states);
    catalog_facilities(catalog, &n_facilities);
    bool v6 = strchr(host, ':') != NULL;
    printf("padron: catalogs from %s: %zu states, %zu facilities\n", dir, n_states, n_facilities);
    printf("padron: data in %s\n", data);
    printf("padron: open http://%s%s%s:%u/ (Ctrl-C stops)\n", v6 ? "[" : "", host, v6 ? "]" : "",
           web_server_port(server));
    fflush(stdout);

    int sig;
    sigwait(&stop, &sig);
    printf("padron: stopping\n");
    web_server_stop(server);
    catalog_free(catalog);
    store_close(store);
    return 0;
}
