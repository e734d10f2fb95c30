/*
 * input: the shared input conventions of the "check" subcommands.
 *
 * Inputs come either from the command line (one per argument) or, when the only
 * argument is "-", from standard input, one per line (LF or CRLF). A line longer
 * than CLI_MAX_LINE bytes is not passed on: it is reported on stdout as invalid
 * ("length") in the same TAB-separated format, so one hostile line cannot make the
 * process allocate without bound.
 */
#ifndef PADRON_CLI_INPUT_H
#define PADRON_CLI_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_LINE 4096

/* Called once per input; returns 0 when the input was valid, 1 when not. */
typedef int cli_input_fn(void *ctx, const char *s, size_t len);

/* Runs fn over args[0..n) or, when n == 1 and args[0] is "-", over the lines of
 * stdin. Returns 0 when every input was valid, 1 when any was not, 2 when there
 * was no input argument or stdin could not be read (a message is printed). */
int cli_for_each_input(int n, char **args, cli_input_fn *fn, void *ctx);

/* Writes the len bytes at s to f with TAB, control and non-UTF-8 bytes escaped as
 * \xNN, so one input always stays one field of one output line. */
void cli_print_escaped(FILE *f, const char *s, size_t len);

/* Trims ASCII whitespace from both ends of s[0..*len); returns the new start. */
const char *cli_trim(const char *s, size_t *len);

/* Prints "padron COMMAND: message" and where to find help to stderr; returns 2,
 * the exit status of a usage error. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One subcommand of a command: its name and what runs it (argv[0] is its name). */
struct cli_subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
};

/* Runs the subcommand argv[1] of command from table (NULL-name terminated): help
 * (--help, -h, help) prints usage to stdout and returns 0; a missing or unknown
 * subcommand is a usage error (2). */
int cli_dispatch(const char *command, const char *usage, const struct cli_subcommand *table,
                 int argc, char **argv);

/* "--name VALUE" or "--name=VALUE" at argv[*i]: 1 when it is that option (*out
 * set, *i moved past a separate value), 0 when it is not, -1 when its value is
 * missing or empty. */
int cli_option_value(const char *name, int argc, char **argv, int *i, const char **out);

/* Parses a time given on the command line: seconds since the epoch, a date
 * "YYYY-MM-DD" (its midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ". Returns 0 or -1. */
int cli_parse_time(const char *s, int64_t *out);

/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf (CLI_TIME_SIZE bytes). */
#define CLI_TIME_SIZE 32
void cli_format_time(int64_t t, char buf[CLI_TIME_SIZE]);

/* Today's date (local time) as civil_date_key(). */
long cli_today_key(void);

#endif
