"""Running the site as a real server, for the browser tests, the bench and the
multi-host test: production settings on loopback, in a throwaway database."""

import os
import secrets
import socket

HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(database_path, **extra):
    """The environment of a production start, without TLS (loopback only)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "GUIDE_"))
        and name != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{database_path}",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env
