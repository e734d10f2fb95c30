/*
 * catalog: the reference catalogs padron ships in data/ (states, municipalities,
 * IMSS-Bienestar facilities, state participation), loaded once and read-only.
 *
 * Invariants:
 * - A struct catalog is immutable after catalog_load returns it, so any number of
 *   threads may read it; strings live as long as the catalog.
 * - Loading is all or nothing: catalog_load builds a fresh catalog and hands it
 *   over only when every file parsed and every check passed. A caller replacing a
 *   live catalog swaps pointers on success and keeps the old one on failure.
 * - Keys are unique and the arrays are sorted by them: states by INEGI code,
 *   municipalities by (state, municipality), facilities by CLUES. Every
 *   municipality names a loaded state; every facility names a loaded municipality.
 * - Coordinates are WGS84 decimal degrees inside Mexico's bounding box (latitude
 *   14..33, longitude -119..-86); a missing coordinate is absent, never 0.
 * - No clock: "participating" is always asked about a date the caller supplies.
 * - Errors go to a caller buffer as "FILE: line N: reason" (lowercase); a message
 *   longer than the buffer is cut short.
 *
 * Files in the catalog directory (each NAME.csv.gz or NAME.csv, not both):
 * inegi_estados, inegi_municipios, clues_imss_bienestar, participation, and two
 * optional ones, read when present: inegi_localidades (localities of 1,000+
 * inhabitants, with coordinates) and clues_horarios (opening hours by CLUES, read
 * by care/hours.h: a text it refuses is recorded as unknown, never guessed; rows
 * of keys that are not loaded facilities are ignored). Columns are found by
 * header name; extra columns are ignored.
 */
#ifndef PADRON_CATALOG_CATALOG_H
#define PADRON_CATALOG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

struct catalog;

struct catalog_coord {
    bool present;
    double lat, lon;
};

struct catalog_state {
    int code;                 /* INEGI cve_ent, 1-32 */
    char renapo[3];           /* 2 capital letters used by CURP and CLUES, e.g. "DF" */
    const char *name;         /* INEGI name, e.g. "Ciudad de México" */
    const char *abbreviation; /* INEGI abbreviation, e.g. "CDMX"; may be "" */
    long participating_since; /* yyyymmdd from participation.csv, 0 when not listed */
    unsigned long line;       /* source line, for messages */
};

struct catalog_municipality {
    int state;                     /* INEGI cve_ent */
    int code;                      /* INEGI cve_mun, 1-999 */
    const char *name;              /* nom_mun */
    const char *seat;              /* county seat (nom_cab), NULL when unknown */
    struct catalog_coord seat_pos; /* county-seat locality */
    struct catalog_coord centroid; /* polygon centroid (older vintage; see data/README.md) */
    unsigned long line;
};

enum catalog_status {
    CATALOG_IN_OPERATION,       /* EN OPERACION */
    CATALOG_OUT_OF_OPERATION,   /* FUERA DE OPERACION */
    CATALOG_UNDER_CONSTRUCTION, /* EN PROCESO DE CONSTRUCCION */
    CATALOG_PENDING,            /* PENDIENTE DE ENTRAR EN OPERACION */
};

enum catalog_level {
    CATALOG_LEVEL_NA = 0, /* NO APLICA: mobile units, offices, warehouses */
    CATALOG_LEVEL_1 = 1,
    CATALOG_LEVEL_2 = 2,
    CATALOG_LEVEL_3 = 3,
};

struct catalog_facility {
    char clues[12];   /* 11 characters: ^[A-Z]{5}[0-9]{6}$ */
    const char *name; /* nombre_de_la_unidad */
    enum catalog_status status;
    enum catalog_level level;
    const char *typology;      /* nombre_de_tipologia, e.g. "HOSPITAL GENERAL" */
    int state;                 /* INEGI cve_ent */
    int municipality;          /* INEGI cve_mun */
    int locality;              /* INEGI cve_loc, 0-9999 */
    const char *locality_name; /* may be "" */
    struct catalog_coord pos;
    const char *hours; /* canonical DGIS shifts (care_hours_format), e.g.
                          "LMXJV 08:00-15:30; DS 08:00-14:00"; NULL when unknown */
    unsigned long line;
};

struct catalog_locality {
    int state, municipality, code; /* INEGI cve_ent, cve_mun, cve_loc */
    const char *name;              /* nom_loc */
    struct catalog_coord pos;      /* always present */
    long population;               /* Census 2020 */
    unsigned long line;
};

/* Which file catalog_parse_line parses a line of. */
enum catalog_file {
    CATALOG_FILE_STATES,
    CATALOG_FILE_MUNICIPALITIES,
    CATALOG_FILE_FACILITIES,
    CATALOG_FILE_PARTICIPATION,
    CATALOG_FILE_LOCALITIES,
    CATALOG_FILE_HOURS,
};

/* Picks the catalog directory into out: explicit (from --catalogs) when not NULL,
 * else $PADRON_CATALOGS when set and non-empty, else ./data when it holds
 * inegi_estados.csv(.gz), else the nearest data/ holding it among the 4 ancestors
 * of the executable's directory (/proc/self/exe): build/padron, build/asan/padron
 * and the unit-test binaries all find the source tree's data/. An explicit or
 * environment directory is taken as given; catalog_load reports what is missing in
 * it. Returns 0, or -1 with the reason in err when nothing was found or the path
 * does not fit out. */
int catalog_find_dir(const char *explicit_dir, char *out, size_t outsz, char *err, size_t errsz);

/* Loads every catalog file in dir. On success stores a new catalog in *out (the
 * caller frees it with catalog_free) and returns 0; on failure returns -1, leaves
 * *out untouched and writes "FILE: line N: reason" into err. */
int catalog_load(const char *dir, struct catalog **out, char *err, size_t errsz);

/* Like catalog_load, with the facilities read from facilities_file (CSV, plain
 * or gzip, the columns of clues_imss_bienestar) instead of dir's own; NULL reads
 * dir's. Every check of catalog_load applies to it. */
int catalog_load_with(const char *dir, const char *facilities_file, struct catalog **out, char *err,
                      size_t errsz);

/* Frees c and its strings; NULL is a no-op. */
void catalog_free(struct catalog *c);

/* All states, sorted by INEGI code; *n receives the count. */
const struct catalog_state *catalog_states(const struct catalog *c, size_t *n);

/* The state with INEGI code (1-32), or NULL. */
const struct catalog_state *catalog_state_by_code(const struct catalog *c, int code);

/* The state with the 2-letter RENAPO code (exact, capital letters), or NULL. */
const struct catalog_state *catalog_state_by_renapo(const struct catalog *c, const char *renapo);

/* True when s joined IMSS-Bienestar on or before year-month-day. */
bool catalog_state_participating(const struct catalog_state *s, int year, int month, int day);

/* All municipalities, sorted by (state, code); *n receives the count. */
const struct catalog_municipality *catalog_municipalities(const struct catalog *c, size_t *n);

/* The municipalities of one state (contiguous, sorted by code); *n receives the
 * count, 0 (and NULL returned) for an unknown state. */
const struct catalog_municipality *catalog_municipalities_of(const struct catalog *c, int state,
                                                             size_t *n);

/* The municipality (state, code), or NULL. */
const struct catalog_municipality *catalog_municipality(const struct catalog *c, int state,
                                                        int code);

/* All facilities, sorted by CLUES; *n receives the count. */
const struct catalog_facility *catalog_facilities(const struct catalog *c, size_t *n);

/* The facility with this CLUES (exact, 11 characters), or NULL. */
const struct catalog_facility *catalog_facility(const struct catalog *c, const char *clues);

/* The localities of one municipality (contiguous, sorted by code); *n receives
 * the count, 0 (and NULL returned) when none is loaded. */
const struct catalog_locality *catalog_localities_of(const struct catalog *c, int state,
                                                     int municipality, size_t *n);

/* Parses one data line of a catalog file given its header line, with the same
 * checks as catalog_load except those that need the other files (known state,
 * known municipality, duplicates). For the fuzzer and tests: returns 0, or -1
 * with the reason in err. Allocates only what one line needs, and frees it. */
int catalog_parse_line(enum catalog_file file, const char *header, size_t header_len,
                       const char *line, size_t len, char *err, size_t errsz);

#endif
