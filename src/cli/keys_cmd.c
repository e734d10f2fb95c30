/* padron keys: the signing keys of DATA/keys (credential/keystore.h): generate one,
 * list them, export the signed trust list for offline verifiers. */
#include "cli/commands.h"

#include "cli/config.h"
#include "cli/input.h"
#include "credential/keystore.h"
#include "credential/signer.h"
#include "credential/trust_list.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY_SECONDS 86400
#define DAYS_MAX    3660

static const char usage_text[] =
    "usage: padron keys generate [--data DIR] [--not-before TIME] [--days N] [--issuer NAME]\n"
    "       padron keys list [--data DIR]\n"
    "       padron keys export-trust-list [--data DIR] FILE\n\n"
    "The ES256 keys that sign credentials and letters live in DIR/keys (default ./var):\n"
    "sign-KID.pem, the private key (mode 0600; encrypted when key_passphrase or\n"
    "key_passphrase_file is configured: DIR/padron.conf or PADRON_KEY_PASSPHRASE[_FILE]),\n"
    "and sign-KID.json, its public half, issuer and validity window. The current key is\n"
    "the newest one valid now; `padron serve` makes one at start when none is.\n\n"
    "generate: a new key, valid from --not-before (default now) for --days (default\n"
    "  730). Rotating is generating: older keys stay in the trust list until they end.\n"
    "  Generate the next key ahead (--not-before a date to come) so verifiers learn it\n"
    "  before it signs. Prints the kid.\n"
    "list: one line per key: kid, state (current, valid, future, ended; \"no private\n"
    "  key\" when its .pem is gone), not before, not after, issuer.\n"
    "export-trust-list: writes the signed trust list (docs/credential.md) to FILE, or\n"
    "  to standard output for -; signed by the current key through the signer.\n\n"
    "TIME is YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM:SSZ or seconds since 1970.\n"
    "Exit 0 on success, 1 when the operation failed, 2 on a usage error.\n";

struct keys_args {
    const char *data, *not_before, *days, *issuer, *file;
};

/* Reads the options every subcommand shares; file takes the one operand. */
static int parse_args(const char *name, int argc, char **argv, struct keys_args *a, bool operand)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int r;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 1;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (!operand || a->file)
                return cli_usage_error("keys", "%s: unexpected argument '%s'", name, arg);
            a->file = arg;
            continue;
        }
        if ((r = cli_option_value("--data", argc, argv, &i, &a->data)) == 0 &&
            (r = cli_option_value("--not-before", argc, argv, &i, &a->not_before)) == 0 &&
            (r = cli_option_value("--days", argc, argv, &i, &a->days)) == 0)
            r = cli_option_value("--issuer", argc, argv, &i, &a->issuer);
        if (r < 0)
            return cli_usage_error("keys", "%s: option %s needs a value", name, arg);
        if (r == 0)
            return cli_usage_error("keys", "%s: unknown option '%s'", name, arg);
    }
    if (operand && !a->file)
        return cli_usage_error("keys", "%s: FILE is missing (- for standard output)", name);
    return 0;
}

/* DIR/keys, and the passphrase from the configuration (DIR/padron.conf, the
 * environment) into pass (*has set); the caller wipes pass. */
static int prepare(const struct keys_args *a, char dir[PATH_MAX], char *pass, size_t passsz,
                   bool *has)
{
    const char *opt[CONFIG_N] = {NULL};
    opt[CONFIG_DATA] = a->data;
    struct config conf;
    config_init(&conf);
    config_load_all(&conf, opt, NULL);
    int rc = -1;
    char err[512];
    if (conf.n_errors > 0) {
        for (size_t i = 0; i < conf.n_errors && i < CONFIG_MAX_ERRORS; i++)
            fprintf(stderr, "padron keys: %s\n", conf.errors[i]);
        goto cleanup;
    }
    int n = snprintf(dir, PATH_MAX, "%s/keys", config_str(&conf, CONFIG_DATA));
    if (n < 0 || n >= PATH_MAX) {
        fprintf(stderr, "padron keys: --data: path too long\n");
        goto cleanup;
    }
    int r = config_key_passphrase(&conf, pass, passsz, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "padron keys: %s\n", err);
        goto cleanup;
    }
    *has = r == 1;
    rc = 0;
cleanup:
    config_release(&conf);
    return rc;
}

static int cmd_generate(int argc, char **argv)
{
    struct keys_args a;
    int r = parse_args("generate", argc, argv, &a, false);
    if (r != 0)
        return r == 1 ? 0 : r;
    int64_t now = (int64_t)time(NULL), not_before = now;
    long days = KEYSTORE_DEFAULT_DAYS;
    char *end = NULL;
    if (a.not_before && cli_parse_time(a.not_before, &not_before) != 0)
        return cli_usage_error("keys", "generate: --not-before %s: not a TIME", a.not_before);
    if (a.days) {
        errno = 0;
        days = strtol(a.days, &end, 10);
        if (errno != 0 || *end != '\0' || days < 1 || days > DAYS_MAX)
            return cli_usage_error("keys", "generate: --days %s: a number of days, 1 to %d", a.days,
                                   DAYS_MAX);
    }
    if (a.issuer && !keystore_issuer_ok(a.issuer))
        return cli_usage_error("keys", "generate: --issuer: 1 to %d printable ASCII characters",
                               KEYSTORE_ISSUER_MAX);
    char dir[PATH_MAX], pass[CONFIG_VALUE_MAX + 1], kid[KEYS_KID_TEXT_SIZE], err[KEYSTORE_ERR_SIZE];
    bool has = false;
    int rc = 1;
    if (prepare(&a, dir, pass, sizeof pass, &has) != 0)
        goto cleanup;
    struct keystore_spec spec = {a.issuer, not_before, not_before + days * DAY_SECONDS, now};
    if (keystore_generate(dir, &spec, has ? pass : NULL, kid, err, sizeof err) != 0) {
        fprintf(stderr, "padron keys generate: %s\n", err);
        goto cleanup;
    }
    char from[CLI_TIME_SIZE], until[CLI_TIME_SIZE];
    cli_format_time(spec.not_before, from);
    cli_format_time(spec.not_after, until);
    printf("%s\n", kid);
    fprintf(stderr, "padron keys: generated key %s in %s, valid from %s until %s%s\n", kid, dir,
            from, until, has ? " (encrypted with the passphrase)" : "");
    rc = 0;
cleanup:
    sodium_memzero(pass, sizeof pass);
    return rc;
}

static const char *state_of(const struct keystore_key *k, const struct keystore_key *current,
                            int64_t now)
{
    if (k == current)
        return "current";
    if (now >= k->not_after)
        return "ended";
    if (now < k->not_before)
        return "future";
    return "valid";
}

static int cmd_list(int argc, char **argv)
{
    struct keys_args a;
    int r = parse_args("list", argc, argv, &a, false);
    if (r != 0)
        return r == 1 ? 0 : r;
    char dir[PATH_MAX], pass[CONFIG_VALUE_MAX + 1], err[KEYSTORE_ERR_SIZE];
    bool has = false;
    struct keystore ks = {0};
    int rc = 1;
    if (prepare(&a, dir, pass, sizeof pass, &has) != 0)
        goto cleanup;
    if (keystore_load(dir, false, NULL, &ks, err, sizeof err) != 0) {
        fprintf(stderr, "padron keys list: %s\n", err);
        goto cleanup;
    }
    int64_t now = (int64_t)time(NULL);
    const struct keystore_key *current = keystore_current(&ks, now);
    for (size_t i = 0; i < ks.n; i++) {
        const struct keystore_key *k = &ks.keys[i];
        char from[CLI_TIME_SIZE], until[CLI_TIME_SIZE];
        cli_format_time(k->not_before, from);
        cli_format_time(k->not_after, until);
        printf("%s\t%s%s\t%s\t%s\t%s\n", k->kid_text, state_of(k, current, now),
               k->has_private ? "" : " (no private key)", from, until, k->issuer);
    }
    if (ks.n == 0)
        fprintf(stderr, "padron keys list: no signing keys in %s (padron keys generate)\n", dir);
    rc = 0;
cleanup:
    keystore_release(&ks);
    sodium_memzero(pass, sizeof pass);
    return rc;
}

/* Writes text to path through a temporary file and a rename, or to stdout for "-". */
static int write_output(const char *path, const char *text, size_t len)
{
    if (strcmp(path, "-") == 0)
        return fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = n > 0 && n < (int)sizeof tmp ? fopen(tmp, "w") : NULL;
    if (f == NULL)
        return -1;
    bool ok = fwrite(text, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    struct keys_args a;
    int r = parse_args("export-trust-list", argc, argv, &a, true);
    if (r != 0)
        return r == 1 ? 0 : r;
    char dir[PATH_MAX], pass[CONFIG_VALUE_MAX + 1], err[KEYSTORE_ERR_SIZE];
    bool has = false;
    struct keystore ks = {0};
    struct signer *signer = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = 1;
    if (prepare(&a, dir, pass, sizeof pass, &has) != 0)
        goto cleanup;
    /* The same signer process `padron serve` uses: only it reads the private keys. */
    struct signer_config sc = {dir, has ? pass : NULL, false, NULL};
    struct signer_started started;
    if (!(signer = signer_start(&sc, &started, err, sizeof err)) ||
        keystore_load(dir, false, NULL, &ks, err, sizeof err) != 0 ||
        !(text = trust_list_build(&ks, signer, NULL, (int64_t)time(NULL), &len, err, sizeof err))) {
        fprintf(stderr, "padron keys export-trust-list: %s\n", err);
        goto cleanup;
    }
    if (write_output(a.file, text, len) != 0 ||
        (strcmp(a.file, "-") == 0 && fputc('\n', stdout) == EOF)) {
        fprintf(stderr, "padron keys export-trust-list: %s: %s\n", a.file, strerror(errno));
        goto cleanup;
    }
    if (strcmp(a.file, "-") != 0) {
        char kid[KEYS_KID_TEXT_SIZE];
        keys_kid_text(started.kid, kid);
        fprintf(stderr, "padron keys: wrote the trust list to %s, signed by key %s\n", a.file, kid);
    }
    rc = 0;
cleanup:
    sodium_memzero(pass, sizeof pass);
    free(text);
    keystore_release(&ks);
    signer_free(signer);
    return rc;
}

int cli_keys(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"generate", cmd_generate},
        {"list", cmd_list},
        {"export-trust-list", cmd_export},
        {NULL, NULL},
    };
    return cli_dispatch("keys", usage_text, table, argc, argv);
}
