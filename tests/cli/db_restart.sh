#!/usr/bin/env bash
# The PostgreSQL server restarted under a running `padron serve`: while it is
# down every request that needs it gets 503 with Retry-After (JSON under /api/,
# a page elsewhere, the health check), never a 500 or a hang; once it is back
# the same requests work without restarting padron; and under a stream of
# writes across a restart, every write that was acknowledged (201) is in the
# database afterwards. Runs only in tests/cli/run --postgresql, on its server.
set -u
. "$(dirname "$0")/lib.bash"
postgresql_only db_restart "it halts and resumes the suite's PostgreSQL server"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
pg_server=$(cd "$(dirname "$0")/../../scripts" && pwd)/pg-test-server
data=$tmp/var
cleanup() {
    "$pg_server" resume "$PGTEST_DIR" >/dev/null 2>&1 # never leave the suite without its server
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

stem=GODE411231MHGMZM0
curp=$stem$("$P" curp check-digit "$stem" 2>/dev/null)
serve_start "$data" PADRON_TRUSTED_PROXIES=127.0.0.1
api=${base}api/v1
draft=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"curp\":\"$curp\"}" "$api/registrations")
id=$(jq -r .id <<<"$draft") token=$(jq -r .token <<<"$draft")
expect_status "a draft before the restart" 0 test ${#id} -eq 32

# answer METHOD URL [CURL ARGS...]: "STATUS RETRY-AFTER CODE" of one request
# (the error code of a JSON answer, "-" for others).
answer() {
    local method=$1 url=$2
    shift 2
    curl -s -m 30 -D "$tmp/headers" -o "$tmp/body" -X "$method" "$@" "$url" >/dev/null
    local status retry code
    status=$(awk 'NR == 1 {print $2}' "$tmp/headers")
    retry=$(tr -d '\r' <"$tmp/headers" | awk -F': ' 'tolower($1) == "retry-after" {print $2}')
    code=$(jq -r '.error.code // "-"' "$tmp/body" 2>/dev/null || echo -)
    echo "$status ${retry:--} ${code:--}"
}
read_draft() { answer GET "$api/registrations/$id" -H "Authorization: Bearer $token"; }
start_draft() {
    answer POST "$api/registrations" -H 'Content-Type: application/json' -d "{\"curp\":\"$curp\"}"
}

# 1. The server down: 503, Retry-After, in each kind of answer.
"$pg_server" halt "$PGTEST_DIR"
expect_output "server down: a read answers 503 unavailable, retry in 5 s" "503 5 unavailable" read_draft
expect_output "server down: a write answers 503 unavailable" "503 5 unavailable" start_draft
expect_output "server down: the health check says 503" "503 5 -" answer GET "${base}healthz"
expect_output "server down: a page answers 503" "503 5 -" answer GET "${base}cartas/ABC234"
expect_contains "server down: the page says to try again shortly" "unos segundos" cat "$tmp/body"
expect_contains "the server's log names the failure" "database" cat "$tmp/out"

# 2. Back: the same requests work, padron reconnected by itself.
"$pg_server" resume "$PGTEST_DIR"
expect_output "server back: the draft reads again" "200 - -" read_draft
expect_output "server back: a write succeeds" "201 - -" start_draft
expect_output "server back: healthy" "200 - -" answer GET "${base}healthz"

# 3. A restart in the middle of a stream of writes from 4 clients.
python3 "$tools/draft-load.py" "$base" "$curp" 4 8 >"$tmp/load" &
loader=$!
sleep 2
"$pg_server" halt "$PGTEST_DIR"
sleep 1
"$pg_server" resume "$PGTEST_DIR"
wait "$loader"
expect_output "every answer was 201 or 503 (no 500, no dropped request)" "" \
    awk '$2 != 201 && $2 != 503' "$tmp/load"
expect_output "every 503 said when to retry" "" awk '$2 == 503 && $3 != 5' "$tmp/load"
expect_status "some requests met the restart (503)" 0 grep -q ' 503 ' "$tmp/load"
expect_status "writes were acknowledged before the restart" 0 \
    awk '$2 == 201 && $1 < 2 {found = 1} END {exit !found}' "$tmp/load"
expect_status "writes were acknowledged after it" 0 \
    awk -v t="$(awk '$2 == 503 {t = $1} END {print t}' "$tmp/load")" \
    '$2 == 201 && $1 > t {found = 1} END {exit !found}' "$tmp/load"
awk '$2 == 201 {print $4}' "$tmp/load" | sort >"$tmp/acknowledged"
sql "$data" "SELECT id FROM registration" | sort >"$tmp/stored"
expect_output "no acknowledged write was lost" "" comm -23 "$tmp/acknowledged" "$tmp/stored"
expect_status "the stream wrote many drafts" 0 test "$(wc -l <"$tmp/acknowledged")" -ge 20
finish db_restart
