"""Fault tests: the site under a cache that hangs or stops, a database that goes
away, and clients too slow to finish their requests. Run them with `make
faults` (`make test` does not collect them): they start their own servers,
Redis, proxies and nginx, and take a few minutes."""

import os
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import pytest

if os.environ.get("GUIDE_FAULTS") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def production_static(collected_static):
    """gunicorn with the production settings serves hashed static files."""


def unverified_tls():
    """For our own self-signed certificate on loopback."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def timed_get(url, *, timeout=10, headers=None):
    """(status, seconds, body) of one GET; status 0 when it failed to answer."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(
            request, timeout=timeout, context=unverified_tls()
        ) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError:
        body, status = b"", 0
    return status, time.monotonic() - started, body


@dataclass
class Load:
    """Requests sent in a loop by a few threads, each answer noted with when."""

    urls: list
    threads: int = 4
    answers: list = field(default_factory=list)  # (started, url, status, seconds)

    def __post_init__(self):
        self.running = threading.Event()
        self.workers = []

    def start(self):
        self.running.set()
        for number in range(self.threads):
            worker = threading.Thread(target=self.loop, args=(number,), daemon=True)
            worker.start()
            self.workers.append(worker)
        return self

    def loop(self, number):
        index = number
        while self.running.is_set():
            url = self.urls[index % len(self.urls)]
            index += 1
            started = time.monotonic()
            status, seconds, _body = timed_get(url)
            self.answers.append((started, url, status, seconds))

    def stop(self):
        self.running.clear()
        for worker in self.workers:
            worker.join(timeout=15)

    def failures(self, since=0.0):
        return [a for a in self.answers if a[0] >= since and a[2] != 200]

    def slowest(self, since=0.0):
        return max((a[3] for a in self.answers if a[0] >= since), default=0.0)


@pytest.fixture
def load():
    loads = []

    def make(urls, threads=4):
        started = Load(urls, threads).start()
        loads.append(started)
        return started

    yield make
    for started in loads:
        started.stop()
