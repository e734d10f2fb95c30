#include "notify/sender.h"

#include "store/store.h"
#include "util/alloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IDLE_POLL_SECONDS 1

struct mail_sender {
    struct store *store;
    const struct delivery_config *cfg;
    int64_t (*clock)(void);
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, woken;
    int (*job)(void *ctx, int64_t now); /* NULL: none */
    void *job_ctx;
};

int64_t mail_sender_backoff(int attempts, int64_t base)
{
    int64_t wait = base > 0 ? base : 30;
    for (int i = 1; i < attempts && wait < 3600; i++)
        wait *= 2;
    return wait < 3600 ? wait : 3600;
}

static const char *domain_of(const char *address)
{
    const char *at = strchr(address, '@');
    return at ? at + 1 : "?";
}

/* Delivers every message due now; returns when none is left or on a store error. */
static void drain(struct mail_sender *m)
{
    char err[256], why[256];
    for (;;) {
        struct store_mail mail;
        int64_t now = m->clock();
        int got = store_outbox_next(m->store, now, &mail, err, sizeof err);
        if (got <= 0) {
            if (got < 0)
                fprintf(stderr, "padron: mail: %s\n", err);
            return;
        }
        int sent = delivery_send(m->cfg, mail.recipient, mail.message, why, sizeof why);
        free(mail.message);
        now = m->clock();
        if (sent == 0) {
            if (store_outbox_sent(m->store, mail.id, now, err, sizeof err) != 0)
                fprintf(stderr, "padron: mail #%lld: %s\n", (long long)mail.id, err);
            continue;
        }
        bool give_up = mail.attempts >= SENDER_MAX_ATTEMPTS;
        int64_t next =
            give_up ? 0 : now + mail_sender_backoff(mail.attempts, m->cfg->retry_seconds);
        bool sms = strncmp(mail.recipient, DELIVERY_SMS_PREFIX, strlen(DELIVERY_SMS_PREFIX)) == 0;
        fprintf(stderr, "padron: %s #%lld to %s%s: attempt %d failed (%s)%s\n",
                sms ? "sms" : "mail", (long long)mail.id, sms ? "a phone" : "a recipient at ",
                sms ? "" : domain_of(mail.recipient), mail.attempts, why,
                give_up ? "; giving up" : "");
        if (store_outbox_failed(m->store, mail.id, why, now, next, err, sizeof err) != 0)
            fprintf(stderr, "padron: mail #%lld: %s\n", (long long)mail.id, err);
    }
}

static void *run(void *arg)
{
    struct mail_sender *m = arg;
    pthread_mutex_lock(&m->lock);
    while (!m->stop) {
        m->woken = false;
        int (*job)(void *, int64_t) = m->job;
        void *job_ctx = m->job_ctx;
        pthread_mutex_unlock(&m->lock);
        if (job)
            job(job_ctx, m->clock());
        drain(m);
        pthread_mutex_lock(&m->lock);
        if (m->stop || m->woken)
            continue;
        /* Retries come due without a wake-up: look again every second. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += IDLE_POLL_SECONDS;
        pthread_cond_timedwait(&m->wake, &m->lock, &until);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

struct mail_sender *mail_sender_start(struct store *s, const struct delivery_config *cfg,
                                      int64_t (*clock)(void), char *err, size_t errsz)
{
    struct mail_sender *m = xcalloc(1, sizeof *m);
    m->store = s;
    m->cfg = cfg;
    m->clock = clock;
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->wake, NULL);
    if (pthread_create(&m->thread, NULL, run, m) != 0) {
        snprintf(err, errsz, "mail: cannot start the sender thread");
        pthread_mutex_destroy(&m->lock);
        pthread_cond_destroy(&m->wake);
        free(m);
        return NULL;
    }
    return m;
}

void mail_sender_wake(struct mail_sender *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->woken = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
}

void mail_sender_set_job(struct mail_sender *m, int (*job)(void *ctx, int64_t now), void *ctx)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->job = job;
    m->job_ctx = ctx;
    m->woken = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
}

void mail_sender_stop(struct mail_sender *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->stop = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    pthread_mutex_destroy(&m->lock);
    pthread_cond_destroy(&m->wake);
    free(m);
}
