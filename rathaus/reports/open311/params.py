"""Parameters of Open311 queries, checked: W3C datetimes, status and id lists, coordinates, URLs.

Every malformed value raises Open311Error(400) naming the parameter, in the active language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core.text import ascii_digits

from .render import Open311Error

DEFAULT_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 1000
STATUSES = ("open", "closed")
_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$")


def w3c_datetime(name: str, value: str) -> datetime:
    """A W3C datetime ("2026-05-04T10:00:00+02:00", "...Z", "2026-05-04T10:00", "2026-05-04"); without a zone,
    the municipality's local time is meant."""
    text = value.strip()
    if not _W3C.match(text):
        raise Open311Error(
            400,
            _("%(name)s is not a W3C datetime such as 2026-05-04T10:00:00+02:00: %(value)s")
            % {"name": name, "value": text[:40]},
        )
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time.min)
        else:
            moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
        moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        # A day at the edge of the calendar (0001-01-01, 9999-12-31) cannot be compared in UTC or opened into the
        # default window: refused like an impossible day rather than overflowing later.
        for edge in (moment - DEFAULT_SPAN, moment + DEFAULT_SPAN):
            edge.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise Open311Error(
            400, _("%(name)s is not a valid date: %(value)s") % {"name": name, "value": text[:40]}
        ) from error
    return moment


@dataclass(frozen=True)
class RequestsQuery:
    ids: tuple[int, ...] = ()
    service_code: str = ""
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def requests_query(params: dict[str, str], *, now: datetime | None = None) -> RequestsQuery:
    """GET requests: `service_request_id` (comma list; overrides everything else), `service_code`, `start_date`,
    `end_date` (W3C; at most 90 days apart; 90 days up to now by default) and `status` (open, closed, or both)."""
    now = now or timezone.now()
    if params.get("service_request_id", "").strip():
        parts = [part.strip() for part in params["service_request_id"].split(",") if part.strip()]
        if len(parts) > MAX_IDS or not all(ascii_digits(part) and len(part) <= 18 for part in parts):
            raise Open311Error(
                400, _("service_request_id must be a comma-separated list of request numbers, at most 1000.")
            )
        return RequestsQuery(ids=tuple(int(part) for part in parts))
    start = w3c_datetime("start_date", params["start_date"]) if params.get("start_date", "").strip() else None
    end = w3c_datetime("end_date", params["end_date"]) if params.get("end_date", "").strip() else None
    if start and end:
        if start > end:
            raise Open311Error(400, _("start_date must not be after end_date."))
        if end - start > DEFAULT_SPAN:
            raise Open311Error(400, _("start_date and end_date may not be more than 90 days apart."))
    elif start:
        end = start + DEFAULT_SPAN
    elif end:
        start = end - DEFAULT_SPAN
    else:
        start, end = now - DEFAULT_SPAN, None
    statuses: tuple[str, ...] = ()
    if params.get("status", "").strip():
        statuses = tuple(dict.fromkeys(part.strip().lower() for part in params["status"].split(",") if part.strip()))
        if not statuses or any(status not in STATUSES for status in statuses):
            raise Open311Error(400, _("status must be open, closed or both (comma-separated)."))
    return RequestsQuery(service_code=params.get("service_code", "").strip(), start=start, end=end, statuses=statuses)


def coordinate(name: str, value: str, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees; None when empty."""
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as error:
        raise Open311Error(
            400, _("%(name)s must be a number in decimal degrees, such as 50.2268.") % {"name": name}
        ) from error
    if not math.isfinite(number) or abs(number) > limit:
        raise Open311Error(
            400, _("%(name)s must lie between -%(limit)s and %(limit)s.") % {"name": name, "limit": int(limit)}
        )
    return number


def media_url(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError as error:
        raise Open311Error(400, _("media_url must be an http or https address.")) from error
    if len(text) > 500:
        raise Open311Error(400, _("media_url must not be longer than 500 characters."))
    return text
