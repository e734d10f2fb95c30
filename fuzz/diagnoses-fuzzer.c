/*
 * diagnoses: fuzzes the CIE-10 source row parser ("HEADER\nLINE", as the import
 * reads them) and the code normalizer: a normalized code is canonical (a capital,
 * two digits, maybe a third), normalizing it again gives itself, and every refusal
 * says why.
 */
#include "catalog/diagnoses.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_code(const char *s, size_t len)
{
    char code[DIAGNOSIS_CODE_SIZE], again[DIAGNOSIS_CODE_SIZE], dotted[DIAGNOSIS_DOTTED];
    if (diagnoses_code_normalize(s, len, code) != 0)
        return;
    size_t n = strlen(code);
    if ((n != 3 && n != 4) || code[0] < 'A' || code[0] > 'Z')
        abort();
    for (size_t i = 1; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            abort();
    if (diagnoses_code_normalize(code, n, again) != 0 || strcmp(code, again) != 0)
        abort();
    diagnoses_code_dotted(code, dotted);
    if (diagnoses_code_normalize(dotted, strlen(dotted), again) != 0 || strcmp(code, again) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    if (size > MAX_INPUT)
        return 0;
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t hlen = nl ? (size_t)(nl - s) : size;
    const char *line = nl ? nl + 1 : s + size;
    size_t line_len = size - hlen - (nl ? 1 : 0);
    check_code(s, size < 16 ? size : 16);
    err[0] = '\0';
    if (diagnoses_parse_line(s, hlen, line, line_len, err, sizeof err) != 0 && err[0] == '\0')
        abort(); /* every refusal says why */
    return 0;
}
