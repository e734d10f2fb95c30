/* padron letter issue: a Carta de No Afiliación from the command line, for an
 * office desk or a batch; padron revoke: withdraws a credential or a letter. Both
 * work on the data directory of `padron serve` (its database and signing keys),
 * with the same rules as the web (issuance/). */
#include "cli/commands.h"

#include "cli/config.h"
#include "cli/input.h"
#include "cli/workspace.h"
#include "core/contact.h"
#include "core/curp.h"
#include "core/folio.h"
#include "core/person_name.h"
#include "credential/signer.h"
#include "issuance/documents.h"
#include "issuance/issuance.h"
#include "store/store.h"

#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char letter_usage[] =
    "usage: padron letter issue --curp CURP --institution IMSS|ISSSTE --out FILE.pdf\n"
    "                           [--email ADDRESS] [--lang es|en] [--data DIR]\n"
    "                           [--given-names TEXT --first-surname TEXT\n"
    "                            [--second-surname TEXT]]\n\n"
    "Issues a signed Carta de No Afiliación al IMSS or al ISSSTE when that institution's\n"
    "roll (padron import affiliations) does not list the CURP as active, and writes it\n"
    "as a PDF to FILE (- for standard output). With --email, the letter is also mailed\n"
    "(queued; `padron serve` delivers it). Names are optional; given, they must match\n"
    "the CURP. Prints the folio and the URL where anyone checks the letter.\n"
    "Exit status: 0 issued; 1 refused (affiliated, no roll) or failed; 2 usage error.\n";

static const char revoke_usage[] =
    "usage: padron revoke ID [--reason TEXT] [--data DIR]\n\n"
    "Revokes the credential (CR26-...) or letter (NA26-...) with this id: from now on\n"
    "verifiers answer `revoked`, and it is on /.well-known/padron/revoked until it\n"
    "would have expired. The reason (default \"staff\") is kept for the record.\n"
    "Exit status: 0 revoked; 1 unknown or already revoked, or failed; 2 usage error.\n";

struct letter_args {
    const char *curp, *institution, *out, *email, *lang, *data;
    const char *given, *first, *second;
};

static int parse_letter_args(int argc, char **argv, struct letter_args *a)
{
    *a = (struct letter_args){.lang = "es", .email = ""};
    for (int i = 1; i < argc; i++) {
        struct {
            const char *name;
            const char **out;
        } options[] = {{"--curp", &a->curp},
                       {"--institution", &a->institution},
                       {"--out", &a->out},
                       {"--email", &a->email},
                       {"--lang", &a->lang},
                       {"--data", &a->data},
                       {"--given-names", &a->given},
                       {"--first-surname", &a->first},
                       {"--second-surname", &a->second}};
        int r = 0;
        for (size_t k = 0; r == 0 && k < sizeof options / sizeof options[0]; k++)
            r = cli_option_value(options[k].name, argc, argv, &i, options[k].out);
        if (r < 0)
            return cli_usage_error("letter", "option %s needs a value", argv[i]);
        if (r == 0)
            return cli_usage_error("letter", "unknown argument '%s'", argv[i]);
    }
    if (!a->curp || !a->institution || !a->out)
        return cli_usage_error("letter", "--curp, --institution and --out are required");
    if (strcmp(a->lang, "es") != 0 && strcmp(a->lang, "en") != 0)
        return cli_usage_error("letter", "--lang: es or en");
    return 0;
}

/* Checks the person's data into rq; prints what is wrong and returns -1. */
static int check_request(const struct letter_args *a, struct curp_result *curp,
                         struct issuance_letter_request *rq, char email[CONTACT_EMAIL_MAX + 1])
{
    char why[256];
    if (curp_validate(a->curp, strlen(a->curp), cli_today_key(), curp) != CURP_VALID) {
        curp_describe(curp, why, sizeof why);
        fprintf(stderr, "padron letter: --curp: %s\n", why);
        return -1;
    }
    rq->curp = curp->curp;
    if (strcasecmp(a->institution, "IMSS") == 0)
        rq->institution = STORE_IMSS;
    else if (strcasecmp(a->institution, "ISSSTE") == 0)
        rq->institution = STORE_ISSSTE;
    else {
        fprintf(stderr, "padron letter: --institution: IMSS or ISSSTE\n");
        return -1;
    }
    email[0] = '\0';
    if (a->email[0] && contact_email(a->email, strlen(a->email), email) != CONTACT_OK) {
        fprintf(stderr, "padron letter: --email: not a valid address\n");
        return -1;
    }
    rq->email = email;
    rq->language = a->lang;
    if (!a->given && !a->first && !a->second)
        return 0;
    struct {
        const char *flag, *text;
        char *out;
    } names[] = {{"--given-names", a->given, rq->names.given_names},
                 {"--first-surname", a->first, rq->names.first_surname},
                 {"--second-surname", a->second, rq->names.second_surname}};
    for (size_t i = 0; i < 3; i++) {
        char bad[5];
        if (!names[i].text && i < 2) {
            fprintf(stderr, "padron letter: %s is required with the other names\n", names[i].flag);
            return -1;
        }
        if (names[i].text && person_name_clean(names[i].text, strlen(names[i].text), names[i].out,
                                               bad) != PERSON_NAME_OK) {
            fprintf(stderr, "padron letter: %s: not a name as the CURP record writes it\n",
                    names[i].flag);
            return -1;
        }
    }
    struct person_name_mismatch m;
    if (person_name_match(rq->names.given_names, rq->names.first_surname, rq->names.second_surname,
                          curp, &m) != 0) {
        fprintf(stderr, "padron letter: the names do not match the CURP (%s: the CURP has %s)\n",
                person_name_field_code(m.field), m.curp);
        return -1;
    }
    return 0;
}

/* Writes the PDF to path ("-": standard output). */
static int write_pdf(const char *path, const uint8_t *pdf, size_t len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    bool ok = f != NULL && fwrite(pdf, 1, len, f) == len;
    if (f != NULL && f != stdout)
        ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "padron letter: %s: cannot write it\n", path);
    return ok ? 0 : -1;
}

static int letter_issue(int argc, char **argv)
{
    struct letter_args a;
    int rc = parse_letter_args(argc, argv, &a);
    if (rc != 0)
        return rc;
    struct curp_result curp;
    struct issuance_letter_request rq = {0};
    char email[CONTACT_EMAIL_MAX + 1];
    if (check_request(&a, &curp, &rq, email) != 0)
        return 1;
    /* Nobody downloads this letter through the web: its download key is random
     * and forgotten at once. */
    randombytes_buf(rq.download_hash, sizeof rq.download_hash);

    struct workspace w;
    struct signer *signer = NULL;
    char err[512], keys[PATH_MAX + 8], public_url[CONFIG_VALUE_MAX + 16];
    rc = 1;
    if (workspace_open("letter", a.data, &w) != 0)
        goto done;
    snprintf(keys, sizeof keys, "%s/keys", w.dir);
    char passphrase[CONFIG_VALUE_MAX + 1];
    int has = config_key_passphrase(&w.conf, passphrase, sizeof passphrase, err, sizeof err);
    if (has >= 0) {
        struct signer_config sc = {keys, has ? passphrase : NULL, false, NULL};
        struct signer_started started;
        signer = signer_start(&sc, &started, err, sizeof err);
    }
    sodium_memzero(passphrase, sizeof passphrase);
    if (!signer) {
        fprintf(stderr, "padron letter: %s\n", err);
        goto done;
    }
    workspace_public_url(&w, public_url, sizeof public_url);

    struct issuance is = {.store = w.store, .signer = signer};
    struct documents_mail mail = {config_str(&w.conf, CONFIG_MAIL_FROM), public_url};
    struct store_letter l;
    struct store_affiliation found;
    switch (issuance_letter(&is, &rq, (int64_t)time(NULL), email[0] ? documents_letter_mail : NULL,
                            &mail, &l, &found, err, sizeof err)) {
    case ISSUANCE_OK: {
        uint8_t *pdf = NULL;
        size_t len = 0;
        if (documents_letter_pdf(&l, public_url, &pdf, &len, err, sizeof err) != 0) {
            fprintf(stderr, "padron letter: %s (the letter %s is recorded)\n", err, l.folio);
            break;
        }
        if (write_pdf(a.out, pdf, len) == 0) {
            char url[1100];
            documents_letter_url(public_url, l.folio, url, sizeof url);
            fprintf(strcmp(a.out, "-") == 0 ? stderr : stdout, "%s\t%s\n", l.folio, url);
            rc = 0;
        }
        free(pdf);
        break;
    }
    case ISSUANCE_AFFILIATED:
        fprintf(stderr, "padron letter: %s is an active %s beneficiary: no letter\n", rq.curp,
                store_institution_name(rq.institution));
        break;
    case ISSUANCE_NO_ROLL:
        fprintf(stderr,
                "padron letter: the %s roll was never imported (padron import affiliations)\n",
                store_institution_name(rq.institution));
        break;
    default:
        fprintf(stderr, "padron letter: %s\n", err);
        break;
    }
done:
    signer_free(signer);
    workspace_close(&w);
    return rc;
}

int cli_letter(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {{"issue", letter_issue}, {NULL, NULL}};
    return cli_dispatch("letter", letter_usage, table, argc, argv);
}

int cli_revoke(int argc, char **argv)
{
    const char *id = NULL, *reason = "staff", *data = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(revoke_usage, stdout);
            return 0;
        }
        int r = cli_option_value("--reason", argc, argv, &i, &reason);
        if (r == 0)
            r = cli_option_value("--data", argc, argv, &i, &data);
        if (r < 0)
            return cli_usage_error("revoke", "option %s needs a value", argv[i]);
        if (r == 0 && (argv[i][0] == '-' || id))
            return cli_usage_error("revoke", "unexpected argument '%s'", argv[i]);
        if (r == 0)
            id = argv[i];
    }
    char canonical[FOLIO_LENGTH + 1];
    if (!id || !(folio_normalize_kind(FOLIO_CREDENTIAL, id, strlen(id), canonical) ||
                 folio_normalize_kind(FOLIO_LETTER, id, strlen(id), canonical)))
        return cli_usage_error("revoke", "ID: a credential (CR26-...) or letter (NA26-...) id");
    if (strlen(reason) > 60)
        return cli_usage_error("revoke", "--reason: at most 60 characters");
    struct workspace w;
    char err[512];
    int rc = 1;
    if (workspace_open("revoke", data, &w) == 0) {
        int r =
            store_issued_revoke(w.store, canonical, reason, (int64_t)time(NULL), err, sizeof err);
        if (r == 1) {
            printf("revoked %s\n", canonical);
            rc = 0;
        } else if (r == 0) {
            fprintf(stderr, "padron revoke: %s: no such credential or letter in force\n",
                    canonical);
        } else {
            fprintf(stderr, "padron revoke: %s\n", err);
        }
    }
    workspace_close(&w);
    return rc;
}
