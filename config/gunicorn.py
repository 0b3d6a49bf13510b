"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Run behind a proxy that buffers requests and responses (see config/nginx.conf and
the README): gunicorn's sync workers then never wait on a slow client.

Nothing a resident sends is logged: the access log records no client address and
no query string (search terms live there), and the error log keeps the reason a
request was refused but neither the client's address nor the request line or
header it sent (PrivateLogger). An operator who must log addresses (for example
to fight abuse) sets GUNICORN_LOG_CLIENT_IP=true.
"""

import multiprocessing
import os
import re
from typing import TYPE_CHECKING, Any, cast

from gunicorn.glogging import Logger

if TYPE_CHECKING:
    from django.template.backends.jinja2 import Jinja2
    from gunicorn.arbiter import Arbiter
    from gunicorn.workers.base import Worker

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Load the app once in the master: workers share its memory and start fast. Safe:
# nothing opens a database connection at import time.
preload_app = True

accesslog = "-"
errorlog = "-"
# %(U)s is the path without the query string.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
LOG_CLIENT_IP = os.environ.get("GUNICORN_LOG_CLIENT_IP", "").lower() in {"1", "true"}
if LOG_CLIENT_IP:
    access_log_format = "%(h)s " + access_log_format

# What gunicorn writes about a refused request: "Invalid request from ip=1.2.3.4:
# Invalid HTTP request line: 'GET /es/search/?q=... HTTP/1.1'". Addresses, and
# anything quoted from the request, are left out.
CLIENT_ADDRESS = re.compile(r"\s*\bfrom ip=(?:.*?(?=: )|\S*)")
QUOTED = re.compile(r"""\s*('[^']*'?|"[^"]*"?)""")
REQUEST_LINE = re.compile(r"^Error handling request .*$", re.DOTALL)


def scrubbed(message: str) -> str:
    if not LOG_CLIENT_IP:
        message = CLIENT_ADDRESS.sub("", message)
    message = QUOTED.sub("", message)
    return REQUEST_LINE.sub("Error handling a request", message)


class PrivateLogger(Logger):
    """gunicorn's logger, with its error log scrubbed (see `scrubbed`)."""

    def log(self, lvl: str | int, msg: object, *args: Any, **kwargs: Any) -> None:
        try:
            message = str(msg) % args if args else str(msg)
        except (TypeError, ValueError):
            message = " ".join(map(str, (msg, *args)))
        super().log(lvl, scrubbed(message), **kwargs)

    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("critical", msg, *args, **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("error", msg, *args, **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("warning", msg, *args, **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("info", msg, *args, **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("debug", msg, *args, **kwargs)

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.log("error", msg, *args, exc_info=True, **kwargs)


logger_class = PrivateLogger


def when_ready(server: "Arbiter") -> None:
    """Before the workers start: compile every public template and read every
    language's catalogue once, here, so that the workers share them instead of
    each building its own copy."""
    from django.conf import settings
    from django.template import engines
    from django.utils import translation

    templates = cast("Jinja2", engines["jinja2"]).env
    for name in templates.list_templates(extensions=["html"]):
        templates.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")


def pre_fork(server: "Arbiter", worker: "Worker") -> None:
    """Keep the app's objects out of the garbage collector's sweeps in the
    workers: a sweep writes to every object it visits, which would give each
    worker a private copy of memory it could share."""
    import gc

    gc.freeze()


def worker_exit(server: "Arbiter", worker: "Worker") -> None:
    """A worker that stops (a restart, a new release) first writes the page
    counts it added to: where the cache is each worker's own memory, they would
    otherwise go with it."""
    from services.feedback import counts

    counts.write_now_and_then.write()
