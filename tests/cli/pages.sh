#!/usr/bin/env bash
# The wizard's HTML pages without JavaScript: CSRF on every form post, errors in a
# summary and at the field, the same rules as the API, and the application cookie.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$P" serve --listen 127.0.0.1:0 --data "$tmp/var" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'open http' "$tmp/out" && break; sleep 0.05; done
url=$(grep -o 'http://[^ ]*' "$tmp/out")
jar=$tmp/jar
curl -s -c "$jar" -b "$jar" "${url}registro/curp" >"$tmp/form.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$tmp/form.html" | sed 's/.*value="//; s/"$//')
post() { curl -s -c "$jar" -b "$jar" -d "$1" "${url}registro/curp"; }

expect_output "the form carries a CSRF token" "43" bash -c 'echo -n "$0" | wc -c' "$csrf"
expect_contains "the csrf cookie is HttpOnly" "HttpOnly; SameSite=Lax" curl -si "${url}registro/curp"
expect_contains "invalid CURP: summary" 'role="alert"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "invalid CURP: marked on the field" 'aria-invalid="true"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "the typed value is kept" 'value="SABC560626MDFLRN09"' post "csrf=$csrf&curp=SABC560626MDFLRN09"
expect_contains "in English" "The last digit of the CURP" \
    curl -s -c "$jar" -b "$jar" -H 'Accept-Language: en' -d "csrf=$csrf&curp=SABC560626MDFLRN09" "${url}registro/curp"
expect_output "wrong CSRF token refused" "403" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "csrf=x&curp=SABC560626MDFLRN01" "${url}registro/curp"
expect_output "no CSRF cookie refused" "403" \
    curl -s -o /dev/null -w '%{http_code}' -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${url}registro/curp"
expect_output "undeclared field refused" "400" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -d "csrf=$csrf&curp=X&admin=1" "${url}registro/curp"
expect_output "wrong content type" "415" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H 'Content-Type: text/plain' -d "x" "${url}registro/curp"
headers=$(curl -s -D - -o /dev/null -c "$jar" -b "$jar" -d "csrf=$csrf&curp=sabc560626mdflrn01" "${url}registro/curp")
expect_contains "valid CURP: next step" "Location: /registro/contacto" echo "$headers"
expect_contains "application cookie, HttpOnly" "solicitud=" echo "$headers"
expect_output "the draft exists through the API too" "SABC560626MDFLRN01" bash -c '
    c=$(grep solicitud "$1" | awk "{print \$7}"); id=${c%%.*}; tok=${c#*.}
    curl -s -H "Authorization: Bearer $tok" "$0api/v1/registrations/$id" | jq -r .curp' "$url" "$jar"

finish pages
