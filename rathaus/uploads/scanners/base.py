"""The virus scanner interface: a plugin scans a stream of bytes and says clean or infected.

A plugin that cannot give an answer (not reachable, timed out, protocol error) raises ScannerUnavailable; the
upload service then refuses the file ("fail closed") instead of storing something unchecked.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""  # the scanner's name for what it found, for the log (never shown to citizens)


CLEAN = ScanResult(infected=False)


class ScannerUnavailable(Exception):
    """The scanner gave no answer; the file must not be accepted."""


class Scanner(ABC):
    """A virus scanner plugin. Subclasses are registered with `@register("identifier")` (see registry.py)."""

    identifier: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def from_options(cls, options: Mapping[str, Any]) -> Scanner:
        """Build the scanner from its settings; raise ImproperlyConfigured for wrong options."""

    @abstractmethod
    def scan(self, stream: BinaryIO) -> ScanResult:
        """Scan everything `stream` yields from its current position to its end."""

    @abstractmethod
    def ping(self) -> bool:
        """True when the scanner answers (for health checks and start-up waits)."""
