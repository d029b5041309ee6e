"""The desk of the citizens' office: who sees the day, arrivals and missed appointments, blocked times, walk-ins,
bookings for callers and calling the next person to a counter."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from rathaus.accounts.models import StaffRole
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.analytics.models import Event
from rathaus.appointments import desk, selectors
from rathaus.appointments.demo import appointments_demo_load
from rathaus.appointments.errors import AppointmentError, SlotUnavailable
from rathaus.appointments.models import Booking, Ticket
from rathaus.appointments.services import booking_cancel, booking_confirm, booking_hold, booking_no_show
from rathaus.audit.models import AuditEntry
from rathaus.conftest import PASSWORD

from .conftest import NOW, at

HOST = "musterstadt.localhost"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def confirmed(office, start, *, keys=("personalausweis",), email="erika@example.org", now=NOW) -> Booking:
    booking = booking_hold(
        location=office, service_keys=list(keys), start=start, name="Erika Mustermann", email=email, now=now
    )
    return booking_confirm(booking=booking, now=now)


@pytest.fixture
def clerk(citizens_office_clerk):
    """Bea, caseworker of the Bürgerbüro department, which runs the demo office."""
    return citizens_office_clerk


# --- who sees the desk ------------------------------------------------------------------------------------------


def test_the_departments_staff_see_the_day_others_get_404(office, clerk, caseworker, staff_log_in):
    confirmed(office, at(7, 9))
    bea = Client(HTTP_HOST=HOST)
    staff_log_in(bea, clerk)
    page = bea.get("/verwaltung/termine/buergerbuero-im-rathaus/?tag=2026-12-07")
    assert page.status_code == 200
    assert "Erika Mustermann" in page.content.decode()
    assert bea.get("/verwaltung/termine/").status_code == 302  # one office: straight to its day

    max_client = Client(HTTP_HOST=HOST)
    staff_log_in(max_client, caseworker)  # road traffic authority
    assert max_client.get("/verwaltung/termine/buergerbuero-im-rathaus/").status_code == 404
    assert (
        "Ihrem Fachbereich ist kein Bürgerbüro zugeordnet." in max_client.get("/verwaltung/termine/").content.decode()
    )


def test_the_day_view_offers_to_cancel_an_appointment_in_words_that_say_so(office, clerk, staff_log_in):
    confirmed(office, at(7, 9))
    bea = Client(HTTP_HOST=HOST)
    staff_log_in(bea, clerk)
    bea.cookies["django_language"] = "de"
    page = bea.get("/verwaltung/termine/buergerbuero-im-rathaus/?tag=2026-12-07").content.decode()
    assert '<span class="kern-label">Termin absagen<span class="kern-sr-only">: Erika Mustermann, 09:00' in page
    assert "Abbrechen" not in page  # "abort", as of a dialog, is not what the button does


def test_a_municipality_admin_sees_every_office_and_nobody_sees_another_municipalitys(
    office, musterstadt, beispielhausen, staff_log_in
):
    admin, _ = user_ensure(username="ada", email="ada@musterstadt.example", password=PASSWORD)
    staff_role_ensure(user=admin, municipality=musterstadt, role=StaffRole.Role.MUNICIPALITY_ADMIN)
    elsewhere = appointments_demo_load(municipality=beispielhausen)
    elsewhere.slug = "buergerbuero-beispielhausen"
    elsewhere.save(update_fields=["slug"])
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, admin)
    assert client.get("/verwaltung/termine/buergerbuero-im-rathaus/").status_code == 200
    assert client.get("/verwaltung/termine/buergerbuero-beispielhausen/").status_code == 404
    assert selectors.locations_for_staff(user=admin, municipality=beispielhausen) == []


def test_without_a_staff_login_the_desk_asks_to_log_in(office, client):
    response = Client(HTTP_HOST=HOST).get("/verwaltung/termine/buergerbuero-im-rathaus/")
    assert response.status_code == 302 and response["Location"].startswith("/verwaltung/anmelden/")


def test_actions_are_posts_with_csrf(office, clerk, staff_log_in):
    booking = confirmed(office, at(7, 9))
    logged_in = Client(HTTP_HOST=HOST)
    staff_log_in(logged_in, clerk)
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    client.cookies = logged_in.cookies
    url = f"/verwaltung/termine/buergerbuero-im-rathaus/termin/{booking.public_id}/absagen/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# --- arrivals, missed appointments, cancellations --------------------------------------------------------------


def test_arrival_gives_a_waiting_number_and_a_no_show_needs_the_start_to_have_passed(
    office, clerk, django_capture_on_commit_callbacks
):
    first = confirmed(office, at(7, 9))
    second = confirmed(office, at(7, 9, 30), email="max@example.org")
    ticket = desk.booking_check_in(booking=first, actor=clerk, now=at(7, 8, 50))
    assert ticket.label == "T 1" and ticket.status == Ticket.Status.WAITING
    assert desk.booking_check_in(booking=first, actor=clerk, now=at(7, 8, 51)) == ticket  # once
    with pytest.raises(AppointmentError, match="checked in and did come"):
        booking_no_show(booking=first, actor=clerk, now=at(7, 9, 10))
    with pytest.raises(AppointmentError, match="not begun"):
        booking_no_show(booking=second, actor=clerk, now=at(7, 9, 10))
    with django_capture_on_commit_callbacks(execute=True):
        booking_no_show(booking=second, actor=clerk, now=at(7, 9, 45))
    second.refresh_from_db()
    assert second.status == Booking.Status.NO_SHOW
    assert Event.objects.filter(name="appointment_no_show").count() == 1
    assert AuditEntry.objects.filter(action="appointment.no_show", object_id=str(second.public_id)).exists()


def test_only_todays_confirmed_appointments_can_check_in(office, clerk):
    tomorrow = confirmed(office, at(8, 9))
    with pytest.raises(AppointmentError, match="not today"):
        desk.booking_check_in(booking=tomorrow, actor=clerk, now=at(7, 9))
    held = booking_hold(
        location=office, service_keys=["personalausweis"], start=at(7, 10), name="H", email="h@example.org", now=NOW
    )
    with pytest.raises(AppointmentError, match="Only a confirmed"):
        desk.booking_check_in(booking=held, actor=clerk, now=at(7, 9))


def test_staff_cancellations_are_audited(office, clerk):
    booking = confirmed(office, at(7, 9))
    booking_cancel(booking=booking, actor=clerk, now=NOW)
    entry = AuditEntry.objects.get(action="appointment.cancelled_by_staff")
    assert entry.object_id == str(booking.public_id) and entry.actor_label == clerk.username


# --- blocked times ---------------------------------------------------------------------------------------------


def test_a_blocked_time_is_not_offered_and_cannot_be_booked(office, clerk):
    concerns = selectors.concerns_resolve(location=office, service_keys=["personalausweis"])
    desk.blocked_time_add(
        location=office, counter=None, start=at(7, 10), end=at(7, 11), reason="Teambesprechung", actor=clerk, now=NOW
    )
    monday = selectors.free_days(location=office, concerns=concerns, days=1, now=NOW)[at(7, 0).date()]
    assert at(7, 9, 40) in monday and at(7, 9, 45) not in monday  # 20 minutes would reach into the block
    assert not [start for start in monday if at(7, 9, 41) <= start < at(7, 11)]
    assert at(7, 11) in monday
    with pytest.raises(SlotUnavailable) as refused:
        confirmed(office, at(7, 10, 15))
    assert refused.value.code == "taken"


def test_blocking_one_counter_leaves_the_other_bookable(office, clerk):
    counter = office.counters.get(name="Schalter 1")
    desk.blocked_time_add(location=office, counter=counter, start=at(7, 10), end=at(7, 11), reason="", actor=clerk)
    booking = confirmed(office, at(7, 10))
    assert booking.counter.name == "Schalter 2"


def test_a_time_with_appointments_cannot_be_blocked_until_they_are_moved(office, clerk):
    booking = confirmed(office, at(7, 10, 15))
    with pytest.raises(AppointmentError, match="Appointments lie in this time: 10:15") as refused:
        desk.blocked_time_add(location=office, counter=None, start=at(7, 10), end=at(7, 11), reason="", actor=clerk)
    assert refused.value.code == "blocked_clash"
    booking_cancel(booking=booking, actor=clerk, now=NOW)
    blocked = desk.blocked_time_add(
        location=office, counter=None, start=at(7, 10), end=at(7, 11), reason="", actor=clerk, now=NOW
    )
    desk.blocked_time_remove(blocked=blocked, actor=clerk)
    assert AuditEntry.objects.filter(action__in=["appointment.time_blocked", "appointment.time_unblocked"]).count() == 2


def test_blocked_time_input_is_checked(office, clerk):
    with pytest.raises(AppointmentError, match="end must be after"):
        desk.blocked_time_add(location=office, counter=None, start=at(7, 11), end=at(7, 10), reason="", actor=clerk)
    with pytest.raises(AppointmentError, match="already passed"):
        desk.blocked_time_add(
            location=office, counter=None, start=at(7, 5), end=at(7, 6), reason="", actor=clerk, now=NOW
        )


def test_the_block_form_keeps_what_was_typed_when_refused(office, clerk, staff_log_in):
    confirmed(office, at(7, 10, 15))
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, clerk)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/verwaltung/termine/buergerbuero-im-rathaus/sperren/",
        {"tag": "2026-12-07", "von": "10:00", "bis": "11:00", "grund": "Schulung", "schalter": ""},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Please move or cancel them first." in page
    assert 'value="Schulung"' in page and 'value="10:00"' in page
    response = client.post(
        "/verwaltung/termine/buergerbuero-im-rathaus/sperren/",
        {"tag": "2026-12-07", "von": "zehn", "bis": "11:00", "grund": "", "schalter": ""},
    )
    assert response.status_code == 422 and "e.g. 13:30" in response.content.decode()


# --- walk-ins and the call queue --------------------------------------------------------------------------------


def test_call_order_due_appointments_then_walk_ins_then_early_arrivals(
    office, clerk, django_capture_on_commit_callbacks
):
    counter = office.counters.get(name="Schalter 1")
    due = confirmed(office, at(7, 9))
    early = confirmed(office, at(7, 11), email="early@example.org")
    desk.booking_check_in(booking=early, actor=clerk, now=at(7, 8, 40))
    with django_capture_on_commit_callbacks(execute=True):
        walk_in = desk.walk_in_add(location=office, service_keys=["reisepass"], actor=clerk, now=at(7, 8, 45))
    desk.booking_check_in(booking=due, actor=clerk, now=at(7, 8, 50))
    assert walk_in.label == "W 1"
    calls = [desk.ticket_call_next(location=office, counter=counter, actor=clerk, now=at(7, 8, 55)) for _ in range(3)]
    assert [ticket.label for ticket in calls] == ["T 2", "W 1", "T 1"]
    assert Ticket.objects.get(pk=calls[0].pk).status == Ticket.Status.DONE  # calling the next one finishes it
    assert desk.ticket_call_next(location=office, counter=counter, actor=clerk, now=at(7, 9)) is None
    event = Event.objects.get(name="appointment_booked", dimensions__method="walk_in")
    assert event.service_key == "reisepass" and "name" not in event.dimensions


def test_a_counter_calls_only_people_whose_concerns_it_handles(office, clerk):
    first, second = office.counters.order_by("name")
    first.service_keys = ["reisepass"]
    first.save(update_fields=["service_keys"])
    desk.walk_in_add(location=office, service_keys=["personalausweis"], actor=clerk, now=at(7, 8))
    assert desk.ticket_call_next(location=office, counter=first, actor=clerk, now=at(7, 8, 1)) is None
    assert desk.ticket_call_next(location=office, counter=second, actor=clerk, now=at(7, 8, 1)).label == "W 1"


def test_one_counter_calls_one_person_at_a_time_in_the_database(office, clerk):
    counter = office.counters.first()
    one = desk.walk_in_add(location=office, service_keys=["personalausweis"], actor=clerk, now=at(7, 8))
    two = desk.walk_in_add(location=office, service_keys=["personalausweis"], actor=clerk, now=at(7, 8))
    Ticket.objects.filter(pk=one.pk).update(status="called", counter=counter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=two.pk).update(status="called", counter=counter)


def test_a_called_number_can_be_closed_as_served_or_as_not_come(office, clerk):
    counter = office.counters.first()
    desk.walk_in_add(location=office, service_keys=["personalausweis"], actor=clerk, now=at(7, 8))
    ticket = desk.ticket_call_next(location=office, counter=counter, actor=clerk, now=at(7, 8, 1))
    assert desk.ticket_finish(ticket=ticket, came=False, actor=clerk).status == Ticket.Status.LEFT
    with pytest.raises(AppointmentError, match="not being called"):
        desk.ticket_finish(ticket=ticket, came=True, actor=clerk)


def test_the_waiting_room_display_shows_numbers_and_counters_never_names(office, clerk):
    booking = confirmed(office, at(7, 9))
    ticket = Ticket.objects.create(  # called today on the real clock, which the display page uses
        location=office,
        day=timezone.localdate(),
        kind=Ticket.Kind.APPOINTMENT,
        number=7,
        booking=booking,
        status=Ticket.Status.CALLED,
        counter=office.counters.get(name="Schalter 1"),
        created_at=timezone.now(),
        called_at=timezone.now(),
    )
    client = Client(HTTP_HOST=HOST)
    page = client.get("/termine/buergerbuero-im-rathaus/aufruf/").content.decode()
    assert ticket.label in page and "Schalter 1" in page and "Erika" not in page
    part = client.get("/termine/buergerbuero-im-rathaus/aufruf/?teil=liste")
    assert part.status_code == 200 and "<html" not in part.content.decode() and ticket.label in part.content.decode()


# --- bookings for callers ---------------------------------------------------------------------------------------


def test_staff_book_for_a_caller_confirmed_at_once_without_lead_time(office, clerk, django_capture_on_commit_callbacks):
    office.lead_minutes = 120
    office.save(update_fields=["lead_minutes"])
    with django_capture_on_commit_callbacks(execute=True):
        booking = desk.booking_book_for_caller(
            location=office,
            service_keys=["personalausweis"],
            start=at(7, 8, 30),
            name="Otto Anrufer",
            actor=clerk,
            now=NOW,
        )
    assert booking.status == Booking.Status.CONFIRMED and booking.channel == Booking.Channel.STAFF
    assert booking.email == ""
    assert Event.objects.get(name="appointment_booked").dimensions["method"] == "staff"
    assert AuditEntry.objects.filter(action="appointment.booked_by_staff").exists()
    with_mail = desk.booking_book_for_caller(
        location=office,
        service_keys=["reisepass"],
        start=at(7, 8, 30),
        name="Olga Anruferin",
        email="olga@example.org",
        actor=clerk,
        now=NOW,
    )
    assert with_mail.counter_id != booking.counter_id  # the same time, on the other counter


def test_the_caller_form_books_and_returns_to_the_day(
    office, clerk, staff_log_in, smtp, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, clerk)
    url = "/verwaltung/termine/buergerbuero-im-rathaus/buchen/?anliegen=personalausweis&tag=2026-12-08"
    page = client.get(url).content.decode()
    assert 'name="beginn"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "anliegen": "personalausweis",
                "tag": "2026-12-08",
                "beginn": at(8, 9).isoformat(),
                "name": "Otto Anrufer",
                "email": "otto@example.org",
            },
        )
    assert response.status_code == 302 and "tag=2026-12-08" in response["Location"]
    booking = Booking.objects.get()
    assert booking.start == at(8, 9) and booking.status == Booking.Status.CONFIRMED
    [mail] = smtp.to("otto@example.org")
    assert "Personalausweis" in smtp.text_of(mail)
    client.cookies["django_language"] = "en"
    response = client.post(
        url,
        {"anliegen": "personalausweis", "tag": "2026-12-08", "beginn": at(8, 10).isoformat(), "email": "o@example.org"},
    )
    page = response.content.decode()
    assert response.status_code == 422 and "Please enter your name." in page and 'value="o@example.org"' in page
