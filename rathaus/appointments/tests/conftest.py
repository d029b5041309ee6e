"""Appointment test base: Musterstadt's demo citizens' office, a fixed "now", events and a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.utils import timezone

from rathaus.appointments.demo import appointments_demo_load
from rathaus.appointments.models import Location
from rathaus.testing.peers import Mailbox, smtp_server

TZ = timezone.get_default_timezone()
# Monday, 7 December 2026, 07:00 in Musterstadt: the office opens at 08:00 (demo hours), no public holiday.
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=TZ)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def office(catalog, musterstadt) -> Location:
    """The "Bürgerbüro im Rathaus" with Schalter 1 and 2, Mon–Fri 8–12, Tue 13–16, Thu 13–18; no lead time."""
    location = appointments_demo_load(municipality=musterstadt)
    location.lead_minutes = 0
    location.save(update_fields=["lead_minutes"])
    return location


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    yield from smtp_server(settings)


@pytest.fixture
def office_live(office) -> Location:
    """The office for tests on the real clock: an hour's lead, so the first time offered cannot pass meanwhile."""
    office.lead_minutes = 60
    office.save(update_fields=["lead_minutes"])
    return office
