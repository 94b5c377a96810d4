/// The Python source of a webhook receiver for fleet tests, written to a temporary file at run time
/// (the integration test target declares no resources). It verifies every request with the
/// standardwebhooks library and records `{path, method, attempt, answered, verified, receivedAt, headers, body}`
/// (`receivedAt`: Unix seconds when the request arrived).
///
/// - `POST /hook`: 204 when verified, else 401 (`PUT`, `PATCH` and `DELETE` are answered like `POST`).
/// - `POST /flaky/<n>[?retry_after=S]`: the first `n` attempts of each `webhook-id` get 503 (with
///   Retry-After when asked), later ones are answered like `/hook`.
/// - `POST /status/<code>[?retry_after=S]`: always `code`.
/// - `POST /gate/<name>`: writes `arrived-<webhook-id>` in the directory, then holds the request
///   until a file `open-<name>` exists there, then answers like `/hook`.
enum FlakyWebhookPeer {
    static func source(peersDirectory: String) -> String {
        """
        import argparse, os, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlparse
        sys.path.insert(0, \(String(reflecting: peersDirectory)))
        from peer_common import exit_with_parent, write_record
        from standardwebhooks.webhooks import Webhook

        attempts = {}
        lock = threading.Lock()

        def make_handler(directory, secret):
            webhook = Webhook(secret)

            class Handler(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def log_message(self, *args):
                    pass

                def do_POST(self):
                    received_at = time.time()
                    url = urlparse(self.path)
                    query = parse_qs(url.query)
                    body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    try:
                        webhook.verify(body, headers)
                        verified = True
                    except Exception:
                        verified = False
                    if url.path.startswith("/gate/"):
                        name = url.path.rsplit("/", 1)[1]
                        open(os.path.join(directory, "arrived-" + headers.get("webhook-id", "").replace("/", "_")), "w").close()
                        while not os.path.exists(os.path.join(directory, "open-" + name)):
                            time.sleep(0.02)
                    key = (url.path, headers.get("webhook-id", ""))
                    with lock:
                        attempts[key] = attempts.get(key, 0) + 1
                        attempt = attempts[key]
                    extra = []
                    if url.path.startswith("/flaky/") and attempt <= int(url.path.rsplit("/", 1)[1]):
                        status = 503
                    elif url.path.startswith("/status/"):
                        status = int(url.path.rsplit("/", 1)[1])
                    else:
                        status = 204 if verified else 401
                    if status in (429, 503) and "retry_after" in query:
                        extra.append(("Retry-After", query["retry_after"][0]))
                    write_record(directory, {"path": url.path, "method": self.command, "attempt": attempt, "answered": status, "verified": verified,
                                             "receivedAt": received_at, "headers": headers, "body": body.decode()})
                    self.send_response(status)
                    for name, value in extra:
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

                # A journey's callWebhook step may use these too; they are answered alike.
                do_PUT = do_POST
                do_PATCH = do_POST
                do_DELETE = do_POST

            return Handler

        parser = argparse.ArgumentParser()
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--dir", required=True)
        parser.add_argument("--secret", required=True)
        args = parser.parse_args()
        exit_with_parent()
        server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.dir, args.secret))
        server.daemon_threads = True
        server.serve_forever()
        """
    }
}
