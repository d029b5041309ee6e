"""Previews on the dataset page, rendered on the server: the first rows of CSV and JSON tables, and GeoJSON
features as a table plus an SVG map (points, lines, areas) that needs neither JavaScript nor a tile server."""

from __future__ import annotations

import csv
import io
import json
import logging
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .models import Resource
from .validation import csv_dialect

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 20
PREVIEW_BYTES = 2 * 1024 * 1024
MAP_WIDTH, MAP_HEIGHT, MAP_PADDING = 640, 400, 20
CELL_LIMIT = 200


@dataclass
class Preview:
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    total_rows: int | None = None  # known for the whole file, or None when only the start was read
    map_svg: SafeString | None = None
    note: str = ""

    @property
    def has_table(self) -> bool:
        return bool(self.columns)


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) if value is not None else ""
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _read(resource: Resource) -> tuple[bytes, bool]:
    with resource.file.open("rb") as stream:
        content = stream.read(PREVIEW_BYTES + 1)
    return content[:PREVIEW_BYTES], len(content) <= PREVIEW_BYTES


def csv_preview(content: bytes, complete: bool) -> Preview:
    text = content.decode("utf-8-sig", errors="replace")
    if not complete:
        text = text.rsplit("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), csv_dialect(text)))
    if not rows:
        return Preview()
    header, body = rows[0], [row for row in rows[1:] if row]
    return Preview(
        columns=[_cell(column) for column in header],
        rows=[[_cell(cell) for cell in row] for row in body[:PREVIEW_ROWS]],
        total_rows=len(body) if complete else None,
    )


def _records(data: Any) -> list[dict[str, Any]] | None:
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        return data
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                return value
    return None


def table_of(records: list[dict[str, Any]]) -> Preview:
    columns: list[str] = []
    for record in records[:PREVIEW_ROWS]:
        columns += [key for key in record if key not in columns]
    return Preview(
        columns=columns,
        rows=[[_cell(record.get(column)) for column in columns] for record in records[:PREVIEW_ROWS]],
        total_rows=len(records),
    )


def _positions(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    """The geometry's coordinate runs (one per point, line or ring), as (longitude, latitude)."""
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    coordinates: Any = geometry.get("coordinates")
    try:
        if kind == "Point":
            return [[(float(coordinates[0]), float(coordinates[1]))]]
        if kind in ("MultiPoint", "LineString"):
            runs = [coordinates] if kind == "LineString" else [[point] for point in coordinates]
        elif kind in ("MultiLineString", "Polygon"):
            runs = coordinates
        elif kind == "MultiPolygon":
            runs = [ring for polygon in coordinates for ring in polygon]
        elif kind == "GeometryCollection":
            return [run for part in geometry.get("geometries", []) for run in _positions(part)]
        else:
            return []
        return [[(float(p[0]), float(p[1])) for p in run] for run in runs]
    except (TypeError, ValueError, IndexError):
        return []


def _feature_name(properties: dict[str, Any], number: int) -> str:
    for key in ("name", "Name", "title", "bezeichnung", "Bezeichnung"):
        if properties.get(key):
            return str(properties[key])
    return f"Objekt {number}"


def map_svg(features: list[dict[str, Any]], title: str) -> SafeString | None:
    shapes = [(feature, _positions(feature.get("geometry"))) for feature in features]
    points = [p for _feature, runs in shapes for run in runs for p in run]
    if not points:
        return None
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((min_lat + max_lat) / 2))
    width = max((max_lon - min_lon) * stretch, 1e-6)
    height = max(max_lat - min_lat, 1e-6)
    scale = min((MAP_WIDTH - 2 * MAP_PADDING) / width, (MAP_HEIGHT - 2 * MAP_PADDING) / height)

    def xy(point: tuple[float, float]) -> str:
        x = MAP_PADDING + (point[0] - min_lon) * stretch * scale
        y = MAP_PADDING + (max_lat - point[1]) * scale
        return f"{x:.1f},{y:.1f}"

    elements = []
    for number, (feature, runs) in enumerate(shapes, start=1):
        name = _feature_name(feature.get("properties") or {}, number)
        kind = (feature.get("geometry") or {}).get("type", "")
        for run in runs:
            if kind.endswith("Point"):
                x, y = xy(run[0]).split(",")
                elements.append(
                    format_html(
                        '<circle class="od-map__point" cx="{}" cy="{}" r="6"><title>{}</title></circle>', x, y, name
                    )
                )
            elif kind.endswith("Polygon"):
                elements.append(
                    format_html(
                        '<polygon class="od-map__area" points="{}"><title>{}</title></polygon>',
                        " ".join(xy(p) for p in run),
                        name,
                    )
                )
            else:
                elements.append(
                    format_html(
                        '<polyline class="od-map__line" points="{}"><title>{}</title></polyline>',
                        " ".join(xy(p) for p in run),
                        name,
                    )
                )
    return format_html(
        '<svg class="od-map" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        '<rect class="od-map__ground" width="100%" height="100%"/>{}</svg>',
        MAP_WIDTH,
        MAP_HEIGHT,
        title,
        format_html_join("", "{}", ((element,) for element in elements)),
    )


def geojson_preview(content: bytes, complete: bool, title: str) -> Preview:
    if not complete:
        return Preview(note="too_large")
    data = json.loads(content.decode("utf-8-sig"))
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = [f for f in data.get("features", []) if isinstance(f, dict)]
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict):
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        features = []
    preview = (
        table_of(
            [{**(f.get("properties") or {}), "Geometrie": (f.get("geometry") or {}).get("type", "")} for f in features]
        )
        if features
        else Preview()
    )
    preview.map_svg = map_svg(features, title)
    return preview


def resource_preview(resource: Resource) -> Preview | None:
    """A preview of an uploaded or generated CSV, JSON or GeoJSON file; None for other resources."""
    if not resource.is_file or resource.format not in ("CSV", "JSON", "GeoJSON"):
        return None
    try:
        content, complete = _read(resource)
        if resource.format == "CSV":
            return csv_preview(content, complete)
        if resource.format == "GeoJSON":
            return geojson_preview(content, complete, resource.name)
        if not complete:
            return Preview(note="too_large")
        records = _records(json.loads(content.decode("utf-8-sig")))
        return table_of(records) if records else Preview(note="no_table")
    except (OSError, ValueError, csv.Error):
        logger.exception("no preview of open data resource %s", resource.pk)
        return Preview(note="unreadable")
