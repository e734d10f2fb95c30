/*
 * commands: the subcommands of the padron binary.
 *
 * Each takes the arguments after "padron" (argv[0] is the subcommand's name) and
 * returns the process exit status: 0 success, 1 when an input was invalid or an
 * operation failed, 2 on a usage error. Each prints its own help for --help.
 * Messages for the operator go to stderr; results go to stdout.
 */
#ifndef PADRON_CLI_COMMANDS_H
#define PADRON_CLI_COMMANDS_H

int cli_curp(int argc, char **argv);
int cli_nss(int argc, char **argv);
int cli_catalog(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_facility(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_letter(int argc, char **argv);
int cli_revoke(int argc, char **argv);
int cli_keys(int argc, char **argv);
int cli_verify(int argc, char **argv);
int cli_schedule(int argc, char **argv);
int cli_staff(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_synth(int argc, char **argv);
int cli_crosscheck(int argc, char **argv);
int cli_migrate(int argc, char **argv);

#endif
