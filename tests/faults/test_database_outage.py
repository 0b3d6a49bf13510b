"""When the database goes away (its connections cut by a proxy we control),
residents still get pages already cached, every other page answers 503 in the
reader's language with the emergency number, the open data API answers JSON,
/healthz says what failed within a second, and everything recovers by itself
when the database returns, without a restart."""

import json
import time
import uuid

import pytest

from tests.faults.conftest import timed_get
from tests.servers import Gunicorn, RedisServer, TcpProxy, manage, production_env

POSTGRES = "postgres://postgres@127.0.0.1:{port}/{name}"
CACHED = "/es/schools/public-schools/"
NOT_CACHED = "/ar/health/"
OPEN_DATA = "/hsds/en/services/"


@pytest.fixture
def database():
    """A PostgreSQL database of the test's own, on the machine's server."""
    import psycopg

    name = f"guide_faults_{uuid.uuid4().hex[:8]}"
    admin = POSTGRES.format(port=5432, name="postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site_through_proxy(database, tmp_path):
    proxy = TcpProxy(5432)
    redis_server = RedisServer(tmp_path).start()
    env = production_env(
        database_url=POSTGRES.format(port=proxy.port, name=database),
        DJANGO_CACHE_URL=redis_server.url,
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    host = Gunicorn(env, tmp_path / "gunicorn.log", workers=2).start()
    yield host, proxy
    host.stop()
    proxy.close()
    redis_server.stop()


def test_the_site_answers_through_a_database_outage_and_recovers(site_through_proxy):
    host, proxy = site_through_proxy
    assert timed_get(host.url + CACHED)[0] == 200  # now in the shared cache

    proxy.cut()
    status, seconds, body = timed_get(host.url + "/healthz")
    assert (status, json.loads(body)["database"]) == (503, "unavailable")
    assert seconds < 1.0
    for _round in range(4):
        status, _seconds, body = timed_get(host.url + CACHED)
        assert status == 200, "a cached page is still served"
        assert b'lang="es"' in body
    status, _seconds, body = timed_get(host.url + NOT_CACHED)
    assert status == 503
    page = body.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'href="tel:911"' in page
    status, _seconds, body = timed_get(host.url + OPEN_DATA)
    assert status == 503
    assert json.loads(body)["status"] == 503

    proxy.restore()
    deadline = time.monotonic() + 10
    while timed_get(host.url + NOT_CACHED)[0] != 200:
        assert time.monotonic() < deadline, "the site did not recover by itself"
        time.sleep(0.2)
    assert timed_get(host.url + "/healthz")[0] == 200
    assert timed_get(host.url + OPEN_DATA)[0] == 200
    assert "Traceback" not in host.log()
