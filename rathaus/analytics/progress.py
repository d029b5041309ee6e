"""A text progress bar for long commands: `[#######.......]  48 %  4,800,000 / 10,000,000 events`."""

from __future__ import annotations

import time
from collections.abc import Callable


class ProgressBar:
    def __init__(self, *, total: int, label: str, write: Callable[[str], None], width: int = 30) -> None:
        """`write` puts text out as it is (no line ending added)."""
        self.total, self.label, self.write, self.width = max(1, total), label, write, width
        self.started = time.monotonic()
        self._last = -1

    def update(self, done: int) -> None:
        percent = min(100, done * 100 // self.total)
        if percent == self._last and done < self.total:
            return
        self._last = percent
        filled = self.width * percent // 100
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0
        self.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d} %  "
            f"{done:,} / {self.total:,} {self.label}  ({rate:,.0f}/s)"
        )

    def finish(self) -> None:
        self.write("\n")
