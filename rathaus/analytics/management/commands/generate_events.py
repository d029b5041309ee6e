"""`rathaus generate_events N`: realistic synthetic traffic, written in bulk, then rolled up."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rathaus.analytics.generator import rows_for, rows_write
from rathaus.analytics.progress import ProgressBar
from rathaus.analytics.rollup import rollup_days
from rathaus.tenants.models import Municipality


class Command(BaseCommand):
    help = (
        "Generate N synthetic analytics events (services started, steps, payments, logins, decisions, appointments, "
        "defect reports) over the last DAYS days up to yesterday, shared among the municipalities by inhabitants, "
        "then roll those days up. The same --seed gives the same events."
    )

    def _write(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="number of events")
        parser.add_argument("--municipality", help="slug of one municipality (default: all)")
        parser.add_argument("--days", type=int, default=365, help="how many days back from yesterday (default 365)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--no-rollup", action="store_true", help="write the events only")

    def handle(self, *args, count: int, municipality: str | None, days: int, seed: int, no_rollup: bool, **options):
        if count < 1 or days < 1:
            raise CommandError("N and --days must be at least 1.")
        municipalities = list(Municipality.objects.order_by("slug"))
        if municipality:
            municipalities = [m for m in municipalities if m.slug == municipality]
            if not municipalities:
                raise CommandError(f"No municipality {municipality!r}; the slugs are listed in the admin.")
        if not municipalities:
            raise CommandError("There is no municipality yet: run `rathaus load_demo` or create one in the admin.")
        end = timezone.localdate() - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        bar = ProgressBar(total=count, label="events", write=self._write)
        written = rows_write(
            rows_for(municipalities=municipalities, count=count, start=start, end=end, seed=seed), progress=bar.update
        )
        bar.finish()
        self.stdout.write(f"{written:,} events from {start} to {end}.")
        if no_rollup:
            return
        day_list = [start + timedelta(days=i) for i in range(days)]
        rolled = ProgressBar(total=len(day_list), label="days rolled up", write=self._write)
        result = rollup_days(
            days=day_list, municipalities=municipalities, progress=lambda done, _t: rolled.update(done)
        )
        rolled.finish()
        self.stdout.write(self.style.SUCCESS(f"Rolled up {result.days} days into {result.rows:,} rows."))
