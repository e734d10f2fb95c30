#!/usr/bin/env python3
"""Starts drafts (POST /api/v1/registrations) from THREADS threads for SECONDS
seconds against BASE, each from its own made-up client address (the server
trusts 127.0.0.1's X-Forwarded-For), and prints one line per answer:

    SECONDS_SINCE_START STATUS RETRY_AFTER ID

(RETRY_AFTER and ID are "-" when absent; STATUS is "error" when no HTTP answer
came). Used by tests/cli/db_restart.sh to watch a database restart under load."""
import http.client
import json
import sys
import threading
import time

base, curp, threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
host, port = base.split("//", 1)[1].rstrip("/").split(":")
start = time.monotonic()
lock = threading.Lock()
lines = []


def worker(n):
    i = 0
    while time.monotonic() - start < seconds:
        i += 1
        client = f"10.{n}.{(i >> 8) & 255}.{i & 255}"
        status, retry, rid = "error", "-", "-"
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request("POST", "/api/v1/registrations", json.dumps({"curp": curp}),
                         {"Content-Type": "application/json", "X-Forwarded-For": client})
            r = conn.getresponse()
            body = r.read()
            status, retry = str(r.status), r.getheader("Retry-After") or "-"
            if r.status == 201:
                rid = json.loads(body)["id"]
            conn.close()
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            pass
        with lock:
            lines.append(f"{time.monotonic() - start:.3f} {status} {retry} {rid}")


pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
print("\n".join(lines))
