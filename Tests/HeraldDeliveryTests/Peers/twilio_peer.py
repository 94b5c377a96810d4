"""A stand-in for Twilio's Messages API that checks what Herald sends.

Usage: twilio_peer.py --port PORT --dir DIR --account AC... --token TOKEN

POST /2010-04-01/Accounts/<AccountSid>/Messages.json with HTTP Basic auth (AccountSid:token) and a
form body. Every request is recorded ({path, auth_ok, form, content_type}). Twilio-shaped answers:
401/20003 for bad auth, 400/21211 for To=+15005550001 (Twilio's "invalid number" test number),
400/21604 for a missing To, 429/20429 with Retry-After for +15005550429, 503 for +15005550503,
otherwise 201 with a message resource.
"""
import argparse
import base64
import json
import os
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import exit_with_parent, write_record  # noqa: E402


def make_handler(directory, account, token):
    expected_auth = "Basic " + base64.b64encode(("%s:%s" % (account, token)).encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, payload, headers=()):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, code, message, headers=()):
            self.answer(status, {"code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                                 "status": status}, headers)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            form = {name: values[0] for name, values in parse_qs(body, keep_blank_values=True).items()}
            auth_ok = self.headers.get("Authorization") == expected_auth
            write_record(directory, {"path": self.path, "auth_ok": auth_ok, "form": form, "raw": body,
                                     "content_type": self.headers.get("Content-Type")})
            if self.path != "/2010-04-01/Accounts/%s/Messages.json" % account:
                return self.error(404, 20404, "The requested resource was not found")
            if not auth_ok:
                return self.error(401, 20003, "Authenticate")
            to = form.get("To", "")
            if not to:
                return self.error(400, 21604, "A 'To' phone number is required.")
            number = to.split(":", 1)[-1]
            if number == "+15005550001":
                return self.error(400, 21211, "The 'To' number %s is not a valid phone number." % to)
            if number == "+15005550429":
                return self.error(429, 20429, "Too Many Requests", [("Retry-After", "3")])
            if number == "+15005550503":
                return self.error(503, 20503, "Service Unavailable")
            self.answer(201, {
                "sid": "SM" + uuid.uuid4().hex, "account_sid": account, "to": to, "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"), "body": form.get("Body"),
                "status": "queued", "num_segments": "1", "direction": "outbound-api",
            })

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    exit_with_parent()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.dir, args.account, args.token))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
