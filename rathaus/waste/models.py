"""The waste calendar (Abfallkalender): collection districts with their streets, waste types and collection days.

A municipality is divided into collection districts (Abfuhrbezirke); every street, or part of a street (house
numbers from–to, one side), belongs to one district. Each district has its collection days per waste type, imported
from the waste company's CSV or generated from rules ("every second Tuesday from 6 January") with the shifts of
public holidays.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.core.addresses import StreetSegment, segment_constraints

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,19}$", _("Use up to 20 small letters, digits, hyphens or underscores, such as rest.")
)
district_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{0,9}$", _("Use up to 10 letters, digits or hyphens, such as 1 or N-2.")
)
colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour such as #1F5F8B."))


class WasteType(models.Model):
    """A kind of waste the municipality collects (Restmüll, Bio, Papier, Gelbe Tonne, Sperrmüll)."""

    municipality = models.ForeignKey(
        "tenants.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="waste_types"
    )
    code = models.CharField(
        _("code"), max_length=20, validators=[code_validator], help_text=_("Used in files and feed addresses: rest")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("such as Restmüll"))
    colour = models.CharField(_("colour"), max_length=7, validators=[colour_validator], default="#5A5A5A")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    on_request = models.BooleanField(
        _("collected on request"),
        default=False,
        help_text=_("Such as Sperrmüll: collected when the household registers it, not on fixed days."),
    )
    request_service_key = models.CharField(
        _("service for the request"),
        max_length=60,
        blank=True,
        help_text=_("Key of the online service to register a collection, such as sperrmuellanmeldung."),
    )
    hint = models.CharField(
        _("hint"), max_length=300, blank=True, help_text=_("Shown with the dates, such as what goes in the bin.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("waste type")
        verbose_name_plural = _("waste types")
        ordering = ["municipality", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="waste_type_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def text_colour(self) -> str:
        """Dark or white text, whichever is readable on the waste type's colour (relative luminance, WCAG)."""
        channels = [int(self.colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#131525" if luminance > 0.18 else "#ffffff"


class District(models.Model):
    """A collection district (Abfuhrbezirk): the streets whose bins are emptied on the same days."""

    municipality = models.ForeignKey(
        "tenants.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="waste_districts"
    )
    code = models.CharField(_("code"), max_length=10, validators=[district_code_validator], help_text=_("such as 1"))
    name = models.CharField(_("name"), max_length=100, help_text=_("such as Nord"))
    # When collection days of the district were last added, moved or removed (Last-Modified of its feeds: the newest
    # remaining day alone would not tell that one was removed).
    days_changed_at = models.DateTimeField(_("days changed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("collection district")
        verbose_name_plural = _("collection districts")
        ordering = ["municipality", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="waste_district_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class DistrictStreet(StreetSegment):
    """A street, or a part of it, in a collection district."""

    district = models.ForeignKey(
        District, verbose_name=_("collection district"), on_delete=models.CASCADE, related_name="streets"
    )

    class Meta:
        verbose_name = _("street in a collection district")
        verbose_name_plural = _("streets in collection districts")
        ordering = ["district", "street_key", "number_from", "pk"]
        constraints = segment_constraints("waste_districtstreet")


class Collection(models.Model):
    """One collection day of one waste type in one district."""

    class Source(models.TextChoices):
        IMPORT = "import", _("imported")
        RULE = "rule", _("generated from a rule")

    district = models.ForeignKey(
        District, verbose_name=_("collection district"), on_delete=models.CASCADE, related_name="collections"
    )
    waste_type = models.ForeignKey(
        WasteType, verbose_name=_("waste type"), on_delete=models.CASCADE, related_name="collections"
    )
    day = models.DateField(_("day"))
    # The regular day when a public holiday moved the collection; empty when it takes place as planned.
    planned_day = models.DateField(_("regular day"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.IMPORT)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("collection day")
        verbose_name_plural = _("collection days")
        ordering = ["day", "waste_type__position", "district__code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "waste_type", "day"], name="waste_collection_unique_day")
        ]
        indexes = [models.Index(fields=["district", "day"], name="waste_collection_district_day")]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y} {self.waste_type} ({self.district})"


class CollectionRule(models.Model):
    """A regular collection: every `interval_weeks` weeks on the weekday of `first_day`, from `first_day` on.

    Generated days move for public holidays (see schedule.holiday_shift).
    """

    district = models.ForeignKey(
        District, verbose_name=_("collection district"), on_delete=models.CASCADE, related_name="rules"
    )
    waste_type = models.ForeignKey(
        WasteType, verbose_name=_("waste type"), on_delete=models.CASCADE, related_name="rules"
    )
    first_day = models.DateField(_("first collection"), help_text=_("Sets the weekday and the rhythm."))
    interval_weeks = models.PositiveSmallIntegerField(
        _("every … weeks"), default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    last_day = models.DateField(_("last collection"), null=True, blank=True, help_text=_("Empty: no end."))

    class Meta:
        verbose_name = _("collection rule")
        verbose_name_plural = _("collection rules")
        ordering = ["district", "waste_type__position"]
        constraints = [
            models.UniqueConstraint(fields=["district", "waste_type"], name="waste_rule_one_per_type"),
            models.CheckConstraint(
                condition=models.Q(interval_weeks__gte=1, interval_weeks__lte=8), name="waste_rule_interval"
            ),
            models.CheckConstraint(
                condition=models.Q(last_day__isnull=True) | models.Q(last_day__gte=models.F("first_day")),
                name="waste_rule_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.waste_type} ({self.district})"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class ReminderSubscription(models.Model):
    """An e-mail reminder the evening before collections at one place, for chosen waste types (double opt-in).

    Only the address and the place are stored. Until the link in the first mail is followed the subscription sends
    nothing, and it is deleted after a week; every reminder carries a link that ends it at once.
    """

    municipality = models.ForeignKey(
        "tenants.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    place_token = models.CharField(_("place"), max_length=160)
    waste_types = models.CharField(_("waste types"), max_length=200, blank=True, help_text=_("Codes; empty: all."))
    language = models.CharField(_("language"), max_length=5, default="de")
    # Changes when the subscription is confirmed or renewed, so that links sent before stop working.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_sent_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail reminder")
        verbose_name_plural = _("e-mail reminders")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "email", "place_token"], name="waste_reminder_unique_place")
        ]

    def __str__(self) -> str:
        return self.place_token

    @property
    def codes(self) -> list[str]:
        return [code for code in self.waste_types.split(",") if code]
