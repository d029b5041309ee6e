"""The desk of a citizens' office (back office): the day view per office and counter, arrivals and missed
appointments, blocked times, walk-ins, booking for callers, and calling the next person.

Every action is a POST with CSRF that redirects back to the day (so a reload never repeats it); a refused action
shows the day again with the reason and what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.core.text import ascii_digits
from rathaus.tenants.requests import MunicipalityRequest

from . import desk, selectors
from .errors import AppointmentError
from .models import Booking, Counter, Location
from .services import booking_cancel, booking_no_show


def _user(request: MunicipalityRequest) -> User:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    return request.user


def _location(request: MunicipalityRequest, slug: str) -> Location:
    assert request.municipality is not None
    location = selectors.location_get_for_staff(user=_user(request), municipality=request.municipality, slug=slug)
    if location is None:
        raise Http404
    return location


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _back(location: Location, day: date) -> HttpResponseRedirect:
    return redirect(f"{reverse('desk:day', args=[location.slug])}?{urlencode({'tag': day.isoformat()})}")


CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*(?:uhr)?\s*$", re.IGNORECASE)


def _clock(day: date, value: str) -> datetime | None:
    """A time of `day` as people write it: 13:30, 13.30, 1330 or 13 (Uhr)."""
    match = CLOCK.match(value)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return datetime.combine(day, time(hours, minutes), tzinfo=timezone.get_default_timezone())


def _counter(location: Location, value: str) -> Counter | None:
    return Counter.objects.filter(location=location, pk=value).first() if ascii_digits(value) else None


@never_cache
@require_GET
@staff_required
def start(request: MunicipalityRequest) -> HttpResponse:
    assert request.municipality is not None
    locations = selectors.locations_for_staff(user=_user(request), municipality=request.municipality)
    if len(locations) == 1:
        return redirect("desk:day", locations[0].slug)
    return render(request, "appointments/desk/start.html", {"locations": locations})


def _day_page(
    request: MunicipalityRequest,
    location: Location,
    day: date,
    *,
    error: AppointmentError | None = None,
    form: str = "",
    values: dict[str, Any] | None = None,
) -> HttpResponse:
    plan = selectors.day_plan(location=location, day=day)
    concerns = selectors.concerns_bookable(location=location)
    status = 200
    if error is not None:
        status = 409 if error.code in {"taken", "blocked_clash", "not_confirmed", "checked_in"} else 422
    return render(
        request,
        "appointments/desk/day.html",
        {
            "location": location,
            "plan": plan,
            "concerns": concerns,
            "previous_day": date.fromordinal(day.toordinal() - 1),
            "next_day": date.fromordinal(day.toordinal() + 1),
            "error": error,
            "error_form": form,
            "error_target": (error.field if form == "block" and error and error.field else form) if error else "",
            "values": values or {},
        },
        status=status,
    )


@never_cache
@require_GET
@staff_required
def day_view(request: MunicipalityRequest, slug: str) -> HttpResponse:
    return _day_page(request, _location(request, slug), _day(request.GET.get("tag")))


def _booking(location: Location, public_id: UUID) -> Booking:
    booking = selectors.booking_get_for_staff(location=location, public_id=public_id)
    if booking is None:
        raise Http404
    return booking


def _on_booking(
    request: MunicipalityRequest, slug: str, public_id: UUID, act: Callable[[Booking, User], str]
) -> HttpResponse:
    """Do `act` to a booking of the office and go back to its day with the message `act` returns; a refusal shows
    the day with its reason."""
    location = _location(request, slug)
    booking = _booking(location, public_id)
    day = timezone.localtime(booking.start).date()
    try:
        done = act(booking, _user(request))
    except AppointmentError as refusal:
        return _day_page(request, location, day, error=refusal)
    messages.success(request, done)
    return _back(location, day)


def _check_in(booking: Booking, actor: User) -> str:
    ticket = desk.booking_check_in(booking=booking, actor=actor)
    return _("%(name)s has arrived: waiting number %(number)s.") % {"name": booking.name, "number": ticket.label}


def _no_show(booking: Booking, actor: User) -> str:
    booking_no_show(booking=booking, actor=actor)
    return _("The appointment of %(name)s is marked as missed.") % {"name": booking.name}


def _cancel(booking: Booking, actor: User) -> str:
    booking_cancel(booking=booking, actor=actor)
    return _("The appointment of %(name)s is cancelled.") % {"name": booking.name}


@require_POST
@staff_required
def check_in(request: MunicipalityRequest, slug: str, public_id: UUID) -> HttpResponse:
    return _on_booking(request, slug, public_id, _check_in)


@require_POST
@staff_required
def no_show(request: MunicipalityRequest, slug: str, public_id: UUID) -> HttpResponse:
    return _on_booking(request, slug, public_id, _no_show)


@require_POST
@staff_required
def cancel(request: MunicipalityRequest, slug: str, public_id: UUID) -> HttpResponse:
    return _on_booking(request, slug, public_id, _cancel)


@require_POST
@staff_required
def block(request: MunicipalityRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    day = _day(request.POST.get("tag"))
    values = {key: request.POST.get(key, "") for key in ("von", "bis", "schalter", "grund")}
    start, end = _clock(day, values["von"]), _clock(day, values["bis"])
    try:
        if start is None or end is None:
            raise AppointmentError(_("Please enter the times as hours and minutes, e.g. 13:30."), field="von")
        counter = _counter(location, values["schalter"]) if values["schalter"] else None
        if values["schalter"] and counter is None:
            raise AppointmentError(_("Please choose a counter of this office."), field="schalter")
        desk.blocked_time_add(
            location=location, counter=counter, start=start, end=end, reason=values["grund"], actor=_user(request)
        )
    except AppointmentError as refusal:
        return _day_page(request, location, day, error=refusal, form="block", values=values)
    messages.success(request, _("The time is blocked; no appointments are offered in it."))
    return _back(location, day)


@require_POST
@staff_required
def unblock(request: MunicipalityRequest, slug: str, pk: int) -> HttpResponse:
    location = _location(request, slug)
    blocked = selectors.blocked_time_get_for_staff(location=location, pk=pk)
    if blocked is None:
        raise Http404
    day = timezone.localtime(blocked.start).date()
    desk.blocked_time_remove(blocked=blocked, actor=_user(request))
    messages.success(request, _("The time is offered for appointments again."))
    return _back(location, day)


@require_POST
@staff_required
def walk_in(request: MunicipalityRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    day = timezone.localdate()
    try:
        ticket = desk.walk_in_add(
            location=location, service_keys=request.POST.getlist("anliegen"), actor=_user(request)
        )
    except AppointmentError as refusal:
        return _day_page(request, location, day, error=refusal, form="walk_in")
    messages.success(request, _("Waiting number %(number)s: please hand it over.") % {"number": ticket.label})
    return _back(location, day)


@require_POST
@staff_required
def call_next(request: MunicipalityRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    day = timezone.localdate()
    counter = _counter(location, request.POST.get("schalter", ""))
    if counter is None:
        raise Http404
    try:
        ticket = desk.ticket_call_next(location=location, counter=counter, actor=_user(request))
    except AppointmentError as refusal:
        return _day_page(request, location, day, error=refusal, form="queue")
    if ticket is None:
        messages.info(request, _("Nobody is waiting for %(counter)s.") % {"counter": counter.name})
    else:
        messages.success(
            request, _("%(number)s is called to %(counter)s.") % {"number": ticket.label, "counter": counter.name}
        )
    return _back(location, day)


@require_POST
@staff_required
def finish(request: MunicipalityRequest, slug: str, pk: int) -> HttpResponse:
    location = _location(request, slug)
    ticket = selectors.ticket_get_for_staff(location=location, pk=pk)
    if ticket is None:
        raise Http404
    try:
        desk.ticket_finish(ticket=ticket, came=request.POST.get("erschienen") != "0", actor=_user(request))
    except AppointmentError as refusal:
        return _day_page(request, location, ticket.day, error=refusal, form="queue")
    return _back(location, ticket.day)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def book_for_caller(request: MunicipalityRequest, slug: str) -> HttpResponse:
    """Book for someone on the phone or at the desk: concerns, then a time of the chosen day, then name and e-mail."""
    location = _location(request, slug)
    keys = request.GET.getlist("anliegen") or request.POST.getlist("anliegen")
    day = _day(request.GET.get("tag") or request.POST.get("tag"))
    values = {key: request.POST.get(key, "") for key in ("name", "email", "beginn")}
    error: AppointmentError | None = None
    chosen: list[selectors.Concern] = []
    starts: list[datetime] = []
    if keys:
        try:
            chosen = selectors.concerns_resolve(location=location, service_keys=keys)
        except AppointmentError as refusal:
            error = refusal
    if chosen:
        starts = selectors.free_days(
            location=location, concerns=chosen, first=day, days=1, earliest=timezone.now()
        ).get(day, [])
    if request.method == "POST" and chosen:
        try:
            start = datetime.fromisoformat(values["beginn"]) if values["beginn"] else None
        except ValueError:
            start = None
        try:
            if start is None or timezone.is_naive(start):
                raise AppointmentError(_("Please choose a time."), field="beginn")
            booking = desk.booking_book_for_caller(
                location=location,
                service_keys=[concern.key for concern in chosen],
                start=start,
                name=values["name"],
                email=values["email"],
                actor=_user(request),
            )
        except AppointmentError as refusal:
            error = refusal
        else:
            messages.success(
                request,
                _("The appointment for %(name)s on %(when)s is booked.")
                % {"name": booking.name, "when": f"{timezone.localtime(booking.start):%d.%m.%Y %H:%M}"},
            )
            return _back(location, timezone.localtime(booking.start).date())
    return render(
        request,
        "appointments/desk/book.html",
        {
            "location": location,
            "concerns": selectors.concerns_bookable(location=location),
            "chosen": chosen,
            "chosen_keys": [concern.key for concern in chosen],
            "day": day,
            "starts": starts,
            "values": values,
            "error": error,
        },
        status=422 if error is not None else 200,
    )
