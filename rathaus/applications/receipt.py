"""The receipt (Eingangsbestätigung) as PDF/A-3b: what was sent, when, and which documents were attached."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from rathaus.core.i18n import localized

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
    # Fonts come from the KERN UX package on disk; nothing is fetched over the network.
    return HTML(string=html, base_url=str(settings.NODE_MODULES)).write_pdf(pdf_variant="pdf/a-3b")
