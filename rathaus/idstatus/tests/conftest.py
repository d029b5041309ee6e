"""ID status test base: Musterstadt's Bürgerbüro clerk, a few statuses, a clean rate-limit cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.conftest import PASSWORD
from rathaus.idstatus.demo import idstatus_demo_load

READY, IN_PRODUCTION, PASSPORT_READY = "L01X00T47", "L01X00T58", "C01X00K63"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def statuses(musterstadt):
    """Musterstadt's demo statuses: L01X00T47 ready, L01X00T58 in production, C01X00K63 (passport) ready."""
    idstatus_demo_load(municipality=musterstadt)


@pytest.fixture
def beispielhausen_clerk(beispielhausen) -> User:
    """Bernd, caseworker in Beispielhausen's Bürgerbüro: nothing of Musterstadt's."""
    user, _ = user_ensure(
        username="bernd", email="bernd@beispielhausen.example", password=PASSWORD, first_name="Bernd", last_name="B"
    )
    staff_role_ensure(
        user=user,
        municipality=beispielhausen,
        role=StaffRole.Role.CASEWORKER,
        department=beispielhausen.departments.get(code="buergerbuero"),
    )
    return user
