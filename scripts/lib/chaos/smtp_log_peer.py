"""A real SMTP server (aiosmtpd) for scripts/chaos: accepts every message and appends one line per
accepted DATA to a log file: the time, the X-Herald-Idempotency-Key header and the Message-ID,
tab-separated. The line is written and flushed before the 250 reply, so every message the sender
saw accepted is in the log.

Usage: smtp_log_peer.py --port PORT --log FILE
"""
import argparse
import os
import signal
import threading
import time
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, log):
        self.log = log
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):
        headers = self.parser.parsebytes(envelope.original_content or envelope.content)

        def value(name):
            text = headers.get(name)
            return " ".join(str(text).split()) if text else "-"

        self.log.write("%.6f\t%s\t%s\n" % (time.time(), value("X-Herald-Idempotency-Key"), value("Message-ID")))
        self.log.flush()
        return "250 2.0.0 Message accepted"


def exit_with_parent():
    """Exits on SIGTERM at once, and when the script that started this peer goes away."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    log = open(args.log, "a", encoding="utf-8")
    exit_with_parent()
    controller = Controller(Handler(log), hostname="127.0.0.1", port=args.port, auth_require_tls=False)
    controller.start()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
