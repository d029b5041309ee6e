"""The analytics dashboard for staff (/verwaltung/statistik/): overview, step funnel per service, comparison between
municipalities, exports, the monthly council report and the municipality's opt-ins. Pages work without JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.tenants.requests import MunicipalityRequest

from . import charts, exports, published, selectors, services
from .periods import (
    FIRST_YEAR,
    KINDS,
    Period,
    PeriodInvalid,
    last_complete_day,
    period_checked,
    period_from_query,
    period_of,
)
from .report import council_report_pdf


def _scope(request: MunicipalityRequest) -> selectors.Scope:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    scope = selectors.scope_for(user=request.user, municipality=request.municipality)
    if scope is None:
        raise Http404
    return scope


def _period(request: MunicipalityRequest) -> tuple[Period, str]:
    """The chosen period, or this month with the reason why the choice was not possible."""
    try:
        return period_from_query(request.GET), ""
    except PeriodInvalid as invalid:
        return period_of("monat", last_complete_day()), str(invalid)


def _period_context(request: MunicipalityRequest, period: Period, error: str) -> dict[str, Any]:
    query = request.GET.copy()
    links = {}
    for name, step in (("previous", -1), ("next", 1)):
        other = period.shifted(step)
        if (step > 0 and other.start > last_complete_day()) or other.start.year < FIRST_YEAR:
            continue
        query["zeitraum"] = other.kind
        if other.kind == "frei":
            query["von"], query["bis"] = other.start.isoformat(), other.end.isoformat()
        else:
            query["datum"] = other.start.isoformat()
        links[name] = query.urlencode()
    return {
        "period": period,
        "previous_period": period.previous(),
        "period_error": error,
        "kinds": KINDS,
        "period_links": links,
        "reference": request.GET.get("datum") or period.start.isoformat(),
        "query": request.GET.urlencode(),
    }


def _shares_chart(items: Sequence[selectors.Share]) -> Any:
    from .templatetags.analytics_format import percent

    return charts.bar_chart(
        [(item.label, item.count) for item in items],
        value_texts=[f"{item.count} ({percent(item.share)})" for item in items],
    )


@never_cache
@require_GET
@staff_required
def dashboard(request: MunicipalityRequest) -> HttpResponse:
    scope = _scope(request)
    period, error = _period(request)
    overview = selectors.overview(scope=scope, period=period)
    context = {
        **_period_context(request, period, error),
        "overview": overview,
        "series_unit": selectors.series_unit_label(period),
        "series_chart": charts.column_chart(
            [(point.label, (point.starts, point.submissions)) for point in overview.series],
            series=[_("Started"), _("Sent")],
        ),
        "payment_chart": _shares_chart(overview.payment_methods),
        "trust_chart": _shares_chart(overview.trust_levels),
        "login_chart": _shares_chart(overview.login_methods),
        "login_trust_chart": _shares_chart(overview.login_trust_levels),
        "channel_chart": _shares_chart(overview.channels),
        "category_chart": _shares_chart(overview.report_categories),
        "services_chart": charts.bar_chart(
            [(row.name, row.submissions) for row in overview.services[:12]],
            value_texts=[str(row.submissions) for row in overview.services[:12]],
        ),
        "is_admin": scope.everything,
    }
    return render(request, "analytics/dashboard.html", context)


@never_cache
@require_GET
@staff_required
def service_detail(request: MunicipalityRequest, key: str) -> HttpResponse:
    scope = _scope(request)
    service = selectors.service_for_scope(scope=scope, key=key)
    if service is None:
        raise Http404
    period, error = _period(request)
    figures = selectors.service_figures(scope=scope, service=service, period=period)
    from .templatetags.analytics_format import percent

    context = {
        **_period_context(request, period, error),
        "figures": figures,
        "funnel_chart": charts.bar_chart(
            [(step.label, step.reached) for step in figures.funnel],
            value_texts=[
                f"{step.reached}" + (f" ({percent(step.share_of_starts)})" if step.share_of_starts is not None else "")
                for step in figures.funnel
            ],
        ),
        "fields_chart": charts.bar_chart(
            [(row.label, row.abandoned or row.errors) for row in figures.fields[:6]],
            value_texts=[str(row.abandoned or row.errors) for row in figures.fields[:6]],
        ),
        "payment_chart": _shares_chart(figures.payment_methods),
        "trust_chart": _shares_chart(figures.trust_levels),
        "processing_chart": charts.bar_chart(
            [
                (_("Median"), figures.processing.median_days or 0),
                (_("90 percent decided within"), figures.processing.p90_days or 0),
                (_("Promised"), figures.promised_days),
            ],
            value_texts=[
                _days(figures.processing.median_days),
                _days(figures.processing.p90_days),
                _days(figures.promised_days),
            ],
        ),
    }
    return render(request, "analytics/service.html", context)


def _days(value: float | None) -> str:
    from .templatetags.analytics_format import amount

    return amount(value, "days")


@never_cache
@require_GET
@staff_required
def comparison(request: MunicipalityRequest) -> HttpResponse:
    scope = _scope(request)
    period, error = _period(request)
    own = selectors.settings_for(scope.municipality)
    catalogue = selectors.services_by_key(municipality=scope.municipality)
    choosable = sorted(
        (service for key, service in catalogue.items() if scope.allows(key)), key=lambda s: s.name.lower()
    )
    chosen = request.GET.get("leistung", "")
    if chosen and chosen not in {service.key for service in choosable}:
        chosen = ""
    keys = frozenset({chosen}) if chosen else scope.service_keys
    columns = selectors.comparison(period=period, service_keys=keys) if own.compare else []
    rows = published.comparison_rows(columns, with_logins=keys is None)
    context = {
        **_period_context(request, period, error),
        "taking_part": own.compare,
        "columns": columns,
        "rows": rows,
        "services": choosable,
        "chosen": chosen,
        "is_admin": scope.everything,
        "min_cell": published.suppression.min_cell(),
    }
    return render(request, "analytics/comparison.html", context)


def _export(request: MunicipalityRequest, extension: str) -> HttpResponse:
    """The overview's published tables of the chosen period: CSV (the services) or XLSX (every table)."""
    scope = _scope(request)
    period, _error = _period(request)
    figures = selectors.overview(scope=scope, period=period)
    if extension == "csv":
        content: str | bytes = exports.table_csv(published.service_table(figures))
        content_type = "text/csv; charset=utf-8"
    else:
        content = exports.tables_xlsx(published.overview_tables(figures), title=_("Key figures of the online services"))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"kennzahlen-{scope.municipality.slug}-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@require_GET
@staff_required
def export_csv(request: MunicipalityRequest) -> HttpResponse:
    return _export(request, "csv")


@never_cache
@require_GET
@staff_required
def export_xlsx(request: MunicipalityRequest) -> HttpResponse:
    return _export(request, "xlsx")


@never_cache
@require_GET
@staff_required
def report_form(request: MunicipalityRequest) -> HttpResponse:
    scope = _scope(request)
    month = request.GET.get("monat", "")
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            period_checked(period_of("monat", date(year, number, 1)))
        except PeriodInvalid as invalid:
            messages.error(request, str(invalid))
        except ValueError:
            messages.error(request, _("Please choose a month."))
        else:
            return redirect("analytics:report_pdf", year=year, month=number)
    last = last_complete_day()
    return render(
        request,
        "analytics/report_form.html",
        {"default_month": f"{last.year:04d}-{last.month:02d}", "is_admin": scope.everything},
    )


@never_cache
@require_GET
@staff_required
def report_pdf(request: MunicipalityRequest, year: int, month: int) -> HttpResponse:
    scope = _scope(request)
    try:
        period = period_checked(period_of("monat", date(year, month, 1)))
    except ValueError:  # no month, or one without figures (PeriodInvalid)
        raise Http404 from None
    pdf = council_report_pdf(scope=scope, period=period)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"monatsbericht-{scope.municipality.slug}-{year:04d}-{month:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def settings_view(request: MunicipalityRequest) -> HttpResponse:
    assert isinstance(request.user, User) and request.municipality is not None
    if not selectors.is_municipality_admin(user=request.user, municipality=request.municipality):
        raise Http404
    current = selectors.settings_for(request.municipality)
    if request.method == "POST":
        services.analytics_settings_update(
            municipality=request.municipality,
            compare=request.POST.get("vergleich") == "on",
            publish_open_data=request.POST.get("open_data") == "on",
            actor=request.user,
        )
        messages.success(request, _("The settings have been saved."))
        return redirect("analytics:settings")
    return render(
        request,
        "analytics/settings.html",
        {"current": current, "updated": date_format(current.updated_at) if current.pk else ""},
    )
