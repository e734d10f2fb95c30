#!/usr/bin/env bash
# The foreigner's path: which official ID a person shows, and the migration
# document asked of a foreigner whose ID does not itself prove a regular stay
# (a passport or an FMM), through the API and the documents page.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var

serve_start "$data"
url=${base}api/v1
identity() { enroll_call PUT /identity -H 'Content-Type: application/json' -d "$1"; }
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx

expect_output "not said: a Mexican with a voter card" "mexican ine false" \
    bash -c 'echo "$0" | jq -r "\"\(.identity.nationality) \(.identity.id_type) \(.identity.migration_document_required)\""' "$(enroll_call GET "")"
expect_output "a Mexican shows no FMM" "422 invalid_identity id_type" \
    bash -c 'r=$(curl -s -w " %{http_code}" -X PUT -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"nationality\":\"mexican\",\"id_type\":\"fmm\"}" "$0"); echo "${r##* } $(echo "${r% *}" | jq -r "\"\(.error.code) \(.error.field)\"")"' \
    "$url/registrations/$id/identity" "$token"
expect_output "an unknown nationality is refused" "422" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X PUT -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"nationality\":\"martian\",\"id_type\":\"passport\"}" "$0"' \
    "$url/registrations/$id/identity" "$token"
expect_output "a foreign passport asks the migration document" "foreign passport true" \
    bash -c 'echo "$0" | jq -r "\"\(.identity.nationality) \(.identity.id_type) \(.identity.migration_document_required)\""' \
    "$(identity '{"nationality":"foreign","id_type":"passport"}')"
r=$(curl -s -w ' %{http_code}' -X POST -H "Authorization: Bearer $token" "$url/registrations/$id/submit")
expect_output "submit without it: incomplete, naming it" "422 documents.migration_status" \
    bash -c 'echo "${0##* } $(echo "${0% *}" | jq -r ".missing[].step")"' "$r"
expect_output "a resident card proves the stay by itself" "false" \
    bash -c 'echo "$0" | jq -r .identity.migration_document_required' "$(identity '{"nationality":"foreign","id_type":"inm_card"}')"
identity '{"nationality":"foreign","id_type":"fmm"}' >/dev/null
enroll_call PUT /documents/migration_status -H 'Content-Type: image/png' --data-binary "@$tmp/photo.png" >/dev/null
expect_output "with the migration document: active" "active" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $1" "$0" | jq -r .status' "$url/registrations/$id/submit" "$token"
expect_output "an active enrollment's identity is not changed here" "409" \
    bash -c 'curl -s -o /dev/null -w "%{http_code}" -X PUT -H "Authorization: Bearer $1" -H "Content-Type: application/json" -d "{\"nationality\":\"mexican\",\"id_type\":\"ine\"}" "$0"' \
    "$url/registrations/$id/identity" "$token"

# The documents page: the choice, and the fourth upload it brings.
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
page "${base}registro/curp" >/dev/null
csrf=$(awk '$6 == "csrf" {print $7}' "$jar")
page -d "csrf=$csrf&curp=SABC560626MDFLRN01" "${base}registro/curp" >/dev/null
expect_contains "the page offers the IDs, a voter card chosen" 'value="mexican-ine" checked' page "${base}registro/documentos"
expect_output "three uploads for a Mexican" "3" bash -c 'curl -s -b "$1" "$0" | grep -c "enctype=\"multipart/form-data\""' "${base}registro/documentos" "$jar"
expect_output "choosing a foreign passport" "/registro/documentos?identificacion=guardada" \
    bash -c 'curl -s -o /dev/null -w "%{redirect_url}" -b "$1" -d "csrf=$2&identity=foreign-passport" "$0" | sed "s|http://[^/]*||"' \
    "${base}registro/identificacion" "$jar" "$csrf"
expect_output "brings a fourth upload, the migration document" "4" bash -c 'curl -s -b "$1" "$0" | grep -c "enctype=\"multipart/form-data\""' "${base}registro/documentos" "$jar"
expect_contains "an invented choice is refused at the field" 'id="identity-error"' page -d "csrf=$csrf&identity=martian-ine" "${base}registro/identificacion"

finish foreigner
