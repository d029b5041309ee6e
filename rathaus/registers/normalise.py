"""How people write streets, house numbers, plates and names, reduced to one comparable form.

Pure functions without database access, so the selectors, the CSV import, the admin and the tests share them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def _transliterate(text: str) -> str:
    """Lower case; ä→ae, ö→oe, ü→ue, ß→ss; other accents dropped (é→e)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _strip_accents(text: str) -> str:
    """Lower case with all accents and umlaut dots dropped (ä→a), for people who type "Muller" for "Müller"."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- streets ------------------------------------------------------------------------------------------------

# "Straße", "Strasse", "Str." and "str" all become "str" at the end of a word; "Straßenbahnweg" stays.
_STREET_WORD = re.compile(r"stra(?:ss|s)e(?![a-z])|str\.?(?![a-z])")
_SANKT = re.compile(r"\bsankt(?![a-z])")
_PLATZ = re.compile(r"pl\.")


def street_key(street: str) -> str:
    """A street name reduced to the form that street lists are matched on.

    Case, ß/ss, umlauts (ä/ae), "Straße"/"Strasse"/"Str."/"str", "Sankt"/"St.", "Pl."/"Platz", spaces, hyphens,
    dots and apostrophes do not matter: "Karl-Marx-Str." and "karl marx strasse" have the same key.
    """
    text = _transliterate(street)
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
    match = _HOUSE_NUMBER.match(text.strip().casefold().translate(_DASHES))
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


# --- vehicle plates -----------------------------------------------------------------------------------------


class PlateInvalid(ValueError):
    """Not a German licence plate number in any usual spelling."""

    def __init__(self, plate: str) -> None:
        self.plate = plate
        self.message = _("%(plate)s is not a licence plate number such as MS-AB 123.") % {"plate": plate}
        super().__init__(self.message)


# District code (1–3 letters, umlauts in e.g. ÖHR), then a hyphen or space, 1–2 letters, 1–4 digits, optionally E
# (electric) or H (historic). Without a separator after the district the plate is ambiguous: "MSA 1" could be
# MS-A 1 or M-SA 1, which are different vehicles.
_PLATE = re.compile(
    r"^(?P<district>[A-ZÄÖÜ]{1,3})(?:\s*-\s*|\s+)(?P<letters>[A-Z]{1,2})(?:\s*-\s*|\s*)(?P<digits>[0-9]{1,4})"
    r"\s*(?P<suffix>[EH]?)$"
)
PLATE_NORMALISED_REGEX = r"^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [0-9]{1,4}[EH]?$"


def plate_normalise(plate: str) -> str:
    """The one stored and compared form of a plate: upper case, "MS-AB 123" ("ms ab123", "MS-AB-123" → that).

    Raises PlateInvalid for anything else.
    """
    text = unicodedata.normalize("NFKC", plate).strip().translate(_DASHES).upper()
    match = _PLATE.match(text)
    if match is None:
        raise PlateInvalid(plate)
    return f"{match['district']}-{match['letters']} {match['digits']}{match['suffix']}"


# --- names --------------------------------------------------------------------------------------------------

_TITLES = {"dr.", "prof.", "dipl.", "ing."}
_PARTICLES = ("von der ", "von dem ", "von ", "vom ", "zu ", "zum ", "zur ", "van der ", "van ", "de ", "ten ", "ter ")


@dataclass(frozen=True)
class NameKeys:
    """A name in two comparable forms: umlauts transliterated (ä→ae) and umlaut dots dropped (ä→a)."""

    transliterated: tuple[str, ...]
    stripped: tuple[str, ...]


def _name_tokens(text: str, fold: Callable[[str], str]) -> tuple[str, ...]:
    # Hyphenated parts stay one token ("Hans-Peter" → "hanspeter"); titles such as "Dr." are not part of a name.
    tokens = []
    for word in re.split(r"[\s,]+", fold(text).replace(".", ". ")):
        if word in _TITLES:
            continue
        token = re.sub(r"[^a-z0-9]", "", word)
        if token:
            tokens.append(token)
    return tuple(tokens)


def name_keys(text: str) -> NameKeys:
    return NameKeys(transliterated=_name_tokens(text, _transliterate), stripped=_name_tokens(text, _strip_accents))


def family_names_match(registered: str, given: str) -> bool:
    """The same family name, whatever the case, umlaut spelling (Müller/Mueller/Muller), ß/ss or hyphenation."""
    first, second = name_keys(registered), name_keys(given)
    if not first.transliterated or not second.transliterated:
        return False
    return "".join(first.transliterated) == "".join(second.transliterated) or "".join(first.stripped) == "".join(
        second.stripped
    )


def given_names_match(registered: str, given: str) -> bool:
    """The same given names, where one side may leave out further names: "Erika" matches "Erika Maria" and
    "Maria" matches "Erika Maria" (the call name need not be the first); "Hans Peter" matches "Hans-Peter"."""
    first, second = name_keys(registered), name_keys(given)
    if not first.transliterated or not second.transliterated:
        return False
    for mine, theirs in ((first.transliterated, second.transliterated), (first.stripped, second.stripped)):
        if "".join(mine) == "".join(theirs):
            return True
        shorter, longer = sorted((set(mine), set(theirs)), key=len)
        if shorter <= longer:
            return True
    return False


def family_name_sort_key(family_name: str) -> str:
    """The family name as German administrations sort it for letter ranges ("A–K"), DIN 5007 style.

    Upper case, umlauts as their base letter (Ä→A), ß→SS, and a leading particle ("von", "van", "de") ignored:
    "von Müller" sorts under M.
    """
    text = _strip_accents(family_name).replace("ß", "ss").strip()
    for particle in _PARTICLES:
        if text.startswith(particle) and len(text) > len(particle):
            text = text[len(particle) :]
            break
    return re.sub(r"[^a-z]", "", text).upper()
