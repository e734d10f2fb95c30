#include "notify/delivery.h"

#include "util/fs.h"

#include <curl/curl.h>
#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int delivery_maildir(const char *dir, const char *message, char *err, size_t errsz)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static unsigned long counter;
    char tmp[PATH_MAX], dst[PATH_MAX], sub[PATH_MAX];
    static const char *const subdirs[] = {"tmp", "new", "cur"};
    for (int i = 0; i < 3; i++) {
        if (snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[i]) >= (int)sizeof sub) {
            snprintf(err, errsz, "maildir: path too long");
            return -1;
        }
        if (fs_mkdir_p(sub, 0700, err, errsz) != 0)
            return -1;
    }
    pthread_mutex_lock(&lock);
    unsigned long n = ++counter;
    pthread_mutex_unlock(&lock);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* The Maildir naming convention: time, a per-process unique part, host. */
    char name[128];
    snprintf(name, sizeof name, "%lld.M%ldP%dQ%lu.padron", (long long)ts.tv_sec, ts.tv_nsec / 1000,
             (int)getpid(), n);
    if (snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, name) >= (int)sizeof tmp ||
        snprintf(dst, sizeof dst, "%s/new/%s", dir, name) >= (int)sizeof dst) {
        snprintf(err, errsz, "maildir: path too long");
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errsz, "maildir: %s", strerror(errno));
        return -1;
    }
    int ok = fs_write_all(fd, message, strlen(message)) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, dst) != 0) {
        snprintf(err, errsz, "maildir: %s", strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

struct upload {
    const char *data;
    size_t left;
};

static size_t read_upload(char *buf, size_t size, size_t nitems, void *userdata)
{
    struct upload *u = userdata;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(buf, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

static int send_smtp(const struct delivery_config *cfg, const char *recipient, const char *message,
                     char *err, size_t errsz)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(err, errsz, "smtp: cannot initialise libcurl");
        return -1;
    }
    char rcpt[300];
    snprintf(rcpt, sizeof rcpt, "<%s>", recipient);
    char from[300];
    snprintf(from, sizeof from, "<%s>", cfg->from);
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    struct upload u = {message, strlen(message)};
    char curl_err[CURL_ERROR_SIZE] = "";
    static const long tls[] = {[DELIVERY_TLS_TRY] = CURLUSESSL_TRY,
                               [DELIVERY_TLS_REQUIRE] = CURLUSESSL_ALL,
                               [DELIVERY_TLS_NONE] = CURLUSESSL_NONE};
    curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, tls[cfg->tls]);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_seconds > 0 ? cfg->timeout_seconds : 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (cfg->username && cfg->password) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->username);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->password);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK)
        snprintf(err, errsz, "smtp: %s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

/* Ignores the gateway's answer: only its status counts. */
static size_t discard(char *buf, size_t size, size_t nitems, void *userdata)
{
    (void)buf, (void)userdata;
    return size * nitems;
}

/* POSTs an SMS (a JSON body) to the webhook; any 2xx answer means accepted. */
static int send_sms(const struct delivery_config *cfg, const char *json, char *err, size_t errsz)
{
    if (!cfg->sms_url) {
        snprintf(err, errsz, "sms: no gateway configured");
        return -1;
    }
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(err, errsz, "sms: cannot start libcurl");
        return -1;
    }
    char curl_err[CURL_ERROR_SIZE] = "", auth[600];
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (cfg->sms_token &&
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->sms_token) < (int)sizeof auth)
        headers = curl_slist_append(headers, auth);
    curl_easy_setopt(curl, CURLOPT_URL, cfg->sms_url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_seconds > 0 ? cfg->timeout_seconds : 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK)
        snprintf(err, errsz, "sms: %s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(err, errsz, "sms: the gateway answered %ld", status);
    sodium_memzero(auth, sizeof auth);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}

int delivery_send(const struct delivery_config *cfg, const char *recipient, const char *message,
                  char *err, size_t errsz)
{
    if (strncmp(recipient, DELIVERY_SMS_PREFIX, strlen(DELIVERY_SMS_PREFIX)) == 0)
        return send_sms(cfg, message, err, errsz);
    if (cfg->smtp_url)
        return send_smtp(cfg, recipient, message, err, errsz);
    return delivery_maildir(cfg->maildir, message, err, errsz);
}
