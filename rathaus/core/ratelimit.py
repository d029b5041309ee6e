"""Counting attempts in Django's cache, to slow down guessing (passwords, codes, numbers) and bulk requests.

Fixed windows per key: after `limit` counted attempts within `window` seconds, further attempts are refused until
the window ends. Logins count only failures (`failure`); pages that anybody may query count every request
(`consume`). Keys are hashed, so no e-mail address or IP address ends up in the cache in plain text. With several
app servers, configure a shared cache (CACHES) so that every server sees the same counters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds

    def _key(self, value: str) -> str:
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
        return f"rathaus:ratelimit:{self.scope}:{digest}"

    def count(self, value: str) -> int:
        """Attempts counted for `value` in the current window."""
        return int(cache.get(self._key(value), 0))

    def exceeded(self, value: str) -> bool:
        return self.count(value) >= self.limit

    def failure(self, value: str) -> None:
        key = self._key(value)
        if not cache.add(key, 1, timeout=self.window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=self.window)

    def consume(self, value: str) -> bool:
        """Count one attempt; False when the limit was already reached (the attempt is then not counted)."""
        if self.exceeded(value):
            return False
        self.failure(value)
        return True

    def reset(self, value: str) -> None:
        cache.delete(self._key(value))


def any_exceeded(checks: list[tuple[Limit, str]]) -> bool:
    return any(limit.exceeded(value) for limit, value in checks if value)


def record_failure(checks: list[tuple[Limit, str]]) -> None:
    for limit, value in checks:
        if value:
            limit.failure(value)
