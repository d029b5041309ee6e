"""Production serving: deploy checks, the gunicorn server with whitenoise, and the health endpoint."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
RATHAUS = str(Path(sys.executable).with_name("rathaus"))


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        RATHAUS_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'rathaus.sqlite3'}",
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [RATHAUS, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read().decode()) from None
                time.sleep(0.2)
        raise RuntimeError("rathaus serve did not start within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = production_env(tmp_path, RATHAUS_HTTPS="1", ALLOWED_HOSTS="service.musterstadt.de")
    result = subprocess.run(
        [RATHAUS, "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_switched_on(tmp_path):
    result = subprocess.run(
        [RATHAUS, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


@pytest.fixture
def migrated_production_env(tmp_path):
    env = production_env(tmp_path)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([RATHAUS, *command], env=env, check=True, capture_output=True)
    return env


def test_serve_answers_health_and_serves_hashed_static_files(migrated_production_env):
    server = Server(migrated_production_env)
    try:
        status, _headers, body = get(f"{server.url}/health")
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')

        status, _headers, page = get(f"{server.url}/")
        assert status == 503, "no municipality yet: the page says how to set one up"
        stylesheet = next(
            part.split('"')[0] for part in page.decode().split('href="')[1:] if "/static/rathaus/rathaus." in part
        )
        assert stylesheet != "/static/rathaus/rathaus.css", "the manifest storage hashes file names"
        status, headers, css = get(f"{server.url}{stylesheet}")
        assert status == 200 and b"--rathaus-brand" in css
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.stop()


def test_health_is_503_when_the_database_is_down(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/rathaus")
    server = Server(env)
    try:
        status, _headers, body = get(f"{server.url}/health")
        assert status == 503
        assert b'"database": "unavailable"' in body
    finally:
        server.stop()
