#!/usr/bin/env bash
# Referrals between the levels of care, end to end against a real server: the
# CIE-10 import (and the 503 without it), a 1 -> 2 referral created, accepted,
# scheduled, attended and closed; 1 -> 3 refused; 2 -> 3 with the socioeconomic
# study required before level 3 attends; the wrong unit and the wrong role
# refused; the person's view, with roles and units but no staff; the audit log.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
CIE10=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/cie10_diagnosticos.csv

serve_start "$data"
url=${base}api/v1
enroll_start PXNE660720HMCXTN06
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
me=$token
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
# the units around: the nearest level-2 unit to the clinic, the nearest level-3 unit to that,
# another level-1 unit
near() { curl -s "$url/facilities?near=$1&level=$2&limit=$3" | jq -r ".facilities[$4].clues"; }
at() { curl -s "$url/facilities/$1" | jq -r '"\(.location.lat),\(.location.lon)"'; }
L2=$(near "$(at "$HERE")" 2 1 0)
L3=$(near "$(at "$L2")" 3 1 0)
OTHER=$(near "$(at "$HERE")" 1 2 1)
expect_status "units of each level found" 0 \
    bash -c '[[ $0 =~ ^[A-Z]{5}[0-9]{6}$ && $1 =~ ^[A-Z]{5}[0-9]{6}$ && $2 =~ ^[A-Z]{5}[0-9]{6}$ ]]' "$L2" "$L3" "$OTHER"

api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
# staff ROLE UNIT EMAIL: adds the account, sets its password, prints a session token
staff() {
    local code
    code=$("$PADRON" staff add --role "$1" --unit "$2" --email "$3" --data "$data" 2>&1 |
        grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
    api POST /staff/password -d "{\"email\":\"$3\",\"code\":\"$code\",\"password\":\"$PW\"}" >/dev/null
    api POST /staff/sessions -d "{\"email\":\"$3\",\"password\":\"$PW\"}" | jq -r .token
}
md1=$(staff physician "$HERE" md1@salud.gob.mx)
rec1=$(staff receptionist "$HERE" rec1@salud.gob.mx)
mdx=$(staff physician "$OTHER" mdx@salud.gob.mx)
md2=$(staff physician "$L2" md2@salud.gob.mx)
adm2=$(staff unit_admin "$L2" adm2@salud.gob.mx)
md3=$(staff physician "$L3" md3@salud.gob.mx)
ts3=$(staff social_worker "$L3" ts3@salud.gob.mx)
# as TOKEN METHOD PATH [JSON]: "STATUS CODE-OR-STATE"
as() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
        ${4:+-H 'Content-Type: application/json' -d "$4"} "$url$3")
    echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r '.error.code // .state // .outcome // "-"')"
}
refer() { as "$1" POST /staff/referrals "{\"person\":\"$2\",\"to_unit\":\"$3\",\"cie10\":\"$4\",\"reason\":\"Glucosa alta persistente\",\"urgency\":\"priority\"}"; }

expect_output "without the CIE-10 catalog: 503" "503 diagnoses_not_loaded" refer "$md1" "$folio" "$L2" E11.9
expect_output "no staff token: 401" "401" curl -s -o /dev/null -w '%{http_code}' "$url/staff/referrals"

if [ ! -r "$CIE10" ]; then
    echo "referrals: skipping the rest: $CIE10 not found"
    finish referrals
    exit $?
fi
expect_contains "import diagnoses" "imported 14204 CIE-10 codes" \
    "$PADRON" import diagnoses "$CIE10" --data "$data"
expect_status "a bad file is refused" 1 "$PADRON" import diagnoses /etc/hostname --data "$data"
serve_start "$data"
url=${base}api/v1
expect_contains "serve says the diagnoses are loaded" "14204 CIE-10 diagnoses" cat "$tmp/out"

# the catalog and the suggestions
expect_output "diagnosis search by code" "E11.9" bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/diagnoses?q=e119" | jq -r ".diagnoses[0].display"' "$md1" "$url"
expect_output "by words, without accents" "true" bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/diagnoses?q=hipertension%20esencial" | jq -r "[.diagnoses[].code] | index(\"I10\") != null"' "$md1" "$url"
expect_output "suggested level-2 units, nearest first" "2 $L2" bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/referrals/suggest" | jq -r "\"\(.level) \(.facilities[0].clues)\""' "$md1" "$url"
expect_output "level 3 is not suggested to level 1" "422 wrong_level" as "$md1" GET "/staff/referrals/suggest?level=3"

# refusals
expect_output "1 -> 3 is refused" "422 wrong_level" refer "$md1" "$folio" "$L3" E11.9
expect_output "1 -> 1 is refused" "422 wrong_level" refer "$md1" "$folio" "$OTHER" E11.9
expect_output "an unknown diagnosis" "422 unknown_diagnosis" refer "$md1" "$folio" "$L2" A00.5
expect_output "a receptionist does not refer" "403 forbidden" refer "$rec1" "$folio" "$L2" E11.9
expect_output "another unit's physician: not found" "404 person_not_found" refer "$mdx" "$folio" "$L2" E11.9
expect_output "level 2 refers only people referred to it" "404 person_not_found" refer "$md2" "$folio" "$L3" E11.9

# 1 -> 2, through every state
r=$(api POST /staff/referrals -H "Authorization: Bearer $md1" \
    -d "{\"person\":\"${folio,,}\",\"to_unit\":\"$L2\",\"cie10\":\"e119\",\"reason\":\"Glucosa alta persistente\",\"urgency\":\"priority\"}")
RF=$(jq -r .id <<<"$r")
expect_output "created: requested, the code dotted, level 2 charges nothing" \
    "requested E11.9 2 false priority" jq -r '"\(.state) \(.cie10) \(.to_level) \(.charges) \(.urgency)"' <<<"$r"
expect_status "an RF folio" 0 grep -qE '^RF[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$' <<<"$RF"
ev() { as "$1" POST "/staff/referrals/$RF/events" "$2"; }
expect_output "the referring unit does not accept" "403 forbidden" ev "$md1" '{"state":"accepted"}'
expect_output "another unit: not found" "404 referral_not_found" ev "$mdx" '{"state":"accepted"}'
expect_output "not scheduled before accepted" "409 invalid_transition" ev "$md2" '{"state":"scheduled","date":"2099-01-05","time":"09:30"}'
expect_output "the unit admin accepts" "200 accepted" ev "$adm2" '{"state":"accepted","note":"Se recibe"}'
expect_output "scheduling needs a date and time" "422 schedule_required" ev "$md2" '{"state":"scheduled"}'
expect_output "not a past date" "422 invalid_date" ev "$md2" '{"state":"scheduled","date":"2020-01-05","time":"09:30"}'
expect_output "scheduled" "200 scheduled" ev "$md2" '{"state":"scheduled","date":"2099-01-05","time":"09:30"}'
expect_output "attended" "200 attended" ev "$md2" '{"state":"attended"}'
expect_output "closed" "200 closed" ev "$md2" '{"state":"closed","note":"Contrarreferencia"}'
expect_output "closed is final" "409 invalid_transition" ev "$md1" '{"state":"cancelled"}'
expect_output "incoming at level 2: the referral, the person, five events" "$RF $folio 5" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/referrals?direction=incoming" | jq -r ".referrals[0] | \"\(.id) \(.person.folio) \(.events | length)\""' "$md2" "$url"
expect_output "outgoing at level 1" "$RF" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/referrals?direction=outgoing" | jq -r ".referrals[0].id"' "$md1" "$url"

# a second one, cancelled by the referring physician only
RF=$(api POST /staff/referrals -H "Authorization: Bearer $md1" \
    -d "{\"person\":\"$folio\",\"to_unit\":\"$L2\",\"cie10\":\"I10\",\"reason\":\"Control\"}" | jq -r .id)
expect_output "the receiving unit does not cancel" "403 forbidden" ev "$md2" '{"state":"cancelled"}'
expect_output "the referring physician cancels" "200 cancelled" ev "$md1" '{"state":"cancelled"}'

# 2 -> 3: the level-2 unit took the person on; level 3 attends after the study
r=$(refer "$md2" "$folio" "$L3" E11.9)
expect_output "2 -> 3 created" "201 requested" echo "$r"
RF=$(curl -s -H "Authorization: Bearer $md3" "$url/staff/referrals?direction=incoming" | jq -r '.referrals[0].id')
expect_output "level 3 accepts" "200 accepted" ev "$md3" '{"state":"accepted"}'
expect_output "and schedules" "200 scheduled" ev "$md3" '{"state":"scheduled","date":"2099-02-01","time":"08:00"}'
expect_output "attended before the study: refused" "409 study_required" ev "$md3" '{"state":"attended"}'
study() { as "$1" POST /staff/studies "$2"; }
expect_output "a physician does not record the study" "403 forbidden" study "$md3" "{\"person\":\"$folio\",\"outcome\":\"exempt\"}"
expect_output "a reduced fee needs an amount" "422 invalid_fee" study "$ts3" "{\"person\":\"$folio\",\"outcome\":\"reduced\"}"
expect_output "in digits" "422 invalid_fee" study "$ts3" "{\"person\":\"$folio\",\"outcome\":\"reduced\",\"fee_centavos\":\"250.00\"}"
expect_output "the social worker records it" "201 reduced" study "$ts3" "{\"person\":\"$folio\",\"outcome\":\"reduced\",\"fee_centavos\":\"25000\"}"
expect_output "then level 3 attends" "200 attended" ev "$md3" '{"state":"attended"}'

# the person's view: their referrals, history, units by name, roles but no staff
mine() { curl -s -H "Authorization: Bearer $me" "$url/me/referrals" | jq -r "$1"; }
expect_output "the person sees three referrals" "3" mine '.referrals | length'
expect_output "the newest: level 3, attended, with the reduced fee" "attended 3 reduced 25000" \
    mine '.referrals[0] | "\(.state) \(.to_level) \(.study.outcome) \(.study.fee_centavos)"'
expect_output "the first one's history" "requested accepted scheduled attended closed" \
    mine '[.referrals[2].events[].state] | join(" ")'
expect_output "roles and unit names, no staff" "physician unit_admin false true" \
    mine '.referrals[2].events | "\(.[0].role) \(.[1].role) \(any(has("staff"))) \(all(.unit_name != null))"'
expect_output "not without a token" "401" curl -s -o /dev/null -w '%{http_code}' "$url/me/referrals"

# the pages, without JavaScript: the staff page and the person's
site=$base
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
go() { curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" "$@" | sed 's|http://[^/]*||'; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
expect_output "the staff page without a session: to the sign-in" "/personal/entrar" go "${site}personal/referencias"
page "${site}personal/entrar" >/dev/null
go --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "email=md1@salud.gob.mx" --data-urlencode "password=$PW" "${site}personal/entrar" >/dev/null
csrf=$(cookie csrf)
expect_contains "the diagnosis search is a plain GET" "E11.9</strong>" page "${site}personal/referencias?q=E11.9"
expect_contains "by words, in English too" "Find a CIE-10 diagnosis" page "${site}personal/referencias?q=colera&lang=en"
expect_contains "the form offers the suggested level-2 unit" "<option value=\"$L2\"" page "${site}personal/referencias"
expect_contains "and the outgoing referrals" "$folio" page "${site}personal/referencias"
expect_output "refer on the page (the key in the body)" "/personal/referencias?hecho=creada" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "person=$folio" --data-urlencode "to_unit=$L2" \
    --data-urlencode "cie10=J45.9" --data-urlencode "reason=Asma de difícil control" --data-urlencode "urgency=routine" \
    "${site}personal/referencias"
expect_contains "a refusal shows on the page, with its field (in English: ?lang=en stays)" 'id="to_unit-error">to_unit: level 1 refers to level 2' \
    page --data-urlencode "csrf=$csrf" --data-urlencode "person=$folio" --data-urlencode "to_unit=$L3" \
    --data-urlencode "cie10=J45.9" --data-urlencode "reason=x" "${site}personal/referencias"
expect_contains "an expired form: the page again, saying so" 'id="person-error">The form expired' \
    page --data-urlencode "csrf=stale" --data-urlencode "person=$folio" "${site}personal/referencias"
RF=$(curl -s -H "Authorization: Bearer $md1" "$url/staff/referrals?direction=outgoing" | jq -r '.referrals[0].id')
expect_contains "the referring physician may cancel it" "<option value=\"cancelled\">" page "${site}personal/referencias"
expect_output "cancel on the page" "/personal/referencias?hecho=cambio" \
    go --data-urlencode "csrf=$csrf" --data-urlencode "state=cancelled" "${site}personal/referencias/$RF"
expect_output "the API agrees" "cancelled" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1/staff/referrals?direction=outgoing" | jq -r ".referrals[0].state"' "$md1" "$url"
pjar=$tmp/pjar
ppage() { curl -s -c "$pjar" -b "$pjar" "$@"; }
ppage "${site}entrar" >/dev/null
curl -s -o /dev/null -c "$pjar" -b "$pjar" --data-urlencode "csrf=$(awk '$6 == "csrf" {print $7}' "$pjar")" \
    --data-urlencode "login=ana@ejemplo.mx" --data-urlencode "password=Nopal-Azul#Tlayuda7" "${site}entrar"
expect_contains "the account links to the referrals" 'href="/cuenta/referencias"' ppage "${site}cuenta"
expect_contains "the person's page: the state in words" "Atendida" ppage "${site}cuenta/referencias"
expect_contains "the reduced fee in pesos" "250.00 pesos" ppage "${site}cuenta/referencias"
expect_contains "and in English" "No charge" ppage "${site}cuenta/referencias?lang=en"
expect_output "no staff email on the person's page" "0" bash -c 'curl -s -b "$1" "$0cuenta/referencias" | grep -c "salud.gob.mx"' "$site" "$pjar"

# the audit log: every change and every listed person
expect_contains "audit: referral.create" "referral.create" "$PADRON" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_contains "audit: referral.decide" "referral.decide" "$PADRON" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_contains "audit: study.record" "study.record" "$PADRON" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_contains "the chain holds" "ok " "$PADRON" audit verify --data "$data"
finish referrals
