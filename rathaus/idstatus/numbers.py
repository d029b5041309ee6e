"""The number citizens look up: the serial number (Seriennummer) of the new Personalausweis or Reisepass.

German ID documents carry a serial number of nine characters: the first names the issuing authority, the other
eight are digits and consonants. Only 0–9 and C F G H J K L M N P R T V W X Y Z occur (no vowels, so no O that
could be read as 0). The Bürgerbüro hands it out at the application (on the receipt); some receipts print a tenth
character, the check digit of ICAO Doc 9303 (weights 7, 3, 1), which is checked when given.

Numbers are stored only as a keyed hash (HMAC-SHA-256 with a key that is not in the database): the serial number
identifies a person's document, and a leaked table must not list them. An unkeyed hash would not do, since the
number space is small enough to try every number.
"""

from __future__ import annotations

import hmac
import re
from hashlib import sha256

from django.conf import settings
from django.utils.translation import gettext as _

ALPHABET = "0123456789CFGHJKLMNPRTVWXYZ"
_NUMBER = re.compile(rf"^[{ALPHABET[10:]}][{ALPHABET}]{{8}}[0-9]?$")
_SEPARATORS = re.compile(r"[\s\-./]+")


class NumberInvalid(ValueError):
    """Not a serial number of a German ID document."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def check_digit(number: str) -> int:
    """The ICAO 9303 check digit of `number` (weights 7, 3, 1 repeated; letters A=10 … Z=35)."""
    return sum(_value(char) * (7, 3, 1)[index % 3] for index, char in enumerate(number)) % 10


_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1"})


def number_normalise(text: str) -> str:
    """The nine-character serial number in upper case; spaces and hyphens are ignored, the vowels that look like
    digits are read as those (O as 0, I as 1: no vowel occurs), and a tenth character must be the right check digit.
    Raises NumberInvalid with a message for the citizen."""
    number = _SEPARATORS.sub("", text).upper().translate(_LOOK_ALIKES)
    if not number:
        raise NumberInvalid(_("Please enter the number of your document."))
    if not _NUMBER.match(number):
        raise NumberInvalid(
            _(
                "This is not a document number. It has 9 characters: letters and digits, such as L01X00T47. "
                "You find it on the receipt of your application."
            )
        )
    if len(number) == 10:
        if check_digit(number[:9]) != int(number[9]):
            raise NumberInvalid(_("The last digit does not fit the number. Please check your entry."))
        number = number[:9]
    return number


def _key() -> bytes:
    return (settings.RATHAUS_ID_STATUS_KEY or f"rathaus.idstatus:{settings.SECRET_KEY}").encode()


def number_digest(*, municipality_id: int, number: str) -> str:
    """The stored form of a normalised number: HMAC-SHA-256 over municipality and number, hex."""
    return hmac.new(_key(), f"{municipality_id}:{number}".encode(), sha256).hexdigest()


def number_hint(number: str) -> str:
    """What staff see of a number in lists: its last three characters."""
    return "…" + number[-3:]
