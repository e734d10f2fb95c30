/* padron staff: staff accounts (add with a role at a unit or a state, list,
 * disable, a new set-password code); padron audit: verify the hash chain of the
 * audit log and list who read a person's data. Both work on the data directory of
 * `padron serve`. */
#include "cli/commands.h"

#include "catalog/catalog.h"
#include "cli/input.h"
#include "cli/workspace.h"
#include "core/contact.h"
#include "core/curp.h"
#include "notify/message.h"
#include "store/audit_chain.h"
#include "web/staff.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_HOURS 72

static const char staff_usage[] =
    "usage: padron staff add --role ROLE (--unit CLUES | --state NN) --email ADDRESS [--data DIR]\n"
    "       padron staff list [--data DIR]\n"
    "       padron staff disable --email ADDRESS [--data DIR]\n"
    "       padron staff code --email ADDRESS [--data DIR]\n\n"
    "Staff accounts. ROLE is receptionist, physician, social_worker or unit_admin (with\n"
    "--unit, the CLUES of a facility in operation in the catalog), or state_admin (with\n"
    "--state, the state's INEGI code). `add` prints a one-time code, valid 72 hours, that\n"
    "the person types at /personal/contrasena to choose a password; it is also mailed to\n"
    "them (queued: `padron serve` delivers it). `code` issues a new one (a forgotten\n"
    "password). `disable` ends the account and its sessions; accounts are never deleted.\n"
    "Exit status: 0 done; 1 refused or failed; 2 usage error.\n";

static const char audit_usage[] =
    "usage: padron audit verify [--anchor N:HASH] [--data DIR]\n"
    "       padron audit show --person CURP [--data DIR]\n\n"
    "verify walks the hash chain of the audit log and prints \"ok N records\", the head\n"
    "hash and the anchor \"N:HASH\" to keep elsewhere (a mail to the state, a ticket),\n"
    "or the first broken record (exit 1). With --anchor, the log must still hold record\n"
    "N with that hash: a log cut short or rewritten from the start is only caught so.\n"
    "show lists who read or changed the person's data:\n"
    "time, staff email, role, unit, action and client address, oldest first.\n"
    "Exit status: 0 ok; 1 broken chain or failure; 2 usage error.\n";

struct staff_args {
    const char *role, *unit, *state, *email, *data, *person, *anchor;
};

static int parse_args(const char *command, int argc, char **argv, struct staff_args *a)
{
    *a = (struct staff_args){0};
    for (int i = 1; i < argc; i++) {
        struct {
            const char *name;
            const char **out;
        } options[] = {{"--role", &a->role},    {"--unit", &a->unit}, {"--state", &a->state},
                       {"--email", &a->email},  {"--data", &a->data}, {"--person", &a->person},
                       {"--anchor", &a->anchor}};
        int r = 0;
        for (size_t k = 0; r == 0 && k < sizeof options / sizeof options[0]; k++)
            r = cli_option_value(options[k].name, argc, argv, &i, options[k].out);
        if (r < 0)
            return cli_usage_error(command, "option %s needs a value", argv[i]);
        if (r == 0)
            return cli_usage_error(command, "unknown argument '%s'", argv[i]);
    }
    return 0;
}

static int check_email(const char *command, const char *text, char out[CONTACT_EMAIL_MAX + 1])
{
    if (!text)
        return cli_usage_error(command, "--email is required");
    if (contact_email(text, strlen(text), out) != CONTACT_OK) {
        fprintf(stderr, "padron %s: --email: not a valid address\n", command);
        return 1;
    }
    return 0;
}

/* Checks the role and its unit or state against the catalog into st; prints what
 * is wrong and returns 1 (2 for a usage error). */
static int check_place(const struct staff_args *a, const struct workspace *w,
                       struct store_staff *st)
{
    enum staff_role role;
    if (!a->role || staff_role_parse(a->role, &role) != 0)
        return cli_usage_error("staff add", "--role: receptionist, physician, social_worker, "
                                            "unit_admin or state_admin");
    bool state_admin = role == STAFF_STATE_ADMIN;
    if (state_admin ? !a->state || a->unit : !a->unit || a->state)
        return cli_usage_error("staff add", state_admin
                                                ? "state_admin takes --state NN, no --unit"
                                                : "this role takes --unit CLUES, no --state");
    snprintf(st->role, sizeof st->role, "%s", staff_role_name(role));
    char dir[4096], err[512];
    struct catalog *catalog = NULL;
    if (catalog_find_dir(config_str(&w->conf, CONFIG_CATALOGS), dir, sizeof dir, err, sizeof err) !=
            0 ||
        catalog_load(dir, &catalog, err, sizeof err) != 0) {
        fprintf(stderr, "padron staff add: catalog: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (state_admin) {
        char *end;
        long code = strtol(a->state, &end, 10);
        if (*end || end == a->state || !catalog_state_by_code(catalog, (int)code)) {
            fprintf(stderr, "padron staff add: --state: not an INEGI state code (01-32)\n");
            rc = 1;
        }
        st->state = (int)code;
    } else {
        const struct catalog_facility *f = catalog_facility(catalog, a->unit);
        if (!f) {
            fprintf(stderr, "padron staff add: --unit: %s is not a facility of the catalog\n",
                    a->unit);
            rc = 1;
        } else if (f->status != CATALOG_IN_OPERATION) {
            fprintf(stderr, "padron staff add: --unit: %s (%s) is not in operation\n", f->clues,
                    f->name);
            rc = 1;
        } else {
            snprintf(st->unit, sizeof st->unit, "%s", f->clues);
        }
    }
    catalog_free(catalog);
    return rc;
}

/* The mail that carries a set-password code, in both languages. */
static int compose_code_mail(const struct workspace *w, const char *to, const char *code,
                             const char *link, int64_t now, char **message)
{
    char body[2048], err[256];
    snprintf(body, sizeof body,
             "Tiene una cuenta de personal en padron (IMSS-Bienestar).\n"
             "Para elegir su contraseña, abra\n\n    %s\n\n"
             "y escriba este código con su correo. Vale %d horas y una sola vez:\n\n"
             "    %s\n\n"
             "Si no esperaba este mensaje, avise a su administrador.\n\n"
             "---\n\n"
             "You have a padron staff account (IMSS-Bienestar).\n"
             "To choose your password, open the page above and type this code with your\n"
             "email address. It works once, within %d hours.\n",
             link, CODE_HOURS, code, CODE_HOURS);
    struct mail_text mt = {.from = config_str(&w->conf, CONFIG_MAIL_FROM),
                           .to = to,
                           .subject = "Su cuenta de personal en padron / Your padron staff account",
                           .body = body,
                           .date = now};
    if (mail_compose(&mt, message, err, sizeof err) != 0) {
        fprintf(stderr, "padron staff: composing the mail: %s\n", err);
        return -1;
    }
    return 0;
}

/* Issues a code for email through issue (add or new code); prints it. */
static int issue_code(struct workspace *w, const char *email, const struct store_staff *st)
{
    char code[STAFF_CODE_TEXT], url[CONFIG_VALUE_MAX + 16], link[CONFIG_VALUE_MAX + 64], err[512];
    uint8_t hash[STORE_TOKEN_HASH_LEN];
    char *message = NULL;
    int64_t now = (int64_t)time(NULL), expires = now + CODE_HOURS * 3600, id = 0;
    staff_code_new(code, hash);
    workspace_public_url(w, url, sizeof url);
    snprintf(link, sizeof link, "%s/personal/contrasena", url);
    int rc = 1;
    if (compose_code_mail(w, email, code, link, now, &message) != 0)
        goto done;
    int r =
        st ? store_staff_add(w->store, st, hash, expires, message, now, &id, err, sizeof err)
           : store_staff_new_code(w->store, email, hash, expires, message, now, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "padron staff: %s\n", err);
    } else if (r == 0) {
        fprintf(stderr,
                st ? "padron staff add: %s has an account already (padron staff code issues a "
                     "new code)\n"
                   : "padron staff code: %s has no enabled account\n",
                email);
    } else {
        if (st && st->unit[0])
            printf("added %s\t%s\t%s\n", email, st->role, st->unit);
        else if (st)
            printf("added %s\t%s\t%02d\n", email, st->role, st->state);
        printf("set-password code: %s (valid %d hours; mailed to %s)\nat: %s\n", code, CODE_HOURS,
               email, link);
        rc = 0;
    }
done:
    sodium_memzero(code, sizeof code);
    free(message);
    return rc;
}

static int staff_add(int argc, char **argv)
{
    struct staff_args a;
    struct store_staff st = {0};
    int rc = parse_args("staff add", argc, argv, &a);
    if (rc != 0 || (rc = check_email("staff add", a.email, st.email)) != 0)
        return rc;
    struct workspace w;
    if (workspace_open("staff add", a.data, &w) != 0) {
        workspace_close(&w);
        return 1;
    }
    rc = check_place(&a, &w, &st);
    if (rc == 0)
        rc = issue_code(&w, st.email, &st);
    workspace_close(&w);
    return rc;
}

static int staff_code(int argc, char **argv)
{
    struct staff_args a;
    char email[CONTACT_EMAIL_MAX + 1];
    int rc = parse_args("staff code", argc, argv, &a);
    if (rc != 0 || (rc = check_email("staff code", a.email, email)) != 0)
        return rc;
    struct workspace w;
    rc = workspace_open("staff code", a.data, &w) == 0 ? issue_code(&w, email, NULL) : 1;
    workspace_close(&w);
    return rc;
}

static int print_staff(void *ctx, const struct store_staff *st)
{
    (void)ctx;
    char created[CLI_TIME_SIZE];
    cli_format_time(st->created_at, created);
    const char *status = st->disabled_at ? "disabled" : st->password_set ? "active" : "no_password";
    if (st->unit[0])
        printf("%s\t%s\t%s\t%s\t%s\n", st->email, st->role, st->unit, status, created);
    else
        printf("%s\t%s\t%02d\t%s\t%s\n", st->email, st->role, st->state, status, created);
    return 0;
}

static int staff_list(int argc, char **argv)
{
    struct staff_args a;
    int rc = parse_args("staff list", argc, argv, &a);
    if (rc != 0)
        return rc;
    struct workspace w;
    char err[512];
    rc = 1;
    if (workspace_open("staff list", a.data, &w) == 0) {
        if (store_staff_each(w.store, print_staff, NULL, err, sizeof err) < 0)
            fprintf(stderr, "padron staff list: %s\n", err);
        else
            rc = 0;
    }
    workspace_close(&w);
    return rc;
}

static int staff_disable(int argc, char **argv)
{
    struct staff_args a;
    char email[CONTACT_EMAIL_MAX + 1], err[512];
    int rc = parse_args("staff disable", argc, argv, &a);
    if (rc != 0 || (rc = check_email("staff disable", a.email, email)) != 0)
        return rc;
    struct workspace w;
    rc = 1;
    if (workspace_open("staff disable", a.data, &w) == 0) {
        int r = store_staff_disable(w.store, email, (int64_t)time(NULL), err, sizeof err);
        if (r == 1) {
            printf("disabled %s\n", email);
            rc = 0;
        } else {
            fprintf(stderr, "padron staff disable: %s\n",
                    r == 0 ? "no enabled account has this email" : err);
        }
    }
    workspace_close(&w);
    return rc;
}

int cli_staff(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {{"add", staff_add},
                                                  {"list", staff_list},
                                                  {"disable", staff_disable},
                                                  {"code", staff_code},
                                                  {NULL, NULL}};
    return cli_dispatch("staff", staff_usage, table, argc, argv);
}

/* A walk of the log against an optional anchor: record seq whose hash was hash. */
struct audit_walk {
    struct audit_verifier v;
    int64_t anchor_seq; /* 0: no anchor */
    uint8_t anchor_hash[STORE_TOKEN_HASH_LEN];
    bool anchor_differs;
};

static int verify_each(void *ctx, const struct store_audit_record *r)
{
    struct audit_walk *walk = ctx;
    if (audit_verifier_add(&walk->v, r) != 0)
        return 1;
    if (walk->v.count == walk->anchor_seq &&
        sodium_memcmp(walk->v.head, walk->anchor_hash, STORE_TOKEN_HASH_LEN) != 0)
        walk->anchor_differs = true;
    return walk->anchor_differs;
}

/* "N:HEX" into walk's anchor: 0, or -1. */
static int parse_anchor(const char *text, struct audit_walk *walk)
{
    char *end = NULL;
    errno = 0;
    long long seq = strtoll(text, &end, 10);
    size_t bin_len = 0;
    if (errno != 0 || end == text || *end != ':' || seq < 1 ||
        strlen(end + 1) != 2 * STORE_TOKEN_HASH_LEN ||
        sodium_hex2bin(walk->anchor_hash, sizeof walk->anchor_hash, end + 1,
                       2 * STORE_TOKEN_HASH_LEN, NULL, &bin_len, NULL) != 0 ||
        bin_len != STORE_TOKEN_HASH_LEN)
        return -1;
    walk->anchor_seq = seq;
    return 0;
}

static int audit_verify(int argc, char **argv)
{
    struct staff_args a;
    int rc = parse_args("audit verify", argc, argv, &a);
    if (rc != 0)
        return rc;
    struct audit_walk walk = {0};
    if (a.anchor && parse_anchor(a.anchor, &walk) != 0)
        return cli_usage_error("audit verify",
                               "--anchor %s: not N:HASH (a record number and "
                               "64 hex digits, as verify printed them)",
                               a.anchor);
    struct workspace w;
    char err[512];
    audit_verifier_init(&walk.v);
    const struct audit_verifier *v = &walk.v;
    rc = 1;
    if (workspace_open("audit verify", a.data, &w) == 0) {
        if (store_audit_each(w.store, NULL, verify_each, &walk, err, sizeof err) < 0) {
            fprintf(stderr, "padron audit verify: %s\n", err);
        } else if (v->why) {
            printf("broken at record %lld: %s\n", (long long)v->broken_at, v->why);
        } else if (walk.anchor_differs) {
            printf("broken at record %lld: its hash is not the anchor's (the log was rewritten "
                   "up to there)\n",
                   (long long)walk.anchor_seq);
        } else if (v->count < walk.anchor_seq) {
            printf("broken after record %lld: the anchor names record %lld (records were "
                   "removed from the end)\n",
                   (long long)v->count, (long long)walk.anchor_seq);
        } else {
            char head[2 * STORE_TOKEN_HASH_LEN + 1];
            sodium_bin2hex(head, sizeof head, v->head, sizeof v->head);
            printf("ok %lld records\nhead %s\n", (long long)v->count, head);
            if (v->count > 0)
                printf("anchor %lld:%s\n", (long long)v->count, head);
            rc = 0;
        }
    }
    workspace_close(&w);
    return rc;
}

static int print_access(void *ctx, const struct store_audit_record *r)
{
    (void)ctx;
    char at[CLI_TIME_SIZE];
    cli_format_time(r->at, at);
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", at, r->staff_email[0] ? r->staff_email : "?", r->role,
           r->unit, r->action, r->client);
    return 0;
}

static int audit_show(int argc, char **argv)
{
    struct staff_args a;
    int rc = parse_args("audit show", argc, argv, &a);
    if (rc != 0)
        return rc;
    struct curp_result curp;
    if (!a.person)
        return cli_usage_error("audit show", "--person CURP is required");
    if (curp_validate(a.person, strlen(a.person), 0, &curp) != CURP_VALID) {
        fprintf(stderr, "padron audit show: --person: not a valid CURP\n");
        return 1;
    }
    struct workspace w;
    char err[512];
    rc = 1;
    if (workspace_open("audit show", a.data, &w) == 0) {
        if (store_audit_each(w.store, curp.curp, print_access, NULL, err, sizeof err) < 0)
            fprintf(stderr, "padron audit show: %s\n", err);
        else
            rc = 0;
    }
    workspace_close(&w);
    return rc;
}

int cli_audit(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"verify", audit_verify}, {"show", audit_show}, {NULL, NULL}};
    return cli_dispatch("audit", audit_usage, table, argc, argv);
}
