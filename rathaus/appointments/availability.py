"""Free times of a location: opening hours and closing days, minus what counters are already busy with.

Pure computation over a few queries; the services use the same functions under the location's row lock, so what
the citizen is offered and what the booking checks are one and the same rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from rathaus.core.holidays import public_holiday

from .models import BlockedTime, Booking, ClosingDay, Counter, Location, OpeningHours

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class DaySchedule:
    """Opening intervals of one location on one day (empty when closed) and why it is closed, if it is."""

    day: date
    intervals: list[Interval]
    closed_because: str = ""


def _aware(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def schedules(location: Location, first: date, last: date) -> dict[date, DaySchedule]:
    """The schedule of every day from `first` to `last` (inclusive)."""
    hours: dict[int, list[OpeningHours]] = defaultdict(list)
    for interval in OpeningHours.objects.filter(location=location).order_by("opens"):
        hours[interval.weekday].append(interval)
    closing = dict(
        ClosingDay.objects.filter(location=location, date__range=(first, last)).values_list("date", "reason")
    )
    result = {}
    day = first
    while day <= last:
        holiday = public_holiday(location.holiday_region, day)
        if day in closing:
            result[day] = DaySchedule(day, [], closing[day] or "closed")
        elif holiday:
            result[day] = DaySchedule(day, [], holiday)
        else:
            intervals = [(_aware(day, h.opens), _aware(day, h.closes)) for h in hours[day.weekday()]]
            result[day] = DaySchedule(day, intervals, "" if intervals else "no_hours")
        day += timedelta(days=1)
    return result


def occupying_now(now: datetime) -> Q:
    """Bookings that block their counter at the moment `now`: confirmed or missed ones, and holds not lapsed."""
    return Q(status__in=[Booking.Status.CONFIRMED, Booking.Status.NO_SHOW]) | Q(
        status=Booking.Status.HELD, hold_expires_at__gt=now
    )


def occupying(location: Location, start: datetime, end: datetime, now: datetime) -> Q:
    """Bookings of `location` that block a counter somewhere in [start, end) at the moment `now`."""
    return Q(location=location, start__lt=end, end__gt=start) & occupying_now(now)


def unavailable(location: Location, start: datetime, end: datetime, now: datetime) -> Q:
    """What may not be offered besides occupying bookings: cancelled times not yet released again."""
    return occupying(location, start, end, now) | Q(
        location=location, start__lt=end, end__gt=start, status=Booking.Status.CANCELLED, released_at__gt=now
    )


def busy_times(
    location: Location, start: datetime, end: datetime, now: datetime, *, ignore: Booking | None = None
) -> dict[int, list[Interval]]:
    """Per counter id: the busy intervals between `start` and `end` (bookings, unreleased cancellations, blocks)."""
    busy: dict[int, list[Interval]] = defaultdict(list)
    bookings = Booking.objects.filter(unavailable(location, start, end, now))
    if ignore is not None:
        bookings = bookings.exclude(pk=ignore.pk)
    for counter_id, begins, ends in bookings.values_list("counter_id", "start", "end"):
        busy[counter_id].append((begins, ends))
    blocks = list(
        BlockedTime.objects.filter(location=location, start__lt=end, end__gt=start).values_list(
            "counter_id", "start", "end"
        )
    )
    if blocks:
        counter_ids = list(Counter.objects.filter(location=location).values_list("pk", flat=True))
        for counter_id, begins, ends in blocks:
            for each in [counter_id] if counter_id else counter_ids:
                busy[each].append((begins, ends))
    return busy


def capable_counters(location: Location, service_keys: list[str]) -> list[Counter]:
    """Active counters of the location that handle every one of the concerns."""
    return [c for c in Counter.objects.filter(location=location, active=True).order_by("pk") if c.offers(service_keys)]


def _is_free(busy: Iterable[Interval], start: datetime, end: datetime) -> bool:
    return all(not (begins < end and start < ends) for begins, ends in busy)


def free_counters(
    counters: list[Counter], busy: dict[int, list[Interval]], start: datetime, end: datetime
) -> list[Counter]:
    return [counter for counter in counters if _is_free(busy.get(counter.pk, ()), start, end)]


def grid_starts(location: Location, interval: Interval, minutes: int) -> list[datetime]:
    """Starts on the location's grid in `interval` at which `minutes` still end before it closes."""
    opens, closes = interval
    step = timedelta(minutes=location.slot_minutes)
    duration = timedelta(minutes=minutes)
    starts = []
    start = opens
    while start + duration <= closes:
        starts.append(start)
        start += step
    return starts


def earliest_start(location: Location, now: datetime) -> datetime:
    return now + timedelta(minutes=location.lead_minutes)


def last_day(location: Location, now: datetime) -> date:
    return timezone.localtime(now).date() + timedelta(days=location.horizon_days)


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The intervals sorted and joined where they overlap or touch: disjoint, ascending."""
    result: list[Interval] = []
    for begins, ends in sorted(intervals):
        if result and begins <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], ends))
        else:
            result.append((begins, ends))
    return result


def starts_clear_of(starts: list[datetime], duration: timedelta, busy: list[Interval]) -> list[datetime]:
    """The `starts` (ascending) at which [start, start + duration) meets nothing of `busy` (merged): one pass."""
    clear = []
    index = 0
    for start in starts:
        while index < len(busy) and busy[index][1] <= start:
            index += 1
        if index == len(busy) or busy[index][0] >= start + duration:
            clear.append(start)
    return clear


def free_starts(
    location: Location,
    counters: list[Counter],
    minutes: int,
    first: date,
    last: date,
    now: datetime,
    earliest: datetime | None = None,
) -> dict[date, list[datetime]]:
    """Per day from `first` to `last`: the starts at which some capable counter is free for `minutes`, from
    `earliest` on (default: the location's lead time from now).

    Linear in grid starts and busy intervals per counter; counters are asked in turn until every start of the day
    is known to be free, so an empty calendar costs one pass per day.
    """
    first = max(first, timezone.localtime(now).date())
    last = min(last, last_day(location, now))
    if first > last or not counters:
        return {}
    days = schedules(location, first, last)
    busy_by_day: dict[date, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
    for counter_id, intervals in busy_times(
        location, _aware(first, time.min), _aware(last + timedelta(days=1), time.min), now
    ).items():
        for begins, ends in intervals:
            day = timezone.localtime(begins).date()
            while _aware(day, time.min) < ends:  # a block may reach over several days
                busy_by_day[day][counter_id].append((begins, ends))
                day += timedelta(days=1)
    not_before = earliest or earliest_start(location, now)
    duration = timedelta(minutes=minutes)
    counter_ids = [counter.pk for counter in counters]
    free: dict[date, list[datetime]] = {}
    for day, schedule in days.items():
        grid = [
            start
            for interval in schedule.intervals
            for start in grid_starts(location, interval, minutes)
            if start >= not_before
        ]
        if not grid:
            continue
        busy = busy_by_day.get(day, {})
        found: set[datetime] = set()
        for counter_id in counter_ids:
            found.update(starts_clear_of(grid, duration, merged(busy.get(counter_id, ()))))
            if len(found) == len(grid):
                break
        if found:
            free[day] = [start for start in grid if start in found]
    return free
