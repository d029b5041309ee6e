"""The Open311 GeoReport v2 endpoints. Thin: parse, call a selector or service, render JSON or XML.

`jurisdiction_id` selects the municipality (its short name or one of its host names); without it, the host's
municipality answers. Answers carry public fields only: never the reporter's name or e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from rathaus.core.clients import client_ip
from rathaus.core.middleware import answers_nul_characters, has_nul_characters
from rathaus.core.ratelimit import Limit
from rathaus.core.text import ascii_digits
from rathaus.tenants.models import Domain, Municipality
from rathaus.tenants.requests import MunicipalityRequest

from .. import selectors, services
from ..errors import ReportError
from ..models import Category, Report
from . import params
from .render import FORMATS, Open311Error, error_response, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-05-01T00:00:00+02:00"  # when this endpoint's behaviour last changed
IP_LIMIT = Limit("open311-post-ip", limit=600, window=3600)


def _key_limit() -> Limit:
    return Limit("open311-post-key", limit=int(settings.RATHAUS_OPEN311_POSTS_PER_KEY_HOUR), window=3600)


View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Allowed methods, the format from the path, and every Open311Error in the standard's error format."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: MunicipalityRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if fmt not in FORMATS:
                    raise Open311Error(404, _("Unknown format: use .json or .xml."))
                if request.method not in methods:
                    raise Open311Error(405, _("This method is not allowed here."))
                if has_nul_characters(request, kwargs):
                    raise Open311Error(400, _("Parameters must not contain NUL characters."))
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = error_response(fmt, error)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
            return response

        return csrf_exempt(answers_nul_characters(wrapper))

    return decorate


def _parameters(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {key: source.get(key, "") for key in source}


def _jurisdiction(request: MunicipalityRequest, value: str) -> Municipality:
    value = value.strip().lower()
    if not value:
        if request.municipality is None:
            raise Open311Error(400, _("jurisdiction_id is required."))
        return request.municipality
    municipality = (
        Municipality.objects.filter(Q(slug=value) | Q(pk__in=Domain.objects.filter(host=value).values("municipality")))
        .distinct()
        .first()
    )
    if municipality is None:
        raise Open311Error(404, _("jurisdiction_id not found: %(value)s") % {"value": value[:60]})
    return municipality


def _w3c(moment: datetime | None) -> str | None:
    from django.utils import timezone

    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service_of(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": category.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords or None,
        "group": category.group or None,
    }


def request_of(report: Report, request: HttpRequest) -> dict[str, Any]:
    """The public fields of a report as an Open311 service request."""
    released = selectors.photos_released(report=report)
    address = ", ".join(part for part in (report.address, report.landmark) if part)
    return {
        "service_request_id": str(report.pk),
        "status": report.open311_status,
        "status_notes": report.status_note or None,
        "service_name": report.category.label,
        "service_code": report.category.code,
        "description": report.description or None,
        "agency_responsible": report.department.name,
        "service_notice": report.category.service_notice or None,
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(report.updated_at),
        "expected_datetime": None,
        "address": address or None,
        "address_id": None,
        "zipcode": report.zipcode or None,
        "lat": round(report.lat, 6),
        "long": round(report.lon, 6),
        "media_url": request.build_absolute_uri(selectors.photo_url(released[0])) if released else None,
    }


@endpoint("GET")
def discovery(request: MunicipalityRequest, fmt: str) -> HttpResponse:
    municipality = _jurisdiction(request, request.GET.get("jurisdiction_id", ""))
    contact = ", ".join(part for part in (municipality.name, municipality.email, municipality.phone) if part)
    data = {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": _("API keys for filing requests are issued by the administration of %(municipality)s.")
        % {"municipality": municipality.name},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"})).rsplit("/", 1)[
                    0
                ],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, data, root="discovery")


@endpoint("GET")
def service_list(request: MunicipalityRequest, fmt: str) -> HttpResponse:
    municipality = _jurisdiction(request, request.GET.get("jurisdiction_id", ""))
    data = [service_of(category) for category in selectors.category_list(municipality=municipality)]
    return respond(fmt, data, root="services", item="service")


@endpoint("GET")
def service_definition(request: MunicipalityRequest, service_code: str, fmt: str) -> HttpResponse:
    municipality = _jurisdiction(request, request.GET.get("jurisdiction_id", ""))
    category = selectors.category_get(municipality=municipality, code=service_code)
    if category is None:
        raise Open311Error(404, _("service_code not found: %(code)s") % {"code": service_code[:60]})
    return respond(fmt, {"service_code": category.code, "attributes": []}, root="service_definition")


@endpoint("GET", "POST")
def requests(request: MunicipalityRequest, fmt: str) -> HttpResponse:
    values = _parameters(request)
    municipality = _jurisdiction(request, values.get("jurisdiction_id", ""))
    if request.method == "POST":
        return _request_create(request, fmt, municipality, values)
    query = params.requests_query(values)
    reports = selectors.reports_public(municipality=municipality).prefetch_related("photos")
    if query.ids:
        reports = reports.filter(pk__in=query.ids)
    else:
        if query.service_code:
            if selectors.category_get(municipality=municipality, code=query.service_code) is None:
                raise Open311Error(400, _("service_code not found: %(code)s") % {"code": query.service_code[:60]})
            reports = reports.filter(category__code=query.service_code)
        if query.start:
            reports = reports.filter(created_at__gte=query.start)
        if query.end:
            reports = reports.filter(created_at__lte=query.end)
        if query.statuses == ("open",):
            reports = reports.filter(status__in=Report.OPEN)
        elif query.statuses == ("closed",):
            reports = reports.exclude(status__in=Report.OPEN)
    data = [request_of(report, request) for report in reports[: params.MAX_RESULTS]]
    return respond(fmt, data, root="service_requests", item="request")


def _request_create(
    request: MunicipalityRequest, fmt: str, municipality: Municipality, values: dict[str, str]
) -> HttpResponse:
    plain = values.get("api_key", "") or request.GET.get("api_key", "")
    key = selectors.api_key_find(plain=plain)
    if key is None:
        if not IP_LIMIT.consume(client_ip(request)):
            raise Open311Error(429, _("Too many requests. Please wait an hour."))
        raise Open311Error(403, _("api_key is missing or not valid."))
    if key.municipality_id != municipality.pk:
        raise Open311Error(403, _("This api_key is not valid for this jurisdiction_id."))
    if not _key_limit().consume(str(key.pk)):
        raise Open311Error(429, _("Too many requests with this api_key. Please wait an hour."))
    code = values.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = selectors.category_get(municipality=municipality, code=code)
    if category is None:
        raise Open311Error(400, _("service_code not found: %(code)s") % {"code": code[:60]})
    lat = params.coordinate("lat", values.get("lat", ""), 90)
    lon = params.coordinate("long", values.get("long", ""), 180)
    address = values.get("address_string", "").strip()
    if lat is None and lon is None and not address:
        if values.get("address_id", "").strip():
            raise Open311Error(400, _("address_id is not supported here: send lat and long, or address_string."))
        raise Open311Error(400, _("A location is required: lat and long, or address_string."))
    try:
        location = services.location_resolve(municipality=municipality, lat=lat, lon=lon, street=address)
        name = " ".join(part for part in (values.get("first_name", ""), values.get("last_name", "")) if part.strip())
        report = services.report_file(
            municipality=municipality,
            category=category,
            location=location,
            description=values.get("description", ""),
            channel=Report.Channel.OPEN311,
            reporter_name=name,
            reporter_email=values.get("email", ""),
            language=getattr(request, "LANGUAGE_CODE", "de"),
            api_key=key,
            external_media_url=params.media_url(values.get("media_url", "")),
        )
    except ReportError as error:
        raise Open311Error(400, str(error)) from error
    services.api_key_used(key=key)
    # `account_id` is left out: reports over Open311 belong to no account here (the schema allows no null).
    answer = {"service_request_id": str(report.pk), "token": str(report.token)}
    if category.service_notice:
        answer["service_notice"] = category.service_notice
    data = [answer]
    return respond(fmt, data, root="service_requests", item="request")


@endpoint("GET")
def request_detail(request: MunicipalityRequest, service_request_id: str, fmt: str) -> HttpResponse:
    municipality = _jurisdiction(request, request.GET.get("jurisdiction_id", ""))
    report = (
        selectors.report_get_public(municipality=municipality, pk=int(service_request_id))
        if ascii_digits(service_request_id) and len(service_request_id) <= 18
        else None
    )
    if report is None:
        raise Open311Error(404, _("service_request_id not found: %(id)s") % {"id": service_request_id[:40]})
    return respond(fmt, [request_of(report, request)], root="service_requests", item="request")


@endpoint("GET")
def token_detail(request: MunicipalityRequest, token: str, fmt: str) -> HttpResponse:
    municipality = _jurisdiction(request, request.GET.get("jurisdiction_id", ""))
    try:
        report = selectors.report_get_by_token(municipality=municipality, token=UUID(token))
    except ValueError:
        report = None
    if report is None:
        raise Open311Error(404, _("token not found: %(token)s") % {"token": token[:60]})
    return respond(
        fmt,
        [{"service_request_id": str(report.pk), "token": str(report.token)}],
        root="service_requests",
        item="request",
    )


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return error_response(fmt, Open311Error(404, _("Unknown Open311 endpoint. See discovery.json.")))
