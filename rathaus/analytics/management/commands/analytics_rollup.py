"""`rathaus analytics_rollup`: roll up days again (the daily job does it for the days that are due)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rathaus.analytics.progress import ProgressBar
from rathaus.analytics.rollup import rollup_days


class Command(BaseCommand):
    help = "Roll up the analytics events of a range of days (default: yesterday) again. Safe to repeat."

    def _write(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, start: str | None, end: str | None, **options):
        yesterday = timezone.localdate() - timedelta(days=1)
        try:
            first = date.fromisoformat(start) if start else yesterday
            last = date.fromisoformat(end) if end else yesterday
        except ValueError as error:
            raise CommandError(f"{error}: write days as YYYY-MM-DD, e.g. --from 2026-01-01.") from None
        if last < first:
            raise CommandError("--to lies before --from.")
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        bar = ProgressBar(total=len(days), label="days", write=self._write)
        result = rollup_days(days=days, progress=lambda done, _total: bar.update(done))
        bar.finish()
        self.stdout.write(f"{result.events:,} events of {result.days} days into {result.rows:,} rows.")
