#!/usr/bin/env bash
# Two `padron serve` instances on one data directory and one database (the same
# SQLite file, or with tests/cli/run --postgresql the same PostgreSQL database),
# raced against each other: one CURP submitted on both at once becomes one active
# enrollment; every queued mail is delivered once although both instances send;
# a session opened on one works on the other; failed sign-ins count on both.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
pid_a=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$pid_a" ] && kill "$pid_a" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# Instance A, then B: two processes, two ports, one state.
serve_start "$data"
pid_a=$pid pid="" url_a=${base}api/v1
mv "$tmp/out" "$tmp/out.a"
serve_start "$data"
url_b=${base}api/v1
expect_status "two instances answer" 0 test -n "$url_a" -a -n "$url_b" -a "$url_a" != "$url_b"

# Three CURPs, each with one complete draft opened on A and one on B (the mails of
# both instances land in the one Maildir).
curps=()
for i in 1 2 3; do
    stem=$(printf 'GODE%02d1231MHGMZM0' "$((i + 40))")
    curps+=("$stem$("$P" curp check-digit "$stem" 2>/dev/null)")
done
: >"$tmp/drafts"
for i in 0 1 2; do
    for side in a b; do
        [ "$side" = a ] && url=$url_a || url=$url_b
        enroll_start "${curps[$i]}"
        enroll_complete "p$i$side@ejemplo.mx" || break
        echo "$i $side $id $token" >>"$tmp/drafts"
    done
done
expect_output "six complete drafts, two per CURP" "6" bash -c 'wc -l <"$0"' "$tmp/drafts"

# Both drafts of a CURP submitted at the same moment, one on each instance.
: >"$tmp/answers"
racers=()
while read -r i side id token; do
    [ "$side" = a ] && u=$url_a || u=$url_b
    (
        r=$(curl -s -w ' %{http_code}' -X POST -H "Authorization: Bearer $token" "$u/registrations/$id/submit")
        echo "$i $side ${r##* } $(echo "${r% *}" | jq -r '.folio // .error.code' 2>/dev/null)" >>"$tmp/answers"
    ) &
    racers+=($!)
done <"$tmp/drafts"
wait "${racers[@]}" # not the servers
for i in 0 1 2; do
    expect_output "CURP $i: one submit won" "1" bash -c 'grep -c "^$1 .* 200 " "$0"' "$tmp/answers" "$i"
    expect_output "CURP $i: the other was told the CURP is taken" "1" \
        bash -c 'grep -c "^$1 .* 409 " "$0"' "$tmp/answers" "$i"
    expect_output "CURP $i: one active enrollment in the database" "1" \
        sql "$data" "SELECT count(*) FROM registration WHERE curp = '${curps[$i]}' AND status = 1"
done

# Every message was delivered exactly once, whichever instance sent it.
for _ in $(seq 100); do
    [ "$(sql "$data" "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")" = 0 ] && break
    sleep 0.1
done
expect_output "the outbox is empty" "0" \
    sql "$data" "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
queued=$(sql "$data" "SELECT count(*) FROM outbox")
expect_output "as many messages in the Maildir as were queued" "$queued" \
    bash -c 'ls "$0"/mail/new | wc -l' "$data"
expect_output "no recipient got a message twice" "" \
    bash -c 'grep -h "^To: " "$0"/mail/new/* | sort | uniq -d' "$data"

# A session opened on A is good on B, and signing out on B ends it on A.
winner=$(awk '$3 == 200 {print $1 " " $2; exit}' "$tmp/answers")
read -r wi ws <<<"$winner"
login="p$wi$ws@ejemplo.mx"
session=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$login\",\"password\":\"Nopal-Azul#Tlayuda7\"}" "$url_a/sessions" | jq -r .token)
reg=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$login\",\"password\":\"Nopal-Azul#Tlayuda7\"}" "$url_a/sessions" | jq -r .registration)
expect_output "a session from A opens the account on B" "active" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0/registrations/$2" | jq -r .status' "$url_b" "$session" "$reg"
expect_output "signing out on B" "204" \
    curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $session" "$url_b/sessions"
expect_output "ends it on A" "401" \
    curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $session" "$url_a/registrations/$reg"

# Failed sign-ins count on both: five wrong passwords, alternating, block the account.
bad() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$login\",\"password\":\"Mal#Clave1234\"}" "$1/sessions"; }
for u in "$url_a" "$url_b" "$url_a" "$url_b" "$url_a"; do bad "$u" >/dev/null; done
expect_output "the sixth try on B is throttled" "429" bad "$url_b"

finish instances
