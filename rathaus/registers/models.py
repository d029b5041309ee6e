"""Registers that case automation asks for facts: residents' parking zones, caseworker areas, and the simulated
vehicle register of the demo plugin (rathaus/registers/vehicles/demo.py)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.core.addresses import Parity, StreetSegment, segment_constraints
from rathaus.core.text import ascii_digits

from .normalise import PLATE_NORMALISED_REGEX, PlateInvalid, family_name_sort_key, plate_normalise

__all__ = ["CaseworkerArea", "DemoVehicleRecord", "Parity", "ParkingZone", "ParkingZoneStreet"]

postal_code_validator = RegexValidator(r"^[0-9]{5}$", _("Enter a postal code of five digits."))
zone_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,9}$", _("Use up to 10 letters, digits or hyphens, such as A or M-3.")
)


class ParkingZone(models.Model):
    """A residents' parking zone (Bewohnerparkzone) of a municipality, such as "A Altstadt"."""

    municipality = models.ForeignKey(
        "tenants.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="parking_zones"
    )
    code = models.CharField(_("zone"), max_length=10, validators=[zone_code_validator], help_text=_("such as A"))
    name = models.CharField(_("name"), max_length=100, help_text=_("such as Altstadt"))

    class Meta:
        verbose_name = _("residents' parking zone")
        verbose_name_plural = _("residents' parking zones")
        ordering = ["municipality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="parkingzone_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ParkingZoneStreet(StreetSegment):
    """A street, or a part of it (house numbers from–to, one side), that belongs to a zone."""

    zone = models.ForeignKey(ParkingZone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="streets")
    postal_code = models.CharField(
        _("postal code"),
        max_length=5,
        blank=True,
        validators=[postal_code_validator],
        help_text=_("Only when the municipality has streets of the same name under several postal codes."),
    )

    class Meta:
        verbose_name = _("street in a parking zone")
        verbose_name_plural = _("streets in parking zones")
        ordering = ["zone", "street_key", "number_from", "pk"]
        constraints = segment_constraints("parkingzonestreet")


class CaseworkerArea(models.Model):
    """Whose cases a caseworker takes in a department: by postal codes, by the first letters of the applicant's
    family name ("A–K"), or both. The automation assigns a case to the first area that fits (by position)."""

    department = models.ForeignKey(
        "tenants.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="caseworker_areas"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.CASCADE,
        related_name="caseworker_areas",
    )
    postal_codes = models.CharField(
        _("postal codes"),
        max_length=1000,
        blank=True,
        help_text=_("Separated by commas, such as 61348, 61350. Empty: every postal code."),
    )
    initials_from = models.CharField(
        _("family names from"), max_length=4, blank=True, help_text=_("First letters, such as A or Sch.")
    )
    initials_to = models.CharField(
        _("family names to"), max_length=4, blank=True, help_text=_("First letters, such as K or Sz. Inclusive.")
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Areas are tried from the lowest position; the first that fits wins.")
    )

    class Meta:
        verbose_name = _("caseworker area")
        verbose_name_plural = _("caseworker areas")
        ordering = ["department", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initials_from="", initials_to="")
                | (
                    ~models.Q(initials_from="")
                    & ~models.Q(initials_to="")
                    & models.Q(initials_from__lte=models.F("initials_to"))
                ),
                name="caseworkerarea_initials_range",
                violation_error_message=_("Give both ends of the letter range, the first not after the last."),
            ),
        ]

    def __str__(self) -> str:
        parts = [self.postal_codes_list and ", ".join(self.postal_codes_list), self.initials_label]
        return f"{self.user} ({'; '.join(part for part in parts if part) or _('everything')})"

    @property
    def postal_codes_list(self) -> list[str]:
        return [code for code in (part.strip() for part in self.postal_codes.replace(";", ",").split(",")) if code]

    @property
    def initials_label(self) -> str:
        return f"{self.initials_from}–{self.initials_to}" if self.initials_from else ""

    def fits(self, *, postal_code: str, family_name: str) -> bool:
        """True when the postal code and the family name lie in this area (an empty criterion fits everything)."""
        codes = self.postal_codes_list
        if codes and postal_code.strip() not in codes:
            return False
        if self.initials_from:
            key = family_name_sort_key(family_name)
            if not key:
                return False
            first, last = self.initials_from.upper(), self.initials_to.upper()
            if key[: len(first)] < first or key[: len(last)] > last:
                return False
        return True

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for code in self.postal_codes_list:
            if not ascii_digits(code) or len(code) != 5:
                errors["postal_codes"] = _("%(code)s is not a postal code of five digits.") % {"code": code}
                break
        self.postal_codes = ", ".join(self.postal_codes_list)
        for name in ("initials_from", "initials_to"):
            value = getattr(self, name).strip()
            if re.search(r"[^A-Za-zÄÖÜäöüß]", value):
                errors[name] = _("Use letters only, such as A or Sch.")
            else:
                # Stored as family names are compared: "Ä" as "A", so "Ä–K" and "A–K" are the same range.
                setattr(self, name, family_name_sort_key(value).capitalize())
        if bool(self.initials_from) != bool(self.initials_to):
            errors["initials_to" if self.initials_from else "initials_from"] = _("Give both ends of the letter range.")
        elif self.initials_from and self.initials_from.upper() > self.initials_to.upper():
            errors["initials_to"] = _("The last letters must not come before the first.")
        if errors:
            raise ValidationError(errors)


class DemoVehicleRecord(models.Model):
    """SIMULATION of a vehicle register entry (the demo plugin's data), not a real registration.

    The real register (the local registration authority's system, the KBA's central register ZFZR) cannot run
    here; this table stands in for it so the automation can be tried out.
    """

    municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="demo_vehicle_records",
    )
    plate = models.CharField(
        _("licence plate number"), max_length=12, help_text=_("Stored as MS-AB 123, whatever the spelling entered.")
    )
    family_name = models.CharField(_("family name of the keeper"), max_length=100)
    given_names = models.CharField(_("given names of the keeper"), max_length=100, blank=True)
    birthdate = models.DateField(_("keeper's date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True, validators=[postal_code_validator])
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("vehicle (simulated register)")
        verbose_name_plural = _("vehicles (simulated register)")
        ordering = ["municipality", "plate"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plate"], name="demovehiclerecord_unique_plate"),
            models.CheckConstraint(
                condition=models.Q(plate__regex=PLATE_NORMALISED_REGEX), name="demovehiclerecord_plate_normalised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plate} ({_('simulation')})"

    def save(self, *args, **kwargs) -> None:
        self.plate = plate_normalise(self.plate)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        try:
            self.plate = plate_normalise(self.plate or "")
        except PlateInvalid as invalid:
            raise ValidationError({"plate": invalid.message}) from None
        super().clean_fields(exclude=exclude)
