"""Analytics test base: events written as they are stored, rolled up; staff of each kind, logged in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.analytics.models import AnalyticsSettings, Event
from rathaus.analytics.rollup import rollup_days
from rathaus.conftest import PASSWORD
from rathaus.tenants.models import Municipality

TZ = timezone.get_default_timezone()


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


@pytest.fixture
def emit() -> Callable[..., Event]:
    """emit(municipality, name, when, service_key="", visit="", **dimensions): an event as event_emit stores it."""

    def emit(
        municipality: Municipality, name: str, when: datetime, service_key: str = "", visit: str = "", **dims: Any
    ):
        return Event.objects.create(
            municipality=municipality,
            name=name,
            occurred_at=when,
            service_key=service_key,
            visit=visit,
            dimensions=dims,
        )

    return emit


@pytest.fixture
def roll() -> Callable[..., Any]:
    """roll(first, last=None): roll up these days for all municipalities."""

    def roll(first: date, last: date | None = None):
        last = last or first
        return rollup_days(days=[first + timedelta(days=i) for i in range((last - first).days + 1)])

    return roll


def journey(emit, municipality: Municipality, day: date, visit: str, steps: list[str], *, sent: bool, **submit: Any):
    """A citizen's way through the Bewohnerparkausweis: started, these steps completed, maybe sent."""
    when = at(day)
    emit(municipality, "service_started", when, "bewohnerparkausweis", visit, guest=False)
    for i, step in enumerate(steps):
        emit(municipality, "step_completed", when + timedelta(minutes=i + 1), "bewohnerparkausweis", visit, step=step)
    if sent:
        emit(
            municipality,
            "application_submitted",
            when + timedelta(minutes=10),
            "bewohnerparkausweis",
            visit,
            method=submit.get("method", "card"),
            trust_level=submit.get("trust_level", "substanziell"),
            duration=submit.get("duration", 600),
        )


def _staff(municipality: Municipality, username: str, role: str, department: str | None) -> User:
    user, _ = user_ensure(
        username=username, email=f"{username}@{municipality.slug}.example", password=PASSWORD, first_name=username
    )
    staff_role_ensure(
        user=user,
        municipality=municipality,
        role=role,
        department=municipality.departments.get(code=department) if department else None,
    )
    return user


@pytest.fixture
def municipality_admin(musterstadt) -> User:
    return _staff(musterstadt, "anna-admin", StaffRole.Role.MUNICIPALITY_ADMIN, None)


@pytest.fixture
def other_admin(beispielhausen) -> User:
    """The municipality admin of Beispielhausen: nothing of Musterstadt is theirs."""
    return _staff(beispielhausen, "bernd-admin", StaffRole.Role.MUNICIPALITY_ADMIN, None)


@pytest.fixture
def staff_client(staff_log_in) -> Callable[[User, str], Client]:
    def staff_client(user: User, host: str = "musterstadt.localhost") -> Client:
        client = Client(HTTP_HOST=host)
        staff_log_in(client, user)
        return client

    return staff_client


@pytest.fixture
def opted_in(musterstadt, beispielhausen) -> None:
    for municipality in (musterstadt, beispielhausen):
        AnalyticsSettings.objects.update_or_create(
            municipality=municipality, defaults={"compare": True, "publish_open_data": True}
        )
