"""Parses an RFC 5322 message with Python's standard email package and describes it as JSON.

Used by the Swift tests (directly on outbox .eml files, and by smtp_peer.py on received mail) so
assertions are made on what an independent parser understood, not on Herald's own output.
"""
import email
import email.utils
import json
import sys
from email import policy


def describe(data: bytes) -> dict:
    msg = email.message_from_bytes(data, policy=policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "body": part.get_content(),
        })
    lines = data.split(b"\r\n")
    try:
        date_ok = email.utils.parsedate_to_datetime(str(msg["Date"])) is not None
    except Exception:
        date_ok = False
    return {
        "subject": str(msg["Subject"]) if msg["Subject"] is not None else None,
        "from": str(msg["From"]),
        "from_address": email.utils.parseaddr(str(msg["From"]))[1],
        "from_name": msg["From"].addresses[0].display_name if msg["From"] is not None else None,
        "to": str(msg["To"]),
        "message_id": str(msg["Message-ID"]),
        "date": str(msg["Date"]),
        "date_parsed": date_ok,
        "content_type": msg.get_content_type(),
        "headers": {name.lower(): str(value) for name, value in msg.items()},
        "parts": parts,
        "defects": [str(d) for d in msg.defects] + [str(d) for p in msg.walk() for d in p.defects],
        "max_line_length": max(len(line) for line in lines),
        "bare_line_feeds": data.replace(b"\r\n", b"").count(b"\n"),
        "ends_with_crlf": data.endswith(b"\r\n"),
    }


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        print(json.dumps(describe(handle.read())))
