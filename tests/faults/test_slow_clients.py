"""A few slow clients cannot block the site: behind nginx as config/nginx.conf sets
it up, two connections that send a header line every two seconds leave the
workers free, while straight to gunicorn's two sync workers they hold both."""

import socket
import ssl
import threading
import time

import pytest

from tests.faults.conftest import timed_get, unverified_tls
from tests.servers import HOST, Gunicorn, Nginx, manage, production_env

PAGE = "/en/schools/public-schools/"
WORKERS = 2
SLOW_SECONDS = 12


@pytest.fixture
def site(tmp_path):
    env = production_env(
        tmp_path / "guide.sqlite3",
        DJANGO_BEHIND_PROXY="true",
        GUNICORN_FORWARDED_ALLOW_IPS=HOST,
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    host = Gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS)
    host.start(ready_path="/healthz")
    proxy = Nginx(tmp_path, host.port).start()
    yield host, proxy
    proxy.stop()
    host.stop()


def slow_client(port, stop, *, tls):
    """Start a request and send one more header line every two seconds."""
    connection = socket.create_connection((HOST, port), timeout=30)
    if tls:
        connection = unverified_tls().wrap_socket(connection, server_hostname=HOST)
    try:
        connection.sendall(f"GET {PAGE} HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        number = 0
        while not stop.wait(2):
            number += 1
            connection.sendall(f"X-Slow-{number}: still typing\r\n".encode())
    except (OSError, ssl.SSLError):
        pass  # nginx may drop it (client_header_timeout): that is its job
    finally:
        connection.close()


def slow_clients(port, *, tls, count=2):
    stop = threading.Event()
    for _number in range(count):
        threading.Thread(
            target=slow_client, args=(port, stop), kwargs={"tls": tls}, daemon=True
        ).start()
    time.sleep(1)  # both connected and sending
    return stop


def test_two_slow_clients_do_not_block_the_site_behind_nginx(site):
    _host, proxy = site
    stop = slow_clients(proxy.https_port, tls=True)
    try:
        answers = []
        deadline = time.monotonic() + SLOW_SECONDS
        while time.monotonic() < deadline:
            answers.append(timed_get(proxy.url + PAGE, timeout=5))
            time.sleep(0.2)
    finally:
        stop.set()
    assert len(answers) > 20
    assert all(status == 200 for status, _seconds, _body in answers)
    assert max(seconds for _status, seconds, _body in answers) < 1.0


def test_without_nginx_the_same_two_clients_hold_both_workers(site):
    """Why the deployment puts nginx in front: this is what it prevents."""
    host, _proxy = site
    stop = slow_clients(host.port, tls=False, count=WORKERS)
    try:
        status, seconds, _body = timed_get(host.url + PAGE, timeout=4)
    finally:
        stop.set()
    assert status == 0, f"answered in {seconds:.1f} s: the clients were not slow"
