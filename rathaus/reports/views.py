"""Citizen pages of the Mängelmelder: the public list and map, the two-step report form, a report's public page,
"I see it too", and released photos.

Everything works without JavaScript: the place is given by street (from the municipality's street list) and
house number, or by coordinates; with JavaScript a Leaflet map fills the coordinates. Step one asks what and
where, and shows open reports of the same kind nearby before step two asks for the description and photos.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.core.clients import client_ip
from rathaus.core.ratelimit import Limit
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest, municipality_or_404
from rathaus.uploads.ownership import guest_session_key

from . import maps, selectors, services
from .errors import RateLimited, ReportError
from .forms import Entered, coordinate
from .models import Category, Report
from .photos import PHOTO_RULE, PHOTOS_MAX

SESSION_FILED = "reports_filed"
PLACE_FIELDS = ("kategorie", "lat", "lon", "strasse", "hausnummer", "ort")
PUBLIC_STATUS_FILTERS = {"offen": Report.OPEN, "erledigt": (Report.Status.DONE,)}


def _file_limit() -> Limit:
    return Limit("reports-file-ip", limit=int(settings.RATHAUS_REPORTS_PER_IP_HOUR), window=3600)


def _report(request: MunicipalityRequest, pk: int) -> Report:
    report = selectors.report_get_public(municipality=municipality_or_404(request), pk=pk)
    if report is None:
        raise Http404
    return report


@require_GET
def report_list(request: MunicipalityRequest) -> HttpResponse:
    municipality = municipality_or_404(request)
    status = request.GET.get("stand", "offen")
    status = status if status in (*PUBLIC_STATUS_FILTERS, "alle") else "offen"
    code = request.GET.get("kategorie", "")[:60]
    reports = selectors.reports_public(municipality=municipality)
    if status in PUBLIC_STATUS_FILTERS:
        reports = reports.filter(status__in=PUBLIC_STATUS_FILTERS[status])
    if code:
        reports = reports.filter(category__code=code)
    page = Paginator(reports, 25).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "page": page,
        "categories": selectors.category_list(municipality=municipality),
        "status": status,
        "code": code,
        "query": query.urlencode(),
        "map": maps.map_context(municipality=municipality, reports=list(reports[: maps.MAP_MAX])),
    }
    return maps.with_tiles(render(request, "reports/list.html", context))


def _place_context(municipality: Municipality, entered: Entered) -> dict[str, Any]:
    return {
        "categories": selectors.category_list(municipality=municipality),
        "streets": selectors.street_list(municipality=municipality),
        "entered": entered,
        "map": maps.map_context(municipality=municipality, reports=[], picker=True),
    }


def _where(municipality: Municipality, entered: Entered) -> tuple[Category, services.Location] | None:
    """Step one's answers checked: the category and the place; None (with the errors filled in) when wrong."""
    values = entered.values
    category = selectors.category_get(municipality=municipality, code=values["kategorie"])
    if category is None:
        entered.errors["kategorie"] = _("Please choose what you would like to report.")
    try:
        lat = coordinate(values["lat"], limit=90, field_name="lat")
        lon = coordinate(values["lon"], limit=180, field_name="lon")
        location = services.location_resolve(
            municipality=municipality, lat=lat, lon=lon, street=values["strasse"], house_number=values["hausnummer"]
        )
    except ReportError as error:
        entered.fail(error, "strasse")
        return None
    return (category, location) if category else None


@require_http_methods(["GET", "POST"])
def report_new(request: MunicipalityRequest) -> HttpResponse:
    """Step one: what and where. Its POST shows step two with the open reports of the same kind nearby."""
    municipality = municipality_or_404(request)
    if selectors.area_get(municipality=municipality) is None:
        return render(request, "reports/not_set_up.html", status=404)
    if request.method == "GET":
        entered = Entered.empty()
        for name in PLACE_FIELDS:  # "Change kind or place" on step two comes back with them
            entered.values[name] = request.GET.get(name, "")[:300]
        return maps.with_tiles(render(request, "reports/new.html", _place_context(municipality, entered)))
    entered = Entered.from_post(request.POST)
    where = _where(municipality, entered)
    if where is None:
        return maps.with_tiles(render(request, "reports/new.html", _place_context(municipality, entered), status=422))
    return _details_page(request, municipality, entered, *where)


def _details_page(
    request: MunicipalityRequest,
    municipality: Municipality,
    entered: Entered,
    category: Category,
    location: services.Location,
    status: int = 200,
) -> HttpResponse:
    nearby = selectors.reports_nearby(municipality=municipality, category=category, lat=location.lat, lon=location.lon)
    context = {
        "entered": entered,
        "category": category,
        "location": location,
        "nearby": nearby,
        "nearby_metres": selectors.nearby_metres(),
        "change_query": urlencode({name: entered.values[name] for name in PLACE_FIELDS}),
        "photos_max": PHOTOS_MAX,
        "photo_max_mb": PHOTO_RULE.max_size_mb,
        "map": maps.map_context(municipality=municipality, reports=[item.report for item in nearby], point=location),
    }
    return maps.with_tiles(render(request, "reports/details.html", context, status=status))


@require_POST
def report_submit(request: MunicipalityRequest) -> HttpResponse:
    """Step two: description, photos, contact; files the report."""
    municipality = municipality_or_404(request)
    entered = Entered.from_post(request.POST)
    where = _where(municipality, entered)
    if where is None:
        return maps.with_tiles(render(request, "reports/new.html", _place_context(municipality, entered), status=422))
    category, location = where
    photo_files = [file for file in request.FILES.getlist("fotos") if file.size]
    try:
        if not _file_limit().consume(client_ip(request)):
            raise RateLimited(_("Too many reports from your connection in a short time. Please try again later."))
        report = services.report_file(
            municipality=municipality,
            category=category,
            location=location,
            description=entered.values["beschreibung"],
            landmark=entered.values["ort"],
            reporter_name=entered.values["name"],
            reporter_email=entered.values["email"],
            language=translation.get_language() or "de",
            photo_files=photo_files,
            owner=request.user,
            session_key=guest_session_key(request),
        )
    except ReportError as error:
        entered.fail(error, "beschreibung")
        if photo_files and error.field != "fotos":
            entered.errors["fotos"] = _("For your safety, browsers forget chosen photos. Please choose them again.")
        status = 429 if isinstance(error, RateLimited) else 422
        return _details_page(request, municipality, entered, category, location, status=status)
    request.session[SESSION_FILED] = report.pk
    return redirect("reports:filed")


@require_GET
def report_filed(request: MunicipalityRequest) -> HttpResponse:
    pk = request.session.get(SESSION_FILED)
    report = (
        Report.objects.filter(municipality=municipality_or_404(request), pk=pk).select_related("category").first()
        if isinstance(pk, int)
        else None
    )
    if report is None:
        return redirect("reports:list")
    return render(request, "reports/filed.html", {"report": report})


@require_GET
def report_detail(request: MunicipalityRequest, pk: int) -> HttpResponse:
    municipality = municipality_or_404(request)
    report = _report(request, pk)
    context = {
        "report": report,
        "updates": list(report.updates.all()),
        "photos": selectors.photos_released(report=report),
        "map": maps.map_context(municipality=municipality, reports=[report]),
    }
    return maps.with_tiles(render(request, "reports/detail.html", context))


@require_POST
def report_support(request: MunicipalityRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    email = request.POST.get("email", "")[:300]
    try:
        if not _file_limit().consume(client_ip(request)):
            raise RateLimited(_("Too many reports from your connection in a short time. Please try again later."))
        services.report_support(report=report, email=email, language=translation.get_language() or "de")
    except ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:detail", pk=report.pk)
    messages.success(
        request,
        _("Thank you. We have noted that you see this defect too.")
        + (" " + _("We will write to you when its status changes.") if email.strip() else ""),
    )
    return redirect("reports:detail", pk=report.pk)


def photo_response(photo: Any, *, public: bool) -> FileResponse:
    try:
        stream = photo.file.storage.open(photo.file.name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(stream, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


@require_GET
def photo(request: MunicipalityRequest, public_id: UUID) -> FileResponse:
    found = selectors.photo_get_public(municipality=municipality_or_404(request), public_id=public_id)
    if found is None:
        raise Http404
    return photo_response(found, public=True)
