"""Correct under load: concurrent booking attempts never give one counter's time twice (PostgreSQL).

These tests need PostgreSQL and fail on any other database instead of skipping: a skipped race test looks green
while proving nothing. CI always runs on PostgreSQL (`.ci/run`). On a laptop with SQLite run them with
`DATABASE_URL=postgres://...`, or leave them out explicitly with `-m "not booking_race"`.

SQLite is not tested here because it cannot race: it lets one writer in at a time (transactions start IMMEDIATE),
so the service's check and insert are serialised by the database; in-memory test databases also share one cache,
where concurrent threads fail with "table is locked" rather than wait, which would test SQLite, not Rathaus.

The attempts run on real threads, each with its own database connection, released together by a barrier. The
server allows 100 connections (and other test runs share it), so 40 threads make 5 attempts each: 200 attempts,
up to 40 at the same moment.
"""

from __future__ import annotations

from collections import Counter
from datetime import time

import pytest
from django.db import IntegrityError, connection, transaction

from rathaus.appointments import services
from rathaus.appointments.errors import SlotUnavailable
from rathaus.appointments.models import Booking, Location, OpeningHours
from rathaus.appointments.services import booking_hold
from rathaus.testing.concurrency import run_at_once

from .conftest import NOW, at

pytestmark = [pytest.mark.booking_race, pytest.mark.appointments, pytest.mark.django_db(transaction=True)]

THREADS = 40
ATTEMPTS_PER_THREAD = 5
STARTS = [at(7, 8, 5 * n) for n in range(10)]  # 8:00 ... 8:45, each 5 minutes long, on two counters: 20 slots


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.fail(
            "booking_race needs PostgreSQL (set DATABASE_URL=postgres://...); deselect it on SQLite with "
            f'-m "not booking_race" (this database: {connection.vendor})',
            pytrace=False,
        )


@pytest.fixture
def twenty_slots(office) -> Location:
    """Monday 8:00-8:50 on both counters, with a 5-minute service: exactly 20 free slots."""
    OpeningHours.objects.filter(location=office).delete()
    OpeningHours.objects.create(location=office, weekday=0, opens=time(8), closes=time(8, 50))
    office.services.filter(service_key="personalausweis").update(minutes=5)
    return office


def fire(location: Location) -> Counter[str]:
    def attempt(number: int) -> str:
        try:
            booking_hold(
                location=location,
                service_keys=["personalausweis"],
                start=STARTS[number % len(STARTS)],
                name=f"Person {number}",
                email=f"person{number}@example.org",
                now=NOW,
            )
        except SlotUnavailable as refusal:
            return refusal.code
        return "booked"

    return run_at_once(threads=THREADS, attempts_per_thread=ATTEMPTS_PER_THREAD, attempt=attempt)


def assert_every_slot_once() -> None:
    bookings = list(Booking.objects.all())
    assert len(bookings) == 20
    assert len({(b.counter_id, b.start) for b in bookings}) == 20
    for b in bookings:
        for other in bookings:
            assert b is other or b.counter_id != other.counter_id or not (b.start < other.end and other.start < b.end)


def test_200_concurrent_attempts_at_20_free_slots_give_exactly_20_bookings(twenty_slots):
    outcomes = fire(twenty_slots)
    assert outcomes == {"booked": 20, "taken": 180}
    assert_every_slot_once()


def test_the_database_constraint_holds_even_without_the_location_lock(twenty_slots, monkeypatch):
    """The row lock is the first line; the exclusion constraint must stand on its own when code forgets the lock."""
    monkeypatch.setattr(services, "location_lock", lambda location: location)
    outcomes = fire(twenty_slots)
    assert outcomes == {"booked": 20, "taken": 180}
    assert_every_slot_once()


def test_the_database_refuses_overlaps_on_one_counter(twenty_slots):
    counter = twenty_slots.counters.first()
    values = {"municipality_id": twenty_slots.municipality_id, "location": twenty_slots, "counter": counter}
    Booking.objects.create(**values, service_keys=["x"], start=at(7, 8), end=at(7, 8, 20), name="A", email="a@x.de")
    with pytest.raises(IntegrityError, match="appointments_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            **values, service_keys=["x"], start=at(7, 8, 15), end=at(7, 8, 30), name="B", email="b@x.de"
        )
    # Touching is not overlapping ([start, end)), and cancelled or expired bookings do not block.
    Booking.objects.create(**values, service_keys=["x"], start=at(7, 8, 20), end=at(7, 8, 30), name="C", email="c@x.de")
    Booking.objects.create(
        **values, service_keys=["x"], start=at(7, 8), end=at(7, 8, 20), name="D", email="d@x.de", status="cancelled"
    )
