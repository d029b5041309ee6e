"""Appointments at the citizens' office: locations with opening hours, closing days and counters, and bookings.

A booking occupies one counter for [start, end). On PostgreSQL an exclusion constraint guarantees that two
occupying bookings of one counter never overlap, whatever the application does; the services additionally
serialise bookings per location with a row lock (SQLite has no exclusion constraints; its writes are serialised).
"""

from __future__ import annotations

import secrets
import uuid

from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.core.constraints import PostgresOnlyExclusionConstraint, TimeRange


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Location(models.Model):
    """A citizens' office (Bürgerbüro) of a municipality."""

    class HolidayRegion(models.TextChoices):
        NONE = "", _("no public holidays")
        HESSEN = "HE", _("Hesse")

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="locations")
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    directions = models.TextField(_("how to find us"), blank=True)
    active = models.BooleanField(_("takes bookings"), default=True)
    holiday_region = models.CharField(
        _("closed on the public holidays of"), max_length=2, choices=HolidayRegion.choices, default="HE", blank=True
    )
    department = models.ForeignKey(
        "tenants.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("department"),
        help_text=_("Its staff see the day view; without one only the municipality's administrators do."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("time grid in minutes"), default=5)
    horizon_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=60)
    lead_minutes = models.PositiveIntegerField(_("earliest booking, minutes ahead"), default=60)

    class Meta:
        verbose_name = _("citizens' office")
        verbose_name_plural = _("citizens' offices")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="appointments_location_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=1, slot_minutes__lte=60), name="appointments_location_slot_grid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One interval of a weekday (0 = Monday); a day may have several (morning and afternoon)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=[(n, str(n)) for n in range(7)])
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="appointments_hours_order"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="appointments_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosingDay(models.Model):
    """A day the location is closed besides public holidays (a staff outing, a move)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closing_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        ordering = ["location", "date"]
        constraints = [models.UniqueConstraint(fields=["location", "date"], name="appointments_closing_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Counter(models.Model):
    """A counter (Schalter) where one citizen is served at a time. Empty `service_keys`: it offers every service."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in service"), default=True)
    service_keys = models.JSONField(
        _("services offered"), default=list, blank=True, help_text=_("Service keys; empty means all services.")
    )

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["location", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="appointments_counter_unique_name")]

    def __str__(self) -> str:
        return self.name

    def offers(self, service_keys: list[str]) -> bool:
        return not self.service_keys or set(service_keys) <= set(self.service_keys)


class LocationService(models.Model):
    """A catalogue service that can be booked at a location, with its duration there."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services")
    service_key = models.SlugField(_("service key"), max_length=60)
    minutes = models.PositiveSmallIntegerField(_("duration in minutes"))

    class Meta:
        verbose_name = _("bookable service")
        verbose_name_plural = _("bookable services")
        ordering = ["location", "service_key"]
        constraints = [
            models.UniqueConstraint(fields=["location", "service_key"], name="appointments_service_unique"),
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="appointments_service_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.service_key} ({self.minutes} min)"


class Booking(models.Model):
    """A citizen's appointment: held until confirmed by e-mail, then confirmed; cancelled, expired or missed."""

    class Status(models.TextChoices):
        HELD = "held", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", pgettext_lazy("appointment", "cancelled")
        EXPIRED = "expired", _("not confirmed in time")
        NO_SHOW = "no_show", _("did not come")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        STAFF = "staff", _("by staff (phone or counter)")

    # Statuses that occupy the counter. An expired hold is set to EXPIRED before anybody books at the location.
    OCCUPYING = (Status.HELD, Status.CONFIRMED, Status.NO_SHOW)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="bookings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="bookings")
    service_keys = models.JSONField(_("concerns"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.HELD)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)  # empty only for bookings staff made for a caller
    channel = models.CharField(_("booked"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    language = models.CharField(max_length=8, default="de")
    citizen = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    # Part of every signed link; a new nonce (after cancelling or moving) makes the old links worthless.
    nonce = models.CharField(max_length=40, default=new_nonce)
    sequence = models.PositiveIntegerField(default=0, help_text=_("iCalendar SEQUENCE: raised when the time moves"))
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A cancelled time is offered again only from here on, so that nobody can watch for cancellations and snatch them.
    released_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["location", "start"], name="appointments_booking_day"),
            models.Index(fields=["status", "start"], name="appointments_booking_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="appointments_booking_order"),
            PostgresOnlyExclusionConstraint(
                name="appointments_booking_no_overlap",
                expressions=[
                    ("counter", RangeOperators.EQUAL),
                    (TimeRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=models.Q(status__in=["held", "confirmed", "no_show"]),
                violation_error_message=_("This time is already taken."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.start:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class BlockedTime(models.Model):
    """Time in which a counter (or, without a counter, the whole location) takes no bookings: a meeting, training."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="blocked_times")
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, null=True, blank=True, related_name="blocked_times")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked time")
        verbose_name_plural = _("blocked times")
        ordering = ["location", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="appointments_blocked_order")
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} {self.reason}"


class Ticket(models.Model):
    """A place in the waiting-room queue of one day: a citizen with an appointment who has arrived, or a walk-in.

    The display in the waiting room shows only the number ("T 7" with an appointment, "W 3" without) and the counter,
    never a name.
    """

    class Kind(models.TextChoices):
        APPOINTMENT = "T", _("with an appointment")
        WALK_IN = "W", _("without an appointment")

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        CALLED = "called", _("called")
        DONE = "done", _("served")
        LEFT = "left", _("did not come when called")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="tickets")
    day = models.DateField()
    kind = models.CharField(max_length=1, choices=Kind.choices)
    number = models.PositiveIntegerField()
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="ticket")
    service_keys = models.JSONField(_("concerns"), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    created_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("waiting number")
        verbose_name_plural = _("waiting numbers")
        ordering = ["location", "day", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["location", "day", "kind", "number"], name="appointments_ticket_number"),
            # A counter calls one person at a time.
            models.UniqueConstraint(
                fields=["counter"], condition=models.Q(status="called"), name="appointments_ticket_one_called"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"
