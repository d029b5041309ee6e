"""Booking, confirming, cancelling, moving and expiry: what the citizen may do, and each refusal with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from rathaus.analytics.models import Event
from rathaus.appointments import selectors
from rathaus.appointments.errors import AppointmentError, LinkInvalid, SlotUnavailable
from rathaus.appointments.links import booking_from_token, booking_token
from rathaus.appointments.models import Booking, ClosingDay, Counter
from rathaus.appointments.services import (
    booking_cancel,
    booking_confirm,
    booking_hold,
    booking_no_show,
    booking_rebook,
    holds_expire,
)

from .conftest import NOW, at


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted as their English msgids."""
    with translation.override("en"):
        yield


def hold(office, start, *, keys=("personalausweis",), email="erika@example.org", now=NOW):
    return booking_hold(
        location=office, service_keys=list(keys), start=start, name="Erika Mustermann", email=email, now=now
    )


def events(name: str) -> list[Event]:
    return list(Event.objects.filter(name=name))


def test_a_hold_occupies_a_counter_for_the_summed_durations(office):
    booking = hold(office, at(7, 8), keys=["personalausweis", "reisepass"])
    assert booking.status == Booking.Status.HELD
    assert booking.end - booking.start == timedelta(minutes=40)  # 20 + 20 from the service definitions
    assert booking.service_keys == ["personalausweis", "reisepass"]
    assert booking.hold_expires_at == NOW + timedelta(minutes=30)


def test_free_times_follow_hours_counters_and_bookings(office):
    concerns = selectors.concerns_resolve(location=office, service_keys=["personalausweis"])
    free = selectors.free_days(location=office, concerns=concerns, days=7, now=NOW)
    # Mon-Fri, no weekend; 20 minutes fit from 8:00 to 11:40 every 5 minutes.
    assert [day.isoformat() for day in free] == ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]
    monday = free[at(7, 0).date()]
    assert monday[0] == at(7, 8) and monday[-1] == at(7, 11, 40) and len(monday) == 45
    thursday = free[at(10, 0).date()]
    assert thursday[-1] == at(10, 17, 40)  # the long Thursday
    hold(office, at(7, 8), email="a@example.org")
    hold(office, at(7, 8), email="b@example.org")  # both counters busy from 8:00 to 8:20
    monday = selectors.free_days(location=office, concerns=concerns, days=1, now=NOW)[at(7, 0).date()]
    assert monday[0] == at(7, 8, 20)


def test_public_holidays_and_closing_days_have_no_times(office):
    concerns = selectors.concerns_resolve(location=office, service_keys=["personalausweis"])
    ClosingDay.objects.create(location=office, date=at(9, 0).date(), reason="Betriebsausflug")
    free = selectors.free_days(location=office, concerns=concerns, first=at(21, 0).date(), days=14, now=NOW)
    assert at(25, 0).date() not in free and at(9, 0).date() not in free  # 1. Weihnachtstag (a Friday)
    assert at(24, 0).date() in free
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(9, 9))
    assert refused.value.code == "closed"
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(25, 9))
    assert refused.value.code == "closed"


@pytest.mark.parametrize(
    ("start", "code", "words"),
    [
        (at(4, 9), "past", "already passed"),
        (at(7, 7, 30), "outside_hours", "outside the opening hours"),
        (at(7, 12, 30), "outside_hours", "outside the opening hours"),
        (at(12, 9), "closed", "closed"),  # a Saturday
        (at(7, 11, 50), "does_not_fit", "does not fit before the office closes at 12:00"),
        (at(7, 8, 3), "off_grid", "times offered"),
        (NOW + timedelta(days=61), "too_far", "60 days"),
    ],
)
def test_bad_times_are_refused_with_a_clear_message(office, start, code, words):
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, start)
    assert refused.value.code == code
    assert words in str(refused.value)
    assert not Booking.objects.exists()


def test_the_same_slot_is_refused_when_no_counter_is_left(office):
    hold(office, at(7, 9), email="a@example.org")
    hold(office, at(7, 9, 10), email="b@example.org")  # overlaps: the second counter
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(7, 9, 15), email="c@example.org")
    assert refused.value.code == "taken"
    assert "just been taken" in str(refused.value)


def test_the_same_person_cannot_take_the_same_time_twice(office):
    hold(office, at(7, 9))
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(7, 9), email="ERIKA@example.org")
    assert refused.value.code == "duplicate"
    assert "already have an appointment at this time" in str(refused.value)


def test_a_counter_only_takes_the_services_it_offers(office):
    first, second = Counter.objects.filter(location=office).order_by("name")
    first.service_keys = ["reisepass"]
    first.save()
    second.service_keys = ["personalausweis"]
    second.save()
    hold(office, at(7, 9), keys=["personalausweis"])
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(7, 9), keys=["personalausweis"], email="b@example.org")
    assert refused.value.code == "taken"
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(7, 10), keys=["personalausweis", "reisepass"], email="c@example.org")
    assert refused.value.code == "no_counter"


def test_concerns_must_be_bookable_here(office):
    with pytest.raises(AppointmentError, match="at least one concern"):
        hold(office, at(7, 9), keys=[])
    with pytest.raises(AppointmentError, match="cannot be booked") as refused:
        hold(office, at(7, 9), keys=["bewohnerparkausweis"])  # online only: the office does not offer it
    assert refused.value.field == "anliegen"


def test_a_service_done_online_can_be_booked_at_the_counter_where_the_office_offers_it(office):
    booking = hold(office, at(7, 9), keys=["personalausweis", "meldebescheinigung"])
    assert booking.end - booking.start == timedelta(minutes=30)  # 20 + 10
    concerns = selectors.concerns_bookable(location=office)
    meldebescheinigung = next(concern for concern in concerns if concern.key == "meldebescheinigung")
    assert meldebescheinigung.minutes == 10
    assert any("identity card or passport" in text for text in meldebescheinigung.documents_bring)
    assert selectors.offered_at_an_office(municipality=office.municipality, service_key="meldebescheinigung")
    assert not selectors.offered_at_an_office(municipality=office.municipality, service_key="bewohnerparkausweis")


def test_places_and_defect_reports_are_never_concerns_of_an_appointment(office):
    from rathaus.appointments.models import LocationService

    LocationService.objects.create(location=office, service_key="maengelmeldung", minutes=10)
    with pytest.raises(AppointmentError, match="cannot be booked"):
        hold(office, at(7, 9), keys=["maengelmeldung"])


def test_name_and_email_are_checked(office):
    with pytest.raises(AppointmentError, match="your name"):
        booking_hold(location=office, service_keys=["reisepass"], start=at(7, 9), name=" ", email="a@b.de", now=NOW)
    with pytest.raises(AppointmentError, match="e-mail address"):
        booking_hold(location=office, service_keys=["reisepass"], start=at(7, 9), name="A", email="kaputt", now=NOW)


def test_an_unconfirmed_hold_lapses_and_frees_the_time(office):
    hold(office, at(7, 9), email="a@example.org")
    first = hold(office, at(7, 9), email="b@example.org")
    with pytest.raises(SlotUnavailable):
        hold(office, at(7, 9), email="c@example.org")
    later = NOW + timedelta(minutes=31)
    again = hold(office, at(7, 9), email="c@example.org", now=later)
    assert again.status == Booking.Status.HELD
    first.refresh_from_db()
    assert first.status == Booking.Status.EXPIRED
    with pytest.raises(AppointmentError, match="not confirmed in time"):
        booking_confirm(booking=first, now=later)


def test_confirm_cancel_and_no_show_emit_events(office, django_capture_on_commit_callbacks, caseworker):
    with django_capture_on_commit_callbacks(execute=True):
        booking = hold(office, at(7, 9), keys=["personalausweis", "reisepass"])
        booking_confirm(booking=booking, now=NOW)
        booking_confirm(booking=booking, now=NOW)  # again: nothing happens
        other = hold(office, at(7, 10), email="max@example.org")
        booking_confirm(booking=other, now=NOW)
        booking_cancel(booking=other, now=NOW)
        booking_no_show(booking=booking, actor=caseworker, now=at(7, 9, 30))
    assert [(e.service_key, e.dimensions) for e in events("appointment_booked")] == [
        ("personalausweis", {"count": 2, "method": "online"}),
        ("personalausweis", {"count": 1, "method": "online"}),
    ]
    assert len(events("appointment_confirmed")) == 2
    assert [e.dimensions for e in events("appointment_cancelled")] == [{"count": 1, "reason": "citizen"}]
    assert len(events("appointment_no_show")) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_a_no_show_needs_a_confirmed_appointment_that_has_begun(office, caseworker):
    booking = hold(office, at(7, 9))
    with pytest.raises(AppointmentError, match="confirmed"):
        booking_no_show(booking=booking, actor=caseworker, now=at(7, 9, 30))
    booking_confirm(booking=booking, now=NOW)
    with pytest.raises(AppointmentError, match="not begun"):
        booking_no_show(booking=booking, actor=caseworker, now=NOW)


def test_links_are_bound_to_the_booking_and_die_with_a_cancellation(office, musterstadt, beispielhausen):
    booking = hold(office, at(7, 9))
    token = booking_token(booking, "manage")
    assert booking_from_token(municipality=musterstadt, token=token, purpose="manage") == booking
    with pytest.raises(LinkInvalid) as refused:
        booking_from_token(municipality=musterstadt, token=token[:-2] + "xx", purpose="manage")
    assert refused.value.code == "link_forged"
    with pytest.raises(LinkInvalid):
        booking_from_token(municipality=musterstadt, token=token, purpose="confirm")  # another purpose
    with pytest.raises(LinkInvalid):
        booking_from_token(municipality=beispielhausen, token=token, purpose="manage")  # another municipality
    booking_cancel(booking=booking, now=NOW)
    with pytest.raises(LinkInvalid) as refused:
        booking_from_token(municipality=musterstadt, token=token, purpose="manage")
    assert refused.value.code == "link_used"
    assert "already been used" in str(refused.value)
    with pytest.raises(AppointmentError, match="already been cancelled"):
        booking_cancel(booking=booking, now=NOW)


def test_a_cancelled_time_is_offered_again_only_after_the_release_delay(office, settings):
    """Nobody can watch for cancellations and snatch them: the time comes back after 15 to 30 minutes (random)."""
    settings.RATHAUS_APPOINTMENT_RELEASE_MINUTES = 15
    booking_confirm(booking=hold(office, at(7, 9), email="a@example.org"), now=NOW)
    booking = hold(office, at(7, 9), email="b@example.org")
    booking = booking_cancel(booking=booking, now=NOW)
    assert NOW + timedelta(minutes=15) <= booking.released_at <= NOW + timedelta(minutes=30)
    with pytest.raises(SlotUnavailable) as refused:
        hold(office, at(7, 9), email="c@example.org", now=NOW + timedelta(minutes=14))
    assert refused.value.code == "taken"
    concerns = selectors.concerns_resolve(location=office, service_keys=["personalausweis"])
    later = NOW + timedelta(minutes=31)
    assert at(7, 9) in selectors.free_days(location=office, concerns=concerns, days=1, now=later)[at(7, 0).date()]
    assert hold(office, at(7, 9), email="c@example.org", now=later).counter_id == booking.counter_id


def test_an_appointment_that_has_begun_cannot_be_cancelled(office):
    booking = hold(office, at(7, 9))
    with pytest.raises(AppointmentError, match="already begun"):
        booking_cancel(booking=booking, now=at(7, 9, 5))


def test_moving_keeps_the_booking_and_invalidates_old_links(office, musterstadt):
    booking = hold(office, at(7, 9), keys=["reisepass"])
    booking_confirm(booking=booking, now=NOW)
    old = booking_token(booking, "manage")
    moved = booking_rebook(booking=booking, start=at(10, 16), now=NOW)
    assert (moved.pk, moved.start, moved.end, moved.sequence) == (booking.pk, at(10, 16), at(10, 16, 20), 1)
    with pytest.raises(LinkInvalid):
        booking_from_token(municipality=musterstadt, token=old, purpose="manage")
    with pytest.raises(SlotUnavailable, match="outside the opening hours"):
        booking_rebook(booking=moved, start=at(10, 18), now=NOW)
    # Moving by a few minutes within its own time is allowed (the booking does not block itself).
    assert booking_rebook(booking=moved, start=at(10, 16, 10), now=NOW).start == at(10, 16, 10)


def test_holds_expire_marks_lapsed_holds(office):
    hold(office, at(7, 9))
    assert holds_expire(now=NOW + timedelta(minutes=29)) == 0
    assert holds_expire(now=NOW + timedelta(minutes=30)) == 1
    assert Booking.objects.get().status == Booking.Status.EXPIRED
