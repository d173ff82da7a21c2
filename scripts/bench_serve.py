#!/usr/bin/env python3
"""Benchmark `kiosque serve` on a generated corpus: start time, resident memory, and the time
from saving a file to the reload event reaching a browser's event stream.

    scripts/bench_serve.py [--articles 10000] [--edits 30] [--template-edits 5] [--seed 42]

The corpus comes from scripts/gen_corpus.py (kept under target/bench/ and reused, as
scripts/bench.sh does) and is copied to a scratch folder (/dev/shm when there is one) so the
edits never touch it. Each edit is saved the way editors do (write a temporary file, rename it
over the article) and timed from just before the write to the `reload` event read from
/__kiosque/events, as a browser would. The server's own line per rebuild gives the pages
re-rendered and the server-side milliseconds.
"""

import argparse
import hashlib
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REBUILT = re.compile(r"changed: (\d+) rendered, (\d+) files updated in (\d+) ms")


def note(message):
    print(f"bench-serve: {message}", file=sys.stderr, flush=True)


def corpus(n, seed):
    """The corpus folder for n articles, generated unless an identical one exists."""
    generator = REPO / "scripts" / "gen_corpus.py"
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()[:16]
    folder = REPO / "target" / "bench" / f"corpus-{n}-s{seed}"
    stamp = folder / ".corpus-stamp"
    wanted = f"n={n} seed={seed} generator={digest}"
    if stamp.exists() and stamp.read_text().strip() == wanted:
        note(f"reusing corpus {folder}")
    else:
        note(f"generating {n} articles into {folder}")
        subprocess.run(
            [sys.executable, str(generator), "--seed", str(seed), str(n), str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        stamp.write_text(wanted + "\n")
    return folder


class Events:
    """The reload channel, read on a thread: (arrival time, event name) in order."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(
            f"GET /__kiosque/events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
        )
        self.received = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            arrived = time.perf_counter()
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line.startswith(b"event: "):
                    with self.cond:
                        self.received.append((arrived, line[7:].strip().decode()))
                        self.cond.notify_all()

    def wait(self, name, after, timeout=120):
        """Arrival time of the first `name` event after index `after`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for arrived, event in self.received[after:]:
                    if event == name:
                        return arrived
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {name} event within {timeout} s")
                self.cond.wait(left)

    def count(self):
        with self.cond:
            return len(self.received)


def save(path, text):
    """Saves as editors do: a temporary file renamed over the original."""
    temporary = path.with_name(f".{path.name}.kiosque-bench")
    temporary.write_text(text)
    os.replace(temporary, path)


def rss_kib(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_edits(events, lines, edits, label):
    """Runs the edits (callables), each timed to its reload event; returns the rows."""
    rows = []
    for edit in edits:
        time.sleep(0.15)  # each save is its own batch
        before = events.count()
        started = time.perf_counter()
        edit()
        arrived = events.wait("reload", before)
        latency = (arrived - started) * 1000
        server = lines.wait_rebuild()
        rows.append((latency, server))
    latencies = [r[0] for r in rows]
    rendered = [r[1][0] for r in rows]
    server_ms = [r[1][1] for r in rows]
    print(
        f"{label:<16} {len(rows):>5} {statistics.median(latencies):>9.1f} "
        f"{percentile(latencies, 95):>9.1f} {max(latencies):>9.1f} "
        f"{statistics.median(server_ms):>10.0f} {statistics.median(rendered):>9.0f}",
        flush=True,
    )
    return rows


class ServerLines:
    """The server's stdout: one line per rebuild."""

    def __init__(self, stream):
        self.rebuilds = []
        self.cond = threading.Condition()
        self.first = None
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.cond:
                if self.first is None and line.startswith("Serving"):
                    self.first = line
                match = REBUILT.search(line)
                if match:
                    self.rebuilds.append((int(match[1]), int(match[3])))
                self.cond.notify_all()

    def wait_serving(self, timeout=600):
        with self.cond:
            self.cond.wait_for(lambda: self.first is not None, timeout)
            return self.first

    def wait_rebuild(self, timeout=60):
        with self.cond:
            self.cond.wait_for(lambda: self.rebuilds, timeout)
            return self.rebuilds.pop(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--template-edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bin", default=os.environ.get("KIOSQUE_BIN"))
    args = parser.parse_args()
    if args.edits < 1 or args.articles < 2:
        parser.error("at least one edit and two articles")

    binary = args.bin
    if not binary:
        note("cargo build --release")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = str(REPO / "target" / "release" / "kiosque")
    source = corpus(args.articles, args.seed)
    scratch_root = "/dev/shm" if os.path.isdir("/dev/shm") else None
    scratch = Path(tempfile.mkdtemp(prefix="kiosque-bench-serve-", dir=scratch_root))
    try:
        site = scratch / "site"
        site.mkdir()
        shutil.copy(source / "site.toml", site / "site.toml")
        shutil.copytree(source / "content", site / "content")
        # A site override of the article template, to time a template edit.
        (site / "templates").mkdir()
        template = site / "templates" / "article.html"
        shutil.copy(REPO / "themes" / "default" / "templates" / "article.html", template)
        run(binary, site, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(binary, site, args):
    started = time.perf_counter()
    server = subprocess.Popen(
        [binary, "serve", "--root", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = ServerLines(server.stdout)
        serving = lines.wait_serving()
        if not serving:
            raise SystemExit("bench-serve: the server did not start")
        start_ms = (time.perf_counter() - started) * 1000
        url = re.search(r"http://([\d.]+):(\d+)", serving)
        events = Events(url[1], int(url[2]))
        events.wait("hello", 0)
        rss_start = rss_kib(server.pid, "VmRSS")

        articles = sorted((site / "content").rglob("*.md"))
        chosen = random.Random(args.seed).sample(articles, min(args.edits, len(articles)))

        def edit_article(path, n):
            text = path.read_text()
            return lambda: save(path, text.replace("\n---\n", f"\n---\n\nÉdition {n}.\n", 1))

        def edit_template(n):
            text = template_path(site).read_text()
            return lambda: save(template_path(site), text + f"\n{{# édition {n} #}}\n")

        print(
            f"{'edit':<16} {'count':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} "
            f"{'server ms':>10} {'rendered':>9}"
        )
        timed_edits(events, lines, [edit_article(p, i) for i, p in enumerate(chosen)], "article")
        if args.template_edits:
            timed_edits(
                events,
                lines,
                [edit_template(i) for i in range(args.template_edits)],
                "template",
            )
        print(f"start: {start_ms:.0f} ms to serve {args.articles} articles")
        print(
            f"memory: {rss_start / 1024:.0f} MiB resident after start, "
            f"{rss_kib(server.pid, 'VmRSS') / 1024:.0f} MiB after the edits, "
            f"{rss_kib(server.pid, 'VmHWM') / 1024:.0f} MiB peak"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def template_path(site):
    return site / "templates" / "article.html"


if __name__ == "__main__":
    main()
