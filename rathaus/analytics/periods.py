"""Periods of the dashboard: a day, an ISO week, a calendar month or year, or a custom range, and the one before.

A period that reaches beyond yesterday (figures are rolled up once a day) ends yesterday, and its previous
period has the same number of days ("1 to 21 November" compares with "1 to 21 October").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = {
    "tag": _("Day"),
    "woche": _("Week"),
    "monat": _("Month"),
    "jahr": _("Year"),
    "frei": _("Custom range"),
}
MAX_DAYS = 3 * 366
FIRST_YEAR = 2000  # no online service counted anything before; earlier dates are typing errors


class PeriodInvalid(ValueError):
    """A period that cannot be shown; the message is translated and meant for staff."""


def last_complete_day() -> date:
    return timezone.localdate() - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        if self.kind == "monat":
            start = _add_months(self.start, -1)
            if self.end == _month_end(self.start):  # a whole month against the whole month before
                return Period(self.kind, start, _month_end(start))
            # the month so far against as many days of the month before
            return Period(self.kind, start, min(start + timedelta(days=self.days - 1), _month_end(start)))
        if self.kind == "jahr":
            start = self.start.replace(year=self.start.year - 1)
            end = _same_day(self.end, self.end.year - 1)
            return Period(self.kind, start, end)
        return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def shifted(self, step: int) -> Period:
        """The period of the same kind `step` units later (negative: earlier), for "previous / next" links."""
        if self.kind == "frei":
            return Period(
                self.kind, self.start + timedelta(days=step * self.days), self.end + timedelta(days=step * self.days)
            )
        if self.kind == "monat":
            return period_of(self.kind, _add_months(self.start, step))
        if self.kind == "jahr":
            return period_of(self.kind, self.start.replace(year=self.start.year + step))
        return period_of(self.kind, self.start + timedelta(days=step * (7 if self.kind == "woche" else 1)))

    @property
    def reference(self) -> date:
        return self.start


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _same_day(day: date, year: int) -> date:
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def period_of(kind: str, reference: date, end: date | None = None) -> Period:
    """The period of `kind` that contains `reference` (custom: `reference` to `end`), cut off after yesterday."""
    if kind == "tag":
        start, stop = reference, reference
    elif kind == "woche":
        start = reference - timedelta(days=reference.weekday())
        stop = start + timedelta(days=6)
    elif kind == "monat":
        start, stop = reference.replace(day=1), _month_end(reference)
    elif kind == "jahr":
        start, stop = date(reference.year, 1, 1), date(reference.year, 12, 31)
    elif kind == "frei":
        start, stop = reference, end or reference
        if stop < start:
            raise PeriodInvalid(_("The end of the range lies before its start."))
        if (stop - start).days + 1 > MAX_DAYS:
            raise PeriodInvalid(_("Please choose a range of at most three years."))
    else:
        raise PeriodInvalid(_("Unknown kind of period."))
    yesterday = last_complete_day()
    if start <= yesterday < stop:
        stop = yesterday
    return Period(kind, start, stop)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period_checked(period: Period) -> Period:
    """The period if it can hold figures: from FIRST_YEAR on and starting by yesterday (figures are counted once a
    day), so that its previous and next period are dates too; PeriodInvalid otherwise."""
    if period.start.year < FIRST_YEAR:
        raise PeriodInvalid(_("Please choose a date from the year %(year)s on.") % {"year": FIRST_YEAR})
    if period.start > last_complete_day():
        raise PeriodInvalid(_("No figures for this period yet. Figures are added once a day for the day before."))
    return period


def period_from_query(query: dict[str, str] | object) -> Period:
    """`zeitraum` (tag/woche/monat/jahr/frei), `datum` or `von` and `bis` from a query; defaults: this month."""
    get = getattr(query, "get")  # noqa: B009 - QueryDict and dict alike
    kind = get("zeitraum") or "monat"
    if kind not in KINDS:
        raise PeriodInvalid(_("Unknown kind of period."))
    if kind == "frei":
        start, end = _date(get("von")), _date(get("bis"))
        if start is None or end is None:
            raise PeriodInvalid(_("Please enter the start and the end of the range as dates."))
        return period_checked(period_of(kind, start, end))
    reference = _date(get("datum")) if get("datum") else last_complete_day()
    if reference is None:
        raise PeriodInvalid(_("Please enter a valid date."))
    return period_checked(period_of(kind, reference))
