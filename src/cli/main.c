/* padron: the entry point; dispatches to the subcommands in commands.h. */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

#define PADRON_VERSION "0.1.0"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"curp", cli_curp,
     "validate CURPs, derive the stem from a person's data, compute check digits"},
    {"nss", cli_nss, "validate IMSS social security numbers (NSS)"},
    {"catalog", cli_catalog, "look up states, municipalities, postal codes and facilities"},
    {"import", cli_import,
     "import catalogs (postal codes, facility cuts, CIE-10 diagnoses) and affiliation rolls"},
    {"facility", cli_facility, "the operating units nearest to a point, by level of care"},
    {"serve", cli_serve, "start the web service"},
    {"letter", cli_letter, "issue a signed Carta de No Afiliación as a PDF"},
    {"revoke", cli_revoke, "revoke a credential or a letter"},
    {"schedule", cli_schedule, "a unit's appointment slots, places per slot and closed days"},
    {"keys", cli_keys, "generate and list the signing keys, export the signed trust list"},
    {"verify", cli_verify, "check a credential's or letter's QR text offline"},
    {"staff", cli_staff, "add, list and disable staff accounts (roles at units)"},
    {"audit", cli_audit, "verify the audit log's hash chain, list who read a person's data"},
    {"synth", cli_synth, "write synthetic enrollments and affiliation rolls (tests, benchmarks)"},
    {"crosscheck", cli_crosscheck,
     "find active enrollments now in the IMSS or ISSSTE rolls; suspend and notify them"},
    {"migrate", cli_migrate, "move an installation from its SQLite file into PostgreSQL, verified"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: padron COMMAND [ARGS]\n\n"
               "padron enrolls people into free public health care (IMSS-Bienestar).\n\n"
               "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-9s %s\n", "help", "this text, or `padron help COMMAND` for one command");
    fprintf(f, "\nCommands that read or write state take --data DIR (default ./var).\n"
               "Each command documents itself: padron COMMAND --help\n");
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("padron %s\n", PADRON_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        const struct command *c = find(argv[2]);
        if (!c) {
            fprintf(stderr, "padron: unknown command '%s'\n", argv[2]);
            return 2;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return c->run(2, help_argv);
    }
    const struct command *c = find(name);
    if (!c) {
        fprintf(stderr, "padron: unknown command '%s'; run `padron help` for the list\n", name);
        return 2;
    }
    return c->run(argc - 1, argv + 1);
}
