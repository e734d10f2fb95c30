#!/usr/bin/env bash
# Crash safety: the server is killed with SIGKILL in the middle of a stream of
# submissions. After a restart every acknowledged enrollment is active with the
# folio it was given, every other application is a draft or active (never half
# of each), and SQLite's integrity and foreign-key checks pass.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
N=${CRASH_APPLICATIONS:-16}

start() {
    serve_start "$data"
    url=${base}api/v1
}

# N complete drafts, each for a different (generated, valid) CURP.
start
for i in $(seq "$N"); do
    stem=$(printf 'GODE%02d1231MHGMZM0' "$((i % 60 + 40))")
    curp=$stem$("$P" curp check-digit "$stem" 2>/dev/null)
    enroll_start "$curp"
    enroll_complete "persona$i@ejemplo.mx" || break
    echo "$id $token" >>"$tmp/drafts"
done
expect_output "drafts prepared" "$N" bash -c 'wc -l <"$0"' "$tmp/drafts"

# Submit them one after another in the background; kill the server mid-stream.
(
    while read -r id token; do
        r=$(curl -s -m 5 -X POST -H "Authorization: Bearer $token" "$url/registrations/$id/submit")
        folio=$(echo "$r" | jq -r '.folio // empty' 2>/dev/null)
        echo "$id $token ${folio:--}" >>"$tmp/answers"
    done <"$tmp/drafts"
) &
stream=$!
for _ in $(seq 400); do [ "$(wc -l <"$tmp/answers" 2>/dev/null || echo 0)" -ge $((N / 3)) ] && break; sleep 0.01; done
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=""
wait "$stream"
acked=$(grep -vc ' -$' "$tmp/answers")
echo "crash: $acked of $N submissions acknowledged before the kill"
expect_status "some submissions were acknowledged before the kill" 0 test "$acked" -gt 0
expect_status "and some were not" 0 test "$acked" -lt "$N"

start
lost=0 torn=0
while read -r id token folio; do
    r=$(curl -s -H "Authorization: Bearer $token" "$url/registrations/$id")
    status=$(echo "$r" | jq -r .status)
    got=$(echo "$r" | jq -r '.folio // "-"')
    if [ "$folio" != "-" ] && { [ "$status" != active ] || [ "$got" != "$folio" ]; }; then
        lost=$((lost + 1))
    fi
    if { [ "$status" = active ] && [ "$got" = "-" ]; } || { [ "$status" = draft ] && [ "$got" != "-" ]; }; then
        torn=$((torn + 1))
    fi
done <"$tmp/answers"
expect_output "no acknowledged enrollment lost" "0" echo "$lost"
expect_output "no half-written application" "0" echo "$torn"
sqlite_only crash "the rest checks the SQLite file"
expect_output "integrity check" "ok" /usr/bin/python3 -c \
    'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$data/padron.db"
expect_output "foreign keys hold" "0" /usr/bin/python3 -c \
    'import sqlite3,sys; print(len(sqlite3.connect(sys.argv[1]).execute("PRAGMA foreign_key_check").fetchall()))' "$data/padron.db"

finish crash
