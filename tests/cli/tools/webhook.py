#!/usr/bin/env python3
"""A stand-in SMS gateway for the tests: accepts POSTs on 127.0.0.1 (a free port,
written to PORTFILE), keeps each body as OUTDIR/N.json and its Authorization
header as OUTDIR/N.auth, and answers 500 to the first FAIL requests (default 0),
then 202. Standard library only."""
import http.server
import os
import sys


def main():
    portfile, outdir = sys.argv[1], sys.argv[2]
    fail = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    count = [0]

    class Gateway(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            count[0] += 1
            n = count[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with open(os.path.join(outdir, "%d.json" % n), "wb") as f:
                f.write(body)
            with open(os.path.join(outdir, "%d.auth" % n), "w") as f:
                f.write(self.headers.get("Authorization", ""))
            self.send_response(500 if n <= fail else 202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Gateway)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_port))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
