"""A real SMTP server on loopback for the integration tests (Debian's python3-aiosmtpd).

Usage: python3 smtp_sink.py PORT FOLDER. Prints "ready" once it accepts connections, then stores
each message as NNNN.eml (the bytes as received) and NNNN.json (envelope and decoded headers and
parts, read with Python's own email parser so the test does not trust our encoder to decode itself).
It stops when its standard input closes.
"""

import json
import pathlib
import sys
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = self.folder / f"{self.count:04}"
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts[part.get_content_type()] = part.get_content()
        # Headers are decoded with the RFC 2047 decoder proper: the newer parser keeps the folding space
        # between two encoded words of a display name, which RFC 2047 (6.2) says to drop.
        headers = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)

        def header(name):
            value = headers[name]
            return None if value is None else str(make_header(decode_header(value)))

        decoded = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": header("subject"),
            "from": header("from"),
            "reply_to": header("reply-to"),
            "to": header("to"),
            "message_id": str(message["message-id"]),
            "date": str(message["date"]),
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        base.with_suffix(".eml").write_bytes(raw)
        base.with_suffix(".json").write_text(json.dumps(decoded, ensure_ascii=False), encoding="utf-8")
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    folder = pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Store(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
