"""Daily rollups: the raw events of a day become counts per event, service and dimension value, and duration
histograms. Rolling up a day again replaces its rows, so the numbers are always the same for the same events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate
from django.utils import timezone

from rathaus.tenants.models import Municipality

from . import histogram
from .models import DailyCount, DailyDuration, Event, RolledDay
from .services import ALLOWED_DIMENSIONS

# Dimensions that are numbers of seconds go into histograms, not into counts per value.
DURATION_DIMENSIONS = frozenset({"duration"})
BOOLEAN_DIMENSIONS = frozenset({"guest", "on_time"})
COUNTED_DIMENSIONS = sorted(ALLOWED_DIMENSIONS - DURATION_DIMENSIONS)
# Synthetic count of the rollup: the fields that showed an error when a visit stopped without sending.
FIELD_ABANDONED = "field_abandoned"
ABANDONMENT_EVENTS = ("field_invalid", "step_completed", "application_submitted")
CHUNK_DAYS = 7


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _normalise(dimension: str, value: Any) -> str:
    if dimension in BOOLEAN_DIMENSIONS:
        return "true" if str(value).lower() in {"1", "true"} else "false"
    return str(value)[:60]


@dataclass
class RollupResult:
    days: int = 0
    events: int = 0
    rows: int = 0


def _chunks(days: Sequence[date]) -> Iterable[list[date]]:
    """Consecutive runs of at most CHUNK_DAYS days."""
    run: list[date] = []
    for day in sorted(set(days)):
        if run and (day - run[-1] != timedelta(days=1) or len(run) >= CHUNK_DAYS):
            yield run
            run = []
        run.append(day)
    if run:
        yield run


def _abandoned_fields(events: Iterable[tuple[int, str, str, str, Any, Any, datetime]]) -> dict[tuple, int]:
    """Per (municipality, day, service, field): visits that stopped without sending while this field showed an error.

    A visit's id is random and changes every day, so this looks at one day of one visit: the fields of its last step
    with errors, unless that step was completed afterwards or the application was sent."""
    visits: dict[tuple[int, str, str], list[tuple[str, Any, Any]]] = defaultdict(list)
    days: dict[tuple[int, str, str], date] = {}
    for municipality_id, visit, service_key, name, step, field, occurred_at in events:
        key = (municipality_id, visit, service_key)
        visits[key].append((name, step, field))
        days.setdefault(key, _local_day(occurred_at))
    counts: dict[tuple, int] = defaultdict(int)
    for key, happened in visits.items():
        if any(name == "application_submitted" for name, _s, _f in happened):
            continue
        last_error = max((i for i, (name, _s, _f) in enumerate(happened) if name == "field_invalid"), default=None)
        if last_error is None:
            continue
        step = happened[last_error][1]
        later = happened[last_error + 1 :]
        if any(name == "step_completed" and s == step for name, s, _f in later):
            continue
        # The fields of that last attempt: the errors at `step` since the visit last completed a step.
        fields: set[str] = set()
        for name, s, field in reversed(happened[: last_error + 1]):
            if name == "step_completed":
                break
            if name == "field_invalid" and s == step and field:
                fields.add(str(field))
        municipality_id, _visit, service_key = key
        for field in fields:
            counts[(municipality_id, days[key], service_key, field)] += 1
    return counts


def _roll_chunk(days: list[date], municipality_ids: list[int]) -> RollupResult:
    start, _ = day_bounds(days[0])
    _, end = day_bounds(days[-1])
    tz = timezone.get_default_timezone()
    events = Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end, municipality_id__in=municipality_ids)
    local_day = TruncDate("occurred_at", tzinfo=tz)
    counts: dict[tuple[int, date, str, str, str, str], int] = defaultdict(int)
    total_events = 0
    for row in events.values("municipality_id", "name", "service_key").annotate(day=local_day, n=Count("id")):
        counts[(row["municipality_id"], row["day"], row["service_key"], row["name"], "", "")] += row["n"]
        total_events += row["n"]
    for dimension in COUNTED_DIMENSIONS:
        rows = (
            events.filter(dimensions__has_key=dimension)
            .values("municipality_id", "name", "service_key")
            .annotate(day=local_day, value=KeyTextTransform(dimension, "dimensions"), n=Count("id"))
        )
        for row in rows:
            value = _normalise(dimension, row["value"])
            counts[(row["municipality_id"], row["day"], row["service_key"], row["name"], dimension, value)] += row["n"]
    durations: dict[tuple[int, date, str, str, int], int] = defaultdict(int)
    for dimension in DURATION_DIMENSIONS:
        values = events.filter(dimensions__has_key=dimension).values_list(
            "municipality_id", "occurred_at", "service_key", "name", KeyTextTransform(dimension, "dimensions")
        )
        for municipality_id, occurred_at, service_key, name, seconds in values.iterator(chunk_size=10_000):
            try:
                bucket = histogram.bucket_of(float(seconds))
            except (TypeError, ValueError):
                continue  # not a number: nothing to count
            durations[(municipality_id, _local_day(occurred_at), service_key, name, bucket)] += 1
    abandonment = (
        events.filter(name__in=ABANDONMENT_EVENTS)
        .exclude(visit="")
        .order_by("occurred_at", "pk")
        .values_list(
            "municipality_id",
            "visit",
            "service_key",
            "name",
            KeyTextTransform("step", "dimensions"),
            KeyTextTransform("field", "dimensions"),
            "occurred_at",
        )
    )
    for (municipality_id, day, service_key, field), n in _abandoned_fields(abandonment.iterator(10_000)).items():
        counts[(municipality_id, day, service_key, FIELD_ABANDONED, "field", field)] += n
        counts[(municipality_id, day, service_key, FIELD_ABANDONED, "", "")] += n

    with transaction.atomic():
        DailyCount.objects.filter(municipality_id__in=municipality_ids, day__in=days).delete()
        DailyDuration.objects.filter(municipality_id__in=municipality_ids, day__in=days).delete()
        DailyCount.objects.bulk_create(
            (
                DailyCount(municipality_id=m, day=d, service_key=s, name=n, dimension=dim, value=v, count=c)
                for (m, d, s, n, dim, v), c in counts.items()
            ),
            batch_size=5000,
        )
        DailyDuration.objects.bulk_create(
            (
                DailyDuration(municipality_id=m, day=d, service_key=s, name=n, bucket=b, count=c)
                for (m, d, s, n, b), c in durations.items()
            ),
            batch_size=5000,
        )
        now = timezone.now()
        rolled = RolledDay.objects.filter(municipality_id__in=municipality_ids, day__in=days)
        rolled.update(rolled_at=now)
        existing = set(rolled.values_list("municipality_id", "day"))
        RolledDay.objects.bulk_create(
            RolledDay(municipality_id=m, day=d, rolled_at=now)
            for m in municipality_ids
            for d in days
            if (m, d) not in existing
        )
    return RollupResult(days=len(days), events=total_events, rows=len(counts) + len(durations))


def rollup_days(
    *,
    days: Iterable[date],
    municipalities: Sequence[Municipality] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RollupResult:
    """Roll up `days` (local calendar days) for `municipalities` (default: all). Idempotent."""
    ids = (
        [m.pk for m in municipalities]
        if municipalities is not None
        else list(Municipality.objects.values_list("pk", flat=True))
    )
    days = sorted(set(days))
    result = RollupResult()
    done = 0
    for chunk in _chunks(days):
        part = _roll_chunk(chunk, ids)
        result.days += part.days
        result.events += part.events
        result.rows += part.rows
        done += len(chunk)
        if progress is not None:
            progress(done, len(days))
    return result


def unrolled_days(*, municipality: Municipality, until: date) -> list[date]:
    """Days from the first raw event up to `until` that have not been rolled up."""
    first = Event.objects.filter(municipality=municipality).aggregate(first=Min("occurred_at"))["first"]
    if first is None or _local_day(first) > until:
        return []
    start = _local_day(first)
    rolled = set(
        RolledDay.objects.filter(municipality=municipality, day__gte=start, day__lte=until).values_list(
            "day", flat=True
        )
    )
    return sorted({start + timedelta(days=i) for i in range((until - start).days + 1)} - rolled)


def pending_days(*, municipality: Municipality, until: date) -> list[date]:
    """What the daily job rolls up: the days not rolled up yet, and the last two again (events of late commits)."""
    return sorted(set(unrolled_days(municipality=municipality, until=until)) | {until - timedelta(days=1), until})


def raw_retention_days() -> int:
    return max(8, int(getattr(settings, "RATHAUS_ANALYTICS_RAW_DAYS", 90)))


def raw_events_purge(*, today: date | None = None) -> int:
    """Delete raw events older than RATHAUS_ANALYTICS_RAW_DAYS, but never of a day that waits for its rollup."""
    today = today or timezone.localdate()
    cutoff_day = today - timedelta(days=raw_retention_days())
    deleted = 0
    for municipality in Municipality.objects.all():
        waiting = unrolled_days(municipality=municipality, until=cutoff_day - timedelta(days=1))
        limit = day_bounds(waiting[0] if waiting else cutoff_day)[0]
        count, _ = Event.objects.filter(municipality=municipality, occurred_at__lt=limit).delete()
        deleted += count
    return deleted
