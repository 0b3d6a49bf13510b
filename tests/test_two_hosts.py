"""Several hosts, one database, one Redis: an edit shows on all of them at once."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/7"
PAGE = "/en/city-services/boston-311/"


def redis_is_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


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


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def fetch(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=10) as page:
        return page.read().decode()


def test_an_edit_shows_on_two_hosts_sharing_one_database_and_redis(shared_database):
    if not redis_is_running():
        if os.environ.get("CI"):
            pytest.fail("Redis must run at 127.0.0.1:6379 for this test.")
        pytest.skip("Redis is not running at 127.0.0.1:6379.")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": shared_database,
        "DJANGO_CACHE_URL": REDIS_URL,
        "GUNICORN_WORKERS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
            ],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 30
        for port in ports:
            while True:
                try:
                    assert "Boston 311" in fetch(port)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
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
        for port in ports:
            assert "Edited on one host, shown on both." in fetch(port)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
