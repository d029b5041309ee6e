"""Requesting, deciding, cancelling and expiry: what citizens and staff may do, and each refusal with its reason."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from rathaus.analytics.models import Event
from rathaus.audit.models import AuditEntry
from rathaus.payments.models import Payment
from rathaus.reservations.checks import Details, DetailsInvalid
from rathaus.reservations.errors import LinkInvalid, ReservationError, WindowUnavailable
from rathaus.reservations.fees import fee_for
from rathaus.reservations.links import reservation_from_token, reservation_token
from rathaus.reservations.models import Closure, Reservation
from rathaus.reservations.selectors import refund_due, reservation_payment
from rathaus.reservations.services import (
    requests_expire,
    reservation_cancel,
    reservation_confirm,
    reservation_decline,
    reservation_no_show,
    reservation_payment_book,
    reservation_request,
)

from .conftest import NOW, at


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted as their English msgids."""
    with translation.override("en"):
        yield


def details(**changes) -> Details:
    values = {
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "phone": "06172 123456",
        "street": "Heidestraße 17",
        "postal_code": "61348",
        "city": "Musterstadt",
        "persons": "25",
        "occasion": "birthday",
        "remarks": "",
        "rules_accepted": True,
    }
    return Details(**{**values, **changes})


def request(resource, start, end, *, now=NOW, **changes) -> Reservation:
    return reservation_request(resource=resource, start=start, end=end, details=details(**changes), now=now)


MIDDAY = (at(5, 15, 10), at(5, 15, 16))  # Saturday 15 May 2027
EVENING = (at(5, 15, 16), at(5, 15, 22))
ALL_DAY = (at(5, 15, 10), at(5, 15, 22))


def refused(resource, start, end, **changes) -> WindowUnavailable:
    with pytest.raises(WindowUnavailable) as refusal:
        request(resource, start, end, **changes)
    return refusal.value


def test_a_request_holds_its_window_until_the_department_answers(waldsee):
    reservation = request(waldsee, *MIDDAY)
    assert reservation.status == Reservation.Status.REQUESTED
    assert (reservation.window_label, reservation.fee, reservation.persons) == ("Mittags", Decimal("40.00"), 25)
    assert reservation.expires_at == NOW + timedelta(days=7)
    assert refused(waldsee, *MIDDAY, email="max@example.org").code == "taken"
    assert refused(waldsee, *ALL_DAY, email="max@example.org").code == "taken"  # 10-22 overlaps 10-16
    assert request(waldsee, *EVENING, email="max@example.org").status == Reservation.Status.REQUESTED


def test_the_same_person_asking_twice_is_told_so(waldsee):
    request(waldsee, *MIDDAY)
    refusal = refused(waldsee, *MIDDAY, email="ERIKA@example.org")
    assert refusal.code == "duplicate"
    assert "already asked for this time" in str(refusal)


@pytest.mark.parametrize(
    ("start", "end", "code", "words"),
    [
        (at(5, 1, 10), at(5, 1, 16), "past", "already passed"),
        (at(5, 5, 10), at(5, 5, 16), "too_soon", "at least 3 days in advance"),
        (NOW + timedelta(days=200), NOW + timedelta(days=200, hours=6), "too_far", "at most 180 days in advance"),
        (at(5, 15, 11), at(5, 15, 15), "outside_windows", "one of the time windows offered"),
        (at(5, 15, 16), at(5, 16, 2), "overnight", "same day"),
        (at(5, 15, 16), at(5, 15, 10), "order", "after the beginning"),
    ],
)
def test_bad_windows_are_refused_with_a_clear_message(waldsee, start, end, code, words):
    refusal = refused(waldsee, start, end)
    assert refusal.code == code
    assert words in str(refusal)
    assert not Reservation.objects.exists()


def test_days_out_of_season_are_refused(waldsee):
    waldsee.horizon_days = 365
    waldsee.save(update_fields=["horizon_days"])
    refusal = refused(waldsee, at(11, 6, 10), at(11, 6, 16))
    assert refusal.code == "season"
    assert str(refusal) == "Grillplatz am Waldsee can only be reserved from April to October."


def test_closing_days_are_refused_with_their_reason(waldsee):
    Closure.objects.create(resource=waldsee, first=at(5, 14, 0).date(), last=at(5, 16, 0).date(), reason="Seefest.")
    refusal = refused(waldsee, *MIDDAY)
    assert refusal.code == "closed"
    assert str(refusal) == "Grillplatz am Waldsee is closed on this day. Seefest."


@pytest.mark.parametrize(
    ("start", "end", "code", "words"),
    [
        (at(5, 17, 10), at(5, 17, 11), "too_short", "at least 2 hours"),
        (at(5, 17, 10), at(5, 17, 19), "too_long", "at most 8 hours"),
        (at(5, 17, 7), at(5, 17, 10), "outside_hours", "outside the times offered"),
        (at(5, 17, 21), at(5, 17, 23), "outside_hours", "outside the times offered"),
        (at(5, 17, 10, 30), at(5, 17, 12, 30), "outside_hours", "outside the times offered"),
        (at(5, 17, 10), at(5, 17, 12, 30), "off_grid", "durations offered"),
        (at(5, 16, 10), at(5, 16, 12), "closed", "cannot be reserved on this weekday"),  # a Sunday
    ],
)
def test_a_room_on_a_grid_refuses_times_that_do_not_fit_its_rules(saal, start, end, code, words):
    refusal = refused(saal, start, end)
    assert refusal.code == code
    assert words in str(refusal)


def test_a_duration_that_runs_into_the_next_reservation_does_not_fit(saal):
    request(saal, at(5, 17, 14), at(5, 17, 16), email="verein@example.org")
    refusal = refused(saal, at(5, 17, 10), at(5, 17, 15))
    assert refusal.code == "does_not_fit"
    assert "free for 4 hours only (until 14:00)" in str(refusal)
    booked = request(saal, at(5, 17, 10), at(5, 17, 14))
    assert booked.fee == Decimal("60.00")  # 4 hours at 15 €


def test_wrong_details_are_all_named_at_once(waldsee):
    with pytest.raises(DetailsInvalid) as refusal:
        request(
            waldsee,
            *MIDDAY,
            name=" ",
            email="kaputt",
            phone="call me",
            street="",
            postal_code="6134",
            city="",
            persons="viele",
            occasion="party",
            rules_accepted=False,
        )
    assert set(refusal.value.problems) == {
        "name",
        "email",
        "telefon",
        "strasse",
        "plz",
        "ort",
        "personen",
        "anlass",
        "regeln",
    }
    assert not Reservation.objects.exists()


def test_more_persons_than_the_place_holds_are_refused(waldsee):
    with pytest.raises(DetailsInvalid) as refusal:
        request(waldsee, *MIDDAY, persons="41")
    assert refusal.value.problems == {
        "personen": "Grillplatz am Waldsee holds at most 40 persons. Please choose a larger place or invite fewer "
        "people."
    }
    assert request(waldsee, *MIDDAY, persons="40").persons == 40


def test_one_e_mail_address_holds_at_most_two_upcoming_reservations_of_a_place(waldsee):
    request(waldsee, *MIDDAY)
    request(waldsee, at(5, 22, 10), at(5, 22, 16))
    refusal = refused(waldsee, at(5, 29, 10), at(5, 29, 16))
    assert refusal.code == "too_many"
    assert "already have 2 reservations" in str(refusal)


def test_fees_per_booking_per_hour_begun_and_per_day(waldsee, saal):
    assert fee_for(waldsee, *MIDDAY) == fee_for(waldsee, *ALL_DAY) == Decimal("40.00")
    saal.fee_unit = "hour"
    assert fee_for(saal, at(5, 17, 10), at(5, 17, 12, 30)) == Decimal("45.00")
    waldsee.fee_unit, waldsee.fee_amount = "booking", Decimal("12.50")
    assert fee_for(waldsee, *ALL_DAY) == Decimal("12.50")


def test_staff_confirm_once_the_fee_becomes_an_invoice_and_the_decision_is_audited(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    link_nonce = reservation.decision_nonce
    confirmed = reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    assert (confirmed.status, confirmed.decided_by, confirmed.expires_at) == ("confirmed", karla, None)
    assert confirmed.decision_nonce != link_nonce  # the decision link in the e-mail has been used
    payment = Payment.objects.get(public_id=confirmed.payment_id)
    assert (payment.method, payment.status, payment.amount) == ("invoice", "pending", Decimal("40.00"))
    assert payment.purpose == f"reservation:{reservation.public_id}"
    assert "Erika" not in payment.description
    entry = AuditEntry.objects.get(object_type="reservation", action="reservation.confirmed")
    assert (entry.actor, entry.object_id) == (karla, str(reservation.public_id))
    with pytest.raises(ReservationError, match="already been answered: confirmed"):
        reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    with pytest.raises(ReservationError, match="already been answered"):
        reservation_decline(reservation=reservation, actor=karla, reason="Doch nicht.", now=NOW)


def test_declining_needs_a_reason_and_frees_the_time(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    with pytest.raises(ReservationError, match="reason") as refusal:
        reservation_decline(reservation=reservation, actor=karla, reason="  ", now=NOW)
    assert refusal.value.field == "grund"
    declined = reservation_decline(reservation=reservation, actor=karla, reason="Der Platz wird gemäht.", now=NOW)
    assert (declined.status, declined.decision_reason) == ("declined", "Der Platz wird gemäht.")
    assert request(waldsee, *MIDDAY, email="max@example.org").status == Reservation.Status.REQUESTED
    entry = AuditEntry.objects.get(action="reservation.declined")
    assert entry.changes["reason"] == [None, "Der Platz wird gemäht."]


def test_staff_of_another_department_cannot_decide(waldsee, citizens_office_clerk):
    reservation = request(waldsee, *MIDDAY)
    with pytest.raises(PermissionDenied):
        reservation_confirm(reservation=reservation, actor=citizens_office_clerk, now=NOW)
    assert Reservation.objects.get().status == Reservation.Status.REQUESTED


def test_a_decision_by_the_link_to_the_department_address_is_audited_with_that_address(waldsee):
    reservation = request(waldsee, *MIDDAY)
    reservation_confirm(reservation=reservation, actor=None, via="link", link_to="kultur@musterstadt.example", now=NOW)
    entry = AuditEntry.objects.get(action="reservation.confirmed")
    assert entry.actor is None and entry.rule == "decision link to kultur@musterstadt.example"
    assert entry.changes["via"] == [None, "link"]


def test_unanswered_requests_lapse_and_free_their_time(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    assert requests_expire(now=NOW + timedelta(days=6)) == 0
    later = NOW + timedelta(days=7)
    with pytest.raises(ReservationError, match="not answered in time"):
        reservation_confirm(reservation=reservation, actor=karla, now=later)
    assert requests_expire(now=later) == 1
    assert requests_expire(now=later) == 0
    assert Reservation.objects.get().status == Reservation.Status.EXPIRED
    assert request(waldsee, *MIDDAY, email="max@example.org", now=later).status == Reservation.Status.REQUESTED


def test_a_request_lapses_at_the_latest_when_its_time_begins(waldsee):
    soon = request(waldsee, at(5, 7, 10), at(5, 7, 16))  # Friday, 4 days ahead
    assert soon.expires_at == at(5, 7, 10)


def test_the_citizen_cancels_and_every_earlier_link_stops_working(waldsee, karla, musterstadt):
    reservation = request(waldsee, *MIDDAY)
    reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    token = reservation_token(Reservation.objects.get(), "manage")
    assert reservation_from_token(municipality=musterstadt, token=token, purpose="manage").reservation == reservation
    reservation_cancel(reservation=reservation, now=NOW)
    with pytest.raises(LinkInvalid) as refusal:
        reservation_from_token(municipality=musterstadt, token=token, purpose="manage")
    assert refusal.value.code == "link_used"
    with pytest.raises(ReservationError, match="cannot be cancelled any more"):
        reservation_cancel(reservation=reservation, now=NOW)
    assert request(waldsee, *MIDDAY, email="max@example.org").status == Reservation.Status.REQUESTED


def test_staff_cancel_with_a_reason_and_nothing_that_has_begun_is_cancelled(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    with pytest.raises(ReservationError, match="reason"):
        reservation_cancel(reservation=reservation, actor=karla, reason="", now=NOW)
    with pytest.raises(ReservationError, match="already begun"):
        reservation_cancel(reservation=reservation, actor=karla, reason="Sturm.", now=at(5, 15, 11))
    cancelled = reservation_cancel(reservation=reservation, actor=karla, reason="Waldbrandgefahr.", now=NOW)
    assert (cancelled.status, cancelled.decision_reason) == ("cancelled", "Waldbrandgefahr.")
    assert AuditEntry.objects.filter(action="reservation.cancelled", actor=karla).exists()


@pytest.mark.parametrize("by_staff", [False, True], ids=["by the citizen", "by staff"])
def test_cancelling_a_confirmed_reservation_cancels_its_open_invoice(waldsee, karla, by_staff):
    reservation = request(waldsee, *MIDDAY)
    confirmed = reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    if by_staff:
        reservation_cancel(reservation=confirmed, actor=karla, reason="Waldbrandgefahr.", now=NOW)
    else:
        reservation_cancel(reservation=confirmed, now=NOW)
    payment = Payment.objects.get(public_id=confirmed.payment_id)
    assert payment.status == Payment.Status.CANCELLED  # nobody is billed for a reservation that will not happen
    entry = AuditEntry.objects.get(action="reservation.cancelled")
    assert entry.changes["payment"] == ["pending", "cancelled"]
    assert not refund_due(reservation=Reservation.objects.get(), payment=payment)
    assert not reservation_payment_book(reservation=confirmed, actor=karla, reference="Kasse 1")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED


def test_a_paid_fee_stays_paid_when_the_reservation_is_cancelled_and_a_refund_is_due(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    confirmed = reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    assert reservation_payment_book(reservation=confirmed, actor=karla, reference="Überweisung 0815")
    assert not refund_due(reservation=confirmed, payment=reservation_payment(reservation=confirmed))
    cancelled = reservation_cancel(reservation=confirmed, now=NOW)
    payment = reservation_payment(reservation=cancelled)
    assert payment is not None
    assert (payment.status, payment.provider_reference) == ("succeeded", "Überweisung 0815")
    assert refund_due(reservation=cancelled, payment=payment)
    entry = AuditEntry.objects.get(action="reservation.cancelled")
    assert entry.changes["refund"] == [None, "due"] and "payment" not in entry.changes


def test_links_are_bound_to_purpose_and_municipality(waldsee, musterstadt, beispielhausen, karla):
    reservation = request(waldsee, *MIDDAY)
    decide = reservation_token(reservation, "decide", staff=karla)
    opened = reservation_from_token(municipality=musterstadt, token=decide, purpose="decide")
    assert (opened.reservation, opened.staff) == (reservation, karla)
    with pytest.raises(LinkInvalid) as refusal:
        reservation_from_token(municipality=musterstadt, token=decide, purpose="manage")
    assert refusal.value.code == "link_forged"
    with pytest.raises(LinkInvalid):
        reservation_from_token(municipality=beispielhausen, token=decide, purpose="decide")
    with pytest.raises(LinkInvalid):
        reservation_from_token(municipality=musterstadt, token=decide[:-3] + "abc", purpose="decide")
    reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    with pytest.raises(LinkInvalid) as refusal:
        reservation_from_token(municipality=musterstadt, token=decide, purpose="decide")
    assert refusal.value.code == "link_used" and refusal.value.reservation == reservation


def test_a_no_show_needs_a_confirmed_reservation_that_has_begun(waldsee, karla):
    reservation = request(waldsee, *MIDDAY)
    with pytest.raises(ReservationError, match="Only a confirmed"):
        reservation_no_show(reservation=reservation, actor=karla, now=at(5, 15, 12))
    reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    with pytest.raises(ReservationError, match="not begun"):
        reservation_no_show(reservation=reservation, actor=karla, now=NOW)
    assert reservation_no_show(reservation=reservation, actor=karla, now=at(5, 15, 12)).status == "no_show"


def test_every_request_decision_cancellation_and_no_show_emits_an_event_with_codes_only(
    waldsee, saal, karla, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request(waldsee, *MIDDAY)
        second = request(waldsee, *EVENING, email="max@example.org")
        third = request(saal, at(5, 17, 10), at(5, 17, 12))
        reservation_confirm(reservation=first, actor=karla, now=NOW)
        reservation_decline(reservation=second, actor=karla, reason="Privat: Herr Max", via="link", now=NOW)
        reservation_cancel(reservation=third, now=NOW)
        reservation_no_show(reservation=first, actor=karla, now=at(5, 15, 12))
        request(waldsee, at(5, 22, 10), at(5, 22, 16), email="lisa@example.org")
        requests_expire(now=NOW + timedelta(days=8))
    events = [(e.name, e.service_key, e.dimensions) for e in Event.objects.order_by("pk")]
    assert events == [
        ("reservation_requested", "grillplatzreservierung", {"kind": "barbecue"}),
        ("reservation_requested", "grillplatzreservierung", {"kind": "barbecue"}),
        ("reservation_requested", "", {"kind": "room"}),
        ("payment_method_chosen", "grillplatzreservierung", {"method": "invoice", "provider": "invoice"}),
        ("reservation_confirmed", "grillplatzreservierung", {"kind": "barbecue", "method": "back_office"}),
        ("reservation_declined", "grillplatzreservierung", {"kind": "barbecue", "method": "link"}),
        ("reservation_cancelled", "", {"kind": "room", "reason": "citizen"}),
        ("reservation_no_show", "grillplatzreservierung", {"kind": "barbecue"}),
        ("reservation_requested", "grillplatzreservierung", {"kind": "barbecue"}),
        ("reservation_expired", "grillplatzreservierung", {"kind": "barbecue"}),
    ]


def test_the_calendar_offers_what_a_request_accepts(waldsee, saal):
    from rathaus.reservations import availability

    request(waldsee, *MIDDAY)
    [day] = availability.calendar(waldsee, MIDDAY[0].date(), MIDDAY[0].date(), NOW)
    assert [(o.start.time(), o.end.time(), o.free) for o in day.options] == [
        (time(10), time(16), False),
        (time(16), time(22), True),
        (time(10), time(22), False),
    ]
    request(saal, at(5, 17, 14), at(5, 17, 16))
    [monday] = availability.calendar(saal, at(5, 17, 0).date(), at(5, 17, 0).date(), NOW)
    free = {o.start.time(): o.end.time() for o in monday.free}
    assert free[time(8)] == time(14) and free[time(12)] == time(14) and time(13) not in free
    assert free[time(16)] == time(22) and time(21) not in free  # 2 hours at least
    days = availability.calendar(waldsee, at(5, 3, 0).date(), at(5, 9, 0).date(), NOW)
    assert [d.closed for d in days] == ["too_soon", "too_soon", "too_soon", "", "", "", ""]
