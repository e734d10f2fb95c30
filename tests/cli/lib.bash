# Shared helpers for tests/cli/*.sh: source it, call the checks, end with `finish NAME`.
# Each check runs a command and compares its stdout (or status) with what is expected.
passed=0
failed=0

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
