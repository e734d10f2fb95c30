#!/usr/bin/env bash
# A whole enrollment through the API, from CURP to an active enrollment with its
# folio; what submit refuses; and one active enrollment per CURP, also when two
# drafts of it are submitted at the same moment.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
P=$PADRON
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1

enroll_start PXNE660720HMCXTN06
expect_output "an empty draft lists every missing step" \
    "names,contact,privacy_notice,password,address,documents.id_front,documents.id_back,documents.face" \
    bash -c 'echo "$0" | jq -r "[.missing[].step] | join(\",\")"' "$(enroll_call POST /submit)"
expect_contains "in the person's words" "Antes de enviar su solicitud le falta: su nombre y apellidos como en su acta de nacimiento; sus datos de contacto" enroll_call POST /submit
enroll_complete ana@ejemplo.mx
r=$(enroll_call POST /submit)
folio=$(echo "$r" | jq -r .folio)
expect_output "submitted: active" "active" bash -c 'echo "$0" | jq -r .status' "$r"
expect_output "folio shape" "1" bash -c '[[ "$0" =~ ^IB[0-9]{2}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$ ]] && echo 1' "$folio"
expect_output "submit again: same answer" "$folio" bash -c 'echo "$0" | jq -r .folio' "$(enroll_call POST /submit)"
expect_output "read back" "active $folio" bash -c 'echo "$0" | jq -r "\"\(.status) \(.folio)\""' "$(enroll_call GET '')"
expect_output "an active application cannot be edited here" "409 not_a_draft" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X PUT -H "Content-Type: application/json" -H "Authorization: Bearer $1" -d "{\"password\":\"Otra-Clave#Segura9\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' \
    "$url/registrations/$id/password" "$token"
expect_output "the CURP is now enrolled" "409 already_enrolled" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"curp\":\"PXNE660720HMCXTN06\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/registrations"

# Two complete drafts of one CURP, submitted at once: exactly one wins.
enroll_start SABC560626MDFLRN01
enroll_complete uno@ejemplo.mx
id1=$id token1=$token
enroll_start SABC560626MDFLRN01
enroll_complete dos@ejemplo.mx
id2=$id token2=$token
curl -s -X POST -H "Authorization: Bearer $token1" "$url/registrations/$id1/submit" >"$tmp/s1" &
c1=$!
curl -s -X POST -H "Authorization: Bearer $token2" "$url/registrations/$id2/submit" >"$tmp/s2" &
c2=$!
wait "$c1" "$c2"
expect_output "concurrent submits: one active, one refused" "active already_enrolled" \
    bash -c 'printf "%s\n%s\n" "$(jq -r ".status // .error.code" "$0")" "$(jq -r ".status // .error.code" "$1")" | sort | tr "\n" " " | sed "s/ $//"' "$tmp/s1" "$tmp/s2"

finish enroll
