#!/usr/bin/env bash
# A unit administrator's override of a person's home clinic, with a reason: only
# the administrator of the person's current unit, only to an operating level-1
# unit, a reason of 10-300 characters; recorded as a staff assignment with its
# audit record; the person then belongs to the new unit, and the next look at the
# credential issues a new one. The API and the desk page.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
. "$(dirname "$0")/staff.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
H=OCIMB000881 # a hospital (level 2)
P=PXNE660720HMCXTN06

serve_start "$data"
url=${base}api/v1
enroll_start $P
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
OTHER=OCIMB000024
[ "$HERE" = "$OTHER" ] && OTHER=OCIMB000036
cred1=$(curl -s -H "Authorization: Bearer $token" "$url/me/credential" | jq -r .credential_id)

c_admin=$(staff_add --role unit_admin --unit "$HERE" --email admin@here.gob.mx)
c_other=$(staff_add --role unit_admin --unit "$OTHER" --email admin@other.gob.mx)
c_desk=$(staff_add --role receptionist --unit "$HERE" --email desk@here.gob.mx)
serve_start "$data"
url=${base}api/v1
admin=$(staff_token admin@here.gob.mx "$c_admin")
other=$(staff_token admin@other.gob.mx "$c_other")
desk=$(staff_token desk@here.gob.mx "$c_desk")

# override TOKEN BODY: "STATUS error-code-or-new-clinic"
override() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X PUT -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$2" "$url/staff/people/clinic")
    echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r '.error.code // .home_clinic.clues')"
}
REASON='vive junto a la otra unidad y no puede caminar'
expect_output "a receptionist may not override" "403 out_of_scope" \
    override "$desk" "{\"person\":\"$P\",\"clues\":\"$OTHER\",\"reason\":\"$REASON\"}"
expect_output "another unit's administrator: the person is not theirs" "404 person_not_found" \
    override "$other" "{\"person\":\"$P\",\"clues\":\"$OTHER\",\"reason\":\"$REASON\"}"
expect_output "an unknown unit" "422 unknown_facility" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"OCIMB999999\",\"reason\":\"$REASON\"}"
expect_output "a hospital is not a home clinic" "422 not_level_1" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$H\",\"reason\":\"$REASON\"}"
expect_output "a reason is required" "422 invalid_reason" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$OTHER\"}"
expect_output "a reason of fewer than 10 characters" "422 invalid_reason" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$OTHER\",\"reason\":\"  porque  \"}"
expect_output "a reason of more than 300 characters" "422 invalid_reason" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$OTHER\",\"reason\":\"$(printf 'a%.0s' $(seq 301))\"}"
expect_output "the clinic the person has already" "409 same_clinic" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$HERE\",\"reason\":\"$REASON\"}"
expect_output "not a CURP nor a folio" "422 invalid_key" \
    override "$admin" "{\"person\":\"XYZ\",\"clues\":\"$OTHER\",\"reason\":\"$REASON\"}"
expect_output "the unit's administrator moves the person, by folio in any case" "200 $OTHER" \
    override "$admin" "{\"person\":\"${folio,,}\",\"clues\":\"${OTHER,,}\",\"reason\":\"$REASON\"}"
expect_output "recorded as a staff assignment with its reason" "staff|staff:1|$REASON" \
    sql "$data" "SELECT reason, assigned_by, note FROM home_clinic ORDER BY id DESC LIMIT 1"
expect_output "the person sees the new clinic, assigned by staff" "$OTHER staff" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1/registrations/$2" | jq -r "\"\(.home_clinic.clues) \(.home_clinic.reason)\""' "$token" "$url" "$id"
expect_output "the person now belongs to the new unit" "404 person_not_found" \
    override "$admin" "{\"person\":\"$P\",\"clues\":\"$HERE\",\"reason\":\"$REASON\"}"
expect_output "whose administrator may look them up" "$P" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $0" -H "Content-Type: application/json" -d "{\"key\":\"$2\"}" "$1/staff/people/lookup" | jq -r .curp' "$other" "$url" "$P"
cred2=$(curl -s -H "Authorization: Bearer $token" "$url/me/credential" | jq -r .credential_id)
expect_status "the next look at the credential issues a new one" 0 test -n "$cred2" -a "$cred2" != "$cred1" -a "$cred2" != null
expect_contains "the change is in the audit log" "person.clinic" "$PADRON" audit show --person $P --data "$data"
expect_output "once, with the change" "1" bash -c '"$0" audit show --person "$1" --data "$2" | grep -c "person\.clinic"' "$PADRON" $P "$data"

# The desk page: the form shows for the unit administrator, and works.
site=$base
jar=$tmp/jar
staff_page_signin "$jar" admin@other.gob.mx
curl -s -b "$jar" -c "$jar" "${site}personal/persona" >"$tmp/lookup.html"
curl -s -b "$jar" -c "$jar" --data-urlencode "csrf=$(page_csrf "$tmp/lookup.html")" --data-urlencode "curp=$P" \
    "${site}personal/persona" >"$tmp/p.html"
expect_contains "the desk page offers the change to the unit administrator" 'action="/personal/persona/unidad"' cat "$tmp/p.html"
page_post() {
    curl -s -b "$jar" -c "$jar" -w '\n%{http_code}' --data-urlencode "csrf=$(page_csrf "$tmp/p.html")" \
        --data-urlencode "person=$P" --data-urlencode "clues=$1" --data-urlencode "reason=$2" "${site}personal/persona/unidad"
}
r=$(page_post "$H" "$REASON")
expect_output "the page refuses a hospital, with the reason next to the field" "422" tail -1 <<<"$r"
expect_contains "the refusal is shown" 'id="clues-error"' echo "$r"
r=$(page_post "$HERE" "la persona regresó a su domicilio anterior")
expect_output "the page moves the person back" "200" tail -1 <<<"$r"
expect_contains "and says so" "La unidad de adscripción cambió" echo "$r"
expect_output "the page's change is a staff assignment too" "$HERE|staff" \
    sql "$data" "SELECT clues, reason FROM home_clinic ORDER BY id DESC LIMIT 1"

finish clinic_override
