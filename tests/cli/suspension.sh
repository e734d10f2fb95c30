#!/usr/bin/env bash
# What a suspension means, against a real server: after `padron crosscheck
# --suspend` finds Enrique active in the IMSS roll, his credential verifies as
# revoked (POST /api/v1/verify and offline with the fresh signed lists), no new
# one is made (409 suspended naming IMSS, in Spanish and English, on the API, its
# PDF and the page), his registration JSON and /cuenta say so, and the desk
# refuses his check-in (audited). Concepción, not in any roll, is untouched.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
P=$PADRON
PW='Tlacolula-Verde#2026'

serve_start "$data"
url=${base}api/v1
site=$base
enroll_start PXNE660720HMCXTN06
enroll_complete enrique@ejemplo.mx
enrique_folio=$(enroll_call POST /submit | jq -r .folio)
enrique=$token
enrique_id=$id
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
enroll_start SABC560626MDFLRN01
enroll_complete concepcion@ejemplo.mx
concepcion_folio=$(enroll_call POST /submit | jq -r .folio)
concepcion=$token

me() { curl -s -H "Authorization: Bearer $1" "${@:3}" "$url/me/$2"; }
qr=$(me "$enrique" credential | jq -r .qr)
cid=$(me "$enrique" credential | jq -r .credential_id)
verdict() { curl -s -H 'Content-Type: application/json' -d "{\"qr\":\"$1\"}" "$url/verify" | jq -r .result; }
expect_output "before: the credential is valid" "valid" verdict "$qr"
expect_output "before: not suspended" "null" sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -c .suspended"

# Enrique became an IMSS member after enrolling.
printf 'curp,status\nPXNE660720HMCXTN06,active\n' >"$tmp/imss.csv"
"$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
"$P" crosscheck --suspend --notify --data "$data" >/dev/null 2>"$tmp/summary"
expect_contains "crosscheck suspended him" "suspended: 1" cat "$tmp/summary"

# 1. His credential is revoked, in the same transaction as the suspension.
expect_output "verify API: revoked" "revoked" verdict "$qr"
expect_output "the reason names the roll" "affiliated to IMSS" \
    sql "$data" "SELECT revoked_reason FROM credential WHERE id = '$cid'"
curl -s "${base}.well-known/padron/revoked" >"$tmp/revoked.json"
curl -s "${base}.well-known/padron/trust-list" >"$tmp/trust.json"
expect_output "verify offline with the fresh list: revoked" "revoked" \
    sh -c "$P verify --trust-list '$tmp/trust.json' --revoked '$tmp/revoked.json' '$qr' | head -1 | cut -d: -f1"

# 2. No new credential.
code() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "$url/me/$2"; }
expect_output "no new credential: 409" "409" code "$enrique" credential
expect_output "refused as suspended" "suspended" sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/me/credential' | jq -r .error.code"
expect_contains "the message names IMSS and what to do" "Acuda a su Unidad de Medicina Familiar del IMSS" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/me/credential' | jq -r .error.message"
expect_contains "in English too" "If this is a mistake, ask IMSS-Bienestar to review it" \
    sh -c "curl -s -H 'Accept-Language: en' -H 'Authorization: Bearer $enrique' '$url/me/credential' | jq -r .error.message"
expect_output "nor its PDF" "409" code "$enrique" credential/pdf
expect_output "nothing was issued" "0" \
    sql "$data" "SELECT count(*) FROM credential WHERE registration = '$enrique_id' AND revoked_at IS NULL"
expect_output "Concepción still gets hers" "200" code "$concepcion" credential

# 3. He sees it: the registration JSON and /cuenta.
expect_output "registration JSON: suspended by IMSS" "IMSS" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -r .suspended.institution"
expect_status "registration JSON: with the time" 0 \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -re '.suspended.at | test(\"^[0-9]{4}-\")'"
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
page "${site}entrar" >/dev/null
page -o /dev/null --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "login=enrique@ejemplo.mx" \
    --data-urlencode "password=Nopal-Azul#Tlayuda7" "${site}entrar"
page "${site}cuenta" >"$tmp/account.html"
expect_contains "/cuenta: the notice" "Su afiliación está suspendida" cat "$tmp/account.html"
expect_contains "/cuenta: names the roll" "el padrón del IMSS" cat "$tmp/account.html"
expect_contains "/cuenta: the status" "<dd>Suspendida</dd>" cat "$tmp/account.html"
expect_output "/cuenta/credencial: 409" "409" \
    curl -s -o /dev/null -w '%{http_code}' -b "$jar" "${site}cuenta/credencial"
expect_contains "/cuenta/credencial: says why" "Acuda a su Unidad de Medicina Familiar del IMSS" \
    curl -s -b "$jar" "${site}cuenta/credencial"
expect_output "/cuenta/credencial.pdf: back to the page" "/cuenta/credencial" \
    sh -c "curl -s -o /dev/null -w '%{redirect_url}' -b '$jar' '${site}cuenta/credencial.pdf' | sed 's|http://[^/]*||'"

# 4. The desk refuses his check-in, and records the attempt.
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
invite=$("$P" staff add --data "$data" --role receptionist --unit "$HERE" --email recepcion@salud.gob.mx 2>&1 |
    grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
api POST /staff/password -d "{\"email\":\"recepcion@salud.gob.mx\",\"code\":\"$invite\",\"password\":\"$PW\"}" >/dev/null
rec=$(api POST /staff/sessions -d "{\"email\":\"recepcion@salud.gob.mx\",\"password\":\"$PW\"}" | jq -r .token)
checkin() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $rec" -H 'Content-Type: application/json' \
        -d "{\"folio\":\"$1\"}" "$url/staff/checkins")
    echo "$(tail -1 <<<"$r") $(head -1 <<<"$r" | jq -r .error.code)"
}
expect_output "check-in refused: 409 suspended" "409 suspended" checkin "$enrique_folio"
expect_contains "audited" "appointment.checkin.suspended" "$P" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_output "Concepción checks in" "201 null" checkin "$concepcion_folio"

finish suspension
