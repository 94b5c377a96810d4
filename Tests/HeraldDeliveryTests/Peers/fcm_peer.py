"""A stand-in for Google's OAuth token endpoint and FCM's HTTP v1 send endpoint.

Usage: fcm_peer.py --port PORT --dir DIR --public-key PEM --client-email EMAIL --project ID [--expires-in N]

POST /token      verifies the RS256 JWT assertion with PyJWT and the public key (iss, aud, scope,
                 iat/exp), then issues a random access token
POST /v1/projects/<ID>/messages:send
                 requires a bearer token this peer issued; token "unregistered-token" gets 404
                 UNREGISTERED, "busy-token" 503 with Retry-After, anything else 200 {name}
Every request is recorded as JSON.
"""
import argparse
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import exit_with_parent, write_record  # noqa: E402


def make_handler(args, public_key):
    issued = set()
    lock = threading.Lock()
    token_uri = "http://127.0.0.1:%d/token" % args.port

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
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

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            if self.path == "/token":
                return self.token(body)
            if self.path == "/v1/projects/%s/messages:send" % args.project:
                return self.send_message(body)
            write_record(args.dir, {"kind": "unknown", "path": self.path})
            self.answer(404, {"error": {"code": 404, "status": "NOT_FOUND"}})

        def token(self, body):
            form = {k: v[0] for k, v in parse_qs(body).items()}
            record = {"kind": "token", "grant_type": form.get("grant_type")}
            try:
                header = jwt.get_unverified_header(form.get("assertion", ""))
                claims = jwt.decode(form.get("assertion", ""), public_key, algorithms=["RS256"], audience=token_uri,
                                    issuer=args.client_email, options={"require": ["iat", "exp", "iss", "aud"]})
                assert header.get("alg") == "RS256", "alg"
                assert claims.get("scope") == "https://www.googleapis.com/auth/firebase.messaging", "scope"
                assert abs(claims["iat"] - time.time()) < 300, "iat"
                assert claims["exp"] - claims["iat"] <= 3600, "lifetime"
                assert form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer", "grant_type"
                record["verified"] = True
            except Exception as error:  # noqa: BLE001 - any failure is a rejected assertion
                record["verified"] = False
                record["error"] = "%s: %s" % (type(error).__name__, error)
                write_record(args.dir, record)
                return self.answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
            token = "ya29." + uuid.uuid4().hex
            with lock:
                issued.add(token)
            record["access_token"] = token
            write_record(args.dir, record)
            self.answer(200, {"access_token": token, "expires_in": args.expires_in, "token_type": "Bearer"})

        def send_message(self, body):
            auth = self.headers.get("Authorization", "")
            with lock:
                authorized = auth.startswith("Bearer ") and auth[7:] in issued
            message = json.loads(body)
            write_record(args.dir, {"kind": "send", "authorized": authorized, "access_token": auth[7:], "body": message})
            if not authorized:
                return self.answer(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                                   "status": "UNAUTHENTICATED"}})
            device = message["message"].get("token")
            if device == "unregistered-token":
                return self.answer(404, {"error": {"code": 404, "message": "Requested entity was not found.",
                                                   "status": "NOT_FOUND", "details": [{
                                                       "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                                       "errorCode": "UNREGISTERED"}]}})
            if device == "busy-token":
                return self.answer(503, {"error": {"code": 503, "status": "UNAVAILABLE"}}, [("Retry-After", "11")])
            self.answer(200, {"name": "projects/%s/messages/0:%s" % (args.project, uuid.uuid4().hex)})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--public-key", required=True)
    parser.add_argument("--client-email", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--expires-in", type=int, default=3600)
    args = parser.parse_args()
    exit_with_parent()
    with open(args.public_key) as handle:
        public_key = handle.read()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args, public_key))
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
