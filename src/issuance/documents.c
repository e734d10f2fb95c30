/* documents: the card and letter PDFs from the store's records (see documents.h). */
#include "issuance/documents.h"

#include "issuance/issuance.h"
#include "render/card_pdf.h"
#include "notify/message.h"
#include "render/letter_pdf.h"
#include "web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROGRAM_NAME "IMSS-Bienestar"

void documents_day(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
        snprintf(out, 11, "1970-01-01");
}

/* "Given First Second" as a person reads it; "" when there are no names. */
static void full_name(const struct store_names *n, char *out, size_t size)
{
    if (!n->given_names[0]) {
        snprintf(out, size, "%s", "");
        return;
    }
    snprintf(out, size, "%s %s%s%s", n->given_names, n->first_surname,
             n->second_surname[0] ? " " : "", n->second_surname);
}

void documents_letter_url(const char *public_url, const char *folio, char *buf, size_t size)
{
    snprintf(buf, size, "%s/cartas/%s", public_url, folio);
}

int documents_card_pdf(const struct store_registration *reg, const struct store_credential *c,
                       struct documents_clinic clinic, bool en, const char *public_url,
                       uint8_t **pdf, size_t *len, char *err, size_t errsz)
{
    char name[3 * STORE_NAME_MAX + 3], birth[11], issued[11], expires[11], url[1100];
    full_name(&reg->names, name, sizeof name);
    issuance_birth_date(reg->curp, birth);
    documents_day(c->issued_at, issued);
    documents_day(c->expires_at, expires);
    snprintf(url, sizeof url, "%s/verificar", public_url);
    static const int levels[] = {1, 2};
    struct card_pdf card = {
        .lang = en ? PDF_LANG_EN : PDF_LANG_ES,
        .program = PROGRAM_NAME,
        .full_name = name,
        .curp = reg->curp,
        .birth_date = birth,
        .folio = reg->folio,
        .levels = levels,
        .level_count = 2,
        .clinic_clues = clinic.clues,
        .clinic_name = clinic.clues ? clinic.name : NULL,
        .issued = issued,
        .expires = expires,
        .qr_text = c->envelope,
        .verify_url = url,
    };
    return card_pdf_render(&card, pdf, len, err, errsz);
}

int documents_letter_pdf(const struct store_letter *l, const char *public_url, uint8_t **pdf,
                         size_t *len, char *err, size_t errsz)
{
    char name[3 * STORE_NAME_MAX + 3], issued[11], until[11], url[1100];
    full_name(&l->names, name, sizeof name);
    documents_day(l->issued_at, issued);
    documents_day(l->expires_at, until);
    documents_letter_url(public_url, l->folio, url, sizeof url);
    struct letter_pdf doc = {
        .lang = strcmp(l->language, "en") == 0 ? PDF_LANG_EN : PDF_LANG_ES,
        .program = PROGRAM_NAME,
        .folio = l->folio,
        .issued = issued,
        .curp = l->curp,
        .full_name = name[0] ? name : NULL,
        .institution = store_institution_name(l->institution),
        .roll_date = l->roll_date,
        .valid_from = issued,
        .valid_until = until,
        .qr_text = l->envelope,
        .verify_url = url,
    };
    return letter_pdf_render(&doc, pdf, len, err, errsz);
}

int documents_letter_mail(void *ctx, const struct store_letter *l, char **message, char *err,
                          size_t errsz)
{
    const struct documents_mail *m = ctx;
    uint8_t *pdf = NULL;
    size_t len = 0;
    if (documents_letter_pdf(l, m->public_url, &pdf, &len, err, errsz) != 0)
        return -1;
    char subject[160], body[1536], url[1100], name[40];
    documents_letter_url(m->public_url, l->folio, url, sizeof url);
    i18n_letter_mail(strcmp(l->language, "en") == 0 ? I18N_EN : I18N_ES,
                     store_institution_name(l->institution), l->folio, url, subject, sizeof subject,
                     body, sizeof body);
    snprintf(name, sizeof name, "carta-%s.pdf", l->folio);
    struct mail_text mt = {.from = m->from,
                           .to = l->email,
                           .subject = subject,
                           .body = body,
                           .date = l->issued_at,
                           .attachment_name = name,
                           .attachment_type = "application/pdf",
                           .attachment = pdf,
                           .attachment_len = len};
    int rc = mail_compose(&mt, message, err, errsz);
    free(pdf);
    return rc;
}
