/*
 * enrollment: the rules of an application that the JSON API and the HTML pages
 * share, written once. A rule that refuses fills a struct refusal (HTTP status,
 * stable code, field, message in the request's language); the API turns it into
 * a JSON error, a page shows it next to the field.
 */
#ifndef PADRON_WEB_ENROLLMENT_H
#define PADRON_WEB_ENROLLMENT_H

#include "core/curp.h"
#include "store/store.h"
#include "web/http.h"

#define ENROLLMENT_TOKEN_MAX 64

struct refusal {
    unsigned status;   /* 422, 409, 500, ... */
    const char *code;  /* stable, e.g. "invalid_curp" */
    const char *field; /* or NULL */
    char message[512]; /* for the person */
};

/* A CURP may start an application when it is valid, not enrolled, and not active
 * in the IMSS or ISSSTE roll. Returns 0 with r filled, or -1 with why filled
 * (status 500 when the database failed; the reason is logged, not shown). */
int enrollment_check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                          struct refusal *why);

/* Creates a draft for a checked CURP with a new id and bearer token (only the
 * token's hash is stored). Returns 0, or -1 with why filled. The caller wipes
 * token after use. */
int enrollment_start(const struct web_request *req, const struct curp_result *r,
                     char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                     struct refusal *why);

#endif
