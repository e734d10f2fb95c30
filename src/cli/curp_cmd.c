/* padron curp: check, derive, check-digit. */
#include "cli/commands.h"

#include "cli/input.h"
#include "core/civil_date.h"
#include "core/curp.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: padron curp check [--today YYYY-MM-DD] CURP...\n"
    "       padron curp check [--today YYYY-MM-DD] -        (one CURP per line on stdin)\n"
    "       padron curp derive --given NAMES --first-surname S1 [--second-surname S2]\n"
    "                          --birth YYYY-MM-DD --sex H|M|X --state CODE|NE\n"
    "       padron curp check-digit STEM17\n"
    "\n"
    "check: validates each CURP against RENAPO's rules (positions, real birth date with the\n"
    "century from position 17, sex H/M/X, the 32 state codes and NE, internal consonants,\n"
    "inconvenient words, check digit) and prints one TAB-separated line per input:\n"
    "  CURP  valid    birth=YYYY-MM-DD  sex=H|M|X  state=CODE  state_name=NAME  [note=...]\n"
    "  INPUT invalid  CODE: message\n"
    "CODE is one of length, charset, initials, position_2, date, sex, state, consonants,\n"
    "check_digit, inconvenient_word. Input is trimmed; lower case is accepted, upper-cased,\n"
    "and noted. A birth date after --today (default: the current date) is invalid.\n"
    "Exit status: 0 all valid, 1 any invalid, 2 usage error.\n"
    "\n"
    "derive: prints positions 1-16 computed from the person's data, then one line per\n"
    "exception of the Instructivo that applied. Position 17 is assigned by RENAPO.\n"
    "\n"
    "check-digit: prints the 18th character for the first 17.\n";

static int check_one(void *ctx, const char *s, size_t len)
{
    const long *today_key = ctx;
    struct curp_result r;
    char message[256];
    if (curp_validate(s, len, *today_key, &r) != CURP_VALID) {
        const char *t = cli_trim(s, &len);
        cli_print_escaped(stdout, t, len);
        curp_describe(&r, message, sizeof message);
        printf("\tinvalid\t%s\n", message);
        return 1;
    }
    printf("%s\tvalid\tbirth=%04d-%02d-%02d\tsex=%c\tstate=%s\tstate_name=%s%s\n", r.curp, r.year,
           r.month, r.day, r.sex, r.state, curp_state_name(r.state),
           r.upper_cased ? "\tnote=upper-cased from the input" : "");
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {{"today", required_argument, NULL, 't'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    long today_key = cli_today_key();
    int year, month, day, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 't':
            if (civil_parse_date(optarg, strlen(optarg), &year, &month, &day) != 0)
                return cli_usage_error("curp", "--today: '%s' is not a date YYYY-MM-DD", optarg);
            today_key = civil_date_key(year, month, day);
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return 2;
        }
    }
    int status = cli_for_each_input(argc - optind, argv + optind, check_one, &today_key);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "padron curp: writing the results failed\n");
        return 2;
    }
    return status;
}

static int cmd_derive(int argc, char **argv)
{
    static const struct option options[] = {{"given", required_argument, NULL, 'g'},
                                            {"first-surname", required_argument, NULL, '1'},
                                            {"second-surname", required_argument, NULL, '2'},
                                            {"birth", required_argument, NULL, 'b'},
                                            {"sex", required_argument, NULL, 's'},
                                            {"state", required_argument, NULL, 'e'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    struct curp_person p = {0};
    const char *birth = NULL, *sex = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'g':
            p.given_names = optarg;
            break;
        case '1':
            p.first_surname = optarg;
            break;
        case '2':
            p.second_surname = optarg;
            break;
        case 'b':
            birth = optarg;
            break;
        case 's':
            sex = optarg;
            break;
        case 'e':
            p.state = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return 2;
        }
    }
    if (optind < argc)
        return cli_usage_error("curp", "derive: unexpected argument '%s'", argv[optind]);
    const char *missing = !p.given_names     ? "--given"
                          : !p.first_surname ? "--first-surname"
                          : !birth           ? "--birth"
                          : !sex             ? "--sex"
                          : !p.state         ? "--state"
                                             : NULL;
    if (missing)
        return cli_usage_error("curp", "derive: %s is required", missing);
    if (civil_parse_date(birth, strlen(birth), &p.year, &p.month, &p.day) != 0)
        return cli_usage_error("curp", "--birth: '%s' is not a real date YYYY-MM-DD", birth);
    if (strlen(sex) != 1)
        return cli_usage_error("curp", "--sex: '%s' must be H, M or X", sex);
    p.sex = sex[0];

    struct curp_derivation d;
    if (curp_derive(&p, &d) != 0) {
        fprintf(stderr, "padron curp derive: %s\n", d.error);
        return 1;
    }
    printf("%s\n", d.stem);
    for (int i = 0; i < d.n_notes; i++)
        printf("  %s\n", d.notes[i].text);
    return 0;
}

static int cmd_check_digit(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc != 2)
        return cli_usage_error("curp", "check-digit: %s", "give exactly one 17-character stem");
    char stem[CURP_LENGTH + 1];
    size_t len = strlen(argv[1]);
    if (len != CURP_LENGTH - 1)
        return cli_usage_error("curp", "check-digit: '%s' is not 17 characters", argv[1]);
    for (size_t i = 0; i < len; i++) {
        char ch = argv[1][i];
        stem[i] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    char digit = curp_check_digit(stem);
    if (digit == 0)
        return cli_usage_error("curp", "check-digit: '%s' may only hold letters A-Z and digits",
                               argv[1]);
    printf("%c\n", digit);

    /* The digit is right for any 17 characters; say so when they are not a CURP. */
    stem[17] = digit;
    struct curp_result r;
    char message[256];
    if (curp_validate(stem, CURP_LENGTH, 0, &r) != CURP_VALID) {
        curp_describe(&r, message, sizeof message);
        fprintf(stderr, "padron curp check-digit: note: %.18s is still not a valid CURP (%s)\n",
                stem, message);
    }
    return 0;
}

int cli_curp(int argc, char **argv)
{
    static const struct cli_subcommand table[] = {
        {"check", cmd_check},
        {"derive", cmd_derive},
        {"check-digit", cmd_check_digit},
        {NULL, NULL},
    };
    return cli_dispatch("curp", usage_text, table, argc, argv);
}
