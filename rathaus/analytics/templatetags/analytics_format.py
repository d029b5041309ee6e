"""Numbers of the dashboard as people read them: per cent, days, minutes, trends, withheld cells."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rathaus.analytics import suppression

register = template.Library()


def rounded(value: float, places: int) -> str:
    """`value` rounded half up to `places` decimals in the active locale ("66,7"); Django's number_format alone
    cuts the digits off (2/3 would read "66,6")."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(exact, places, force_grouping=True)


@register.filter
def percent(value: float | None) -> str:
    """A share 0..1 as "12,5 %"."""
    if value is None:
        return "–"
    return f"{rounded(value * 100, 1)} %"


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return percent(value)
    if unit == "days":
        return _("%(value)s days") % {"value": rounded(value, 1)}
    if unit == "minutes":
        return _("%(value)s min") % {"value": rounded(value, 1)}
    return rounded(value, 0)


@register.filter
def amount(value: float | None, unit: str = "") -> str:
    return _amount(value, unit)


@register.filter
def trend_text(trend, unit: str = "") -> str:
    """ "up 12 % from 340" for people and screen readers alike."""
    if trend.previous is None or trend.current is None:
        return _("no comparison")
    before = _amount(trend.previous, unit)
    if trend.direction == "same":
        return _("unchanged (before: %(before)s)") % {"before": before}
    if unit == "percent":
        change = rounded(abs(trend.current - trend.previous) * 100, 1)
        points = _("%(change)s percentage points") % {"change": change}
        if trend.direction == "up":
            return _("up %(change)s from %(before)s") % {"change": points, "before": before}
        return _("down %(change)s from %(before)s") % {"change": points, "before": before}
    if trend.change is None:
        return _("before: %(before)s") % {"before": before}
    change = f"{rounded(abs(trend.change), 0)} %"
    if trend.direction == "up":
        return _("up %(change)s from %(before)s") % {"change": change, "before": before}
    return _("down %(change)s from %(before)s") % {"change": change, "before": before}


@register.filter
def trend_arrow(trend) -> str:
    return {"up": "▲", "down": "▼", "same": "▶"}.get(trend.direction, "")


@register.filter
def cell(value) -> str:
    """A published cell: withheld reads "< 5"."""
    if value is None:
        return suppression.text(None)
    if isinstance(value, float):
        return rounded(value, 1)
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    return str(value)
