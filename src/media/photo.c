/* Photo checks, decoding (libjpeg-turbo, libpng) and clean re-encoding. See photo.h
 * for the contract. Decoded rows go to the sink (photo_sink.c), which scales, turns
 * and re-encodes them; EXIF parsing and the box filter are in photo_pixels.c.
 *
 * setjmp discipline: libjpeg and libpng report errors by longjmp. Every setjmp lives
 * in a tiny run_* function whose only other statement is one call of a step; all
 * state the step changes lives in a job struct owned by the caller of run_*, so no
 * automatic variable of the function holding the setjmp changes between setjmp and
 * longjmp (C17 7.13.2.1p3) and the caller cleans up from the job whatever happened. */
#include "media/photo.h"
#include "media/photo_internal.h"

#include "util/alloc.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>

/* ---- Results and messages ---- */

static const char *const status_codes[] = {
    [PHOTO_OK] = "ok",
    [PHOTO_ERR_TYPE] = "type",
    [PHOTO_ERR_SIZE] = "size",
    [PHOTO_ERR_DIMENSIONS] = "dimensions",
    [PHOTO_ERR_UNREADABLE] = "unreadable",
    [PHOTO_ERR_TOO_SMALL] = "too_small",
    [PHOTO_ERR_INTERNAL] = "internal",
};

const char *photo_status_code(enum photo_status status)
{
    if ((unsigned)status >= sizeof status_codes / sizeof status_codes[0])
        return "unknown";
    return status_codes[status];
}

void photo_limits_init(struct photo_limits *lim)
{
    const struct photo_limits def = PHOTO_LIMITS_INIT;
    *lim = def;
}

void photo_result_release(struct photo_result *r)
{
    free(r->jpeg);
    memset(r, 0, sizeof *r);
}

uint8_t *photo_result_detach(struct photo_result *r, size_t *len)
{
    uint8_t *p = r->jpeg;
    *len = p ? r->jpeg_len : 0;
    r->jpeg = NULL;
    r->jpeg_len = 0;
    return p;
}

/* Sets out->status and out->error to "code: " followed by the formatted text. */
__attribute__((format(printf, 3, 4))) static enum photo_status
fail(struct photo_result *out, enum photo_status status, const char *fmt, ...)
{
    out->status = status;
    free(out->jpeg);
    out->jpeg = NULL;
    out->jpeg_len = 0;
    int n = snprintf(out->error, sizeof out->error, "%s: ", photo_status_code(status));
    if (n > 0 && (size_t)n < sizeof out->error) {
        va_list ap;
        va_start(ap, fmt);
        /* A truncated log line is still a useful log line: the result is not checked. */
        (void)vsnprintf(out->error + n, sizeof out->error - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* Lower-cases the first letter of a library message so it reads as ours. */
static void lower_first(char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
        s[0] = (char)(s[0] - 'A' + 'a');
}

static bool limits_valid(const struct photo_limits *lim, const char **why)
{
    *why = NULL;
    if (lim->max_bytes == 0 || lim->max_side == 0 || lim->max_pixels == 0 ||
        lim->min_short_side == 0 || lim->out_long_side == 0 || lim->max_interlaced == 0 ||
        lim->max_decoder_memory == 0 || lim->max_scans <= 0)
        *why = "limits: every limit must be positive";
    else if (lim->quality < 1 || lim->quality > 100)
        *why = "limits: quality must be 1-100";
    return *why == NULL;
}

/* ---- Dimension checks shared by both formats ---- */

static enum photo_status check_dimensions(const struct photo_limits *lim, uint32_t w, uint32_t h,
                                          struct photo_result *out)
{
    out->src_width = w;
    out->src_height = h;
    if (w == 0 || h == 0)
        return fail(out, PHOTO_ERR_UNREADABLE, "header: %ux%u pixels", w, h);
    if (w > lim->max_side || h > lim->max_side || (uint64_t)w * h > lim->max_pixels)
        return fail(out, PHOTO_ERR_DIMENSIONS, "%ux%u pixels, over %u a side or %llu in all", w, h,
                    lim->max_side, (unsigned long long)lim->max_pixels);
    uint32_t short_side = w < h ? w : h;
    if (short_side < lim->min_short_side)
        return fail(out, PHOTO_ERR_TOO_SMALL, "%ux%u pixels, short side under %u", w, h,
                    lim->min_short_side);
    return PHOTO_OK;
}

/* ---- libjpeg glue for the decoder: errors, warnings, progress (the encoder has its
 * own in photo_sink.c) ---- */

struct jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jmp;
    enum photo_status status; /* what a longjmp means */
    int max_scans;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c, enum photo_status status)
{
    struct jpeg_err *e = (struct jpeg_err *)c->err;
    (*c->err->format_message)(c, e->msg);
    lower_first(e->msg);
    e->status = status;
    longjmp(e->jmp, 1);
}

static void jpeg_on_error(j_common_ptr c)
{
    int code = c->err->msg_code;
    enum photo_status st = PHOTO_ERR_UNREADABLE;
    if (code == JERR_OUT_OF_MEMORY || code == JERR_NO_BACKING_STORE)
        st = PHOTO_ERR_DIMENSIONS; /* over max_decoder_memory */
    jpeg_fail(c, st);
}

/* Level -1 is a warning; higher levels are trace messages, never shown. A warning
 * that means the pixels are damaged or missing is an error. */
static void jpeg_on_message(j_common_ptr c, int level)
{
    if (level >= 0)
        return;
    switch (c->err->msg_code) {
    case JWRN_EXTRANEOUS_DATA: /* junk between segments: pixels are fine */
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC:
        return;
    default:
        jpeg_fail(c, PHOTO_ERR_UNREADABLE);
    }
}

static void jpeg_silent(j_common_ptr c)
{
    (void)c;
}

static void jpeg_on_progress(j_common_ptr c)
{
    struct jpeg_err *e = (struct jpeg_err *)c->err;
    if (e->max_scans <= 0)
        return;
    int scan = ((j_decompress_ptr)c)->input_scan_number;
    if (scan > e->max_scans) {
        snprintf(e->msg, sizeof e->msg, "more than %d scans", e->max_scans);
        e->status = PHOTO_ERR_UNREADABLE;
        longjmp(e->jmp, 1);
    }
}

static void jpeg_err_init(struct jpeg_err *e, int max_scans)
{
    jpeg_std_error(&e->pub);
    e->pub.error_exit = jpeg_on_error;
    e->pub.emit_message = jpeg_on_message;
    e->pub.output_message = jpeg_silent;
    e->status = PHOTO_ERR_UNREADABLE;
    e->max_scans = max_scans;
    e->msg[0] = '\0';
}

/* ---- JPEG decoding ---- */

struct jpeg_job {
    struct jpeg_decompress_struct d;
    struct jpeg_err err; /* its jmp also catches the sink's errors */
    struct jpeg_progress_mgr progress;
    const uint8_t *data;
    size_t len;
    const struct photo_limits *lim;
    int orientation;
    uint32_t dw, dh; /* target size, set between the two steps */
    uint8_t *cmyk;   /* one decoded CMYK row (CMYK/YCCK input only) */
    struct photo_sink *sink;
};

static void jpeg_header_step(struct jpeg_job *j)
{
    jpeg_create_decompress(&j->d);
    size_t mem = j->lim->max_decoder_memory;
    j->d.mem->max_memory_to_use = mem > (size_t)LONG_MAX ? LONG_MAX : (long)mem;
    j->progress.progress_monitor = jpeg_on_progress;
    j->d.progress = &j->progress;
    jpeg_mem_src(&j->d, j->data, (unsigned long)j->len);
    jpeg_save_markers(&j->d, JPEG_APP0 + 1, 0xffff);
    (void)jpeg_read_header(&j->d, TRUE); /* TRUE: a tables-only stream is an error */
    j->orientation = 1;
    for (jpeg_saved_marker_ptr m = j->d.marker_list; m; m = m->next) {
        int o = m->marker == JPEG_APP0 + 1 ? photo_exif_orientation(m->data, m->data_length) : 0;
        if (o != 0) {
            j->orientation = o;
            break;
        }
    }
}

/* Writes w CMYK pixels as RGB with the naive formula; Photoshop (Adobe marker) writes
 * CMYK inverted. */
static void cmyk_to_rgb(const uint8_t *p, uint8_t *q, uint32_t w, bool inverted)
{
    for (uint32_t x = 0; x < w; x++, p += 4, q += PHOTO_CHANNELS) {
        unsigned k = inverted ? p[3] : 255u - p[3];
        for (int ch = 0; ch < 3; ch++) {
            unsigned v = inverted ? p[ch] : 255u - p[ch];
            q[ch] = (uint8_t)((v * k + 127) / 255);
        }
    }
}

static void jpeg_decode_step(struct jpeg_job *j)
{
    struct jpeg_decompress_struct *d = &j->d;
    bool cmyk = false;
    switch (d->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        d->out_color_space = JCS_RGB;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        d->out_color_space = JCS_CMYK;
        cmyk = true;
        break;
    default:
        ERREXIT(d, JERR_CONVERSION_NOTIMPL);
    }
    /* The smallest scale M/8 that still leaves at least the target size: libjpeg-turbo's
     * scaled IDCT then decodes fewer pixels, the cheapest downscale there is, and the box
     * filter has less (often nothing) left to do. */
    for (unsigned m = 1; m <= 8; m++) {
        d->scale_num = m;
        d->scale_denom = 8;
        jpeg_calc_output_dimensions(d);
        if (d->output_width >= j->dw && d->output_height >= j->dh)
            break;
    }
    jpeg_start_decompress(d);
    if (d->output_components != (cmyk ? 4 : PHOTO_CHANNELS) || d->output_width < j->dw ||
        d->output_height < j->dh)
        ERREXIT(d, JERR_CONVERSION_NOTIMPL);
    if (cmyk)
        j->cmyk = xmallocarray(d->output_width, 4);
    j->sink = photo_sink_new(d->output_width, d->output_height, j->dw, j->dh, j->orientation,
                             j->lim->quality, &j->err.jmp);
    photo_sink_start(j->sink);
    while (d->output_scanline < d->output_height) {
        JSAMPROW rows[1] = {cmyk ? j->cmyk : photo_sink_row(j->sink)};
        if (jpeg_read_scanlines(d, rows, 1) != 1)
            ERREXIT(d, JERR_BAD_LENGTH);
        if (cmyk)
            cmyk_to_rgb(j->cmyk, photo_sink_row(j->sink), d->output_width, d->saw_Adobe_marker);
        photo_sink_push(j->sink);
    }
    /* jpeg_finish_decompress is not called: it would only read up to EOI, and a file
     * cut after its last scanline has every pixel. */
    photo_sink_finish(j->sink);
}

static int run_jpeg(struct jpeg_job *j, void (*step)(struct jpeg_job *))
{
    if (setjmp(j->err.jmp))
        return -1;
    step(j);
    return 0;
}

static enum photo_status process_jpeg(const uint8_t *data, size_t len,
                                      const struct photo_limits *lim, struct photo_result *out)
{
    struct jpeg_job *j = xcalloc(1, sizeof *j);
    enum photo_status st;
    j->data = data;
    j->len = len;
    j->lim = lim;
    jpeg_err_init(&j->err, lim->max_scans);
    j->d.err = &j->err.pub;
    if (run_jpeg(j, jpeg_header_step) != 0) {
        st = fail(out, j->err.status, "jpeg header: %s", j->err.msg);
        goto cleanup;
    }
    st = check_dimensions(lim, j->d.image_width, j->d.image_height, out);
    if (st != PHOTO_OK)
        goto cleanup;
    photo_target_size(j->d.image_width, j->d.image_height, lim->out_long_side, &j->dw, &j->dh);
    if (run_jpeg(j, jpeg_decode_step) != 0) {
        if (photo_sink_error(j->sink))
            st = fail(out, PHOTO_ERR_INTERNAL, "jpeg encoder: %s", photo_sink_error(j->sink));
        else if (j->err.status == PHOTO_ERR_DIMENSIONS)
            st = fail(out, j->err.status, "jpeg needs more than %zu bytes of decoder memory",
                      lim->max_decoder_memory);
        else
            st = fail(out, j->err.status, "jpeg: %s", j->err.msg);
        goto cleanup;
    }
    photo_sink_detach(j->sink, out);
cleanup:
    jpeg_destroy_decompress(&j->d);
    free(j->cmyk);
    photo_sink_free(j->sink);
    free(j);
    return st;
}

/* ---- PNG decoding ---- */

struct png_job {
    png_structp png;
    png_infop info;
    jmp_buf jmp; /* libpng's errors and the sink's longjmp here */
    const uint8_t *data;
    size_t len, pos;
    const struct photo_limits *lim;
    uint32_t w, h, dw, dh;
    uint8_t *row;       /* one RGBA row (non-interlaced with alpha) */
    uint8_t *image;     /* the whole image (interlaced only) */
    png_bytep *rowptrs; /* into image */
    struct photo_sink *sink;
    char msg[160];
};

/* Never returns, as libpng requires of an error function. */
static void png_on_error(png_structp png, png_const_charp msg)
{
    struct png_job *j = png_get_error_ptr(png);
    snprintf(j->msg, sizeof j->msg, "%s", msg ? msg : "error");
    lower_first(j->msg);
    longjmp(j->jmp, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* ancillary-chunk trouble: the pixels decide */
}

static void png_read_mem(png_structp png, png_bytep dst, size_t n)
{
    struct png_job *j = png_get_io_ptr(png);
    if (n > j->len - j->pos)
        png_error(png, "truncated file");
    memcpy(dst, j->data + j->pos, n);
    j->pos += n;
}

/* Reads the IHDR width and height ourselves, before libpng exists. */
static int png_peek_size(const uint8_t *p, size_t n, uint32_t *w, uint32_t *h)
{
    static const uint8_t ihdr[8] = {0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    if (n < 8 + 8 + 8 || memcmp(p + 8, ihdr, sizeof ihdr) != 0)
        return -1;
    *w = photo_rd32(p + 16, false);
    *h = photo_rd32(p + 20, false);
    return 0;
}

static void flatten_on_white(const uint8_t *rgba, uint8_t *rgb, uint32_t w)
{
    for (uint32_t x = 0; x < w; x++, rgba += 4, rgb += PHOTO_CHANNELS) {
        unsigned a = rgba[3], bg = 255u * (255u - a);
        rgb[0] = (uint8_t)((rgba[0] * a + bg + 127) / 255);
        rgb[1] = (uint8_t)((rgba[1] * a + bg + 127) / 255);
        rgb[2] = (uint8_t)((rgba[2] * a + bg + 127) / 255);
    }
}

static void png_decode_step(struct png_job *j)
{
    png_structp png = j->png;
    png_infop info = j->info;
    png_set_read_fn(png, j, png_read_mem);
    png_set_user_limits(png, j->lim->max_side, j->lim->max_side);
    png_set_chunk_cache_max(png, 64);
    png_set_chunk_malloc_max(png, 1u << 20);
#ifdef PNG_HANDLE_AS_UNKNOWN_SUPPORTED
    /* Nothing but pixels is used: skip every chunk but IHDR, PLTE, tRNS, IDAT and IEND,
     * so metadata is never parsed and zTXt/iCCP are never inflated. */
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
#endif
#if defined(PNG_SET_OPTION_SUPPORTED) && defined(PNG_IGNORE_ADLER32)
    /* Every IDAT chunk's CRC is still checked (a damaged file stays unreadable); the
     * zlib stream's own Adler-32 over the inflated pixels only repeats that check and
     * cost about a sixth of decoding a PNG. */
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    if (png_get_image_width(png, info) != j->w || png_get_image_height(png, info) != j->h)
        png_error(png, "header changed size");
    int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    bool interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    /* Opaque images are read as RGB, straight into the sink; only alpha (or palette
     * transparency) needs the RGBA row and the compositing on white. */
    bool alpha = (color & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    size_t channels = alpha ? 4 : PHOTO_CHANNELS;
    png_set_expand(png); /* palette to RGB, 1/2/4-bit gray to 8, tRNS to alpha */
    if (depth == 16)
        png_set_scale_16(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_channels(png, info) != channels || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != (size_t)j->w * channels)
        png_error(png, "unexpected pixel format after conversion");

    j->sink = photo_sink_new(j->w, j->h, j->dw, j->dh, 1, j->lim->quality, &j->jmp);
    photo_sink_start(j->sink);
    if (!interlaced) {
        if (alpha)
            j->row = xmallocarray(j->w, 4);
        for (uint32_t y = 0; y < j->h; y++) {
            uint8_t *dst = photo_sink_row(j->sink);
            png_read_row(png, alpha ? j->row : dst, NULL);
            if (alpha)
                flatten_on_white(j->row, dst, j->w);
            photo_sink_push(j->sink);
        }
    } else {
        /* Adam7 fills rows over seven passes: the whole image has to exist. */
        j->image = xmallocarray((size_t)j->w * j->h, channels);
        j->rowptrs = xmallocarray(j->h, sizeof *j->rowptrs);
        for (uint32_t y = 0; y < j->h; y++)
            j->rowptrs[y] = j->image + (size_t)y * j->w * channels;
        png_read_image(png, j->rowptrs);
        for (uint32_t y = 0; y < j->h; y++) {
            if (alpha)
                flatten_on_white(j->rowptrs[y], photo_sink_row(j->sink), j->w);
            else
                memcpy(photo_sink_row(j->sink), j->rowptrs[y], (size_t)j->w * PHOTO_CHANNELS);
            photo_sink_push(j->sink);
        }
    }
    photo_sink_finish(j->sink);
}

static int run_png(struct png_job *j)
{
    if (setjmp(j->jmp))
        return -1;
    png_decode_step(j);
    return 0;
}

static enum photo_status process_png(const uint8_t *data, size_t len,
                                     const struct photo_limits *lim, struct photo_result *out)
{
    struct png_job *j = xcalloc(1, sizeof *j);
    enum photo_status st;
    j->data = data;
    j->len = len;
    j->lim = lim;
    if (png_peek_size(data, len, &j->w, &j->h) != 0) {
        st = fail(out, PHOTO_ERR_UNREADABLE, "png: no IHDR chunk first");
        goto cleanup;
    }
    st = check_dimensions(lim, j->w, j->h, out);
    if (st != PHOTO_OK)
        goto cleanup;
    /* Which interlace method is byte 28; libpng checks it again. */
    if (len > 28 && data[28] != 0 && (uint64_t)j->w * j->h > lim->max_interlaced) {
        st = fail(out, PHOTO_ERR_DIMENSIONS, "%ux%u interlaced png, over %llu pixels", j->w, j->h,
                  (unsigned long long)lim->max_interlaced);
        goto cleanup;
    }
    photo_target_size(j->w, j->h, lim->out_long_side, &j->dw, &j->dh);
    j->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
    if (j->png)
        j->info = png_create_info_struct(j->png);
    if (!j->png || !j->info) {
        st = fail(out, PHOTO_ERR_INTERNAL, "png: cannot create decoder");
        goto cleanup;
    }
    if (run_png(j) != 0) {
        if (photo_sink_error(j->sink))
            st = fail(out, PHOTO_ERR_INTERNAL, "jpeg encoder: %s", photo_sink_error(j->sink));
        else
            st = fail(out, PHOTO_ERR_UNREADABLE, "png: %s", j->msg);
        goto cleanup;
    }
    photo_sink_detach(j->sink, out);
cleanup:
    png_destroy_read_struct(&j->png, &j->info, NULL);
    free(j->row);
    free(j->image);
    free(j->rowptrs);
    photo_sink_free(j->sink);
    free(j);
    return st;
}

/* ---- Entry point ---- */

static enum photo_format sniff(const uint8_t *p, size_t n)
{
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return PHOTO_FORMAT_JPEG;
    if (n >= sizeof png_sig && memcmp(p, png_sig, sizeof png_sig) == 0)
        return PHOTO_FORMAT_PNG;
    return PHOTO_FORMAT_NONE;
}

enum photo_status photo_process(const uint8_t *data, size_t len, const struct photo_limits *lim,
                                struct photo_result *out)
{
    struct photo_limits defaults;
    const char *why;
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    if (!lim) {
        photo_limits_init(&defaults);
        lim = &defaults;
    }
    if (!limits_valid(lim, &why))
        return fail(out, PHOTO_ERR_INTERNAL, "%s", why);
    if (len > lim->max_bytes)
        return fail(out, PHOTO_ERR_SIZE, "%zu bytes, over the limit of %zu", len, lim->max_bytes);
    out->format = data ? sniff(data, len) : PHOTO_FORMAT_NONE;
    switch (out->format) {
    case PHOTO_FORMAT_JPEG:
        return process_jpeg(data, len, lim, out);
    case PHOTO_FORMAT_PNG:
        return process_png(data, len, lim, out);
    default:
        return fail(out, PHOTO_ERR_TYPE, "not a JPEG or PNG file");
    }
}
