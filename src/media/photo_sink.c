/* The output side of the photo module: decoded RGB rows in, scaled only when the size
 * changes, turned, out as a clean baseline JPEG (libjpeg-turbo). See photo_internal.h
 * for the interface and photo.c for the decoders that feed it.
 *
 * Errors: libjpeg's error_exit longjmps to the decoder's jmp_buf (the one whose
 * setjmp is active while the sink is used), after keeping the message here, so the
 * decoder tells an encoder failure (PHOTO_ERR_INTERNAL) from a damaged input. */
#include "media/photo_internal.h"

#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

struct sink_err {
    struct jpeg_error_mgr pub;
    jmp_buf *jmp;
    bool failed;
    char msg[JMSG_LENGTH_MAX];
};

/* The JPEG grows in one malloc'd buffer. */
struct mem_dest {
    struct jpeg_destination_mgr pub;
    uint8_t *buf;
    size_t cap, len;
};

struct photo_sink {
    struct jpeg_compress_struct c;
    struct sink_err err;
    struct mem_dest dest;
    uint32_t sw, sh, dw, dh;
    int orientation;
    int quality;
    bool scale;          /* dw x dh differs from sw x sh: rows go through the box filter */
    struct resampler rs; /* only when scale */
    uint8_t *in;         /* one source row, unless it is decoded straight into image */
    uint8_t *out;        /* one output row (orientation 1 with scale), or one turned row */
    uint8_t *image;      /* orientations 2-8: the dw x dh image as stored */
    uint32_t rows_in, rows_out;
};

static void sink_fail(struct photo_sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void sink_fail(struct photo_sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* A truncated log line is still a useful log line: the result is not checked. */
    (void)vsnprintf(s->err.msg, sizeof s->err.msg, fmt, ap);
    va_end(ap);
    s->err.failed = true;
    longjmp(*s->err.jmp, 1);
}

static void sink_on_error(j_common_ptr c)
{
    struct sink_err *e = (struct sink_err *)c->err;
    (*c->err->format_message)(c, e->msg);
    if (e->msg[0] >= 'A' && e->msg[0] <= 'Z' && !(e->msg[1] >= 'A' && e->msg[1] <= 'Z'))
        e->msg[0] = (char)(e->msg[0] - 'A' + 'a'); /* reads as ours */
    e->failed = true;
    longjmp(*e->jmp, 1);
}

/* The encoder's warnings and traces concern nothing the input could have caused. */
static void sink_silent(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

static void sink_no_output(j_common_ptr c)
{
    (void)c;
}

static void dest_init(j_compress_ptr c)
{
    struct mem_dest *d = (struct mem_dest *)c->dest;
    d->cap = 64 * 1024;
    d->buf = xmallocarray(d->cap, 1);
    d->pub.next_output_byte = d->buf;
    d->pub.free_in_buffer = d->cap;
}

static boolean dest_grow(j_compress_ptr c)
{
    struct mem_dest *d = (struct mem_dest *)c->dest;
    size_t used = d->cap; /* libjpeg calls this only when the buffer is full */
    d->buf = xreallocarray(d->buf, d->cap, 2);
    d->cap *= 2;
    d->pub.next_output_byte = d->buf + used;
    d->pub.free_in_buffer = d->cap - used;
    return TRUE;
}

static void dest_term(j_compress_ptr c)
{
    struct mem_dest *d = (struct mem_dest *)c->dest;
    d->len = d->cap - d->pub.free_in_buffer;
}

struct photo_sink *photo_sink_new(uint32_t sw, uint32_t sh, uint32_t dw, uint32_t dh,
                                  int orientation, int quality, jmp_buf *jmp)
{
    struct photo_sink *s = xcalloc(1, sizeof *s);
    s->sw = sw;
    s->sh = sh;
    s->dw = dw;
    s->dh = dh;
    s->orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
    s->quality = quality;
    s->scale = dw != sw || dh != sh;
    s->err.jmp = jmp;
    if (s->scale)
        photo_resampler_init(&s->rs, sw, sh, dw, dh);
    if (s->orientation != 1) {
        s->image = xmallocarray((size_t)dw * dh, PHOTO_CHANNELS);
        s->out = xmallocarray(dw > dh ? dw : dh, PHOTO_CHANNELS);
    } else if (s->scale) {
        s->out = xmallocarray(dw, PHOTO_CHANNELS);
    }
    /* Unscaled rows of a turned photo are decoded where they belong in the image. */
    if (s->scale || s->orientation == 1)
        s->in = xmallocarray(sw, PHOTO_CHANNELS);
    return s;
}

/* Quality 85 with libjpeg's standard Huffman tables: optimised tables would make the
 * file about 10% smaller but need a second pass over every coefficient and a whole-image
 * coefficient buffer, doubling the encoder's time (docs/media.md, "The stored JPEG"). */
void photo_sink_start(struct photo_sink *s)
{
    jpeg_std_error(&s->err.pub);
    s->err.pub.error_exit = sink_on_error;
    s->err.pub.emit_message = sink_silent;
    s->err.pub.output_message = sink_no_output;
    s->c.err = &s->err.pub;
    jpeg_create_compress(&s->c);
    s->c.dest = &s->dest.pub;
    s->dest.pub.init_destination = dest_init;
    s->dest.pub.empty_output_buffer = dest_grow;
    s->dest.pub.term_destination = dest_term;
    photo_oriented_size(s->dw, s->dh, s->orientation, &s->c.image_width, &s->c.image_height);
    s->c.input_components = PHOTO_CHANNELS;
    s->c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&s->c);
    jpeg_set_quality(&s->c, s->quality, TRUE);
    s->c.optimize_coding = FALSE;
    s->c.write_JFIF_header = TRUE;
    s->c.write_Adobe_marker = FALSE;
    jpeg_start_compress(&s->c, TRUE);
}

uint8_t *photo_sink_row(struct photo_sink *s)
{
    if (s->in)
        return s->in;
    uint32_t y = s->rows_in < s->sh ? s->rows_in : s->sh - 1;
    return s->image + (size_t)y * s->sw * PHOTO_CHANNELS;
}

static void write_row(struct photo_sink *s, const uint8_t *row)
{
    JSAMPROW r = (JSAMPROW)row; /* libjpeg only reads it */
    if (jpeg_write_scanlines(&s->c, &r, 1) != 1)
        ERREXIT(&s->c, JERR_BAD_LENGTH);
}

void photo_sink_push(struct photo_sink *s)
{
    if (s->rows_in >= s->sh)
        sink_fail(s, "sink: more than %u rows", s->sh);
    s->rows_in++;
    if (!s->scale) {
        if (s->orientation == 1)
            write_row(s, s->in);
        s->rows_out++; /* else it was decoded into the image */
        return;
    }
    uint8_t *dst = s->out;
    if (s->orientation != 1 && s->rows_out < s->dh)
        dst = s->image + (size_t)s->rows_out * s->dw * PHOTO_CHANNELS;
    if (!photo_resampler_push(&s->rs, s->in, dst))
        return;
    if (s->orientation == 1)
        write_row(s, dst);
    s->rows_out++;
}

void photo_sink_finish(struct photo_sink *s)
{
    if (s->rows_in != s->sh || s->rows_out != s->dh)
        sink_fail(s, "sink: %u of %u rows in, %u of %u out", s->rows_in, s->sh, s->rows_out, s->dh);
    if (s->orientation != 1) {
        for (uint32_t y = 0; y < s->c.image_height; y++) {
            photo_oriented_row(s->image, s->dw, s->dh, s->orientation, y, s->out);
            write_row(s, s->out);
        }
    }
    jpeg_finish_compress(&s->c);
}

const char *photo_sink_error(const struct photo_sink *s)
{
    return s && s->err.failed ? s->err.msg : NULL;
}

void photo_sink_detach(struct photo_sink *s, struct photo_result *out)
{
    out->jpeg = s->dest.buf;
    out->jpeg_len = s->dest.len;
    out->width = s->c.image_width;
    out->height = s->c.image_height;
    out->orientation = s->orientation;
    s->dest.buf = NULL;
    s->dest.len = 0;
}

void photo_sink_free(struct photo_sink *s)
{
    if (!s)
        return;
    jpeg_destroy_compress(&s->c);
    free(s->dest.buf);
    photo_resampler_release(&s->rs);
    free(s->in);
    free(s->out);
    free(s->image);
    free(s);
}
