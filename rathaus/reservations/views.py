"""Citizen pages of reservations: the places, a month calendar of free times, the request, and the signed links
to see and cancel a reservation.

Everything works without JavaScript and without an account: months and days are links, times are radio buttons in
a plain form, and the links in the e-mails carry a signature instead of a login.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.core.clients import client_ip
from rathaus.core.ratelimit import Limit
from rathaus.tenants.requests import MunicipalityRequest, municipality_or_404

from . import availability, calendars, selectors
from .checks import Details, DetailsInvalid, duration_text
from .errors import LinkInvalid, ReservationError, WindowUnavailable
from .fees import euros, fee_for, fee_rule_text
from .ics import place_text, reservation_ics
from .links import reservation_from_token, reservation_path
from .models import Reservation, Resource
from .services import reservation_cancel, reservation_request

SESSION_REQUESTED = "reservations_requested"
REQUEST_LIMIT = Limit(scope="reservations.request", limit=30, window=3600)
DETAIL_FIELDS = ("name", "strasse", "plz", "ort", "email", "telefon", "personen", "anlass", "bemerkungen")


def _resource(request: MunicipalityRequest, slug: str) -> Resource:
    resource = selectors.resource_get(municipality=municipality_or_404(request), slug=slug)
    if resource is None:
        raise Http404
    return resource


def _from_link(request: MunicipalityRequest, token: str) -> Reservation:
    return reservation_from_token(municipality=municipality_or_404(request), token=token, purpose="manage").reservation


def _link_invalid(request: MunicipalityRequest, error: LinkInvalid) -> HttpResponse:
    status = 404 if error.code == "link_forged" else 410
    return render(request, "reservations/link_invalid.html", {"error": error}, status=status)


def resource_facts(resource: Resource) -> dict[str, Any]:
    """What the pages say about a resource's rules."""
    windows = availability.windows_of(resource)
    return {
        "fee_rule": fee_rule_text(resource),
        "windows": windows,
        "shortest": duration_text(resource.min_minutes),
        "longest": duration_text(resource.max_minutes),
        "season": (
            (date(2000, resource.season_first_month, 1), date(2000, resource.season_last_month, 1))
            if resource.season_first_month and resource.season_last_month
            else None
        ),
    }


@require_GET
def start(request: MunicipalityRequest) -> HttpResponse:
    resources = selectors.resource_list(
        municipality=municipality_or_404(request),
        kind=request.GET.get("art", ""),
        service_key=request.GET.get("leistung", "")[:60],
    )
    return render(
        request,
        "reservations/start.html",
        {"resources": [(resource, fee_rule_text(resource)) for resource in resources]},
    )


@require_GET
def resource_page(request: MunicipalityRequest, slug: str) -> HttpResponse:
    resource = _resource(request, slug)
    now = timezone.now()
    earliest, latest = availability.bookable_days(resource, now)
    month = calendars.parse_month(request.GET.get("monat"))
    if month is None:  # the month of the first free day
        first_free = next((d.day for d in availability.calendar(resource, earliest, latest, now) if d.free), earliest)
        month = calendars.month_start(first_free)
    month = min(max(month, calendars.month_start(earliest)), calendars.month_start(latest))
    days = availability.calendar(resource, month, calendars.last_of_month(month), now)
    shown = {d.day: d for d in days}
    context = {
        "resource": resource,
        "month": calendars.month_weeks(month, shown, earliest=earliest, latest=latest),
        "has_free": any(d.free for d in shown.values()),
        "earliest": earliest,
        "latest": latest,
        "weekdays": calendars.weekday_names(),
        **resource_facts(resource),
    }
    return render(request, "reservations/resource.html", context)


def _chosen_times(resource: Resource, values: dict[str, str]) -> tuple[Any, Any] | None:
    """[start, end) from the form: a window 'start/end', or a start plus a duration in minutes on the grid."""
    if resource.mode == Resource.Mode.WINDOWS:
        return calendars.parse_interval(values["zeit"])
    start = calendars.parse_moment(values["zeit"])
    try:
        minutes = int(values["dauer"])
    except ValueError:
        return None
    return (start, start + timedelta(minutes=minutes)) if start and 0 < minutes <= 24 * 60 else None


def _choice(resource: Resource, option: availability.Option) -> dict[str, Any]:
    """A radio button: a window with its fee, or a start on the grid with how long it stays free."""
    if resource.mode == Resource.Mode.WINDOWS:
        value = f"{option.start.isoformat()}/{option.end.isoformat()}"
        return {"option": option, "value": value, "fee": euros(fee_for(resource, option.start, option.end))}
    return {"option": option, "value": option.start.isoformat(), "fee": ""}


def _durations(resource: Resource) -> list[tuple[int, str]]:
    return [
        (minutes, duration_text(minutes))
        for minutes in range(resource.min_minutes, resource.max_minutes + 1, resource.grid_minutes)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def request_page(request: MunicipalityRequest, slug: str) -> HttpResponse:
    resource = _resource(request, slug)
    now = timezone.now()
    day = calendars.parse_day(request.GET.get("tag") or request.POST.get("tag"))
    if day is None:
        return redirect("reservations:resource", slug=resource.slug)
    [calendar_day] = availability.calendar(resource, day, day, now)
    values = {name: request.POST.get(name, "") for name in DETAIL_FIELDS}
    source = request.POST if request.method == "POST" else request.GET  # the calendar's link preselects a window
    values["zeit"] = source.get("zeit", "")
    values["dauer"] = source.get("dauer", str(resource.min_minutes))
    values["regeln"] = "1" if request.POST.get("regeln") else ""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        times = _chosen_times(resource, values)
        if not REQUEST_LIMIT.consume(client_ip(request)):
            errors["zeit"] = _("Too many requests came from your connection. Please try again in an hour.")
            status = 429
        elif times is None:
            errors["zeit"] = _("Please choose a time.")
            status = 422
        else:
            try:
                reservation = reservation_request(
                    resource=resource,
                    start=times[0],
                    end=times[1],
                    details=Details(
                        name=values["name"],
                        email=values["email"],
                        phone=values["telefon"],
                        street=values["strasse"],
                        postal_code=values["plz"],
                        city=values["ort"],
                        persons=values["personen"],
                        occasion=values["anlass"],
                        remarks=values["bemerkungen"],
                        rules_accepted=bool(values["regeln"]),
                    ),
                    language=translation.get_language() or "de",
                    actor=request.user if request.user.is_authenticated else None,
                )
            except DetailsInvalid as invalid:
                errors, status = invalid.problems, 422
            except WindowUnavailable as refusal:
                errors, status = {"zeit": str(refusal)}, 409
            except ReservationError as refusal:
                errors, status = {refusal.field or "zeit": str(refusal)}, 422
            else:
                request.session[SESSION_REQUESTED] = str(reservation.public_id)
                return redirect("reservations:requested")
    context = {
        "resource": resource,
        "day": calendar_day,
        "choices": [_choice(resource, option) for option in calendar_day.free],
        "taken": [option for option in calendar_day.options if not option.free],
        "durations": _durations(resource),
        "occasions": Reservation.Occasion.choices,
        "values": values,
        "errors": errors,
        "month": day.strftime("%Y-%m"),
        **resource_facts(resource),
    }
    return render(request, "reservations/request.html", context, status=status)


def _details(reservation: Reservation) -> dict[str, Any]:
    return {
        "reservation": reservation,
        "resource": reservation.resource,
        "place": place_text(reservation),
        "fee": euros(reservation.fee),
    }


@never_cache
@require_GET
def requested(request: MunicipalityRequest) -> HttpResponse:
    public_id = request.session.get(SESSION_REQUESTED)
    reservation = (
        selectors.reservation_get_for_citizen(municipality=municipality_or_404(request), public_id=public_id)
        if public_id
        else None
    )
    if reservation is None:
        return redirect("reservations:start")
    return render(request, "reservations/requested.html", _details(reservation))


def _with_manage_link(
    view: Callable[[MunicipalityRequest, Reservation, str], HttpResponse],
) -> Callable[[MunicipalityRequest, str], HttpResponse]:
    """Resolve the citizen's signed link first; a forged, old or used one gets its page (404 or 410)."""

    @wraps(view)
    def wrapper(request: MunicipalityRequest, token: str) -> HttpResponse:
        try:
            opened = reservation_from_token(municipality=municipality_or_404(request), token=token, purpose="manage")
        except LinkInvalid as invalid:
            return _link_invalid(request, invalid)
        return view(request, opened.reservation, token)

    return wrapper


@never_cache
@require_GET
@_with_manage_link
def manage(request: MunicipalityRequest, reservation: Reservation, token: str) -> HttpResponse:
    upcoming = reservation.start > timezone.now()
    return render(
        request,
        "reservations/manage.html",
        {
            **_details(reservation),
            "token": token,
            "cancellable": upcoming
            and reservation.status in (Reservation.Status.REQUESTED, Reservation.Status.CONFIRMED),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_with_manage_link
def cancel(request: MunicipalityRequest, reservation: Reservation, token: str) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            reservation = reservation_cancel(reservation=reservation)
        except ReservationError as refusal:
            error = str(refusal)
        else:
            return render(request, "reservations/cancelled.html", _details(reservation))
    return render(
        request,
        "reservations/cancel.html",
        {**_details(reservation), "token": token, "error": error},
        status=409 if error else 200,
    )


@require_GET
@_with_manage_link
def calendar_file(request: MunicipalityRequest, reservation: Reservation, token: str) -> HttpResponse:
    if reservation.status != Reservation.Status.CONFIRMED:
        raise Http404
    manage_url = request.build_absolute_uri(reservation_path(reservation, "manage"))
    response = HttpResponse(reservation_ics(reservation, manage_url=manage_url), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="reservierung.ics"'
    return response
