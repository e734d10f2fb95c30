#!/usr/bin/env bash
# The registrations API against a real server and a real SQLite file: the happy
# path, every refusal the router and the handlers make, and persistence across a
# restart.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON

start() {
    serve_start "$tmp/var"
    url=${base}api/v1
}
post() { curl -s -X POST -H 'Content-Type: application/json' "$@"; }
field() { jq -r "$1"; }
start

# Create a draft and read it back with its token.
r=$(post -d '{"curp":" pxne660720hmcxtn06 "}' "$url/registrations")
id=$(echo "$r" | field .id)
token=$(echo "$r" | field .token)
expect_output "create: status" "draft" bash -c 'echo "$0" | jq -r .status' "$r"
expect_output "create: 201" "201" curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' -d '{"curp":"SABC560626MDFLRN01"}' "$url/registrations"
expect_output "id shape" "32" bash -c 'echo -n "$0" | wc -c' "$id"
expect_output "get: normalised curp" "PXNE660720HMCXTN06" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .curp' "$url/registrations/$id" "$token"
expect_output "get: no token" "401" curl -s -o /dev/null -w '%{http_code}' "$url/registrations/$id"
expect_output "get: wrong token" "401" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer nope" "$url/registrations/$id"
expect_output "get: unknown id" "404" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $token" "$url/registrations/ffffffffffffffffffffffffffffffff"
expect_output "a started application does not block the CURP" "draft" \
    bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"curp\":\"PXNE660720HMCXTN06\"}" "$0" | jq -r .status' "$url/registrations"

# Refusals, each with its code, field and language.
expect_output "invalid curp (es)" "invalid_curp curp El último dígito de la CURP no corresponde al resto: revise que cada carácter esté bien escrito." \
    bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"curp\":\"SABC560626MDFLRN09\"}" "$0" | jq -r ".error | \"\(.code) \(.field) \(.message)\""' "$url/registrations"
expect_output "invalid curp (en)" "A CURP has 18 characters; this one has 3." \
    bash -c 'curl -s -X POST -H "Accept-Language: fr;q=0.9, en;q=0.8" -H "Content-Type: application/json" -d "{\"curp\":\"ABC\"}" "$0" | jq -r .error.message' "$url/registrations"
expect_output "future birth refused" "invalid_curp" \
    bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"curp\":\"TOMA880125HMNRRNO2\"}" "$0" | jq -r .error.code' "$url/registrations"
expect_output "missing curp" "422 required curp" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r ".error | \"\(.code) \(.field)\"")"' "$url/registrations"
expect_output "unknown field" "400 unknown_field nss" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"curp\":\"X\",\"nss\":\"1\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r ".error | \"\(.code) \(.field)\"")"' "$url/registrations"
expect_output "not text" "422 not_text curp" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"curp\":18}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r ".error | \"\(.code) \(.field)\"")"' "$url/registrations"
expect_output "duplicate key" "invalid_json" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"curp\":\"a\",\"curp\":\"b\"}" "$0" | jq -r .error.code' "$url/registrations"
expect_output "nul in string" "invalid_json" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"curp\":\"a\\u0000b\"}" "$0" | jq -r .error.code' "$url/registrations"
expect_output "trailing garbage" "invalid_json" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{} x" "$0" | jq -r .error.code' "$url/registrations"
expect_output "too deep" "invalid_json" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "{\"a\":[[[[[[[[[[1]]]]]]]]]]}" "$0" | jq -r .error.code' "$url/registrations"
expect_output "not an object" "not_an_object" bash -c 'curl -s -X POST -H "Content-Type: application/json" -d "[]" "$0" | jq -r .error.code' "$url/registrations"
expect_output "wrong content type" "415" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: text/plain' -d '{}' "$url/registrations"
expect_output "too large" "413" bash -c 'head -c 20000 /dev/zero | tr "\0" " " | curl -s -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" --data-binary @- "$0"' "$url/registrations"
expect_output "too large, chunked" "413" bash -c 'head -c 20000 /dev/zero | tr "\0" " " | curl -s -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" -H "Transfer-Encoding: chunked" --data-binary @- "$0"' "$url/registrations"
expect_output "no length" "411" curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Content-Length:' "$url/registrations"
expect_output "wrong method" "405 method_not_allowed" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X DELETE "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/registrations"
expect_output "unknown api path" "404 not_found" \
    bash -c 'b=$(curl -s -w " %{http_code}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/nothing"
expect_output "bad id shape" "404" curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/registrations/..%2f"

# The privacy notice, and the contact step.
version=$(curl -s "$url/privacy-notice" | jq -r .version)
expect_output "notice has a version" "2026-11" echo "$version"
expect_contains "notice in Spanish" "Aviso de privacidad" curl -s "$url/privacy-notice"
expect_contains "notice in English" "privacy notice" curl -s -H 'Accept-Language: en' "$url/privacy-notice"
put() { curl -s -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token" "$@"; }
contact() { printf '{"state":"%s","phone":"%s","email":"%s","privacy_notice_version":"%s"}' "$@"; }
r=$(put -d "$(contact 20 '+52 (951) 123-4567' ' Ana@Ejemplo.MX ' "$version")" "$url/registrations/$id/contact")
expect_output "contact stored, normalised" "20 9511234567 Ana@ejemplo.mx 2026-11 false" \
    bash -c 'echo "$0" | jq -r ".contact | \"\(.state) \(.phone) \(.email) \(.privacy_notice_version) \(.email_verified)\""' "$r"
expect_output "contact read back" "9511234567" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .contact.phone' "$url/registrations/$id" "$token"
check_error() { # name expected-"status code field" json
    expect_output "$1" "$2" bash -c 'b=$(curl -s -w " %{http_code}" -X PUT -H "Content-Type: application/json" -H "Authorization: Bearer $1" -d "$2" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r ".error | \"\(.code) \(.field)\"")"' "$url/registrations/$id/contact" "$token" "$3"
}
check_error "state not participating" "422 state_not_participating state" "$(contact 14 5512345678 a@b.mx "$version")"
expect_contains "names the state and where to go" "Jalisco no forma parte de IMSS-Bienestar" \
    put -d "$(contact 14 5512345678 a@b.mx "$version")" "$url/registrations/$id/contact"
check_error "unknown state" "422 invalid_state state" "$(contact 33 5512345678 a@b.mx "$version")"
check_error "short phone" "422 invalid_phone phone" "$(contact 20 551234567 a@b.mx "$version")"
check_error "foreign phone" "422 invalid_phone phone" "$(contact 20 '+1 555 123 4567' a@b.mx "$version")"
check_error "bad email" "422 invalid_email email" "$(contact 20 5512345678 'ana@localhost' "$version")"
check_error "old notice" "422 privacy_notice_outdated privacy_notice_version" "$(contact 20 5512345678 a@b.mx 2020-01)"
check_error "missing email" "422 required email" '{"state":"20","privacy_notice_version":"2026-11"}'
check_error "unknown field" "400 unknown_field name" '{"name":"Ana"}'
expect_output "phone is optional" "09 null" \
    bash -c 'curl -s -X PUT -H "Content-Type: application/json" -H "Authorization: Bearer $1" -d "{\"state\":\"09\",\"email\":\"a@b.mx\",\"privacy_notice_version\":\"2026-11\"}" "$0" | jq -r ".contact | \"\(.state) \(.phone)\""' "$url/registrations/$id/contact" "$token"
expect_output "contact needs the token" "401" curl -s -o /dev/null -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' -d "$(contact 20 5512345678 a@b.mx "$version")" "$url/registrations/$id/contact"
expect_output "refused input changed nothing" "09 a@b.mx" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r ".contact | \"\(.state) \(.email)\""' "$url/registrations/$id" "$token"

# The password step: every broken rule is reported; a good one is stored hashed.
pw() { curl -s -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -H "Accept-Language: ${2:-es}" -d "{\"password\":\"$1\"}" "$url/registrations/$id/password"; }
expect_output "weak: every rule listed" "weak_password password too_short,no_upper,no_digit,no_special,common" \
    bash -c 'echo "$0" | jq -r "\"\(.error.code) \(.error.field) \([.rules[].rule] | join(\",\"))\""' "$(pw abc)"
expect_contains "weak: a sentence per rule, in English" "characters" pw abc en
expect_output "common password" "common" bash -c 'echo "$0" | jq -r "[.rules[].rule] | join(\",\")"' "$(pw 'Password123!')"
expect_output "personal data" "contains_personal" \
    bash -c 'echo "$0" | jq -r "[.rules[].rule] | join(\",\")"' "$(pw 'Pxne660720hmcx#tn06')"
expect_output "not set yet" "false" bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .password_set' "$url/registrations/$id" "$token"
expect_output "strong password stored" "true" bash -c 'echo "$0" | jq -r .password_set' "$(pw 'Nopal-Azul#Tlayuda7')"
expect_output "password missing" "422 required" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X PUT -H "Content-Type: application/json" -H "Authorization: Bearer $1" -d "{}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/registrations/$id/password" "$token"
expect_output "password needs the token" "401" curl -s -o /dev/null -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' -d '{"password":"Nopal-Azul#Tlayuda7"}' "$url/registrations/$id/password"
expect_output "the hash never leaves the server" "0" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | grep -c argon2' "$url/registrations/$id" "$token"

# One address may start 30 applications an hour (some were started above).
for _ in $(seq 30); do post -d '{"curp":"GODE561231MHGMZM07"}' "$url/registrations" >/dev/null; done
expect_output "too many new applications from one address" "429 throttled" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Content-Type: application/json" -d "{\"curp\":\"GODE561231MHGMZM07\"}" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' "$url/registrations"

# A restart keeps what was acknowledged.
kill -TERM "$pid"; wait "$pid"; pid=""
start
expect_output "persisted across restart" "draft" \
    bash -c 'curl -s -H "Authorization: Bearer $1" "$0" | jq -r .status' "$url/registrations/$id" "$token"

finish api
