#include "cli/config.h"

#include "util/alloc.h"
#include "web/netaddr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const tls_choices[] = {"try", "require", "none", NULL};

/* The one declaration of every setting; docs/configuration.md mirrors it. */
static const struct config_setting settings[CONFIG_N] = {
    [CONFIG_DATA] = {"data", "PADRON_DATA", "--data", CONFIG_T_PATH, "var", 0, 0, NULL, false,
                     "the service's state: database, keys, documents, Maildir"},
    /* Secret: the URL may carry the password. */
    [CONFIG_DATABASE] = {"database", "PADRON_DATABASE", "--db", CONFIG_T_PG_URL, NULL, 0, 0, NULL,
                         true, "a PostgreSQL server (postgresql://...); unset: DATA/padron.db"},
    [CONFIG_LISTEN] = {"listen", "PADRON_LISTEN", "--listen", CONFIG_T_LISTEN, "127.0.0.1:8080", 0,
                       0, NULL, false, "numeric ADDR:PORT to serve HTTP on; port 0 picks one"},
    [CONFIG_CATALOGS] = {"catalogs", "PADRON_CATALOGS", "--catalogs", CONFIG_T_PATH, NULL, 0, 0,
                         NULL, false, "the reference catalogs; unset: found automatically"},
    [CONFIG_SECURE_COOKIES] = {"secure_cookies", "PADRON_SECURE_COOKIES", NULL, CONFIG_T_BOOL,
                               "false", 0, 0, NULL, false,
                               "cookies get Secure: set it when TLS is in front"},
    [CONFIG_TRUSTED_PROXIES] = {"trusted_proxies", "PADRON_TRUSTED_PROXIES", NULL,
                                CONFIG_T_ADDRESSES, NULL, 0, 0, NULL, false,
                                "peers whose X-Forwarded-For names the client"},
    [CONFIG_SMTP_URL] = {"smtp_url", "PADRON_SMTP_URL", NULL, CONFIG_T_SMTP_URL, NULL, 0, 0, NULL,
                         false, "smtp://HOST:PORT or smtps://...; unset: the Maildir DATA/mail"},
    [CONFIG_SMTP_TLS] = {"smtp_tls", "PADRON_SMTP_TLS", NULL, CONFIG_T_CHOICE, "try", 0, 0,
                         tls_choices, false, "STARTTLS: try, require or none"},
    [CONFIG_SMTP_USER] = {"smtp_user", "PADRON_SMTP_USER", NULL, CONFIG_T_STRING, NULL, 0, 0, NULL,
                          false, "SMTP AUTH user"},
    [CONFIG_SMTP_PASSWORD] = {"smtp_password", "PADRON_SMTP_PASSWORD", NULL, CONFIG_T_STRING, NULL,
                              0, 0, NULL, true, "SMTP AUTH password"},
    [CONFIG_SMTP_PASSWORD_FILE] = {"smtp_password_file", "PADRON_SMTP_PASSWORD_FILE", NULL,
                                   CONFIG_T_PATH, NULL, 0, 0, NULL, false,
                                   "a file whose first line is the SMTP AUTH password"},
    [CONFIG_MAIL_FROM] = {"mail_from", "PADRON_MAIL_FROM", NULL, CONFIG_T_MAILBOX,
                          "no-responder@padron.localhost", 0, 0, NULL, false,
                          "sender address of padron's mail"},
    [CONFIG_MAIL_RETRY_SECONDS] = {"mail_retry_seconds", "PADRON_MAIL_RETRY_SECONDS", NULL,
                                   CONFIG_T_INT, "30", 1, 3600, NULL, false,
                                   "first delay before retrying a failed delivery"},
    [CONFIG_SMS_WEBHOOK_URL] = {"sms_webhook_url", "PADRON_SMS_WEBHOOK_URL", NULL,
                                CONFIG_T_HTTP_URL, NULL, 0, 0, NULL, false,
                                "SMS gateway webhook; unset: phones stay unconfirmed"},
    [CONFIG_SMS_WEBHOOK_TOKEN] = {"sms_webhook_token", "PADRON_SMS_WEBHOOK_TOKEN", NULL,
                                  CONFIG_T_STRING, NULL, 0, 0, NULL, true,
                                  "bearer token the SMS webhook expects"},
    [CONFIG_HELP_PHONE] = {"help_phone", "PADRON_HELP_PHONE", NULL, CONFIG_T_PHONE, NULL, 0, 0,
                           NULL, false,
                           "the program's phone line, shown on every page; unset: none"},
    [CONFIG_KEY_PASSPHRASE] = {"key_passphrase", "PADRON_KEY_PASSPHRASE", NULL, CONFIG_T_STRING,
                               NULL, 0, 0, NULL, true,
                               "encrypts the signing keys' private halves (DATA/keys/sign-*.pem)"},
    [CONFIG_KEY_PASSPHRASE_FILE] = {"key_passphrase_file", "PADRON_KEY_PASSPHRASE_FILE", NULL,
                                    CONFIG_T_PATH, NULL, 0, 0, NULL, false,
                                    "a file whose first line is key_passphrase"},
    [CONFIG_PUBLIC_URL] = {"public_url", "PADRON_PUBLIC_URL", NULL, CONFIG_T_HTTP_URL, NULL, 0, 0,
                           NULL, false,
                           "the address people open (https://...), printed on letters and "
                           "cards for verification; unset: http://LISTEN"},
};

/* Sections only group keys: a key under [smtp] is smtp_KEY. */
static const char *const sections[] = {"smtp", "mail", "sms", NULL};

const struct config_setting *config_setting(enum config_key k)
{
    return &settings[k];
}

int config_key_by_name(const char *name, size_t len)
{
    for (int k = 0; k < CONFIG_N; k++)
        if (strlen(settings[k].name) == len && memcmp(settings[k].name, name, len) == 0)
            return k;
    return -1;
}

void config_error(struct config *c, const char *fmt, ...)
{
    if (c->n_errors < CONFIG_MAX_ERRORS) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->errors[c->n_errors], CONFIG_ERROR_LEN, fmt, ap);
        va_end(ap);
    }
    c->n_errors++;
}

static void clear(struct config *c, enum config_key k)
{
    if (c->value[k] && settings[k].secret)
        sodium_memzero(c->value[k], strlen(c->value[k]));
    free(c->value[k]);
    c->value[k] = settings[k].fallback ? xstrdup(settings[k].fallback) : NULL;
    c->source[k] = CONFIG_SRC_DEFAULT;
    c->line[k] = 0;
}

void config_init(struct config *c)
{
    memset(c, 0, sizeof *c);
    for (int k = 0; k < CONFIG_N; k++)
        clear(c, k);
}

void config_release(struct config *c)
{
    for (int k = 0; k < CONFIG_N; k++) {
        if (c->value[k] && settings[k].secret)
            sodium_memzero(c->value[k], strlen(c->value[k]));
        free(c->value[k]);
        c->value[k] = NULL;
    }
    free(c->file);
    c->file = NULL;
}

/* ---- values ---- */

int config_split_listen(const char *s, char *host, size_t hostsz, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    struct netaddr a;
    if (!colon || colon == s)
        return -1;
    const char *h = s;
    size_t hlen = (size_t)(colon - s);
    bool bracketed = h[0] == '[';
    if (bracketed) {
        if (hlen < 3 || h[hlen - 1] != ']')
            return -1;
        h++, hlen -= 2;
    }
    /* IPv6 needs its brackets, or the port would be ambiguous. */
    if (hlen >= hostsz || netaddr_parse(h, hlen, &a) != 0 || (!bracketed && memchr(h, ':', hlen)))
        return -1;
    const char *p = colon + 1;
    long n = 0;
    if (*p == '\0' || strlen(p) > 5)
        return -1;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        n = n * 10 + (*p - '0');
    }
    if (n > 65535)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (uint16_t)n;
    return 0;
}

static bool is_mailbox(const char *v)
{
    const char *at = strchr(v, '@');
    return at && at != v && at[1] != '\0' && !strchr(at + 1, '@') && !strpbrk(v, " <>\"()[],;:\\");
}

/* Checks v against setting k; on success returns the text to hold (a copy, booleans
 * normalised), else NULL with the reason in why. */
static char *check_value(enum config_key k, const char *v, char *why, size_t whysz)
{
    const struct config_setting *s = &settings[k];
    size_t len = strlen(v);
    if (len == 0) {
        snprintf(why, whysz, "empty value (leave the key out for the default)");
        return NULL;
    }
    if (len > CONFIG_VALUE_MAX) {
        snprintf(why, whysz, "value longer than %d bytes", CONFIG_VALUE_MAX);
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
            snprintf(why, whysz, "control character in the value");
            return NULL;
        }
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
        snprintf(why, whysz, "values are not quoted: write the value without quotes");
        return NULL;
    }
    /* Secrets are never echoed; other values are, to show what was refused. */
    const char *shown = s->secret ? "(hidden)" : v;
    switch (s->type) {
    case CONFIG_T_STRING:
    case CONFIG_T_PATH:
        break;
    case CONFIG_T_BOOL: {
        static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no",
                                                                                    "off", "0"};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(v, yes[i]) == 0)
                return xstrdup("true");
            if (strcasecmp(v, no[i]) == 0)
                return xstrdup("false");
        }
        snprintf(why, whysz, "'%.60s' is not true or false (nor yes/no, on/off, 1/0)", shown);
        return NULL;
    }
    case CONFIG_T_INT: {
        long n = 0;
        bool digits = len <= 9;
        for (size_t i = 0; digits && i < len; i++) {
            digits = v[i] >= '0' && v[i] <= '9';
            n = n * 10 + (v[i] - '0');
        }
        if (!digits || n < s->min || n > s->max) {
            snprintf(why, whysz, "'%.60s' is not a whole number from %ld to %ld", shown, s->min,
                     s->max);
            return NULL;
        }
        char text[16];
        snprintf(text, sizeof text, "%ld", n);
        return xstrdup(text);
    }
    case CONFIG_T_CHOICE: {
        for (size_t i = 0; s->choices[i]; i++)
            if (strcmp(v, s->choices[i]) == 0)
                return xstrdup(v);
        int n = snprintf(why, whysz, "'%.60s' is not one of", shown);
        for (size_t i = 0; s->choices[i] && n > 0 && (size_t)n < whysz; i++)
            n += snprintf(why + n, whysz - (size_t)n, "%s %s", i ? "," : "", s->choices[i]);
        return NULL;
    }
    case CONFIG_T_LISTEN: {
        char host[NETADDR_TEXT_MAX];
        uint16_t port;
        if (config_split_listen(v, host, sizeof host, &port) != 0) {
            snprintf(why, whysz,
                     "'%.60s' is not ADDR:PORT with a numeric address (127.0.0.1:8080, "
                     "[::1]:8080)",
                     shown);
            return NULL;
        }
        break;
    }
    case CONFIG_T_ADDRESSES: {
        struct netaddr_list l;
        char err[200];
        if (netaddr_list_parse(v, len, &l, err, sizeof err) != 0) {
            snprintf(why, whysz, "%s", err);
            return NULL;
        }
        break;
    }
    case CONFIG_T_SMTP_URL:
        if ((strncmp(v, "smtp://", 7) != 0 || len == 7) &&
            (strncmp(v, "smtps://", 8) != 0 || len == 8)) {
            snprintf(why, whysz, "'%.60s' does not start with smtp:// or smtps://", shown);
            return NULL;
        }
        break;
    case CONFIG_T_PHONE: {
        size_t digits = 0;
        bool ok = len >= 3 && len <= 30;
        for (const char *c = v; ok && *c; c++) {
            digits += *c >= '0' && *c <= '9';
            ok = (*c >= '0' && *c <= '9') || strchr(" +-()", *c);
        }
        if (!ok || digits < 3) {
            snprintf(why, whysz, "'%.60s' is not a phone number (digits, spaces, + - ( ))", shown);
            return NULL;
        }
        break;
    }
    case CONFIG_T_HTTP_URL:
        if ((strncmp(v, "http://", 7) != 0 || len == 7) &&
            (strncmp(v, "https://", 8) != 0 || len == 8)) {
            snprintf(why, whysz, "'%.60s' does not start with http:// or https://", shown);
            return NULL;
        }
        break;
    case CONFIG_T_PG_URL:
        if ((strncmp(v, "postgresql://", 13) != 0 || len == 13) &&
            (strncmp(v, "postgres://", 11) != 0 || len == 11)) {
            snprintf(why, whysz, "'%.60s' does not start with postgresql://", shown);
            return NULL;
        }
        break;
    case CONFIG_T_MAILBOX:
        if (!is_mailbox(v)) {
            snprintf(why, whysz, "'%.60s' is not a bare address like padron@example.mx", shown);
            return NULL;
        }
        break;
    }
    return xstrdup(v);
}

/* A file that sets the password and one that names a password file: the later
 * source wins; the same source giving both is a mistake. */
static int partner(enum config_key k)
{
    return k == CONFIG_SMTP_PASSWORD        ? CONFIG_SMTP_PASSWORD_FILE
           : k == CONFIG_SMTP_PASSWORD_FILE ? CONFIG_SMTP_PASSWORD
                                            : -1;
}

/* Sets k to v from src; where names the place for messages ("FILE:LINE: key",
 * "PADRON_X", "--x"). */
static int set(struct config *c, enum config_key k, const char *v, enum config_source src,
               unsigned long line, const char *where)
{
    char why[CONFIG_ERROR_LEN];
    char *held = check_value(k, v, why, sizeof why);
    if (!held) {
        config_error(c, "%s: %s", where, why);
        return -1;
    }
    int p = partner(k);
    if (p >= 0 && c->source[p] == src) {
        config_error(c, "%s: %s is set too: give one of %s and %s", where, settings[p].name,
                     settings[k].name, settings[p].name);
        if (settings[k].secret)
            sodium_memzero(held, strlen(held));
        free(held);
        return -1;
    }
    if (p >= 0 && c->source[p] < src)
        clear(c, p);
    clear(c, k);
    free(c->value[k]);
    c->value[k] = held;
    c->source[k] = src;
    c->line[k] = line;
    return 0;
}

int config_set_option(struct config *c, enum config_key k, const char *value)
{
    const char *where = settings[k].option ? settings[k].option : settings[k].name;
    return set(c, k, value, CONFIG_SRC_OPTION, 0, where);
}

int config_load_env(struct config *c)
{
    int rc = 0;
    for (int k = 0; k < CONFIG_N; k++) {
        const char *v = getenv(settings[k].env);
        if (v && *v && set(c, k, v, CONFIG_SRC_ENV, 0, settings[k].env) != 0)
            rc = -1;
    }
    return rc;
}

/* ---- the file ---- */

static const char *trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

static bool is_name(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* One "key = value" line under section (NULL: none); seen[k] is the line that
 * named k before, valid or not. */
static int parse_setting(struct config *c, const char *name, unsigned long n, const char *section,
                         const char *s, size_t len, unsigned flags, unsigned long seen[CONFIG_N])
{
    const char *eq = memchr(s, '=', len);
    if (!eq) {
        config_error(c, "%s:%lu: expected 'key = value', a [section] or a # comment", name, n);
        return -1;
    }
    size_t klen = (size_t)(eq - s), vlen = len - klen - 1;
    const char *key = trim(s, &klen), *value = trim(eq + 1, &vlen);
    if (!is_name(key, klen)) {
        config_error(c, "%s:%lu: '%.*s' is not a key (lower-case letters, digits and _)", name, n,
                     (int)(klen > 64 ? 64 : klen), key);
        return -1;
    }
    char full[160];
    snprintf(full, sizeof full, "%s%s%.*s", section ? section : "", section ? "_" : "", (int)klen,
             key);
    int k = config_key_by_name(full, strlen(full));
    if (k < 0 && section) {
        size_t slen = strlen(section);
        bool prefixed = klen > slen && memcmp(key, section, slen) == 0 && key[slen] == '_';
        config_error(c, "%s:%lu: unknown key '%.*s' in [%s]%s", name, n, (int)klen, key, section,
                     prefixed ? " (under a section, keys drop its prefix)" : "");
        return -1;
    }
    if (k < 0) {
        config_error(c, "%s:%lu: unknown key '%s'", name, n, full);
        return -1;
    }
    if (k == CONFIG_DATA && (flags & CONFIG_IN_DATA)) {
        config_error(c, "%s:%lu: data: cannot be set in the data directory's own %s", name, n,
                     CONFIG_FILE_NAME);
        return -1;
    }
    if (seen[k]) {
        config_error(c, "%s:%lu: %s: already given on line %lu", name, n, full, seen[k]);
        return -1;
    }
    seen[k] = n;
    char where[224], *v = xstrndup(value, vlen);
    snprintf(where, sizeof where, "%.100s:%lu: %.80s", name, n, full);
    int rc = set(c, k, v, CONFIG_SRC_FILE, n, where);
    sodium_memzero(v, vlen);
    free(v);
    return rc;
}

int config_parse(struct config *c, const char *name, const char *text, size_t len, unsigned flags)
{
    size_t before = c->n_errors;
    const char *section = NULL;
    bool bad_section = false; /* one error for an unknown section, none per key under it */
    unsigned long seen[CONFIG_N] = {0};
    free(c->file);
    c->file = xstrdup(name);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) /* a UTF-8 byte order mark */
        text += 3, len -= 3;
    unsigned long n = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p += l + (nl ? 1 : 0);
        n++;
        if (l > 0 && line[l - 1] == '\r')
            l--;
        if (memchr(line, '\0', l)) {
            config_error(c, "%s:%lu: NUL byte in the line", name, n);
            continue;
        }
        line = trim(line, &l);
        if (l == 0 || line[0] == '#')
            continue;
        if (line[0] != '[') {
            if (!bad_section)
                parse_setting(c, name, n, section, line, l, flags, seen);
            continue;
        }
        size_t slen = l - 1;
        const char *sname = trim(line + 1, &slen);
        if (slen == 0 || sname[slen - 1] != ']') {
            config_error(c, "%s:%lu: a section header is [name]", name, n);
            continue;
        }
        slen--;
        sname = trim(sname, &slen);
        if (slen == 0) {
            config_error(c, "%s:%lu: a section header is [name]", name, n);
            continue;
        }
        section = NULL;
        for (size_t i = 0; sections[i]; i++)
            if (strlen(sections[i]) == slen && memcmp(sections[i], sname, slen) == 0)
                section = sections[i];
        bad_section = !section;
        if (bad_section)
            config_error(c, "%s:%lu: unknown section [%.*s] (known: [smtp], [mail])", name, n,
                         (int)(slen > 64 ? 64 : slen), sname);
    }
    return c->n_errors > before ? -1 : 0;
}

/* Reads a regular file of at most max bytes into a new NUL-terminated buffer. */
static char *read_small_file(const char *path, size_t max, size_t *len, struct stat *st, char *err,
                             size_t errsz)
{
    char *buf = NULL;
    /* O_NONBLOCK: a FIFO in place of the file must not hang the start */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errsz, "%s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        snprintf(err, errsz, "not a regular file");
        goto cleanup;
    }
    if (st->st_size > (off_t)max) {
        snprintf(err, errsz, "larger than %zu bytes", max);
        goto cleanup;
    }
    buf = xmallocarray((size_t)st->st_size + 1, 1);
    *len = 0;
    for (;;) { /* until end of file: the size may have changed since fstat */
        ssize_t r = read(fd, buf + *len, (size_t)st->st_size + 1 - *len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (size_t)r + *len > (size_t)st->st_size) {
            snprintf(err, errsz, "%s", r < 0 ? strerror(errno) : "changed while read");
            sodium_memzero(buf, (size_t)st->st_size + 1);
            free(buf);
            buf = NULL;
            goto cleanup;
        }
        if (r == 0)
            break;
        *len += (size_t)r;
    }
    buf[*len] = '\0';
cleanup:
    if (close(fd) != 0 && buf) {
        snprintf(err, errsz, "%s", strerror(errno));
        sodium_memzero(buf, *len);
        free(buf);
        buf = NULL;
    }
    return buf;
}

int config_load_file(struct config *c, const char *path, unsigned flags)
{
    char err[200];
    size_t len;
    struct stat st;
    char *text = read_small_file(path, CONFIG_FILE_MAX, &len, &st, err, sizeof err);
    if (!text) {
        config_error(c, "%s: cannot read the configuration file: %s", path, err);
        return -1;
    }
    int rc = config_parse(c, path, text, len, flags);
    sodium_memzero(text, len);
    free(text);
    for (int k = 0; k < CONFIG_N; k++)
        if (settings[k].secret && c->source[k] == CONFIG_SRC_FILE && (st.st_mode & 004)) {
            config_error(c,
                         "%s:%lu: %s: the file is readable by every user (chmod o-r %s, or "
                         "use smtp_password_file)",
                         path, c->line[k], settings[k].name, path);
            rc = -1;
        }
    return rc;
}

/* ---- after loading ---- */

int config_finish(struct config *c)
{
    bool user = c->value[CONFIG_SMTP_USER] != NULL;
    bool password = c->value[CONFIG_SMTP_PASSWORD] || c->value[CONFIG_SMTP_PASSWORD_FILE];
    if (user != password) {
        char where[200];
        enum config_key k = user                             ? CONFIG_SMTP_USER
                            : c->value[CONFIG_SMTP_PASSWORD] ? CONFIG_SMTP_PASSWORD
                                                             : CONFIG_SMTP_PASSWORD_FILE;
        config_describe_source(c, k, where, sizeof where);
        config_error(c,
                     "%s: %s: smtp_user and a password (smtp_password or smtp_password_file) "
                     "go together",
                     where, settings[k].name);
        return -1;
    }
    return 0;
}

const char *config_str(const struct config *c, enum config_key k)
{
    return c->value[k];
}

bool config_bool(const struct config *c, enum config_key k)
{
    return c->value[k] && strcmp(c->value[k], "true") == 0;
}

long config_long(const struct config *c, enum config_key k)
{
    return c->value[k] ? strtol(c->value[k], NULL, 10) : 0;
}

void config_describe_source(const struct config *c, enum config_key k, char *buf, size_t size)
{
    switch (c->source[k]) {
    case CONFIG_SRC_DEFAULT:
        snprintf(buf, size, "default");
        break;
    case CONFIG_SRC_FILE:
        snprintf(buf, size, "%s:%lu", c->file ? c->file : "?", c->line[k]);
        break;
    case CONFIG_SRC_ENV:
        snprintf(buf, size, "%s", settings[k].env);
        break;
    case CONFIG_SRC_OPTION:
        snprintf(buf, size, "%s", settings[k].option ? settings[k].option : settings[k].name);
        break;
    }
}

void config_print(const struct config *c, FILE *f)
{
    for (int k = 0; k < CONFIG_N; k++) {
        char where[300];
        const char *v = c->value[k] ? (settings[k].secret ? "(hidden)" : c->value[k]) : "(unset)";
        config_describe_source(c, k, where, sizeof where);
        fprintf(f, "%-18s = %-28s # %s\n", settings[k].name, v, where);
    }
}

/* A secret from its value key or the first line of the file its file key names. */
static int read_secret(const struct config *c, enum config_key value_key, enum config_key file_key,
                       char *buf, size_t size, char *err, size_t errsz)
{
    const char *v = c->value[value_key], *path = c->value[file_key];
    if (v) {
        if (strlen(v) >= size) {
            snprintf(err, errsz, "%s: too long", settings[value_key].name);
            return -1;
        }
        memcpy(buf, v, strlen(v) + 1);
        return 1;
    }
    if (!path)
        return 0;
    char why[200];
    size_t len;
    struct stat st;
    char *text = read_small_file(path, CONFIG_VALUE_MAX + 2, &len, &st, why, sizeof why);
    if (!text) {
        snprintf(err, errsz, "%s %s: %s", settings[file_key].name, path, why);
        return -1;
    }
    size_t n = strcspn(text, "\r\n"), rest = len - n;
    bool one_line = rest == 0 || (rest == 1 && text[n] == '\n') ||
                    (rest == 2 && text[n] == '\r' && text[n + 1] == '\n');
    int rc = 1;
    if (n == 0 || n >= size || !one_line || memchr(text, '\0', len)) {
        snprintf(err, errsz, "%s %s: must hold one non-empty line of at most %zu bytes",
                 settings[file_key].name, path, size - 1);
        rc = -1;
    } else {
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    sodium_memzero(text, len);
    free(text);
    return rc;
}

int config_smtp_password(const struct config *c, char *buf, size_t size, char *err, size_t errsz)
{
    return read_secret(c, CONFIG_SMTP_PASSWORD, CONFIG_SMTP_PASSWORD_FILE, buf, size, err, errsz);
}

int config_key_passphrase(const struct config *c, char *buf, size_t size, char *err, size_t errsz)
{
    return read_secret(c, CONFIG_KEY_PASSPHRASE, CONFIG_KEY_PASSPHRASE_FILE, buf, size, err, errsz);
}

void config_load_all(struct config *c, const char *const opt[CONFIG_N], const char *file)
{
    if (file) {
        config_load_file(c, file, 0);
    } else {
        const char *env = getenv(settings[CONFIG_DATA].env);
        const char *data = opt[CONFIG_DATA] ? opt[CONFIG_DATA]
                           : env && *env    ? env
                                            : settings[CONFIG_DATA].fallback;
        char path[PATH_MAX];
        struct stat st;
        int n = snprintf(path, sizeof path, "%s/%s", data, CONFIG_FILE_NAME);
        if (n < 0 || (size_t)n >= sizeof path)
            config_error(c, "data %s: path too long", data);
        else if (stat(path, &st) == 0 || errno != ENOENT)
            config_load_file(c, path, CONFIG_IN_DATA);
    }
    config_load_env(c);
    for (int k = 0; k < CONFIG_N; k++)
        if (opt[k])
            config_set_option(c, k, opt[k]);
    config_finish(c);
}

void config_unknown_env(char *const *envp, void (*fn)(const char *name, void *ctx), void *ctx)
{
    for (; envp && *envp; envp++) {
        const char *e = *envp, *eq = strchr(e, '=');
        if (strncmp(e, "PADRON_", 7) != 0 || !eq)
            continue;
        bool known = false;
        for (int k = 0; k < CONFIG_N && !known; k++)
            known = strlen(settings[k].env) == (size_t)(eq - e) &&
                    memcmp(settings[k].env, e, (size_t)(eq - e)) == 0;
        if (!known) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - e > 100 ? 100 : eq - e), e);
            fn(name, ctx);
        }
    }
}
