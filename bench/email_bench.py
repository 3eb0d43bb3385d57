"""Email campaigns: `bench_email(work, table, server_bin)` for bench/run.py.

Postfix's `smtp-sink` (Debian's `postfix` package) listens on loopback and throws every message away.
BreachDesk's release server sends a campaign of 6,860 emails (the demo's customers, each given an
address) to it with no rate limit, through the real worker: claims, rendering, the SMTP connections (src/mail/smtp.rs) and
the outbox bookkeeping; timed from `campaign start` to the campaign's `finished`. Beside it, Postfix's
`smtp-source` pushes the same number of messages of about the same size, over as many parallel
sessions as the campaign's concurrency, to the same sink: the raw SMTP rate of this machine.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import time

MESSAGES = 6_860
# The campaign default, and the mail transport's pool of SMTP connections.
CONCURRENCY = int(os.environ.get("BENCH_EMAIL_CONCURRENCY", "4"))
# About one demo apology email on the wire (text and HTML parts, encoded headers).
MESSAGE_BYTES = 7_000
TARGET_RATE = 1_000


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tool(name):
    return shutil.which(name) or next((path for path in (f"/usr/sbin/{name}", f"/usr/bin/{name}")
                                       if os.path.exists(path)), None)


def _start_sink(port):
    # As root, smtp-sink insists on dropping to another user.
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    sink = subprocess.Popen([_tool("smtp-sink"), *user, "-c", f"127.0.0.1:{port}", "1024"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return sink
        except OSError:
            time.sleep(0.05)
    sink.kill()
    raise SystemExit("smtp-sink did not start")


def _ours(server_bin, work, port):
    """Messages per second and seconds, from `campaign start` to `finished`."""
    data = work / "email-data"
    database = data / "breachdesk.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{database}", BREACHDESK_DATA_DIR=str(data),
               SMTP_URL=f"smtp://127.0.0.1:{port}", RUST_LOG="warn")
    server = subprocess.Popen([str(server_bin), "serve", "--demo", "--listen", "127.0.0.1:0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        while "serving on" not in (line := server.stdout.readline()):
            if not line:
                raise SystemExit("the server did not start for the email benchmark")
        with sqlite3.connect(database) as db:
            db.execute("UPDATE customers SET email = 'customer-' || id || '@example.jp' "
                       "WHERE email IS NULL OR email = ''")
        cli = lambda *args: subprocess.run([str(server_bin), "campaign", *args], env=env, check=True,
                                           capture_output=True, text=True).stdout.strip()
        campaign = cli("create", "--template", "apology-email", "--channel", "email", "--audience", "all",
                       "--concurrency", str(CONCURRENCY))
        started = time.perf_counter()
        cli("start", campaign)
        with sqlite3.connect(database, timeout=30) as db:
            while True:
                (state,) = db.execute("SELECT state FROM campaigns WHERE id = ?", (campaign,)).fetchone()
                if state != "running":
                    break
                time.sleep(0.02)
            seconds = time.perf_counter() - started
            (sent,) = db.execute("SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state = 'sent'",
                                 (campaign,)).fetchone()
        if state != "finished" or sent != MESSAGES:
            raise SystemExit(f"the benchmark campaign ended {state} with {sent} of {MESSAGES} sent")
        return MESSAGES / seconds, seconds
    finally:
        server.kill()
        server.wait()


def _peer(port):
    started = time.perf_counter()
    subprocess.run([_tool("smtp-source"), "-c", "-l", str(MESSAGE_BYTES), "-m", str(MESSAGES), "-s", str(CONCURRENCY),
                    "-f", "noreply@hawaiians-mall.com", "-t", "customer@example.jp", f"127.0.0.1:{port}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return MESSAGES / seconds, seconds


def bench_email(work, table, server_bin):
    task = f"email campaign: {MESSAGES:,} messages to a local SMTP sink, no rate limit"
    if not (_tool("smtp-sink") and _tool("smtp-source")):
        table.add(task, "not measured: Postfix's smtp-sink and smtp-source are missing (Debian `postfix`)",
                  "—", "—", f"≥ {TARGET_RATE:,} msg/s and ≥ ½ the raw tool", None)
        return
    port = _free_port()
    sink = _start_sink(port)
    try:
        rate, seconds = _ours(server_bin, work, port)
        peer_rate, peer_seconds = _peer(port)
    finally:
        sink.kill()
        sink.wait()
    met = rate >= TARGET_RATE and rate >= peer_rate / 2
    table.add(task,
              f"{rate:,.0f} msg/s ({seconds:.1f} s, concurrency {CONCURRENCY})",
              f"Postfix smtp-source, {CONCURRENCY} sessions: {peer_rate:,.0f} msg/s ({peer_seconds:.1f} s)",
              f"{rate / peer_rate:.2f}×",
              f"≥ {TARGET_RATE:,} msg/s and ≥ ½ the raw tool",
              met)


if __name__ == "__main__":
    # Run alone: BREACHDESK_BIN=… python3 bench/email_bench.py
    import tempfile
    from pathlib import Path

    class _Print:
        def add(self, *row):
            print(" | ".join(str(cell) for cell in row))

    with tempfile.TemporaryDirectory() as folder:
        bench_email(Path(folder), _Print(), Path(os.environ["BREACHDESK_BIN"]))
