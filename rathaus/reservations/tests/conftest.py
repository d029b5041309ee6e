"""Reservations test base: Musterstadt's demo places run by its department Kultur, Sport und Bäder, a fixed "now"
in the barbecue season, a caseworker of that department and a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.conftest import PASSWORD
from rathaus.reservations.demo import reservations_demo_load
from rathaus.reservations.models import Resource
from rathaus.tenants.models import Department
from rathaus.tenants.services import department_ensure
from rathaus.testing.peers import Mailbox, smtp_server

TZ = timezone.get_default_timezone()
# Monday, 3 May 2027, 9:00 in Musterstadt: in the barbecue season (April to October).
NOW = datetime(2027, 5, 3, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Every test starts with no counted requests (the counters live in the cache)."""
    cache.clear()
    yield
    cache.clear()


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def kultur(musterstadt) -> Department:
    return department_ensure(
        municipality=musterstadt,
        code="kultur_sport",
        name="Kultur, Sport und Bäder",
        email="kultur@musterstadt.example",
    )


@pytest.fixture
def places(kultur, musterstadt) -> dict[str, Resource]:
    """Waldsee (40 persons, 40 € a day), Bürgerpark (20, 25 €), Lindenberg hut (60, 80 €): windows 10-16, 16-22,
    10-22, April to October, 3 to 180 days ahead; the Bürgersaal: Monday to Saturday 8-22, 2-8 hours, 15 € an hour."""
    return {resource.slug: resource for resource in reservations_demo_load(municipality=musterstadt)}


@pytest.fixture
def waldsee(places) -> Resource:
    return places["grillplatz-waldsee"]


@pytest.fixture
def saal(places) -> Resource:
    return places["buergersaal"]


@pytest.fixture
def waldsee_all_year(waldsee) -> Resource:
    """Waldsee for tests on the real clock: open all year, from tomorrow on."""
    waldsee.season_first_month = waldsee.season_last_month = None
    waldsee.lead_days = 1
    waldsee.save(update_fields=["season_first_month", "season_last_month", "lead_days"])
    return waldsee


@pytest.fixture
def karla(kultur, musterstadt) -> User:
    """Karla Kultur, caseworker in the department that runs the places."""
    user, _ = user_ensure(
        username="karla", email="karla@musterstadt.example", password=PASSWORD, first_name="Karla", last_name="Kultur"
    )
    staff_role_ensure(user=user, municipality=musterstadt, role=StaffRole.Role.CASEWORKER, department=kultur)
    return user


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    yield from smtp_server(settings)
