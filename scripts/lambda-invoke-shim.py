"""Forwards Lambda Invoke API calls to `cargo lambda watch`, answering function errors the
way AWS Lambda does.

cargo lambda's emulator answers a function error with HTTP 500 and no request id; AWS
answers 200 with `X-Amz-Function-Error: Unhandled` and the error document as the payload.
moto's Step Functions only understands the latter (it turns the former into
`States.Runtime`), so it invokes functions through this shim (MOTO_PORT points here).

usage: python lambda-invoke-shim.py LISTEN_PORT TARGET_PORT
"""

import http.client
import http.server
import sys
import uuid


class Shim(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", TARGET, timeout=900)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        upstream.request("POST", self.path, body=body, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        status = response.status
        function_error = status == 500 and b'"errorType"' in payload
        self.send_response(200 if function_error else status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if function_error:
            self.send_header("X-Amz-Function-Error", "Unhandled")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    LISTEN, TARGET = int(sys.argv[1]), int(sys.argv[2])
    http.server.ThreadingHTTPServer(("127.0.0.1", LISTEN), Shim).serve_forever()
