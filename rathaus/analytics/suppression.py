"""Small numbers are not published: every count of 1 to MIN_CELL - 1 people is withheld, and so is every figure
from which such a count could be worked out again (a rate, the last part of a total, a step of a funnel).

Zero is shown: it says that nobody did something and tells nothing about a person. The threshold is
RATHAUS_ANALYTICS_MIN_CELL (default 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.conf import settings

K = TypeVar("K")


def min_cell() -> int:
    return int(getattr(settings, "RATHAUS_ANALYTICS_MIN_CELL", 5))


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < min_cell()


def cell(value: int | None) -> int | None:
    """The count, or None when it is too small to publish."""
    return None if value is None or is_small(value) else value


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when part, whole or the rest (whole - part) is small: any one of them and the rate
    give the others back."""
    if whole <= 0 or is_small(part) or is_small(whole) or is_small(whole - part):
        return None
    return part / whole


def group(parts: Mapping[K, int]) -> dict[K, int | None]:
    """The parts of a total that is published too: small parts are withheld, and while the withheld parts add up to
    a small number (the total minus the shown parts would give it away), the smallest shown part goes as well. Zeros
    stay: withholding one adds nothing to the withheld sum, and a withheld 0 would read as "1 to 4"."""
    shown: dict[K, int | None] = {key: cell(value) for key, value in parts.items()}
    withheld = sum(value for key, value in parts.items() if shown[key] is None)
    while is_small(withheld):
        candidates = sorted(
            (value, str(key), key) for key, value in parts.items() if shown[key] is not None and value > 0
        )
        if not candidates:
            break
        value, _name, key = candidates[0]
        shown[key] = None
        withheld += value
    return shown


def funnel(values: Sequence[int]) -> list[int | None]:
    """The counts of a funnel (started, step 1, ..., submitted): a value is withheld when it is small or lies less
    than MIN_CELL below the last shown value (the difference would be a small number of people who stopped)."""
    result: list[int | None] = []
    last: int | None = None
    for value in values:
        if is_small(value) or (last is not None and is_small(last - value)):
            result.append(None)
            continue
        result.append(value)
        last = value
    return result


def text(value: int | float | None, digits: int = 0) -> str:
    """How a withheld cell reads in a table or a CSV file: "< 5"."""
    if value is None:
        return f"< {min_cell()}"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
