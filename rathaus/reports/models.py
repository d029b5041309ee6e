"""Defect reports (Mängelmelder): categories routed to departments, the municipality's area, its street list,
reports with photos, their public history, followers who want updates, and Open311 API keys.

What is public and what is not: a report's category, status, public notes, description, location (address,
landmark, coordinates) and released photos are public; the reporter's name and e-mail, followers' e-mails, the
staff who acted, an Open311 client's media link and photos not yet released are not.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import geo

DESCRIPTION_MAX = 4000  # Open311's limit for `description`


class ReportArea(models.Model):
    """The municipality's area: reports outside it are refused. A polygon of [longitude, latitude] corners
    (a bounding box is a polygon with four corners); the map opens on it."""

    municipality = models.OneToOneField(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="report_area", verbose_name=_("municipality")
    )
    polygon = models.JSONField(
        _("area (polygon)"),
        help_text=_(
            "Corners as [longitude, latitude] pairs in WGS84, e.g. [[8.58, 50.20], [8.66, 50.20], [8.66, 50.25], "
            "[8.58, 50.25]]. The first corner need not be repeated at the end."
        ),
    )
    zoom = models.PositiveSmallIntegerField(_("map zoom level"), default=14)

    class Meta:
        verbose_name = _("municipality area")
        verbose_name_plural = _("municipality areas")

    def __str__(self) -> str:
        return str(self.municipality)

    def clean(self) -> None:
        try:
            self.polygon = geo.ring_normalise(self.polygon)
        except ValueError as error:
            raise ValidationError(
                {"polygon": _("This is not a valid area: %(reason)s.") % {"reason": error}}
            ) from error
        if not 1 <= self.zoom <= 19:
            raise ValidationError({"zoom": _("Use a zoom level from 1 to 19.")})

    def contains(self, lat: float, lon: float) -> bool:
        return geo.contains(self.polygon, lat, lon)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return geo.bbox(self.polygon)

    @property
    def centre(self) -> tuple[float, float]:
        south, west, north, east = self.bbox
        return (south + north) / 2, (west + east) / 2


class Category(models.Model):
    """A kind of defect (Open311: a service), routed to the department that deals with it."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="report_categories")
    code = models.SlugField(
        _("code (Open311 service_code)"),
        max_length=60,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Use lower-case letters, digits and hyphens."))],
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True, help_text=_("e.g. “Straße” or “Sauberkeit”"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    service_notice = models.CharField(
        _("what happens next"),
        max_length=500,
        blank=True,
        help_text=_("Shown after filing and in Open311, e.g. “We check reports within two working days.”"),
    )
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.PROTECT, related_name="report_categories", verbose_name=_("department")
    )
    active = models.BooleanField(_("open for reports"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("defect category")
        verbose_name_plural = _("defect categories")
        ordering = ["municipality", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="reports_category_unique_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.department_id and self.municipality_id and self.department.municipality_id != self.municipality_id:
            raise ValidationError({"department": _("Choose a department of the same municipality.")})

    @property
    def label(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "de").startswith("en") and self.name_en else self.name


class Street(models.Model):
    """A street of the municipality with a point on it: the location of a report made by address (without a map)."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="report_streets")
    name = models.CharField(_("street"), max_length=200)
    key = models.CharField(max_length=200, editable=False)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="reports_street_unique_key")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from rathaus.core.addresses import street_key

        self.key = street_key(self.name)
        super().save(*args, **kwargs)


class ApiKey(models.Model):
    """An Open311 client's key for POST requests. Only a SHA-256 hash is stored; the key is shown once."""

    PREFIX = "r311_"

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="open311_keys")
    name = models.CharField(_("client"), max_length=200)
    hint = models.CharField(_("beginning of the key"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["municipality", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_plain(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(30)


class Report(models.Model):
    """A defect reported by a citizen (web) or an Open311 client, in one municipality."""

    class Status(models.TextChoices):
        NEW = "new", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("fixed")
        NOT_RESPONSIBLE = "not_responsible", _("not our responsibility")
        DUPLICATE = "duplicate", _("reported twice")

    OPEN = (Status.NEW, Status.IN_PROGRESS)

    class Channel(models.TextChoices):
        WEB = "web", _("website")
        OPEN311 = "open311", _("Open311 app")

    class Precision(models.TextChoices):
        POINT = "point", _("point on the map or coordinates")
        STREET = "street", _("street from the street list")

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="reports")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey("tenants.Department", on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    status_note = models.TextField(_("public note"), blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    precision = models.CharField(max_length=10, choices=Precision.choices, default=Precision.POINT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    landmark = models.CharField(_("description of the place"), max_length=300, blank=True)
    zipcode = models.CharField(_("postal code"), max_length=10, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    # Personal data: never on public pages, never in Open311 answers.
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    language = models.CharField(max_length=8, default="de")
    external_media_url = models.URLField(_("media link sent by the app"), max_length=500, blank=True)
    api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    public = models.BooleanField(_("shown publicly"), default=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    supporters = models.PositiveIntegerField(_("also seen by"), default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("defect report")
        verbose_name_plural = _("defect reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "category", "status"], name="reports_report_open"),
            models.Index(fields=["municipality", "lat", "lon"], name="reports_report_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180), name="reports_report_coords"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="duplicate") | models.Q(duplicate_of__isnull=False),
                name="reports_report_duplicate_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


class ReportFollower(models.Model):
    """Somebody who wants e-mails about a report: who said "I see it too", or the reporter of a merged duplicate."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, default="de")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="reports_follower_unique")]

    def __str__(self) -> str:
        return f"#{self.report_id}"


class ReportUpdate(models.Model):
    """One step of a report's public history: filed, status changed (with its public note), merged."""

    class Kind(models.TextChoices):
        FILED = "filed", _("filed")
        STATUS = "status", _("status changed")
        MERGED = "merged", _("merged")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Report.Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.kind} {self.status}"


def photo_name(instance: ReportPhoto, filename: str) -> str:
    """A path nobody can guess and that holds nothing the citizen typed."""
    extension = ".png" if instance.content_type == "image/png" else ".jpg"
    return f"reports/{instance.report.municipality_id}/{secrets.token_urlsafe(24)}{extension}"


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded without any metadata (EXIF, GPS, XMP, ICC) at intake. Public once
    released by staff: a photo may show faces or number plates."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_name, max_length=255)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/png"]), name="reports_photo_type"
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def released(self) -> bool:
        return self.released_at is not None
