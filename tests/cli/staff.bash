# Helpers for tests of staff features; sourced after lib.bash. Needs: $PADRON,
# $data (the server's data dir), $url (…/api/v1), $base, $tmp, $PW (the password
# every test account gets).

# staff_add ARGS...: `padron staff add ARGS` on $data; prints the set-password code.
staff_add() { "$PADRON" staff add --data "$data" "$@" 2>&1 | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){4}'; }

# staff_token EMAIL CODE: sets the password $PW with the mailed code, signs in;
# prints the staff session token.
staff_token() {
    curl -s -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1\",\"code\":\"$2\",\"password\":\"$PW\"}" "$url/staff/password" >/dev/null
    curl -s -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$PW\"}" "$url/staff/sessions" | jq -r .token
}

# page_csrf FILE: the CSRF token of the first form in a saved page.
page_csrf() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }

# staff_page_signin JAR EMAIL: signs in on /personal/entrar with $PW, keeping the
# cookies in JAR.
staff_page_signin() {
    curl -s -b "$1" -c "$1" "${base}personal/entrar" >"$tmp/signin.html"
    curl -s -b "$1" -c "$1" -o /dev/null --data-urlencode "csrf=$(page_csrf "$tmp/signin.html")" \
        --data-urlencode "email=$2" --data-urlencode "password=$PW" "${base}personal/entrar"
}
