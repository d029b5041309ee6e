"""Collection days from rules, moved for public holidays. Pure functions; the services store what they return.

The holiday rule, as German waste companies usually apply it ("Feiertagsverschiebung"):

* A public holiday on a working day (Monday to Friday) moves every collection of that week from the holiday on by
  one day: Monday's to Tuesday, Tuesday's to Wednesday, …, Friday's to Saturday. Collections of the week before
  the holiday stay where they are.
* Two holidays in one week (Christmas, 25 and 26 December) move the days after both by two.
* A collection never lands on a holiday (it moves on to the next working day) and never leaves its week: Saturday
  takes what would otherwise fall on Sunday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rathaus.core.holidays import public_holiday

IsHoliday = Callable[[date], bool]


def holidays_of(region: str) -> IsHoliday:
    return lambda day: public_holiday(region, day) is not None


def holiday_shift(day: date, is_holiday: IsHoliday) -> date:
    """The day a collection planned for `day` takes place (see the module's rule)."""
    monday = day - timedelta(days=day.weekday())
    saturday = monday + timedelta(days=5)
    if day > saturday:  # a Sunday collection is not moved (there are none in practice)
        return day
    shift = sum(1 for offset in range(min(day.weekday(), 4) + 1) if is_holiday(monday + timedelta(days=offset)))
    moved = day + timedelta(days=shift)
    while moved < saturday and is_holiday(moved):
        moved += timedelta(days=1)
    return min(moved, saturday)


def rule_days(
    *, first_day: date, interval_weeks: int, last_day: date | None, start: date, end: date, is_holiday: IsHoliday
) -> list[tuple[date, date]]:
    """(planned day, actual day) of every collection of the rule whose planned day lies in [start, end]."""
    step = timedelta(weeks=interval_weeks)
    # The first planned day on or after `start`: whole steps from first_day, rounded up.
    steps = max(0, -(-(start - first_day).days // step.days))
    planned = first_day + step * steps
    final = min(end, last_day) if last_day else end
    days = []
    while planned <= final:
        days.append((planned, holiday_shift(planned, is_holiday)))
        planned += step
    return days
