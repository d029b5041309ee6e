"""Decision letters (Bescheide) and requests for information as PDF/A-3b.

The caller passes plain values (`LetterData`), so this package knows nothing of cases or applications.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, select_template
from django.utils import translation
from django.utils.translation import gettext as _

from rathaus.tenants.models import Municipality

from .pdf import html_to_pdf_a

APPROVAL = "approval"
REJECTION = "rejection"
REQUEST_FOR_INFORMATION = "request_for_information"
LETTER_TEMPLATES = (APPROVAL, REJECTION, REQUEST_FOR_INFORMATION)

# Service keys and municipality slugs become template path segments; only slugs may do that.
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class LetterError(Exception):
    """A letter that cannot be written from the data given; str() is translated and meant for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True)
class LetterData:
    """Everything a letter shows. Dates are calendar dates of the letter, not timestamps."""

    municipality: Municipality
    department: str
    reference: str
    service_key: str
    service_name: str
    recipient_name: str
    recipient_address: tuple[str, ...]
    letter_date: date
    received_on: date
    # Shown as the contact person and signature; empty means "Ihre Verwaltung".
    caseworker: str = ""
    # Contact in the information block; empty falls back to the municipality's phone and e-mail.
    contact_phone: str = ""
    contact_email: str = ""
    # Plain text written by the caseworker; escaped, line breaks kept.
    decision_text: str = ""
    # Required for rejections ("Begründung").
    reason: str = ""
    fee_amount: Decimal | None = None
    fee_label: str = ""
    payment_hint: str = ""
    legal_basis: tuple[str, ...] = ()
    # Facts of the decision as label -> value, e.g. {"Gültigkeit": "12 Monate"}; per-service templates pick theirs.
    details: Mapping[str, str] = field(default_factory=dict)
    # Requests for information: the question to the applicant and the date an answer is due.
    question: str = ""
    reply_by: date | None = None
    language: str = "de"


def letter_pdf(*, data: LetterData, template: str) -> bytes:
    """The letter `template` ("approval", "rejection", "request_for_information") for `data` as PDF/A-3b bytes.

    Uses `letters/<service_key>/<template>.html` when it exists, else `letters/<template>.html`.
    Raises LetterError for an unknown template or data the letter cannot do without.
    """
    _check(data=data, template=template)
    with translation.override(data.language):
        names = [f"letters/{data.service_key}/{template}.html", f"letters/{template}.html"]
        letter_template = select_template(names)
        if template == REQUEST_FOR_INFORMATION:
            title = _("Request for information %(reference)s") % {"reference": data.reference}
        else:
            title = _("Decision %(reference)s") % {"reference": data.reference}
        context = {
            "data": data,
            "municipality": data.municipality,
            "title": title,
            "contact_phone": data.contact_phone or data.municipality.phone,
            "contact_email": data.contact_email or data.municipality.email,
            # A rejection and a fee are decisions the citizen may contest (Verwaltungsakte with a burden).
            "appeal_notice": _appeal_notice_template(data.municipality)
            if template == REJECTION or data.fee_amount
            else None,
        }
        html = letter_template.render(context)
    return html_to_pdf_a(html=html, title=title, author=data.municipality.name)


def _check(*, data: LetterData, template: str) -> None:
    if template not in LETTER_TEMPLATES:
        raise LetterError(_("Unknown letter template “%(template)s”.") % {"template": template})
    if not _SLUG.match(data.service_key):
        raise LetterError(_("Invalid service key “%(key)s”.") % {"key": data.service_key})
    if data.language not in dict(settings.LANGUAGES):
        raise LetterError(_("Letters cannot be written in “%(language)s”.") % {"language": data.language})
    if template == REJECTION and not data.reason.strip():
        raise LetterError(_("A rejection must state its reason."))
    if template == REQUEST_FOR_INFORMATION and not (data.question.strip() and data.reply_by):
        raise LetterError(_("A request for information needs the question and the date to answer by."))
    if data.fee_amount is not None and data.fee_amount < 0:
        raise LetterError(_("A fee cannot be negative."))


def _appeal_notice_template(municipality: Municipality) -> str:
    """A municipality may word its own appeal notice (Rechtsbehelfsbelehrung); otherwise the shipped one."""
    if _SLUG.match(municipality.slug):
        name = f"letters/municipality/{municipality.slug}/appeal_notice.html"
        try:
            get_template(name)
        except TemplateDoesNotExist:
            pass
        else:
            return name
    return "letters/appeal_notice.html"
