from django.db import models


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
