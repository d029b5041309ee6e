"""Validation of the Amtlicher Gemeindeschlüssel (AGS) and other municipality data."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from rathaus.core.text import ascii_digits

# The first two digits of an AGS name the Land (01 Schleswig-Holstein ... 16 Thüringen).
LAND_CODES = {f"{number:02d}" for number in range(1, 17)}

validate_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #004B76."))


def validate_official_key(value: str) -> None:
    """An AGS has 8 digits: Land (2), Regierungsbezirk (1), Kreis (2), Gemeinde (3)."""
    if len(value) != 8 or not ascii_digits(value):
        raise ValidationError(
            _("The official municipality key (AGS) has exactly 8 digits, for example 06434001."),
            code="ags_format",
        )
    if value[:2] not in LAND_CODES:
        raise ValidationError(
            _("The first two digits of the AGS name the Land and must be between 01 and 16."),
            code="ags_land",
        )
    if value[5:] == "000":
        raise ValidationError(
            _("The last three digits name the municipality and cannot be 000 (that is a district)."),
            code="ags_municipality",
        )
