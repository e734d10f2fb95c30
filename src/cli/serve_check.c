#include "cli/serve_check.h"

#include "catalog/catalog.h"
#include "catalog/postal.h"
#include "credential/keystore.h"
#include "media/blobstore.h"
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The nearest existing ancestor of the missing path, into out. */
static void existing_parent(const char *path, char *out, size_t size)
{
    struct stat st;
    snprintf(out, size, "%s", path);
    for (;;) {
        size_t len = strlen(out);
        while (len > 1 && out[len - 1] == '/')
            out[--len] = '\0';
        char *slash = strrchr(out, '/');
        if (!slash) {
            snprintf(out, size, ".");
            return;
        }
        slash[slash == out ? 1 : 0] = '\0';
        if (stat(out, &st) == 0 || errno != ENOENT)
            return;
    }
}

/* A directory serve uses, or creates when missing. Returns 0 or -1 (recorded). */
static int check_dir(struct config *c, const char *what, const char *path, FILE *out)
{
    struct stat st;
    char parent[PATH_MAX];
    if (stat(path, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            config_error(c, "%s %s: not a directory", what, path);
            return -1;
        }
        if (access(path, R_OK | W_OK | X_OK) != 0) {
            config_error(c, "%s %s: not readable and writable by this user: %s", what, path,
                         strerror(errno));
            return -1;
        }
        fprintf(out, "ok: %s %s\n", what, path);
        return 0;
    }
    if (errno != ENOENT) {
        config_error(c, "%s %s: %s", what, path, strerror(errno));
        return -1;
    }
    existing_parent(path, parent, sizeof parent);
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode) || access(parent, W_OK | X_OK) != 0) {
        config_error(c, "%s %s: cannot be created: %s is not a writable directory", what, path,
                     parent);
        return -1;
    }
    fprintf(out, "ok: %s %s: will be created (mode 0700)\n", what, path);
    return 0;
}

static int check_key(struct config *c, const char *path, FILE *out)
{
    char err[512];
    int r = blobstore_key_check(path, err, sizeof err);
    if (r < 0) {
        config_error(c, "key %s", err);
        return -1;
    }
    fprintf(out, "ok: key %s%s\n", path, r == 0 ? ": will be created (mode 0600)" : "");
    return 0;
}

/* The signing keys: readable, and the passphrase when one is configured. */
static int check_signing_keys(struct config *c, const char *dir, FILE *out)
{
    char err[KEYSTORE_ERR_SIZE], pass[CONFIG_VALUE_MAX + 1];
    struct keystore ks;
    int has = config_key_passphrase(c, pass, sizeof pass, err, sizeof err);
    sodium_memzero(pass, sizeof pass);
    if (has < 0) {
        config_error(c, "%s", err);
        return -1;
    }
    if (keystore_load(dir, false, NULL, &ks, err, sizeof err) != 0) {
        config_error(c, "signing keys: %s", err);
        return -1;
    }
    const struct keystore_key *cur = keystore_current(&ks, (int64_t)time(NULL));
    if (cur != NULL)
        fprintf(out, "ok: %zu signing %s, current %s\n", ks.n, ks.n == 1 ? "key" : "keys",
                cur->kid_text);
    else
        fprintf(out, "ok: signing key: none valid now, one will be created (%s)\n",
                has ? "encrypted with the passphrase" : "mode 0600");
    keystore_release(&ks);
    return 0;
}

static int check_database(struct config *c, const char *path, FILE *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            config_error(c, "database %s: %s", path, strerror(errno));
            return -1;
        }
        fprintf(out, "ok: database %s: will be created\n", path);
        return 0;
    }
    if (!S_ISREG(st.st_mode) || access(path, R_OK | W_OK) != 0) {
        config_error(c, "database %s: not a file this user can read and write", path);
        return -1;
    }
    fprintf(out, "ok: database %s (migrated at start)\n", path);
    return 0;
}

/* A PostgreSQL server: it must answer (the URL is never printed: it may hold a
 * password). */
static int check_server(struct config *c, const char *url, FILE *out)
{
    char err[512];
    int version;
    if (store_probe(url, &version, err, sizeof err) != 0) {
        config_error(c, "%s", err);
        return -1;
    }
    fprintf(out, "ok: database: PostgreSQL answers, schema version %d (migrated at start)\n",
            version);
    return 0;
}

/* path = data + "/" + name, or a recorded error. */
static int join(struct config *c, char *path, size_t size, const char *data, const char *name)
{
    int n = snprintf(path, size, "%s/%s", data, name);
    if (n < 0 || (size_t)n >= size) {
        config_error(c, "data %s: path too long", data);
        return -1;
    }
    return 0;
}

static int check_data(struct config *c, bool dev, FILE *out)
{
    const char *data = config_str(c, CONFIG_DATA);
    char path[PATH_MAX];
    if (check_dir(c, "data directory", data, out) != 0)
        return -1;
    int rc = 0;
    if (join(c, path, sizeof path, data, "keys") != 0 || check_dir(c, "keys", path, out) != 0)
        return -1;
    if (check_signing_keys(c, path, out) != 0)
        rc = -1;
    if (join(c, path, sizeof path, data, "keys/codes.key") != 0 || check_key(c, path, out) != 0)
        rc = -1;
    if (join(c, path, sizeof path, data, "keys/documents.key") != 0 || check_key(c, path, out) != 0)
        rc = -1;
    if (join(c, path, sizeof path, data, "keys/mail.key") != 0 || check_key(c, path, out) != 0)
        rc = -1;
    if (join(c, path, sizeof path, data, "documents") != 0 ||
        check_dir(c, "documents", path, out) != 0)
        rc = -1;
    const char *server = config_str(c, CONFIG_DATABASE);
    if (server ? check_server(c, server, out) != 0
               : join(c, path, sizeof path, data, "padron.db") != 0 ||
                     check_database(c, path, out) != 0)
        rc = -1;
    if ((dev || !config_str(c, CONFIG_SMTP_URL)) &&
        (join(c, path, sizeof path, data, "mail") != 0 || check_dir(c, "Maildir", path, out) != 0))
        rc = -1;
    struct postal_table *postal = NULL;
    char err[512];
    int p = postal_load(data, &postal, err, sizeof err);
    if (p < 0) {
        config_error(c, "postal codes: %s", err);
        rc = -1;
    } else if (postal) {
        struct postal_stats ps;
        postal_table_stats(postal, &ps);
        fprintf(out, "ok: %zu postal codes imported\n", ps.postal_codes);
    } else {
        fprintf(out, "ok: postal codes not imported (settlements are typed)\n");
    }
    postal_free(postal);
    return rc;
}

static int check_catalogs(struct config *c, FILE *out)
{
    char dir[PATH_MAX], err[512];
    struct catalog *catalog = NULL;
    if (catalog_find_dir(config_str(c, CONFIG_CATALOGS), dir, sizeof dir, err, sizeof err) != 0 ||
        catalog_load(dir, &catalog, err, sizeof err) != 0) {
        config_error(c, "catalogs: %s", err);
        return -1;
    }
    size_t states, facilities;
    catalog_states(catalog, &states);
    catalog_facilities(catalog, &facilities);
    fprintf(out, "ok: catalogs %s: %zu states, %zu facilities\n", dir, states, facilities);
    catalog_free(catalog);
    return 0;
}

static int check_mail(struct config *c, bool dev, FILE *out)
{
    char password[CONFIG_VALUE_MAX + 1], err[512];
    int r = config_smtp_password(c, password, sizeof password, err, sizeof err);
    sodium_memzero(password, sizeof password);
    if (r < 0) {
        config_error(c, "%s", err);
        return -1;
    }
    if (dev && config_str(c, CONFIG_SMTP_URL))
        fprintf(out, "ok: mail: --dev delivers to the Maildir; smtp_url %s is not used\n",
                config_str(c, CONFIG_SMTP_URL));
    else if (config_str(c, CONFIG_SMTP_URL))
        fprintf(out, "ok: mail through %s%s (the server is not contacted)\n",
                config_str(c, CONFIG_SMTP_URL), r ? " with a password" : "");
    return 0;
}

int serve_check(struct config *c, bool dev, FILE *out)
{
    int rc = 0;
    if (check_data(c, dev, out) != 0)
        rc = -1;
    if (check_mail(c, dev, out) != 0)
        rc = -1;
    if (check_catalogs(c, out) != 0)
        rc = -1;
    return rc;
}
