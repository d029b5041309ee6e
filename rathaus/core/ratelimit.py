"""Counting attempts, to slow down guessing (passwords, codes, numbers) and bulk requests.

Fixed windows per key: after `limit` counted attempts within `window` seconds, further attempts are refused until
the window ends. Logins count only failures (`failure`); pages that anybody may query count every request
(`consume`). Keys are hashed, so no e-mail address or IP address is stored in plain text. The counters live in the
database (`RateCounter`), so all worker processes and app servers share one budget, and a count is one atomic
UPDATE: concurrent attempts cannot slip past the limit. Expired windows are deleted by `rathaus daily`.

Count outside any transaction that a refusal rolls back (a service that raises after counting inside
`transaction.atomic` would take the count with it): check and count in the view, or around the atomic part.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds

    def _key(self, value: str) -> str:
        digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
        return f"{self.scope}:{digest}"[-120:]

    def count(self, value: str) -> int:
        """Attempts counted for `value` in the current window."""
        counter = RateCounter.objects.filter(key=self._key(value), expires_at__gt=timezone.now()).first()
        return counter.count if counter else 0

    def exceeded(self, value: str) -> bool:
        return self.count(value) >= self.limit

    def failure(self, value: str) -> None:
        """Count one attempt, whatever the count so far."""
        self._count(self._key(value), below=None)

    def consume(self, value: str) -> bool:
        """Count one attempt; False when the limit was already reached (the attempt is then not counted)."""
        return self._count(self._key(value), below=self.limit)

    def reset(self, value: str) -> None:
        RateCounter.objects.filter(key=self._key(value)).delete()

    def _count(self, key: str, *, below: int | None) -> bool:
        if below is not None and below <= 0:
            return False
        now = timezone.now()
        for _attempt in range(5):
            current = RateCounter.objects.filter(key=key, expires_at__gt=now)
            if below is not None:
                current = current.filter(count__lt=below)
            if current.update(count=F("count") + 1):
                return True
            if below is not None and RateCounter.objects.filter(key=key, expires_at__gt=now).exists():
                return False  # the window's budget is spent
            if self._open_window(key, now):
                return True
        return False  # the window kept changing under us: refuse rather than count nothing

    def _open_window(self, key: str, now: datetime) -> bool:
        """Start a window with this attempt: over an expired one, or as a new row. False when another process
        started one at the same moment (the caller then counts in that one)."""
        ends = now + timedelta(seconds=self.window)
        if RateCounter.objects.filter(key=key, expires_at__lte=now).update(count=1, expires_at=ends):
            return True
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, count=1, expires_at=ends)
        except IntegrityError:
            return False
        return True


def any_exceeded(checks: list[tuple[Limit, str]]) -> bool:
    return any(limit.exceeded(value) for limit, value in checks if value)


def record_failure(checks: list[tuple[Limit, str]]) -> None:
    for limit, value in checks:
        if value:
            limit.failure(value)


def counters_purge() -> int:
    """Delete the windows that have ended; returns how many."""
    deleted, _by_model = RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
