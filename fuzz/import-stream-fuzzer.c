/*
 * import-stream: fuzzes the streaming imports end to end (catalog/csv_stream.h and
 * catalog/keyed_sink.h under postal_import and diagnoses_import): the input is
 * written to a file and imported. The first byte picks the import (even: CIE-10,
 * odd: SEPOMEX without the INEGI checks). Oracles: a failure says why; the tally
 * never counts more rows than lines; an import with a refused row fails; and what
 * an import writes, the loader takes back (sorted, well formed), with as many
 * rows as were taken.
 */
#include "catalog/diagnoses.h"
#include "catalog/postal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], src[96];

/* Removes what the imports left in dir, and dir, when the fuzzer exits. */
static void teardown(void)
{
    static const char *const left[] = {"source", "catalog/" DIAGNOSES_FILE,
                                       "catalog/postal-codes.tsv", "catalog"};
    char path[128];
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, left[i]);
        (void)remove(path);
    }
    (void)remove(dir);
}

static void setup(void)
{
    if (dir[0])
        return;
    snprintf(dir, sizeof dir, "/tmp/padron-import-fuzz-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(src, sizeof src, "%s/source", dir);
    atexit(teardown);
}

static void check_tally(const struct csv_tally *t, int rc)
{
    if (t->taken + t->refused > t->lines || (t->refused > 0 && rc == 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024] = "";
    if (size < 1 || size > MAX_INPUT)
        return 0;
    setup();
    FILE *f = fopen(src, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();
    if (data[0] % 2 == 0) {
        struct csv_tally tally;
        struct diagnoses *t = NULL;
        size_t count = 0;
        int rc = diagnoses_import(src, dir, NULL, &count, &tally, err, sizeof err);
        check_tally(&tally, rc);
        if (rc != 0 && err[0] == '\0')
            abort();
        if (rc == 0 && (diagnoses_load(dir, &t, err, sizeof err) != 0 ||
                        diagnoses_count(t) != count || count != tally.taken))
            abort();
        diagnoses_free(t);
    } else {
        struct postal_stats st, loaded;
        struct postal_table *t = NULL;
        int rc = postal_import(NULL, src, dir, data[0] % 4 == 3, NULL, &st, err, sizeof err);
        check_tally(&st.tally, rc);
        if (rc != 0 && err[0] == '\0')
            abort();
        if (rc == 0) {
            if (postal_load(dir, &t, err, sizeof err) != 0)
                abort();
            postal_table_stats(t, &loaded);
            if (loaded.settlements != st.settlements || loaded.postal_codes != st.postal_codes ||
                st.settlements != st.tally.taken)
                abort();
            postal_free(t);
        }
    }
    return 0;
}
