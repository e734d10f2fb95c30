#!/usr/bin/env bash
# The emergency exception of referrals, end to end against a real server: a
# physician of a hospital's emergency room refers the person of an open
# encounter outside the level order (level 2 -> level 3 without a prior
# referral, level 2 -> another level 2, level 3 -> level 2), the urgency
# defaulting to urgent and the referral keeping the encounter's id; without the
# encounter the level rules hold; a closed encounter, another unit's or an
# unknown one, and an encounter of another person are refused; the receiving
# unit's steps (the study before level 3 attends) are unchanged; the page's
# optional field; the audit log.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/enroll.bash"
. "$(dirname "$0")/staff.bash"
tools=$(cd "$(dirname "$0")/tools" && pwd)
data=$tmp/var
PW='Tlacolula-Verde#2026'
CIE10=$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/cie10_diagnosticos.csv
H=OCIMB000881        # HG Oaxaca "Dr. Aurelio Valdivieso": level 2, in operation
H3=OCIMB006826       # Hospital Regional de Alta Especialidad de Oaxaca: level 3
P=PXNE660720HMCXTN06 # enrolled, the person referred
Q=SABC560626MDFLRN01 # enrolled too: another person

if [ ! -r "$CIE10" ]; then
    echo "emergency_referral: skipping: $CIE10 not found"
    exit 0
fi
mkdir -p "$data"
"$PADRON" import diagnoses "$CIE10" --data "$data" >/dev/null
serve_start "$data"
url=${base}api/v1
enroll_start $Q
enroll_complete concepcion@ejemplo.mx
enroll_call POST /submit >/dev/null
enroll_start $P
enroll_complete ana@ejemplo.mx
folio=$(enroll_call POST /submit | jq -r .folio)
CLINIC=$(enroll_call GET "" | jq -r .home_clinic.clues)
at() { curl -s "$url/facilities/$1" | jq -r '"\(.location.lat),\(.location.lon)"'; }
H2=$(curl -s "$url/facilities?near=$(at $H)&level=2&limit=3" |
    jq -r --arg h $H '[.facilities[].clues | select(. != $h)][0]')
expect_status "another level-2 hospital near the first" 0 bash -c '[[ $0 =~ ^[A-Z]{5}[0-9]{6}$ ]]' "$H2"

declare -A codes tok
codes[doc@h]=$(staff_add --role physician --unit $H --email doc@h.gob.mx)
codes[desk@h]=$(staff_add --role receptionist --unit $H --email desk@h.gob.mx)
codes[doc@h2]=$(staff_add --role physician --unit "$H2" --email doc@h2.gob.mx)
codes[doc@h3]=$(staff_add --role physician --unit $H3 --email doc@h3.gob.mx)
codes[desk@h3]=$(staff_add --role receptionist --unit $H3 --email desk@h3.gob.mx)
codes[ts@h3]=$(staff_add --role social_worker --unit $H3 --email ts@h3.gob.mx)
for who in "${!codes[@]}"; do
    tok[$who]=$(staff_token "${who%@*}@${who#*@}.gob.mx" "${codes[$who]}")
done
# call WHO METHOD PATH BODY JQ: "STATUS jq-of-the-body".
call() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X "$2" -H "Authorization: Bearer ${tok[$1]}" \
        -H 'Content-Type: application/json' ${4:+-d "$4"} "$url$3")
    echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r "$5")"
}
opened() { call "$1" POST /staff/emergencies "{\"triage\":\"orange\",\"identity\":\"curp\",\"curp\":\"$2\"}" .id | cut -d' ' -f2; }
# refer WHO PERSON TO EMERGENCY [URGENCY]: "STATUS code-or-state urgency to_level emergency"
refer() {
    call "$1" POST /staff/referrals "{\"person\":\"$2\",\"to_unit\":\"$3\",\"cie10\":\"I21.9\",\"reason\":\"Infarto agudo: cateterismo\"${4:+,\"emergency\":\"$4\"}${5:+,\"urgency\":\"$5\"}}" \
        '"\(.error.code // .state) \(.urgency // .error.field) \(.to_level // "-") \(.emergency // "-")"'
}

# encounters: one closed, then the open one, at H; one at H2; a name-only one at H
EC=$(opened desk@h $P)
call desk@h POST "/staff/emergencies/$EC/events" '{"kind":"discharge"}' .status >/dev/null
E=$(opened desk@h $P)
E2=$(opened doc@h2 $P)
EN=$(call desk@h POST /staff/emergencies '{"triage":"red","identity":"name","name":"Juan Pérez"}' .id | cut -d' ' -f2)
expect_status "four encounters opened" 0 bash -c '[[ $0 =~ ^UR && $1 =~ ^UR && $2 =~ ^UR && $3 =~ ^UR && $1 != "$0" ]]' "$EC" "$E" "$E2" "$EN"

# without the encounter the level order holds
expect_output "no encounter: level 2 refers only people referred to it" "404 person_not_found person - -" refer doc@h $P $H3
expect_output "no encounter: level 2 to level 2 is the wrong level" "422 wrong_level to_unit - -" refer doc@h $P "$H2"

# the refusals of the encounter
expect_output "a closed encounter" "409 emergency_closed emergency - -" refer doc@h $P $H3 "$EC"
expect_output "another unit's encounter reads as not found" "404 emergency_not_found emergency - -" refer doc@h $P $H3 "$E2"
expect_output "an unknown encounter" "404 emergency_not_found emergency - -" refer doc@h $P $H3 UR26-0000-0000
expect_output "not an encounter number" "404 emergency_not_found emergency - -" refer doc@h $P $H3 RF26-AAAA-BBBB
expect_output "a name-only encounter is not the person's" "422 emergency_mismatch emergency - -" refer doc@h $P $H3 "$EN"
expect_output "another person's encounter" "422 emergency_mismatch emergency - -" refer doc@h $Q $H3 "$E"
expect_output "the desk does not refer, even from an encounter" "403 forbidden null - -" refer desk@h $P $H3 "$E"
expect_output "not to a level-1 unit" "422 wrong_level to_unit - -" refer doc@h $P "$CLINIC" "$E"
expect_output "not to its own unit" "422 same_unit to_unit - -" refer doc@h $P $H "$E"

# from the encounter: out of the level order, urgent unless said otherwise
expect_output "level 2 -> level 3 without a prior referral" "201 requested urgent 3 $E" refer doc@h $P $H3 "${E,,}"
expect_output "level 2 -> another level-2 hospital, a chosen urgency" "201 requested priority 2 $E" refer doc@h "$folio" "$H2" "$E" priority
# outgoing JQ: jq of the outgoing referrals of the level-2 hospital
outgoing() { call doc@h GET "/staff/referrals?direction=outgoing" "" "$1" | cut -d' ' -f2-; }
expect_output "the outgoing list shows the encounter" "$E $E" outgoing '[.referrals[].emergency] | join(" ")'
E3=$(opened desk@h3 $P)
expect_output "level 3's emergency room refers to level 2" "201 requested urgent 2 $E3" refer doc@h3 $P $H "$E3"

# the receiving level 3: unchanged steps, the study before it attends
RF=$(call doc@h3 GET "/staff/referrals?direction=incoming" "" '.referrals[0].id' | cut -d' ' -f2)
ev() { call doc@h3 POST "/staff/referrals/$RF/events" "$1" '.error.code // .state'; }
expect_output "level 3 accepts" "200 accepted" ev '{"state":"accepted"}'
expect_output "and schedules" "200 scheduled" ev '{"state":"scheduled","date":"2099-02-01","time":"08:00"}'
expect_output "attended before the study: refused" "409 study_required" ev '{"state":"attended"}'
expect_output "the social worker records the study" "201 exempt" \
    call ts@h3 POST /staff/studies "{\"person\":\"$P\",\"outcome\":\"exempt\"}" .outcome
expect_output "then level 3 attends" "200 attended" ev '{"state":"attended"}'
expect_output "the person sees the encounter with the referral" "$E" \
    bash -c 'curl -s -H "Authorization: Bearer $0" "$1/me/referrals" | jq -r "[.referrals[] | select(.to_level == 3)][0].emergency"' "$token" "$url"

# the page: the optional field and the emergency units, a refusal at its field
jar=$tmp/jar
staff_page_signin "$jar" doc@h.gob.mx
curl -s -b "$jar" -c "$jar" "${base}personal/referencias" >"$tmp/page.html"
expect_contains "the page offers the encounter field" 'name="emergency"' cat "$tmp/page.html"
expect_contains "and the other level-2 hospital, from the emergency room only" "<option value=\"$H2\"" cat "$tmp/page.html"
expect_contains "the outgoing referral says where it came from" "$E" cat "$tmp/page.html"
csrf=$(page_csrf "$tmp/page.html")
post() { curl -s -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "person=$folio" \
    --data-urlencode "to_unit=$H2" --data-urlencode "cie10=S06.9" --data-urlencode "reason=Trauma craneal" \
    --data-urlencode "urgency=" --data-urlencode "emergency=$1" "$@" "${base}personal/referencias"; }
expect_contains "a closed encounter on the page, at its field" 'id="emergency-error">emergency: la atención de urgencias ya se cerró' post "$EC"
posted() { post "$1" -o /dev/null -w '%{redirect_url}' | sed 's|http://[^/]*||'; }
expect_output "refer on the page from the encounter" "/personal/referencias?hecho=creada" posted "$E"
expect_output "urgent by default" "urgent $E" outgoing '.referrals[0] | "\(.urgency) \(.emergency)"'

# the audit log
expect_output "four referrals created, audited on the person" "4" \
    bash -c '"$0" audit show --person $1 --data "$2" | grep -c referral.create' "$PADRON" $P "$data"
expect_contains "the chain holds" "ok " "$PADRON" audit verify --data "$data"
finish emergency_referral
