"""A search leaves no trace: made-up words searched through a real server (gunicorn
with the production settings and a Redis of its own) are found afterwards in no
cache entry, no database table and no log line."""

import gzip
import json
import pickle
import re
import socket
import urllib.parse
import urllib.request
import uuid

import brotli
import pytest

from tests.servers import HOST, Gunicorn, RedisServer, fetch, manage, production_env

# gunicorn with the production settings serves hashed static files.
pytestmark = pytest.mark.usefixtures("collected_static")


@pytest.fixture
def server(tmp_path):
    redis_server = RedisServer(tmp_path).start()
    env = production_env(tmp_path / "guide.sqlite3", DJANGO_CACHE_URL=redis_server.url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    host = Gunicorn(env, tmp_path / "gunicorn.log").start()
    yield host, redis_server, env
    host.stop()
    redis_server.stop()


def made_up_words():
    """One word per script that no page holds, in three languages."""
    tag = uuid.uuid4().hex[:6]
    return {
        "en": f"zorblax{tag}",
        "ar": f"زوربلاكس{tag}",
        "zh-hans": f"斑马锅{tag}",
    }


def raw_request(port, data):
    """Send bytes as they are (a malformed request) and read the answer."""
    with socket.create_connection((HOST, port), timeout=5) as connection:
        connection.sendall(data)
        return connection.recv(65536)


def forms_of(word):
    """The ways a word can be written down: as it is, percent-encoded, escaped."""
    return {
        word,
        urllib.parse.quote(word),
        urllib.parse.quote_plus(word),
        json.dumps(word)[1:-1],
    }


def kept_anywhere(host, redis_server, env):
    """Everything the site keeps, as text: the cache, the database, the log."""
    return {
        "cache": cache_text(redis_server),
        "database": manage(env, "dumpdata", "--indent", "0"),
        "log": host.log(),
    }


def cache_text(redis_server):
    """Every key and value in the cache, with cached pages decompressed."""
    client = redis_server.client()
    found = []
    for key in client.scan_iter("*"):
        found.append(key.decode(errors="replace"))
        value = client.get(key) or b""
        found.append(value.decode(errors="replace"))
        try:
            content, headers, *_when = pickle.loads(value)  # noqa: S301 (our own cache)
        except Exception:  # noqa: S112 (not a cached page)
            continue
        found.append(str(headers))
        for decompress in (brotli.decompress, gzip.decompress, bytes):
            try:
                found.append(decompress(content).decode(errors="replace"))
            except Exception:  # noqa: S112 (not in this encoding)
                continue
    return "\n".join(found)


def test_a_search_is_kept_in_no_cache_table_or_log(server):
    host, redis_server, env = server
    words = made_up_words()
    for language, word in words.items():
        query = urllib.parse.urlencode({"q": word})
        for encoding in ("br", "gzip", "identity"):
            status, headers, _body = fetch(
                f"{host.url}/{language}/search/?{query}",
                headers={"Accept-Encoding": encoding},
            )
            assert status == 200
            assert "no-store" in headers["Cache-Control"]
        # The page itself shows what was searched: the words did reach the site.
        assert word in fetch(f"{host.url}/{language}/search/?{query}")[2].decode()
        # And in requests the server refuses, which gunicorn logs as errors.
        path = f"/{language}/search/?{query}".encode()
        assert b" 400 " in raw_request(
            host.port, b"GET " + path + b" HTTP/1.1 extra\r\nHost: x\r\n\r\n"
        )
        assert b" 400 " in raw_request(
            host.port,
            b"GET "
            + path
            + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\x00: "
            + word.encode()
            + b"\r\n\r\n",
        )
    # Pages that are cached were cached, so the cache was in use.
    assert fetch(f"{host.url}/en/")[0] == 200
    kept = kept_anywhere(host, redis_server, env)
    assert "page:" in kept["cache"]
    assert "Invalid request" in kept["log"]
    for place, text in kept.items():
        for word in words.values():
            for form in forms_of(word):
                assert form not in text, f"{form!r} is kept in the {place}"
    assert "127.0.0.1" not in kept["log"].replace(f"{HOST}:{host.port}", "")


# What the cache may hold: pages, the content version, the health check, and
# counters whose keys are a day, a page and a language (or an hour and a page).
ALLOWED_KEYS = re.compile(
    r"guide:1:(page:[0-9a-f]{64}:(br|gzip|identity|)"
    r"|guide:content-version|guide:healthz"
    r"|count:(views|useful|not_useful):[0-9]{4}-[0-9]{2}-[0-9]{2}:[a-z-]+:[a-z_]+:/[a-z0-9/-]*"
    r"|reports:[0-9]{10}:/[a-z0-9/-]*)"
)


def post(url, fields, headers):
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers=headers,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get_all("Set-Cookie"), response.read()


def test_a_report_and_the_counts_keep_nothing_about_the_resident(server):
    host, redis_server, env = server
    tag = uuid.uuid4().hex[:8]
    browser = f"Zorblax-Phone/{tag}"
    headers = {
        "User-Agent": browser,
        "Accept-Language": "ht",
        "Referer": f"https://elsewhere.example/{tag}",
    }
    page = "/health/mayors-health-line/"
    status, found, body = fetch(f"{host.url}/ht{page}", headers=headers)
    assert status == 200 and "Set-Cookie" not in found
    token = re.search(r'name="token" value="([^"]+)"', body.decode()).group(1)
    origin = {**headers, "Origin": host.url}
    status, cookies, thanks = post(
        f"{host.url}/ht/report/",
        {
            "page": page,
            "token": token,
            "problem": "phone",
            "comment": "Nimewo a pa mache",
        },
        origin,
    )
    assert status == 200 and not cookies
    assert "Nimewo a pa mache" not in thanks.decode()
    status, cookies, _body = post(
        f"{host.url}/ht/useful/", {"page": page, "token": token, "answer": "no"}, origin
    )
    assert status == 200 and not cookies
    manage(env, "write_page_counts")
    kept = kept_anywhere(host, redis_server, env)
    # The report is kept, with its page, language, choice, words and day.
    assert "Nimewo a pa mache" in kept["database"]
    assert '"language": "ht"' in kept["database"]
    for place, text in kept.items():
        for trace in (browser, tag, "elsewhere.example"):
            assert trace not in text, f"{trace!r} is kept in the {place}"
    # The client's address (the server's own host and port aside, which pages
    # name in their links).
    for place, text in kept.items():
        for own in (f"{HOST}:{host.port}", f"{HOST}%3A{host.port}"):
            text = text.replace(own, "")
        assert "127.0.0.1" not in text, place
    for key in redis_server.client().scan_iter("*"):
        assert ALLOWED_KEYS.fullmatch(key.decode()), key
