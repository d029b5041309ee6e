"""Mängelmelder test base: the demo set-up of both municipalities (area, streets, categories, a few reports, the
demo Open311 key), staff of different departments, files on a temporary disk and a real SMTP server."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from PIL import Image

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.conftest import PASSWORD
from rathaus.reports.demo import demo_api_key, reports_demo_load
from rathaus.tenants.models import Municipality
from rathaus.testing.peers import Mailbox, smtp_server

HOST = "musterstadt.localhost"
OTHER_HOST = "beispielhausen.localhost"
# Inside Musterstadt's demo area, near the Rathausplatz; and a point in Beispielhausen.
INSIDE = (50.2268, 8.6182)
IN_BEISPIELHAUSEN = (50.1330, 8.9170)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def towns(musterstadt, beispielhausen) -> tuple[Municipality, Municipality]:
    """Both demo municipalities with the Mängelmelder's demo data."""
    reports_demo_load(municipality=musterstadt)
    reports_demo_load(municipality=beispielhausen)
    return musterstadt, beispielhausen


@pytest.fixture
def api_key(towns) -> str:
    return demo_api_key(towns[0])


def _staff(username: str, municipality: Municipality, role: str, department: str | None) -> User:
    user, _created = user_ensure(
        username=username, email=f"{username}@example.org", password=PASSWORD, first_name=username, last_name="Staff"
    )
    staff_role_ensure(
        user=user,
        municipality=municipality,
        role=role,
        department=municipality.departments.get(code=department) if department else None,
    )
    return user


@pytest.fixture
def roads_clerk(towns) -> User:
    """A caseworker of Musterstadt's Tiefbauamt: street lamps and potholes, not traffic lights."""
    return _staff("tiefbau", towns[0], StaffRole.Role.CASEWORKER, "tiefbauamt")


@pytest.fixture
def traffic_clerk(towns) -> User:
    """A caseworker of Musterstadt's road traffic authority: traffic lights."""
    return _staff("verkehr", towns[0], StaffRole.Role.CASEWORKER, "strassenverkehr")


@pytest.fixture
def town_admin(towns) -> User:
    return _staff("verwaltung", towns[0], StaffRole.Role.MUNICIPALITY_ADMIN, None)


@pytest.fixture
def other_town_admin(towns) -> User:
    return _staff("beispiel-admin", towns[1], StaffRole.Role.MUNICIPALITY_ADMIN, None)


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    yield from smtp_server(settings)


def jpeg_with_gps() -> bytes:
    """A real photo-like JPEG carrying EXIF with a GPS position, a camera and a time, as phones write them."""
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0132] = "2026:05:04 10:11:12"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 13.0, 36.48)
    gps[3] = "E"
    gps[4] = (8.0, 37.0, 5.52)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
