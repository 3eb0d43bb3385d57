"""A real SMTP server on loopback that can misbehave, for the campaign tests (Debian's python3-aiosmtpd).

Usage: python3 smtp_faults.py PORT FOLDER [RULES.json]. Prints "ready" once it accepts connections;
appends one line per accepted message to FOLDER/received.log: the recipient, a tab, the Message-ID.
Light on purpose (no parsing, no file per message), so thousands of messages go through quickly.
It stops when its standard input closes.

Rules (all optional), by recipient address:
  "reject":        answer 550 at RCPT, every time (a permanent failure)
  "tempfail_once": answer 451 at RCPT the first time, accept later (a temporary failure)
  "drop_once":     drop the connection after DATA the first time, accept later (connection loss)
  "reject_all":    true: answer 550 to every recipient
  "pipelining":    true: list PIPELINING (RFC 2920) in the EHLO reply; aiosmtpd reads pipelined
                   commands in order either way, but lists it only when told
"""

import json
import pathlib
import sys

from aiosmtpd.controller import Controller


class Faults:
    def __init__(self, folder, rules):
        self.log = open(folder / "received.log", "a", encoding="utf-8", buffering=1)
        self.reject = set(rules.get("reject", []))
        self.tempfail = set(rules.get("tempfail_once", []))
        self.drop = set(rules.get("drop_once", []))
        self.reject_all = bool(rules.get("reject_all", False))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_all or address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.tempfail:
            self.tempfail.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.drop:
                self.drop.discard(address)
                server.transport.close()
                return "421 4.4.2 connection dropped"
        message_id = ""
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode("ascii", "replace")
                break
            if not line:
                break
        for address in envelope.rcpt_tos:
            self.log.write(f"{address}\t{message_id}\n")
        return "250 Message accepted for delivery"


class PipeliningFaults(Faults):
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING"] + responses[-1:]


def main():
    port = int(sys.argv[1])
    folder = pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    rules = json.loads(pathlib.Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else {}
    handler = (PipeliningFaults if rules.get("pipelining") else Faults)(folder, rules)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
