/*
 * bench/registration-driver.c: drives complete enrollments through padron's API
 * and times them, for bench/registration.
 *
 *   registration-driver BASE_URL MAILDIR_NEW PHOTO N CLIENTS FIRST_INDEX [RAW]
 *
 * BASE_URL is what `padron serve` printed (http://127.0.0.1:PORT/), MAILDIR_NEW the
 * server's DATA/mail/new, PHOTO the PNG uploaded for each of id_front, id_back and
 * face. CLIENTS threads share N enrollments; each thread goes through the whole
 * enrollment of one CURP before it takes the next. Each enrollment comes from its own
 * loopback address, 127.A.B.C from its index, over one keep-alive connection that is
 * closed after the submit, like one applicant on their own device: the server lets one
 * client address start only 30 applications an hour (src/web/enrollment.c), and real
 * applicants come from many addresses. So every enrollment also pays for one TCP
 * connection and one server thread (libmicrohttpd runs a thread per connection).
 *
 *   start     POST /api/v1/registrations {"curp"}              201, id and token
 *   names     PUT  .../names (the CURP's Salgado Briseño, Concepción)  200
 *   contact   PUT  .../contact {state, email, notice}           200, code "sent"
 *   mail      wait for the code in MAILDIR_NEW (file To: EMAIL)  inotify
 *   verify    POST .../email-verification {"code"}              200
 *   password  PUT  .../password                                 200 (argon2id)
 *   address   PUT  .../address (70400, Oaxaca, 551)             200
 *   id_front, id_back, face  PUT .../documents/KIND (PHOTO)     200 (photo re-encoded)
 *   submit    POST .../submit                                   200, "status":"active"
 *
 * Any other answer stops the run with exit status 1 and the reply on stderr, so a
 * printed rate always counts complete, active enrollments. The mail file is deleted
 * once read (as a mail client would), so the directory stays small.
 *
 * CURPs are distinct and valid: "SABC" + a birth date from 1940-01-01 on + "HDFLRN" +
 * a homoclave digit + the check digit from core/curp (enrollment k uses day k / 10 and
 * homoclave k % 10, k = FIRST_INDEX + i, so up to ~219,000 distinct before 2000).
 * Emails are b<k>@ejemplo.mx.
 *
 * Prints key=value lines: enrollments, clients, seconds (wall time of the batch, from
 * the first request to the last answer), rate (enrollments/s), driver_cpu (this
 * process's user+system seconds), and for each step step.NAME=mean_ms median_ms
 * p99_ms share (share of the summed client time). With RAW, also writes one line per
 * enrollment to that file: its index k and the ms of each step, in the order above.
 *
 * Why C and a bare HTTP/1.1 client (bench/http1.c) rather than python3 or libcurl:
 * the driver shares the two cores with the server, so what it spends is counted
 * against the server; an interpreter, or libcurl's generality, adds its own CPU time
 * to each of the eleven requests (libcurl: about 1.4 ms per enrollment). The Maildir
 * is watched with inotify rather than polled. driver_cpu reports what is left.
 */
#include "core/curp.h"

#include "http1.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

enum step {
    S_START,
    S_NAMES,
    S_CONTACT,
    S_MAIL,
    S_VERIFY,
    S_PASSWORD,
    S_ADDRESS,
    S_ID_FRONT,
    S_ID_BACK,
    S_FACE,
    S_SUBMIT,
    S_COUNT
};

static const char *const step_names[S_COUNT] = {
    "start",   "names",    "contact", "mail", "verify", "password",
    "address", "id_front", "id_back", "face", "submit",
};

static const char *base_url, *maildir;
static const char *photo;
static size_t photo_len;
static long n_total, first_index;
static atomic_long next_item;
static atomic_int failed;
static double *latency; /* n_total x S_COUNT, seconds */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct client {
    struct http1 http;
    int inotify;  /* watches MAILDIR_NEW for mail moved in */
    int watching; /* the watch is set (the directory exists) */
    char id[64], token[64], auth[112];
};

/* One request; returns the HTTP status (0 on a transport error) with the body in
 * c->http.body. path is appended to "/api/v1/registrations". */
static long request(struct client *c, const char *method, const char *path, const char *type,
                    const char *body, size_t len, int authorized, int last)
{
    char target[256], headers[256];
    snprintf(target, sizeof target, "/api/v1/registrations%s", path);
    snprintf(headers, sizeof headers, "%s%s%s%s", type ? "Content-Type: " : "", type ? type : "",
             type ? "\r\n" : "", authorized ? c->auth : "");
    long status = http1_request(&c->http, method, target, headers, body, len, last);
    if (!status)
        fprintf(stderr, "registration-driver: %s %s: %s\n", method, target, c->http.error);
    return status;
}

static int fail(struct client *c, long k, const char *what, long status)
{
    fprintf(stderr, "registration-driver: enrollment %ld: %s answered %ld: %s\n", k, what, status,
            status && c->http.body ? c->http.body : "");
    atomic_store(&failed, 1);
    return -1;
}

/* Enrollment k's CURP into out (19 bytes). */
static int make_curp(long k, char out[19])
{
    struct tm tm = {.tm_year = 40, .tm_mon = 0, .tm_mday = 1 + (int)(k / 10), .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm d;
    if (k < 0 || t == (time_t)-1 || !gmtime_r(&t, &d) || d.tm_year < 40 || d.tm_year >= 100)
        return -1;
    char stem[64];
    int n = snprintf(stem, sizeof stem, "SABC%02d%02d%02dHDFLRN%d", d.tm_year % 100, d.tm_mon + 1,
                     d.tm_mday, (int)(k % 10));
    char digit = n == 17 ? curp_check_digit(stem) : 0;
    if (!digit)
        return -1;
    memcpy(out, stem, 17);
    out[17] = digit;
    out[18] = '\0';
    return 0;
}

/* Scans MAILDIR_NEW once for the mail to `to`; on finding it reads its 6-digit code into
 * code, deletes the file and returns 1. Returns 0 when it is not there, -1 when the
 * directory cannot be read for another reason than not existing yet. */
static int scan_maildir(const char *to, char code[7])
{
    DIR *dir = opendir(maildir);
    if (!dir)
        return errno == ENOENT ? 0 : -1; /* the sender creates the Maildir with the first mail */
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024], text[8192];
        snprintf(path, sizeof path, "%s/%s", maildir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue; /* another client took its own mail away */
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        if (!strstr(text, to))
            continue;
        /* The code is alone on a line, indented by four spaces. */
        for (char *p = strstr(text, "\n    "); p; p = strstr(p + 1, "\n    ")) {
            const char *q = p + 5;
            int digits = 0;
            while (digits < 6 && q[digits] >= '0' && q[digits] <= '9')
                digits++;
            if (digits == 6 && (q[6] == '\r' || q[6] == '\n')) {
                memcpy(code, q, 6);
                code[6] = '\0';
                unlink(path);
                closedir(dir);
                return 1;
            }
        }
    }
    closedir(dir);
    return 0;
}

/* Waits for the mail to email in MAILDIR_NEW, reads its 6-digit code into code and
 * deletes the file. Between scans it sleeps on the client's inotify watch of the
 * directory (every mail moved in wakes every client; the mail sender moves each
 * finished message from tmp/ to new/), or 0.5 ms while the directory does not exist
 * yet. Returns 0, or -1 after 30 s. */
static int read_code(struct client *c, const char *email, char code[7])
{
    char to[128];
    snprintf(to, sizeof to, "\nTo: %s\r\n", email);
    double deadline = now() + 30;
    const struct timespec pause = {0, 500000};
    for (;;) {
        if (!c->watching && inotify_add_watch(c->inotify, maildir, IN_MOVED_TO | IN_CREATE) >= 0)
            c->watching = 1; /* before the scan, so no mail slips between the two */
        int found = scan_maildir(to, code);
        if (found != 0)
            return found > 0 ? 0 : -1;
        double left = deadline - now();
        if (left <= 0)
            return -1;
        if (!c->watching) {
            nanosleep(&pause, NULL);
            continue;
        }
        struct pollfd pfd = {c->inotify, POLLIN, 0};
        if (poll(&pfd, 1, left > 1 ? 1000 : (int)(left * 1000) + 1) > 0) {
            char events[4096];
            while (read(c->inotify, events, sizeof events) > 0)
                ; /* drained: the next scan looks at everything */
        }
    }
}

static int enroll(struct client *c, long i)
{
    long k = first_index + i;
    double *lat = latency + i * S_COUNT;
    char curp[19], body[1024], email[64], code[7], path[256];
    if (make_curp(k, curp) != 0) {
        fprintf(stderr, "registration-driver: no CURP for index %ld\n", k);
        atomic_store(&failed, 1);
        return -1;
    }
    snprintf(email, sizeof email, "b%ld@ejemplo.mx", k);
    /* The applicant's own address and connection (see the comment at the top). */
    struct in_addr source = {htonl(
        (uint32_t)(127u << 24 | (1 + k / 62500) << 16 | (1 + k / 250 % 250) << 8 | (1 + k % 250)))};
    http1_set_source(&c->http, source);
    double t = now(), t1;
    long st;

#define TIMED(step, expr)                                                                          \
    do {                                                                                           \
        st = (expr);                                                                               \
        t1 = now();                                                                                \
        lat[step] = t1 - t;                                                                        \
        t = t1;                                                                                    \
    } while (0)

    int n = snprintf(body, sizeof body, "{\"curp\":\"%s\"}", curp);
    TIMED(S_START, request(c, "POST", "", "application/json", body, (size_t)n, 0, 0));
    json_t *j = st == 201 ? json_loads(c->http.body, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(j, "id"));
    const char *token = json_string_value(json_object_get(j, "token"));
    if (!id || !token || strlen(id) >= sizeof c->id || strlen(token) >= sizeof c->token) {
        json_decref(j);
        return fail(c, k, "start", st);
    }
    strcpy(c->id, id);
    strcpy(c->token, token);
    json_decref(j);
    snprintf(c->auth, sizeof c->auth, "Authorization: Bearer %s\r\n", c->token);

    /* The names the CURPs' letters come from (SA-B-C ... L-R-N). */
    static const char names[] = "{\"given_names\":\"Concepción\",\"first_surname\":\"Salgado\","
                                "\"second_surname\":\"Briseño\"}";
    snprintf(path, sizeof path, "/%s/names", c->id);
    TIMED(S_NAMES, request(c, "PUT", path, "application/json", names, sizeof names - 1, 1, 0));
    if (st != 200)
        return fail(c, k, "names", st);

    n = snprintf(body, sizeof body,
                 "{\"state\":\"20\",\"email\":\"%s\",\"privacy_notice_version\":\"2026-11\"}",
                 email);
    snprintf(path, sizeof path, "/%s/contact", c->id);
    TIMED(S_CONTACT, request(c, "PUT", path, "application/json", body, (size_t)n, 1, 0));
    j = st == 200 ? json_loads(c->http.body, 0, NULL) : NULL;
    const char *sent = json_string_value(json_object_get(j, "email_verification"));
    int code_sent = sent && strcmp(sent, "sent") == 0;
    json_decref(j);
    if (!code_sent)
        return fail(c, k, "contact (code not sent)", st);

    int got = read_code(c, email, code);
    TIMED(S_MAIL, got == 0 ? 200 : 0);
    if (got != 0)
        return fail(c, k, "the Maildir (no code within 30 s)", 0);

    n = snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    snprintf(path, sizeof path, "/%s/email-verification", c->id);
    TIMED(S_VERIFY, request(c, "POST", path, "application/json", body, (size_t)n, 1, 0));
    if (st != 200)
        return fail(c, k, "email-verification", st);

    static const char pw[] = "{\"password\":\"Nopal-Azul#Tlayuda7\"}";
    snprintf(path, sizeof path, "/%s/password", c->id);
    TIMED(S_PASSWORD, request(c, "PUT", path, "application/json", pw, sizeof pw - 1, 1, 0));
    if (st != 200)
        return fail(c, k, "password", st);

    static const char address[] = "{\"postal_code\":\"70400\",\"state\":\"20\",\"municipality\":"
                                  "\"551\",\"settlement\":\"Centro\",\"street\":\"Juárez\","
                                  "\"number\":\"3\"}";
    snprintf(path, sizeof path, "/%s/address", c->id);
    TIMED(S_ADDRESS,
          request(c, "PUT", path, "application/json", address, sizeof address - 1, 1, 0));
    if (st != 200)
        return fail(c, k, "address", st);

    for (int s = S_ID_FRONT; s <= S_FACE; s++) {
        snprintf(path, sizeof path, "/%s/documents/%s", c->id, step_names[s]);
        TIMED(s, request(c, "PUT", path, "image/png", photo, photo_len, 1, 0));
        if (st != 200)
            return fail(c, k, step_names[s], st);
    }

    snprintf(path, sizeof path, "/%s/submit", c->id);
    /* The applicant leaves: the connection closes after the submit. */
    TIMED(S_SUBMIT, request(c, "POST", path, NULL, NULL, 0, 1, 1));
    j = st == 200 ? json_loads(c->http.body, 0, NULL) : NULL;
    const char *status = json_string_value(json_object_get(j, "status"));
    const char *folio = json_string_value(json_object_get(j, "folio"));
    int ok = status && strcmp(status, "active") == 0 && folio && *folio;
    json_decref(j);
    if (!ok)
        return fail(c, k, "submit (not active)", st);
#undef TIMED
    return 0;
}

static int client_main(void *arg)
{
    (void)arg;
    struct client c = {0};
    if (http1_init(&c.http, base_url) != 0 ||
        (c.inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        fprintf(stderr, "registration-driver: %s\n",
                c.inotify < 0 ? "cannot watch the Maildir" : c.http.error);
        atomic_store(&failed, 1);
        return 1;
    }
    long i;
    while (!atomic_load(&failed) && (i = atomic_fetch_add(&next_item, 1)) < n_total)
        if (enroll(&c, i) != 0)
            break;
    http1_free(&c.http);
    close(c.inotify);
    return 0;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, long n, double p)
{
    long i = (long)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *d = realloc(data, cap);
            if (!d) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = d;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return data;
}

static long parse_long(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return *s && !*end && !errno && v >= min && v <= max ? v : -1;
}

int main(int argc, char **argv)
{
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: registration-driver BASE_URL MAILDIR_NEW PHOTO N CLIENTS "
                        "FIRST_INDEX [RAW]\n");
        return 2;
    }
    base_url = argv[1];
    maildir = argv[2];
    n_total = parse_long(argv[4], 1, 100000);
    long clients = parse_long(argv[5], 1, 60);
    first_index = parse_long(argv[6], 0, 200000);
    if (n_total < 0 || clients < 0 || first_index < 0 || first_index + n_total > 210000 ||
        !*base_url || base_url[strlen(base_url) - 1] != '/') {
        fprintf(stderr, "registration-driver: bad argument (N 1-100000, CLIENTS 1-60, "
                        "FIRST_INDEX + N <= 210000, BASE_URL ending in /)\n");
        return 2;
    }
    char *p = read_file(argv[3], &photo_len);
    if (!p) {
        fprintf(stderr, "registration-driver: cannot read %s\n", argv[3]);
        return 2;
    }
    photo = p;
    latency = calloc((size_t)n_total * S_COUNT, sizeof *latency);
    if (!latency)
        return 1;

    thrd_t threads[60];
    double t0 = now();
    long started = 0;
    for (; started < clients; started++)
        if (thrd_create(&threads[started], client_main, NULL) != thrd_success) {
            atomic_store(&failed, 1);
            break;
        }
    for (long t = 0; t < started; t++)
        thrd_join(threads[t], NULL);
    double seconds = now() - t0;
    if (atomic_load(&failed))
        return 1;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("enrollments=%ld\nclients=%ld\nseconds=%.4f\nrate=%.3f\ndriver_cpu=%.4f\n", n_total,
           clients, seconds, (double)n_total / seconds, cpu);

    double total = 0, *col = malloc((size_t)n_total * sizeof *col);
    if (!col)
        return 1;
    for (long i = 0; i < n_total * S_COUNT; i++)
        total += latency[i];
    for (int s = 0; s < S_COUNT; s++) {
        double sum = 0;
        for (long i = 0; i < n_total; i++)
            sum += col[i] = latency[i * S_COUNT + s];
        qsort(col, (size_t)n_total, sizeof *col, compare_double);
        printf("step.%s=%.3f %.3f %.3f %.4f\n", step_names[s], 1000 * sum / (double)n_total,
               1000 * percentile(col, n_total, 0.5), 1000 * percentile(col, n_total, 0.99),
               sum / total);
    }
    printf("step.total=%.3f\n", 1000 * total / (double)n_total);
    if (argc == 8) {
        FILE *raw = fopen(argv[7], "w");
        if (!raw) {
            fprintf(stderr, "registration-driver: cannot write %s\n", argv[7]);
            return 1;
        }
        for (long i = 0; i < n_total; i++) {
            fprintf(raw, "%ld", first_index + i);
            for (int s = 0; s < S_COUNT; s++)
                fprintf(raw, " %.3f", 1000 * latency[i * S_COUNT + s]);
            fputc('\n', raw);
        }
        if (fclose(raw) != 0) {
            fprintf(stderr, "registration-driver: cannot write %s\n", argv[7]);
            return 1;
        }
    }
    free(col);
    free(latency);
    free(p);
    return 0;
}
