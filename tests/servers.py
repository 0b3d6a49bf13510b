"""Running the site as a real server, for the browser tests, the bench and the
server tests: production settings on loopback, in a throwaway database, with a
Redis of its own where a test needs one."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(database_path=None, *, database_url=None, **extra):
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
        DATABASE_URL=database_url or f"sqlite:///{database_path}",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env, *arguments, timeout=300):
    """Run a management command; its output, or an AssertionError saying why not."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def fetch(url, *, headers=None, timeout=10):
    """(status, headers, body) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Gunicorn:
    """gunicorn with config/gunicorn.py, as the README deploys it, logging to a
    file the test can read."""

    def __init__(self, env, log_path, *, workers=2):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = Path(log_path)
        self.env = {
            **env,
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_WORKERS": str(workers),
        }
        self.process = None

    def start(self, ready_path="/en/about/", timeout=60):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "-c",
                    "config/gunicorn.py",
                    "config.wsgi",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, f"gunicorn stopped:\n{self.log()}"
            try:
                if fetch(self.url + ready_path, timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no answer:\n{self.log()}"
            time.sleep(0.2)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RedisServer:
    """A Redis of the test's own on a free port, keeping nothing on disk; it can
    be paused (SIGSTOP) and resumed like a Redis that hangs."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.directory = Path(directory)
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing (Debian: apt-get install redis-server)"
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                HOST,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)


class Nginx:
    """nginx from config/nginx.conf, as the README deploys it, in front of one
    gunicorn, on loopback ports with a self-signed certificate."""

    def __init__(self, directory, upstream_port, *, admin_path="admin/"):
        self.directory = Path(directory)
        self.http_port = free_port()
        self.https_port = free_port()
        self.url = f"https://{HOST}:{self.https_port}"
        self.upstream_port = upstream_port
        self.admin_path = admin_path
        self.process = None

    def configuration(self):
        """config/nginx.conf with its names filled in, as envsubst would, and
        loopback ports instead of 80 and 443."""
        site = (ROOT / "config" / "nginx.conf").read_text()
        values = {
            "GUIDE_SERVER_NAME": HOST,
            "GUIDE_UPSTREAM": f"{HOST}:{self.upstream_port}",
            "GUIDE_ADMIN_PATH": self.admin_path,
            "GUIDE_CERTIFICATE": str(self.directory / "certificate.pem"),
            "GUIDE_CERTIFICATE_KEY": str(self.directory / "key.pem"),
            "GUIDE_LOG_DIRECTORY": str(self.directory),
        }
        for name, value in values.items():
            site = site.replace("${" + name + "}", value)
        lines = []
        for line in site.splitlines():
            if "listen [::]" in line:
                continue
            line = line.replace("listen 80;", f"listen {HOST}:{self.http_port};")
            line = line.replace("listen 443 ", f"listen {HOST}:{self.https_port} ")
            lines.append(line)
        temporary = self.directory / "temporary"
        temporary.mkdir(exist_ok=True)
        paths = "\n".join(
            f"    {kind}_temp_path {temporary / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        return (
            f"{user}daemon off;\nworker_processes 1;\n"
            f"pid {self.directory / 'nginx.pid'};\n"
            f"error_log {self.directory / 'nginx-error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n{paths}\n" + "\n".join(lines) + "\n}\n"
        )

    def start(self):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        assert Path(binary).exists(), "nginx is missing (Debian: nginx-light)"
        subprocess.run(
            [
                shutil.which("openssl") or "/usr/bin/openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                f"/CN={HOST}",
                "-keyout",
                str(self.directory / "key.pem"),
                "-out",
                str(self.directory / "certificate.pem"),
            ],
            check=True,
            capture_output=True,
        )
        configuration = self.directory / "nginx.conf"
        configuration.write_text(self.configuration())
        self.process = subprocess.Popen(
            [
                binary,
                "-c",
                str(configuration),
                "-p",
                str(self.directory),
                "-e",
                str(self.directory / "nginx-error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            assert self.process.poll() is None, self.process.stderr.read().decode()
            try:
                with socket.create_connection((HOST, self.https_port), timeout=1):
                    return self
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class TcpProxy:
    """A TCP proxy on loopback that can cut every connection through it and refuse
    new ones, as a database that goes away does, then let them through again."""

    def __init__(self, target_port):
        import threading

        self.target_port = target_port
        self.port = free_port()
        self.open = threading.Event()
        self.open.set()
        self.connections = []
        self.lock = threading.Lock()
        self.listener = socket.create_server((HOST, self.port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        import threading

        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection((HOST, self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self.pipe, args=(source, target), daemon=True
                ).start()

    @staticmethod
    def pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.open.clear()
        with self.lock:
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.connections.clear()

    def restore(self):
        self.open.set()

    def close(self):
        self.cut()
        self.listener.close()
