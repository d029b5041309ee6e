from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A privacy-safe fact: what happened, where, when. Never a name, e-mail, IP address or free text."""

    name = models.CharField(max_length=60, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="events")
    service_key = models.CharField(max_length=60, blank=True, db_index=True)
    visit = models.CharField(max_length=32, blank=True, help_text="random id of a visit, rotated daily")
    dimensions = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "name", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.service_key} {self.occurred_at:%Y-%m-%d %H:%M}"


class DailyCount(models.Model):
    """How often an event happened on one day, in total (empty dimension) and per value of each dimension.

    The dashboard, the exports and the open data read only these rows, never the raw events."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_key = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=60)
    dimension = models.CharField(max_length=30, blank=True)
    value = models.CharField(max_length=60, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "name", "service_key", "dimension", "value"],
                name="dailycount_unique_cell",
            ),
        ]
        # The dashboard's queries (one municipality, totals or one dimension, some events, a range of days) read
        # this index only (it holds every column they read: an index-only scan on PostgreSQL).
        indexes = [
            models.Index(
                fields=["municipality", "dimension", "name", "day", "service_key", "value", "count"],
                name="dailycount_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name} {self.service_key} {self.dimension}={self.value}: {self.count}"


class DailyDuration(models.Model):
    """A histogram of durations per day (seconds in logarithmic buckets), for medians and percentiles.

    Bucket b holds durations d with BASE**b <= d + 1 < BASE**(b + 1); see rathaus/analytics/histogram.py."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_key = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=60)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "name", "service_key", "bucket"], name="dailyduration_unique_cell"
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "name", "day", "service_key", "bucket", "count"],
                name="dailyduration_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name} {self.service_key} bucket {self.bucket}: {self.count}"


class RolledDay(models.Model):
    """A day of one municipality whose events have been rolled up (again: rolling up is repeatable)."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    rolled_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "day"], name="rolledday_unique_day")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}"


class AnalyticsSettings(models.Model):
    """A municipality's choices about its figures. Both are opt-in: nothing is shared until the municipality says so."""

    municipality = models.OneToOneField(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="analytics_settings"
    )
    compare = models.BooleanField(
        _("take part in the comparison between municipalities"),
        default=False,
        help_text=_("Other municipalities of this installation that take part see these figures side by side."),
    )
    publish_open_data = models.BooleanField(
        _("publish the figures as open data"),
        default=False,
        help_text=_("The figures appear daily as datasets in the open data portal (small numbers suppressed)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("analytics settings")
        verbose_name_plural = _("analytics settings")

    def __str__(self) -> str:
        return str(self.municipality)


class MonthlyCount(models.Model):
    """DailyCount summed per calendar month (`day` is the month's first day): long periods read twelve rows where
    they would read 365. Rebuilt from the daily rows whenever a day of the month is rolled up."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_key = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=60)
    dimension = models.CharField(max_length=30, blank=True)
    value = models.CharField(max_length=60, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "name", "service_key", "dimension", "value"],
                name="monthlycount_unique_cell",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "dimension", "name", "day", "service_key", "value", "count"],
                name="monthlycount_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.name} {self.service_key} {self.dimension}={self.value}: {self.count}"


class MonthlyDuration(models.Model):
    """DailyDuration summed per calendar month (`day` is the month's first day)."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_key = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=60)
    bucket = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "name", "service_key", "bucket"], name="monthlyduration_unique_cell"
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "name", "day", "service_key", "bucket", "count"],
                name="monthlyduration_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m} {self.name} {self.service_key} bucket {self.bucket}: {self.count}"
