#include "web/enrollment.h"

#include "web/api_common.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int refuse(struct refusal *why, unsigned status, const char *code, const char *field,
                  const char *message)
{
    why->status = status;
    why->code = code;
    why->field = field;
    snprintf(why->message, sizeof why->message, "%s", message);
    return -1;
}

static int internal(const struct web_request *req, struct refusal *why, const char *err)
{
    fprintf(stderr, "padron: %s %s: %s\n", req->method, req->url, err);
    return refuse(why, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
                  i18n(req->lang, MSG_INTERNAL));
}

int enrollment_check_curp(const struct web_request *req, const char *curp, struct curp_result *r,
                          struct refusal *why)
{
    char message[256], err[256];
    if (curp_validate(curp, strlen(curp), api_today_key(req), r) != CURP_VALID) {
        i18n_curp_error(req->lang, r, message, sizeof message);
        return refuse(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_curp", "curp", message);
    }
    int enrolled = store_curp_enrolled(req->app->store, r->curp, err, sizeof err);
    struct store_affiliation a;
    int affiliated =
        enrolled == 0 ? store_roll_lookup(req->app->store, r->curp, &a, err, sizeof err) : 0;
    if (enrolled < 0 || affiliated < 0)
        return internal(req, why, err);
    if (enrolled)
        return refuse(why, MHD_HTTP_CONFLICT, "already_enrolled", "curp",
                      i18n(req->lang, MSG_ALREADY_ENROLLED));
    if (affiliated && a.active) {
        bool imss = a.institution == STORE_IMSS;
        return refuse(why, MHD_HTTP_CONFLICT, imss ? "affiliated_imss" : "affiliated_issste",
                      "curp", i18n(req->lang, imss ? MSG_AFFILIATED_IMSS : MSG_AFFILIATED_ISSSTE));
    }
    return 0;
}

int enrollment_start(const struct web_request *req, const struct curp_result *r,
                     char id[STORE_ID_LEN + 1], char token[ENROLLMENT_TOKEN_MAX],
                     struct refusal *why)
{
    uint8_t id_bytes[STORE_ID_LEN / 2], token_bytes[32], hash[STORE_TOKEN_HASH_LEN];
    char err[256];
    randombytes_buf(id_bytes, sizeof id_bytes);
    randombytes_buf(token_bytes, sizeof token_bytes);
    sodium_bin2hex(id, STORE_ID_LEN + 1, id_bytes, sizeof id_bytes);
    sodium_bin2base64(token, ENROLLMENT_TOKEN_MAX, token_bytes, sizeof token_bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(token_bytes, sizeof token_bytes);
    api_hash_token(token, strlen(token), hash);
    if (store_registration_create(req->app->store, id, r->curp, hash, req->app->clock(), err,
                                  sizeof err) != 0) {
        sodium_memzero(token, ENROLLMENT_TOKEN_MAX);
        return internal(req, why, err);
    }
    return 0;
}
