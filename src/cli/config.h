/*
 * config: the settings of `padron serve`, each declared once in a table (name,
 * environment variable, option, type, default, allowed values, description,
 * whether it is secret), and where each value came from. docs/configuration.md
 * describes the file format and every key.
 *
 * Precedence, lowest first: built-in default < configuration file < environment
 * variable (PADRON_*) < command-line option. A later source replaces a value
 * wholesale (lists are not merged). An empty environment variable counts as
 * unset; an empty value anywhere else is an error.
 *
 * Invariants:
 * - Every value held has passed its setting's check (type, range, allowed values),
 *   so the readers (config_str, config_bool, config_long) cannot fail.
 * - Mistakes do not stop loading: each one is recorded with where it was (FILE:LINE
 *   and the key, the variable or the option) and loading goes on, so the operator
 *   sees every mistake at once. The first CONFIG_MAX_ERRORS messages are kept;
 *   n_errors counts them all.
 * - Secret values never reach an error message or config_print, and
 *   config_release wipes them.
 * - Nothing here starts anything; the only I/O is reading the configuration file,
 *   the password file and the environment.
 */
#ifndef PADRON_CLI_CONFIG_H
#define PADRON_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum config_key {
    CONFIG_DATA,
    CONFIG_DATABASE,
    CONFIG_LISTEN,
    CONFIG_CATALOGS,
    CONFIG_SECURE_COOKIES,
    CONFIG_TRUSTED_PROXIES,
    CONFIG_SMTP_URL,
    CONFIG_SMTP_TLS,
    CONFIG_SMTP_USER,
    CONFIG_SMTP_PASSWORD,
    CONFIG_SMTP_PASSWORD_FILE,
    CONFIG_MAIL_FROM,
    CONFIG_MAIL_RETRY_SECONDS,
    CONFIG_SMS_WEBHOOK_URL,
    CONFIG_SMS_WEBHOOK_TOKEN,
    CONFIG_HELP_PHONE,
    CONFIG_KEY_PASSPHRASE,
    CONFIG_KEY_PASSPHRASE_FILE,
    CONFIG_PUBLIC_URL,
    CONFIG_N
};

enum config_type {
    CONFIG_T_STRING,
    CONFIG_T_PATH,
    CONFIG_T_BOOL,      /* true/false, yes/no, on/off, 1/0; held as "true" or "false" */
    CONFIG_T_INT,       /* decimal, min..max */
    CONFIG_T_CHOICE,    /* one of choices */
    CONFIG_T_LISTEN,    /* numeric ADDR:PORT or [IPv6]:PORT */
    CONFIG_T_ADDRESSES, /* netaddr_list_parse: addresses and ranges */
    CONFIG_T_SMTP_URL,  /* smtp://... or smtps://... */
    CONFIG_T_MAILBOX,   /* a bare address like padron@example.mx */
    CONFIG_T_HTTP_URL,  /* http://... or https://... */
    CONFIG_T_PG_URL,    /* postgresql://... or postgres://... */
    CONFIG_T_PHONE,     /* a phone number as people read it: digits, spaces, + - ( ) */
};

enum config_source { CONFIG_SRC_DEFAULT, CONFIG_SRC_FILE, CONFIG_SRC_ENV, CONFIG_SRC_OPTION };

struct config_setting {
    const char *name;           /* key in the file, e.g. "smtp_url" */
    const char *env;            /* environment variable, e.g. "PADRON_SMTP_URL" */
    const char *option;         /* command-line option, e.g. "--listen"; NULL: none */
    enum config_type type;      /* what values are accepted */
    const char *fallback;       /* built-in default as text; NULL: unset */
    long min, max;              /* CONFIG_T_INT */
    const char *const *choices; /* CONFIG_T_CHOICE: NULL-terminated */
    bool secret;                /* never printed; wiped on release */
    const char *help;           /* one line for the documentation and --check-config */
};

#define CONFIG_MAX_ERRORS 20
#define CONFIG_ERROR_LEN  320
#define CONFIG_FILE_MAX   (64 * 1024) /* bytes of configuration file */
#define CONFIG_VALUE_MAX  1024        /* bytes of one value */
#define CONFIG_FILE_NAME  "padron.conf"

/* Flags of config_parse and config_load_file. */
#define CONFIG_IN_DATA 1u /* the file is DATA/padron.conf: it cannot set data */

struct config {
    char *value[CONFIG_N]; /* owned; NULL: unset */
    enum config_source source[CONFIG_N];
    unsigned long line[CONFIG_N]; /* CONFIG_SRC_FILE: the line that set it */
    char *file;                   /* the file read (owned), or NULL */
    size_t n_errors;              /* every error, including those not kept */
    char errors[CONFIG_MAX_ERRORS][CONFIG_ERROR_LEN];
};

/* The table row of k. */
const struct config_setting *config_setting(enum config_key k);

/* The key named name[0..len) ("smtp_url"), or -1. */
int config_key_by_name(const char *name, size_t len);

/* Sets every key to its built-in default. */
void config_init(struct config *c);

/* Wipes secret values and frees everything c owns; c may be released twice. */
void config_release(struct config *c);

/*
 * Reads the configuration text[0..len) named name (for messages): lines of
 * "key = value", "[section]" headers (a key under [smtp] is smtp_KEY) and whole-line
 * "#" comments; blanks around keys and values are dropped, values are taken as
 * they stand (no quotes, no escapes). Errors (recorded, loading goes on): a line
 * that is none of these, an unknown section or key, a value its setting refuses,
 * a key given twice, a NUL or control byte, data with CONFIG_IN_DATA. Keeps a
 * copy of name as c->file. Returns 0, or -1 when this text added an error.
 */
int config_parse(struct config *c, const char *name, const char *text, size_t len, unsigned flags);

/* Reads the file at path (a regular file of at most CONFIG_FILE_MAX bytes) and
 * parses it as config_parse does; a file that holds a secret value must not be
 * readable by other users. Returns 0, or -1 with the reason recorded. */
int config_load_file(struct config *c, const char *path, unsigned flags);

/* Applies the PADRON_* environment variables of the table that are set and not
 * empty. Returns 0, or -1 when one was refused (recorded). */
int config_load_env(struct config *c);

/* Sets k from its command-line option (value as given). Returns 0 or -1 (recorded). */
int config_set_option(struct config *c, enum config_key k, const char *value);

/* The checks across keys, after every source is in: smtp_user and a password go
 * together. Returns 0 or -1 (recorded). */
int config_finish(struct config *c);

/* Records a mistake found by the caller (e.g. a check of the data directory). */
void config_error(struct config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The value of k: text (NULL when unset), a boolean, a number. */
const char *config_str(const struct config *c, enum config_key k);
bool config_bool(const struct config *c, enum config_key k);
long config_long(const struct config *c, enum config_key k);

/* Splits a listen value ("127.0.0.1:8080", "[::1]:0") into its numeric host
 * (copied into host) and port. Returns 0, or -1 when s is not one. */
int config_split_listen(const char *s, char *host, size_t hostsz, uint16_t *port);

/* Writes where the value of k came from into buf: "default", "FILE:LINE", the
 * variable or the option. */
void config_describe_source(const struct config *c, enum config_key k, char *buf, size_t size);

/* Prints one line per key: "key = value  # source"; secrets as "(hidden)", unset
 * keys as "(unset)". */
void config_print(const struct config *c, FILE *f);

/* The SMTP password: smtp_password, or the first line of the file smtp_password_file
 * (one trailing newline dropped). Returns 1 with it in buf (the caller wipes buf),
 * 0 when neither is set, -1 with the reason in err (never the password). */
int config_smtp_password(const struct config *c, char *buf, size_t size, char *err, size_t errsz);

/* The passphrase of the signing keys (keystore.h): key_passphrase, or the first
 * line of the file key_passphrase_file, as config_smtp_password reads its
 * password. Same returns; the caller wipes buf. */
int config_key_passphrase(const struct config *c, char *buf, size_t size, char *err, size_t errsz);

/* Loads every source in order of precedence into c: the file (file, else
 * DATA/padron.conf when it exists, DATA from opt, PADRON_DATA or the default),
 * the environment, the options opt (NULL entries unset), then config_finish. */
void config_load_all(struct config *c, const char *const opt[CONFIG_N], const char *file);

/* Calls fn with each PADRON_* variable of envp that is not in the table (typos). */
void config_unknown_env(char *const *envp, void (*fn)(const char *name, void *ctx), void *ctx);

#endif
