#!/usr/bin/env bash
# padron migrate: an installation built on SQLite (2,000 synthetic people, people
# enrolled through the API with their credentials, an imported roll, a staff account
# and its audit records) moved into PostgreSQL: every table's rows and digest agree,
# and `padron serve --db` on the same data directory carries on (sign-in, the
# registration, the credential, a new enrollment with fresh ids, the audit chain).
# Refusals: a target with rows, an unreachable server (the password never printed),
# a missing source, a file that is not padron's. It needs a PostgreSQL server: the
# one of tests/cli/run --postgresql, else a throwaway one of its own.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
. "$(dirname "$0")/staff.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/tests/cli/tools
# The source is a SQLite file whatever backend the suite runs on: the real binary,
# without the suite's per-directory database.
PADRON=${PGTEST_BINARY:-$PADRON}
P=$PADRON
unset PADRON_DATABASE
data=$tmp/var
PW='Tlacolula-Verde#2026'
pg_dir=""
if [ -z "${PGTEST_URL:-}" ]; then
    server=$("$root/scripts/pg-test-server" start) || { echo "migrate: no PostgreSQL server"; exit 1; }
    pg_dir=$(head -1 <<<"$server")
    pg_url=$(tail -1 <<<"$server")
else
    pg_url=$PGTEST_URL
fi
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$pg_dir" ] && "$root/scripts/pg-test-server" stop "$pg_dir"
    rm -rf "$tmp"
}
trap cleanup EXIT
db_name=m_$(basename "$tmp" | tr -cd 'a-zA-Z0-9' | tr 'A-Z' 'a-z')
target=$("$root/scripts/pg-test-server" createdb "$pg_url" "$db_name")
pg() { psql -X -q -At "$target" -c "$1"; }
lite() { sqlite3 "$data/padron.db" "$1"; }

# ---- an installation on SQLite ----
"$P" synth --people 2000 --seed 3 --data "$data" --out-roll "$tmp/roll.csv" >/dev/null 2>&1
expect_status "a roll imported" 0 "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data"
serve_start "$data"
url=${base}api/v1
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
ana_id=$id ana_token=$token
before_json=$(enroll_call GET "" | jq -S .)
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
qr=$(curl -s -H "Authorization: Bearer $token" "$url/me/credential" | jq -r .qr)
expect_status "a credential issued on SQLite" 0 grep -q '^PB1:' <<<"$qr"
enroll_start SABC560626MDFLRN01
enroll_complete beto@ejemplo.mx
enroll_call POST /submit >/dev/null
code=$(staff_add --role receptionist --unit "$HERE" --email recepcion@salud.gob.mx)
rec=$(staff_token recepcion@salud.gob.mx "$code")
curl -s -X POST -H "Authorization: Bearer $rec" -H 'Content-Type: application/json' \
    -d '{"key":"PXNE660720HMCXTN06"}' "$url/staff/people/lookup" >/dev/null
serve_stop
registrations=$(lite "SELECT count(*) FROM registration")
audit_before=$("$P" audit verify --data "$data" | head -1)
expect_status "audit records on SQLite" 0 grep -qE '^ok [1-9][0-9]* records' <<<"$audit_before"
tables=$(lite "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")

# ---- refusals, nothing written ----
expect_status "not on a terminal without --yes: usage error" 2 "$P" migrate --data "$data" --to "$target"
expect_status "--to must be PostgreSQL" 2 "$P" migrate --data "$data" --to "$tmp/x.db" --yes
expect_status "--from must be SQLite" 2 "$P" migrate --from "$target" --to "$target" --yes
expect_status "no target at all: usage error" 2 "$P" migrate --data "$data" --yes
expect_status "a missing source fails" 1 "$P" migrate --from "sqlite:$tmp/nope.db" --to "$target" --yes
expect_contains "a missing source, named" "--from: $tmp/nope.db: No such file" \
    "$P" migrate --from "sqlite:$tmp/nope.db" --to "$target" --yes
expect_status "and not created" 1 test -e "$tmp/nope.db"
sqlite3 "$tmp/other.db" "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hola');"
expect_contains "another program's database is refused" "not a padron database" \
    "$P" migrate --from "$tmp/other.db" --to "$target" --yes
expect_output "and left as it was: no padron tables, its journal mode" "notes delete" \
    bash -c 'echo $(sqlite3 "$0" ".tables") $(sqlite3 "$0" "PRAGMA journal_mode")' "$tmp/other.db"
echo 'not a database at all' >"$tmp/text.db"
expect_status "a file that is not a database fails" 1 "$P" migrate --from "$tmp/text.db" --to "$target" --yes
expect_contains "saying so" "--from: $tmp/text.db: not a SQLite database" \
    "$P" migrate --from "sqlite:$tmp/text.db" --to "$target" --yes
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dead="postgresql://padron:S3creto-Clave@127.0.0.1:$port/padron"
expect_status "an unreachable server fails" 1 "$P" migrate --data "$data" --to "$dead" --yes
expect_contains "saying which side" "padron migrate: --to: database: PostgreSQL:" \
    "$P" migrate --data "$data" --to "$dead" --yes
expect_output "without the password" "0" bash -c '"$0" migrate --data "$1" --to "$2" --yes 2>&1 | grep -c S3creto || true' "$P" "$data" "$dead"
other=$("$root/scripts/pg-test-server" createdb "$pg_url" "${db_name}_other")
psql -X -q "$other" -c "CREATE TABLE notes (body text)"
expect_contains "a target with another program's tables is refused" "table notes: not padron's" \
    "$P" migrate --data "$data" --to "$other" --yes
expect_output "the source is untouched by the refusals" "$registrations" lite "SELECT count(*) FROM registration"

# ---- the move: the target from the database setting ----
PADRON_DATABASE=$target "$P" migrate --data "$data" --yes >"$tmp/table" 2>"$tmp/summary"
expect_output "migrate succeeds" "0" echo $?
expect_output "a line per table, all ok" "$(wc -w <<<"$tables") 0" \
    bash -c 'echo "$(tail -n +2 "$0" | grep -c " ok$") $(grep -c DIFFERS "$0")"' "$tmp/table"
expect_contains "the summary says the files stay" "Documents, keys and the Maildir stay in $data" cat "$tmp/summary"
expect_output "the summary never shows the URL" "0" grep -c "$target" "$tmp/summary"
for t in $tables; do
    expect_output "rows of $t" "$(lite "SELECT count(*) FROM $t")" pg "SELECT count(*) FROM $t"
done
expect_output "the table's counts are the source's" "$(lite "SELECT count(*) FROM registration")" \
    bash -c 'awk "\$1 == \"registration\" {print \$2}" "$0"' "$tmp/table"
expect_output "text survives byte for byte" "$(lite "SELECT given_names || '|' || first_surname || '|' || second_surname FROM registration WHERE curp = 'SABC560626MDFLRN01'")" \
    pg "SELECT given_names || '|' || first_surname || '|' || second_surname FROM registration WHERE curp = 'SABC560626MDFLRN01'"
expect_output "hashes survive" "$(lite "SELECT hex(token_hash) FROM registration WHERE id = '$ana_id'")" \
    pg "SELECT upper(encode(token_hash, 'hex')) FROM registration WHERE id = '$ana_id'"

# A second run: the target has rows, nothing is mixed.
expect_status "a target with rows is refused" 1 "$P" migrate --data "$data" --to "$target" --yes
expect_contains "naming the first table with rows" "the target database is not empty (table affiliation has rows)" \
    "$P" migrate --data "$data" --to "$target" --yes
expect_output "and nothing was added" "$registrations" pg "SELECT count(*) FROM registration"

# ---- padron serve on PostgreSQL, same data directory ----
expect_output "the audit chain verifies on PostgreSQL" "$audit_before" \
    bash -c 'PADRON_DATABASE="$1" "$0" audit verify --data "$2" | head -1' "$P" "$target" "$data"
serve_start "$data" PADRON_DATABASE="$target"
url=${base}api/v1
session=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"login":"ana@ejemplo.mx","password":"Nopal-Azul#Tlayuda7"}' "$url/sessions" | jq -r .token)
expect_status "the person signs in" 0 test -n "$session" -a "$session" != null
id=$ana_id token=$ana_token
expect_output "their registration reads back as it was" "$before_json" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1" | jq -S .' "$token" "$url/registrations/$id"
expect_output "their credential verifies" "valid" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$qr\"}' '$url/verify' | jq -r .result"
max_address=$(pg "SELECT max(id) FROM address")
max_outbox=$(pg "SELECT max(id) FROM outbox")
stem=GODE561231MHGMZM0
enroll_start "$stem$("$P" curp check-digit "$stem")"
enroll_complete emma@ejemplo.mx
expect_output "a new enrollment is submitted" "IB" bash -c 'enroll_call() { curl -s -X POST -H "Authorization: Bearer $1" "$2"; }; enroll_call "$0" "$1" | jq -r ".folio[0:2]"' \
    "$token" "$url/registrations/$id/submit"
expect_output "its address gets the next id" "$((max_address + 1))" \
    pg "SELECT id FROM address WHERE registration = '$id'"
expect_output "its mail too" "$((max_outbox + 1))" pg "SELECT min(id) FROM outbox WHERE id > $max_outbox"
max_staff=$(pg "SELECT max(id) FROM staff")
PADRON_DATABASE=$target "$P" staff add --data "$data" --role physician --unit "$HERE" --email medica@salud.gob.mx >/dev/null 2>&1
expect_output "a new staff account gets the next id" "$((max_staff + 1))" \
    pg "SELECT id FROM staff WHERE email = 'medica@salud.gob.mx'"
rec=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"recepcion@salud.gob.mx\",\"password\":\"$PW\"}" "$url/staff/sessions" | jq -r .token)
expect_output "the staff account signs in and looks the person up" "$folio" \
    sh -c "curl -s -X POST -H 'Authorization: Bearer $rec' -H 'Content-Type: application/json' -d '{\"key\":\"PXNE660720HMCXTN06\"}' '$url/staff/people/lookup' | jq -r .folio"
serve_stop
audit_after=$(PADRON_DATABASE=$target "$P" audit verify --data "$data" | head -1)
expect_output "the audit chain goes on from the copied records" "ok more" \
    bash -c '[[ $0 =~ ^ok\ ([0-9]+)\ records ]] && [ "${BASH_REMATCH[1]}" -gt "$1" ] && echo "ok more"' \
    "$audit_after" "$(grep -oE '[0-9]+' <<<"$audit_before" | head -1)"

finish migrate
