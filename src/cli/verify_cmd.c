/* padron verify: checks the text of a credential's or letter's QR code offline,
 * against a trust list (or the data directory's keys) and optionally a revocation
 * list, and prints the result and the decoded claims. */
#include "cli/commands.h"

#include "cli/input.h"
#include "credential/claims.h"
#include "credential/envelope.h"
#include "credential/keystore.h"
#include "credential/revocation_list.h"
#include "credential/trust_list.h"
#include "render/qr_scan.h"

#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LEEWAY_SECONDS 300

static const char usage_text[] =
    "usage: padron verify [--trust-list FILE] [--revoked FILE [--stale-revoked]]\n"
    "                     [--data DIR] [--at TIME] QRTEXT|-|--image FILE|--pdf FILE\n\n"
    "Checks the text of a credential's or letter's QR code (- reads it from standard\n"
    "input; --image reads the QR code in a PNG or JPEG photo, --pdf the one on a printed\n"
    "card or letter) without any network, and prints one of\n"
    "  valid, expired, not_yet_valid, revoked, unknown_key, bad_signature, malformed\n"
    "(after a colon, the reason; malformed names the layer: \"malformed: base45: ...\"),\n"
    "then the signed claims, one \"name: value\" per line.\n\n"
    "  --trust-list FILE  the signed trust list (padron keys export-trust-list, or\n"
    "                     /.well-known/padron/trust-list); without it, the keys of\n"
    "                     DIR/keys are trusted. With both, the list must be signed by\n"
    "                     one of DIR's keys; with the list alone, by one of its own\n"
    "                     keys: get it from a source you trust\n"
    "  --revoked FILE     the signed revocation list, checked against the trust list;\n"
    "                     a list past its next_update is refused (it may miss newer\n"
    "                     revocations: fetch /.well-known/padron/revoked again)\n"
    "  --stale-revoked    use such a list anyway, with a warning on standard error\n"
    "  --data DIR         padron's state directory (default ./var)\n"
    "  --at TIME          verify as of TIME (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or\n"
    "                     seconds since 1970) instead of now\n"
    "A credential signed by a key outside that key's validity window is unknown_key.\n"
    "Exit status: 0 valid, 3 expired, 4 not_yet_valid, 5 revoked, 6 unknown_key,\n"
    "7 bad_signature, 8 malformed; 2 on a usage error or an unusable trust or\n"
    "revocation list.\n";

/* The exit status of each result (0 only for valid). */
static int exit_status(enum envelope_result r)
{
    switch (r) {
    case ENVELOPE_VALID:
        return 0;
    case ENVELOPE_EXPIRED:
        return 3;
    case ENVELOPE_NOT_YET_VALID:
        return 4;
    case ENVELOPE_REVOKED:
        return 5;
    case ENVELOPE_UNKNOWN_KEY:
        return 6;
    case ENVELOPE_BAD_SIGNATURE:
        return 7;
    case ENVELOPE_MALFORMED:
        return 8;
    }
    return 8;
}

struct verify_trust {
    struct trust_list trust;
    struct revocation_list revoked;
    int64_t at;
};

static void print_field(const char *name, struct claims_text t)
{
    if (t.s == NULL)
        return;
    printf("%s: ", name);
    cli_print_escaped(stdout, t.s, t.len);
    putchar('\n');
}

static void print_time(const char *name, int64_t t)
{
    char text[CLI_TIME_SIZE];
    cli_format_time(t, text);
    printf("%s: %s\n", name, text);
}

static void print_claims(const struct envelope_verdict *v)
{
    if (v->iss != NULL) {
        printf("iss: ");
        cli_print_escaped(stdout, v->iss, v->iss_len);
        putchar('\n');
    }
    print_time("iat", v->iat);
    if (v->has_nbf)
        print_time("nbf", v->nbf);
    print_time("exp", v->exp);
    char id[2 * ENVELOPE_CTI_MAX];
    sodium_bin2base64(id, sizeof id, v->cti, v->cti_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    printf("credential_id: %s\n", id);
    if (v->payload == NULL)
        return;
    struct claims_person p;
    char why[CLAIMS_WHY_SIZE];
    if (claims_decode(v->payload, v->payload_len, &p, why) != 0) {
        printf("claims_error: %s\n", why);
        return;
    }
    printf("kind: %s\n", p.kind == CLAIMS_CREDENTIAL ? "credential" : "letter");
    print_field("folio", p.folio);
    print_field("curp", p.curp);
    print_field("given_names", p.given);
    print_field("first_surname", p.surname1);
    print_field("second_surname", p.surname2);
    print_field("birth_date", p.birth);
    print_field("program", p.program);
    if (p.level_count > 0) {
        printf("levels:");
        for (size_t k = 0; k < p.level_count; k++)
            printf(k > 0 ? ",%u" : " %u", (unsigned)p.levels[k]);
        putchar('\n');
    }
    print_field("clues", p.clues);
    print_field("institution", p.institution);
}

/* Verifies the QR text and prints the outcome; returns the exit status. Any
 * source of QR text (an argument, standard input, later an image or a PDF) ends
 * here. */
static int verify_text(const struct verify_trust *t, const char *text, size_t len)
{
    struct envelope_key *keys = calloc(t->trust.n ? t->trust.n : 1, sizeof *keys);
    if (keys == NULL) {
        fprintf(stderr, "padron verify: out of memory\n");
        return 2;
    }
    struct envelope_options opt = {
        NULL,           keys,         trust_list_envelope_keys(&t->trust, keys),
        t->revoked.ids, t->revoked.n, t->at,
        LEEWAY_SECONDS};
    struct envelope_verdict v;
    enum envelope_result r = envelope_verify(text, len, &opt, &v);
    printf("%s", envelope_result_code(r));
    if (r == ENVELOPE_MALFORMED)
        printf(": %s: %s", v.layer, v.reason);
    else if (r != ENVELOPE_VALID)
        printf(": %s", v.reason);
    putchar('\n');
    if (v.kid_len > 0) {
        char kid[2 * 64];
        sodium_bin2base64(kid, sizeof kid, v.kid, v.kid_len,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        printf("kid: %s\n", kid);
    }
    if (v.signed_ok)
        print_claims(&v);
    envelope_verdict_release(&v);
    free(keys);
    return exit_status(r);
}

/* Reads a whole small file (at most max bytes). NULL with a message on failure. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "padron verify: %s: cannot open it\n", path);
        return NULL;
    }
    char *buf = malloc(max + 2);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool bad = buf == NULL || ferror(f) || n > max;
    if (f != stdin)
        fclose(f);
    if (bad) {
        fprintf(stderr, "padron verify: %s: unreadable or over %zu bytes\n", path, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The trust (the list, else the data directory's keys) and the revocations. */
static int load_trust(const char *list, const char *revoked, bool stale_ok, const char *data,
                      bool data_given, struct verify_trust *t)
{
    char dir[PATH_MAX], err[KEYSTORE_ERR_SIZE];
    struct keystore ks = {0};
    struct trust_list local = {0};
    int rc = -1;
    int n = snprintf(dir, sizeof dir, "%s/keys", data);
    if (n < 0 || n >= (int)sizeof dir) {
        fprintf(stderr, "padron verify: --data: path too long\n");
        return -1;
    }
    bool use_local = !list || data_given;
    if (use_local && (keystore_load(dir, false, NULL, &ks, err, sizeof err) != 0 ||
                      trust_list_from_keystore(&ks, &local, err, sizeof err) != 0)) {
        fprintf(stderr, "padron verify: %s\n", err);
        goto cleanup;
    }
    if (list) {
        size_t len = 0;
        char *text = read_file(list, TRUST_LIST_MAX_BYTES, &len);
        if (text == NULL)
            goto cleanup;
        int r = trust_list_parse(text, len, data_given ? &local : NULL, &t->trust, err, sizeof err);
        free(text);
        if (r != 0) {
            fprintf(stderr, "padron verify: trust list %s: %s\n", list, err);
            goto cleanup;
        }
        if (data_given && !t->trust.anchored) {
            fprintf(stderr, "padron verify: trust list %s: not signed by a key of %s\n", list, dir);
            goto cleanup;
        }
    } else {
        t->trust = local;
        memset(&local, 0, sizeof local);
    }
    if (t->trust.n == 0) {
        fprintf(stderr, "padron verify: no trusted keys in %s: give --trust-list FILE\n", dir);
        goto cleanup;
    }
    if (revoked) {
        size_t len = 0;
        char *text = read_file(revoked, REVOCATION_LIST_MAX_BYTES, &len);
        if (text == NULL)
            goto cleanup;
        int r = revocation_list_parse(text, len, &t->trust, &t->revoked, err, sizeof err);
        free(text);
        if (r != 0) {
            fprintf(stderr, "padron verify: revocation list %s: %s\n", revoked, err);
            goto cleanup;
        }
        if (t->at >= t->revoked.next_update) {
            char due[CLI_TIME_SIZE];
            cli_format_time(t->revoked.next_update, due);
            fprintf(stderr,
                    "padron verify: revocation list %s: %s since %s, it may miss newer "
                    "revocations; %s\n",
                    revoked, stale_ok ? "warning: stale" : "stale", due,
                    stale_ok ? "checking with it anyway (--stale-revoked)"
                             : "fetch a fresh one, or give --stale-revoked to use it anyway");
            if (!stale_ok)
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    trust_list_release(&local);
    keystore_release(&ks);
    return rc;
}

/* The QR text in the image or PDF at path (pdf selects which), or NULL with a
 * message. */
static char *scan_file(const char *path, bool pdf, size_t *len)
{
    size_t size = 0;
    char *bytes = read_file(path, pdf ? QR_SCAN_MAX_PDF_BYTES : QR_SCAN_MAX_IMAGE_BYTES, &size);
    if (bytes == NULL)
        return NULL;
    struct qr_scan_result r;
    enum qr_scan_status st = pdf ? qr_scan_pdf((const uint8_t *)bytes, size, NULL, &r)
                                 : qr_scan_image((const uint8_t *)bytes, size, NULL, &r);
    free(bytes);
    if (st != QR_SCAN_OK) {
        fprintf(stderr, "padron verify: %s: %s\n", path, r.error);
        qr_scan_result_release(&r);
        return NULL;
    }
    char *text = r.text;
    *len = r.len;
    r.text = NULL;
    qr_scan_result_release(&r);
    return text;
}

int cli_verify(int argc, char **argv)
{
    const char *list = NULL, *revoked = NULL, *data = NULL, *at = NULL, *input = NULL;
    const char *image = NULL, *pdf = NULL;
    bool stale_ok = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int r;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (input)
                return cli_usage_error("verify", "one QR text at a time");
            input = arg;
            continue;
        }
        if (strcmp(arg, "--stale-revoked") == 0) {
            stale_ok = true;
            continue;
        }
        if ((r = cli_option_value("--trust-list", argc, argv, &i, &list)) == 0 &&
            (r = cli_option_value("--revoked", argc, argv, &i, &revoked)) == 0 &&
            (r = cli_option_value("--data", argc, argv, &i, &data)) == 0 &&
            (r = cli_option_value("--image", argc, argv, &i, &image)) == 0 &&
            (r = cli_option_value("--pdf", argc, argv, &i, &pdf)) == 0)
            r = cli_option_value("--at", argc, argv, &i, &at);
        if (r < 0)
            return cli_usage_error("verify", "option %s needs a value", arg);
        if (r == 0)
            return cli_usage_error("verify", "unknown option '%s'", arg);
    }
    if ((input != NULL) + (image != NULL) + (pdf != NULL) > 1)
        return cli_usage_error("verify", "one QR at a time: text, --image or --pdf");
    if (!input && !image && !pdf)
        return cli_usage_error("verify", "the QR text is missing (- reads standard input)");
    struct verify_trust t = {.at = (int64_t)time(NULL)};
    if (at && cli_parse_time(at, &t.at) != 0)
        return cli_usage_error("verify", "--at %s: not a TIME", at);
    if (stale_ok && !revoked)
        return cli_usage_error("verify", "--stale-revoked goes with --revoked FILE");
    if (load_trust(list, revoked, stale_ok, data ? data : "var", data != NULL, &t) != 0) {
        revocation_list_release(&t.revoked);
        trust_list_release(&t.trust);
        return 2;
    }
    int rc = 2;
    size_t len = input ? strlen(input) : 0;
    char *text = image                     ? scan_file(image, false, &len)
                 : pdf                     ? scan_file(pdf, true, &len)
                 : strcmp(input, "-") == 0 ? read_file("-", 2 * ENVELOPE_TEXT_MAX, &len)
                                           : NULL;
    if ((input && strcmp(input, "-") != 0) || text != NULL) {
        const char *s = text ? text : input;
        s = cli_trim(s, &len);
        rc = verify_text(&t, s, len);
    }
    free(text);
    revocation_list_release(&t.revoked);
    trust_list_release(&t.trust);
    return rc;
}
