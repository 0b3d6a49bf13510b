"""Page counts through a real server: gunicorn with the production settings and
no Redis, so that each worker's memory is the cache that holds its counts, as on
a small install. A server that stops writes them first: none is lost."""

import pytest

from tests.servers import Gunicorn, fetch, manage, production_env

# gunicorn with the production settings serves hashed static files.
pytestmark = pytest.mark.usefixtures("collected_static")

READ_COUNTS = """
from services.models import PageCount
for row in PageCount.objects.order_by("language", "page"):
    print(row.language, row.page, row.views)
"""


def test_a_server_that_stops_writes_the_counts_its_workers_held(tmp_path):
    env = production_env(tmp_path / "guide.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    # Ready once /en/about/ has answered: that is one page read.
    host = Gunicorn(env, tmp_path / "gunicorn.log").start(ready_path="/en/about/")
    try:
        reads = {"/en/": 3, "/es/health/mayors-health-line/": 2, "/ar/about/": 1}
        for path, times in reads.items():
            for _ in range(times):
                assert fetch(host.url + path)[0] == 200
    finally:
        host.stop()
    assert manage(env, "shell", "--no-imports", "-c", READ_COUNTS).splitlines() == [
        "ar /about/ 1",
        "en / 3",
        "en /about/ 1",
        "es /health/mayors-health-line/ 2",
    ]
