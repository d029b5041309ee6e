"""The monthly report for the council as PDF/A (WeasyPrint through rathaus.letters): published figures only, so
small numbers are withheld as in open data."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rathaus.letters import html_to_pdf_a

from . import charts, published, selectors
from .periods import Period


def council_report_pdf(*, scope: selectors.Scope, period: Period) -> bytes:
    overview = selectors.overview(scope=scope, period=period)
    tables = published.overview_tables(overview)
    busiest = sorted(overview.services, key=lambda row: -row.starts)[:3]
    funnels = []
    for row in busiest:
        service = selectors.service_for_scope(scope=scope, key=row.key)
        if service is None or not service.data.get("form"):
            continue
        figures = selectors.service_figures(scope=scope, service=service, period=period)
        funnels.append(published.funnel_table(figures))
    month = date_format(period.start, "F Y")
    title = _("Online services in %(month)s") % {"month": month}
    html = render_to_string(
        "analytics/report.html",
        {
            "title": title,
            "municipality": scope.municipality,
            "period": period,
            "overview": overview,
            "tables": tables + funnels,
            "series_chart": charts.column_chart(
                [(point.label, (point.starts, point.submissions)) for point in overview.series],
                series=[_("Started"), _("Sent")],
            ),
            "created": date_format(timezone.localdate()),
            "min_cell": published.suppression.min_cell(),
        },
    )
    return html_to_pdf_a(html=html, title=title, author=scope.municipality.name)
