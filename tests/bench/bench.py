"""The benchmark: figures, not a pass/fail test. Run it with `make bench`.

    .venv/bin/python -m tests.bench.bench

It builds a throwaway SQLite database with the Boston sample content, starts two
gunicorn servers with production settings and 2 workers each on 127.0.0.1 (one
with the page cache, one without), and prints, side by side:

- requests/s and p50/p99 latency of a service page (cached, uncached, and
  uncached in Arabic) against the site's own stylesheet served by the same
  server, with wrk, each page measured between two runs of the stylesheet;
- bytes a phone downloads per page type, first visit and revisit;
- a load run of 200 connections: errors, and whether a worker restarted;
- the peak memory of each gunicorn worker;
- database queries, time and HTML size per page type with 10 and with 10,000
  services (in-process);
- the search page with 10,000 services.

Everything it starts is stopped at the end, also on an error or Ctrl-C. The
whole run takes about five minutes.
"""
# ruff: noqa: T201 (a benchmark prints its figures)

import datetime
import gzip
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from config.languages import LANGUAGES
from tests.servers import HOST, free_port, production_env

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = 2
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
KB = 1024
# Phones always ask for compressed answers; wrk and the byte counts do too.
ACCEPT_ENCODING = "gzip, br"

SERVICE_PATH = "/en/schools/public-schools/"
# The same page in a right-to-left language, with its translation notes.
SERVICE_PATH_AR = "/ar/schools/public-schools/"
SERVICE_SLUG = "public-schools"
SEARCH_PATH = "/en/search/?q=school"
PAGES = [
    ("home", "/en/"),
    ("category", "/en/schools/"),
    ("service", SERVICE_PATH),
    ("policy", "/en/policies/plyler-v-doe/"),
    ("guide", "/en/guides/know-your-rights/"),
    ("search", SEARCH_PATH),
    ("about", "/en/about/"),
]

# Throughput runs: (threads, connections, seconds); a short warm-up fills the
# page cache of both workers and loads every template first. The machine's speed
# drifts from second to second (other work, frequency), so each page is measured
# between two runs of the stylesheet on the same server, and its ratio is to
# their mean: what the machine does meanwhile moves both alike. Seven rounds of
# that, and the median: one slow moment in a single run then moves nothing.
THROUGHPUT = (2, 32, 3)
ROUNDS = 7
WARMUP = (2, 8, 2)
LOAD = (2, 200, 30)
LOAD_TIMEOUT = 5
SEARCH_RUN = (2, 16, 10)
SMALL, LARGE = 10, 10_000
REVISITS = 6

TARGET_CACHED_RATIO = 0.9
TARGET_UNCACHED_RATIO = 0.15
BUDGET_FIRST_VISIT = 30 * KB
BUDGET_HTML = 12 * KB
TARGET_WORKER_MB = 60


class BenchError(Exception):
    """An expected problem, reported as one clear message (no traceback)."""


@dataclass
class Summary:
    rows: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    def add(self, metric, value, target="", verdict=""):
        self.rows.append((metric, value, target, verdict))


def verdict(ok):
    return "met" if ok else "NOT MET"


def heading(title):
    print(f"\n=== {title} " + "=" * max(0, 74 - len(title)), flush=True)


def table(headers, rows):
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(str(header)), *(len(row[i]) for row in rows)) if rows else len(header)
        for i, header in enumerate(headers)
    ]

    def line(cells):
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    print(line([str(h) for h in headers]))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(line(row))
    sys.stdout.flush()


def tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


# --- HTTP ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict  # lower-case names
    body: bytes
    header_bytes: int

    @property
    def total(self):
        return self.header_bytes + len(self.body)

    def text(self):
        encoding = self.headers.get("content-encoding", "")
        body = self.body
        if encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


def fetch(port, path, headers=None, timeout=10):
    """One GET; the answer's body as sent (still compressed) and its header size."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in response.getheaders())
        head += "\r\n"
        return Answer(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=body,
            header_bytes=len(head.encode("latin-1", "replace")),
        )
    finally:
        connection.close()


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rel, href = attrs.get("rel"), attrs.get("href")
            if rel and href:
                self.links.setdefault(rel, href)
        elif tag == "script" and attrs.get("src"):
            self.links.setdefault("script", attrs["src"])


def page_links(html):
    parser = LinkParser()
    parser.feed(html)
    return parser.links


# --- processes -------------------------------------------------------------------


def manage(env, *args, timeout=240):
    command = " ".join(args)
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"manage.py {command} took over {timeout} s") from error
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {command} failed (exit {result.returncode}):\n"
            + tail(result.stderr or result.stdout)
        )
    print(f"  manage.py {command}: ok ({time.monotonic() - started:.1f} s)")


def process_children(pid):
    """Pids of the processes whose parent is `pid` (gunicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and brackets: fields follow the last ')'.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


def memory_kb(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Server:
    """A gunicorn master with its workers, in its own session, logging to a file."""

    def __init__(self, name, env, workdir, *, page_cache):
        self.name = name
        self.port = free_port()
        self.env = {
            **env,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(WORKERS),
            "GUIDE_PAGE_CACHE": "true" if page_cache else "false",
        }
        self.log_path = workdir / f"gunicorn-{name}.log"
        self.process = None

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def start(self):
        gunicorn = BIN / "gunicorn"
        if not gunicorn.exists():
            raise BenchError(f"{gunicorn} is missing: run `make install` first.")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def log_tail(self):
        try:
            return tail(self.log_path.read_text(errors="replace"))
        except OSError:
            return "(no log)"

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"gunicorn ({self.name}) exited with code "
                    f"{self.process.returncode}. Its log ends with:\n{self.log_tail()}"
                )
            try:
                answer = fetch(self.port, "/en/about/", timeout=5)
            except OSError:
                answer = None
            if answer and answer.status != 200:
                raise BenchError(
                    f"gunicorn ({self.name}) answered /en/about/ with "
                    f"{answer.status}. Its log ends with:\n{self.log_tail()}"
                )
            if answer and len(self.workers()) == WORKERS:
                return
            time.sleep(0.2)
        raise BenchError(
            f"gunicorn ({self.name}) did not answer within {timeout} s. "
            f"Its log ends with:\n{self.log_tail()}"
        )

    def workers(self):
        return process_children(self.process.pid) if self.process else []

    def stop(self):
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()  # gunicorn stops its workers gracefully on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only ours
            process.wait(timeout=5)


# --- wrk -------------------------------------------------------------------------

WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    rps: float
    p50: float  # ms
    p99: float  # ms
    requests: int
    socket_errors: dict
    non_2xx_3xx: int

    @property
    def errors(self):
        return sum(self.socket_errors.values()) + self.non_2xx_3xx


def wrk_binary():
    return shutil.which("wrk")


def _duration_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise BenchError(f"cannot read wrk's latency {text!r}")
    return float(match.group(1)) * WRK_UNITS_MS[match.group(2)]


def parse_wrk(output):
    def search(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise BenchError(f"cannot read wrk's output:\n{tail(output)}")
        return match

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ("connect", "read", "write", "timeout")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        rps=float(search(r"Requests/sec:\s+([\d.]+)").group(1)),
        p50=_duration_ms(search(r"^\s*50(?:\.0+)?%\s+(\S+)").group(1)),
        p99=_duration_ms(search(r"^\s*99(?:\.0+)?%\s+(\S+)").group(1)),
        requests=int(search(r"(\d+) requests in").group(1)),
        socket_errors=(
            dict(zip(names, map(int, errors.groups()), strict=True))
            if errors
            else dict.fromkeys(names, 0)
        ),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def wrk(url, run, *, timeout=None):
    threads, connections, seconds = run
    command = [
        wrk_binary(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    if timeout:
        command += ["--timeout", f"{timeout}s"]
    command.append(url)
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"wrk did not finish: {' '.join(command)}") from error
    if result.returncode != 0:
        raise BenchError(
            f"wrk failed (exit {result.returncode}) on {url}:\n"
            + tail(result.stderr or result.stdout)
        )
    return parse_wrk(result.stdout)


def median_run(runs):
    """The run with the median rate (its latencies go with it)."""
    return sorted(runs, key=lambda run: run.rps)[len(runs) // 2]


def expect_ok(server, path):
    try:
        answer = fetch(server.port, path, {"Accept-Encoding": ACCEPT_ENCODING})
    except OSError as error:
        raise BenchError(f"{server.name} server: GET {path} failed: {error}") from error
    if answer.status != 200:
        raise BenchError(
            f"{server.name} server answered GET {path} with {answer.status}; "
            "measuring it would measure an error page."
        )
    return answer


def stylesheet_url(server):
    html = expect_ok(server, SERVICE_PATH).text()
    href = page_links(html).get("stylesheet")
    if not href:
        raise BenchError(f"no <link rel=stylesheet> on {SERVICE_PATH}")
    return href


# --- sections --------------------------------------------------------------------


def throughput_sequence(cached, uncached):
    """One round: for each server, its pages, each between two stylesheet runs
    (the runs between two pages serve both)."""
    pages = {
        cached: [("service page, cached", SERVICE_PATH)],
        uncached: [
            ("service page, uncached", SERVICE_PATH),
            ("service page in Arabic, uncached", SERVICE_PATH_AR),
        ],
    }
    sequence = []
    for server, server_pages in pages.items():
        stylesheet = (
            f"stylesheet, {server.name} server",
            server,
            stylesheet_url(server),
        )
        sequence.append(stylesheet)
        for label, path in server_pages:
            sequence += [(label, server, path), stylesheet]
    return sequence


def section_throughput(cached, uncached, summary):
    heading("Throughput: service page against the site's stylesheet")
    threads, connections, seconds = THROUGHPUT
    print(
        f"wrk -t{threads} -c{connections} -d{seconds}s --latency, "
        f"Accept-Encoding: {ACCEPT_ENCODING}, no cookies; 2 gunicorn workers each, "
        "2 cores shared with wrk."
    )
    print(
        f"{ROUNDS} rounds. In each, every page is measured between two runs of the "
        "stylesheet on the same server,\nand its ratio is to their mean, so that a "
        "machine whose speed drifts moves both alike.\nEach figure is the median "
        "run's, each ratio the median of the rounds' ratios."
    )
    sequence = throughput_sequence(cached, uncached)
    measured = list(dict.fromkeys(sequence))  # each address once, in order
    for _label, server, path in measured:
        expect_ok(server, path)
        wrk(server.url(path), WARMUP)
    runs = {label: [] for label, _server, _path in measured}
    ratios = {label: [] for label, _server, _path in measured if "page" in label}
    for round_number in range(1, ROUNDS + 1):
        rates = [wrk(server.url(path), THROUGHPUT) for _label, server, path in sequence]
        for index, ((label, _server, _path), result) in enumerate(
            zip(sequence, rates, strict=True)
        ):
            runs[label].append(result)
            if label in ratios:
                around = statistics.mean([rates[index - 1].rps, rates[index + 1].rps])
                ratios[label].append(result.rps / around if around else 0.0)
        print(
            f"  round {round_number}: "
            + ", ".join(
                f"{label} {result.rps:,.0f}"
                for (label, _server, _path), result in zip(sequence, rates, strict=True)
            )
            + " req/s",
            flush=True,
        )
    results = {label: median_run(label_runs) for label, label_runs in runs.items()}
    rows = [
        [
            label,
            path,
            f"{results[label].rps:,.0f}",
            f"{results[label].p50:.1f}",
            f"{results[label].p99:.1f}",
            sum(run.errors for run in runs[label]),
        ]
        for label, _server, path in measured
    ]
    print()
    table(["what", "address", "req/s", "p50 ms", "p99 ms", "errors"], rows)
    print()
    ratio_rows = []
    for label, name, target in (
        ("service page, cached", "cached page", TARGET_CACHED_RATIO),
        ("service page, uncached", "uncached page", TARGET_UNCACHED_RATIO),
        (
            "service page in Arabic, uncached",
            "uncached Arabic page",
            TARGET_UNCACHED_RATIO,
        ),
    ):
        page = results[label]
        ratio = statistics.median(ratios[label])
        ok = ratio >= target
        ratio_rows.append(
            [
                f"{name} / static",
                f"{ratio:.2f}",
                f"{min(ratios[label]):.2f} to {max(ratios[label]):.2f}",
                f">= {target}",
                verdict(ok),
            ]
        )
        summary.add(f"{label}: req/s", f"{page.rps:,.0f}")
        summary.add(f"{label}: p50 / p99 ms", f"{page.p50:.1f} / {page.p99:.1f}")
        summary.add(
            f"ratio {name} / static", f"{ratio:.2f}", f">= {target}", verdict(ok)
        )
    static = results["stylesheet, cached server"]
    summary.add("stylesheet: req/s", f"{static.rps:,.0f}")
    table(["ratio (req/s)", "median", "rounds", "target", ""], ratio_rows)


def section_bytes(server, uncached, summary):
    heading("Bytes per page type (compressed, as served)")
    print(
        f"Accept-Encoding: {ACCEPT_ENCODING}. First visit: the HTML, the stylesheet, "
        "favicon and script it links,\nand the offline helper (/sw.js) the script "
        "registers. Revisit: the HTML again with If-None-Match\nand "
        "If-Modified-Since (304 expected), asked "
        f"{REVISITS} times since it may reach either worker;\nthe hashed static "
        "files are immutable, so the browser keeps them: 0 bytes. KB columns "
        "count headers + bodies.\nUncached B: the HTML body as the server without "
        "the page cache sends it, compressed for\nbeing sent once (fast), not kept."
    )
    encoding = {"Accept-Encoding": ACCEPT_ENCODING}
    rows, etags_differ = [], []
    assets_seen = {}
    for name, path in PAGES:
        first = expect_ok(server, path)
        links = page_links(first.text())
        assets = []
        # The script registers the offline helper, which the browser fetches too.
        links["service worker"] = "/sw.js"
        for rel in ("stylesheet", "icon", "script", "service worker"):
            href = links.get(rel)
            if not href:
                raise BenchError(f"{path} links no {rel}")
            answer = fetch(server.port, href, encoding)
            if answer.status != 200:
                raise BenchError(f"{href} answered {answer.status}")
            assets.append(answer)
            control = answer.headers.get("cache-control", "")
            assets_seen[href] = (answer, "immutable" in control)
        # A browser keeps one copy; its revisit may reach either worker, so ask
        # several times and count the 304s.
        etags = {first.headers.get("etag")}
        etags.update(
            fetch(server.port, path, encoding).headers.get("etag")
            for _ in range(REVISITS - 1)
        )
        conditional = dict(encoding)
        if "etag" in first.headers:
            conditional["If-None-Match"] = first.headers["etag"]
        if "last-modified" in first.headers:
            conditional["If-Modified-Since"] = first.headers["last-modified"]
        revisits = [fetch(server.port, path, conditional) for _ in range(REVISITS)]
        not_modified = [answer for answer in revisits if answer.status == 304]
        revisit = not_modified[0] if not_modified else revisits[0]
        if len(etags) > 1:
            etags_differ.append(name)
        html_total = first.total
        first_total = html_total + sum(asset.total for asset in assets)
        sent_once = expect_ok(uncached, path)
        rows.append(
            [
                name,
                first.headers.get("content-encoding", "none"),
                len(first.body),
                len(sent_once.body),
                first.header_bytes,
                f"{html_total / KB:.1f}",
                f"{first_total / KB:.1f}",
                len(etags),
                f"{len(not_modified)}/{REVISITS}",
                revisit.total,
            ]
        )
        if name == "service":
            summary.add(
                "service page first visit (KB)",
                f"{first_total / KB:.1f}",
                f"<= {BUDGET_FIRST_VISIT // KB}",
                verdict(first_total <= BUDGET_FIRST_VISIT),
            )
            summary.add(
                "service page HTML (KB, headers+body)",
                f"{html_total / KB:.1f}",
                f"<= {BUDGET_HTML // KB}",
                verdict(html_total <= BUDGET_HTML),
            )
            summary.add(
                "service page HTML uncached (KB)",
                f"{sent_once.total / KB:.1f}",
                f"<= {BUDGET_HTML // KB}",
                verdict(sent_once.total <= BUDGET_HTML),
            )
            summary.add(
                "service page revisit: 304s, bytes",
                f"{len(not_modified)}/{REVISITS}, {revisit.total} B",
                f"{REVISITS}/{REVISITS}",
                verdict(len(not_modified) == REVISITS),
            )
    table(
        [
            "page",
            "enc",
            "HTML body B",
            "uncached B",
            "headers B",
            "HTML KB",
            "1st visit KB",
            "ETags",
            "304s",
            "revisit B",
        ],
        rows,
    )
    print()
    asset_rows = [
        [
            href,
            answer.headers.get("content-encoding", "none"),
            len(answer.body),
            answer.header_bytes,
            "yes" if immutable else "NO",
        ]
        for href, (answer, immutable) in assets_seen.items()
    ]
    table(["linked file", "enc", "body B", "headers B", "immutable"], asset_rows)
    print(
        f"\nBudget: service page first visit <= {BUDGET_FIRST_VISIT // KB} KB, "
        f"its HTML <= {BUDGET_HTML // KB} KB (1 KB = 1024 bytes, headers included)."
    )
    if etags_differ:
        print(
            f"NOTE: {', '.join(etags_differ)}: the same page got different ETags "
            "(ETags column) from the two workers,\nso a revisit that reaches the "
            "other worker gets a full 200 instead of a 304."
        )


def section_load(server, summary):
    heading("Load run: 200 connections on the cached service page")
    threads, connections, seconds = LOAD
    print(
        f"wrk -t{threads} -c{connections} -d{seconds}s --latency "
        f"--timeout {LOAD_TIMEOUT}s {SERVICE_PATH}",
        flush=True,
    )
    before = server.workers()
    result = wrk(server.url(SERVICE_PATH), LOAD, timeout=LOAD_TIMEOUT)
    after = server.workers()
    restarted = before != after or server.process.poll() is not None
    errors = result.socket_errors
    table(
        ["req/s", "p50 ms", "p99 ms", "requests", "socket errors", "non-2xx/3xx"],
        [
            [
                f"{result.rps:,.0f}",
                f"{result.p50:.1f}",
                f"{result.p99:.1f}",
                result.requests,
                ", ".join(f"{name} {count}" for name, count in errors.items()),
                result.non_2xx_3xx,
            ]
        ],
    )
    print(
        f"workers before {before}, after {after}: "
        f"restarted: {'yes' if restarted else 'no'}"
    )
    summary.add("load 200 conn: req/s", f"{result.rps:,.0f}")
    summary.add("load 200 conn: p50 / p99 ms", f"{result.p50:.1f} / {result.p99:.1f}")
    summary.add(
        "load 200 conn: errors", result.errors, "0", verdict(result.errors == 0)
    )
    summary.add(
        "load 200 conn: worker restarted",
        "yes" if restarted else "no",
        "no",
        verdict(not restarted),
    )


def rollup_kb(pid):
    """Proportional and private memory of a process (shared pages split or left out)."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                values[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        return None, None
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Pss"), private


# A worker in service answers every page type in every language; its memory is
# measured after it has (the catalogues, compiled reads and templates of each).
WARM_PATHS = [
    "",
    "schools/",
    "schools/public-schools/",
    "schools/public-schools/print/",
    "policies/plyler-v-doe/",
    "guides/know-your-rights/",
    "search/?q=school",
    "about/",
]
WARM_ROUNDS = 4  # requests reach either worker: enough rounds to reach both


def warm_every_language(server):
    for _round in range(WARM_ROUNDS):
        for code in LANGUAGE_CODES:
            for path in WARM_PATHS:
                expect_ok(server, f"/{code}/{path}")


def section_memory(servers, summary):
    heading("Memory of each gunicorn worker, after the load")
    print(
        "Each server first answers every page type in every language "
        f"({len(WARM_PATHS)} pages x {len(LANGUAGE_CODES)} languages, "
        f"{WARM_ROUNDS} rounds), as a worker in service would."
    )
    for server in servers:
        warm_every_language(server)
    rows, peak = [], 0
    for server in servers:
        for pid in server.workers():
            hwm, rss = memory_kb(pid, "VmHWM"), memory_kb(pid, "VmRSS")
            if hwm is None:
                continue
            pss, private = rollup_kb(pid)
            peak = max(peak, hwm)
            rows.append(
                [
                    server.name,
                    pid,
                    f"{hwm / 1024:.1f}",
                    f"{(rss or 0) / 1024:.1f}",
                    f"{(pss or 0) / 1024:.1f}",
                    f"{(private or 0) / 1024:.1f}",
                ]
            )
    if not rows:
        raise BenchError("found no gunicorn worker to read /proc/<pid>/status from")
    table(
        ["server", "worker pid", "peak RSS MB", "RSS MB", "PSS MB", "private MB"],
        rows,
    )
    print(
        "\nThe app is loaded once in the gunicorn master and shared by the workers "
        "(preload_app): PSS counts a worker's share of that, private its own pages."
    )
    peak_mb = peak / 1024
    print(
        f"\nTarget: < {TARGET_WORKER_MB} MB per worker: "
        + verdict(peak_mb < TARGET_WORKER_MB)
    )
    summary.add(
        "worker peak memory (MB)",
        f"{peak_mb:.1f}",
        f"< {TARGET_WORKER_MB}",
        verdict(peak_mb < TARGET_WORKER_MB),
    )


# --- in-process (Django) ---------------------------------------------------------


def django_setup(env):
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def client():
    from django.test import Client

    # Production settings allow only 127.0.0.1 and localhost, not "testserver".
    return Client(SERVER_NAME="localhost")


RENDERS = 7  # in-process renders per page and size; the median is shown


@dataclass
class PageCost:
    queries: int
    ms: float  # median of RENDERS renders, page cache cleared
    html_bytes: int  # uncompressed


def page_costs():
    """Queries, time and size of each page type rendered in-process."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser = client()
    costs = {}
    for name, path in PAGES:
        cache.clear()  # the page must render, not come from the page cache
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(path)
        if response.status_code != 200:
            raise BenchError(f"in-process GET {path} answered {response.status_code}")
        # Now: the next request empties the log the count is read from.
        count = len(queries.captured_queries)
        timings = []
        for _ in range(RENDERS):
            cache.clear()
            started = time.perf_counter()
            browser.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        costs[name] = PageCost(
            queries=count,
            ms=statistics.median(timings),
            html_bytes=len(response.content),
        )
    return costs


BULK_TOPICS = [
    ("After-school tutoring", "Free homework help for children after school"),
    ("Community food pantry", "Groceries for families, once a week, no questions"),
    ("Adult English classes", "Evening classes in English for adults, all levels"),
    (
        "Family shelter intake",
        "A safe place to stay tonight for families with children",
    ),
    ("Legal clinic", "Free advice from a lawyer about housing and work"),
    ("School enrollment help", "Help to register a child for public school"),
    ("Health center", "Check-ups and vaccines, with a free interpreter"),
    ("Library programs", "Story time, computer classes and a library card"),
    ("Job training", "Training and help to find work, for any adult"),
]


def published_services_set(total):
    """Delete or bulk-create published services until exactly `total` remain."""
    from django.db import transaction
    from django.utils import timezone

    from services.models import Assurance, AssuranceKind, Category, Policy, Service
    from services.public.page_cache import content_version_bump
    from services.search.index import search_index_rebuild

    published = Service.objects.published()
    count = published.count()
    with transaction.atomic():
        if count > total:
            extra = list(
                published.exclude(slug=SERVICE_SLUG)
                .order_by("-sort_order", "-slug")
                .values_list("pk", flat=True)[: count - total]
            )
            Service.objects.filter(pk__in=extra).delete()
        elif count < total:
            categories = list(Category.objects.order_by("sort_order", "slug"))
            policies = list(Policy.objects.published().order_by("slug"))
            if not categories or not policies:
                raise BenchError("the sample content has no categories or policies")
            today = timezone.localdate()
            new = []
            for index in range(total - count):
                number = count + index + 1
                title, summary = BULK_TOPICS[index % len(BULK_TOPICS)]
                new.append(
                    Service(
                        category=categories[index % len(categories)],
                        slug=f"bench-service-{number:05d}",
                        name_en=f"{title} {number}",
                        summary_en=f"{summary}. Open to everyone in Boston ({number}).",
                        eligibility_en="Anyone who lives in Boston.",
                        cost_en="Free.",
                        status="published",
                        last_verified_on=today,
                        review_due_on=today + datetime.timedelta(days=180),
                        verified_by="Benchmark",
                        sort_order=1000 + index % 30_000,
                    )
                )
            created = Service.objects.bulk_create(new, batch_size=500)
            Assurance.objects.bulk_create(
                [
                    Assurance(
                        service=service,
                        position=1,
                        kind=AssuranceKind.DOES_NOT_ASK,
                        statement_en="Staff do not ask about immigration status.",
                        policy=policies[index % len(policies)],
                        source_url="https://www.boston.gov/",
                        last_verified_on=today,
                    )
                    for index, service in enumerate(created)
                ],
                batch_size=500,
            )
        # bulk_create sends no signal: index the new services for search and
        # retire the cached pages, as an edit would.
        search_index_rebuild()
        content_version_bump()
    return Service.objects.published().count()


def section_queries(summary):
    heading("Database queries and time per page (in-process, page cache cleared)")
    costs = {}
    for total in (SMALL, LARGE):
        started = time.monotonic()
        actual = published_services_set(total)
        if actual != total:
            raise BenchError(f"wanted {total} published services, have {actual}")
        costs[total] = page_costs()
        print(
            f"  {total:,} published services: measured "
            f"({time.monotonic() - started:.1f} s)",
            flush=True,
        )
    print()
    rows = [
        [
            name,
            costs[SMALL][name].queries,
            costs[LARGE][name].queries,
            f"{costs[SMALL][name].ms:.1f}",
            f"{costs[LARGE][name].ms:.1f}",
            f"{costs[SMALL][name].html_bytes / KB:.0f}",
            f"{costs[LARGE][name].html_bytes / KB:.0f}",
        ]
        for name, _path in PAGES
    ]
    table(
        [
            "page",
            f"queries, {SMALL}",
            f"{LARGE:,}",
            f"ms, {SMALL}",
            f"{LARGE:,}",
            f"HTML KB, {SMALL}",
            f"{LARGE:,}",
        ],
        rows,
    )
    same = all(
        costs[SMALL][name].queries == costs[LARGE][name].queries for name, _ in PAGES
    )
    worst = max(cost.queries for by_page in costs.values() for cost in by_page.values())
    print(
        f"\nms: the median of {RENDERS} renders in this process (uncompressed HTML). "
        f"The {LARGE:,} services are spread\nover every category, each with one "
        "assurance resting on a policy, so category and policy pages list\nhundreds "
        "of them, and take time and bytes in proportion; the other pages do not.\n"
        "Same small number of queries at both sizes: "
        + (f"yes (at most {worst} per page)." if same else "NO.")
    )
    grown = [
        f"{name} {costs[SMALL][name].queries}->{costs[LARGE][name].queries}"
        for name, _path in PAGES
        if costs[SMALL][name].queries != costs[LARGE][name].queries
    ]
    if grown:
        print("Pages whose queries grow with the content: " + ", ".join(grown))
    summary.add(
        f"queries per page, {SMALL} vs {LARGE:,} services",
        ", ".join(grown) if grown else f"same, {worst} at most",
        "same",
        verdict(same),
    )
    service_ms = (costs[SMALL]["service"].ms, costs[LARGE]["service"].ms)
    summary.add(
        f"service page ms in-process, {SMALL} vs {LARGE:,} services",
        f"{service_ms[0]:.1f} / {service_ms[1]:.1f}",
    )


def search_in_process(iterations=20):
    from django.core.cache import cache

    browser = client()
    timings = []
    for _ in range(iterations):
        cache.clear()
        started = time.perf_counter()
        response = browser.get(SEARCH_PATH)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise BenchError(
                f"in-process GET {SEARCH_PATH} answered {response.status_code}"
            )
    return statistics.median(timings), max(timings)


def section_search(uncached, summary):
    heading(f"Search with {LARGE:,} services: {SEARCH_PATH}")
    threads, connections, seconds = SEARCH_RUN
    print(
        "The uncached server reads the same database file, now holding "
        f"{LARGE:,} services.\nwrk -t{threads} -c{connections} -d{seconds}s --latency "
        "(uncached server), and in-process renders with the page cache cleared."
    )
    expect_ok(uncached, SEARCH_PATH)
    wrk(uncached.url(SEARCH_PATH), WARMUP)
    result = wrk(uncached.url(SEARCH_PATH), SEARCH_RUN)
    median, worst = search_in_process()
    table(
        ["search, 10,000 services", "req/s", "p50 ms", "p99 ms", "errors"],
        [
            [
                "uncached server (wrk)",
                f"{result.rps:,.0f}",
                f"{result.p50:.1f}",
                f"{result.p99:.1f}",
                result.errors,
            ],
            ["in-process, one render", "", f"{median:.1f}", f"max {worst:.1f}", ""],
        ],
    )
    summary.add("search 10k services: req/s (uncached)", f"{result.rps:,.0f}")
    summary.add(
        "search 10k services: p50 / p99 ms", f"{result.p50:.1f} / {result.p99:.1f}"
    )
    summary.add("search 10k services: in-process ms", f"{median:.1f}")


# --- main ------------------------------------------------------------------------


def run_section(summary, name, function, *args):
    try:
        function(*args, summary)
    except BenchError as error:
        print(f"\n!! {name} could not be measured: {error}", flush=True)
        summary.failures.append(name)
    except (OSError, subprocess.SubprocessError) as error:
        print(f"\n!! {name} could not be measured: {error}", flush=True)
        summary.failures.append(name)


def print_summary(summary):
    heading("Summary")
    table(["figure", "value", "target", ""], summary.rows)
    missed = [row[0] for row in summary.rows if row[3] == "NOT MET"]
    print()
    if missed:
        print("Targets not met: " + "; ".join(missed))
    else:
        print("Every target with a figure above was met.")
    if summary.failures:
        print("Not measured (see the messages above): " + ", ".join(summary.failures))


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, _terminate)
    if not wrk_binary():
        print(
            "bench: wrk is not installed. `make bench` installs it (Debian: "
            "`apt-get install wrk`), or install it yourself and run again."
        )
        return 2
    if not (ROOT / "manage.py").exists():
        print(f"bench: cannot find manage.py in {ROOT}")
        return 2
    started = time.monotonic()
    summary = Summary()
    workdir = Path(tempfile.mkdtemp(prefix="guide-bench-"))
    servers = []
    try:
        heading("Setup: a throwaway database with the Boston sample content")
        env = production_env(workdir / "bench.sqlite3")
        print(f"  DATABASE_URL={env['DATABASE_URL']}, DJANGO_DEBUG=false")
        manage(env, "migrate", "--noinput")
        manage(env, "load_sample_content")
        manage(env, "collectstatic", "--noinput")

        heading("Servers: gunicorn, production settings, 2 workers each")
        cached = Server("cached", env, workdir, page_cache=True)
        uncached = Server("uncached", env, workdir, page_cache=False)
        servers = [cached, uncached]
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
            print(
                f"  {server.name:9} page cache {'on ' if server is cached else 'off'} "
                f"http://{HOST}:{server.port}  master {server.process.pid}, "
                f"workers {server.workers()}"
            )

        run_section(summary, "throughput", section_throughput, cached, uncached)
        run_section(summary, "bytes", section_bytes, cached, uncached)
        run_section(summary, "load run", section_load, cached)
        run_section(summary, "memory", section_memory, servers)

        django_setup(env)
        run_section(summary, "queries", section_queries)
        if "queries" in summary.failures:
            summary.failures.append("search with 10,000 services")
        else:
            run_section(
                summary, "search with 10,000 services", section_search, uncached
            )

        print_summary(summary)
        print(f"\n(bench took {time.monotonic() - started:.0f} s)")
        return 1 if summary.failures else 0
    except BenchError as error:
        print(f"\nbench: {error}")
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted; stopping the servers.")
        return 130
    finally:
        for server in servers:
            try:
                server.stop()
            except Exception as error:  # stop the others anyway
                print(f"bench: could not stop gunicorn ({server.name}): {error}")
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
