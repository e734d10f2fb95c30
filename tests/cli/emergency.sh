#!/usr/bin/env bash
# Emergency encounters at hospital units, end to end against a real server: open
# for anyone (a CURP of an enrolled person links at once; a name only; an
# unidentified person identified later, without a duplicate; one open per CURP and
# unit); a level-1 unit may not open one; another unit's desk cannot read it;
# discharge of a person without an enrollment carries the invitation to register,
# and an enrollment made later links at the next read; every read and change is
# in the audit log.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
. "$(dirname "$0")/staff.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
H=OCIMB000881  # HG Oaxaca "Dr. Aurelio Valdivieso": level 2, in operation
H3=OCIMB006826 # Hospital Regional de Alta Especialidad de Oaxaca: level 3
P=PXNE660720HMCXTN06 # enrolled below
S=SABC560626MDFLRN01 # enrolls only after the emergency

serve_start "$data"
url=${base}api/v1
enroll_start $P
enroll_complete ana@ejemplo.mx
enroll_call POST /submit >/dev/null
CLINIC=$(enroll_call GET "" | jq -r .home_clinic.clues)

declare -A codes
codes[desk@h]=$(staff_add --role receptionist --unit $H --email desk@h.gob.mx)
codes[doc@h]=$(staff_add --role physician --unit $H --email doc@h.gob.mx)
codes[ts@h]=$(staff_add --role social_worker --unit $H --email ts@h.gob.mx)
codes[desk@h3]=$(staff_add --role receptionist --unit $H3 --email desk@h3.gob.mx)
codes[desk@c]=$(staff_add --role receptionist --unit "$CLINIC" --email desk@c.gob.mx)
serve_start "$data"
url=${base}api/v1

declare -A tok
for who in desk@h doc@h ts@h desk@h3 desk@c; do
    tok[$who]=$(staff_token "${who%@*}@${who#*@}.gob.mx" "${codes[$who]}")
done
# as WHO METHOD PATH [BODY]: prints the body, then the status on its own line.
as() {
    local who=$1 method=$2 path=$3 body=${4:-}
    curl -s -w '\n%{http_code}' -X "$method" -H "Authorization: Bearer ${tok[$who]}" \
        -H 'Content-Type: application/json' ${body:+-d "$body"} "$url$path"
}
# call WHO METHOD PATH BODY JQ: "STATUS jq-of-the-body".
call() {
    local r
    r=$(as "$1" "$2" "$3" "${4:-}")
    echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r "$5")"
}

# Open with the CURP of an enrolled person: linked at once.
r=$(as desk@h POST /staff/emergencies "{\"triage\":\"orange\",\"identity\":\"curp\",\"curp\":\"${P,,}\"}")
expect_output "open with a CURP: 201, linked to the enrollment" "201 curp $P true open orange" \
    bash -c 'echo "$(tail -1 <<<"$0") $(head -n -1 <<<"$0" | jq -r "\"\(.identity) \(.curp) \(.enrolled) \(.status) \(.triage)\"")"' "$r"
E1=$(head -n -1 <<<"$r" | jq -r .id)
expect_status "its id is an UR folio" 0 grep -qE '^UR[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$' <<<"$E1"
expect_output "a second open one for the same CURP is refused, naming the first" "409 already_open $E1" \
    call doc@h POST /staff/emergencies "{\"triage\":\"red\",\"identity\":\"curp\",\"curp\":\"$P\"}" '"\(.error.code) \(.error.existing)"'
expect_output "an invalid CURP" "422 invalid_curp curp" \
    call desk@h POST /staff/emergencies '{"triage":"red","identity":"curp","curp":"PXNE660720HMCXTN07"}' '"\(.error.code) \(.error.field)"'
expect_output "a triage colour out of the scale" "422 invalid_triage" \
    call desk@h POST /staff/emergencies '{"triage":"purple","identity":"name","name":"Juan"}' .error.code
expect_output "an unidentified person needs a description" "422 description_required" \
    call desk@h POST /staff/emergencies '{"triage":"red","identity":"unidentified"}' .error.code
expect_output "an unknown field is refused" "400 unknown_field" \
    call desk@h POST /staff/emergencies '{"triage":"red","identity":"name","name":"X","nss":"1"}' .error.code

# A name only: nothing else is asked.
expect_output "open with a name only" "201 name Juan Pérez false" \
    call doc@h POST /staff/emergencies '{"triage":"yellow","identity":"name","name":"  Juan   Pérez "}' '"\(.identity) \(.name) \(.enrolled)"'

# An unidentified person, identified later: the same encounter, linked.
r=$(as desk@h POST /staff/emergencies '{"triage":"red","identity":"unidentified","sex":"male","apparent_age":"40","features":"tatuaje de un águila en el brazo izquierdo","found_where":"Av. Juárez y Morelos"}')
U=$(head -n -1 <<<"$r" | jq -r .id)
expect_output "open an unidentified person" "201 unidentified male 40" \
    bash -c 'echo "$(tail -1 <<<"$0") $(head -n -1 <<<"$0" | jq -r "\"\(.identity) \(.description.sex) \(.description.apparent_age)\"")"' "$r"
expect_output "identifying with a CURP open elsewhere in the unit is refused, naming it" "409 already_open $E1" \
    call desk@h POST "/staff/emergencies/$U/events" "{\"kind\":\"identify\",\"curp\":\"$P\"}" '"\(.error.code) \(.error.existing)"'
expect_output "so it is merged into the identified one instead" "200 $E1 open" \
    call doc@h POST "/staff/emergencies/$U/events" "{\"kind\":\"merge\",\"into\":\"$E1\"}" '"\(.id) \(.status)"'
expect_output "the merged one is closed as merged, pointing at it" "200 merged $E1" \
    call desk@h GET "/staff/emergencies/${U,,}" "" '"\(.status) \(.merged_into)"'
expect_output "one encounter open for the person, no duplicate" "200 1" \
    call desk@h GET /staff/emergencies "" "[.emergencies[] | select(.curp == \"$P\")] | length"
r=$(as desk@h POST /staff/emergencies '{"triage":"green","identity":"unidentified","features":"mujer de cabello largo"}')
U2=$(head -n -1 <<<"$r" | jq -r .id)
expect_output "the identified one is discharged" "200 discharged" \
    call doc@h POST "/staff/emergencies/$E1/events" '{"kind":"discharge"}' .status
expect_output "an unidentified person identified: the same encounter, now linked" "200 $U2 curp $P true" \
    call desk@h POST "/staff/emergencies/$U2/events" "{\"kind\":\"identify\",\"curp\":\"$P\"}" '"\(.id) \(.identity) \(.curp) \(.enrolled)"'

# Scope: hospitals only; a unit's encounters are its own.
expect_output "a level-1 unit may not open an encounter" "403 not_a_hospital" \
    call desk@c POST /staff/emergencies '{"triage":"red","identity":"name","name":"Ana"}' .error.code
expect_output "the desk of another hospital cannot read it" "404 emergency_not_found" \
    call desk@h3 GET "/staff/emergencies/$E1" "" .error.code
expect_output "nor change it" "404 emergency_not_found" \
    call desk@h3 POST "/staff/emergencies/$U2/events" '{"kind":"discharge"}' .error.code
expect_output "nor list it" "200 0" call desk@h3 GET /staff/emergencies "" '.emergencies | length'
expect_output "social work of the unit reads" "200 $P" call ts@h GET "/staff/emergencies/$E1" "" .curp
expect_output "social work does not change" "403 out_of_scope" \
    call ts@h POST "/staff/emergencies/$U2/events" '{"kind":"discharge"}' .error.code
expect_output "an unknown event" "422 invalid_event" \
    call desk@h POST "/staff/emergencies/$U2/events" '{"kind":"vanish"}' .error.code
expect_output "no staff token, no answer" "401" bash -c 'curl -s -o /dev/null -w "%{http_code}" "$0/staff/emergencies"' "$url"

# Discharge without an enrollment: the invitation, the CURP never in the URL.
r=$(as desk@h POST /staff/emergencies "{\"triage\":\"blue\",\"identity\":\"curp\",\"curp\":\"$S\"}")
ES=$(head -n -1 <<<"$r" | jq -r .id)
r=$(call desk@h POST "/staff/emergencies/$ES/events" '{"kind":"discharge"}' '"\(.status) \(.enrolled) \(.invitation.curp) \(.invitation.url)"')
expect_output "discharge of a person not enrolled: an invitation to register" "200 discharged false $S ${base}registro/curp" echo "$r"
expect_output "a discharged encounter does not change again" "409 not_open" \
    call desk@h POST "/staff/emergencies/$ES/events" '{"kind":"discharge"}' .error.code
expect_output "a transfer names an operating unit" "200 transferred $H3" \
    call doc@h POST "/staff/emergencies/$U2/events" "{\"kind\":\"transfer\",\"transfer_to\":\"$H3\"}" '"\(.status) \(.transfer_to)"'
expect_output "the enrolled person gets no invitation" "200 null" \
    call desk@h GET "/staff/emergencies/$U2" "" .invitation

# The person enrolls later: the next read links the encounter.
enroll_start $S
enroll_complete concha@ejemplo.mx
enroll_call POST /submit >/dev/null
expect_output "enrolled after the emergency: linked at the next read, no invitation" "200 true null" \
    call desk@h GET "/staff/emergencies/$ES" "" '"\(.enrolled) \(.invitation)"'

# The audit log: every read and change, by the person's CURP.
audit() { "$PADRON" audit show --person "$1" --data "$data" | awk -F'\t' '{print $5}' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' '; }
expect_contains "the audit log has the opening, the changes and the reads" "emergency.open=1" audit $P
expect_contains "the changes" "emergency.update=" audit $P
expect_contains "the reads" "emergency.read=" audit $P
expect_output "the audit chain verifies" "0" bash -c '"$0" audit verify --data "$1" >/dev/null; echo $?' "$PADRON" "$data"

# The page of the emergency desk.
site=$base
jar=$tmp/jar
staff_page_signin "$jar" desk@h.gob.mx
curl -s -b "$jar" "${site}personal/urgencias" >"$tmp/u.html"
expect_contains "the page offers the three identity kinds" 'value="unidentified"' cat "$tmp/u.html"
expect_contains "and nothing asked first" "No se pide registro, documento ni pago" cat "$tmp/u.html"
post() { curl -s -b "$jar" -w '\n%{http_code}' --data-urlencode "csrf=$(page_csrf "$tmp/u.html")" "$@"; }
r=$(post --data-urlencode triage=yellow --data-urlencode identity=unidentified --data-urlencode "features=niño con playera roja" "${site}personal/urgencias")
expect_output "the page opens an encounter for an unidentified person" "200" tail -1 <<<"$r"
expect_contains "and shows its number" "Atención abierta: <strong>UR" echo "$r"
PG=$(grep -oE 'Atención abierta: <strong>UR[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}' <<<"$r" | grep -oE 'UR.*$')
expect_contains "listed among the open ones" "id=\"e-$PG\"" curl -s -b "$jar" "${site}personal/urgencias"
r=$(post --data-urlencode triage=red --data-urlencode identity=curp --data-urlencode curp=XYZ "${site}personal/urgencias")
expect_output "a bad CURP on the page: 422" "422" tail -1 <<<"$r"
expect_contains "shown next to the field" 'id="curp-error"' echo "$r"
r=$(post --data-urlencode "id=$PG" --data-urlencode kind=identify --data-urlencode curp=GODE561231MHGMZM08 "${site}personal/urgencias/evento")
expect_output "identifying with a bad CURP on the page: 422" "422" tail -1 <<<"$r"
expect_contains "marked at that encounter's own field" "id=\"curp-$PG\" name=\"curp\" autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"18\" aria-invalid=\"true\" aria-describedby=\"curp-$PG-error\"" echo "$r"
expect_contains "linked from the summary" "<a href=\"#curp-$PG\">" echo "$r"
expect_output "not at the opening form's CURP" "0" grep -c 'id="curp-error"' <<<"$r"
r=$(post --data-urlencode "id=$PG" --data-urlencode kind=identify --data-urlencode curp=GODE561231MHGMZM07 "${site}personal/urgencias/evento")
expect_contains "identified on the page" "GODE561231MHGMZM07" echo "$r"
r=$(post --data-urlencode "id=$PG" --data-urlencode kind=discharge "${site}personal/urgencias/evento")
expect_contains "discharged on the page: the invitation to enroll" "Invitación a afiliarse" echo "$r"
expect_contains "with the CURP to type" "CURP para escribir en la página: <strong>GODE561231MHGMZM07" echo "$r"
expect_contains "in English too" "Everyone is seen, enrolled or not" curl -s -b "$jar" "${site}personal/urgencias?lang=en"

finish emergency
