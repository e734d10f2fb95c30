# Shared helpers for tests/cli/*.sh: source it, call the checks, end with `finish NAME`.
# Each check runs a command and compares its stdout (or status) with what is expected.
passed=0
failed=0

# Tests book slots of today and check people in today: they need daytime, whatever the
# hour CI runs at. The tests and their servers run in a fixed-offset zone where it is
# now about noon; the calendar date is the UTC one (the offset only moves toward noon).
TZ="PDR$((10#$(date -u +%H) - 12))"
export TZ

# A scratch directory per test, removed at exit together with any server started
# by serve_start. A test that needs more cleaning sets its own trap.
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# serve_start DATA [NAME=VALUE...]: starts an isolated `padron serve` on a free port
# with its state in DATA, the environment given, and its output in $tmp/out; sets
# pid, and base to the URL it prints (http://127.0.0.1:PORT/). The server of an
# earlier serve_start still in pid is stopped first (a restart); a test that wants
# two at once keeps the first one's pid elsewhere and clears pid (instances.sh).
serve_start() {
    local data=$1
    shift
    serve_stop
    # A new file, not the old one truncated: a process of the previous server still
    # holding the old file (its signer process, say) must not write into this one.
    [ -e "$tmp/out" ] && mv -f "$tmp/out" "$tmp/out.previous"
    env "$@" "$PADRON" serve --listen 127.0.0.1:0 --data "$data" >"$tmp/out" 2>&1 &
    pid=$!
    for _ in $(seq 1200); do grep -qa 'open http' "$tmp/out" && break; sleep 0.05; done
    base=$(grep -ao 'http://[^ ]*' "$tmp/out" | head -1)
    [ -n "$base" ] || { echo "serve_start: no address within 60 s; the server said:" >&2; cat "$tmp/out" >&2; }
}

# serve_stop: stops the server started last (SIGTERM) and waits for it.
serve_stop() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    pid=""
}

# expect_output NAME EXPECTED CMD...: stdout of CMD must equal EXPECTED exactly.
expect_output() {
    local name=$1 expected=$2 actual
    shift 2
    actual=$("$@" 2>/dev/null)
    if [ "$actual" == "$expected" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s\n  command:  %s\n  expected: %s\n  actual:   %s\n' "$name" "$*" "$expected" "$actual"
    fi
}

# expect_contains NAME SUBSTRING CMD...: stdout+stderr of CMD must contain SUBSTRING.
expect_contains() {
    local name=$1 needle=$2 actual
    shift 2
    actual=$("$@" 2>&1)
    if [[ "$actual" == *"$needle"* ]]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s\n  command:  %s\n  wanted:   %s\n  output:   %s\n' "$name" "$*" "$needle" "$actual"
    fi
}

# expect_status NAME STATUS CMD...: CMD must exit with STATUS.
expect_status() {
    local name=$1 want=$2 got
    shift 2
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s\n  command: %s\n  exit %s, expected %s\n' "$name" "$*" "$got" "$want"
    fi
}

finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# newest_mail DATA EMAIL [TEXT]: prints the newest message in DATA/mail/new addressed
# to EMAIL (and holding TEXT), waiting up to a minute for it: a loaded machine
# (sanitizers, parallel jobs) is slow. Returns 1 when none came.
newest_mail() {
    local dir=$1/mail/new to=$2 text=${3:-} file
    for _ in $(seq 600); do
        file=$(grep -l "^To: $to" "$dir"/* 2>/dev/null | xargs -r grep -l -- "$text" | xargs -r ls -t | head -1)
        [ -n "$file" ] && { echo "$file"; return 0; }
        sleep 0.1
    done
    return 1
}

# mail_code DATA EMAIL [TEXT]: the 6-digit code of that newest message.
mail_code() {
    local file
    file=$(newest_mail "$@") || return 1
    grep -hoE '^    [0-9]{6}' "$file" | tr -d ' '
}

cli_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export cli_dir

# sql DIR QUERY [SEPARATOR]: runs QUERY on the database of data directory DIR and
# prints the rows, columns joined by SEPARATOR ("|" unless given): DIR/padron.db,
# or, when the suite runs on PostgreSQL (tests/cli/run --postgresql), the database
# tests/cli/pg-padron gave DIR. Write QUERY in SQL both databases accept.
sql() {
    local sep=${3:-|}
    if [ -n "${PGTEST_URL:-}" ]; then
        psql -X -q -At -F "$sep" "$("$cli_dir/pg-padron" --database-of "$1")" -c "$2"
    else
        sqlite3 -separator "$sep" "$1/padron.db" "$2"
    fi
}
export -f sql

# dump_db DIR: the whole database of data directory DIR as text (SQL).
dump_db() {
    if [ -n "${PGTEST_URL:-}" ]; then
        pg_dump "$("$cli_dir/pg-padron" --database-of "$1")"
    else
        sqlite3 "$1/padron.db" .dump
    fi
}
export -f dump_db

# postgresql_only NAME WHY: ends a test that needs the PostgreSQL server of
# tests/cli/run --postgresql itself (PGTEST_DIR: to halt and resume it).
postgresql_only() {
    if [ -z "${PGTEST_DIR:-}" ]; then
        echo "$1: skipped without tests/cli/run --postgresql ($2)"
        exit 0
    fi
}

# sqlite_only NAME WHY: ends a test that reads or edits the SQLite file itself
# (tampering, integrity checks, query plans) when the suite runs on PostgreSQL.
sqlite_only() {
    if [ -n "${PGTEST_URL:-}" ]; then
        echo "$1: skipped on PostgreSQL ($2)"
        exit 0
    fi
}
