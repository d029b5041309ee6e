"""Public holidays (gesetzliche Feiertage): citizens' offices close on them, waste collections move; Hesse for now."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def hessen_holidays(year: int) -> dict[date, str]:
    """The public holidays of Hesse in `year`, with their German names."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "Neujahr",
        easter - timedelta(days=2): "Karfreitag",
        easter + timedelta(days=1): "Ostermontag",
        date(year, 5, 1): "Tag der Arbeit",
        easter + timedelta(days=39): "Christi Himmelfahrt",
        easter + timedelta(days=50): "Pfingstmontag",
        easter + timedelta(days=60): "Fronleichnam",
        date(year, 10, 3): "Tag der Deutschen Einheit",
        date(year, 12, 25): "1. Weihnachtstag",
        date(year, 12, 26): "2. Weihnachtstag",
    }


def public_holiday(region: str, day: date) -> str | None:
    """The name of the public holiday on `day` in `region` ("HE"), or None."""
    if region == "HE":
        return hessen_holidays(day.year).get(day)
    return None


# The first two digits of the Amtlicher Gemeindeschlüssel name the Land; only Lands listed here have holidays yet.
_REGIONS_BY_LAND = {"06": "HE"}


def holiday_region_of(official_key: str) -> str:
    """The holiday region of a municipality from its Amtlicher Gemeindeschlüssel ("06434990" → "HE"); "" if unknown."""
    return _REGIONS_BY_LAND.get(official_key[:2], "")
