"""Shared tables of the core: the counters of rate limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """One fixed window of a rate limit (`rathaus.core.ratelimit`). In the database rather than in a process's
    memory, so that every gunicorn worker and every app server counts against the same budget."""

    key = models.CharField(_("key"), primary_key=True, max_length=120)  # scope and a hash, never plain text
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("window ends"), db_index=True)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
