"""ClamAV's daemon (clamd), spoken to over its INSTREAM protocol on a unix socket or TCP.

The protocol (clamd(8)): send `zINSTREAM\\0`, then the data as chunks, each prefixed with its length as a
4-byte unsigned integer in network byte order, then a zero-length chunk. clamd answers one NUL-terminated
line: `stream: OK`, `stream: <signature> FOUND`, or `<reason> ERROR` (for example when the stream is longer
than its StreamMaxLength).
"""

from __future__ import annotations

import re
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.exceptions import ImproperlyConfigured

from .base import CLEAN, Scanner, ScannerUnavailable, ScanResult
from .registry import register

CHUNK_SIZE = 64 * 1024
MAX_REPLY = 4096
_FOUND = re.compile(r"^stream: (?P<signature>.+) FOUND$")


@dataclass(frozen=True)
class ClamdOptions:
    socket: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 30.0

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> ClamdOptions:
        unknown = set(options) - {"socket", "host", "port", "timeout"}
        if unknown:
            raise ImproperlyConfigured(f"RATHAUS_CLAMD: unknown options {sorted(unknown)}")
        path, host = str(options.get("socket") or ""), str(options.get("host") or "")
        if bool(path) == bool(host):
            raise ImproperlyConfigured('RATHAUS_CLAMD needs either {"socket": PATH} or {"host": ..., "port": ...}')
        try:
            port = int(options.get("port", 3310))
            timeout = float(options.get("timeout", 30.0))
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"RATHAUS_CLAMD: {error}") from error
        if not 0 < port < 65536 or timeout <= 0:
            raise ImproperlyConfigured("RATHAUS_CLAMD: port must be 1-65535 and timeout positive")
        return cls(socket=path, host=host, port=port, timeout=timeout)

    @property
    def address(self) -> str:
        return self.socket or f"{self.host}:{self.port}"


@register("clamd")
class ClamdScanner(Scanner):
    def __init__(self, options: ClamdOptions) -> None:
        self.options = options

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ClamdScanner:
        return cls(ClamdOptions.parse(options))

    def _connect(self) -> socket.socket:
        try:
            if self.options.socket:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.settimeout(self.options.timeout)
                try:
                    connection.connect(self.options.socket)
                except BaseException:
                    connection.close()
                    raise
                return connection
            return socket.create_connection((self.options.host, self.options.port), timeout=self.options.timeout)
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.options.address} is not reachable: {error}") from error

    def _command(self, command: bytes, body: BinaryIO | None = None) -> str:
        with self._connect() as connection:
            try:
                connection.sendall(b"z" + command + b"\0")
                if body is not None:
                    try:
                        while chunk := body.read(CHUNK_SIZE):
                            connection.sendall(struct.pack("!I", len(chunk)) + chunk)
                        connection.sendall(struct.pack("!I", 0))
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # clamd stopped reading (e.g. the stream is too long); its reply says why
                reply = _read_reply(connection)
            except OSError as error:
                raise ScannerUnavailable(f"clamd at {self.options.address} failed: {error}") from error
        if not reply:
            raise ScannerUnavailable(f"clamd at {self.options.address} closed the connection without an answer")
        return reply

    def scan(self, stream: BinaryIO) -> ScanResult:
        reply = self._command(b"INSTREAM", stream)
        if reply == "stream: OK":
            return CLEAN
        if found := _FOUND.match(reply):
            return ScanResult(infected=True, signature=found["signature"])
        raise ScannerUnavailable(f"clamd at {self.options.address} answered {reply[:200]!r}")

    def ping(self) -> bool:
        try:
            return self._command(b"PING") == "PONG"
        except ScannerUnavailable:
            return False


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY:
        data = connection.recv(MAX_REPLY)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
