"""Plane geometry on WGS84 coordinates, enough for a municipality: point in polygon, distances, bounding boxes.

Pure functions without database access. Polygons are rings of (longitude, latitude) pairs as in GeoJSON; over a
few kilometres the earth's curvature does not matter for "inside or outside", and distances use the haversine
formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_000.0

Ring = Sequence[Sequence[float]]


def ring_normalise(ring: object) -> list[list[float]]:
    """A ring as a list of [lon, lat] floats, closed; ValueError with a plain reason when it is not a polygon."""
    if not isinstance(ring, list) or len(ring) < 3:
        raise ValueError("at least three corners are needed")
    points: list[list[float]] = []
    for corner in ring:
        if (
            not isinstance(corner, list | tuple)
            or len(corner) != 2
            or not all(isinstance(value, int | float) and not isinstance(value, bool) for value in corner)
        ):
            raise ValueError("every corner must be a pair [longitude, latitude]")
        lon, lat = float(corner[0]), float(corner[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError("longitude must lie between -180 and 180, latitude between -90 and 90")
        points.append([lon, lat])
    if points[0] != points[-1]:
        points.append(list(points[0]))
    if len({(lon, lat) for lon, lat in points}) < 3:
        raise ValueError("at least three different corners are needed")
    return points


def contains(ring: Ring, lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies inside the ring (ray casting; points on the border count as inside)."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index][0], ring[index][1]
        x2, y2 = ring[(index + 1) % count][0], ring[(index + 1) % count][1]
        if _on_segment(lon, lat, x1, y1, x2, y2):
            return True
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    cross = (x - x1) * (y2 - y1) - (y - y1) * (x2 - x1)
    if abs(cross) > 1e-12:
        return False
    return min(x1, x2) - 1e-12 <= x <= max(x1, x2) + 1e-12 and min(y1, y2) - 1e-12 <= y <= max(y1, y2) + 1e-12


def bbox(ring: Ring) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the ring."""
    lons = [corner[0] for corner in ring]
    lats = [corner[1] for corner in ring]
    return min(lats), min(lons), max(lats), max(lons)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def around(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """A (south, west, north, east) box that contains every point within `metres` of (lat, lon)."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon
