"""Daily rollups: the raw events of a day become counts per event, service and dimension value, and duration
histograms. Rolling up a day again replaces its rows, so the numbers are always the same for the same events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from rathaus.tenants.models import Municipality

from . import histogram
from .models import DailyCount, DailyDuration, Event, MonthlyCount, MonthlyDuration, RolledDay

# The dimensions kept per day and value, by event: what the KPIs need. Other dimensions stay in the raw events
# until these are deleted (RATHAUS_ANALYTICS_RAW_DAYS); add a pair here and roll up again to count them too.
ROLLED_UP = {
    "service_started": ("guest",),
    "step_completed": ("step",),
    "field_invalid": ("field",),
    "application_submitted": ("method", "trust_level"),
    "payment_method_chosen": ("method",),
    "payment_failed": ("method",),
    "upload_rejected": ("reason",),
    "login": ("login_method", "trust_level"),
    "registration_completed": ("login_method",),
    "case_decided": ("on_time", "method"),
    "appointment_cancelled": ("reason",),
    "report_filed": ("category",),
    "report_closed": ("category",),
}
# Dimensions that are numbers of seconds go into histograms, not into counts per value.
DURATION_DIMENSIONS = frozenset({"duration"})
BOOLEAN_DIMENSIONS = frozenset({"guest", "on_time"})
# Synthetic count of the rollup: the fields that showed an error when a visit stopped without sending.
FIELD_ABANDONED = "field_abandoned"
ABANDONMENT_EVENTS = frozenset({"field_invalid", "step_completed", "application_submitted"})
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


def _abandoned_fields(visits: dict[tuple[int, date, str, str], list[tuple[str, Any, Any]]]) -> dict[tuple, int]:
    """Per (municipality, day, service, field): visits that stopped without sending while this field showed an error.

    A visit's id is random and changes every day, so this looks at one day of one visit: the fields of its last step
    with errors, unless that step was completed afterwards or the application was sent."""
    counts: dict[tuple, int] = defaultdict(int)
    for (municipality_id, day, _visit, service_key), happened in visits.items():
        if any(name == "application_submitted" for name, _s, _f in happened):
            continue
        last_error = max((i for i, (name, _s, _f) in enumerate(happened) if name == "field_invalid"), default=None)
        if last_error is None:
            continue
        step = happened[last_error][1]
        if any(name == "step_completed" and s == step for name, s, _f in happened[last_error + 1 :]):
            continue
        # The fields of that last attempt: the errors at `step` since the visit last completed a step.
        fields: set[str] = set()
        for name, s, field in reversed(happened[: last_error + 1]):
            if name == "step_completed":
                break
            if name == "field_invalid" and s == step and field:
                fields.add(str(field))
        for field in fields:
            counts[(municipality_id, day, service_key, field)] += 1
    return counts


def _roll_chunk(days: list[date], municipality_ids: list[int]) -> RollupResult:
    start, _ = day_bounds(days[0])
    _, end = day_bounds(days[-1])
    events = (
        Event.objects.filter(occurred_at__gte=start, occurred_at__lt=end, municipality_id__in=municipality_ids)
        .order_by("occurred_at", "pk")
        .values_list("municipality_id", "occurred_at", "name", "service_key", "visit", "dimensions")
    )
    counts: dict[tuple[int, date, str, str, str, str], int] = defaultdict(int)
    durations: dict[tuple[int, date, str, str, int], int] = defaultdict(int)
    visits: dict[tuple[int, date, str, str], list[tuple[str, Any, Any]]] = defaultdict(list)
    total_events = 0
    tz = timezone.get_default_timezone()
    for municipality_id, occurred_at, name, service_key, visit, dimensions in events.iterator(chunk_size=20_000):
        day = occurred_at.astimezone(tz).date()
        total_events += 1
        counts[(municipality_id, day, service_key, name, "", "")] += 1
        dimensions = dimensions or {}
        for dimension in ROLLED_UP.get(name, ()):
            if dimension in dimensions:
                value = _normalise(dimension, dimensions[dimension])
                counts[(municipality_id, day, service_key, name, dimension, value)] += 1
        for dimension in DURATION_DIMENSIONS:
            seconds = dimensions.get(dimension)
            if isinstance(seconds, int | float) and not isinstance(seconds, bool):
                durations[(municipality_id, day, service_key, name, histogram.bucket_of(seconds))] += 1
        if visit and name in ABANDONMENT_EVENTS:
            visits[(municipality_id, day, visit, service_key)].append(
                (name, dimensions.get("step"), dimensions.get("field"))
            )
    for (municipality_id, day, service_key, field), n in _abandoned_fields(visits).items():
        counts[(municipality_id, day, service_key, FIELD_ABANDONED, "field", field)] += n
        counts[(municipality_id, day, service_key, FIELD_ABANDONED, "", "")] += n

    with transaction.atomic():
        DailyCount.objects.filter(municipality_id__in=municipality_ids, day__in=days).delete()
        DailyDuration.objects.filter(municipality_id__in=municipality_ids, day__in=days).delete()
        _insert(
            DailyCount,
            ("municipality_id", "day", "service_key", "name", "dimension", "value", "count"),
            ((m, d, s, n, dim, v, c) for (m, d, s, n, dim, v), c in counts.items()),
        )
        _insert(
            DailyDuration,
            ("municipality_id", "day", "service_key", "name", "bucket", "count"),
            ((m, d, s, n, b, c) for (m, d, s, n, b), c in durations.items()),
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


def _insert(model: type[DailyCount] | type[DailyDuration], columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Plain rows into the table: COPY on PostgreSQL, a multi-row insert elsewhere (bulk_create would build a model
    object per row for nothing)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datefield_value
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[tuple] = []
        for row in rows:
            batch.append((row[0], adapt(row[1]), *row[2:]))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _months_rebuild(month: date, municipality_ids: list[int]) -> None:
    """The month's rows again from its daily rows (in the database: INSERT ... SELECT ... GROUP BY)."""
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    adapt = connection.ops.adapt_datefield_value
    ids = ", ".join(["%s"] * len(municipality_ids))
    for daily, monthly, columns in (
        (DailyCount, MonthlyCount, ("service_key", "name", "dimension", "value")),
        (DailyDuration, MonthlyDuration, ("service_key", "name", "bucket")),
    ):
        monthly.objects.filter(municipality_id__in=municipality_ids, day=month).delete()
        names = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {monthly._meta.db_table} (municipality_id, day, {names}, count) "  # noqa: S608
                f"SELECT municipality_id, %s, {names}, SUM(count) FROM {daily._meta.db_table} "
                f"WHERE municipality_id IN ({ids}) AND day >= %s AND day < %s GROUP BY municipality_id, {names}",
                [adapt(month), *municipality_ids, adapt(month), adapt(following)],
            )


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
    for month in sorted({day.replace(day=1) for day in days}):  # once per month, after all its days
        with transaction.atomic():
            _months_rebuild(month, ids)
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
