"""Reads of defect reports, always within one municipality; staff reads through the staff member's departments.

Public reads return only reports marked public, and the callers show only public fields (see models.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from rathaus.accounts.models import StaffRole, User
from rathaus.core.addresses import street_key
from rathaus.core.text import ascii_digits
from rathaus.tenants.models import Municipality

from . import geo
from .models import ApiKey, Category, Report, ReportArea, ReportPhoto, Street

# --- municipality set-up ------------------------------------------------------------------------------------


def area_get(*, municipality: Municipality) -> ReportArea | None:
    return ReportArea.objects.filter(municipality=municipality).first()


def category_list(*, municipality: Municipality) -> list[Category]:
    """The categories citizens and Open311 clients may report in, in their order."""
    return list(
        Category.objects.filter(municipality=municipality, active=True)
        .select_related("department")
        .order_by("position", "name")
    )


def category_get(*, municipality: Municipality, code: str) -> Category | None:
    return (
        Category.objects.filter(municipality=municipality, code=code, active=True).select_related("department").first()
    )


def street_list(*, municipality: Municipality) -> list[Street]:
    return list(Street.objects.filter(municipality=municipality).order_by("name"))


def street_find(*, municipality: Municipality, name: str) -> Street | None:
    """The street of the street list that `name` means ("Heidestr." finds "Heidestraße")."""
    key = street_key(name)
    return Street.objects.filter(municipality=municipality, key=key).first() if key else None


def nearby_metres() -> int:
    return int(getattr(settings, "RATHAUS_REPORTS_NEARBY_METRES", 75))


# --- public reads --------------------------------------------------------------------------------------------


def reports_public(*, municipality: Municipality) -> QuerySet[Report]:
    """Every report of the municipality that the public may see, newest first."""
    return (
        Report.objects.filter(municipality=municipality, public=True)
        .select_related("category", "department", "duplicate_of")
        .order_by("-created_at", "-pk")
    )


def report_get_public(*, municipality: Municipality, pk: int) -> Report | None:
    return reports_public(municipality=municipality).filter(pk=pk).first()


def report_get_by_token(*, municipality: Municipality, token: UUID | str) -> Report | None:
    return Report.objects.filter(municipality=municipality, token=token).first()


@dataclass(frozen=True)
class Nearby:
    report: Report
    metres: int


def reports_nearby(
    *, municipality: Municipality, category: Category, lat: float, lon: float, metres: int | None = None
) -> list[Nearby]:
    """Open public reports of the same category within `metres` (default RATHAUS_REPORTS_NEARBY_METRES), nearest
    first: suggested before filing, so that one defect is reported once."""
    metres = metres if metres is not None else nearby_metres()
    south, west, north, east = geo.around(lat, lon, metres)
    candidates = reports_public(municipality=municipality).filter(
        category=category,
        status__in=Report.OPEN,
        lat__gte=south,
        lat__lte=north,
        lon__gte=west,
        lon__lte=east,
    )
    found = [Nearby(report, round(geo.distance_m(lat, lon, report.lat, report.lon))) for report in candidates[:200]]
    return sorted((item for item in found if item.metres <= metres), key=lambda item: item.metres)[:10]


def photos_released(*, report: Report) -> list[ReportPhoto]:
    return [photo for photo in report.photos.all() if photo.released]


def photo_get_public(*, municipality: Municipality, public_id: UUID) -> ReportPhoto | None:
    """A released photo of a public report."""
    return (
        ReportPhoto.objects.filter(
            public_id=public_id, released_at__isnull=False, report__municipality=municipality, report__public=True
        )
        .select_related("report")
        .first()
    )


def photo_url(photo: ReportPhoto) -> str:
    return reverse("reports:photo", args=[photo.public_id])


def reports_geojson(*, municipality: Municipality, reports: Iterable[Report] | None = None) -> dict[str, Any]:
    """The public reports of the municipality as a GeoJSON FeatureCollection: anonymised (no reporter, no
    follower, no staff, no unreleased photo), ready to be published as open data or drawn on the map."""
    rows = reports if reports is not None else reports_public(municipality=municipality).prefetch_related("photos")
    features = []
    for report in rows:
        features.append(
            {
                "type": "Feature",
                "id": str(report.pk),
                "geometry": {"type": "Point", "coordinates": [round(report.lon, 6), round(report.lat, 6)]},
                "properties": {
                    "service_request_id": str(report.pk),
                    "service_code": report.category.code,
                    "service_name": report.category.label,
                    "status": report.open311_status,
                    "status_detail": report.status,
                    "status_label": str(report.get_status_display()),
                    "address": report.address,
                    "requested_datetime": report.created_at.isoformat(timespec="seconds"),
                    "updated_datetime": report.updated_at.isoformat(timespec="seconds"),
                    "url": reverse("reports:detail", args=[report.pk]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- staff reads ---------------------------------------------------------------------------------------------


def _roles(user: User, municipality: Municipality) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(user=user, municipality=municipality)


def is_municipality_admin(*, user: User, municipality: Municipality) -> bool:
    return _roles(user, municipality).filter(role=StaffRole.Role.MUNICIPALITY_ADMIN).exists()


def visible_reports(*, user: User, municipality: Municipality) -> QuerySet[Report]:
    """Reports of the user's departments (routed there by their category); a municipality admin sees all of the
    municipality; nobody sees another municipality's."""
    reports = Report.objects.filter(municipality=municipality)
    if is_municipality_admin(user=user, municipality=municipality):
        return reports
    departments = _roles(user, municipality).exclude(department__isnull=True).values("department")
    return reports.filter(department__in=departments)


STAFF_STATUS_FILTERS = ("offen", "alle", *Report.Status.values)


@dataclass(frozen=True)
class StaffFilter:
    status: str = "offen"
    category: str = ""
    query: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> StaffFilter:
        status = query.get("stand", "offen")
        return cls(
            status=status if status in STAFF_STATUS_FILTERS else "offen",
            category=query.get("kategorie", "")[:60],
            query=query.get("q", "")[:100].strip(),
        )


def reports_for_staff(*, user: User, municipality: Municipality, filters: StaffFilter) -> QuerySet[Report]:
    reports = visible_reports(user=user, municipality=municipality).select_related("category", "department")
    if filters.status == "offen":
        reports = reports.filter(status__in=Report.OPEN)
    elif filters.status != "alle":
        reports = reports.filter(status=filters.status)
    if filters.category:
        reports = reports.filter(category__code=filters.category)
    if filters.query:
        text = filters.query.lstrip("#")
        match = Q(description__icontains=filters.query) | Q(address__icontains=filters.query)
        if ascii_digits(text):
            match |= Q(pk=int(text))
        reports = reports.filter(match)
    return reports.order_by("-created_at", "-pk")


def categories_for_staff(*, user: User, municipality: Municipality) -> list[Category]:
    """The categories whose reports the user sees (for the filter)."""
    categories = Category.objects.filter(municipality=municipality)
    if not is_municipality_admin(user=user, municipality=municipality):
        departments = _roles(user, municipality).exclude(department__isnull=True).values("department")
        categories = categories.filter(department__in=departments)
    return list(categories.order_by("position", "name"))


def report_get_for_staff(*, user: User, municipality: Municipality, pk: int) -> Report | None:
    """The report if the staff member may see it; None otherwise (another department's does not exist for them)."""
    return (
        visible_reports(user=user, municipality=municipality)
        .filter(pk=pk)
        .select_related("category", "department", "duplicate_of", "api_key")
        .first()
    )


def photo_get_for_staff(*, user: User, municipality: Municipality, public_id: UUID) -> ReportPhoto | None:
    return (
        ReportPhoto.objects.filter(
            public_id=public_id, report__in=visible_reports(user=user, municipality=municipality)
        )
        .select_related("report")
        .first()
    )


def merge_candidates(*, user: User, report: Report, metres: int = 300) -> list[Nearby]:
    """Reports the staff member may merge `report` into: the same category, not closed as duplicates, nearby."""
    south, west, north, east = geo.around(report.lat, report.lon, metres)
    candidates = (
        visible_reports(user=user, municipality=report.municipality)
        .filter(category=report.category, lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
        .exclude(pk=report.pk)
        .exclude(status=Report.Status.DUPLICATE)
        .select_related("category")
    )
    found = [Nearby(other, round(geo.distance_m(report.lat, report.lon, other.lat, other.lon))) for other in candidates]
    return sorted((item for item in found if item.metres <= metres), key=lambda item: item.metres)[:20]


def recipients(*, report: Report) -> list[tuple[str, str]]:
    """Who hears of changes to the report: its reporter (if they gave an address) and its followers, once each,
    with the language they reported in."""
    found: dict[str, str] = {}
    if report.reporter_email:
        found[report.reporter_email.lower()] = report.language
    for email, language in report.followers.values_list("email", "language"):
        found.setdefault(email.lower(), language)
    return list(found.items())


# --- Open311 API keys ----------------------------------------------------------------------------------------


def key_hash(plain: str) -> str:
    """Keys are long random strings, so a plain SHA-256 suffices (no password stretching needed)."""
    return hashlib.sha256(plain.encode()).hexdigest()


def api_key_find(*, plain: str) -> ApiKey | None:
    """The valid (not revoked) key with this value, of whichever municipality."""
    if not plain or len(plain) > 200:
        return None
    return (
        ApiKey.objects.filter(key_hash=key_hash(plain), revoked_at__isnull=True).select_related("municipality").first()
    )


def api_key_list(*, municipality: Municipality) -> list[ApiKey]:
    return list(ApiKey.objects.filter(municipality=municipality).order_by("revoked_at", "-created_at"))


def api_key_get(*, municipality: Municipality, pk: int) -> ApiKey | None:
    return ApiKey.objects.filter(municipality=municipality, pk=pk).first()
