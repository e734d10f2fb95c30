#!/usr/bin/env bash
# Figures for administrators, counts only: a unit administrator sees their unit
# exactly; a state administrator sees the units of their state with counts from
# 1 to 4 shown as "<5", and never a name or a CURP; other roles are refused; each
# look is audited. The API and the page /personal/cifras.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
. "$(dirname "$0")/staff.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
H=OCIMB000881 # a hospital in Oaxaca
CHIS=CSIMB002980 # a hospital in Chiapas

serve_start "$data"
url=${base}api/v1
for c in PXNE660720HMCXTN06:ana SABC560626MDFLRN01:concha; do
    enroll_start "${c%:*}"
    enroll_complete "${c#*:}@ejemplo.mx"
    enroll_call POST /submit >/dev/null
done
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)

c_unit=$(staff_add --role unit_admin --unit "$HERE" --email admin@here.gob.mx)
c_state=$(staff_add --role state_admin --state 20 --email estatal@oax.gob.mx)
c_desk=$(staff_add --role receptionist --unit $H --email desk@h.gob.mx)
c_chis=$(staff_add --role receptionist --unit $CHIS --email desk@chis.gob.mx)
serve_start "$data"
url=${base}api/v1
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
unit=$(staff_token admin@here.gob.mx "$c_unit")
state=$(staff_token estatal@oax.gob.mx "$c_state")
desk=$(staff_token desk@h.gob.mx "$c_desk")
chis=$(staff_token desk@chis.gob.mx "$c_chis")

# Six open emergencies at the hospital, one in Chiapas.
for i in 1 2 3 4 5 6; do
    api POST /staff/emergencies -H "Authorization: Bearer $desk" -d "{\"triage\":\"green\",\"identity\":\"name\",\"name\":\"Persona $i\"}" >/dev/null
done
api POST /staff/emergencies -H "Authorization: Bearer $chis" -d '{"triage":"red","identity":"name","name":"Lejos"}' >/dev/null

figures() { curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" "$url/staff/figures"; }
body() { head -n -1 <<<"$1"; }
r=$(figures "$unit")
expect_output "a unit administrator: 200, their unit, exact counts" "200 unit $HERE 2 0" \
    echo "$(tail -1 <<<"$r") $(body "$r" | jq -r '"\(.scope) \(.unit.clues) \(.unit.people) \(.unit.emergencies_open)"')"
r=$(figures "$state")
expect_output "a state administrator: the state's units" "200 state 20 5" \
    echo "$(tail -1 <<<"$r") $(body "$r" | jq -r '"\(.scope) \(.state) \(.suppressed_below)"')"
expect_output "two people at the clinic show as <5" "<5" \
    bash -c 'jq -r --arg c "$1" ".units[] | select(.clues == \$c) | .people" <<<"$0"' "$(body "$r")" "$HERE"
expect_output "six open emergencies at the hospital show as 6" "6" \
    bash -c 'jq -r --arg c "$1" ".units[] | select(.clues == \$c) | .emergencies_open" <<<"$0"' "$(body "$r")" "$H"
expect_output "units of other states are not listed" "0" \
    bash -c 'jq -r --arg c "$1" "[.units[] | select(.clues == \$c)] | length" <<<"$0"' "$(body "$r")" "$CHIS"
expect_output "no CURP, no person's name anywhere" "0" \
    bash -c 'grep -cE "PXNE660720HMCXTN06|SABC560626MDFLRN01|Enrique|Persona [0-9]" <<<"$0"' "$(body "$r")"
expect_output "a receptionist gets no figures" "403 out_of_scope" \
    bash -c 'r=$(curl -s -w "\n%{http_code}" -H "Authorization: Bearer $0" "$1/staff/figures"); echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r .error.code)"' "$desk" "$url"
expect_output "no token, no figures" "401" curl -s -o /dev/null -w '%{http_code}' "$url/staff/figures"
expect_output "each look is audited" "state.figures|20 unit.figures|$HERE" \
    bash -c 'sql "$0" "SELECT action, subject FROM audit WHERE action LIKE '"'"'%.figures'"'"' ORDER BY action" | paste -sd " "' "$data"

# The page.
site=$base
jar=$tmp/jar
staff_page_signin "$jar" estatal@oax.gob.mx
curl -s -b "$jar" "${site}personal/cifras" >"$tmp/c.html"
expect_contains "the page shows the state's units" "Cifras de las unidades del estado" cat "$tmp/c.html"
expect_contains "with small counts suppressed" "<td>&lt;5</td>" cat "$tmp/c.html"
expect_contains "and says why" "para que nadie pueda ser identificado" cat "$tmp/c.html"
expect_contains "in English too" "Figures of the state" curl -s -b "$jar" "${site}personal/cifras?lang=en"

finish figures
