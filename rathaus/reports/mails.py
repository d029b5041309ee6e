"""E-mails to reporters and followers, in the language they reported in. Sent after the commit by the services.

The mails name the category, the status and the public note, and link to the public page of the report; they
repeat nothing the person typed (the description may be long or personal).
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rathaus.postbox.services import site_url

from .models import Report
from .selectors import recipients

logger = logging.getLogger(__name__)


def _report(pk: int) -> Report:
    return Report.objects.select_related("municipality", "category", "duplicate_of").get(pk=pk)


def _send(report: Report, template: str, to: list[tuple[str, str]], extra: dict | None = None) -> int:
    sent = 0
    for email, language in to:
        with translation.override(language or "de"):
            context = {
                "report": report,
                "municipality": report.municipality,
                "category": report.category.label,
                "status": report.get_status_display(),
                "url": site_url(report.municipality) + reverse("reports:detail", args=[report.pk]),
                **(extra or {}),
            }
            subject = " ".join(render_to_string(f"reports/mail/{template}_subject.txt", context).split())
            body = render_to_string(f"reports/mail/{template}.txt", context)
        try:
            EmailMessage(subject, body, None, [email]).send()
        except (smtplib.SMTPException, OSError):
            logger.exception("the %s e-mail of report %s could not be sent", template, report.pk)
            continue
        sent += 1
    return sent


def filed_mail_send(report_pk: int) -> int:
    """The receipt for the reporter: the number, the link, what happens next."""
    report = _report(report_pk)
    return _send(report, "filed", [(report.reporter_email, report.language)] if report.reporter_email else [])


def status_mail_send(report_pk: int) -> int:
    """The new status and its public note, to the reporter and every follower."""
    report = _report(report_pk)
    return _send(report, "status", recipients(report=report))


def merged_mail_send(duplicate_pk: int) -> int:
    """The people of the duplicate learn which report it continues as; those of the original that someone else
    reported the defect too."""
    duplicate = _report(duplicate_pk)
    original = duplicate.duplicate_of
    assert original is not None
    original = _report(original.pk)
    of_duplicate = recipients(report=duplicate)
    known = {email for email, _language in of_duplicate}
    original_url = site_url(original.municipality) + reverse("reports:detail", args=[original.pk])
    sent = _send(duplicate, "merged", of_duplicate, {"original": original, "original_url": original_url})
    others = [(email, language) for email, language in recipients(report=original) if email not in known]
    return sent + _send(original, "supported", others)
