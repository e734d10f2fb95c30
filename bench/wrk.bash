# bench/wrk.bash: helpers shared by the benchmarks that start servers and load them with
# wrk (bench/registration, bench/api-load). Source it after `set -euo pipefail` and
# `cd` to the repository. It makes $tmp (a temporary directory) and the array pids:
# every process added to pids is killed and waited for on exit, then $tmp is removed.

tmp=$(mktemp -d)
pids=()
bench_cleanup() {
    local p
    for p in "${pids[@]+"${pids[@]}"}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]+"${pids[@]}"}"; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# median: the median of the numbers on stdin, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.6g\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wmed "A B C ": the median of a space-separated list.
wmed() { tr ' ' '\n' <<<"$1" | grep . | median; }

# cpu_seconds PID: user + system CPU seconds of PID so far, all threads.
cpu_seconds() {
    awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' "/proc/$1/stat"
}

# wrk_ms FILE PCT: the PCT% latency of a wrk --latency output, in ms.
wrk_ms() {
    awk -v p="$2%" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        printf "%.3f", v * (u == "us" ? 0.001 : u == "ms" ? 1 : u == "s" ? 1000 : u == "m" ? 60000 : 0)
    }' "$1"
}

# free_port: a TCP port on 127.0.0.1 free a moment ago.
free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx_common_conf DIR: the lines of an nginx.conf that run it without root and without a
# daemon, one worker, its pid, logs and temp files in DIR, access log off; the caller
# appends its server blocks and the closing brace of http.
nginx_common_conf() {
    local dir=$1 user_line=""
    [ "$(id -u)" -eq 0 ] && user_line="user $(id -un);" # else nginx runs as the current user anyway
    cat <<EOF
worker_processes 1;
daemon off;
$user_line
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
EOF
}
