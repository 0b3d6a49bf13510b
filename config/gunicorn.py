"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

The access log records no client address and no query string (search terms live
there): a resident's visit leaves nothing in our logs. An operator who must log
addresses (for example to fight abuse) sets GUNICORN_LOG_CLIENT_IP=true.
"""

import multiprocessing
import os

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
if os.environ.get("GUNICORN_LOG_CLIENT_IP", "").lower() in {"1", "true", "yes"}:
    access_log_format = "%(h)s " + access_log_format


def when_ready(server):
    """Before the workers start: compile every public template and read every
    language's catalogue once, here, so that the workers share them instead of
    each building its own copy."""
    from django.conf import settings
    from django.template import engines
    from django.utils import translation

    templates = engines["jinja2"].env
    for name in templates.list_templates(extensions=["html"]):
        templates.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")


def pre_fork(server, worker):
    """Keep the app's objects out of the garbage collector's sweeps in the
    workers: a sweep writes to every object it visits, which would give each
    worker a private copy of memory it could share (about 10 MB a worker)."""
    import gc

    gc.freeze()
