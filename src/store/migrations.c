#include "store/migrations.h"

static const char *const steps[] = {
    /* 1: affiliation rolls and registrations. */
    "CREATE TABLE affiliation ("
    "  institution INTEGER NOT NULL CHECK (institution IN (0, 1)),"
    "  curp TEXT NOT NULL CHECK (length(curp) = 18),"
    "  nss TEXT CHECK (nss IS NULL OR length(nss) = 11),"
    "  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    "  as_of TEXT CHECK (as_of IS NULL OR length(as_of) = 10),"
    "  PRIMARY KEY (institution, curp)"
    ") WITHOUT ROWID;"
    "CREATE TABLE registration ("
    "  id TEXT PRIMARY KEY CHECK (length(id) = 32),"
    "  curp TEXT NOT NULL CHECK (length(curp) = 18),"
    "  status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),"
    "  token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  folio TEXT UNIQUE"
    ");"
    "CREATE INDEX registration_curp ON registration (curp);"
    /* Only one application per CURP can ever become active, whatever the races. */
    "CREATE UNIQUE INDEX registration_one_active ON registration (curp) WHERE status = 1;",

    /* 2: contact data, and consent to the privacy notice with its version and time. */
    "ALTER TABLE registration ADD COLUMN state INTEGER CHECK (state BETWEEN 1 AND 32);"
    "ALTER TABLE registration ADD COLUMN phone TEXT CHECK (length(phone) = 10);"
    "ALTER TABLE registration ADD COLUMN phone_confirmed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE registration ADD COLUMN email TEXT CHECK (length(email) <= 254);"
    "ALTER TABLE registration ADD COLUMN email_verified_at INTEGER;"
    "CREATE TABLE consent ("
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  notice_version TEXT NOT NULL,"
    "  language TEXT NOT NULL CHECK (language IN ('es', 'en')),"
    "  accepted_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX consent_registration ON consent (registration, accepted_at);",

    /* 3: email verification codes (hashed) and the durable mail outbox. */
    "CREATE TABLE email_code ("
    "  registration TEXT PRIMARY KEY REFERENCES registration (id),"
    "  email TEXT NOT NULL,"
    "  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    "  expires_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_sent_at INTEGER NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_sends INTEGER NOT NULL"
    ");"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  recipient TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  sent_at INTEGER,"
    "  failed_at INTEGER,"
    "  last_error TEXT"
    ");"
    "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS "
    "NULL;",

    /* 4: the applicant's password, as an argon2id hash string. */
    "ALTER TABLE registration ADD COLUMN password_hash TEXT"
    " CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%');",

    /* 5: addresses, kept as a history: the latest row is the current address. */
    "CREATE TABLE address ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  postal_code TEXT NOT NULL CHECK (length(postal_code) = 5),"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 32),"
    "  municipality INTEGER NOT NULL CHECK (municipality BETWEEN 1 AND 999),"
    "  settlement TEXT NOT NULL CHECK (length(settlement) BETWEEN 1 AND 400),"
    "  street TEXT NOT NULL CHECK (length(street) BETWEEN 1 AND 400),"
    "  number TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 80),"
    "  interior TEXT CHECK (interior IS NULL OR length(interior) <= 80),"
    "  recorded_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX address_registration ON address (registration, id);",

    /* 6: uploaded documents: photos re-encoded and stored encrypted in the blob
     * store under `blob`; every upload is kept, the latest of a kind is current. */
    "CREATE TABLE document ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
    "  blob TEXT NOT NULL CHECK (length(blob) = 64),"
    "  width INTEGER NOT NULL,"
    "  height INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  uploaded_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX document_registration ON document (registration, kind, id);",

    /* 7: sign-in sessions (hashed tokens) and failure counters for throttling. */
    "CREATE TABLE session ("
    "  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX session_registration ON session (registration);"
    "CREATE TABLE throttle ("
    "  key TEXT PRIMARY KEY,"
    "  window_start INTEGER NOT NULL,"
    "  failures INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    /* People type their address in any case: sign-in compares without it. */
    "CREATE INDEX registration_email ON registration (email COLLATE NOCASE) WHERE status = 1;",

    /* 8: password-reset codes of active enrollments, kept like email_code. */
    "CREATE TABLE reset_code ("
    "  registration TEXT PRIMARY KEY REFERENCES registration (id),"
    "  email TEXT NOT NULL,"
    "  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    "  expires_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_sent_at INTEGER NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_sends INTEGER NOT NULL"
    ");",

    /* 9: which official ID the person shows, and whether they are a foreigner
     * (NULL: not said, read as a Mexican with a voter card). */
    "ALTER TABLE registration ADD COLUMN nationality TEXT"
    " CHECK (nationality IS NULL OR nationality IN ('mexican', 'foreign'));"
    "ALTER TABLE registration ADD COLUMN id_type TEXT"
    " CHECK (id_type IS NULL OR id_type IN ('ine', 'passport', 'inm_card', 'fmm'));",

    /* 10: phone-verification codes (sent by SMS), kept like email_code. */
    "CREATE TABLE phone_code ("
    "  registration TEXT PRIMARY KEY REFERENCES registration (id),"
    "  phone TEXT NOT NULL,"
    "  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    "  expires_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_sent_at INTEGER NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_sends INTEGER NOT NULL"
    ");",

    /* 11: an active enrollment's new email waits in pending_email until the code
     * mailed to it comes back; the login keeps the old one meanwhile. */
    "ALTER TABLE registration ADD COLUMN pending_email TEXT;"
    "CREATE TABLE email_change_code ("
    "  registration TEXT PRIMARY KEY REFERENCES registration (id),"
    "  pending_email TEXT NOT NULL,"
    "  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    "  expires_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_sent_at INTEGER NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_sends INTEGER NOT NULL"
    ");",

    /* 12: the person's names as on the birth certificate (checked against the
     * CURP); an active enrollment's correction keeps the names it replaced, who
     * made it and when, and stamps names_corrected_at (the credential re-issue
     * follows it). */
    "ALTER TABLE registration ADD COLUMN given_names TEXT"
    " CHECK (given_names IS NULL OR length(CAST(given_names AS BLOB)) BETWEEN 1 AND 100);"
    "ALTER TABLE registration ADD COLUMN first_surname TEXT"
    " CHECK (first_surname IS NULL OR length(CAST(first_surname AS BLOB)) BETWEEN 1 AND 100);"
    "ALTER TABLE registration ADD COLUMN second_surname TEXT"
    " CHECK (second_surname IS NULL OR length(CAST(second_surname AS BLOB)) BETWEEN 1 AND 100);"
    "ALTER TABLE registration ADD COLUMN names_corrected_at INTEGER;"
    "CREATE TABLE name_correction ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  old_given_names TEXT," /* NULL: enrolled before names were asked */
    "  old_first_surname TEXT,"
    "  old_second_surname TEXT,"
    "  corrected_by TEXT NOT NULL CHECK (length(corrected_by) BETWEEN 1 AND 64),"
    "  corrected_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX name_correction_registration ON name_correction (registration, id);",

    /* 13: when each roll was imported (a letter states the date it speaks of); the
     * credentials and letters issued, each with the signed envelope of its QR code;
     * revocation marks them and never deletes them. */
    "CREATE TABLE roll ("
    "  institution INTEGER PRIMARY KEY CHECK (institution IN (0, 1)),"
    "  imported_at INTEGER NOT NULL,"
    "  rows INTEGER NOT NULL"
    ");"
    "CREATE TABLE credential ("
    "  id TEXT PRIMARY KEY CHECK (length(id) = 14),"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  issued_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  envelope TEXT NOT NULL,"
    "  data_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER,"
    "  revoked_reason TEXT"
    ") WITHOUT ROWID;"
    "CREATE INDEX credential_registration ON credential (registration, issued_at);"
    "CREATE TABLE letter ("
    "  folio TEXT PRIMARY KEY CHECK (length(folio) = 14),"
    "  curp TEXT NOT NULL CHECK (length(curp) = 18),"
    "  institution INTEGER NOT NULL CHECK (institution IN (0, 1)),"
    "  email TEXT NOT NULL CHECK (length(email) <= 254),"
    "  language TEXT NOT NULL CHECK (language IN ('es', 'en')),"
    "  given_names TEXT,"
    "  first_surname TEXT,"
    "  second_surname TEXT,"
    "  roll_date TEXT NOT NULL CHECK (length(roll_date) = 10),"
    "  issued_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  envelope TEXT NOT NULL,"
    "  download_hash BLOB NOT NULL CHECK (length(download_hash) = 32),"
    "  revoked_at INTEGER,"
    "  revoked_reason TEXT"
    ") WITHOUT ROWID;"
    "CREATE INDEX letter_curp ON letter (curp, issued_at);"
    /* GET /api/v1/me/credential finds the enrollment by its bearer token. */
    "CREATE INDEX registration_token ON registration (token_hash);"
    /* The revocation list names only what is revoked and not yet expired. */
    "CREATE INDEX credential_revoked ON credential (expires_at) WHERE revoked_at IS NOT NULL;"
    "CREATE INDEX letter_revoked ON letter (expires_at) WHERE revoked_at IS NOT NULL;",

    /* 14: the home clinic, kept as a history like the address: the latest row is
     * the current clinic, with why it was assigned (the address on submit, a move,
     * the person's request, staff), by whom, and where the person was placed; the
     * position a person chose on the address step (microdegrees), one per
     * registration, cleared when an address comes without one. */
    "CREATE TABLE home_clinic ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  clues TEXT NOT NULL CHECK (length(clues) = 11),"
    "  reason TEXT NOT NULL CHECK (reason IN ('address', 'move', 'request', 'staff')),"
    "  assigned_at INTEGER NOT NULL,"
    "  assigned_by TEXT CHECK (assigned_by IS NULL OR length(assigned_by) BETWEEN 1 AND 64),"
    "  note TEXT CHECK (note IS NULL OR length(CAST(note AS BLOB)) BETWEEN 1 AND 400),"
    "  located_by TEXT CHECK (located_by IS NULL OR"
    "   located_by IN ('chosen', 'locality', 'seat', 'centroid')),"
    "  lat_e6 INTEGER CHECK (lat_e6 IS NULL OR lat_e6 BETWEEN 14000000 AND 33000000),"
    "  lon_e6 INTEGER CHECK (lon_e6 IS NULL OR lon_e6 BETWEEN -119000000 AND -86000000),"
    "  distance_m INTEGER CHECK (distance_m IS NULL OR distance_m >= 0),"
    "  CHECK ((lat_e6 IS NULL) = (lon_e6 IS NULL))"
    ");"
    "CREATE INDEX home_clinic_registration ON home_clinic (registration, id);"
    "CREATE TABLE chosen_position ("
    "  registration TEXT PRIMARY KEY REFERENCES registration (id),"
    "  lat_e6 INTEGER NOT NULL CHECK (lat_e6 BETWEEN 14000000 AND 33000000),"
    "  lon_e6 INTEGER NOT NULL CHECK (lon_e6 BETWEEN -119000000 AND -86000000),"
    "  recorded_at INTEGER NOT NULL"
    ") WITHOUT ROWID;",

    /* 15: staff accounts (a role at a unit, or a state administrator's state), the
     * one-time code that sets a staff password, staff sessions (hashed tokens, apart
     * from applicants'), and the append-only audit log: each record chains to the
     * one before through prev_hash (store/audit_chain.h), and the triggers refuse
     * to change or remove a record. */
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),"
    "  role TEXT NOT NULL CHECK (role IN ('receptionist', 'physician', 'social_worker',"
    "    'unit_admin', 'state_admin')),"
    "  unit TEXT CHECK (unit IS NULL OR length(unit) = 11),"
    "  state INTEGER CHECK (state IS NULL OR state BETWEEN 1 AND 32),"
    "  password_hash TEXT CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),"
    "  created_at INTEGER NOT NULL,"
    "  disabled_at INTEGER,"
    /* A state administrator has a state and no unit; everybody else a unit. */
    "  CHECK ((role = 'state_admin' AND state IS NOT NULL AND unit IS NULL) OR"
    "         (role <> 'state_admin' AND unit IS NOT NULL AND state IS NULL))"
    ");"
    "CREATE TABLE staff_code ("
    "  staff INTEGER PRIMARY KEY REFERENCES staff (id),"
    "  code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),"
    "  expires_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE staff_session ("
    "  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    "  staff INTEGER NOT NULL REFERENCES staff (id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_session_staff ON staff_session (staff);"
    "CREATE TABLE audit ("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  staff INTEGER NOT NULL,"
    "  role TEXT NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  client TEXT NOT NULL,"
    "  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32)"
    ");"
    "CREATE INDEX audit_subject ON audit (subject, seq);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",
    /* 16: appointments at the home clinic. A booking takes a position (0-based)
     * in a slot of a day and the arrival window of that position, kept as told; the live ones
     * (booked, arrived, in consultation) hold their place, so no two live bookings share a
     * position. A facility's schedule (slot length, capacity per slot, hours overriding the
     * catalog's) and its closed days. */
    "CREATE TABLE appointment ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  clues TEXT NOT NULL CHECK (length(clues) = 11),"
    "  service TEXT NOT NULL CHECK (service IN ('consulta')),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  slot_start INTEGER NOT NULL CHECK (slot_start BETWEEN 0 AND 1439),"
    "  slot_end INTEGER NOT NULL CHECK (slot_end > slot_start AND slot_end <= 1440),"
    "  position INTEGER NOT NULL CHECK (position >= 0),"
    "  arrival_from INTEGER NOT NULL,"
    "  arrival_to INTEGER NOT NULL CHECK (arrival_to > arrival_from),"
    "  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'arrived',"
    "   'in_consultation', 'done', 'no_show')),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE UNIQUE INDEX appointment_place ON appointment (clues, day, slot_start, position)"
    " WHERE status IN ('booked', 'arrived', 'in_consultation');"
    "CREATE INDEX appointment_registration ON appointment (registration, day);"
    "CREATE TABLE facility_schedule ("
    "  clues TEXT PRIMARY KEY CHECK (length(clues) = 11),"
    "  slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),"
    "  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),"
    "  hours TEXT CHECK (hours IS NULL OR length(hours) BETWEEN 1 AND 256),"
    "  updated_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE closed_day ("
    "  clues TEXT NOT NULL CHECK (length(clues) = 11),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  recorded_at INTEGER NOT NULL,"
    "  PRIMARY KEY (clues, day)"
    ") WITHOUT ROWID;",
    /* 17: emergency encounters, for anyone: with a CURP, a name only, or an
     * unidentified person described. At most one open encounter per CURP and unit;
     * an encounter merged into another keeps its row (merged_into) and leaves the
     * open list. The link to an enrollment is set once known. */
    "CREATE TABLE emergency ("
    "  id TEXT PRIMARY KEY CHECK (length(id) = 14),"
    "  unit TEXT NOT NULL CHECK (length(unit) = 11),"
    "  opened_at INTEGER NOT NULL,"
    "  opened_by INTEGER NOT NULL,"
    "  triage TEXT NOT NULL CHECK (triage IN ('red', 'orange', 'yellow', 'green', 'blue')),"
    "  identity TEXT NOT NULL CHECK (identity IN ('curp', 'name', 'unidentified')),"
    "  curp TEXT CHECK (curp IS NULL OR length(curp) = 18),"
    "  name TEXT CHECK (name IS NULL OR length(CAST(name AS BLOB)) BETWEEN 1 AND 800),"
    "  sex TEXT CHECK (sex IS NULL OR sex IN ('female', 'male')),"
    "  apparent_age INTEGER CHECK (apparent_age IS NULL OR apparent_age BETWEEN 0 AND 120),"
    "  features TEXT CHECK (features IS NULL OR length(CAST(features AS BLOB)) <= 4000),"
    "  found_where TEXT CHECK (found_where IS NULL OR length(CAST(found_where AS BLOB)) <= 1600),"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'discharged', 'transferred', 'merged')),"
    "  closed_at INTEGER,"
    "  closed_by INTEGER,"
    "  transfer_to TEXT CHECK (transfer_to IS NULL OR length(transfer_to) = 11),"
    "  merged_into TEXT REFERENCES emergency (id),"
    "  registration TEXT REFERENCES registration (id),"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK ((identity = 'curp') = (curp IS NOT NULL)),"
    "  CHECK (identity <> 'name' OR name IS NOT NULL),"
    "  CHECK ((status = 'open') = (closed_at IS NULL))"
    ");"
    "CREATE UNIQUE INDEX emergency_one_open ON emergency (unit, curp)"
    " WHERE status = 'open' AND curp IS NOT NULL;"
    "CREATE INDEX emergency_unit_open ON emergency (unit, status, opened_at);"
    "CREATE INDEX emergency_curp ON emergency (curp) WHERE curp IS NOT NULL;",
    /* 18: assisted enrollment at a unit's desk (docs/staff.md): the staff account that
     * assisted a registration, the one that attested the person's identity with the ID
     * in hand (what replaces the email proof at the desk) and when, and the staff
     * account that recorded a consent read at the desk with the person present. */
    "ALTER TABLE registration ADD COLUMN assisted_by INTEGER REFERENCES staff (id);"
    "ALTER TABLE registration ADD COLUMN verified_by_staff INTEGER REFERENCES staff (id);"
    "ALTER TABLE registration ADD COLUMN verified_by_staff_at INTEGER;"
    "ALTER TABLE consent ADD COLUMN assisted_by INTEGER REFERENCES staff (id);",
    /* 19: referrals: a referral from one unit to a unit of the next level of care, its
     * events (every change, when, by whom, append-only) and the socioeconomic studies that
     * decide what level 3 charges (care/referral.h). */
    "CREATE TABLE referral ("
    "  id INTEGER PRIMARY KEY,"
    "  public_id TEXT NOT NULL UNIQUE CHECK (length(public_id) = 14),"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  from_unit TEXT NOT NULL CHECK (length(from_unit) = 11),"
    "  to_unit TEXT NOT NULL CHECK (length(to_unit) = 11 AND to_unit <> from_unit),"
    "  to_level INTEGER NOT NULL CHECK (to_level IN (2, 3)),"
    "  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),"
    "  cie10 TEXT NOT NULL CHECK (length(cie10) IN (3, 4)),"
    "  urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'priority', 'urgent')),"
    "  state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'rejected', 'scheduled',"
    "   'attended', 'closed', 'cancelled')),"
    "  scheduled_date TEXT CHECK (scheduled_date IS NULL OR length(scheduled_date) = 10),"
    "  scheduled_time TEXT CHECK (scheduled_time IS NULL OR length(scheduled_time) = 5),"
    "  rejection_reason TEXT CHECK (rejection_reason IS NULL OR length(rejection_reason) <= 1000),"
    "  created_by INTEGER NOT NULL REFERENCES staff (id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (state NOT IN ('scheduled', 'attended', 'closed') OR scheduled_date IS NOT NULL),"
    "  CHECK (state <> 'rejected' OR rejection_reason IS NOT NULL)"
    ");"
    "CREATE INDEX referral_from ON referral (from_unit, created_at);"
    "CREATE INDEX referral_to ON referral (to_unit, created_at);"
    "CREATE INDEX referral_person ON referral (registration, created_at);"
    "CREATE TABLE referral_event ("
    "  id INTEGER PRIMARY KEY,"
    "  referral INTEGER NOT NULL REFERENCES referral (id),"
    "  state TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  staff INTEGER NOT NULL REFERENCES staff (id),"
    "  note TEXT CHECK (note IS NULL OR length(note) <= 1000)"
    ");"
    "CREATE INDEX referral_event_referral ON referral_event (referral, id);"
    "CREATE TRIGGER referral_event_no_update BEFORE UPDATE ON referral_event"
    " BEGIN SELECT RAISE (ABORT, 'referral events are append-only'); END;"
    "CREATE TRIGGER referral_event_no_delete BEFORE DELETE ON referral_event"
    " BEGIN SELECT RAISE (ABORT, 'referral events are append-only'); END;"
    "CREATE TABLE socioeconomic_study ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  unit TEXT NOT NULL CHECK (length(unit) = 11),"
    "  social_worker INTEGER NOT NULL REFERENCES staff (id),"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('exempt', 'reduced', 'full')),"
    "  fee_centavos INTEGER NOT NULL CHECK ((outcome = 'reduced' AND fee_centavos BETWEEN 1"
    "   AND 10000000) OR (outcome <> 'reduced' AND fee_centavos = 0)),"
    "  note TEXT CHECK (note IS NULL OR length(note) <= 1000),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX socioeconomic_study_person ON socioeconomic_study (registration, unit, at);",
    /* 20: reception. A walk-in has no slot, place or arrival window; every
     * arrival (booked or walk-in) takes the unit's next turn of the day, unique
     * per unit and day; reminded_at marks the reminder mail queued the day
     * before. SQLite cannot relax NOT NULL in place: the table is rebuilt. */
    "CREATE TABLE appointment_v17 ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  clues TEXT NOT NULL CHECK (length(clues) = 11),"
    "  service TEXT NOT NULL CHECK (service IN ('consulta')),"
    "  day TEXT NOT NULL CHECK (length(day) = 10),"
    "  walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),"
    "  slot_start INTEGER CHECK (slot_start BETWEEN 0 AND 1439),"
    "  slot_end INTEGER CHECK (slot_end > slot_start AND slot_end <= 1440),"
    "  position INTEGER CHECK (position >= 0),"
    "  arrival_from INTEGER,"
    "  arrival_to INTEGER CHECK (arrival_to > arrival_from),"
    "  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'arrived',"
    "   'in_consultation', 'done', 'no_show')),"
    "  turn INTEGER CHECK (turn >= 1),"
    "  arrived_at INTEGER,"
    "  reminded_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (walk_in = 1 OR (slot_start IS NOT NULL AND slot_end IS NOT NULL"
    "   AND position IS NOT NULL AND arrival_from IS NOT NULL AND arrival_to IS NOT NULL)),"
    "  CHECK (walk_in = 0 OR (slot_start IS NULL AND position IS NULL AND status <> 'booked')),"
    "  CHECK ((turn IS NOT NULL) = (status IN ('arrived', 'in_consultation', 'done')))"
    ");"
    "INSERT INTO appointment_v17 (id, registration, clues, service, day, slot_start, slot_end,"
    " position, arrival_from, arrival_to, status, created_at, updated_at)"
    " SELECT id, registration, clues, service, day, slot_start, slot_end, position,"
    " arrival_from, arrival_to, status, created_at, updated_at FROM appointment;"
    "DROP TABLE appointment;"
    "ALTER TABLE appointment_v17 RENAME TO appointment;"
    "CREATE UNIQUE INDEX appointment_place ON appointment (clues, day, slot_start, position)"
    " WHERE status IN ('booked', 'arrived', 'in_consultation') AND walk_in = 0;"
    "CREATE UNIQUE INDEX appointment_turn ON appointment (clues, day, turn)"
    " WHERE turn IS NOT NULL;"
    "CREATE INDEX appointment_registration ON appointment (registration, day);"
    "CREATE INDEX appointment_reminder ON appointment (day, status) WHERE reminded_at IS NULL;",
    /* 21: emergency referrals: the open emergency encounter a hospital's physician
     * referred the person from, outside the level order (care/referral.h); NULL for
     * a referral in the level order. */
    "ALTER TABLE referral ADD COLUMN emergency TEXT REFERENCES emergency (id);"
    "CREATE INDEX referral_emergency ON referral (emergency) WHERE emergency IS NOT NULL;",
    /* 22: suspension of an active enrollment whose person became affiliated to IMSS or
     * ISSSTE (padron crosscheck --suspend): when and by which roll; the enrollment keeps
     * status 1 (its CURP stays taken) and the cross-check reads the active, unsuspended
     * enrollments in CURP order from their own covering index. */
    "ALTER TABLE registration ADD COLUMN suspended_at INTEGER;"
    "ALTER TABLE registration ADD COLUMN suspended_institution INTEGER"
    " CHECK (suspended_institution IS NULL OR suspended_institution IN (0, 1));"
    "CREATE INDEX registration_unsuspended ON registration (curp, status, suspended_at)"
    " WHERE status = 1 AND suspended_at IS NULL;",
    /* 23: staff reviews of suspensions (web/suspension_review.h): each decision, lift
     * or confirm, with its written reason, the staff account and the suspension it
     * looked at (when, which roll, and when that roll had been imported). A lift is
     * what keeps the next cross-check from suspending the person again while the
     * roll is the one the review saw (store_suspend_affiliated). History only grows. */
    "CREATE TABLE suspension_review ("
    "  id INTEGER PRIMARY KEY,"
    "  registration TEXT NOT NULL REFERENCES registration (id),"
    "  decision TEXT NOT NULL CHECK (decision IN ('lift', 'confirm')),"
    "  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 400),"
    "  staff INTEGER NOT NULL REFERENCES staff (id),"
    "  reviewed_at INTEGER NOT NULL,"
    "  suspended_at INTEGER NOT NULL,"
    "  institution INTEGER NOT NULL CHECK (institution IN (0, 1)),"
    "  roll_imported_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX suspension_review_registration"
    " ON suspension_review (registration, institution, decision, roll_imported_at);",
};

const char *const *migrations_sqlite(size_t *n)
{
    *n = sizeof steps / sizeof steps[0];
    return steps;
}
