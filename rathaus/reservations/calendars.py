"""Month views for the pages: weeks of seven days (Monday first), month navigation, and parsing what is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from django.utils import timezone

T = TypeVar("T")


@dataclass(frozen=True)
class Month(Generic[T]):
    """A month as rows of weeks; each cell is the item of that day or None outside the month."""

    first: date
    weeks: list[list[T | None]]
    previous: date | None
    following: date | None


def month_start(value: date) -> date:
    return value.replace(day=1)


def next_month(value: date) -> date:
    return (value.replace(day=1) + timedelta(days=32)).replace(day=1)


def previous_month(value: date) -> date:
    return (value.replace(day=1) - timedelta(days=1)).replace(day=1)


def last_of_month(value: date) -> date:
    return next_month(value) - timedelta(days=1)


def month_weeks(first: date, items: dict[date, T], *, earliest: date, latest: date) -> Month[T]:
    """The month beginning at `first`, its days filled from `items`, with links to the neighbouring months only
    where they overlap [earliest, latest]."""
    weeks: list[list[T | None]] = []
    week: list[T | None] = [None] * first.weekday()
    day = first
    while day.month == first.month:
        week.append(items.get(day))
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    before, after = previous_month(first), next_month(first)
    return Month(
        first=first,
        weeks=weeks,
        previous=before if last_of_month(before) >= earliest else None,
        following=after if after <= latest else None,
    )


def parse_month(value: str | None) -> date | None:
    """'2026-06' as the first of June 2026; None for anything else."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()  # noqa: DTZ007 - a calendar month, not a moment
    except ValueError:
        return None


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def parse_interval(value: str) -> tuple[datetime, datetime] | None:
    """An ISO 8601 interval 'start/end' with offsets, as the window radio buttons send it."""
    start, _slash, end = value.partition("/")
    begins, ends = parse_moment(start), parse_moment(end)
    return (begins, ends) if begins and ends else None


def weekday_names() -> list[tuple[str, str]]:
    """(Monday, Mon) ... (Sunday, Sun) in the active language, for the calendar's column headers."""
    from django.utils import formats

    monday = date(2024, 1, 1)
    return [
        (formats.date_format(monday + timedelta(days=n), "l"), formats.date_format(monday + timedelta(days=n), "D"))
        for n in range(7)
    ]
