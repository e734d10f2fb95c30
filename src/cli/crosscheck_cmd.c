/* padron crosscheck: the active enrollments against the current IMSS and ISSSTE
 * rolls; reports (and optionally suspends, with a mail) the people who became
 * affiliated. */
#include "cli/commands.h"

#include "cli/config.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "cli/workspace.h"
#include "notify/message.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: padron crosscheck [--suspend] [--notify] [--out FILE] [--data DIR]\n\n"
    "Compares every active enrollment in DIR/padron.db (default ./var) with the active\n"
    "rows of the IMSS and ISSSTE rolls last imported (padron import affiliations) and\n"
    "lists the people who became affiliated: folio and institution, one a line, to\n"
    "FILE (folio, curp, institution, CSV) or to stdout (folio, masked CURP,\n"
    "institution). A summary follows on stderr. It reads the rolls and enrollments in\n"
    "CURP order over their indexes, in constant memory.\n\n"
    "  --suspend   mark them suspended and revoke their credentials (in batches of\n"
    "              1000, one transaction each); a suspended enrollment gets no new\n"
    "              credential, is refused at reception's check-in, and is left out\n"
    "              of the next cross-check; one a staff review lifted is not\n"
    "              suspended again until the roll is imported again\n"
    "  --notify    with --suspend: queue a mail (Spanish and English) to each one\n"
    "              suspended who has an email, in the same transaction\n\n"
    "Exit status: 0 done (whether or not anyone was found); 1 failed; 2 usage error.\n";

#define SUSPEND_BATCH 1000

struct run {
    struct workspace *w;
    FILE *out;
    bool masked; /* stdout: the CURP is masked */
    bool suspend, notify;
    struct store_affiliated batch[SUSPEND_BATCH];
    char *messages[SUSPEND_BATCH];
    size_t n, suspended;
    int64_t now;
    struct progress bar;
    char err[1024];
};

static int compose_notice(const struct run *r, const struct store_affiliated *a, char **message)
{
    const char *inst = store_institution_name(a->institution);
    char body[2048];
    snprintf(body, sizeof body,
             "Su inscripción al IMSS-Bienestar con folio %s quedó suspendida: el padrón del\n"
             "%s la registra hoy como derechohabiente activa, y la atención gratuita del\n"
             "IMSS-Bienestar es para quien no tiene seguridad social. Su credencial quedó\n"
             "revocada. Acuda al %s para su atención.\n\n"
             "Si es un error, pida a IMSS-Bienestar que lo revise en su centro de salud.\n\n"
             "---\n\n"
             "Your IMSS-Bienestar enrollment, folio %s, is suspended: the %s roll lists you\n"
             "as an active member today, and IMSS-Bienestar's free care is for people\n"
             "without social security. Your credential was revoked. Go to %s for care.\n\n"
             "If this is a mistake, ask IMSS-Bienestar to review it at your health centre.\n",
             a->folio, inst, inst, a->folio, inst, inst);
    char why[256];
    struct mail_text mt = {.from = config_str(&r->w->conf, CONFIG_MAIL_FROM),
                           .to = a->email,
                           .subject = "Inscripción suspendida / Enrollment suspended",
                           .body = body,
                           .date = r->now};
    if (mail_compose(&mt, message, why, sizeof why) != 0) {
        *message = NULL; /* an address the composer refuses gets no mail, not a failure */
        return -1;
    }
    return 0;
}

static int flush_batch(struct run *r)
{
    size_t done = 0;
    int rc = store_suspend_affiliated(r->w->store, r->batch, (const char *const *)r->messages, r->n,
                                      r->now, &done, r->err, sizeof r->err);
    for (size_t i = 0; i < r->n; i++) {
        free(r->messages[i]);
        r->messages[i] = NULL;
    }
    r->suspended += done;
    r->n = 0;
    return rc;
}

static void mask_curp(const char *curp, char out[19])
{
    /* The initials and the check digit only: enough to tell lines apart. */
    snprintf(out, 19, "%.4s************%c%c", curp, curp[16], curp[17]);
}

static int on_affiliated(void *ctx, const struct store_affiliated *a)
{
    struct run *r = ctx;
    const char *inst = store_institution_name(a->institution);
    int written;
    if (r->masked) {
        char masked[19];
        mask_curp(a->curp, masked);
        written = fprintf(r->out, "%s\t%s\t%s\n", a->folio, masked, inst);
    } else {
        written = fprintf(r->out, "%s,%s,%s\n", a->folio, a->curp, inst);
    }
    if (written < 0) {
        snprintf(r->err, sizeof r->err, "writing the list: %s", strerror(errno));
        return -1;
    }
    if (!r->suspend)
        return 0;
    r->batch[r->n] = *a;
    r->messages[r->n] = NULL;
    if (r->notify && a->email[0])
        compose_notice(r, a, &r->messages[r->n]);
    if (++r->n == SUSPEND_BATCH)
        return flush_batch(r);
    return 0;
}

static void on_progress(void *ctx, long scanned)
{
    struct run *r = ctx;
    progress_update(&r->bar, scanned);
}

int cli_crosscheck(int argc, char **argv)
{
    const char *data = NULL, *out_path = NULL;
    bool suspend = false, notify = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(arg, "--suspend") == 0) {
            suspend = true;
            continue;
        }
        if (strcmp(arg, "--notify") == 0) {
            notify = true;
            continue;
        }
        int r = cli_option_value("--data", argc, argv, &i, &data);
        if (r == 0)
            r = cli_option_value("--out", argc, argv, &i, &out_path);
        if (r <= 0)
            return cli_usage_error("crosscheck", "%s option '%s'",
                                   r < 0 ? "missing value for" : "unknown", arg);
    }
    if (notify && !suspend)
        return cli_usage_error("crosscheck", "--notify needs --suspend");

    struct workspace w;
    struct run *r = calloc(1, sizeof *r);
    int rc = 1;
    if (!r) {
        fprintf(stderr, "padron crosscheck: out of memory\n");
        return 1;
    }
    if (workspace_open("crosscheck", data, &w) != 0)
        goto cleanup;
    r->w = &w;
    r->suspend = suspend;
    r->notify = notify;
    r->now = (int64_t)time(NULL);
    if (notify && workspace_mail_key(w.store, w.dir, r->err, sizeof r->err) != 0)
        goto report;
    for (int inst = STORE_IMSS; inst <= STORE_ISSSTE; inst++) {
        int64_t at;
        long rows;
        int got = store_roll_info(w.store, inst, &at, &rows, r->err, sizeof r->err);
        if (got < 0)
            goto report;
        if (got == 0)
            fprintf(stderr,
                    "padron crosscheck: the %s roll was never imported; only the other"
                    " one is compared\n",
                    store_institution_name(inst));
    }
    if (out_path) {
        if (!(r->out = fopen(out_path, "w"))) {
            snprintf(r->err, sizeof r->err, "--out: %s: %s", out_path, strerror(errno));
            goto report;
        }
    } else {
        r->out = stdout;
        r->masked = true;
    }
    progress_start(&r->bar, "crosscheck", store_unsuspended_count(w.store));
    struct store_crosscheck_hooks hooks = {on_affiliated, on_progress, r};
    struct store_crosscheck_totals t;
    if (store_crosscheck(w.store, &hooks, &t, r->err, sizeof r->err) != 0 ||
        (r->n && flush_batch(r) != 0))
        goto report;
    double seconds = progress_finish(&r->bar);
    if (out_path) {
        FILE *f = r->out;
        r->out = NULL;
        if (fclose(f) != 0) {
            snprintf(r->err, sizeof r->err, "--out: %s: %s", out_path, strerror(errno));
            goto report;
        }
    } else if (fflush(stdout) != 0) {
        snprintf(r->err, sizeof r->err, "writing the list: %s", strerror(errno));
        goto report;
    }
    fprintf(stderr,
            "crosscheck: %ld active enrollments compared in %.1f s (%.0f per second); "
            "affiliated: %ld IMSS, %ld ISSSTE (%ld in both rolls)",
            t.enrollments, seconds, seconds > 0 ? (double)t.enrollments / seconds : 0.0,
            t.affiliated[STORE_IMSS], t.affiliated[STORE_ISSSTE], t.in_both);
    if (suspend)
        fprintf(stderr, "; suspended: %zu", r->suspended);
    fprintf(stderr, "\n");
    rc = 0;
report:
    if (rc != 0 && r->err[0])
        fprintf(stderr, "padron crosscheck: %s\n", r->err);
cleanup:
    for (size_t i = 0; i < r->n; i++)
        free(r->messages[i]);
    if (r->out && r->out != stdout)
        fclose(r->out);
    workspace_close(&w);
    free(r);
    return rc;
}
