#include "cli/workspace.h"

#include "media/blobstore.h"
#include "util/fs.h"

#include <sodium.h>
#include <stdio.h>

int workspace_open(const char *command, const char *data, struct workspace *w)
{
    const char *opt[CONFIG_N] = {NULL};
    opt[CONFIG_DATA] = data;
    config_init(&w->conf);
    config_load_all(&w->conf, opt, NULL);
    w->store = NULL;
    char err[512];
    if (w->conf.n_errors > 0) {
        for (size_t i = 0; i < w->conf.n_errors && i < CONFIG_MAX_ERRORS; i++)
            fprintf(stderr, "padron %s: %s\n", command, w->conf.errors[i]);
        return -1;
    }
    snprintf(w->dir, sizeof w->dir, "%s", config_str(&w->conf, CONFIG_DATA));
    if (fs_mkdir_p(w->dir, 0700, err, sizeof err) != 0 ||
        workspace_store_open(&w->conf, &w->store, err, sizeof err) != 0 ||
        workspace_mail_key(w->store, w->dir, err, sizeof err) != 0) {
        fprintf(stderr, "padron %s: %s\n", command, err);
        return -1;
    }
    return 0;
}

int workspace_store_open(const struct config *conf, struct store **out, char *err, size_t errsz)
{
    const char *database = config_str(conf, CONFIG_DATABASE);
    if (database)
        return store_open(database, out, err, errsz);
    char path[PATH_MAX + 16];
    if (snprintf(path, sizeof path, "%s/padron.db", config_str(conf, CONFIG_DATA)) >=
        (int)sizeof path) {
        snprintf(err, errsz, "--data: path too long");
        return -1;
    }
    return store_open(path, out, err, errsz);
}

int workspace_store_open_data(const char *data, struct store **out, char *err, size_t errsz)
{
    struct config conf;
    const char *opt[CONFIG_N] = {NULL};
    opt[CONFIG_DATA] = data;
    config_init(&conf);
    config_load_all(&conf, opt, NULL);
    int rc = -1;
    if (conf.n_errors > 0)
        snprintf(err, errsz, "%s", conf.errors[0]);
    else
        rc = workspace_store_open(&conf, out, err, errsz);
    config_release(&conf);
    return rc;
}

int workspace_mail_key(struct store *store, const char *data, char *err, size_t errsz)
{
    char path[PATH_MAX + 32];
    uint8_t key[BLOBSTORE_KEY_LEN];
    _Static_assert(BLOBSTORE_KEY_LEN == STORE_MAIL_KEY_LEN, "one key file format");
    if (snprintf(path, sizeof path, "%s/keys", data) >= (int)sizeof path ||
        fs_mkdir_p(path, 0700, err, errsz) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/keys/mail.key", data);
    if (blobstore_key_load_or_create(path, key, err, errsz) != 0)
        return -1;
    store_set_mail_key(store, key);
    sodium_memzero(key, sizeof key);
    return 0;
}

void workspace_close(struct workspace *w)
{
    store_close(w->store);
    w->store = NULL;
    config_release(&w->conf);
}

void workspace_public_url(const struct workspace *w, char *out, size_t size)
{
    if (config_str(&w->conf, CONFIG_PUBLIC_URL))
        snprintf(out, size, "%s", config_str(&w->conf, CONFIG_PUBLIC_URL));
    else
        snprintf(out, size, "http://%s", config_str(&w->conf, CONFIG_LISTEN));
}
