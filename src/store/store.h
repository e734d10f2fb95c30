/*
 * store: the only way to padron's database.
 *
 * Invariants:
 * - No SQL or database type appears outside src/store/: callers see plain C
 *   structs, so a PostgreSQL backend can implement this same header.
 * - The SQLite backend keeps one file, DATA/padron.db, in WAL mode, with the
 *   schema migrations in migrations.c applied at open in one transaction each;
 *   the schema version never goes backwards and a database newer than this
 *   binary is refused rather than guessed at.
 * - Thread-safe: a struct store is shared by every connection thread; it hands
 *   each call a pooled SQLite connection.
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

/* Opens (creating when missing) the database at path and migrates it to the
 * current schema. Returns 0 with *out set, or -1 with the reason in err. */
int store_open(const char *path, struct store **out, char *err, size_t errsz);

/* Closes every pooled connection and frees s; NULL is a no-op. */
void store_close(struct store *s);

/* 0 when the database answers a trivial query, else -1. */
int store_ping(struct store *s);

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

/* ---- The home clinic (sqlite_clinics.c) ---- */

/* Why a clinic was assigned. */
enum store_clinic_reason {
    STORE_CLINIC_ADDRESS = 0, /* the nearest to the address, on submit */
    STORE_CLINIC_MOVE = 1,    /* the nearest to the new address, after a move */
    STORE_CLINIC_REQUEST = 2, /* the person asked for this one */
    STORE_CLINIC_STAFF = 3,   /* a staff override, with a note */
};

/* "address", "move", "request", "staff". */
const char *store_clinic_reason_name(enum store_clinic_reason r);

/* How the person's position was found ("" when it was not). */
#define STORE_LOCATED_MAX 12

struct store_home_clinic {
    char clues[12];
    enum store_clinic_reason reason;
    int64_t assigned_at;
    char assigned_by[65];               /* staff id for STAFF; "" otherwise */
    char note[STORE_TEXT_MAX + 1];      /* the staff's reason; "" otherwise */
    char located_by[STORE_LOCATED_MAX]; /* "chosen", "locality", "seat", "centroid" or "" */
    bool has_position;                  /* lat, lon: where the person was placed */
    double lat, lon;                    /* stored to the microdegree */
    int64_t distance_m;                 /* from there to the clinic; -1 unknown */
};

/* Records c as the current home clinic of an active enrollment (earlier ones
 * stay as history). Returns 1, 0 when the enrollment is not active (or does not
 * exist), -1 on error. */
int store_home_clinic_assign(struct store *s, const char *id, const struct store_home_clinic *c,
                             char *err, size_t errsz);

struct store_audit_record; /* below, with the staff accounts */

/* A staff override (reason STAFF) of the home clinic, with who made it and why,
 * and audit (when not NULL) appended in the same transaction; the same answers as
 * store_home_clinic_assign. For the staff accounts (web/clinic_override.h). */
int store_home_clinic_override(struct store *s, const char *id, const char *clues,
                               const char *staff, const char *note, int64_t now,
                               struct store_audit_record *audit, char *err, size_t errsz);

/* The current home clinic: 1 found, 0 none assigned, -1 error. */
int store_home_clinic_get(struct store *s, const char *id, struct store_home_clinic *out, char *err,
                          size_t errsz);

/* The assignments, oldest first: up to max into out. Returns how many there are
 * (possibly more than max), or -1 on error. */
int store_home_clinic_history(struct store *s, const char *id, struct store_home_clinic *out,
                              int max, char *err, size_t errsz);

/* Records the position a person chose on the address step (present) or clears it
 * (!present), for a draft or an active enrollment. Returns 1, 0 when the
 * registration does not exist, -1 on error. */
int store_chosen_position_set(struct store *s, const char *id, bool present, double lat, double lon,
                              int64_t now, char *err, size_t errsz);

/* The chosen position: 1 with *lat, *lon set, 0 when none, -1 on error. */
int store_chosen_position_get(struct store *s, const char *id, double *lat, double *lon, char *err,
                              size_t errsz);

/* ---- Appointments at the home clinic (sqlite_appointments.c) ---- */

/* Where an appointment stands. Booked, arrived and in consultation are live:
 * they hold their place in the slot. */
enum store_appointment_status {
    STORE_APPT_BOOKED = 0,
    STORE_APPT_CANCELLED = 1,
    STORE_APPT_ARRIVED = 2,
    STORE_APPT_IN_CONSULTATION = 3,
    STORE_APPT_DONE = 4,
    STORE_APPT_NO_SHOW = 5,
};

/* "booked", "cancelled", "arrived", "in_consultation", "done", "no_show". */
const char *store_appointment_status_name(enum store_appointment_status st);

#define STORE_SERVICE_MAX 16 /* "consulta" is the only service yet */

struct store_appointment {
    int64_t id;
    char registration[STORE_ID_LEN + 1];
    char clues[12];
    char service[STORE_SERVICE_MAX + 1];
    char date[11];                /* the clinic's local date, YYYY-MM-DD */
    int slot_start, slot_end;     /* minutes after midnight */
    int position;                 /* 0-based place in the slot */
    int arrival_from, arrival_to; /* the person's window (care_arrival_window), as told */
    enum store_appointment_status status;
    int64_t created_at, updated_at;
    bool walk_in;       /* came without a booking: no slot, place or window (all 0) */
    int turn;           /* the unit's turn of the day from check-in on (1, 2, ...); 0 before */
    int64_t arrived_at; /* when checked in; 0 before */
};

/* A booking asked for: the person, the unit, the service, the slot, how many
 * people the slot takes, and today (YYYY-MM-DD: live bookings dated before it
 * no longer count against a new one). The confirmation mail goes in the same
 * transaction: compose (when not NULL) is called with the appointment as it
 * will be stored (its position chosen) and returns a complete RFC 5322 text to
 * recipient (malloc'ed; the store frees it) or NULL to fail the booking. */
struct store_booking {
    const char *registration, *clues, *service, *date, *today;
    int slot_start, slot_end, capacity;
    int64_t now;
    const char *recipient;
    char *(*compose)(void *ctx, const struct store_appointment *a);
    void *ctx;
};

enum store_booking_result {
    STORE_BOOKING_OK = 1,
    STORE_BOOKING_ERROR = -1,   /* err says why */
    STORE_BOOKING_ALREADY = -2, /* the person has a live booking of the service from today on */
    STORE_BOOKING_FULL = -3,    /* the slot has capacity live bookings */
    STORE_BOOKING_UNKNOWN = -4, /* (move) no booked appointment with that id for the person */
};

/* Books the lowest free position of the slot in one write transaction (BEGIN
 * IMMEDIATE), refusing a double booking and a full slot; the position's arrival
 * window (care/hours.h) is stored with it. On OK *out holds the new appointment. */
enum store_booking_result store_appointment_book(struct store *s, const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz);

/* Moves the person's booked appointment id to b's slot: cancels it and books the
 * new one atomically (a refused booking leaves the old one as it was). */
enum store_booking_result store_appointment_move(struct store *s, int64_t id,
                                                 const struct store_booking *b,
                                                 struct store_appointment *out, char *err,
                                                 size_t errsz);

/* Cancels the booked appointment id of registration at now: 1, 0 when there is
 * none (or it is no longer booked), -1 on error. */
int store_appointment_cancel(struct store *s, int64_t id, const char *registration, int64_t now,
                             char *err, size_t errsz);

/* The appointment id of registration: 1 (out filled), 0, -1. */
int store_appointment_get(struct store *s, int64_t id, const char *registration,
                          struct store_appointment *out, char *err, size_t errsz);

/* The appointments of registration dated from from_date (YYYY-MM-DD) on, in
 * date and time order: up to max into out. Returns how many there are, or -1. */
int store_appointment_list(struct store *s, const char *registration, const char *from_date,
                           struct store_appointment *out, int max, char *err, size_t errsz);

/* How many live bookings each slot of a unit's day holds: for each live
 * appointment of (clues, date), its slot_start and position into out (up to
 * max). Returns how many there are, or -1. */
struct store_place {
    int slot_start, position;
};
int store_appointment_places(struct store *s, const char *clues, const char *date,
                             struct store_place *out, int max, char *err, size_t errsz);

#define STORE_SLOT_MINUTES_DEFAULT 20
#define STORE_CAPACITY_DEFAULT     3
#define STORE_HOURS_MAX            256

/* A unit's schedule: slots of slot_minutes (5-240), capacity people each
 * (1-100), and opening hours in DGIS notation overriding the catalog's ("" to
 * use the catalog's). */
struct store_schedule {
    int slot_minutes, capacity;
    char hours[STORE_HOURS_MAX + 1];
};

/* The schedule of clues: 1 when one was set, 0 when not (out holds the defaults),
 * -1 on error. */
int store_schedule_get(struct store *s, const char *clues, struct store_schedule *out, char *err,
                       size_t errsz);

/* Sets the schedule of clues (replacing any earlier one); 0 or -1. */
int store_schedule_set(struct store *s, const char *clues, const struct store_schedule *sc,
                       int64_t now, char *err, size_t errsz);

/* Marks (closed) or unmarks a day (YYYY-MM-DD) as closed at clues; 0 or -1. */
int store_closed_day_set(struct store *s, const char *clues, const char *date, bool closed,
                         int64_t now, char *err, size_t errsz);

/* 1 when clues is closed on date, 0 when not, -1 on error. */
int store_closed_day_get(struct store *s, const char *clues, const char *date, char *err,
                         size_t errsz);
/* ---- Staff accounts, staff sessions and the audit log (sqlite_staff.c) ---- */

#define STORE_ROLE_MAX  16 /* "receptionist", ..., "state_admin" (web/staff.h names them) */
#define STORE_CLUES_LEN 11 /* a facility's CLUES, e.g. "OCSSA001234" */

/* A staff account: a role at a unit (CLUES), or for a state administrator a state.
 * The schema refuses any other role, and a unit for a state administrator or a
 * state for anybody else. */
struct store_staff {
    int64_t id;
    char email[255]; /* normalised; unique without case */
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1]; /* "" for a state administrator */
    int state;                      /* INEGI code, state administrators only (else 0) */
    bool password_set;
    int64_t created_at;
    int64_t disabled_at; /* 0 while enabled */
};

/* Adds a staff account (st's id, password_set and disabled_at are ignored) with a
 * one-time code to set its password (its hash, valid until code_expires) and, in
 * the same transaction, queues message (a complete RFC 5322 text to st->email;
 * NULL sends nothing). Returns 1 with *id set, 0 when the email has an account
 * already, -1 on error (a role or unit the schema refuses is an error). */
int store_staff_add(struct store *s, const struct store_staff *st,
                    const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                    const char *message, int64_t now, int64_t *id, char *err, size_t errsz);

/* Replaces the set-password code of the enabled account of email (a forgotten
 * password, an expired code) and queues message, in one transaction. Returns 1,
 * 0 when there is no such enabled account, -1 on error. */
int store_staff_new_code(struct store *s, const char *email,
                         const uint8_t code_hash[STORE_TOKEN_HASH_LEN], int64_t code_expires,
                         const char *message, int64_t now, char *err, size_t errsz);

/* The account of email (compared without case), enabled or not, with its password
 * hash ("" when none yet): 1 (filled), 0 (none), -1 on error. */
int store_staff_find(struct store *s, const char *email, struct store_staff *out,
                     char password_hash[128], char *err, size_t errsz);

/* The account with this id: 1 (filled), 0, -1. */
int store_staff_get(struct store *s, int64_t id, struct store_staff *out, char *err, size_t errsz);

/* Calls each(ctx, st) for every account in id order; stops when each returns
 * non-zero. Returns how many were listed, or -1 on error. */
long store_staff_each(struct store *s, int (*each)(void *ctx, const struct store_staff *st),
                      void *ctx, char *err, size_t errsz);

/* Disables the account of email at now, in one transaction with the end of its
 * sessions and of its set-password code. 1 disabled, 0 unknown or disabled
 * already, -1 on error. An account is never deleted: the audit log names it. */
int store_staff_disable(struct store *s, const char *email, int64_t now, char *err, size_t errsz);

/* Checks a set-password code of the enabled account of email; on a match, in one
 * transaction: password_hash (argon2id) becomes the password, the code is spent and
 * every session of the account ends (STORE_CODE_OK). A wrong guess uses one of
 * max_attempts (STORE_CODE_WRONG, *attempts_left); STORE_CODE_NONE when the account
 * is unknown, disabled or has no code. */
enum store_code_result store_staff_set_password(struct store *s, const char *email,
                                                const uint8_t code_hash[STORE_TOKEN_HASH_LEN],
                                                const char *password_hash, int max_attempts,
                                                int64_t now, int *attempts_left, char *err,
                                                size_t errsz);

/* Staff sessions, apart from applicants': only the token's hash is stored. */
int store_staff_session_create(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               int64_t staff, int64_t now, int64_t expires_at, char *err,
                               size_t errsz);

/* The account of a live session of an enabled account: 1 (*staff set), 0, -1. */
int store_staff_session_find(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                             int64_t now, int64_t *staff, char *err, size_t errsz);

/* Ends a staff session: 1 when there was one, 0 when not, -1 on error. */
int store_staff_session_delete(struct store *s, const uint8_t token_hash[STORE_TOKEN_HASH_LEN],
                               char *err, size_t errsz);

/* The active enrollment whose CURP (18 characters, upper case) or folio (canonical
 * form) is key: 1 (id filled), 0 (none), -1 on error. */
int store_person_find(struct store *s, const char *key, char id[STORE_ID_LEN + 1], char *err,
                      size_t errsz);

/* One record of the audit log: who (staff id, role, unit: a CLUES, or a state
 * administrator's state as two digits), did what (action, e.g. "person.lookup"),
 * to whose data (subject: a CURP, or a registration id when there is no CURP), when
 * (at) and from where (client: an address). seq counts from 1 without gaps;
 * hash = SHA-256(prev_hash || audit_chain_canonical(record)), prev_hash of the
 * first record is 32 zero bytes (store/audit_chain.h). */
#define STORE_AUDIT_ACTION_MAX 32
#define STORE_AUDIT_CLIENT_MAX 64
struct store_audit_record {
    int64_t seq, at, staff;
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1];
    char action[STORE_AUDIT_ACTION_MAX];
    char subject[STORE_ID_LEN + 1];
    char client[STORE_AUDIT_CLIENT_MAX];
    uint8_t prev_hash[STORE_TOKEN_HASH_LEN], hash[STORE_TOKEN_HASH_LEN];
    char staff_email[255]; /* filled by store_audit_each; not part of the record's hash */
};

/* Appends r (at, staff, role, unit, action, subject, client set by the caller) to
 * the log in a transaction of its own: fills r->seq, r->prev_hash and r->hash.
 * Returns 0, or -1 (nothing written). Changes of a person's data append their
 * record inside their own transaction instead (sq_audit_append). */
int store_audit_append(struct store *s, struct store_audit_record *r, char *err, size_t errsz);

/* Calls each(ctx, r) for every record in seq order, or only for those whose
 * subject is subject when it is not NULL; stops when each returns non-zero.
 * Returns how many were listed, or -1 on error. */
long store_audit_each(struct store *s, const char *subject,
                      int (*each)(void *ctx, const struct store_audit_record *r), void *ctx,
                      char *err, size_t errsz);

/* ---- Emergency encounters (sqlite_emergencies.c) ----
 * An encounter at a hospital unit for anyone: identified by CURP, by a name only,
 * or an unidentified person described. The rules are web/emergency.h's; the store
 * keeps the invariants that races could break: at most one open encounter per
 * CURP and unit, and each change commits with its audit record. */

#define STORE_EMERGENCY_ID_LEN 14 /* "UR26-7K3M-9QXD" */

struct store_emergency {
    char id[STORE_EMERGENCY_ID_LEN + 1];
    char unit[STORE_CLUES_LEN + 1];
    int64_t opened_at, opened_by;                 /* staff account id */
    char triage[8];                               /* red, orange, yellow, green, blue */
    char identity[16];                            /* curp, name, unidentified */
    char curp[19];                                /* "" when unknown */
    char name[801];                               /* "" when not given; 200 characters at most */
    char sex[8];                                  /* female, male, "" when unknown */
    int apparent_age;                             /* years, -1 when not given */
    char features[4001];                          /* what the person looks like, "" */
    char found_where[1601];                       /* where the person was found, "" */
    char status[16];                              /* open, discharged, transferred, merged */
    int64_t closed_at, closed_by;                 /* 0 while open */
    char transfer_to[STORE_CLUES_LEN + 1];        /* "" unless transferred */
    char merged_into[STORE_EMERGENCY_ID_LEN + 1]; /* "" unless merged */
    char registration[STORE_ID_LEN + 1];          /* the linked enrollment, "" */
    int64_t updated_at;
};

/* What a change of an encounter came to. */
enum store_emergency_result {
    STORE_EMERGENCY_ERROR = -1,
    STORE_EMERGENCY_NONE = 0, /* no such encounter */
    STORE_EMERGENCY_OK = 1,
    STORE_EMERGENCY_DUPLICATE = 2, /* another open one for this CURP at the unit: existing */
    STORE_EMERGENCY_NOT_OPEN = 3,  /* the encounter (or the one merged into) is closed */
    STORE_EMERGENCY_MISMATCH = 4,  /* a merge across units, into itself, or of another CURP */
};

/* Opens e (every field set by the caller, status "open") and appends audit, in
 * one transaction. DUPLICATE (existing filled with the open encounter's id) when
 * e has a CURP that is open at the unit already; OK; ERROR. */
enum store_emergency_result store_emergency_open(struct store *s, const struct store_emergency *e,
                                                 struct store_audit_record *audit,
                                                 char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                 char *err, size_t errsz);

/* The encounter with this id: 1 (filled), 0, -1. */
int store_emergency_get(struct store *s, const char *id, struct store_emergency *out, char *err,
                        size_t errsz);

/* Identifies the open encounter id with curp (and the enrollment registration,
 * NULL or "" when none) and appends audit, in one transaction. DUPLICATE with
 * existing when another encounter is open for curp at the same unit. */
enum store_emergency_result store_emergency_identify(struct store *s, const char *id,
                                                     const char *curp, const char *registration,
                                                     int64_t now, struct store_audit_record *audit,
                                                     char existing[STORE_EMERGENCY_ID_LEN + 1],
                                                     char *err, size_t errsz);

/* Merges the open encounter id into the open encounter into of the same unit
 * (id then reads "merged", merged_into set; into takes id's CURP and link when it
 * has none), and appends audit, in one transaction. MISMATCH across units, into
 * itself, or when both have different CURPs. */
enum store_emergency_result store_emergency_merge(struct store *s, const char *id, const char *into,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz);

/* Closes the open encounter id as status ("discharged", or "transferred" to the
 * unit transfer_to) and appends audit, in one transaction. */
enum store_emergency_result store_emergency_close(struct store *s, const char *id,
                                                  const char *status, const char *transfer_to,
                                                  int64_t now, int64_t staff,
                                                  struct store_audit_record *audit, char *err,
                                                  size_t errsz);

/* Records that encounter id (with a CURP, no link yet) belongs to the enrollment
 * registration: 1 linked, 0 nothing to do, -1. */
int store_emergency_link(struct store *s, const char *id, const char *registration, char *err,
                         size_t errsz);

/* Calls each(ctx, e) for the open encounters of unit, oldest first; or, when
 * merged_into is not NULL, for the encounters merged into that one (unit is then
 * ignored). Stops when each returns non-zero. Returns how many, or -1. */
long store_emergency_each(struct store *s, const char *unit, const char *merged_into,
                          int (*each)(void *ctx, const struct store_emergency *e), void *ctx,
                          char *err, size_t errsz);

/* ---- Unit figures (sqlite_figures.c): counts only, never a person ---- */

/* Calls each(ctx, clues, metric, count) for every non-zero count of unit (NULL:
 * every unit), ordered by unit then metric. Metrics: "people" (active
 * enrollments whose current home clinic is the unit), "appointments_<status>"
 * on day (YYYY-MM-DD; booked, arrived, in_consultation, done, no_show,
 * cancelled), "emergencies_open". Stops when each returns non-zero. Returns how
 * many rows, or -1 on error. */
long store_figures_each(struct store *s, const char *unit, const char *day,
                        int (*each)(void *ctx, const char *clues, const char *metric, long count),
                        void *ctx, char *err, size_t errsz);

/* ---- Assisted enrollment at a unit's desk (sqlite_assisted.c) ---- */

/* Binds r (at, staff, role, unit, action, subject, client set by the caller) to
 * the calling thread: the next write this thread commits through the store
 * appends r to the audit log inside the same transaction, so a staff member's
 * change of a person's data and its record commit or roll back together; writes
 * after that one are not touched. A write that fails leaves r bound. */
void store_audit_attach(struct store *s, struct store_audit_record *r);

/* Unbinds the calling thread's record: 1 when it was written (r->seq and the
 * hashes filled), 0 when no write committed since store_audit_attach. */
int store_audit_detach(struct store *s);

/* Records that staff assists the draft id at its desk (the first such staff
 * account stays). 1, 0 when id is not a draft, -1 on error. */
int store_registration_set_assisted(struct store *s, const char *id, int64_t staff, int64_t now,
                                    char *err, size_t errsz);

/* Records that staff attested, with the person's ID in hand, that the draft id is
 * theirs. 1, 0 when id is not a draft, -1 on error. */
int store_registration_verify_by_staff(struct store *s, const char *id, int64_t staff, int64_t now,
                                       char *err, size_t errsz);

/* The ids of the drafts of curp, newest first, at most max into ids: how many, or
 * -1 on error. */
int store_drafts_of_curp(struct store *s, const char *curp, char (*ids)[STORE_ID_LEN + 1], int max,
                         char *err, size_t errsz);

/* The staff account that recorded the newest consent of registration id at a
 * desk: 1 (*staff set), 0 when that consent was given online or there is none,
 * -1 on error. */
int store_consent_assisted_by(struct store *s, const char *id, int64_t *staff, char *err,
                              size_t errsz);

/* ---- Referrals and socioeconomic studies (sqlite_referrals.c) ----
 *
 * A referral sends a person from one unit to a unit of the next level of care
 * (care/referral.h has the rules). Every change is one transaction: the rules
 * checked against the row as it is under the write lock, the new state, one
 * referral_event row (when, who, the note) and the audit record. Events are
 * append-only. A socioeconomic study (level 3) is one row per study, with its
 * audit record in the same transaction; the latest one of a person at a unit
 * counts. */
#include "care/referral.h"

#define STORE_REFERRAL_TEXT_MAX 1000 /* bytes of a reason or a note */
#define STORE_REFERRAL_ID_LEN   14   /* "RF26-7K3M-9QXD" */

struct store_referral {
    int64_t id;
    char public_id[STORE_REFERRAL_ID_LEN + 1];
    char registration[STORE_ID_LEN + 1];
    char from_unit[STORE_CLUES_LEN + 1], to_unit[STORE_CLUES_LEN + 1];
    int to_level; /* 2 or 3 */
    char reason[STORE_REFERRAL_TEXT_MAX + 1];
    char cie10[6]; /* canonical, "E119" */
    enum referral_urgency urgency;
    enum referral_state state;
    char scheduled_date[11]; /* YYYY-MM-DD once scheduled, else "" */
    char scheduled_time[6];  /* HH:MM once scheduled, else "" */
    char rejection_reason[STORE_REFERRAL_TEXT_MAX + 1];
    int64_t created_by; /* staff id */
    int64_t created_at, updated_at;
};

struct store_referral_event {
    int64_t at;
    enum referral_state state;
    int64_t staff;
    char role[STORE_ROLE_MAX];
    char unit[STORE_CLUES_LEN + 1];
    char note[STORE_REFERRAL_TEXT_MAX + 1];
};

/* Creates r (state requested; id, state, dates ignored) with its first event and
 * audit (filled but for seq and hashes) in one transaction: 1 with r->id set, 0
 * when the public id is taken (draw another), -1 on error. */
int store_referral_create(struct store *s, struct store_referral *r,
                          struct store_audit_record *audit, char *err, size_t errsz);

/* The referral of a public id (canonical form): 1 (filled), 0, -1. */
int store_referral_get(struct store *s, const char *public_id, struct store_referral *out,
                       char *err, size_t errsz);

enum store_referral_list {
    STORE_REFERRALS_OUTGOING, /* key: the referring unit */
    STORE_REFERRALS_INCOMING, /* key: the receiving unit */
    STORE_REFERRALS_OF_PERSON /* key: the registration id */
};

/* Calls each(ctx, r) for the referrals of key, newest first, at most limit;
 * stops when each returns non-zero. How many were listed, or -1. */
long store_referral_each(struct store *s, enum store_referral_list list, const char *key, int limit,
                         int (*each)(void *ctx, const struct store_referral *r), void *ctx,
                         char *err, size_t errsz);

/* Calls each(ctx, e) for every event of a referral, oldest first; -1 on error. */
long store_referral_events(struct store *s, int64_t referral,
                           int (*each)(void *ctx, const struct store_referral_event *e), void *ctx,
                           char *err, size_t errsz);

/* A change asked of a referral by a staff member. */
struct store_referral_change {
    const char *public_id;
    enum referral_state to;
    const char *note;        /* the reason of a rejection; optional otherwise */
    const char *date, *time; /* YYYY-MM-DD and HH:MM, for scheduled */
    int64_t staff;           /* who */
    enum referral_role role; /* ... in the rules' terms */
    const char *unit;        /* ... at which unit */
    int64_t now;
};

/* Applies c in one transaction when referral_may_change allows it against the
 * row under the write lock (with study_recorded from the person's studies at the
 * receiving unit): the state, the schedule or rejection reason, one event and
 * audit. Returns 1 with *verdict (REFERRAL_ALLOWED when applied; then *out holds
 * the new row when out is not NULL), 0 when there is no such referral, -1. */
int store_referral_change(struct store *s, const struct store_referral_change *c,
                          struct store_audit_record *audit, enum referral_verdict *verdict,
                          struct store_referral *out, char *err, size_t errsz);

struct store_study {
    int64_t id;
    char registration[STORE_ID_LEN + 1];
    char unit[STORE_CLUES_LEN + 1];
    int64_t social_worker;
    enum study_outcome outcome;
    int64_t fee_centavos; /* reduced only; 0 otherwise */
    char note[STORE_REFERRAL_TEXT_MAX + 1];
    int64_t at;
};

/* Records st (id ignored) with audit in one transaction: 0 with st->id set, -1
 * (an outcome and fee that do not go together is an error). */
int store_study_record(struct store *s, struct store_study *st, struct store_audit_record *audit,
                       char *err, size_t errsz);

/* The latest study of a person at a unit: 1 (filled), 0, -1. */
int store_study_latest(struct store *s, const char *registration, const char *unit,
                       struct store_study *out, char *err, size_t errsz);

/* ---- Reception: check-in, the unit's day, status changes, reminders
 * (sqlite_reception.c) ---- */

enum store_checkin_result {
    STORE_CHECKIN_ARRIVED = 1, /* the person's booking of the day at the unit is now arrived */
    STORE_CHECKIN_WALK_IN = 2, /* no booking: a walk-in appointment was created, arrived */
    STORE_CHECKIN_ALREADY = 3, /* already arrived or in consultation there today: *out is it */
    STORE_CHECKIN_ERROR = -1,
};

/* Checks registration in at clues on date (the unit's today) at now, in one
 * write transaction: a booked appointment of that day becomes arrived, or else a
 * walk-in (service "consulta") is created; either takes the unit's next turn of
 * the day (unique per unit and day). audit (its at, staff, role, unit, action,
 * subject and client set by the caller) is appended in the same transaction,
 * whatever the result; NULL appends nothing. *out is the appointment. */
enum store_checkin_result store_appointment_checkin(struct store *s, const char *registration,
                                                    const char *clues, const char *date,
                                                    int64_t now, struct store_audit_record *audit,
                                                    struct store_appointment *out, char *err,
                                                    size_t errsz);

/* The appointment id at the unit clues: 1 (out filled), 0, -1. */
int store_appointment_at_unit(struct store *s, int64_t id, const char *clues,
                              struct store_appointment *out, char *err, size_t errsz);

/* Moves the appointment id of clues from status from to status to at now, and
 * appends audit (when not NULL) in the same transaction. Returns 1, 0 when the
 * appointment is not (or no longer) at from there (nothing written), or -1. */
int store_appointment_set_status(struct store *s, int64_t id, const char *clues,
                                 enum store_appointment_status from,
                                 enum store_appointment_status to, int64_t now,
                                 struct store_audit_record *audit, char *err, size_t errsz);

/* The unit's appointments of date except cancelled ones: the checked-in by turn,
 * then the others by slot and place. Returns how many there are (only the first
 * max are filled), or -1. */
int store_appointment_day_list(struct store *s, const char *clues, const char *date,
                               struct store_appointment *out, int max, char *err, size_t errsz);

/* What a reminder is composed from: the appointment, its person's email and
 * language ("es" or "en", the latest consent's; "es" when unknown). */
struct store_reminder {
    struct store_appointment appointment;
    char email[255];
    char language[3];
};

/* Queues in the outbox, in one write transaction, a reminder for up to max booked
 * appointments of date not reminded yet whose person has an email, and stamps
 * their reminded_at with now. compose returns a complete RFC 5322 text
 * (malloc'ed; the store frees it) or NULL to skip that one (left for a later
 * run). Returns how many were queued, or -1 (nothing queued). */
int store_appointment_remind(struct store *s, const char *date, int64_t now, int max,
                             char *(*compose)(void *ctx, const struct store_reminder *r), void *ctx,
                             char *err, size_t errsz);

/* Appends r (as store_audit_append) unless the same staff account already has a
 * record of the same action and subject at or after since: for reads repeated
 * all day (the reception list), one record per person, staff member and day.
 * Returns 1 (appended), 0 (already there) or -1. */
int store_audit_append_since(struct store *s, struct store_audit_record *r, int64_t since,
                             char *err, size_t errsz);

#endif
