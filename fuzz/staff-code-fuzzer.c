/* libFuzzer harness for src/web/staff.c: staff_code_hash on any bytes (a code as
 * a person types it on /personal/contrasena or in POST /api/v1/staff/password).
 *
 * Invariants checked (abort on violation):
 * - it never reads past size (a private copy, so ASan sees it);
 * - an accepted input holds exactly 20 code characters, and the code rebuilt from
 *   them (upper case, O as 0, I and L as 1, in groups of four) hashes the same;
 * - an input with a NUL or any byte outside the code alphabet, space and dash is
 *   refused;
 * - the same input always hashes the same.
 */
#include "web/staff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static char canonical(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    return c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *s = malloc(size ? size : 1);
    require(s != NULL);
    memcpy(s, data, size);
    uint8_t hash[STORE_TOKEN_HASH_LEN], again[STORE_TOKEN_HASH_LEN];
    int rc = staff_code_hash(s, size, hash);
    require(rc == 0 || rc == -1);
    bool clean = true;
    char rebuilt[STAFF_CODE_TEXT + 8];
    size_t chars = 0, at = 0;
    for (size_t i = 0; i < size; i++) {
        if (s[i] == ' ' || s[i] == '-')
            continue;
        char c = canonical(s[i]);
        if (c == '\0' || !strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c)) {
            clean = false;
            continue;
        }
        if (chars < STAFF_CODE_CHARS) {
            if (chars > 0 && chars % 4 == 0)
                rebuilt[at++] = '-';
            rebuilt[at++] = c;
        }
        chars++;
    }
    rebuilt[at] = '\0';
    require((rc == 0) == (clean && chars == STAFF_CODE_CHARS));
    if (rc == 0) {
        require(staff_code_hash(rebuilt, strlen(rebuilt), again) == 0);
        require(memcmp(hash, again, sizeof hash) == 0);
        require(staff_code_hash(s, size, again) == 0 && memcmp(hash, again, sizeof hash) == 0);
    }
    free(s);
    return 0;
}
