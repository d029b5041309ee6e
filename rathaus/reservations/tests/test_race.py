"""Correct under load: concurrent requests never give one resource's time twice (PostgreSQL).

These tests need PostgreSQL and fail on any other database instead of skipping: a skipped race test looks green
while proving nothing. CI runs on PostgreSQL (`.ci/run`); `make test` leaves the marker out on SQLite and says so.
SQLite cannot race: it lets one writer in at a time (transactions start IMMEDIATE), so the check and the insert of
a request are serialised by the database itself.

The attempts run on real threads, each with its own database connection, released together by a barrier. The
server allows about 100 connections and other test runs share it, so 40 threads make 5 attempts each: 200
attempts, up to 40 at the same moment, at 20 free windows (two windows on each of ten days).
"""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from rathaus.reservations import services
from rathaus.reservations.checks import Details
from rathaus.reservations.errors import WindowUnavailable
from rathaus.reservations.models import OpeningWindow, Reservation, Resource
from rathaus.reservations.services import reservation_request
from rathaus.testing.concurrency import run_at_once

from .conftest import NOW, at

pytestmark = [pytest.mark.booking_race, pytest.mark.appointments, pytest.mark.django_db(transaction=True)]

THREADS = 40
ATTEMPTS_PER_THREAD = 5
DAYS = [at(5, 10, 0) + timedelta(days=n) for n in range(10)]  # Monday 10 May 2027 and the nine days after
WINDOWS = [(day.replace(hour=start), day.replace(hour=end)) for day in DAYS for start, end in ((10, 16), (16, 22))]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.fail(
            "booking_race needs PostgreSQL (set DATABASE_URL=postgres://...); deselect it on SQLite with "
            f'-m "not booking_race" (this database: {connection.vendor})',
            pytrace=False,
        )


@pytest.fixture
def twenty_windows(waldsee) -> Resource:
    """Waldsee with only the midday and evening windows: on the ten days, exactly 20 free windows."""
    OpeningWindow.objects.filter(resource=waldsee, starts=time(10), ends=time(22)).delete()
    assert len(WINDOWS) == 20
    return waldsee


def fire(resource: Resource) -> Counter[str]:
    def attempt(number: int) -> str:
        start, end = WINDOWS[number % len(WINDOWS)]
        try:
            reservation_request(
                resource=resource,
                start=start,
                end=end,
                details=Details(
                    name=f"Person {number}",
                    email=f"person{number}@example.org",
                    phone="06172 123456",
                    street="Heidestraße 17",
                    postal_code="61348",
                    city="Musterstadt",
                    persons="20",
                    occasion="family",
                    rules_accepted=True,
                ),
                now=NOW,
            )
        except WindowUnavailable as refusal:
            return refusal.code
        return "requested"

    return run_at_once(threads=THREADS, attempts_per_thread=ATTEMPTS_PER_THREAD, attempt=attempt)


def assert_every_window_once() -> None:
    reservations = list(Reservation.objects.all())
    assert len(reservations) == 20
    assert {(r.start, r.end) for r in reservations} == set(WINDOWS)


def test_200_concurrent_requests_at_20_free_windows_give_exactly_20_reservations(twenty_windows):
    outcomes = fire(twenty_windows)
    assert outcomes == {"requested": 20, "taken": 180}
    assert_every_window_once()


def test_the_database_constraint_holds_even_without_the_resource_lock(twenty_windows, monkeypatch):
    """The row lock is the first line; the exclusion constraint must stand on its own when code forgets the lock."""
    monkeypatch.setattr(services, "_lock", lambda resource: resource)
    outcomes = fire(twenty_windows)
    assert outcomes == {"requested": 20, "taken": 180}
    assert_every_window_once()


def test_the_database_refuses_overlapping_holds_of_one_resource(waldsee):
    values = {
        "municipality_id": waldsee.municipality_id,
        "resource": waldsee,
        "phone": "0",
        "street": "x",
        "postal_code": "61348",
        "city": "x",
        "persons": 1,
        "occasion": "family",
        "fee": 0,
    }
    Reservation.objects.create(**values, start=at(5, 15, 10), end=at(5, 15, 16), name="A", email="a@x.de")
    with pytest.raises(IntegrityError, match="reservations_no_overlap"), transaction.atomic():
        Reservation.objects.create(**values, start=at(5, 15, 10), end=at(5, 15, 22), name="B", email="b@x.de")
    # Touching is not overlapping ([start, end)); declined, cancelled and expired reservations do not hold.
    Reservation.objects.create(**values, start=at(5, 15, 16), end=at(5, 15, 22), name="C", email="c@x.de")
    for status in ("declined", "cancelled", "expired"):
        Reservation.objects.create(
            **values, start=at(5, 15, 10), end=at(5, 15, 22), name=status, email="d@x.de", status=status
        )
