"""Citizen pages of appointments: choose concerns, a day and a time, book, confirm, cancel and move by link.

Everything works without JavaScript and without an account: the day choice is links, the time choice radio
buttons in a plain form, and the links in the e-mails carry a signature instead of a login.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.core.clients import client_ip
from rathaus.tenants.requests import MunicipalityRequest, municipality_or_404

from . import fairness, selectors
from .errors import AppointmentError, LinkInvalid, SlotUnavailable
from .ics import booking_ics, location_text
from .links import booking_from_token, booking_path
from .models import Booking, Location
from .selectors import Concern
from .services import booking_cancel, booking_confirm, booking_hold, booking_rebook

WINDOW_DAYS = 14
SESSION_HELD = "appointments_held"


def _location(request: MunicipalityRequest, slug: str) -> Location:
    location = selectors.location_get(municipality=municipality_or_404(request), slug=slug)
    if location is None:
        raise Http404
    return location


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_start(value: str) -> datetime | None:
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        return None
    return start if timezone.is_aware(start) else None


def _link_invalid(request: MunicipalityRequest, error: LinkInvalid) -> HttpResponse:
    status = 404 if error.code == "link_forged" else 410
    return render(request, "appointments/link_invalid.html", {"error": error}, status=status)


def _details(booking: Booking) -> dict[str, Any]:
    concerns = selectors.concerns_of(booking)
    return {
        "booking": booking,
        "concerns": concerns,
        "documents": selectors.documents_to_bring(concerns),
        "place": location_text(booking),
    }


def _picker(
    request: MunicipalityRequest, location: Location, concerns: list[Concern], base_query: dict[str, Any]
) -> dict[str, Any]:
    """Free days of a two-week window (links) and the free times of the chosen day (radio buttons)."""
    today = timezone.localdate()
    first = max(_parse_date(request.GET.get("ab")) or today, today)
    free = selectors.free_days(location=location, concerns=concerns, first=first, days=WINDOW_DAYS)
    day = _parse_date(request.GET.get("tag") or request.POST.get("tag"))
    if day not in free:
        day = next(iter(free), None)
    last = today + timedelta(days=location.horizon_days)

    def link(**extra: str) -> str:
        return "?" + urlencode({**base_query, **extra}, doseq=True)

    return {
        "days": [
            {"day": d, "url": link(ab=first.isoformat(), tag=d.isoformat()), "count": len(s)} for d, s in free.items()
        ],
        "day": day,
        # Value and label computed once here: a day can offer a hundred times and templates are slow at it.
        "starts": [(start.isoformat(), f"{timezone.localtime(start):%H:%M}") for start in free.get(day, [])]
        if day
        else [],
        "window_first": first,
        "window_last": first + timedelta(days=WINDOW_DAYS - 1),
        "earlier_url": link(ab=max(first - timedelta(days=WINDOW_DAYS), today).isoformat()) if first > today else "",
        "later_url": link(ab=(first + timedelta(days=WINDOW_DAYS)).isoformat())
        if first + timedelta(days=WINDOW_DAYS) <= last
        else "",
        "minutes": sum(concern.minutes for concern in concerns),
    }


@require_GET
def start(request: MunicipalityRequest) -> HttpResponse:
    locations = selectors.location_list(municipality=municipality_or_404(request))
    if len(locations) == 1:
        url = reverse("appointments:concerns", args=[locations[0].slug])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    return render(request, "appointments/start.html", {"locations": locations, "query": request.GET.urlencode()})


def _concerns_page(
    request: MunicipalityRequest, location: Location, chosen: list[str], error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "appointments/concerns.html",
        {
            "location": location,
            "concerns": selectors.concerns_bookable(location=location),
            "chosen": chosen,
            "error": error,
            "max_concerns": selectors.MAX_CONCERNS,
        },
        status=status,
    )


@require_GET
def concerns(request: MunicipalityRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    return _concerns_page(request, location, request.GET.getlist("anliegen"))


def _rate_limited(request: MunicipalityRequest, error: fairness.RateLimited) -> HttpResponse:
    response = render(request, "appointments/limited.html", {"error": error}, status=429)
    response["Retry-After"] = "600"
    return response


@require_http_methods(["GET", "POST"])
def times(request: MunicipalityRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    ip = client_ip(request)
    keys = request.GET.getlist("anliegen") or request.POST.getlist("anliegen")
    try:
        chosen = selectors.concerns_resolve(location=location, service_keys=keys)
    except AppointmentError as error:
        return _concerns_page(request, location, keys, str(error), status=422)
    errors: dict[str, str] = {}
    values = {"name": "", "email": "", "start": ""}
    status = 200
    limited: fairness.RateLimited | None = None
    try:
        if request.method == "POST":
            challenge_due = fairness.challenge_needed(ip)
            fairness.booking_allow(ip)
        else:
            fairness.query_allow(ip)
    except fairness.RateLimited as refusal:
        if request.method != "POST":
            return _rate_limited(request, refusal)
        limited = refusal  # the form comes back with everything entered, so nothing is lost while waiting
    if request.method == "POST" and limited is not None:
        values = {"name": request.POST.get("name", ""), "email": request.POST.get("email", "")}
        values["start"] = request.POST.get("beginn", "")
        errors["limit"] = str(limited)
        status = 429
    elif request.method == "POST":
        values = {"name": request.POST.get("name", ""), "email": request.POST.get("email", "")}
        values["start"] = request.POST.get("beginn", "")
        start = _parse_start(values["start"])
        if start is None:
            errors["beginn"] = _("Please choose a time.")
        try:
            if challenge_due:
                fairness.challenge_check(request.POST.get("pow_token", ""), request.POST.get("pow", ""))
            if start is not None:
                booking = booking_hold(
                    location=location,
                    service_keys=[concern.key for concern in chosen],
                    start=start,
                    name=values["name"],
                    email=values["email"],
                    language=translation.get_language() or "de",
                    actor=request.user if request.user.is_authenticated else None,
                )
                request.session[SESSION_HELD] = str(booking.public_id)
                return redirect("appointments:held")
        except SlotUnavailable as error:
            errors["beginn"] = str(error)
        except AppointmentError as error:
            errors[error.field or "beginn"] = str(error)
        status = 409 if errors.get("beginn") and not errors.keys() - {"beginn"} else 422
    context = {
        "location": location,
        "chosen": chosen,
        "errors": errors,
        "values": values,
        "challenge": fairness.challenge_new() if fairness.challenge_needed(ip) else None,
        **_picker(request, location, chosen, {"anliegen": [concern.key for concern in chosen]}),
    }
    response = render(request, "appointments/times.html", context, status=status)
    if limited is not None:
        response["Retry-After"] = "600"
    return response


@require_GET
def held(request: MunicipalityRequest) -> HttpResponse:
    public_id = request.session.get(SESSION_HELD)
    booking = (
        selectors.booking_get_for_citizen(municipality=municipality_or_404(request), public_id=public_id)
        if public_id
        else None
    )
    if booking is None:
        return redirect("appointments:start")
    return render(request, "appointments/held.html", _details(booking))


@require_http_methods(["GET", "POST"])
def confirm(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        booking = booking_from_token(municipality=municipality_or_404(request), token=token, purpose="confirm")
    except LinkInvalid as invalid:
        return _link_invalid(request, invalid)
    if booking.status == Booking.Status.CONFIRMED:
        return redirect(booking_path(booking, "manage"))
    error = ""
    if request.method == "POST":
        try:
            booking = booking_confirm(booking=booking)
        except AppointmentError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Your appointment is confirmed. We have sent you a confirmation by e-mail."))
            return redirect(booking_path(booking, "manage"))
    elif booking.status != Booking.Status.HELD or (
        booking.hold_expires_at and booking.hold_expires_at <= timezone.now()
    ):
        error = _("This reservation was not confirmed in time and has lapsed. Please book a new appointment.")
    return render(
        request, "appointments/confirm.html", {**_details(booking), "error": error}, status=410 if error else 200
    )


@require_GET
def manage(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        booking = booking_from_token(municipality=municipality_or_404(request), token=token, purpose="manage")
    except LinkInvalid as invalid:
        return _link_invalid(request, invalid)
    return render(
        request,
        "appointments/manage.html",
        {**_details(booking), "token": token, "upcoming": booking.start > timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def cancel(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        booking = booking_from_token(municipality=municipality_or_404(request), token=token, purpose="manage")
    except LinkInvalid as invalid:
        return _link_invalid(request, invalid)
    error = ""
    if request.method == "POST":
        try:
            booking = booking_cancel(booking=booking)
        except AppointmentError as refusal:
            error = str(refusal)
        else:
            return render(request, "appointments/cancelled.html", _details(booking))
    return render(
        request,
        "appointments/cancel.html",
        {**_details(booking), "token": token, "error": error},
        status=409 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def rebook(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        booking = booking_from_token(municipality=municipality_or_404(request), token=token, purpose="manage")
    except LinkInvalid as invalid:
        return _link_invalid(request, invalid)
    location = booking.location
    error = ""
    status = 200
    try:
        fairness.query_allow(client_ip(request))
    except fairness.RateLimited as limited:
        return _rate_limited(request, limited)
    if request.method == "POST":
        start = _parse_start(request.POST.get("beginn", ""))
        if start is None:
            error, status = _("Please choose a time."), 422
        else:
            try:
                booking = booking_rebook(booking=booking, start=start)
            except AppointmentError as refusal:
                error, status = str(refusal), 409
            else:
                messages.success(request, _("Your appointment has been moved. We have sent you a new confirmation."))
                return redirect(booking_path(booking, "manage"))
    try:
        chosen = selectors.concerns_resolve(location=location, service_keys=booking.service_keys)
    except AppointmentError as refusal:
        return _link_invalid(request, LinkInvalid(str(refusal), code="link_used"))
    context = {
        **_details(booking),
        "token": token,
        "location": location,
        "error": error,
        **_picker(request, location, chosen, {}),
    }
    return render(request, "appointments/rebook.html", context, status=status)


@require_GET
def calendar_file(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        booking = booking_from_token(municipality=municipality_or_404(request), token=token, purpose="manage")
    except LinkInvalid as invalid:
        return _link_invalid(request, invalid)
    details = _details(booking)
    manage_url = request.build_absolute_uri(booking_path(booking, "manage"))
    response = HttpResponse(
        booking_ics(booking, concerns=details["concerns"], manage_url=manage_url), content_type="text/calendar"
    )
    response["Content-Disposition"] = 'attachment; filename="termin.ics"'
    return response


@never_cache
@require_GET
def display(request: MunicipalityRequest, slug: str) -> HttpResponse:
    """The waiting-room display: the numbers called and their counters, large; `?teil=liste` is the part the
    display's script reloads every few seconds. Numbers only, no names."""
    location = _location(request, slug)
    calls, waiting = selectors.display_calls(location=location)
    context = {"location": location, "calls": calls, "waiting": waiting}
    if request.GET.get("teil") == "liste":
        return render(request, "appointments/_display_calls.html", context)
    return render(request, "appointments/display.html", context)
