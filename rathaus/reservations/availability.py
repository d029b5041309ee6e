"""Free times of a resource: its windows or opening intervals on each day of the season, minus closing days and the
reservations that hold it.

Pure computation over a few queries. The services call the same functions under the resource's row lock, so what
the citizen is offered and what a request is checked against are one and the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Closure, OpeningWindow, Reservation, Resource

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Option:
    """Something the citizen can choose on a day. Fixed windows: the window itself. Grid: a start, with `end` the
    latest end that is still free (at most the longest booking); `free` is False when it is taken."""

    start: datetime
    end: datetime
    label: str
    free: bool

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Day:
    """One day of the calendar: why it cannot be booked ("" when it can), and its options."""

    day: date
    closed: str
    options: list[Option]

    @property
    def free(self) -> list[Option]:
        return [option for option in self.options if option.free]


# Codes of `Day.closed`.
BEFORE = "too_soon"  # earlier than the lead days allow (or in the past)
AFTER = "too_far"  # beyond the horizon
SEASON = "season"
CLOSURE = "closure"
NO_TIMES = "no_times"


def aware(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def bookable_days(resource: Resource, now: datetime) -> tuple[date, date]:
    """The first and last day that can be requested now."""
    today = timezone.localtime(now).date()
    return today + timedelta(days=resource.lead_days), today + timedelta(days=resource.horizon_days)


def holding(resource: Resource, start: datetime, end: datetime, now: datetime) -> Q:
    """Reservations that hold `resource` somewhere in [start, end) at the moment `now`."""
    return Q(resource=resource, start__lt=end, end__gt=start) & (
        Q(status__in=[Reservation.Status.CONFIRMED, Reservation.Status.NO_SHOW])
        | Q(status=Reservation.Status.REQUESTED, expires_at__gt=now)
    )


def busy_times(resource: Resource, start: datetime, end: datetime, now: datetime) -> list[Interval]:
    return list(
        Reservation.objects.filter(holding(resource, start, end, now)).order_by("start").values_list("start", "end")
    )


def _overlaps(busy: list[Interval], start: datetime, end: datetime) -> bool:
    return any(begins < end and start < ends for begins, ends in busy)


def _grid_options(resource: Resource, interval: Interval, busy: list[Interval]) -> list[Option]:
    opens, closes = interval
    step = timedelta(minutes=resource.grid_minutes)
    shortest, longest = timedelta(minutes=resource.min_minutes), timedelta(minutes=resource.max_minutes)
    options = []
    start = opens
    while start + shortest <= closes:
        taken = any(begins <= start < ends for begins, ends in busy)
        latest = min([closes, start + longest, *(begins for begins, _ends in busy if begins > start)])
        end = start + ((latest - start) // step) * step  # bookings end on the grid too
        free = not taken and end - start >= shortest
        options.append(Option(start=start, end=end if free else start + shortest, label="", free=free))
        start += step
    return options


def day_options(resource: Resource, day: date, windows: list[OpeningWindow], busy: list[Interval]) -> list[Option]:
    """The options of one open day: fixed windows with whether each is free, or the grid's starts."""
    intervals = [(w, aware(day, w.starts), aware(day, w.ends)) for w in windows if w.on(day.weekday())]
    if resource.mode == Resource.Mode.WINDOWS:
        return [
            Option(start=start, end=end, label=w.label, free=not _overlaps(busy, start, end))
            for w, start, end in intervals
        ]
    return [option for _w, start, end in intervals for option in _grid_options(resource, (start, end), busy)]


def _minute(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def windows_of(resource: Resource) -> list[OpeningWindow]:
    """Fixed windows short ones first ("10-16, 16-22, 10-22"), grid intervals by their start."""
    windows = list(OpeningWindow.objects.filter(resource=resource).order_by("starts", "ends"))
    if resource.mode == Resource.Mode.WINDOWS:
        windows.sort(key=lambda w: (_minute(w.ends) - _minute(w.starts), w.starts))
    return windows


def calendar(resource: Resource, first: date, last: date, now: datetime) -> list[Day]:
    """Every day from `first` to `last`: closed (with the reason) or its options; three queries in all."""
    windows = windows_of(resource)
    closures = list(Closure.objects.filter(resource=resource, first__lte=last, last__gte=first))
    busy = busy_times(resource, aware(first, time.min), aware(last + timedelta(days=1), time.min), now)
    earliest, latest = bookable_days(resource, now)
    days = []
    day = first
    while day <= last:
        closed = ""
        if day < earliest:
            closed = BEFORE
        elif day > latest:
            closed = AFTER
        elif not resource.in_season(day.month):
            closed = SEASON
        elif any(closure.first <= day <= closure.last for closure in closures):
            closed = CLOSURE
        options = [] if closed else day_options(resource, day, windows, busy)
        if not closed and not options:
            closed = NO_TIMES
        days.append(Day(day=day, closed=closed, options=options))
        day += timedelta(days=1)
    return days


def closure_reason(resource: Resource, day: date) -> str:
    closure = Closure.objects.filter(resource=resource, first__lte=day, last__gte=day).first()
    return closure.reason if closure else ""
