#!/usr/bin/env bash
# A staff review lifts a mistaken suspension, against a real server: after
# `padron crosscheck --suspend` finds Enrique in the IMSS roll, the unit
# administrator of his clinic looks him up by CURP (in the body), lifts the
# suspension with a reason; he gets a new credential, a mail in his language, the
# audit log and the review history keep the decision, and the next cross-check
# against the same roll leaves him alone (a newer import of the roll suspends him
# again, and a review can confirm that). Refusals: another role 403, no reason 400
# at "reason", a short one 422, a person not suspended 409. The page does the same.
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
enroll_call POST /submit >/dev/null
enrique=$token
enrique_id=$id
HERE=$(enroll_call GET "" | jq -r .home_clinic.clues)
enroll_start SABC560626MDFLRN01
enroll_complete concepcion@ejemplo.mx
enroll_call POST /submit >/dev/null

me() { curl -s -H "Authorization: Bearer $enrique" "$url/me/$1"; }
old_cid=$(me credential | jq -r .credential_id)
printf 'curp,status\nPXNE660720HMCXTN06,active\n' >"$tmp/imss.csv"
"$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
"$P" crosscheck --suspend --data "$data" >/dev/null 2>"$tmp/summary"
expect_contains "crosscheck suspended him" "suspended: 1" cat "$tmp/summary"
expect_output "suspended: no credential" "suspended" sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/me/credential' | jq -r .error.code"

# Staff: the unit administrator of his clinic, and its receptionist.
api() { curl -s -X "$1" -H 'Content-Type: application/json' "${@:3}" "$url$2"; }
staff() { # staff ROLE EMAIL: an account with its password; prints a session token
    local invite
    invite=$("$P" staff add --data "$data" --role "$1" --unit "$HERE" --email "$2" 2>&1 |
        grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}')
    api POST /staff/password -d "{\"email\":\"$2\",\"code\":\"$invite\",\"password\":\"$PW\"}" >/dev/null
    api POST /staff/sessions -d "{\"email\":\"$2\",\"password\":\"$PW\"}" | jq -r .token
}
admin=$(staff unit_admin direccion@salud.gob.mx)
rec=$(staff receptionist recepcion@salud.gob.mx)
# call TOKEN PATH BODY: "STATUS CODE FIELD" of a staff POST.
call() {
    local r
    r=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
        -d "$3" "$url$2")
    echo "$(tail -1 <<<"$r") $(head -n -1 <<<"$r" | jq -r '.error.code // "ok"') $(head -n -1 <<<"$r" | jq -r '.error.field // "-"')"
}
REASON='Dejó el empleo en el IMSS en 2025; trae su constancia de baja.'
review() { call "$1" /staff/suspensions/reviews "{\"person\":\"$2\",\"decision\":\"$3\"${4:+,\"reason\":\"$4\"}}"; }

# 1. Refusals.
expect_output "a receptionist may not review: 403" "403 out_of_scope -" review "$rec" PXNE660720HMCXTN06 lift "$REASON"
expect_output "nor look a case up: 403" "403 out_of_scope -" call "$rec" /staff/suspensions/lookup '{"key":"PXNE660720HMCXTN06"}'
expect_output "no staff session: 401" "401" \
    curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"key":"PXNE660720HMCXTN06"}' "$url/staff/suspensions/lookup"
expect_output "no reason: 400 at reason" "400 required reason" review "$admin" PXNE660720HMCXTN06 lift
expect_output "a short reason: 422 at reason" "422 invalid_reason reason" review "$admin" PXNE660720HMCXTN06 lift "muy corto"
expect_output "no decision: 400 at decision" "400 required decision" \
    call "$admin" /staff/suspensions/reviews "{\"person\":\"PXNE660720HMCXTN06\",\"reason\":\"$REASON\"}"
expect_output "an unknown decision: 422" "422 invalid_decision decision" review "$admin" PXNE660720HMCXTN06 levantar "$REASON"
expect_output "not suspended: 409" "409 not_suspended -" review "$admin" SABC560626MDFLRN01 lift "$REASON"
expect_output "an unknown field: 400" "400 unknown_field curp" call "$admin" /staff/suspensions/lookup '{"curp":"PXNE660720HMCXTN06"}'
expect_output "nothing was recorded by the refusals" "0" sql "$data" "SELECT count(*) FROM suspension_review"

# 2. The case: the suspension, by the IMSS roll, with no review yet.
call_body() { curl -s -X POST -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$url$2"; }
call_body "$admin" /staff/suspensions/lookup '{"key":"PXNE660720HMCXTN06"}' >"$tmp/case.json"
expect_output "lookup: the roll" "IMSS" jq -r .suspension.institution "$tmp/case.json"
expect_status "lookup: when, and when the roll was imported" 0 \
    jq -e '(.suspension.at | test("^[0-9]{4}-")) and (.suspension.roll_imported_at | test("^[0-9]{4}-"))' "$tmp/case.json"
expect_output "lookup: no review yet" "0" jq -r '.reviews | length' "$tmp/case.json"
expect_contains "the lookup is audited" "person.lookup" "$P" audit show --person PXNE660720HMCXTN06 --data "$data"

# 3. The lift.
call_body "$admin" /staff/suspensions/reviews "{\"person\":\"PXNE660720HMCXTN06\",\"decision\":\"lift\",\"reason\":\"$REASON\"}" >"$tmp/lift.json"
expect_output "lifted: the review" "lift" jq -r .review.decision "$tmp/lift.json"
expect_output "lifted: no suspension left" "null" jq -c .registration.suspended "$tmp/lift.json"
expect_output "registration JSON: not suspended" "null" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -c .suspended"
expect_output "a new credential is issued" "200" curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $enrique" "$url/me/credential"
new_cid=$(me credential | jq -r .credential_id)
expect_status "it is a new one (the old one stays revoked)" 0 test -n "$new_cid" -a "$new_cid" != "$old_cid" -a "$new_cid" != null
expect_output "the old one is still revoked" "affiliated to IMSS" \
    sql "$data" "SELECT revoked_reason FROM credential WHERE id = '$old_cid'"
expect_status "a mail tells him, in Spanish" 0 newest_mail "$data" enrique@ejemplo.mx "Puede obtener su credencial otra vez"
expect_contains "audited as registration.suspension_lift" "registration.suspension_lift" \
    "$P" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_output "the history keeps it" "lift|0|$(printf %s "$REASON" | wc -m)" \
    sql "$data" "SELECT decision, institution, length(reason) FROM suspension_review"
expect_status "the audit chain holds" 0 "$P" audit verify --data "$data"
expect_output "a second lift: 409 not suspended" "409 not_suspended -" review "$admin" PXNE660720HMCXTN06 lift "$REASON"

# 4. The next cross-check, against the same roll, leaves him alone.
"$P" crosscheck --suspend --data "$data" >/dev/null 2>"$tmp/summary2"
expect_contains "second crosscheck: nobody suspended" "suspended: 0" cat "$tmp/summary2"
expect_output "still not suspended" "null" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -c .suspended"
expect_output "his credential still comes" "200" curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $enrique" "$url/me/credential"

# 5. A newer import of the roll still listing him is new evidence: suspended again,
#    and this time the review confirms it.
sleep 1.1
"$P" import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
"$P" crosscheck --suspend --data "$data" >/dev/null 2>"$tmp/summary3"
expect_contains "a newer roll suspends again" "suspended: 1" cat "$tmp/summary3"
expect_output "confirmed: 201" "201 ok -" review "$admin" "$(jq -r .person.folio "$tmp/case.json")" confirm "Sigue activo en el padrón del IMSS de este mes."
expect_output "confirmed: still suspended" "IMSS" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -r .suspended.institution"
expect_contains "audited as registration.suspension_confirm" "registration.suspension_confirm" \
    "$P" audit show --person PXNE660720HMCXTN06 --data "$data"
expect_output "the history: newest first" "confirm,lift" \
    sh -c "curl -s -X POST -H 'Authorization: Bearer $admin' -H 'Content-Type: application/json' -d '{\"key\":\"PXNE660720HMCXTN06\"}' '$url/staff/suspensions/lookup' | jq -r '[.reviews[].decision] | join(\",\")'"

# 6. The page: posted CURP, the case, a refused decision at its field, CSRF.
jar=$tmp/jar
page() { curl -s -c "$jar" -b "$jar" "$@"; }
cookie() { awk -v n="$1" '$6 == n {print $7}' "$jar"; }
page "${site}personal/entrar" >/dev/null
page -o /dev/null --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "email=direccion@salud.gob.mx" \
    --data-urlencode "password=$PW" "${site}personal/entrar"
expect_contains "the page: the lookup form" 'action="/personal/suspension"' page "${site}personal/suspension"
page --data-urlencode "csrf=$(cookie csrf)" --data-urlencode "curp=PXNE660720HMCXTN06" "${site}personal/suspension" >"$tmp/page.html"
expect_contains "the page: suspended by IMSS" "<dd>IMSS</dd>" cat "$tmp/page.html"
expect_contains "the page: the earlier reviews" "Levantar la suspensión" cat "$tmp/page.html"
expect_contains "the page: the decision form" 'action="/personal/suspension/decision"' cat "$tmp/page.html"
decide() { page -w '\n%{http_code}' --data-urlencode "csrf=$1" --data-urlencode "person=PXNE660720HMCXTN06" \
    --data-urlencode "decision=lift" --data-urlencode "reason=$2" "${site}personal/suspension/decision"; }
expect_contains "the page: a short reason is refused at its field" 'id="reason-error"' decide "$(cookie csrf)" "corto"
expect_contains "the page: the decision taken is kept" 'value="lift" checked' decide "$(cookie csrf)" "corto"
expect_contains "the page: without the CSRF token, refused" "403" sh -c "$(declare -f decide page); jar='$jar'; site='$site'; decide wrong '$REASON' | tail -1"
expect_contains "the page: lifted" "La suspensión quedó levantada" decide "$(cookie csrf)" "$REASON"
expect_output "lifted from the page" "null" \
    sh -c "curl -s -H 'Authorization: Bearer $enrique' '$url/registrations/$enrique_id' | jq -c .suspended"
expect_output "no CURP in the server's log" "0" grep -c PXNE660720HMCXTN06 "$tmp/out"

finish suspension_review
