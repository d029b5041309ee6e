"""How people write plates and names, reduced to one comparable form (streets: rathaus.core.addresses).

Pure functions without database access, so the selectors, the CSV import, the admin and the tests share them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rathaus.core.addresses import DASHES, strip_accents, transliterate

# Streets and house numbers are shared with other modules: rathaus.core.addresses.

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
    text = unicodedata.normalize("NFKC", plate).strip().translate(DASHES).upper()
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
    return NameKeys(transliterated=_name_tokens(text, transliterate), stripped=_name_tokens(text, strip_accents))


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
    text = strip_accents(family_name).replace("ß", "ss").strip()
    for particle in _PARTICLES:
        if text.startswith(particle) and len(text) > len(particle):
            text = text[len(particle) :]
            break
    return re.sub(r"[^a-z]", "", text).upper()
