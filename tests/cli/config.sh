#!/usr/bin/env bash
# padron serve's configuration: --check-config on valid and invalid settings
# (exit 0 / 2, FILE:LINE and the key named, nothing created), the precedence of
# default < file < environment < option, masked secrets, --dev, and
# X-Forwarded-For believed only from trusted_proxies (the per-address limit of
# 30 new applications an hour).
set -u
. "$(dirname "$0")/lib.bash"
P=$PADRON
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# The value and source columns of one key in --check-config's listing.
setting() { # key command...
    local key=$1
    shift
    "$@" 2>/dev/null | sed -n "s/^$key  *= \\(.*\\)/\\1/p" | tr -s ' '
}
# The environment without any PADRON_* setting of the caller's.
clean_env=(env -u PADRON_DATA -u PADRON_LISTEN -u PADRON_SMTP_URL -u PADRON_SMTP_PASSWORD)
clean() { "${clean_env[@]}" "$@"; }

# ---- --check-config with nothing configured ----
expect_status "defaults are valid" 0 clean "$P" serve --check-config --data "$tmp/new"
expect_contains "says so" "padron serve: the configuration is valid" clean "$P" serve --check-config --data "$tmp/new"
expect_output "default listen" "127.0.0.1:8080 # default" setting listen clean "$P" serve --check-config --data "$tmp/new"
expect_output "data from the option" "$tmp/new # --data" setting data clean "$P" serve --check-config --data "$tmp/new"
expect_contains "the data directory would be created" "ok: data directory $tmp/new: will be created" clean "$P" serve --check-config --data "$tmp/new"
expect_contains "keys would be created" "ok: key $tmp/new/keys/codes.key: will be created" clean "$P" serve --check-config --data "$tmp/new"
expect_contains "catalogs are loaded" "32 states" clean "$P" serve --check-config --data "$tmp/new"
expect_output "nothing was created" "absent" bash -c '[ -e "$0" ] && echo present || echo absent' "$tmp/new"

# ---- a file in the data directory, the environment, the options ----
mkdir -p "$tmp/var"
chmod 700 "$tmp/var"
cat >"$tmp/var/padron.conf" <<'EOF'
# padron.conf for the tests
listen = 127.0.0.1:1111
secure_cookies = yes

[mail]
retry_seconds = 5
from = registro@imssbienestar.example
EOF
chk() { clean "$@" "$P" serve --check-config --data "$tmp/var"; }
expect_output "the file beats the default" "127.0.0.1:1111 # $tmp/var/padron.conf:2" setting listen chk
expect_output "a section names its keys" "5 # $tmp/var/padron.conf:6" setting mail_retry_seconds chk
expect_output "booleans are normalised" "true # $tmp/var/padron.conf:3" setting secure_cookies chk
expect_output "the environment beats the file" "127.0.0.1:2222 # PADRON_LISTEN" setting listen chk PADRON_LISTEN=127.0.0.1:2222
expect_output "an empty variable counts as unset" "127.0.0.1:1111 # $tmp/var/padron.conf:2" setting listen chk PADRON_LISTEN=
expect_output "the option beats the environment" "127.0.0.1:3333 # --listen" \
    setting listen clean PADRON_LISTEN=127.0.0.1:2222 "$P" serve --check-config --data "$tmp/var" --listen 127.0.0.1:3333
expect_contains "the file is named" "# configuration file: $tmp/var/padron.conf" chk
expect_contains "PADRON_DATA finds the file too" "127.0.0.1:1111" clean PADRON_DATA="$tmp/var" "$P" serve --check-config

# Secrets are never shown.
expect_output "a password is hidden" "(hidden) # PADRON_SMTP_PASSWORD" setting smtp_password chk PADRON_SMTP_USER=u PADRON_SMTP_PASSWORD=hunter2
expect_output "nowhere in the output" "0" bash -c \
    'PADRON_SMTP_USER=u PADRON_SMTP_PASSWORD=hunter2 "$0" serve --check-config --data "$1" 2>&1 | grep -c hunter2' "$P" "$tmp/var"
expect_status "a user without a password" 2 chk PADRON_SMTP_USER=u
expect_contains "says which" "PADRON_SMTP_USER: smtp_user: smtp_user and a password" chk PADRON_SMTP_USER=u
printf 's3cret\n' >"$tmp/pw"
expect_output "a password file" "$tmp/pw # PADRON_SMTP_PASSWORD_FILE" setting smtp_password_file chk PADRON_SMTP_USER=u PADRON_SMTP_PASSWORD_FILE="$tmp/pw"
expect_status "a missing password file" 2 chk PADRON_SMTP_USER=u PADRON_SMTP_PASSWORD_FILE="$tmp/nope"
expect_contains "is named" "smtp_password_file $tmp/nope: No such file" chk PADRON_SMTP_USER=u PADRON_SMTP_PASSWORD_FILE="$tmp/nope"
expect_contains "a typo in a variable is pointed out" "warning: PADRON_SMTP_URLL is not a setting" chk PADRON_SMTP_URLL=smtp://x

# ---- invalid files: exit 2, FILE:LINE and the key ----
bad() { # name text: writes $tmp/NAME.conf
    printf '%b' "$2" >"$tmp/$1.conf"
    chmod 600 "$tmp/$1.conf"
}
bad unknown 'listen = 127.0.0.1:1\nsmtp_urll = smtp://x\n'
expect_status "unknown key" 2 clean "$P" serve --check-config --config "$tmp/unknown.conf"
expect_contains "unknown key: where" "$tmp/unknown.conf:2: unknown key 'smtp_urll'" clean "$P" serve --check-config --config "$tmp/unknown.conf"
bad dup 'listen = 127.0.0.1:1\nsmtp_tls = none\n[smtp]\ntls = try\n'
expect_contains "duplicate key" "$tmp/dup.conf:4: smtp_tls: already given on line 2" clean "$P" serve --check-config --config "$tmp/dup.conf"
bad value 'mail_retry_seconds = 0\nlisten = localhost:80\n'
expect_contains "bad number" "$tmp/value.conf:1: mail_retry_seconds: '0' is not a whole number from 1 to 3600" clean "$P" serve --check-config --config "$tmp/value.conf"
expect_contains "bad listen" "$tmp/value.conf:2: listen: 'localhost:80' is not ADDR:PORT" clean "$P" serve --check-config --config "$tmp/value.conf"
expect_contains "every mistake at once" "not valid (2 problems)" clean "$P" serve --check-config --config "$tmp/value.conf"
expect_status "serve itself refuses it" 2 clean "$P" serve --config "$tmp/value.conf" --data "$tmp/never"
expect_output "before creating anything" "absent" bash -c '[ -e "$0" ] && echo present || echo absent' "$tmp/never"
bad open 'smtp_user = u\nsmtp_password = hunter2\n'
chmod 644 "$tmp/open.conf"
expect_contains "a password in a world-readable file" "$tmp/open.conf:2: smtp_password: the file is readable by every user" clean "$P" serve --check-config --config "$tmp/open.conf"
expect_status "a missing --config file" 2 clean "$P" serve --check-config --config "$tmp/missing.conf"
mkdir -p "$tmp/own"
bad own/padron 'data = /elsewhere\n'
expect_contains "the data directory's file cannot move it" "data: cannot be set in the data directory's own padron.conf" clean "$P" serve --check-config --data "$tmp/own"
expect_status "bad environment" 2 clean PADRON_SMTP_TLS=maybe "$P" serve --check-config --data "$tmp/new"
expect_contains "bad environment: named" "PADRON_SMTP_TLS: 'maybe' is not one of try, require, none" clean PADRON_SMTP_TLS=maybe "$P" serve --check-config --data "$tmp/new"
mkdir -p "$tmp/keyed/keys"
printf '%032d' 0 >"$tmp/keyed/keys/codes.key"
chmod 644 "$tmp/keyed/keys/codes.key"
expect_status "a key others can read" 2 clean "$P" serve --check-config --data "$tmp/keyed"
expect_contains "is refused as serve would" "key file permissions 0644 are wider than 0600" clean "$P" serve --check-config --data "$tmp/keyed"
chmod 600 "$tmp/keyed/keys/codes.key"
expect_contains "a good key is accepted" "ok: key $tmp/keyed/keys/codes.key"$'\n' clean "$P" serve --check-config --data "$tmp/keyed"

# ---- --dev ----
expect_status "dev: loopback only" 2 clean "$P" serve --dev --check-config --listen 0.0.0.0:0 --data "$tmp/new"
expect_contains "dev: says why" "--dev: listen 0.0.0.0:0 (--listen) is not a loopback address" clean "$P" serve --dev --check-config --listen 0.0.0.0:0 --data "$tmp/new"
expect_contains "dev: SMTP is not used" "--dev delivers to the Maildir; smtp_url smtp://127.0.0.1:1 is not used" \
    clean PADRON_SMTP_URL=smtp://127.0.0.1:1 "$P" serve --dev --check-config --data "$tmp/new"
dev_start() { # data [env...]: like serve_start, with --dev
    local data=$1
    shift
    # env itself in the background, not the clean function: pid must be the server's
    "${clean_env[@]}" "$@" "$P" serve --dev --listen 127.0.0.1:0 --data "$data" >"$tmp/out" 2>&1 &
    pid=$!
    for _ in $(seq 1200); do grep -q 'open http' "$tmp/out" && break; sleep 0.05; done
    base=$(grep -o 'http://[^ ]*' "$tmp/out")
}
dev_start "$tmp/dev" PADRON_SMTP_URL=smtp://127.0.0.1:1
expect_contains "dev: a warning line at start" "padron: warning: development mode (--dev) is on" cat "$tmp/out"
expect_contains "dev: mail into the Maildir whatever the settings" "mail is delivered to the Maildir $tmp/dev/mail" cat "$tmp/out"
expect_output "dev: serves" "ok" curl -sf "${base}healthz"
serve_stop

# ---- a running server takes its settings from the file ----
serve_start "$tmp/var"
expect_contains "the option beats the file's listen" "http://127.0.0.1:" echo "$base"
expect_contains "says where the configuration came from" "configuration from $tmp/var/padron.conf" cat "$tmp/out"
expect_contains "secure_cookies from the file" "; Secure" curl -si "${base}?lang=en"
serve_stop

# ---- X-Forwarded-For and the limit of 30 new applications an hour per address ----
starts() { # n xff [curl args...]: n new applications with that X-Forwarded-For; prints the last status
    local n=$1 xff=$2 s
    shift 2
    for _ in $(seq "$n"); do
        s=$(code -X POST -H 'Content-Type: application/json' -H "X-Forwarded-For: $xff" "$@" \
            -d '{"curp":"GODE561231MHGMZM07"}' "${base}api/v1/registrations")
    done
    echo "$s"
}
serve_start "$tmp/plain"
expect_output "no trusted proxy: the 30th is accepted" "201" starts 30 198.51.100.1
expect_output "a forged header does not escape the limit" "429" starts 1 198.51.100.2
serve_stop

mkdir -p "$tmp/proxied"
printf 'trusted_proxies = 127.0.0.1, ::1\n' >"$tmp/proxied/padron.conf"
serve_start "$tmp/proxied"
expect_contains "says whom it believes" "X-Forwarded-For is believed from 127.0.0.1, ::1" cat "$tmp/out"
expect_output "behind the proxy: the 30th from one client" "201" starts 30 198.51.100.1
expect_output "its 31st is refused" "429" starts 1 198.51.100.1
expect_output "another client is not" "201" starts 1 198.51.100.2
expect_output "what a client writes on the left is ignored" "429" starts 1 "203.0.113.5, 198.51.100.1"
expect_output "a port after the address is the same client" "429" starts 1 "198.51.100.1:4321"
expect_output "several headers are read in order" "429" starts 1 203.0.113.5 -H "X-Forwarded-For: 198.51.100.1"
long=$(printf '203.0.113.%d, ' $(seq 250))
expect_output "a long forged prefix is cut, the tail kept" "429" starts 1 "${long}198.51.100.1"
expect_output "and the client behind it still has its own allowance" "201" starts 1 "${long}198.51.100.3"
# An IPv6 subscriber holds a whole /64: its addresses share one allowance.
expect_output "IPv6: the 30th from one /64" "201" starts 30 2001:db8:1:2::1
expect_output "another address of the same /64 is the same client" "429" starts 1 2001:db8:1:2:ffff::9
expect_output "another /64 is not" "201" starts 1 2001:db8:1:3::1
serve_stop

finish config
