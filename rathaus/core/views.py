from dataclasses import dataclass

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from rathaus.catalog import selectors as catalog
from rathaus.catalog.models import Taxon
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest

from .branding import branding_css


@require_GET
def home(request: MunicipalityRequest) -> HttpResponse:
    municipality = request.municipality
    if municipality is None:
        return render(request, "core/not_set_up.html", status=503)
    taxa = catalog.taxa_in_use(municipality=municipality)
    return render(
        request,
        "core/home.html",
        {
            "topics": taxa[Taxon.Kind.TOPIC],
            "life_situations": taxa[Taxon.Kind.LIFE_SITUATION],
            "service_count": catalog.service_count(municipality=municipality),
            "quick_links": quick_links(municipality),
        },
    )


@dataclass(frozen=True)
class QuickLink:
    url: str
    title: str
    text: str


def quick_links(municipality: Municipality) -> list[QuickLink]:
    """The services that are no forms, where the municipality has set them up: straight from the home page."""
    from rathaus.appointments.selectors import location_list
    from rathaus.idstatus.selectors import lookup_offered
    from rathaus.reports.selectors import category_list
    from rathaus.reservations.selectors import resource_list
    from rathaus.waste.selectors import calendar_offered

    offered = [
        (
            bool(location_list(municipality=municipality)),
            "appointments:start",
            _("Book an appointment"),
            _("At the citizens' office, with the list of what to bring."),
        ),
        (
            bool(category_list(municipality=municipality)),
            "reports:list",
            _("Report a problem"),
            _("A broken street light, a pothole, rubbish left behind: show us where."),
        ),
        (
            calendar_offered(municipality=municipality),
            "waste:start",
            _("Waste calendar"),
            _("Collection days for your street, as a calendar subscription or to print."),
        ),
        (
            lookup_offered(municipality=municipality),
            "idstatus:lookup",
            _("Is my ID document ready?"),
            _("Check whether your new identity card or passport can be picked up."),
        ),
        (
            bool(resource_list(municipality=municipality)),
            "reservations:start",
            _("Reserve a place"),
            _("Barbecue places and rooms, with the free times in a calendar."),
        ),
    ]
    return [QuickLink(url=reverse(name), title=title, text=text) for show, name, title, text in offered if show]


@require_GET
@cache_control(max_age=300)
def branding(request: MunicipalityRequest) -> HttpResponse:
    """The municipality's colours as CSS custom properties (a file, because the CSP forbids inline styles)."""
    colour = request.municipality.brand_colour if request.municipality else "#004B76"
    return HttpResponse(branding_css(colour), content_type="text/css; charset=utf-8")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": "unavailable", "error": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
