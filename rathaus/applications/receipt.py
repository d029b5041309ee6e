"""The receipt (Eingangsbestätigung) as PDF/A-3b: what was sent, when, and which documents were attached."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rathaus.core.i18n import localized
from rathaus.letters import html_to_pdf_a

from .formengine import FormDefinition
from .models import Application


def receipt_pdf(*, application: Application, upload_names: list[tuple[str, str]]) -> bytes:
    """Render the receipt of a submitted application. `upload_names`: (document name, file name) pairs."""
    form = FormDefinition(application.definition.data["form"])
    html = render_to_string(
        "applications/receipt.html",
        {
            "application": application,
            "municipality": application.municipality,
            "service_name": localized(application.definition.data["name"]),
            "summary": form.summary(application.data),
            "uploads": upload_names,
            "title": _("Receipt"),
        },
    )
    return html_to_pdf_a(html=html, author=application.municipality.name)
