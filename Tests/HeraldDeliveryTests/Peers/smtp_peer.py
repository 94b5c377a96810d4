"""A real SMTP server (aiosmtpd) for the SMTPEmailProvider tests.

Usage: smtp_peer.py --port PORT --dir DIR [--auth USER:PASSWORD] [--starttls CERT KEY]

Every accepted message is described with eml_json.describe (plus the envelope and the AUTH login)
and written atomically to DIR/<n>.json. Recipients whose local part starts with "reject" get
550 at RCPT TO, "tempfail" gets 451.
"""
import argparse
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eml_json import describe  # noqa: E402
from peer_common import exit_with_parent, write_record  # noqa: E402


class Handler:
    def __init__(self, directory):
        self.directory = directory

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("tempfail"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = describe(envelope.original_content or envelope.content)
        record["mail_from"] = envelope.mail_from
        record["rcpt_tos"] = list(envelope.rcpt_tos)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        record["auth_login"] = login
        record["tls"] = session.ssl is not None
        write_record(self.directory, record)
        return "250 2.0.0 Message accepted"


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)
        options.update(authenticator=Authenticator(user, password), auth_required=True)
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    else:
        options.update(auth_require_tls=False)
    controller = Controller(Handler(args.dir), hostname="127.0.0.1", port=args.port, **options)
    exit_with_parent()
    controller.start()
    while True:
        time.sleep(3600)

if __name__ == "__main__":
    main()
