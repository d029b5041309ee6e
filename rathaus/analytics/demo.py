"""Demo data: a year of synthetic traffic per demo municipality, rolled up, and both opt-ins switched on (called by
rathaus/core/demo.py). Runs once: a municipality that already has rolled-up figures keeps them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from rathaus.tenants.models import Municipality

from .generator import rows_for, rows_write
from .models import AnalyticsSettings, DailyCount
from .rollup import rollup_days

DEMO_DAYS = 365


def demo_events_per_inhabitant() -> float:
    """About one event per inhabitant and year keeps `make run` quick on SQLite (RATHAUS_DEMO_EVENTS_PER_INHABITANT)."""
    return float(getattr(settings, "RATHAUS_DEMO_EVENTS_PER_INHABITANT", 1.0))


def analytics_demo_load(*, municipality: Municipality, seed: int = 2026) -> int:
    """A year of events up to yesterday, rolled up; the comparison and open data switched on. Returns the number of
    events written (0 when the municipality already has figures)."""
    AnalyticsSettings.objects.get_or_create(
        municipality=municipality, defaults={"compare": True, "publish_open_data": True}
    )
    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=DEMO_DAYS - 1)
    if DailyCount.objects.filter(municipality=municipality, day__lt=end - timedelta(days=30)).exists():
        return 0
    count = max(100, int(municipality.inhabitants * demo_events_per_inhabitant()))
    written = rows_write(rows_for(municipalities=[municipality], count=count, start=start, end=end, seed=seed))
    rollup_days(days=[start + timedelta(days=i) for i in range(DEMO_DAYS)], municipalities=[municipality])
    return written
