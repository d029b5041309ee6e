from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from rathaus.catalog import selectors as catalog
from rathaus.catalog.models import Taxon
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
        },
    )


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
