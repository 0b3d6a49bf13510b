"""Several hosts, one database, one Redis: an edit shows on all of them at once."""

import os
import uuid

import pytest

from tests.servers import Gunicorn, RedisServer, fetch, manage, production_env

PAGE = "/en/city-services/boston-311/"

# gunicorn with the production settings serves hashed static files.
pytestmark = pytest.mark.usefixtures("collected_static")


@pytest.fixture
def shared_database(tmp_path):
    """A database of its own: PostgreSQL when the suite runs on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    name = f"guide_two_hosts_{uuid.uuid4().hex[:8]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def test_an_edit_shows_on_two_hosts_sharing_one_database_and_redis(
    shared_database, redis_server, tmp_path
):
    env = production_env(
        database_url=shared_database, DJANGO_CACHE_URL=redis_server.url
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    hosts = [Gunicorn(env, tmp_path / f"host-{n}.log", workers=1) for n in (1, 2)]
    try:
        for host in hosts:
            host.start()
            status, _headers, body = fetch(host.url + PAGE)
            assert status == 200
            assert b"Boston 311" in body
        assert redis_server.client().keys("*page:*"), "the page is in the shared cache"
        # Both hosts now hold the page in the shared cache; edit it elsewhere.
        manage(
            env,
            "shell",
            "-c",
            "from services.models import Service;"
            "s = Service.objects.get(slug='boston-311');"
            "s.summary_en = 'Edited on one host, shown on both.';"
            "s.save()",
        )
        for host in hosts:
            assert b"Edited on one host, shown on both." in fetch(host.url + PAGE)[2]
    finally:
        for host in hosts:
            host.stop()
