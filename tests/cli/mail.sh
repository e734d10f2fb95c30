#!/usr/bin/env bash
# Email verification end to end: a real SMTP server (Debian's python3-aiosmtpd)
# receives the code; wrong, right and repeated codes; throttled resends; an SMTP
# outage that the durable outbox rides out; the Maildir default; and no code in
# the server's output.
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
pid="" smtp_pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
PY=/usr/bin/python3

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_smtp() {
    mkdir -p "$tmp/mbox/tmp" "$tmp/mbox/new" "$tmp/mbox/cur"
    $PY -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$tmp/mbox" \
        >"$tmp/smtp.log" 2>&1 &
    smtp_pid=$!
    for _ in $(seq 100); do $PY -c "import socket; socket.create_connection(('127.0.0.1',$smtp_port))" 2>/dev/null && return; sleep 0.05; done
}
start_padron() { # data-dir [env...]
    serve_start "$@"
    url=${base}api/v1
}
# wait_mail DIR COUNT: waits up to 15 s for COUNT messages in the Maildir DIR/new.
# Up to a minute: a loaded machine (sanitizers, parallel jobs) is slow.
wait_mail() {
    for _ in $(seq 1200); do [ "$(ls "$1/new" 2>/dev/null | wc -l)" -ge "$2" ] && return 0; sleep 0.05; done
    return 1
}
# The 6-digit code of the newest message in a Maildir.
code_in() { grep -hoE '^    [0-9]{6}' "$(ls -t "$1"/new/* | head -1)" | tr -d ' '; }
register() { # curp email: sets id and token; the contact step's reply goes to $tmp/reply
    local r
    r=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"curp\":\"$1\"}" "$url/registrations")
    id=$(echo "$r" | jq -r .id)
    token=$(echo "$r" | jq -r .token)
    curl -s -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -H 'Accept-Language: en' \
        -d "{\"state\":\"20\",\"email\":\"$2\",\"privacy_notice_version\":\"2026-11\"}" \
        "$url/registrations/$id/contact" >"$tmp/reply"
}
verify() { curl -s -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" -d "{\"code\":\"$1\"}" "$url/registrations/$id/email-verification"; }

smtp_port=$(free_port)
start_smtp
start_padron "$tmp/var" PADRON_SMTP_URL="smtp://127.0.0.1:$smtp_port" PADRON_SMTP_TLS=none \
    PADRON_MAIL_FROM=registro@imssbienestar.example PADRON_MAIL_RETRY_SECONDS=1

register PXNE660720HMCXTN06 ana@ejemplo.mx
expect_output "contact step sends a code" "sent" jq -r .email_verification "$tmp/reply"
wait_mail "$tmp/mbox" 1
expect_output "SMTP server received one message" "1" bash -c 'ls "$0/new" | wc -l' "$tmp/mbox"
msg=$(cat "$tmp/mbox"/new/*)
expect_contains "addressed to the applicant" "To: ana@ejemplo.mx" echo "$msg"
expect_contains "from the configured sender" "From: registro@imssbienestar.example" echo "$msg"
expect_contains "in the applicant's language" "Your code to confirm this email address is" echo "$msg"
code=$(code_in "$tmp/mbox")
expect_output "a 6-digit code" "6" bash -c 'echo -n "$0" | wc -c' "$code"
wrong=$(printf '%06d' $(((10#$code + 1) % 1000000)))
expect_output "wrong code" "wrong_code 4" bash -c 'echo "$0" | jq -r "\"\\(.error.code) \\(.attempts_left)\""' "$(verify "$wrong")"
expect_output "malformed code" "invalid_code" bash -c 'echo "$0" | jq -r .error.code' "$(verify 12345)"
expect_output "right code verifies" "true" bash -c 'echo "$0" | jq -r .contact.email_verified' "$(verify "$code")"
expect_output "a used code is gone" "no_pending_code" bash -c 'echo "$0" | jq -r .error.code' "$(verify "$code")"
expect_output "verified: resend sends nothing" "verified" \
    bash -c 'curl -s -X POST -H "Authorization: Bearer $1" "$0" | jq -r .email_verification' "$url/registrations/$id/email-verification/resend" "$token"
expect_output "no code in the server's output" "0" bash -c 'grep -c "$1" "$0"' "$tmp/out" "$code"

# Throttling and attempts on a second applicant.
register SABC560626MDFLRN01 beto@ejemplo.mx
wait_mail "$tmp/mbox" 2
expect_output "resend too soon is throttled" "429 throttled" \
    bash -c 'b=$(curl -s -w " %{http_code}" -X POST -H "Authorization: Bearer $1" "$0"); echo "${b##* } $(echo "${b% *}" | jq -r .error.code)"' \
    "$url/registrations/$id/email-verification/resend" "$token"
for _ in 1 2 3 4; do verify 000000 >/dev/null; done
expect_output "fifth wrong code leaves none" "wrong_code 0" bash -c 'echo "$0" | jq -r "\"\\(.error.code) \\(.attempts_left)\""' "$(verify 000000)"
code=$(code_in "$tmp/mbox")
expect_output "then even the right code is refused" "too_many_attempts" bash -c 'echo "$0" | jq -r .error.code' "$(verify "$code")"

# An SMTP outage: the mail waits in the outbox and goes out when the server is back.
kill "$smtp_pid"; wait "$smtp_pid" 2>/dev/null; smtp_pid=""
register LOOA531113HTCPBN07 carla@ejemplo.mx
expect_output "queued while SMTP is down" "sent" jq -r .email_verification "$tmp/reply"
sleep 1.5
expect_output "nothing delivered yet" "2" bash -c 'ls "$0/new" | wc -l' "$tmp/mbox"
start_smtp
expect_status "delivered after the outage" 0 wait_mail "$tmp/mbox" 3
expect_contains "the failure was logged without the address" "to a recipient at ejemplo.mx: attempt 1 failed" cat "$tmp/out"
kill "$pid"; wait "$pid" 2>/dev/null; pid=""

# Without SMTP, mail lands in the Maildir of the data directory.
start_padron "$tmp/var2"
register GODE561231MHGMZM07 dora@ejemplo.mx
expect_status "Maildir delivery" 0 wait_mail "$tmp/var2/mail" 1
expect_contains "Maildir message is RFC 5322" "Content-Transfer-Encoding: quoted-printable" \
    bash -c 'cat "$0"/new/*' "$tmp/var2/mail"
expect_output "the Maildir is private" "700" stat -c %a "$tmp/var2/mail"

finish mail
