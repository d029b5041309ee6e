"""Streets and house numbers as people write them, reduced to one comparable form, and parts of streets.

Shared by every module that maps addresses to areas (residents' parking zones, waste collection districts): the
pure functions have no database access; `StreetSegment` is the abstract model of "a street, or a part of it
(house numbers from–to, one side)".
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def transliterate(text: str) -> str:
    """Lower case; ä→ae, ö→oe, ü→ue, ß→ss; other accents dropped (é→e)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def strip_accents(text: str) -> str:
    """Lower case with all accents and umlaut dots dropped (ä→a), for people who type "Muller" for "Müller"."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# "Straße", "Strasse", "Str." and "str" all become "str" at the end of a word; "Straßenbahnweg" stays.
_STREET_WORD = re.compile(r"stra(?:ss|s)e(?![a-z])|str\.?(?![a-z])")
_SANKT = re.compile(r"\bsankt(?![a-z])")
_PLATZ = re.compile(r"pl\.")


def street_key(street: str) -> str:
    """A street name reduced to the form that street lists are matched on.

    Case, ß/ss, umlauts (ä/ae), "Straße"/"Strasse"/"Str."/"str", "Sankt"/"St.", "Pl."/"Platz", spaces, hyphens,
    dots and apostrophes do not matter: "Karl-Marx-Str." and "karl marx strasse" have the same key.
    """
    text = transliterate(street)
    text = _STREET_WORD.sub("str", text)
    text = _SANKT.sub("st", text)
    text = _PLATZ.sub("platz", text)
    return re.sub(r"[^a-z0-9]", "", text)


_HOUSE_NUMBER = re.compile(
    r"^(?P<first>[0-9]{1,5})\s*[a-z]?(?:\s*/\s*[0-9]{1,3})?(?:\s*-\s*(?P<last>[0-9]{1,5})\s*[a-z]?)?$"
)


def house_numbers(text: str) -> tuple[int, ...] | None:
    """The numbers a house number stands for, without letter suffixes: "17a" → (17,), "3-5" → (3, 5).

    "17/1" (a sub-number, as in Baden-Württemberg) counts as 17. None when the text is not a house number.
    """
    match = _HOUSE_NUMBER.match(text.strip().casefold().translate(DASHES))
    if match is None:
        return None
    first = int(match["first"])
    if match["last"] is None or int(match["last"]) == first:
        return (first,)
    return (first, int(match["last"]))


_TRAILING_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>[0-9]{1,5}\s*[a-zA-Z]?(?:\s*[-–]\s*[0-9]{1,5}\s*[a-zA-Z]?)?)$"
)


def street_and_number(street: str, number: str) -> tuple[str, str]:
    """Street and house number; a number typed into the street field ("Heidestraße 17") is split off when the
    number field is empty."""
    street, number = street.strip(), number.strip()
    if not number:
        match = _TRAILING_NUMBER.match(street)
        if match:
            return match["street"].strip(), match["number"]
    return street, number


class Parity(models.TextChoices):
    """Which side of a street: German streets usually have odd numbers on one side and even on the other."""

    ALL = "all", gettext_lazy("all numbers")
    ODD = "odd", gettext_lazy("odd numbers")
    EVEN = "even", gettext_lazy("even numbers")


class StreetSegment(models.Model):
    """A street, or a part of it (house numbers from–to, one side). Concrete models add the area it belongs to."""

    street = models.CharField(gettext_lazy("street"), max_length=150)
    # The street as compared (see street_key); set on save from `street`.
    street_key = models.CharField(gettext_lazy("street (normalised)"), max_length=150, editable=False, db_index=True)
    number_from = models.PositiveIntegerField(
        gettext_lazy("from house number"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty: from the first number."),
    )
    number_to = models.PositiveIntegerField(
        gettext_lazy("to house number"), null=True, blank=True, help_text=gettext_lazy("Empty: up to the last number.")
    )
    parity = models.CharField(gettext_lazy("side"), max_length=4, choices=Parity.choices, default=Parity.ALL)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.street} {self.numbers_label()}".strip()

    def save(self, *args, **kwargs) -> None:
        self.street = " ".join(self.street.split())
        self.street_key = street_key(self.street)
        if kwargs.get("update_fields") is not None and "street" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "street_key"}
        super().save(*args, **kwargs)

    @property
    def whole_street(self) -> bool:
        return self.number_from is None and self.number_to is None and self.parity == Parity.ALL

    def numbers_label(self) -> str:
        if self.number_from is None and self.number_to is None:
            numbers = ""
        elif self.number_to is None:
            numbers = _("from %(first)s") % {"first": self.number_from}
        elif self.number_from is None:
            numbers = _("up to %(last)s") % {"last": self.number_to}
        else:
            numbers = f"{self.number_from}–{self.number_to}"
        side = "" if self.parity == Parity.ALL else str(Parity(self.parity).label)
        return ", ".join(part for part in (numbers, side) if part)

    def covers(self, numbers: tuple[int, ...] | None) -> bool:
        """True when one of the house numbers (from house_numbers) lies in this part of the street.

        A street without a range and side covers every address in it, even one whose number we cannot read.
        """
        if self.whole_street:
            return True
        if not numbers:
            return False
        return any(self._covers_number(number) for number in numbers)

    def _covers_number(self, number: int) -> bool:
        if self.number_from is not None and number < self.number_from:
            return False
        if self.number_to is not None and number > self.number_to:
            return False
        if self.parity == Parity.ODD:
            return number % 2 == 1
        if self.parity == Parity.EVEN:
            return number % 2 == 0
        return True

    def clean(self) -> None:
        if not street_key(self.street or ""):
            raise ValidationError({"street": _("Enter a street name.")})


def segment_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The database checks every concrete StreetSegment needs (`prefix` makes the constraint names unique)."""
    return [
        models.CheckConstraint(
            condition=models.Q(number_from__isnull=True)
            | models.Q(number_to__isnull=True)
            | models.Q(number_from__lte=models.F("number_to")),
            name=f"{prefix}_range_ordered",
            violation_error_message=gettext_lazy("The first house number must not be greater than the last."),
        ),
        models.CheckConstraint(condition=models.Q(parity__in=Parity.values), name=f"{prefix}_parity_valid"),
    ]
