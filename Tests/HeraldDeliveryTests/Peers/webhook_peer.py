"""A webhook receiver that verifies every delivery with the standardwebhooks library.

Usage: webhook_peer.py --port PORT --dir DIR --secret whsec_...

POST /hook            verify; record {verified, error, body, headers}; 204 if verified, 401 if not
POST /status/<code>   record and answer <code> (?retry_after=N adds a Retry-After header)
POST /slow            sleep 3 s, then 204 (for client timeouts)
"""
import argparse
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from standardwebhooks.webhooks import Webhook

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import exit_with_parent, write_record  # noqa: E402


def make_handler(directory, secret):
    webhook = Webhook(secret)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            url = urlparse(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            record = {"path": url.path, "body": body.decode(), "headers": headers}
            try:
                webhook.verify(body, headers)
                record["verified"] = True
            except Exception as error:  # noqa: BLE001 - any failure is a failed verification
                record["verified"] = False
                record["error"] = str(error)
            write_record(directory, record)
            if url.path == "/hook":
                self.answer(204 if record["verified"] else 401)
            elif url.path.startswith("/status/"):
                extra = []
                retry = parse_qs(url.query).get("retry_after")
                if retry:
                    extra.append(("Retry-After", retry[0]))
                self.answer(int(url.path.rsplit("/", 1)[1]), extra)
            elif url.path == "/slow":
                time.sleep(3)
                self.answer(204)
            else:
                self.answer(404)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    exit_with_parent()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.dir, args.secret))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
