"""Reservations of public resources (barbecue places, rooms, sports fields) and their rules.

A resource is let to one group at a time. It is bookable either in fixed windows ("10-16, 16-22, 10-22") or on a
grid with a minimum and maximum duration, within a season, some days ahead, never on closing days. A citizen's
request holds its window at once; the responsible department confirms or declines it. On PostgreSQL an exclusion
constraint guarantees that two holding reservations (requested, confirmed) of one resource never overlap, whatever
the application does; the services additionally serialise requests per resource with a row lock (SQLite has no
exclusion constraints; its writes are serialised).
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.core.constraints import PostgresOnlyExclusionConstraint, TimeRange


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Resource(models.Model):
    """Something a municipality lets to citizens for a while: a barbecue place, a room, a sports field."""

    class Kind(models.TextChoices):
        BARBECUE = "barbecue", _("barbecue place")
        ROOM = "room", _("room")
        SPORTS_FIELD = "sports_field", _("sports field")

    class Mode(models.TextChoices):
        WINDOWS = "windows", _("fixed time windows")
        GRID = "grid", _("any time on a grid, with minimum and maximum duration")

    class FeeUnit(models.TextChoices):
        BOOKING = "booking", _("per booking")
        HOUR = "hour", _("per hour")
        DAY = "day", _("per day")

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="resources")
    department = models.ForeignKey(
        "tenants.Department",
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("responsible department"),
        help_text=_("Its staff receive the requests and confirm or decline them."),
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service_key = models.SlugField(
        _("catalogue service"),
        max_length=60,
        blank=True,
        help_text=_("The service whose page leads here, e.g. grillplatzreservierung."),
    )
    active = models.BooleanField(_("takes requests"), default=True)
    capacity = models.PositiveIntegerField(_("capacity (persons)"), validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    directions = models.TextField(_("how to get there"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    rules = models.TextField(
        _("rules of use"), blank=True, help_text=_("The citizen confirms to keep them when requesting.")
    )
    fee_amount = models.DecimalField(_("fee in euros"), max_digits=8, decimal_places=2, default=Decimal("0.00"))
    fee_unit = models.CharField(_("fee is charged"), max_length=10, choices=FeeUnit.choices, default=FeeUnit.BOOKING)
    mode = models.CharField(_("bookable"), max_length=10, choices=Mode.choices, default=Mode.WINDOWS)
    grid_minutes = models.PositiveSmallIntegerField(_("time grid in minutes"), default=60)
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking in minutes"), default=60)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking in minutes"), default=240)
    lead_days = models.PositiveSmallIntegerField(_("book at least this many days ahead"), default=3)
    horizon_days = models.PositiveSmallIntegerField(_("book at most this many days ahead"), default=180)
    season_first_month = models.PositiveSmallIntegerField(
        _("season begins in month"), null=True, blank=True, help_text=_("1-12; empty: all year")
    )
    season_last_month = models.PositiveSmallIntegerField(_("season ends with month"), null=True, blank=True)
    max_open_per_email = models.PositiveSmallIntegerField(
        _("upcoming reservations per e-mail address"), default=2, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="reservations_resource_unique_slug"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="reservations_resource_capacity"),
            models.CheckConstraint(condition=models.Q(fee_amount__gte=0), name="reservations_resource_fee"),
            models.CheckConstraint(
                condition=models.Q(grid_minutes__gte=5, min_minutes__gte=models.F("grid_minutes"))
                & models.Q(max_minutes__gte=models.F("min_minutes")),
                name="reservations_resource_durations",
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_days__gte=models.F("lead_days")), name="reservations_resource_days"
            ),
            models.CheckConstraint(
                condition=(models.Q(season_first_month__isnull=True) & models.Q(season_last_month__isnull=True))
                | models.Q(season_first_month__range=(1, 12), season_last_month__range=(1, 12)),
                name="reservations_resource_season",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free_of_charge(self) -> bool:
        return self.fee_amount == 0

    def in_season(self, month: int) -> bool:
        first, last = self.season_first_month, self.season_last_month
        if first is None or last is None:
            return True
        return first <= month <= last if first <= last else month >= first or month <= last  # e.g. Nov-Mar


class OpeningWindow(models.Model):
    """On the given weekdays: one bookable window (fixed windows) or one opening interval (grid)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="windows")
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default="0123456",
        validators=[RegexValidator(r"^[0-6]{1,7}$")],
        help_text=_("Digits of the weekdays, 0 = Monday ... 6 = Sunday, e.g. 012345 for Monday to Saturday."),
    )
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    label = models.CharField(_("name"), max_length=60, blank=True, help_text=_('e.g. "Mittags"; may stay empty'))

    class Meta:
        verbose_name = _("bookable time")
        verbose_name_plural = _("bookable times")
        ordering = ["resource", "starts", "ends"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts__lt=models.F("ends")), name="reservations_window_order"),
            models.CheckConstraint(
                condition=models.Q(weekdays__regex=r"^[0-6]{1,7}$"), name="reservations_window_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    def on(self, weekday: int) -> bool:
        return str(weekday) in self.weekdays


class Closure(models.Model):
    """Days a resource cannot be booked besides the season: maintenance, a town festival."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="closures")
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closing days")
        verbose_name_plural = _("closing days")
        ordering = ["resource", "first"]
        constraints = [
            models.CheckConstraint(condition=models.Q(first__lte=models.F("last")), name="reservations_closure_order")
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.last} {self.reason}"


class Reservation(models.Model):
    """A citizen's reservation: requested (holds the time), then confirmed or declined by staff; cancelled by the
    citizen or staff, expired when nobody decided in time, no-show when the group did not come."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested, waiting for the town's answer")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", pgettext_lazy("reservation", "cancelled")
        EXPIRED = "expired", _("not answered in time")
        NO_SHOW = "no_show", _("not used")

    # Statuses that hold the resource. A request past its deadline is set to EXPIRED before anybody requests the
    # same resource, so that the database constraint sees it free.
    HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.NO_SHOW)

    class Occasion(models.TextChoices):
        FAMILY = "family", _("Family gathering")
        BIRTHDAY = "birthday", _("Birthday")
        CLUB = "club", _("Club event")
        COMPANY = "company", _("Company event")
        SCHOOL = "school", _("School class or kindergarten")
        SPORTS = "sports", _("Sports or training")
        MEETING = "meeting", _("Meeting or course")
        OTHER = "other", _("Something else")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="reservations")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="reservations")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    window_label = models.CharField(_("window"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30)
    street = models.CharField(_("street and number"), max_length=150)
    postal_code = models.CharField(_("postal code"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    persons = models.PositiveIntegerField(_("persons"))
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    fee = models.DecimalField(_("fee in euros"), max_digits=8, decimal_places=2)
    language = models.CharField(max_length=8, default="de")
    citizen = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="reservations"
    )
    # Part of the citizen's signed links; a new one (after cancelling) makes every earlier link worthless.
    nonce = models.CharField(max_length=40, default=new_nonce)
    # Part of the staff's decision links; renewed by every decision, so such a link works once.
    decision_nonce = models.CharField(max_length=40, default=new_nonce)
    sequence = models.PositiveIntegerField(default=0, help_text=_("iCalendar SEQUENCE: raised on every change"))
    expires_at = models.DateTimeField(_("lapses unless decided by"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    payment_id = models.UUIDField(null=True, blank=True, help_text=_("The invoice in rathaus.payments"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["resource", "start"], name="reservations_resource_start"),
            models.Index(fields=["status", "expires_at"], name="reservations_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="reservations_order"),
            models.CheckConstraint(condition=models.Q(persons__gte=1), name="reservations_persons"),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="reservations_fee"),
            PostgresOnlyExclusionConstraint(
                name="reservations_no_overlap",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (TimeRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=models.Q(status__in=["requested", "confirmed", "no_show"]),
                violation_error_message=_("This time is already taken."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def code(self) -> str:
        """A short reference for phone calls and bank transfers, e.g. R-1A2B3C4D."""
        return "R-" + self.public_id.hex[:8].upper()

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)
