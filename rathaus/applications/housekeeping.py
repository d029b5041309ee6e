"""Draft reminders and expiry: run daily (`rathaus expire_drafts`, e.g. from cron or a systemd timer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.postbox.services import site_url

from .models import Application, StatusChange

DRAFT_STATES = [Application.Status.DRAFT, Application.Status.AWAITING_PAYMENT]


def reminder_lead_time() -> timedelta:
    return timedelta(days=getattr(settings, "RATHAUS_DRAFT_REMINDER_DAYS", 7))


@dataclass
class HousekeepingReport:
    reminded: int
    expired: int


def drafts_remind(*, now: datetime | None = None) -> int:
    """E-mail applicants whose draft expires soon. The mail holds no personal data, only a link."""
    now = now or timezone.now()
    due = Application.objects.filter(
        status__in=DRAFT_STATES,
        applicant__isnull=False,
        reminder_sent_at__isnull=True,
        expires_at__lte=now + reminder_lead_time(),
        expires_at__gt=now,
    ).select_related("applicant", "municipality")
    count = 0
    for application in due:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            link = site_url(application.municipality) + reverse("applications:mine")
            with translation.override("de"):
                subject = _("Your unsent application will be deleted soon")
                body = _(
                    "Hello,\n\nyou started an application at %(municipality)s that has not been sent yet. It will be "
                    "deleted on %(date)s. You can continue it here:\n\n%(link)s\n\nYour town hall"
                ) % {
                    "municipality": application.municipality.name,
                    "date": timezone.localtime(application.expires_at).strftime("%d.%m.%Y"),
                    "link": link,
                }
            recipient = application.applicant.email if application.applicant else ""
            transaction.on_commit(partial(send_mail, subject, body, None, [recipient]))
            count += 1
    return count


def drafts_expire(*, now: datetime | None = None) -> int:
    """Delete what was entered in expired drafts; the application row stays as "expired" for the statistics."""
    now = now or timezone.now()
    count = 0
    for application in Application.objects.filter(status__in=DRAFT_STATES, expires_at__lte=now):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status not in DRAFT_STATES:
                continue
            locked.status = Application.Status.EXPIRED
            locked.data = {}
            locked.save(update_fields=["status", "data", "updated_at"])
            StatusChange.objects.create(application=locked, status=locked.status)
            count += 1
    return count


def housekeeping(*, now: datetime | None = None) -> HousekeepingReport:
    return HousekeepingReport(reminded=drafts_remind(now=now), expired=drafts_expire(now=now))
