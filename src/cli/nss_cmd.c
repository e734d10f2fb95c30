/* padron nss: check, check-digit. */
#include "cli/commands.h"

#include "cli/input.h"
#include "core/civil_date.h"
#include "core/nss.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: padron nss check [--today YYYY-MM-DD] NSS...\n"
    "       padron nss check [--today YYYY-MM-DD] -        (one NSS per line on stdin)\n"
    "       padron nss check-digit TEN_DIGITS\n"
    "\n"
    "check: validates each IMSS social security number (NSS): 11 digits whose last one\n"
    "is the Luhn check digit of the first 10, and a year of registration (digits 3-4)\n"
    "that is not before the year of birth (digits 5-6). Two-digit years are read\n"
    "against the year of --today (default: the current date): YY up to that year's\n"
    "last two digits falls in its century, a larger YY in the century before.\n"
    "Input is trimmed; nothing else is removed (no spaces or dashes inside).\n"
    "Prints one TAB-separated line per input:\n"
    "  NSS    valid    subdelegation=SS  registered=YYYY  born=YYYY  consecutive=NNNN\n"
    "  INPUT  invalid  CODE: message\n"
    "CODE is one of length, charset, check_digit, years. The codes and the keys are\n"
    "stable; the messages are for people. INPUT is the trimmed input with TAB, control\n"
    "and non-UTF-8 bytes written as \\xNN. For example:\n"
    "  92919084431  valid    subdelegation=92  registered=1991  born=1990  consecutive=8443\n"
    "  92919084437  invalid  check_digit: expected 1, found 7\n"
    "Exit status: 0 all valid, 1 any invalid, 2 usage error.\n"
    "\n"
    "check-digit: prints the 11th digit for the first 10.\n";

static int check_one(void *ctx, const char *s, size_t len)
{
    const int *current_year = ctx;
    struct nss_result r;
    char message[NSS_DESCRIBE_SIZE];
    if (nss_validate(s, len, *current_year, &r) != NSS_VALID) {
        const char *t = cli_trim(s, &len);
        cli_print_escaped(stdout, t, len);
        nss_describe(&r, message, sizeof message); /* cannot truncate at NSS_DESCRIBE_SIZE */
        printf("\tinvalid\t%s\n", message);
        return 1;
    }
    printf("%s\tvalid\tsubdelegation=%02d\tregistered=%04d\tborn=%04d\tconsecutive=%04d\n", r.nss,
           r.subdelegation, r.registration_year, r.birth_year, r.consecutive);
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {{"today", required_argument, NULL, 't'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int current_year = (int)(cli_today_key() / 10000);
    int year, month, day, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 't':
            if (civil_parse_date(optarg, strlen(optarg), &year, &month, &day) != 0)
                return cli_usage_error("nss", "--today: '%s' is not a date YYYY-MM-DD", optarg);
            current_year = year;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return 2;
        }
    }
    if (current_year < 1000)
        return cli_usage_error("nss", "the clock could not be read; give --today YYYY-MM-DD");
    int status = cli_for_each_input(argc - optind, argv + optind, check_one, &current_year);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "padron nss: writing the results failed\n");
        return 2;
    }
    return status;
}

static int cmd_check_digit(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc != 2)
        return cli_usage_error("nss", "check-digit: %s", "give exactly one argument of 10 digits");
    size_t len = strlen(argv[1]);
    const char *s = cli_trim(argv[1], &len);
    char digit = len == NSS_LENGTH - 1 ? nss_check_digit(s) : 0;
    if (digit == 0)
        return cli_usage_error("nss", "check-digit: '%s' is not 10 digits", argv[1]);
    printf("%c\n", digit);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "padron nss: writing the results failed\n");
        return 2;
    }
    return 0;
}

int cli_nss(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"check", cmd_check},
        {"check-digit", cmd_check_digit},
        {NULL, NULL},
    };
    return cli_dispatch("nss", usage_text, table, argc, argv);
}
