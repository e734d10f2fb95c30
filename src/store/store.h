/*
 * store: the only way to padron's database.
 *
 * Invariants:
 * - No SQL or database type appears outside src/store/: callers see plain C
 *   structs, whichever database is behind them.
 * - Two backends share one implementation (sql_internal.h): SQLite keeps one
 *   file, DATA/padron.db, in WAL mode; PostgreSQL serves many instances. The
 *   schema migrations (migrations.h) are applied at open in one transaction
 *   each; the schema version never goes backwards and a database newer than
 *   this binary is refused rather than guessed at.
 * - Thread-safe: a struct store is shared by every connection thread; it hands
 *   each call a pooled connection.
 * - Each write is one transaction: a failure leaves nothing half-written.
 * - Times are Unix seconds supplied by the caller (no clock in here).
 * - Functions return 0 on success and -1 on failure with "what: why" in err
 *   (never a CURP, token or other personal datum in the message); lookups
 *   return 1 when found and 0 when not.
 */
#ifndef PADRON_STORE_STORE_H
#define PADRON_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_ID_LEN         32 /* registration ids: 32 lowercase hex characters */
#define STORE_TOKEN_HASH_LEN 32 /* callers store a hash of each bearer token, never the token */

struct store;

/* Opens the database target and migrates it to the current schema: a SQLite file
 * (created when missing), or a PostgreSQL server given as a postgresql:// (or
 * postgres://) URL, whose database must exist. Returns 0 with *out set, or -1
 * with the reason in err (never the URL's password). */
int store_open(const char *target, struct store **out, char *err, size_t errsz);

/* Connects to target without changing anything and reads its schema version
 * (0 for an empty database) into *version; 0, or -1 with the reason in err. */
int store_probe(const char *target, int *version, char *err, size_t errsz);

/* Whether target names a PostgreSQL server rather than a SQLite file. */
bool store_is_postgresql(const char *target);

/* Closes every pooled connection and frees s; NULL is a no-op. */
void store_close(struct store *s);

/* 0 when the database answers a trivial query, else -1. */
int store_ping(struct store *s);

/* Whether a store call on this thread found the database unavailable (the
 * server down, restarting, the connection lost mid-call, or SQLite still
 * locked by a long write after its busy timeout) since the last
 * store_unavailable_clear. A call that failed so committed nothing it could
 * acknowledge; the failure is temporary (HTTP 503, try again shortly). A server
 * clears it before each request it handles. */
bool store_unavailable(void);
void store_unavailable_clear(void);

/* The schema version the database is at. */
int store_schema_version(struct store *s);

/* ---- Affiliation rolls (IMSS, ISSSTE) ---- */

enum store_institution { STORE_IMSS = 0, STORE_ISSSTE = 1 };

/* "IMSS" or "ISSSTE". */
const char *store_institution_name(enum store_institution inst);

struct store_roll_import;

/* Starts replacing an institution's roll, imported at now. Rows added are
 * invisible to readers until store_roll_commit; store_roll_abort (or any failed
 * add) keeps the old roll whole. The import holds the database's write lock
 * until it ends. */
int store_roll_begin(struct store *s, enum store_institution inst, int64_t now,
                     struct store_roll_import **out, char *err, size_t errsz);

/* Adds one row: an 18-character CURP, an optional 11-digit NSS (NULL or ""),
 * active or not, an optional YYYY-MM-DD date (NULL or ""). A CURP already added
 * in this import is an error naming it as a duplicate. */
int store_roll_add(struct store_roll_import *imp, const char *curp, const char *nss, bool active,
                   const char *as_of, char *err, size_t errsz);

/* Replaces the roll with the rows added, atomically; stores the row count in
 * *rows when rows is not NULL. Frees imp whatever the outcome. */
int store_roll_commit(struct store_roll_import *imp, size_t *rows, char *err, size_t errsz);

/* Drops the rows added, keeps the old roll, frees imp. NULL is a no-op. */
void store_roll_abort(struct store_roll_import *imp);

struct store_affiliation {
    enum store_institution institution;
    bool active;
    char nss[12];   /* "" when the roll has none */
    char as_of[11]; /* "" when the roll has none */
};

/* Looks the CURP up in both rolls. An active row wins over an inactive one and
 * IMSS over ISSSTE. Returns 1 (found, *out filled), 0 (in no roll) or -1. */
int store_roll_lookup(struct store *s, const char *curp, struct store_affiliation *out, char *err,
                      size_t errsz);

/* Looks the CURP up in one institution's roll: 1 (found, *out filled), 0, -1. */
int store_roll_find(struct store *s, enum store_institution inst, const char *curp,
                    struct store_affiliation *out, char *err, size_t errsz);

/* Rows in an institution's roll, or -1 on error. */
long store_roll_count(struct store *s, enum store_institution inst);

/* When an institution's roll was last imported and with how many rows: 1 (set),
 * 0 (never imported), -1 on error. */
int store_roll_info(struct store *s, enum store_institution inst, int64_t *imported_at, long *rows,
                    char *err, size_t errsz);

/* ---- Registrations ---- */

enum store_registration_status {
    STORE_REG_DRAFT = 0,  /* being filled in; never blocks its CURP */
    STORE_REG_ACTIVE = 1, /* submitted: at most one per CURP, enforced by the schema */
};

/* The contact step. */
struct store_contact {
    int state;                   /* INEGI code of the state of residence, 1-32; 0 = not given */
    char phone[11];              /* 10 digits, "" when not given */
    bool phone_confirmed;        /* confirmed by an SMS code */
    char email[255];             /* normalised, "" when not given */
    int64_t email_verified_at;   /* 0 until verified */
    char privacy_version[16];    /* the notice version last accepted, "" when none */
    int64_t privacy_accepted_at; /* when it was accepted, 0 when never */
};

/* The address step. Text fields are UTF-8, already checked and trimmed. */
#define STORE_TEXT_MAX  400 /* bytes: 100 characters of up to 4 bytes */
#define STORE_SHORT_MAX 80  /* bytes: 20 characters */

struct store_address {
    char postal_code[6];
    int state;        /* INEGI cve_ent */
    int municipality; /* INEGI cve_mun within the state */
    char settlement[STORE_TEXT_MAX + 1];
    char street[STORE_TEXT_MAX + 1];
    char number[STORE_SHORT_MAX + 1];
    char interior[STORE_SHORT_MAX + 1]; /* "" when none */
    int64_t recorded_at;                /* 0: no address yet */
};

/* The documents an applicant uploads. */
enum store_document_kind {
    STORE_DOC_ID_FRONT = 0,         /* official ID, front (INE, passport, INM card, FMM) */
    STORE_DOC_ID_BACK = 1,          /* official ID, back */
    STORE_DOC_FACE = 2,             /* a photo of the face */
    STORE_DOC_MIGRATION_STATUS = 3, /* foreigners: proof of regular migration status */
    STORE_DOC_KINDS
};

struct store_document {
    char blob[65];       /* blob-store id of the re-encoded photo; "" when none */
    int width, height;   /* pixels of the stored photo */
    int64_t bytes;       /* size of the stored photo */
    int64_t uploaded_at; /* 0: none uploaded */
};

/* The person's names, UTF-8, cleaned and checked against the CURP by the caller
 * (core/person_name). */
#define STORE_NAME_MAX 100 /* bytes per name */

struct store_names {
    char given_names[STORE_NAME_MAX + 1];    /* "" until the names step */
    char first_surname[STORE_NAME_MAX + 1];  /* "" until the names step */
    char second_surname[STORE_NAME_MAX + 1]; /* "" when the person has one surname */
};

struct store_registration {
    char id[STORE_ID_LEN + 1];
    char curp[19];
    enum store_registration_status status;
    uint8_t token_hash[STORE_TOKEN_HASH_LEN];
    int64_t created_at, updated_at;
    char folio[24]; /* "" until active */
    struct store_contact contact;
    bool password_set;            /* a password hash is stored (the hash itself is not read here) */
    struct store_address address; /* the latest one */
    struct store_document documents[STORE_DOC_KINDS]; /* the latest of each kind */
    char nationality[12];     /* "mexican", "foreign", or "" when not said (read as mexican) */
    char id_type[12];         /* "ine", "passport", "inm_card", "fmm", or "" (read as ine) */
    char pending_email[255];  /* an active enrollment's new email awaiting its code, or "" */
    struct store_names names; /* given_names[0] == '\0' until the names step */
    int64_t
        names_corrected_at; /* the last correction of the active enrollment's names, 0 if none */
    /* Assisted enrollment (sqlite_assisted.c): the staff account that assisted it at a
     * desk and the one that attested the person's identity there, and when; 0 if none. */
    int64_t assisted_by, verified_by_staff, verified_by_staff_at;
    /* Suspension (padron crosscheck --suspend, sqlite_crosscheck.c): when the person was
     * found active in a roll, and which; 0 and STORE_IMSS while not suspended. */
    int64_t suspended_at;
    enum store_institution suspended_institution;
};

/* Creates a draft for curp with the caller's id and token hash. */
int store_registration_create(struct store *s, const char *id, const char *curp,
                              const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                              char *err, size_t errsz);

/* Reads the registration with this id: 1 found, 0 not found, -1 error. */
int store_registration_get(struct store *s, const char *id, struct store_registration *out,
                           char *err, size_t errsz);

/* Stores the contact step of a draft and records the consent (version, language,
 * time) in the consent history. A changed email address loses its verification.
 * Returns 1 when stored, 0 when the registration is not a draft any more (or does
 * not exist), -1 on error. */
int store_registration_set_contact(struct store *s, const char *id, const struct store_contact *c,
                                   const char *language, int64_t now, char *err, size_t errsz);

/* ---- Email verification ---- */

struct store_code_policy {
    int64_t ttl;          /* seconds a code stays valid (600) */
    int max_attempts;     /* wrong guesses before the code is dead (5) */
    int64_t min_interval; /* seconds between two sends (60) */
    int64_t window;       /* length of the send-count window (3600) */
    int max_per_window;   /* sends allowed in one window (5) */
};

/* Issues a new code for a draft's current email: replaces any previous code and
 * queues message (a complete RFC 5322 text addressed to that email) in the outbox,
 * in one transaction. Returns 1 when issued, 0 when throttled by the policy
 * (*retry_after = seconds to wait), -2 when the draft has no email or is not a
 * draft, -1 on error. */
int store_email_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz);

enum store_code_result {
    STORE_CODE_OK,        /* matched: the email is now verified, the code is gone */
    STORE_CODE_WRONG,     /* no match: one attempt used (*attempts_left tells how many remain) */
    STORE_CODE_EXPIRED,   /* past its time */
    STORE_CODE_EXHAUSTED, /* too many wrong attempts */
    STORE_CODE_NONE,      /* no code was issued (or the email changed since) */
    STORE_CODE_ERROR,
};

/* Checks a guess against the draft's code. */
enum store_code_result store_email_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz);

/* ---- Phone verification ---- */

/* Issues a code for the phone of a draft or an active enrollment, as
 * store_email_code_issue does for an email; message is the SMS gateway's JSON
 * body, queued for "sms:+52PHONE". -2 when there is no phone. */
int store_phone_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz);

/* Checks a guess against the phone code; a match confirms the phone. */
enum store_code_result store_phone_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz);

/* ---- Contact changes of an active enrollment ---- */

/* Records a new phone (10 digits, or "" for none), unconfirmed. Returns 1, 0 when
 * the enrollment is not active, -1 on error. */
int store_account_set_phone(struct store *s, const char *id, const char *phone, int64_t now,
                            char *err, size_t errsz);

/* Sets the email waiting for its code (the login keeps the current one until
 * then); "" cancels. Returns 1, 0 when not active, -1 on error. */
int store_account_set_pending_email(struct store *s, const char *id, const char *email, int64_t now,
                                    char *err, size_t errsz);

/* A code mailed to the pending email; on a match the pending email becomes the
 * email, verified. Results as store_email_code_issue/check (-2: nothing pending). */
int store_email_change_issue(struct store *s, const char *id,
                             const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                             const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                             char *err, size_t errsz);
enum store_code_result store_email_change_check(struct store *s, const char *id,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const struct store_code_policy *p, int64_t now,
                                                int *attempts_left, char *err, size_t errsz);

/* ---- Password reset ---- */

/* Issues a password-reset code for an active enrollment, mailed to its email, with
 * the same rules and results as store_email_code_issue (-2: not active or no email). */
int store_reset_code_issue(struct store *s, const char *id,
                           const uint8_t code_hash[STORE_TOKEN_HASH_LEN], const char *message,
                           const struct store_code_policy *p, int64_t now, int64_t *retry_after,
                           char *err, size_t errsz);

/* Checks a guess against the enrollment's reset code. When it matches, in one
 * transaction: password_hash (an argon2id string) becomes the password, the code is
 * spent and every session of the account ends (STORE_CODE_OK). */
enum store_code_result store_reset_code_check(struct store *s, const char *id,
                                              const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                              const char *password_hash,
                                              const struct store_code_policy *p, int64_t now,
                                              int *attempts_left, char *err, size_t errsz);

/* ---- Mail outbox ---- */

/* Messages wait in the outbox encrypted (XChaCha20-Poly1305, the recipient as
 * associated data, a random nonce each) under the mail key once it is set: a
 * message may hold a verification code, a staff set-password code or a letter
 * with a person's CURP, and a copy of the database (a backup, another host's
 * PostgreSQL) must not reveal them. The key is copied (and wiped on close).
 * Without a key (unit tests of the store) messages are kept as given; a message
 * stored encrypted is never handed out without its key. */
#define STORE_MAIL_KEY_LEN 32
void store_set_mail_key(struct store *s, const uint8_t key[STORE_MAIL_KEY_LEN]);

struct store_mail {
    int64_t id;
    char recipient[255];
    char *message; /* owned by the caller: free() it */
    int attempts;
};

/* Takes the oldest message due at now. Returns 1 (filled), 0 (none due), -1. */
int store_outbox_next(struct store *s, int64_t now, struct store_mail *out, char *err,
                      size_t errsz);

/* Marks a message delivered. */
int store_outbox_sent(struct store *s, int64_t id, int64_t now, char *err, size_t errsz);

/* Records a failed delivery: retried at next_at, or given up when next_at is 0.
 * error is a short reason for operators (never the message text). */
int store_outbox_failed(struct store *s, int64_t id, const char *error, int64_t now,
                        int64_t next_at, char *err, size_t errsz);

/* Messages still waiting (not sent, not given up), or -1. */
long store_outbox_pending(struct store *s);

/* Stores the password hash (an argon2id string) of a draft. Returns 1, 0 when
 * the registration is not a draft (or does not exist), -1 on error. */
int store_registration_set_password(struct store *s, const char *id, const char *hash, int64_t now,
                                    char *err, size_t errsz);

/* Records which official ID a draft's person shows and their nationality (values
 * as in struct store_registration; the schema refuses others). Returns 1, 0 when
 * not a draft, -1 on error. */
int store_registration_set_identity(struct store *s, const char *id, const char *nationality,
                                    const char *id_type, int64_t now, char *err, size_t errsz);

/* Stores the names of a draft. Returns 1, 0 when the registration is not a
 * draft (or does not exist), -1 on error. */
int store_registration_set_names(struct store *s, const char *id, const struct store_names *n,
                                 int64_t now, char *err, size_t errsz);

/* Corrects the names of an active enrollment, in one transaction: the names it
 * replaces go into the correction history with by (who corrected: "applicant",
 * later a staff account) and now, and names_corrected_at becomes now. Returns 1
 * when corrected, 2 when n equals the current names (nothing recorded), 0 when
 * the enrollment is not active (or does not exist), -1 on error. A correction
 * (1) is what invalidates a credential issued with the old names. */
int store_registration_correct_names(struct store *s, const char *id, const struct store_names *n,
                                     const char *by, int64_t now, char *err, size_t errsz);

/* One earlier version of an enrollment's names. */
struct store_name_correction {
    struct store_names old; /* the names before the correction */
    char by[65];
    int64_t corrected_at;
};

/* The corrections of an enrollment's names, oldest first: up to max into out.
 * Returns how many there are (possibly more than max), or -1 on error. */
int store_name_corrections(struct store *s, const char *id, struct store_name_correction *out,
                           int max, char *err, size_t errsz);

/* Records a new address for a draft; earlier ones stay as history. Returns 1, 0
 * when the registration is not a draft (or does not exist), -1 on error. */
int store_registration_add_address(struct store *s, const char *id, const struct store_address *a,
                                   int64_t now, char *err, size_t errsz);

/* Records a new address for an active enrollment (a move); earlier ones stay as
 * history. Returns 1, 0 when the enrollment is not active, -1 on error. */
int store_registration_move(struct store *s, const char *id, const struct store_address *a,
                            int64_t now, char *err, size_t errsz);

/* Records an uploaded document of a draft (earlier uploads of the kind stay as
 * history). Returns 1, 0 when not a draft (or unknown), -1 on error. */
int store_document_add(struct store *s, const char *id, enum store_document_kind kind,
                       const struct store_document *d, int64_t now, char *err, size_t errsz);

enum store_submit_result {
    STORE_SUBMIT_OK = 1,           /* the draft is now active with this folio */
    STORE_SUBMIT_NOT_DRAFT = 0,    /* already submitted, or unknown */
    STORE_SUBMIT_CURP_ACTIVE = -2, /* another application of this CURP became active first */
    STORE_SUBMIT_FOLIO_TAKEN = -3, /* the folio exists already: draw another */
    STORE_SUBMIT_ERROR = -1,
};

/* Turns a draft into an active enrollment with the given folio, in one
 * transaction. The schema lets only one application per CURP be active, so of two
 * concurrent submits for one CURP exactly one succeeds. */
enum store_submit_result store_registration_submit(struct store *s, const char *id,
                                                   const char *folio, int64_t now, char *err,
                                                   size_t errsz);

/* ---- Accounts and sessions ---- */

/* Finds the active enrollment whose CURP (18 characters, upper case) or email
 * (compared without case) is login, with its password hash (empty when none). Returns 1
 * (found), 0 (none), 2 (an email shared by several enrollments: the CURP must be
 * used), -1 on error. */
int store_account_find(struct store *s, const char *login, char id[STORE_ID_LEN + 1],
                       char password_hash[128], char *err, size_t errsz);

/* The registration whose own bearer token hashes to token_hash: 1 (id filled), 0,
 * -1 on error. */
int store_registration_find_by_token(struct store *s,
                                     const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                                     char id[STORE_ID_LEN + 1], char *err, size_t errsz);

/* Creates a session for a registration; only the token's hash is stored. */
int store_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                         const char *id, int64_t now, int64_t expires_at, char *err, size_t errsz);

/* The registration of a live session: 1 (id filled), 0 (unknown or expired), -1. */
int store_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], int64_t now,
                       char id[STORE_ID_LEN + 1], char *err, size_t errsz);

/* Ends a session; 1 when there was one, 0 when not, -1 on error. */
int store_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN], char *err,
                         size_t errsz);

/* Failure counters over a sliding window, keyed by text (e.g. "ip:1.2.3.4").
 * store_throttle_check: 1 when fewer than max failures were counted in the last
 * window seconds, 0 when blocked (*retry_after set), -1 on error.
 * store_throttle_fail counts one failure; store_throttle_clear forgets the key. */
int store_throttle_check(struct store *s, const char *key, int64_t now, int64_t window, int max,
                         int64_t *retry_after, char *err, size_t errsz);
int store_throttle_fail(struct store *s, const char *key, int64_t now, int64_t window, char *err,
                        size_t errsz);
int store_throttle_clear(struct store *s, const char *key, char *err, size_t errsz);

/* 1 when curp has an active registration, 0 when not, -1 on error. */
int store_curp_enrolled(struct store *s, const char *curp, char *err, size_t errsz);

/* ---- Signed credentials and letters ---- */

#define STORE_ISSUED_ID_LEN 14   /* "CR26-7K3M-9QXD" / "NA26-7K3M-9QXD" (core/folio.h) */
#define STORE_ENVELOPE_MAX  4296 /* the QR text (credential/envelope.h ENVELOPE_TEXT_MAX) */

/* Revocation state shared by credentials and letters. */
struct store_revocation {
    int64_t revoked_at; /* 0 while in force */
    char reason[64];    /* "reissued", "corrected", or what staff wrote */
};

/* A credential: the signed envelope of an active enrollment's data. Its id is the
 * envelope's cti. */
struct store_credential {
    char id[STORE_ISSUED_ID_LEN + 1];
    char registration[STORE_ID_LEN + 1];
    int64_t issued_at, expires_at;
    int64_t data_at; /* the version of the data it carries (issuance.h): a time */
    struct store_revocation revocation;
    char envelope[STORE_ENVELOPE_MAX + 1];
};

/* Records a newly issued credential and, in the same transaction, revokes every
 * earlier credential of the same registration still in force, with reason
 * (e.g. "reissued", "corrected"). Unless force, a credential in force whose data_at
 * is at least c->data_at wins: nothing is written and 2 is returned (the caller
 * reads the current one). Returns 1, 2, 0 when the id exists already (draw
 * another), -1 on error. */
int store_credential_add(struct store *s, const struct store_credential *c, const char *reason,
                         bool force, char *err, size_t errsz);

/* The newest credential of a registration neither revoked nor expired at now:
 * 1 (out filled), 0 (none), -1 on error. */
int store_credential_current(struct store *s, const char *registration, int64_t now,
                             struct store_credential *out, char *err, size_t errsz);

/* A Carta de No Afiliación: the statement that curp was not found active in an
 * institution's roll as it stood on roll_date. Its folio is the envelope's cti
 * and the key of its verification URL. */
struct store_letter {
    char folio[STORE_ISSUED_ID_LEN + 1];
    char curp[19];
    enum store_institution institution;
    char email[255];
    char language[3];         /* "es" or "en" */
    struct store_names names; /* all "" when not given */
    char roll_date[11];       /* YYYY-MM-DD */
    int64_t issued_at, expires_at;
    struct store_revocation revocation;
    char envelope[STORE_ENVELOPE_MAX + 1];
    /* The hash of the key that lets whoever asked for the letter download its PDF
     * (the folio alone is printed on it, so it must not be enough). */
    uint8_t download_hash[STORE_TOKEN_HASH_LEN];
};

/* Records an issued letter and, in the same transaction, queues message (a
 * complete RFC 5322 text to l->email; NULL sends nothing) in the outbox.
 * Returns 1, 0 when the folio exists already (draw another), -1 on error. */
int store_letter_add(struct store *s, const struct store_letter *l, const char *message, char *err,
                     size_t errsz);

/* The letter with this folio (canonical form): 1 (out filled), 0, -1. */
int store_letter_get(struct store *s, const char *folio, struct store_letter *out, char *err,
                     size_t errsz);

/* Revokes the credential or letter with this id (a CR or NA folio) at now:
 * 1 revoked, 0 unknown or already revoked, -1 on error. */
int store_issued_revoke(struct store *s, const char *id, const char *reason, int64_t now, char *err,
                        size_t errsz);

/* Calls each(ctx, id) for every credential and letter revoked and not yet expired
 * at now (an expired one fails verification anyway, so the list stays short), in
 * id order. Stops early when each returns non-zero. Returns how many were
 * listed, or -1 on error. */
long store_revoked_each(struct store *s, int64_t now, int (*each)(void *ctx, const char *id),
                        void *ctx, char *err, size_t errsz);

/* ---- Bulk work: synthetic enrollments and the cross-check against the rolls
 * (sqlite_bulk.c, sqlite_crosscheck.c; padron synth and padron crosscheck) ---- */

struct store_bulk;

/* Starts a bulk load of enrollments, committed in transactions of batch rows
 * (each commit takes the write lock anew, so other writers get in between).
 * Returns 0 with *out set, or -1. */
int store_bulk_begin(struct store *s, size_t batch, struct store_bulk **out, char *err,
                     size_t errsz);

/* One active enrollment written directly (no draft steps): names, contact state
 * and email (NULL for none), and the address as its first address. */
struct store_bulk_enrollment {
    const char *id;            /* STORE_ID_LEN lowercase hex */
    const char *curp, *folio;  /* valid CURP; an enrollment folio */
    const uint8_t *token_hash; /* STORE_TOKEN_HASH_LEN bytes */
    const struct store_names *names;
    const char *email;                   /* NULL: none */
    const struct store_address *address; /* its state is the contact state too */
    int64_t at;                          /* created, submitted and recorded at */
};

enum store_bulk_result {
    STORE_BULK_ADDED = 1,
    STORE_BULK_CURP_TAKEN = 0,  /* an active enrollment has the CURP: nothing written */
    STORE_BULK_FOLIO_TAKEN = 2, /* the folio (or id) exists: nothing written */
    STORE_BULK_ERROR = -1,      /* the open batch is rolled back */
};
enum store_bulk_result store_bulk_enroll(struct store_bulk *b,
                                         const struct store_bulk_enrollment *e, char *err,
                                         size_t errsz);

/* Commits the open batch and frees b; *added (when not NULL) counts every
 * enrollment added by the load. Returns 0 or -1 (b is freed either way). */
int store_bulk_finish(struct store_bulk *b, size_t *added, char *err, size_t errsz);

/* Rolls the open batch back (committed batches stay) and frees b; NULL is a no-op. */
void store_bulk_abort(struct store_bulk *b);

/* An active enrollment whose CURP is active in a roll. */
struct store_affiliated {
    char id[STORE_ID_LEN + 1];
    char folio[24];
    char curp[19];
    char email[255];                    /* "" when none */
    enum store_institution institution; /* IMSS when active in both rolls */
};

struct store_crosscheck_totals {
    long enrollments;   /* active, unsuspended enrollments read */
    long affiliated[2]; /* by institution (one person counted once, IMSS first) */
    long in_both;       /* of those, active in both rolls */
};

#define STORE_CROSSCHECK_TICK 65536 /* enrollments between two progress calls */

struct store_crosscheck_hooks {
    /* Called for each affiliated enrollment, in CURP order; non-zero stops the scan
     * (store_crosscheck then returns -1 with "stopped" unless the hook set err). */
    int (*affiliated)(void *ctx, const struct store_affiliated *a);
    void (*progress)(void *ctx, long scanned); /* NULL: none */
    void *ctx;
};

/* Compares every active, unsuspended enrollment with the active rows of the IMSS
 * and ISSSTE rolls: a merge of three scans in CURP order, each over an index, in
 * constant memory, on one read snapshot (writes made by the hooks, such as
 * store_suspend_affiliated, do not disturb it). Fills *t. Returns 0 or -1. */
int store_crosscheck(struct store *s, const struct store_crosscheck_hooks *h,
                     struct store_crosscheck_totals *t, char *err, size_t errsz);

/* Active, unsuspended enrollments (the cross-check's total), or -1. */
long store_unsuspended_count(struct store *s);

/* Suspends the n enrollments of batch in one transaction, stamping now and the
 * institution, revokes each one's credentials in force (reason "affiliated to
 * IMSS" or "affiliated to ISSSTE", so verifiers refuse them), and queues messages[i] (a complete
 * RFC 5322 text to batch[i].email) for each one suspended when messages and messages[i] are not
 * NULL. An enrollment already suspended or no longer active is left alone. *suspended counts those
 * suspended. Returns 0 or -1 (nothing written). */
int store_suspend_affiliated(struct store *s, const struct store_affiliated *batch,
                             const char *const *messages, size_t n, int64_t now, size_t *suspended,
                             char *err, size_t errsz);

/* ---- Moving an installation to another database (sql_migrate.c) ----
 * padron migrate copies every row of a store on a SQLite file into an empty store
 * (a PostgreSQL database), both already at this padron's schema version
 * (store_open migrates each). All or nothing: one transaction on the target,
 * verified before it commits. The data directory's files (documents, keys,
 * Maildir) are not in the database and stay where they are. */

/* The tables moved, parents before children (foreign keys); *n their count. */
const char *const *store_migrate_tables(size_t *n);

/* Compares the tables of s's schema with that list, both ways (besides the
 * database's own: sqlite_*, padron_schema): 0, or -1 with "table NAME: why". */
int store_migrate_check_tables(struct store *s, char *err, size_t errsz);

#define STORE_MIGRATE_TABLES_MAX 64

struct store_migrate_table {
    const char *name; /* static */
    long source_rows, target_rows;
    /* SHA-256 over the rows in key order, each value as a type tag and its bytes */
    uint8_t source_digest[32], target_digest[32];
    bool same; /* rows and digests equal */
};

struct store_migrate_result {
    struct store_migrate_table table[STORE_MIGRATE_TABLES_MAX]; /* in list order */
    size_t n;                                                   /* tables reached */
    long rows;                                                  /* rows written */
    bool verified; /* every table the same on both sides */
};

struct store_migrate_hooks {
    void (*start)(void *ctx, long total_rows); /* NULL: none */
    void (*progress)(void *ctx, long copied);  /* NULL: none */
    void *ctx;
};

/* Copies every row of from (a SQLite store) into to, which must hold no row in
 * any table, in one transaction on to; reads from on one snapshot (writes made
 * to from meanwhile are not carried: stop its servers first). Then reads each
 * table back inside that transaction and compares rows and digests (*r), and
 * commits only when every table is the same. On PostgreSQL the identity
 * sequences are set past the copied ids. Returns 0 (copied, verified,
 * committed), 1 (a table differs: rolled back, *r says which), or -1 with err
 * (nothing written; a target with rows is refused naming its first such table). */
int store_migrate(struct store *from, struct store *to, const struct store_migrate_hooks *hooks,
                  struct store_migrate_result *r, char *err, size_t errsz);

/* The staff and care-network parts of the store, in headers of their own. */
#include "store/store_staff.h"
#include "store/store_care.h"

/* ---- Rate limits counted in one statement (sql_throttle.c) ---- */

/* Counts one attempt against key (the throttle table of store_throttle_check and
 * store_throttle_fail) and says whether it was allowed: 1 when it is at most the
 * max-th in the last window seconds, 0 when not (*retry_after set: seconds until
 * the window runs out), -1 on error. Refused attempts count too. One upsert, so
 * concurrent attempts never share a slot; it takes no write lock on PostgreSQL. */
int store_throttle_count(struct store *s, const char *key, int64_t now, int64_t window, int max,
                         int64_t *retry_after, char *err, size_t errsz);

#endif
