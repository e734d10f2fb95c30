#!/usr/bin/env bash
# padron serve: an isolated server (free port, temporary data directory) answers
# its routes, refuses what it does not declare, and stops cleanly on SIGTERM.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON

serve_start "$tmp/var"
url=${base}
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

expect_output "prints where to open it" "http://127.0.0.1:" bash -c 'echo "${0:0:17}"' "$url"
expect_output "healthz" "ok" curl -sf "${url}healthz"
expect_output "healthz status" "200" code "${url}healthz"
expect_contains "home lists participating states" "<li>Oaxaca</li>" curl -sf "$url"
expect_contains "home in Spanish by default" '<html lang="es">' curl -sf "$url"
expect_contains "language switch" '<html lang="en">' curl -sf "$url?lang=en"
expect_contains "the choice is remembered" "Set-Cookie: lang=en" curl -si "$url?lang=en"
expect_contains "Accept-Language is honoured" '<html lang="en">' curl -sf -H 'Accept-Language: en-US,en;q=0.9' "$url"
expect_contains "requirements page" "Su lista" curl -sf "${url}requisitos"
expect_contains "checklist for foreigners" "pasaporte" curl -sf "${url}requisitos?nacionalidad=extranjera&curp=si"
expect_contains "checklist without CURP" "Primero obtenga su CURP" curl -sf "${url}requisitos?nacionalidad=mexicana&curp=no"
expect_contains "coverage page" "Urgencias: para todas las personas" curl -sf "${url}cobertura"
expect_output "non-participating state absent" "0" bash -c 'curl -sf "$0" | grep -c "<li>Jalisco</li>"' "$url"
expect_output "unknown route" "404" code "${url}nope"
expect_contains "unknown page: an HTML page in the person's language" '<html lang="en">' curl -s -H 'Accept-Language: en' "${url}nope"
expect_contains "with a way back" 'href="/"' curl -s "${url}nope"
expect_output "POST refused" "405" code -X POST "${url}healthz"
expect_output "body refused" "413" code -X GET -d x=1 "${url}healthz"
expect_contains "security headers" "Content-Security-Policy: default-src 'none'" curl -si "${url}healthz"
expect_contains "nosniff" "X-Content-Type-Options: nosniff" curl -si "${url}healthz"
expect_output "data directory created private" "700" stat -c %a "$tmp/var"

kill -TERM "$pid"
wait "$pid"
expect_output "SIGTERM stops cleanly" "0" echo $?
pid=""

port=${url##*:}; port=${port%/}
"$P" serve --listen "127.0.0.1:$port" --data "$tmp/var" >"$tmp/out2" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'open http' "$tmp/out2" && break; sleep 0.05; done
expect_status "port in use" 1 "$P" serve --listen "127.0.0.1:$port" --data "$tmp/var"
expect_contains "port in use says so" "cannot listen on 127.0.0.1 port $port" "$P" serve --listen "127.0.0.1:$port" --data "$tmp/var"
expect_status "bad listen address" 2 "$P" serve --listen nowhere
expect_contains "bad listen message" "--listen: 'localhost:x' is not ADDR:PORT" "$P" serve --listen localhost:x
expect_status "name instead of address" 2 "$P" serve --listen localhost:0 --data "$tmp/var"
expect_status "help" 0 "$P" serve --help

finish serve
