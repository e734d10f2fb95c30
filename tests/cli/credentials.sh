#!/usr/bin/env bash
# Credentials and Cartas de No Afiliación end to end against a real server: the
# credential of an enrollment (JSON and printed card, read back by zbarimg), its
# reissue and revocation on a names correction, letters (roll checks, the mail
# with its PDF, the download key, the status by folio), POST /api/v1/verify, the
# signed revocation list, and the CLI: padron letter issue, padron revoke,
# padron verify --image/--pdf/--revoked.
cd "$(dirname "$0")"
source ./lib.bash
tools=$(pwd)/tools
data=$tmp/data
P=$PADRON
serve_start "$data"
url=${base}api/v1
source ./enroll.bash
json() { curl -s -H 'Content-Type: application/json' "$@"; }

# ---- the credential ----
enroll_start SABC560626MDFLRN01
enroll_complete ana@ejemplo.mx
expect_output "credential: none before the submit" "not_active" \
    sh -c "curl -s -H 'Authorization: Bearer $token' '$url/me/credential' | jq -r .error.code"
enroll_call POST /submit >/dev/null
expect_output "credential: no token is 401" "401" \
    curl -s -o /dev/null -w '%{http_code}' "$url/me/credential"
curl -s -H "Authorization: Bearer $token" "$url/me/credential" >"$tmp/cred.json"
qr=$(jq -r .qr "$tmp/cred.json")
cid=$(jq -r .credential_id "$tmp/cred.json")
expect_status "credential: an id CR + year" 0 grep -qE '^CR[0-9]{2}-' <<<"$cid"
expect_status "credential: the QR text has our prefix" 0 grep -q '^PB1:' <<<"$qr"
expect_output "credential: the same one the next time" "$cid" \
    sh -c "curl -s -H 'Authorization: Bearer $token' '$url/me/credential' | jq -r .credential_id"
# A session token works as well as the application's own.
session=$(json -d '{"login":"SABC560626MDFLRN01","password":"Nopal-Azul#Tlayuda7"}' "$url/sessions" | jq -r .token)
expect_output "credential: with a session token" "$cid" \
    sh -c "curl -s -H 'Authorization: Bearer $session' '$url/me/credential' | jq -r .credential_id"
expect_output "verify API: valid" "valid" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$qr\"}' '$url/verify' | jq -r .result"
expect_output "verify API: the names" "Concepción Salgado Briseño" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$qr\"}' '$url/verify' | jq -r '.given_names+\" \"+.first_surname+\" \"+.second_surname'"
expect_output "verify API: a changed character is bad_signature or malformed" "not valid" \
    sh -c "t='${qr%?}'; [ \"${qr: -1}\" = 0 ] && t=\${t}1 || t=\${t}0; r=\$(curl -s -H 'Content-Type: application/json' -d \"{\\\"qr\\\":\\\"\$t\\\"}\" '$url/verify' | jq -r .result); [ \"\$r\" != valid ] && echo 'not valid'"
expect_output "verify API: qr is required" "required" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{}' '$url/verify' | jq -r .error.code"
expect_output "verify API: unknown fields are refused" "unknown_field" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"x\",\"y\":1}' '$url/verify' | jq -r .error.code"

# The printed card: a PDF whose QR (read by zbarimg) is the same text.
curl -s -H "Authorization: Bearer $token" -H 'Accept-Language: en' "$url/me/credential/pdf" -o "$tmp/card.pdf"
expect_contains "card: a PDF" "PDF document" file "$tmp/card.pdf"
expect_contains "card: the name is on it" "Concepción Salgado Briseño" pdftotext "$tmp/card.pdf" -
pdftoppm -r 150 -gray -png "$tmp/card.pdf" "$tmp/card"
expect_output "card: zbarimg reads the credential" "$qr" sh -c "zbarimg -q --raw '$tmp/card-1.png' 2>/dev/null"
expect_output "verify --pdf: the printed card is valid" "valid" sh -c "$P verify --data '$data' --pdf '$tmp/card.pdf' | head -1"
expect_output "verify --image: a photo of the page is valid" "valid" sh -c "$P verify --data '$data' --image '$tmp/card-1.png' | head -1"
/usr/bin/python3 "$tools/make-png.py" 200 200 >"$tmp/blank.png"
expect_status "verify --image: no QR in the photo is a usage-level failure" 2 $P verify --data "$data" --image "$tmp/blank.png"

# A correction of the names reissues the credential and revokes the old one.
json -X PUT -H "Authorization: Bearer $session" \
    -d '{"given_names":"Concepcion","first_surname":"Salgado","second_surname":"Briseño"}' \
    "$url/registrations/$id/names" >/dev/null
new=$(curl -s -H "Authorization: Bearer $session" "$url/me/credential" | jq -r .credential_id)
expect_status "correction: a new credential" 0 test "$new" != "$cid"
expect_output "correction: the old QR is revoked" "revoked" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$qr\"}' '$url/verify' | jq -r .result"
curl -s "${base}.well-known/padron/revoked" >"$tmp/revoked.json"
curl -s "${base}.well-known/padron/trust-list" >"$tmp/trust.json"
expect_output "revocation list: names the old credential (base64url of its id)" \
    "$(printf %s "$cid" | base64 | tr '+/' '-_' | tr -d '=')" jq -r '.revoked[0]' "$tmp/revoked.json"
expect_output "verify offline: revoked with the signed lists" "revoked" \
    sh -c "$P verify --trust-list '$tmp/trust.json' --revoked '$tmp/revoked.json' '$qr' | head -1 | cut -d: -f1"
expect_status "verify offline: revoked exits 5" 5 $P verify --trust-list "$tmp/trust.json" --revoked "$tmp/revoked.json" "$qr"

# ---- letters ----
letter() { json -H "Accept-Language: ${2:-es}" -d "$1" "$url/letters"; }
expect_output "letter: no roll imported yet is 503" "roll_not_loaded" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"GODE561231MHGMZM07\",\"institution\":\"IMSS\",\"email\":\"emma@ejemplo.mx\"}' '$url/letters' | jq -r .error.code"
printf 'curp,status\nPXNE660720HMCXTN06,active\nGODE561231MHGMZM07,inactive\n' >"$tmp/imss.csv"
$P import affiliations --institution IMSS "$tmp/imss.csv" --data "$data" >/dev/null
expect_output "letter: an active IMSS beneficiary is refused, naming IMSS" "affiliated_imss" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"PXNE660720HMCXTN06\",\"institution\":\"IMSS\",\"email\":\"e@ejemplo.mx\"}' '$url/letters' | jq -r .error.code"
expect_contains "letter: the refusal in English" "active IMSS beneficiary" \
    sh -c "curl -s -H 'Accept-Language: en' -H 'Content-Type: application/json' -d '{\"curp\":\"PXNE660720HMCXTN06\",\"institution\":\"IMSS\",\"email\":\"e@ejemplo.mx\"}' '$url/letters' | jq -r .error.message"
expect_output "letter: a bad CURP names the field" "curp" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"GODE561231MHGMZM08\",\"institution\":\"IMSS\",\"email\":\"e@ejemplo.mx\"}' '$url/letters' | jq -r .error.field"
expect_output "letter: an unknown institution" "invalid_institution" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"GODE561231MHGMZM07\",\"institution\":\"PEMEX\",\"email\":\"e@ejemplo.mx\"}' '$url/letters' | jq -r .error.code"
expect_output "letter: names that do not match the CURP" "curp_mismatch" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"GODE561231MHGMZM07\",\"institution\":\"IMSS\",\"email\":\"e@ejemplo.mx\",\"given_names\":\"Emma\",\"first_surname\":\"Pérez\",\"second_surname\":\"Díaz\"}' '$url/letters' | jq -r .error.code"
# A past affiliation (inactive) gets its letter, with the names given.
letter '{"curp":"GODE561231MHGMZM07","institution":"IMSS","email":"emma@ejemplo.mx","given_names":"Emma","first_surname":"Gómez","second_surname":"Díaz"}' en >"$tmp/letter.json"
folio=$(jq -r .folio "$tmp/letter.json")
expect_status "letter: issued with a folio NA + year" 0 grep -qE '^NA[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$' <<<"$folio"
expect_output "letter: valid" "valid" jq -r .status "$tmp/letter.json"
expect_output "letter: the verification URL carries the folio" "${base}cartas/$folio" jq -r .verify_url "$tmp/letter.json"
lqr=$(jq -r .qr "$tmp/letter.json")
expect_output "letter: its QR verifies as a letter to IMSS" "letter IMSS" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$lqr\"}' '$url/verify' | jq -r '.kind+\" \"+.institution'"
curl -s -H "Authorization: Bearer $(jq -r .download_key "$tmp/letter.json")" "$(jq -r .pdf_url "$tmp/letter.json")" -o "$tmp/letter.pdf"
expect_output "letter: the PDF URL carries no key" "${base}api/v1/letters/$folio/pdf" jq -r .pdf_url "$tmp/letter.json"
expect_contains "letter: the PDF names the person" "Emma Gómez Díaz" pdftotext "$tmp/letter.pdf" -
expect_contains "letter: the PDF carries the folio" "$folio" pdftotext "$tmp/letter.pdf" -
expect_output "verify --pdf: the letter is valid" "valid" sh -c "$P verify --data '$data' --pdf '$tmp/letter.pdf' | head -1"
expect_output "letter: a wrong download key is 404" "404" \
    curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$url/letters/$folio/pdf"
expect_output "letter: a key in the URL is refused, saying where it goes" "key_in_url" \
    sh -c "curl -s '$url/letters/$folio/pdf?key=$(jq -r .download_key "$tmp/letter.json")' | jq -r .error.code"
expect_output "letter: no key is 404" "404" curl -s -o /dev/null -w '%{http_code}' "$url/letters/$folio/pdf"
# The status by folio shows only what matches the paper: no full CURP.
expect_output "letter status: valid" "valid" sh -c "curl -s '$url/letters/$folio' | jq -r .status"
expect_output "letter status: the CURP is masked" "GODE··········ZM07" sh -c "curl -s '$url/letters/$folio' | jq -r .curp"
lower=$(tr 'A-Z' 'a-z' <<<"${folio//-/}")
expect_output "letter status: a folio typed in lower case without dashes" "$folio" sh -c "curl -s '$url/letters/$lower' | jq -r .folio"
expect_output "letter status: unknown folio is 404" "404" curl -s -o /dev/null -w '%{http_code}' "$url/letters/NA26-0000-0000"
# The mail: to the address given, the PDF attached.
for _ in $(seq 100); do newest_mail "$data" emma@ejemplo.mx "$folio" >/dev/null 2>&1 && break; sleep 0.1; done
mail=$(newest_mail "$data" emma@ejemplo.mx "$folio")
expect_status "letter mail: delivered to the address given" 0 test -n "$mail"
expect_contains "letter mail: the PDF attached" "filename=\"carta-$folio.pdf\"" cat "$mail"

# Per person and per mailbox a day, whatever the client address: the sixth letter for one
# CURP is refused, as is the eleventh to one mailbox; the throttle table keeps neither.
for i in 1 2 3 4 5; do
    letter '{"curp":"RUPL900101MDFZRS06","institution":"IMSS","email":"lupe'$i'@ejemplo.mx"}' >/dev/null
done
expect_output "letter: a sixth for one CURP in a day is throttled" "throttled" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"curp\":\"RUPL900101MDFZRS06\",\"institution\":\"IMSS\",\"email\":\"otra@ejemplo.mx\"}' '$url/letters' | jq -r .error.code"
expect_output "letter: the throttle table holds no CURP or email" "0" \
    sql "$data" "SELECT count(*) FROM throttle WHERE key LIKE '%RUPL%' OR key LIKE '%@%'"

# ---- the CLI ----
expect_status "letter issue: needs --out" 2 $P letter issue --curp GODE561231MHGMZM07 --institution IMSS --data "$data"
expect_status "letter issue: an active beneficiary is refused" 1 \
    $P letter issue --curp PXNE660720HMCXTN06 --institution IMSS --out "$tmp/x.pdf" --data "$data"
expect_status "letter issue: the ISSSTE roll was never imported" 1 \
    $P letter issue --curp GODE561231MHGMZM07 --institution ISSSTE --out "$tmp/x.pdf" --data "$data"
out=$($P letter issue --curp GODE561231MHGMZM07 --institution imss --out "$tmp/cli.pdf" --data "$data" 2>"$tmp/letter.err") || cat "$tmp/letter.err" >&2
cfolio=$(cut -f1 <<<"$out")
expect_status "letter issue: prints the folio" 0 grep -qE '^NA[0-9]{2}-' <<<"$cfolio"
expect_output "letter issue: the PDF verifies" "valid" sh -c "$P verify --data '$data' --pdf '$tmp/cli.pdf' | head -1"
expect_output "revoke: the letter" "revoked $cfolio" $P revoke "$cfolio" --reason "issued by mistake" --data "$data"
expect_status "revoke: twice is 1" 1 $P revoke "$cfolio" --data "$data"
expect_status "revoke: not an id is a usage error" 2 $P revoke XYZ --data "$data"
expect_output "revoke: the server says revoked at once" "revoked" sh -c "curl -s '$url/letters/$cfolio' | jq -r .status"
pdftoppm -r 150 -gray -png "$tmp/cli.pdf" "$tmp/cli"
cqr=$(zbarimg -q --raw "$tmp/cli-1.png" 2>/dev/null)
expect_output "revoke: verify says revoked" "revoked" \
    sh -c "curl -s -H 'Content-Type: application/json' -d '{\"qr\":\"$cqr\"}' '$url/verify' | jq -r .result"
finish credentials
