"""What the Leaflet map of a page needs (the municipality's area, reports as GeoJSON, the tile server) and the
Content-Security-Policy that lets the browser load the configured tiles.

Without a tile server (RATHAUS_MAP_TILES_URL empty, as in tests and offline installations) the map still shows
the municipality's outline and the reports and still picks a point; every page works without the map too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from rathaus.core.middleware import CONTENT_SECURITY_POLICY
from rathaus.tenants.models import Municipality

from . import selectors
from .models import Report

MAP_MAX = 500  # reports drawn on one map


def tiles_url() -> str:
    return str(getattr(settings, "RATHAUS_MAP_TILES_URL", "") or "")


def tiles_origin() -> str:
    """The tile server's origin for the CSP ("https://{s}.tile.example.org/..." → "https://*.tile.example.org")."""
    url = tiles_url()
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('tiles-subdomain', '*')}"


def map_context(
    *,
    municipality: Municipality,
    reports: Sequence[Report],
    picker: bool = False,
    point: Any = None,
) -> dict[str, Any] | None:
    """The map's configuration (rendered with json_script); None when the municipality has no area."""
    area = selectors.area_get(municipality=municipality)
    if area is None:
        return None
    centre_lat, centre_lon = area.centre
    return {
        "area": [[lat, lon] for lon, lat in area.polygon],
        "centre": [centre_lat, centre_lon],
        "zoom": area.zoom,
        "tiles": tiles_url(),
        "attribution": str(getattr(settings, "RATHAUS_MAP_TILES_ATTRIBUTION", "") or ""),
        "reports": selectors.reports_geojson(municipality=municipality, reports=reports[:MAP_MAX]),
        "picker": picker,
        "point": [point.lat, point.lon] if point is not None else None,
        "labels": {
            "point": _("The place you chose"),
            "chosen": _("Place chosen: latitude %(lat)s, longitude %(lon)s."),
            "outside": _("This place lies outside %(municipality)s.") % {"municipality": municipality.name},
            "open": _("Open report"),
        },
    }


def with_tiles(response: HttpResponse) -> HttpResponse:
    """Allow the configured tile server's images on this page (the default policy allows our own origin only)."""
    origin = tiles_origin()
    if origin:
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "img-src 'self' data:", f"img-src 'self' data: {origin}"
        )
    return response
