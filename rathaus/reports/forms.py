"""What the citizen typed into the report form, read from the POST data; nothing is lost on an error."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .errors import ReportError

TEXT_FIELDS = ("kategorie", "lat", "lon", "strasse", "hausnummer", "ort", "beschreibung", "name", "email")


@dataclass
class Entered:
    """The form's values as typed (strings), and the errors per field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, data: QueryDict) -> Entered:
        return cls({name: data.get(name, "")[:5000] for name in TEXT_FIELDS})

    @classmethod
    def empty(cls) -> Entered:
        return cls(dict.fromkeys(TEXT_FIELDS, ""))

    def fail(self, error: ReportError, default_field: str) -> None:
        self.errors[error.field or default_field] = str(error)


def coordinate(text: str, *, limit: float, field_name: str) -> float | None:
    """A typed latitude or longitude; a decimal comma is fine ("50,2268"). None when empty."""
    text = text.strip()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise ReportError(
            _("Please enter the coordinates as decimal numbers, for example 50.2268 and 8.6182."),
            code="coordinates",
            field=field_name,
        )
    return value
