"""The shared cache speeds the site up but never takes it down: with Redis paused
(a hung cache) or shut down under load, on two hosts sharing it, every request
is still answered, /healthz says what failed within a second, and each worker
logs the outage once, not once per request."""

import time

import pytest

from tests.faults.conftest import timed_get
from tests.servers import Gunicorn, RedisServer, manage, production_env

CACHED = "/en/schools/public-schools/"
ARABIC = "/ar/health/mayors-health-line/"
UNCACHED = "/es/search/?q=escuela"
WORKERS = 2
OUTAGE_SECONDS = 6


@pytest.fixture
def two_hosts(tmp_path):
    redis_server = RedisServer(tmp_path).start()
    env = production_env(tmp_path / "guide.sqlite3", DJANGO_CACHE_URL=redis_server.url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    hosts = [
        Gunicorn(env, tmp_path / f"host-{n}.log", workers=WORKERS).start()
        for n in (1, 2)
    ]
    yield hosts, redis_server
    for host in hosts:
        host.stop()
    redis_server.stop()


def urls(hosts):
    return [host.url + path for host in hosts for path in (CACHED, ARABIC, UNCACHED)]


def healthz(host):
    status, seconds, body = timed_get(host.url + "/healthz", timeout=5)
    return status, seconds, body.decode()


def outage_lines(host):
    log = host.log()
    return log.count("The cache is unavailable"), log.count("Traceback")


@pytest.mark.parametrize("outage", ["paused", "shut down"])
def test_pages_keep_coming_when_the_cache_hangs_or_stops(two_hosts, load, outage):
    hosts, redis_server = two_hosts
    for url in urls(hosts):
        assert timed_get(url)[0] == 200  # every page warm in the shared cache
    traffic = load(urls(hosts), threads=4)
    time.sleep(2)
    began = time.monotonic()
    if outage == "paused":
        redis_server.pause()
    else:
        redis_server.stop()
    time.sleep(1)
    for host in hosts:
        status, seconds, body = healthz(host)
        assert status == 503, body
        assert seconds < 1.0, f"/healthz took {seconds:.2f} s"
        assert '"cache": "unavailable"' in body
        assert '"database": "ok"' in body
    time.sleep(OUTAGE_SECONDS - 1)
    during = list(traffic.answers)
    if outage == "paused":
        redis_server.resume()
        time.sleep(1)
        for host in hosts:
            assert healthz(host)[0] == 200
    time.sleep(2)
    traffic.stop()

    assert traffic.failures() == [], "every request is answered"
    served_during = [answer for answer in during if answer[0] >= began]
    assert len(served_during) > 40, "the site kept serving through the outage"
    assert traffic.slowest(began) < 2.0
    for host in hosts:
        warnings, tracebacks = outage_lines(host)
        assert 1 <= warnings <= WORKERS, host.log()[-2000:]
        assert tracebacks == 0, host.log()[-2000:]
