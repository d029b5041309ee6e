"""Open data test base: files under a temporary MEDIA_ROOT, the demo datasets of both municipalities, staff."""

from __future__ import annotations

from pathlib import Path

import pytest

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.conftest import PASSWORD
from rathaus.opendata.demo import opendata_demo_load
from rathaus.opendata.models import Dataset

REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "dcat-ap-de-2.0"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.RATHAUS_CLAMD = None
    settings.RATHAUS_OPENDATA_CONTRIBUTOR_ID = "hessen"
    return root


@pytest.fixture
def demo_datasets(musterstadt, beispielhausen) -> list[Dataset]:
    """Three demo datasets per municipality (CSV, JSON, GeoJSON, ICS, PDF and links), published."""
    opendata_demo_load(municipality=musterstadt)
    opendata_demo_load(municipality=beispielhausen)
    return list(Dataset.objects.order_by("name"))


def _staff(username: str, municipality, role: str, department_code: str | None = None) -> User:
    user, _ = user_ensure(
        username=username, email=f"{username}@{municipality.slug}.example", password=PASSWORD, first_name=username
    )
    department = municipality.departments.get(code=department_code) if department_code else None
    staff_role_ensure(user=user, municipality=municipality, role=role, department=department)
    return user


@pytest.fixture
def musterstadt_admin(musterstadt) -> User:
    return _staff("ms-admin", musterstadt, StaffRole.Role.MUNICIPALITY_ADMIN)


@pytest.fixture
def traffic_admin(musterstadt) -> User:
    """The department admin of Musterstadt's road traffic authority."""
    return _staff("ms-verkehr", musterstadt, StaffRole.Role.DEPARTMENT_ADMIN, "strassenverkehr")


@pytest.fixture
def beispielhausen_admin(beispielhausen) -> User:
    return _staff("bh-admin", beispielhausen, StaffRole.Role.MUNICIPALITY_ADMIN)
