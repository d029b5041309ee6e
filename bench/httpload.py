"""Shared parts of the HTTP benchmarks: a production server (gunicorn through `rathaus serve`) on its own data
directory and database, and a load generator of client processes that reports rates and latency percentiles.

The clients run in separate processes (not threads) so that they do not share one interpreter lock with each other;
they share the machine with the server, which is why benchmarks report ratios to a baseline measured in the same run.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RATHAUS = ROOT / ".venv" / "bin" / "rathaus"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_url(default_name: str) -> str:
    """DATABASE_URL if it names PostgreSQL, else a database of its own on the local server; exits with advice on
    SQLite (these benchmarks measure what production runs on)."""
    url = os.environ.get("DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{default_name}"
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/{default_name}")
    return url


def database_recreate(url: str) -> None:
    """Drop and create the benchmark's database, so every run starts from the same state."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        sys.exit(f"Cannot reach PostgreSQL at {admin}: {error}. Start it, or set DATABASE_URL.")


def server_environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "RATHAUS_DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def production_server(environment: dict[str, str], workers: int) -> Iterator[str]:
    """`rathaus serve` on a free port with `workers` processes; yields its base URL and stops it afterwards."""
    subprocess.run([str(RATHAUS), "collectstatic", "--noinput", "-v0"], env=environment, check=True)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(RATHAUS), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_up(port: int, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            sys.exit("The server did not start:\n" + log.read().decode(errors="replace")[-3000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("The server did not answer /health within 60 seconds.")


class _Discard:
    async def handle_DATA(self, server, session, envelope) -> str:
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[int]:
    """A local SMTP server that accepts every mail and keeps none (the app servers' mails cost what they cost)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(_Discard(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@dataclass
class Result:
    """What the clients of one scenario saw: latencies of every request in seconds and the HTTP statuses."""

    label: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")

    def line(self, baseline: Result | None = None) -> str:
        ratio = f"   ratio {self.rate / baseline.rate:6.3f}" if baseline and baseline.rate else ""
        p50 = statistics.median(self.latencies) * 1000 if self.latencies else float("nan")
        return (
            f"{self.label:<44} {self.rate:8.1f}/s   p50 {p50:7.1f} ms   p95 {self.percentile(0.95) * 1000:7.1f} ms"
            f"{ratio}"
        )


# A client's job: (base URL, its number, the number of clients, seconds) -> latencies and statuses.
Job = Callable[[str, int, int, float], tuple[list[float], Counter]]


def run_clients(label: str, job: Job, base_url: str, clients: int, seconds: float) -> Result:
    """Run `job` in `clients` processes at once for at most `seconds` and collect what they measured."""
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(clients) as pool:
        outcomes = pool.starmap(job, [(base_url, number, clients, seconds) for number in range(clients)])
    result = Result(label=label, seconds=time.perf_counter() - started)
    for latencies, statuses in outcomes:
        result.latencies.extend(latencies)
        result.statuses.update(statuses)
    return result


def timed_request(
    connection: http.client.HTTPConnection, method: str, path: str, body: str | None = None, headers=None
) -> tuple[float, int, http.client.HTTPResponse, bytes]:
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    return time.perf_counter() - started, response.status, response, content


@dataclass(frozen=True)
class GetLoop:
    """A client job (picklable, for the client processes) that GETs the `paths` in turn until its time is up; each
    client starts at another place in the list."""

    paths: tuple[str, ...]

    def __call__(self, base_url: str, client: int, clients: int, seconds: float) -> tuple[list[float], Counter]:
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        latencies: list[float] = []
        statuses: Counter = Counter()
        deadline = time.perf_counter() + seconds
        n = client
        while time.perf_counter() < deadline:
            latency, status, _response, _content = timed_request(connection, "GET", self.paths[n % len(self.paths)])
            latencies.append(latency)
            statuses[status] += 1
            n += clients
        return latencies, statuses
