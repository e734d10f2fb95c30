#!/usr/bin/env bash
# Writers wait for the database's write lock at most 5 s (SQLite's busy timeout,
# PostgreSQL's lock_timeout), then answer 503 with Retry-After rather than hang;
# readers never wait. On PostgreSQL a roll import does not take the write lock:
# applications keep being accepted while a large roll loads, and a schema step waits
# for its table locks at most as long.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
data=$tmp/var
holder=""
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

stem=GODE411231MHGMZM0
curp=$stem$("$P" curp check-digit "$stem" 2>/dev/null)
serve_start "$data"
api=${base}api/v1
# new_draft: starts an application and gives its names; prints "ID TOKEN".
new_draft() {
    local r id token
    r=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"curp\":\"$curp\"}" "$api/registrations")
    id=$(jq -r .id <<<"$r") token=$(jq -r .token <<<"$r")
    curl -s -o /dev/null -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"given_names":"Emma","first_surname":"Gómez","second_surname":"Díaz"}' \
        "$api/registrations/$id/names"
    echo "$id $token"
}
# put_contact ID TOKEN: the contact step, a write under the write lock (it queues
# the code's mail in the same transaction); prints the answer's headers to $tmp/h
# and "STATUS CODE".
put_contact() {
    local r
    r=$(curl -s -m 30 -D "$tmp/h" -X PUT -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
        -d '{"state":"20","email":"lock@ejemplo.mx","privacy_notice_version":"2026-11"}' \
        -w '%{http_code}' "$api/registrations/$1/contact")
    echo "${r: -3} $(jq -r '.error.code // "-"' <<<"${r%???}" 2>/dev/null)"
}
read -r id token <<<"$(new_draft)"
read -r id2 token2 <<<"$(new_draft)"
expect_status "drafts to write to" 0 test ${#id} -eq 32 -a ${#id2} -eq 32

# The write lock, held from outside for 12 s as a long write would: the sqlite3
# shell's BEGIN IMMEDIATE, or the advisory lock padron's writers take.
if [ -n "${PGTEST_URL:-}" ]; then
    db_url=$("$cli_dir/pg-padron" --database-of "$data")
    (echo "SELECT pg_advisory_lock(7052868);"; sleep 12) | psql -X -q "$db_url" >/dev/null &
    holder=$!
    held() { [ "$(sql "$data" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7052868 AND granted")" = 1 ]; }
else
    (echo "BEGIN IMMEDIATE;"; sleep 12) | sqlite3 "$data/padron.db" &
    holder=$!
    held() { ! sqlite3 -cmd '.timeout 0' "$data/padron.db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; }
fi
for _ in $(seq 100); do held && break; sleep 0.05; done
expect_status "the write lock is held" 0 held

start=$(date +%s.%N)
r=$(put_contact "$id" "$token")
waited=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
expect_output "a write behind the lock answers 503 unavailable" "503 unavailable" echo "$r"
expect_output "with Retry-After: 5" "5" bash -c 'tr -d "\r" <"$0" | awk -F": " "tolower(\$1) == \"retry-after\" {print \$2}"' "$tmp/h"
expect_status "after waiting about 5 s, not forever ($waited s)" 0 \
    awk -v w="$waited" 'BEGIN {exit !(w >= 4 && w < 12)}'
expect_output "a read does not wait for the lock" "200" \
    curl -s -m 4 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$api/registrations/$id"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=""
for _ in $(seq 100); do held || break; sleep 0.05; done
expect_output "the lock released, the write goes through" "200 -" put_contact "$id" "$token"

# PostgreSQL: a roll import holds only its own lock (class 1919904876, the
# institution), so applications go on while it loads.
if [ -n "${PGTEST_URL:-}" ]; then
    "$P" synth --people 10 --roll-entries 300000 --data "$tmp/synth" --out-roll "$tmp/roll.csv" >/dev/null 2>&1
    "$P" import affiliations --institution IMSS "$tmp/roll.csv" --data "$data" >"$tmp/import.out" 2>&1 &
    importer=$!
    importing() { [ "$(sql "$data" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1919904876 AND granted")" = 1 ]; }
    for _ in $(seq 400); do importing && break; sleep 0.05; done
    expect_status "the import holds its roll's lock" 0 importing
    expect_output "an application's write goes through during the import" "200 -" \
        put_contact "$id2" "$token2"
    expect_status "... while the import was still loading" 0 importing
    wait "$importer"
    expect_contains "the import finished" "imported 300000 rows" cat "$tmp/import.out"
fi

# PostgreSQL: lock_timeout also bounds a schema step's wait for its table locks. An
# instance that starts while another holds a write open on a table the step needs
# stops after about 5 s with the lock error, and the step applies once it is free.
# (Step 23 creates suspension_review, which references registration: it needs a lock
# that a transaction writing to registration holds.)
if [ -n "${PGTEST_URL:-}" ]; then
    serve_stop
    sql "$data" "DROP TABLE suspension_review; UPDATE padron_schema SET version = version - 1" >/dev/null
    version=$(sql "$data" "SELECT version FROM padron_schema")
    (echo "BEGIN; LOCK TABLE registration IN ROW EXCLUSIVE MODE;"; sleep 20) | psql -X -q "$db_url" >/dev/null &
    holder=$!
    writing() { [ "$(sql "$data" "SELECT count(*) FROM pg_locks WHERE relation = 'registration'::regclass AND mode = 'RowExclusiveLock' AND granted")" = 1 ]; }
    for _ in $(seq 100); do writing && break; sleep 0.05; done
    expect_status "a write transaction is open on registration" 0 writing
    start=$(date +%s.%N)
    timeout 30 "$P" serve --listen 127.0.0.1:0 --data "$data" >"$tmp/migrate.out" 2>&1
    status=$?
    waited=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    expect_output "the instance does not start (exit 1)" "1" echo "$status"
    expect_contains "... and says which step waited for a lock" "schema step 23: ERROR:  canceling statement due to lock timeout" cat "$tmp/migrate.out"
    expect_contains "... and what to do" "start padron again once it has ended" cat "$tmp/migrate.out"
    expect_status "after about 5 s, not forever ($waited s)" 0 \
        awk -v w="$waited" 'BEGIN {exit !(w >= 4 && w < 15)}'
    expect_output "the step was not applied" "$version" sql "$data" "SELECT version FROM padron_schema"
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    holder=""
    serve_start "$data"
    expect_output "once the write ends, the step applies at start" "$((version + 1))" \
        sql "$data" "SELECT version FROM padron_schema"
    expect_output "... and its table is there" "0" sql "$data" "SELECT count(*) FROM suspension_review"
fi
finish write_lock
