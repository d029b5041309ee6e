"""Checks of a reservation request: the time against the resource's rules, and the citizen's details.

Each refusal is a typed error with a translated message that says what to do instead (`code` names the reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import availability
from .errors import ReservationError, WindowUnavailable
from .models import Reservation, Resource

NAME_MAX = 200
REMARKS_MAX = 1000
PHONE = re.compile(r"^\+?[0-9 ()/-]{6,20}$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")


def day_text(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest:
        return _("%(hours)s:%(minutes)02d hours") % {"hours": hours, "minutes": rest}
    return _("%(hours)s hours") % {"hours": hours} if hours != 1 else _("1 hour")


def window_check(*, resource: Resource, start: datetime, end: datetime, now: datetime) -> availability.Option:
    """The option [start, end) stands for; WindowUnavailable says why it cannot be requested."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise WindowUnavailable(_("The end must be after the beginning."), code="order")
    if start <= now:
        raise WindowUnavailable(_("This time has already passed. Please choose a later day."), code="past")
    day = timezone.localtime(start).date()
    if timezone.localtime(end - timedelta(microseconds=1)).date() != day:
        raise WindowUnavailable(_("A reservation must begin and end on the same day."), code="overnight")
    [calendar_day] = availability.calendar(resource, day, day, now)
    closed = calendar_day.closed
    if closed == availability.BEFORE:
        raise WindowUnavailable(
            _("%(resource)s can be reserved at least %(days)s days in advance. Please choose a later day.")
            % {"resource": resource.name, "days": resource.lead_days},
            code="too_soon",
        )
    if closed == availability.AFTER:
        raise WindowUnavailable(
            _("%(resource)s can be reserved at most %(days)s days in advance. Please choose an earlier day.")
            % {"resource": resource.name, "days": resource.horizon_days},
            code="too_far",
        )
    if closed == availability.SEASON:
        raise WindowUnavailable(
            _("%(resource)s can only be reserved from %(first)s to %(last)s.")
            % {
                "resource": resource.name,
                "first": formats.date_format(day.replace(month=resource.season_first_month or 1, day=1), "F"),
                "last": formats.date_format(day.replace(month=resource.season_last_month or 12, day=1), "F"),
            },
            code="season",
        )
    if closed == availability.CLOSURE:
        reason = availability.closure_reason(resource, day)
        message = _("%(resource)s is closed on this day.") % {"resource": resource.name}
        raise WindowUnavailable(f"{message} {reason}".strip() if reason else message, code="closed")
    if closed == availability.NO_TIMES:
        raise WindowUnavailable(
            _("%(resource)s cannot be reserved on this weekday.") % {"resource": resource.name}, code="closed"
        )
    if resource.mode == Resource.Mode.WINDOWS:
        return _window_of(calendar_day, start, end)
    return _grid_fit(resource, calendar_day, start, end)


def _window_of(calendar_day: availability.Day, start: datetime, end: datetime) -> availability.Option:
    option = next((o for o in calendar_day.options if o.start == start and o.end == end), None)
    if option is None:
        raise WindowUnavailable(_("Please choose one of the time windows offered."), code="outside_windows")
    if not option.free:
        raise WindowUnavailable(_("This time has just been taken. Please choose another one."), code="taken")
    return option


def _grid_fit(
    resource: Resource, calendar_day: availability.Day, start: datetime, end: datetime
) -> availability.Option:
    minutes = int((end - start).total_seconds() // 60)
    if minutes < resource.min_minutes:
        raise WindowUnavailable(
            _("%(resource)s can be reserved for at least %(duration)s.")
            % {"resource": resource.name, "duration": duration_text(resource.min_minutes)},
            code="too_short",
        )
    if minutes > resource.max_minutes:
        raise WindowUnavailable(
            _("%(resource)s can be reserved for at most %(duration)s. Please choose a shorter time.")
            % {"resource": resource.name, "duration": duration_text(resource.max_minutes)},
            code="too_long",
        )
    option = next((o for o in calendar_day.options if o.start == start), None)
    if option is None:
        raise WindowUnavailable(
            _("This time is outside the times offered. Please choose one of the times offered."), code="outside_hours"
        )
    if minutes % resource.grid_minutes:
        raise WindowUnavailable(_("Please choose one of the durations offered."), code="off_grid")
    if not option.free:
        raise WindowUnavailable(_("This time has just been taken. Please choose another one."), code="taken")
    if end > option.end:
        raise WindowUnavailable(
            _(
                "From %(start)s, %(resource)s is free for %(duration)s only (until %(end)s). "
                "Please choose a shorter duration or another time."
            )
            % {
                "start": _clock(start),
                "resource": resource.name,
                "duration": duration_text(option.minutes),
                "end": _clock(option.end),
            },
            code="does_not_fit",
        )
    return replace(option, end=end)


@dataclass(frozen=True)
class Details:
    """What the citizen tells about themselves and the event (as typed; `details_check` cleans it)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    persons: str = ""
    occasion: str = ""
    remarks: str = ""
    rules_accepted: bool = False


class DetailsInvalid(ReservationError):
    """Some details are missing or wrong: `problems` maps each form field to its message."""

    code = "details"

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())), field=next(iter(problems)))
        self.problems = problems


@dataclass(frozen=True)
class Checked:
    name: str
    email: str
    phone: str
    street: str
    postal_code: str
    city: str
    persons: int
    occasion: str
    remarks: str


def details_check(*, resource: Resource, details: Details) -> Checked:
    """Clean the details or raise DetailsInvalid with a message for every field that is wrong."""
    problems: dict[str, str] = {}
    name = " ".join(details.name.split())
    if not name:
        problems["name"] = _("Please enter your name.")
    elif len(name) > NAME_MAX:
        problems["name"] = _("Please shorten your name to at most %(limit)s characters.") % {"limit": NAME_MAX}
    street, city = " ".join(details.street.split()), " ".join(details.city.split())
    postal_code = details.postal_code.strip()
    if not street or len(street) > 150:
        problems["strasse"] = _("Please enter your street and house number.")
    if not POSTAL_CODE.match(postal_code):
        problems["plz"] = _("Please enter a postal code of five digits.")
    if not city or len(city) > 100:
        problems["ort"] = _("Please enter your town.")
    email = details.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = _("Please enter an e-mail address like name@example.org.")
    phone = " ".join(details.phone.split())
    if not PHONE.match(phone):
        problems["telefon"] = _("Please enter a phone number, for example 06172 123456.")
    persons = 0
    try:
        persons = int(details.persons.strip())
    except ValueError:
        problems["personen"] = _("Please enter the number of persons as a number, for example 25.")
    else:
        if persons < 1:
            problems["personen"] = _("Please enter at least one person.")
        elif persons > resource.capacity:
            problems["personen"] = _(
                "%(resource)s holds at most %(capacity)s persons. Please choose a larger place or invite fewer people."
            ) % {"resource": resource.name, "capacity": resource.capacity}
    if details.occasion not in Reservation.Occasion.values:
        problems["anlass"] = _("Please choose the occasion.")
    remarks = details.remarks.strip()
    if len(remarks) > REMARKS_MAX:
        problems["bemerkungen"] = _("Please shorten your remarks to at most %(limit)s characters.") % {
            "limit": REMARKS_MAX
        }
    if resource.rules and not details.rules_accepted:
        problems["regeln"] = _("Please confirm that you will keep the rules of use.")
    if problems:
        raise DetailsInvalid(problems)
    return Checked(
        name=name,
        email=email,
        phone=phone,
        street=street,
        postal_code=postal_code,
        city=city,
        persons=persons,
        occasion=details.occasion,
        remarks=remarks,
    )
