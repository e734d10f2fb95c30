#!/usr/bin/env bash
# The person's names, checked against the CURP: the API step and its refusals in
# Spanish and English, submit requiring names, the wizard page /registro/nombre,
# and the correction of an active enrollment (API with a session token, and the
# page /cuenta/nombre) that keeps the old names in the history.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
site=$base

# row QUERY: the first row of the server's database, fields joined by |.
row() { sql "$data" "$1" | head -1; }

# names LANG JSON: "STATUS CODE FIELD" of a PUT of the names step, or the message with -m.
names() {
    local b
    b=$(enroll_call PUT /names -w ' %{http_code}' -H 'Content-Type: application/json' -H "Accept-Language: $1" -d "$2")
    if [ "${3:-}" = -m ]; then echo "${b% *}" | jq -r .error.message; else
        echo "${b##* } $(echo "${b% *}" | jq -r '.error.code // .names_change') $(echo "${b% *}" | jq -r '.error.field // "-"')"; fi
}

enroll_start SABC560626MDFLRN01
expect_output "names come first among the missing steps" "names" \
    bash -c 'echo "$0" | jq -r ".missing[0].step"' "$(enroll_call POST /submit)"
expect_output "another first surname: refused at it" "422 curp_mismatch first_surname" \
    names es '{"given_names":"Concepción","first_surname":"Pérez","second_surname":"Briseño"}'
expect_output "in Spanish, saying what the CURP expects" \
    "El primer apellido no coincide con su CURP: la CURP empieza con «SA», y «Pérez» da «PE». Escriba sus nombres tal como aparecen en su acta de nacimiento o en su constancia de CURP." \
    names es '{"given_names":"Concepción","first_surname":"Pérez","second_surname":"Briseño"}' -m
expect_output "and in English" \
    "The first surname does not match your CURP: the CURP starts with «SA», and «Pérez» gives «PE». Write your names exactly as on your birth certificate or your CURP record." \
    names en '{"given_names":"Concepción","first_surname":"Pérez","second_surname":"Briseño"}' -m
expect_output "a missing second surname the CURP has" "422 curp_mismatch second_surname" \
    names es '{"given_names":"Concepción","first_surname":"Salgado"}'
expect_contains "says so" "Falta el segundo apellido: su CURP tiene uno (su letra 3 es «B»)" \
    names es '{"given_names":"Concepción","first_surname":"Salgado","second_surname":""}' -m
expect_contains "another given name: the internal consonant" "letter 16 of the CURP is «N», and «Celia» gives «L»" \
    names en '{"given_names":"Celia","first_surname":"Salgado","second_surname":"Briseño"}' -m
expect_output "a digit in a name" "422 invalid_name given_names" \
    names es '{"given_names":"Concepción 2","first_surname":"Salgado","second_surname":"Briseño"}'
expect_contains "named in the message" "«2» cannot be used" \
    names en '{"given_names":"Concepción 2","first_surname":"Salgado","second_surname":"Briseño"}' -m
expect_output "a required name missing" "422 required first_surname" names es '{"given_names":"Concepción"}'
expect_output "a name that is not text" "422 not_text given_names" \
    names es '{"given_names":7,"first_surname":"Salgado"}'
expect_output "an undeclared field" "400 unknown_field names" names es '{"names":"x"}'
expect_output "a name too long" "422 too_long given_names" \
    names es "{\"given_names\":\"$(printf 'a%.0s' $(seq 61))\",\"first_surname\":\"Salgado\"}"
expect_output "without the token: 401" "401" \
    curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d '{}' "$url/registrations/$id/names"
expect_output "the names as on the birth certificate: saved" "200 saved -" \
    names es '{"given_names":"  Concepción ","first_surname":"Salgado","second_surname":"Briseño"}'
expect_output "read back, trimmed" "Concepción|Salgado|Briseño|null" \
    bash -c 'echo "$0" | jq -r "[.names.given_names, .names.first_surname, .names.second_surname, .names_corrected_at] | map(tostring) | join(\"|\")"' "$(enroll_call GET '')"

# One surname: a CURP with X at positions 3 and 15.
enroll_start PXNE660720HMCXTN06
expect_output "Peña: the CURP's X at position 2 (PENE) and 14 (Ñ) match" "200 saved -" \
    names es '{"given_names":"Enrique","first_surname":"Peña","second_surname":"Nieto"}'

# A whole enrollment, then corrections with a session token.
enroll_start GODE561231MHGMZM07
enroll_complete emma@ejemplo.mx
expect_output "submitted with names" "active" bash -c 'echo "$0" | jq -r .status' "$(enroll_call POST /submit)"
session=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"login":"emma@ejemplo.mx","password":"Nopal-Azul#Tlayuda7"}' "$url/sessions" | jq -r .token)
token=$session
expect_output "a correction that does not match is refused the same" "422 curp_mismatch first_surname" \
    names es '{"given_names":"Emma","first_surname":"López","second_surname":"Díaz"}'
expect_output "a correction (accents as on the certificate)" "200 corrected -" \
    names es '{"given_names":"Emma","first_surname":"Gomez","second_surname":"Diaz"}'
expect_output "is stamped" "true" bash -c 'echo "$0" | jq -r ".names_corrected_at != null"' "$(enroll_call GET '')"
expect_output "the same names again: unchanged" "200 unchanged -" \
    names en '{"given_names":"Emma","first_surname":"Gomez","second_surname":"Diaz"}'
expect_output "the history keeps who, when and the old names" "Emma|Gómez|Díaz|applicant" \
    row "SELECT old_given_names, old_first_surname, old_second_surname, corrected_by FROM name_correction WHERE registration = '$id'"

# The pages.
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
page "${site}registro/curp" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
expect_output "after the CURP: the names step" "/registro/nombre" \
    go -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${site}registro/curp"
expect_contains "the step's form" 'autocomplete="family-name"' page "${site}registro/nombre"
page --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Concepción" --data-urlencode "first_surname=Pérez" \
    --data-urlencode "second_surname=Briseño" "${site}registro/nombre" >"$tmp/refused.html"
expect_contains "a mismatch is shown at the field" 'id="first_surname-error">El primer apellido no coincide' cat "$tmp/refused.html"
expect_contains "the field is marked invalid" 'aria-invalid="true"' cat "$tmp/refused.html"
expect_contains "and keeps what was typed" 'value="Pérez"' cat "$tmp/refused.html"
expect_contains "in English too" "does not match your CURP" \
    page -H 'Accept-Language: en' --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Concepción" \
    --data-urlencode "first_surname=Pérez" "${site}registro/nombre"
expect_output "right names: on to the contact step" "/registro/contacto" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Concepción" --data-urlencode "first_surname=Salgado" \
    --data-urlencode "second_surname=Briseño" "${site}registro/nombre"
expect_contains "the review shows the names with a way back" 'Concepción Salgado Briseño</dd>' page "${site}registro/revision"
expect_contains "the review links to the step" 'href="/registro/nombre"' page "${site}registro/revision"

# The account's correction page.
rm -f "$jar"
page "${site}entrar" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
go --data-urlencode "csrf=$csrf" --data-urlencode "login=emma@ejemplo.mx" --data-urlencode "password=Nopal-Azul#Tlayuda7" "${site}entrar" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
expect_contains "my account shows the names" "Emma Gomez Diaz</dd>" page "${site}cuenta"
expect_contains "and offers a correction" 'href="/cuenta/nombre"' page "${site}cuenta"
expect_contains "the correction page holds the current names" 'value="Gomez"' page "${site}cuenta/nombre"
expect_contains "a correction that does not match: refused" 'id="given_names-error"' \
    page --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Ana" --data-urlencode "first_surname=Gómez" \
    --data-urlencode "second_surname=Díaz" "${site}cuenta/nombre"
expect_output "a correction: back to my account" "/cuenta?nombre=corregido" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "given_names=Emma" --data-urlencode "first_surname=Gómez" \
    --data-urlencode "second_surname=Díaz" "${site}cuenta/nombre"
expect_contains "told once" "Corregimos su nombre." page "${site}cuenta?nombre=corregido"
expect_output "two corrections in the history" "2" \
    row "SELECT count(*) FROM name_correction WHERE registration = '$id'"
expect_output "the correction page needs a session" "/entrar" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" "$0" | sed "s|http://[^/]*||"' "${site}cuenta/nombre"

finish names
