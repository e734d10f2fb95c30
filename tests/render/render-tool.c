/*
 * render-tool: writes padron's rendered QR codes to files so that tools which share
 * no code with ours (poppler's pdftoppm, zbar's zbarimg, xmllint) can check them;
 * tests/render/run drives it. Each command writes OUT and prints on stdout the text
 * its QR code holds, which the script compares with what zbarimg reads.
 *
 *   render-tool card   es|en short|long OUT.pdf   the printable credential
 *   render-tool letter es|en short|long OUT.pdf   a Carta de No Afiliación (IMSS)
 *   render-tool svg    short|long OUT.svg         the inline SVG, as a file
 *   render-tool png    short|long OUT.png         the QR code drawn with cairo, 4 px a module
 *
 * "short" is the realistic 391-character envelope with "María del Carmen Loredo
 * Caballero"; "long" a 477-character one with a long accented name.
 */
#include "render/card_pdf.h"
#include "render/letter_pdf.h"
#include "render/qr.h"
#include "web/textbuf.h"

#include "../unit/render/sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static int usage(void)
{
    fputs("usage: render-tool card|letter es|en short|long OUT | svg|png short|long OUT\n", stderr);
    return 2;
}

static int pdf(const char *what, const char *lang_name, bool lng, const char *out)
{
    enum pdf_lang lang = strcmp(lang_name, "en") == 0 ? PDF_LANG_EN : PDF_LANG_ES;
    const char *text = lng ? SAMPLE_ENVELOPE_LONG : SAMPLE_ENVELOPE;
    const char *name = lng ? SAMPLE_LONG_NAME : SAMPLE_NAME;
    uint8_t *doc = NULL;
    size_t len = 0;
    char err[160];
    int rc;
    if (strcmp(what, "card") == 0) {
        static const int levels[] = {1, 2};
        struct card_pdf c = {lang,          "IMSS-Bienestar",
                             name,          "LOCM900627MSPRBR05",
                             "1990-06-27",  "IB26-7K3M-9QXD",
                             levels,        2,
                             "BCIMB000010", "Centro de Salud Rural Ñuu Savi San Andrés Cholula",
                             "2026-01-01",  "2026-12-31",
                             text,          "https://padron.example.mx/v"};
        rc = card_pdf_render(&c, &doc, &len, err, sizeof err);
    } else {
        struct letter_pdf l = {lang,
                               "IMSS-Bienestar",
                               "CNA-IMSS-26-7K3M",
                               "2026-01-15",
                               "LOCM900627MSPRBR05",
                               name,
                               "IMSS",
                               "2026-01-10",
                               "2026-01-15",
                               "2026-04-15",
                               text,
                               "https://padron.example.mx/cartas/CNA-IMSS-26-7K3M"};
        rc = letter_pdf_render(&l, &doc, &len, err, sizeof err);
    }
    if (rc != 0) {
        fprintf(stderr, "render-tool: %s\n", err);
        return 1;
    }
    rc = write_file(out, doc, len);
    free(doc);
    if (rc != 0)
        return 1;
    puts(text);
    return 0;
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int image(const char *what, bool lng, const char *out)
{
    const char *text = lng ? SAMPLE_ENVELOPE_LONG : SAMPLE_ENVELOPE;
    struct qr_matrix m;
    char err[160];
    if (qr_encode(text, strlen(text), &m, err, sizeof err) != 0) {
        fprintf(stderr, "render-tool: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (strcmp(what, "svg") == 0) {
        struct textbuf tb;
        textbuf_init(&tb, 1 << 20);
        textbuf_append_str(&tb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        qr_svg_append(&tb, &m, "Código QR de la credencial", 4);
        textbuf_append_str(&tb, "\n");
        rc = textbuf_status(&tb) == 0 ? write_file(out, tb.buf, tb.len) : -1;
        textbuf_release(&tb);
    } else {
        int side = 4 * (m.side + 2 * QR_QUIET_ZONE);
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
        cairo_t *cr = cairo_create(s);
        qr_draw(cr, &m, 0, 0, side);
        cairo_destroy(cr);
        FILE *f = fopen(out, "wb");
        rc = f != NULL && cairo_surface_write_to_png_stream(s, to_file, f) == CAIRO_STATUS_SUCCESS
                 ? 0
                 : -1;
        if (f != NULL && fclose(f) != 0)
            rc = -1;
        cairo_surface_destroy(s);
    }
    qr_matrix_release(&m);
    if (rc != 0) {
        fprintf(stderr, "render-tool: could not write %s\n", out);
        return 1;
    }
    puts(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && (strcmp(argv[1], "card") == 0 || strcmp(argv[1], "letter") == 0) &&
        (strcmp(argv[2], "es") == 0 || strcmp(argv[2], "en") == 0))
        return pdf(argv[1], argv[2], strcmp(argv[3], "long") == 0, argv[4]);
    if (argc == 4 && (strcmp(argv[1], "svg") == 0 || strcmp(argv[1], "png") == 0))
        return image(argv[1], strcmp(argv[2], "long") == 0, argv[3]);
    return usage();
}
