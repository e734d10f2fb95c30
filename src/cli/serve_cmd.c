#include "cli/commands.h"

#include <stdio.h>

int cli_serve(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "padron: %s is being written\n", argv[0]);
    return 2;
}
