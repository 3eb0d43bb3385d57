#!/usr/bin/env python3
"""`make bench`: every hot path of BreachDesk beside a peer doing the same work in the same run.

Builds nothing itself (the Makefile builds the release binary first). Generates its data in a
temporary folder, runs each task at least three times, takes the median, prints one table and
writes it with the machine and the date to docs/BENCHMARKS.md. Never part of `make test`.
"""

import gzip
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from calls import bench_calls
from email_bench import bench_email
from status import bench_status

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ["BREACHDESK_BIN"])
SITE_ROOT = Path(os.environ["LEPTOS_SITE_ROOT"])
PYTHON_PEER = os.environ.get("BENCH_PYTHON", sys.executable)
FONT = ROOT / "public" / "fonts" / "ipaexm.ttf"
RUNS = 3
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))


def run_timed(args, env=None):
    """Runs a command under GNU time; returns (seconds, peak resident kB of that process, stdout)."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        process = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *map(str, args)], env=env,
                                 capture_output=True)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(map(str, args))} failed:\n{process.stderr.decode(errors='replace')}")
        peak_kb = int(report.read().strip().splitlines()[-1])
    return seconds, peak_kb, process.stdout.decode(errors="replace")


def median(values):
    return statistics.median(values)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, task, ours, peer, ratio, target, met):
        verdict = "met" if met is True else ("**missed**" if met is False else "—")
        self.rows.append((task, ours, peer, ratio, target, verdict))
        print(f"  {task}: {ours} | peer {peer} | {ratio} | target {target} | {verdict}", flush=True)

    def markdown(self):
        lines = [
            "| task | BreachDesk | peer (same input, same run) | ratio | target | |",
            "|---|---|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def bench_import(work, table):
    csv_file = work / "customers.csv"
    subprocess.run([BIN, "demo-data", "--count", str(IMPORT_ROWS), "--out", csv_file], check=True,
                   stdout=subprocess.DEVNULL)
    ours, peaks, peers = [], [], []
    for run in range(RUNS):
        database = work / f"import-{run}.db"
        env = dict(os.environ, DATABASE_URL=f"sqlite://{database}", BREACHDESK_DATA_DIR=str(work / f"data-{run}"))
        seconds, peak, _ = run_timed([BIN, "import", "customers", csv_file], env=env)
        ours.append(seconds)
        peaks.append(peak)
        bare = work / f"bare-{run}.db"
        seconds, _, _ = run_timed(["sqlite3", bare, ".mode csv", f".import {csv_file} customers"])
        peers.append(seconds)
    ratio = median(ours) / median(peers)
    table.add(f"import {IMPORT_ROWS:,} customer rows (UTF-8 CSV), fresh database",
              f"{median(ours):.1f} s ({IMPORT_ROWS / median(ours):,.0f} rows/s)",
              f"sqlite3 `.import` into a bare table: {median(peers):.1f} s",
              f"{ratio:.2f} ×", "≤ 2.5 × the peer", ratio <= 2.5)
    peak_mb = max(peaks) / 1024
    table.add(f"peak memory of the {IMPORT_ROWS:,}-row import", f"{peak_mb:.0f} MB", "—", "—", "< 500 MB",
              peak_mb < 500)
    return work / "import-0.db"


def bench_letters(work, table):
    database = work / "letters.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{database}", BREACHDESK_DATA_DIR=str(work / "letters-data"))
    subprocess.run([BIN, "demo", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
    ours, sizes, peaks = [], [], []
    for run in range(RUNS):
        out = work / f"letters-{run}.pdf"
        seconds, peak, _ = run_timed([BIN, "letters", "--audience", "all", "--out", out], env=env)
        ours.append(seconds)
        sizes.append(out.stat().st_size)
        peaks.append(peak)
    batch = work / "letters-0.pdf"
    text = subprocess.run(["pdftotext", "-layout", batch, "-"], check=True, capture_output=True).stdout.decode()
    pages = work / "pages.json"
    pages.write_text(json.dumps([page.splitlines() for page in text.split("\f") if page.strip()]))
    peer_times, peer_sizes = [], []
    for run in range(RUNS):
        out = work / f"reportlab-{run}.pdf"
        seconds, _, _ = run_timed([PYTHON_PEER, ROOT / "bench" / "reportlab_peer.py", FONT, pages, out])
        peer_times.append(seconds)
        peer_sizes.append(out.stat().st_size)
    letters = 6860
    ratio = median(ours) / median(peer_times)
    size_ratio = median(sizes) / median(peer_sizes)
    table.add("render 6,860 letters into one batch PDF",
              f"{median(ours):.1f} s ({letters / median(ours):,.0f} letters/s), {median(sizes) / 1e6:.1f} MB "
              f"({median(sizes) / letters / 1024:.1f} KB/letter)",
              f"ReportLab, same text and font: {median(peer_times):.1f} s, {median(peer_sizes) / 1e6:.1f} MB",
              f"time {ratio:.2f} ×, size {size_ratio:.2f} ×", "faster than the peer; file no larger",
              ratio < 1 and size_ratio <= 1)
    table.add("peak memory of the 6,860-letter batch", f"{max(peaks) / 1024:.0f} MB", "—", "—", "< 500 MB",
              max(peaks) / 1024 < 500)


def bench_bundle(table):
    """What a first visit downloads, measured in Chromium with an empty cache: the bytes on the wire
    (the server sends the build's precompressed files) and the same files at gzip -9, the target's unit."""
    pages = ["/calls", "/status"]
    output = subprocess.run(["node", str(Path(__file__).parent / "page_load.mjs"), *pages * RUNS],
                            capture_output=True, text=True, check=True, cwd=Path(__file__).parent).stdout
    loads = [json.loads(line) for line in output.splitlines()]
    for page in pages:
        runs = [load for load in loads if load["path"] == page]
        fetched = sorted(set(runs[0]["assets"]))
        gzip_kb = sum(len(gzip.compress((SITE_ROOT / path.lstrip("/")).read_bytes(), 9)) for path in fetched) / 1024
        wire_kb = median([load["transferredBytes"] for load in runs]) / 1024
        ready_ms = median([load["readyMs"] for load in runs])
        ready = "hydrated" if runs[0]["hydrates"] else "loaded (not hydrated)"
        table.add(f"first load of the {page} page, empty cache: wasm + JS + CSS", f"{gzip_kb:,.0f} KB at gzip -9; "
                  f"{wire_kb:,.0f} KB over the wire; {ready} in {ready_ms:,.0f} ms", "—", "—", "< 600 KB gzip",
                  gzip_kb < 600)


def main():
    table = Table()
    work = Path(tempfile.mkdtemp(prefix="breachdesk-bench-"))
    try:
        print(f"benchmarks in {work}, median of {RUNS} runs each", flush=True)
        bench_import(work, table)
        bench_letters(work, table)
        bench_calls(work, table, BIN)
        bench_email(work, table, BIN)
        bench_status(work, table, BIN)
        bench_bundle(table)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    header = (f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
              f"{memory_kb / 1024 / 1024:.0f} GB memory, release build. Each figure is the median of {RUNS} runs "
              f"(searches and load tests: percentiles over all requests). Written by `make bench`.")
    document = f"# Benchmarks\n\n{header}\n\n{table.markdown()}\n"
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "BENCHMARKS.md").write_text(document)
    print()
    print(document)


if __name__ == "__main__":
    main()
