"""The back office of reservations (/verwaltung/reservierungen/): requests of the staff member's departments, a
calendar per resource, decisions; and the one-click decision page the link in the staff e-mail opens.

Staff of other departments or municipalities get a 404: for them the reservation does not exist. Opening the
decision link (GET) never changes anything - e-mail scanners follow links; only its form (POST, CSRF) decides.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.audit.selectors import entries_for_object
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest

from . import calendars, selectors, services
from .errors import LinkInvalid, ReservationError
from .fees import euros
from .ics import place_text
from .links import Opened, reservation_from_token
from .models import Reservation

REASON_FIELD = "grund"
HISTORY_LABELS = {
    "reservation.confirmed": gettext_lazy("confirmed"),
    "reservation.declined": gettext_lazy("declined"),
    "reservation.cancelled": pgettext_lazy("reservation", "cancelled"),
    "reservation.expired": gettext_lazy("lapsed unanswered"),
    "reservation.no_show": gettext_lazy("marked as not used"),
    "reservation.paid": gettext_lazy("fee booked as paid"),
}


def _staff(request: MunicipalityRequest) -> tuple[User, Municipality]:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    return request.user, request.municipality


def _reservation_for(request: MunicipalityRequest, public_id: UUID) -> Reservation:
    user, municipality = _staff(request)
    reservation = selectors.reservation_get_for_staff(user=user, municipality=municipality, public_id=public_id)
    if reservation is None:
        raise Http404
    return reservation


@never_cache
@require_GET
@staff_required
def reservation_list(request: MunicipalityRequest) -> HttpResponse:
    user, municipality = _staff(request)
    status = request.GET.get("stand", "open")
    status = status if status in selectors.STATUS_FILTERS else "open"
    resources = selectors.resources_for_staff(user=user, municipality=municipality)
    resource = next((r for r in resources if r.slug == request.GET.get("platz")), None)
    reservations = selectors.reservation_list_for_staff(
        user=user, municipality=municipality, status=status, resource=resource, now=timezone.now()
    )
    page = Paginator(reservations, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "reservations/staff/list.html",
        {
            "page": page,
            "resources": resources,
            "resource": resource,
            "status": status,
            "statuses": [
                ("open", _("Open requests and confirmed ones to come")),
                ("upcoming", _("Everything to come")),
                *Reservation.Status.choices,
                ("all", _("All")),
            ],
            "query": query.urlencode(),
        },
    )


def _detail(
    request: MunicipalityRequest, reservation: Reservation, *, error: str = "", reason: str = "", status: int = 200
) -> HttpResponse:
    now = timezone.now()
    payment = selectors.reservation_payment(reservation=reservation)
    return render(
        request,
        "reservations/staff/detail.html",
        {
            "reservation": reservation,
            "resource": reservation.resource,
            "place": place_text(reservation),
            "fee": euros(reservation.fee),
            "payment": payment,
            "refund_due": selectors.refund_due(reservation=reservation, payment=payment),
            "history": [
                (entry, HISTORY_LABELS.get(entry.action, entry.action))
                for entry in entries_for_object(object_type="reservation", object_id=str(reservation.public_id))
            ],
            "decidable": reservation.status == Reservation.Status.REQUESTED
            and (reservation.expires_at is None or reservation.expires_at > now),
            "cancellable": reservation.status in (Reservation.Status.REQUESTED, Reservation.Status.CONFIRMED)
            and reservation.start > now,
            "no_show_possible": reservation.status == Reservation.Status.CONFIRMED and reservation.start <= now,
            "error": error,
            "reason": reason,
        },
        status=status,
    )


@never_cache
@require_GET
@staff_required
def reservation_detail(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    return _detail(request, _reservation_for(request, public_id))


ACTIONS = ("confirm", "decline", "cancel", "no_show", "paid")


@require_POST
@staff_required
def reservation_act(request: MunicipalityRequest, public_id: UUID, action: str) -> HttpResponse:
    """One of ACTIONS on a reservation (the URL names it); a refusal shows the page again with what was typed."""
    if action not in ACTIONS:
        raise Http404
    user, _municipality = _staff(request)
    reservation = _reservation_for(request, public_id)
    reason = request.POST.get(REASON_FIELD, "")
    try:
        if action == "confirm":
            services.reservation_confirm(reservation=reservation, actor=user)
            messages.success(request, _("The reservation is confirmed. The citizen has been told by e-mail."))
        elif action == "decline":
            services.reservation_decline(reservation=reservation, actor=user, reason=reason)
            messages.success(request, _("The request is declined. The citizen has been told the reason by e-mail."))
        elif action == "cancel":
            services.reservation_cancel(reservation=reservation, actor=user, reason=reason)
            messages.success(request, _("The reservation is cancelled. The citizen has been told by e-mail."))
        elif action == "no_show":
            services.reservation_no_show(reservation=reservation, actor=user)
            messages.success(request, _("The reservation is marked as not used."))
        else:
            if services.reservation_payment_book(
                reservation=reservation, actor=user, reference=request.POST.get("referenz", "")[:100]
            ):
                messages.success(request, _("The payment has been booked."))
    except ReservationError as refusal:
        reservation.refresh_from_db()
        return _detail(request, reservation, error=str(refusal), reason=reason, status=409)
    except PermissionDenied as refusal:
        raise Http404 from refusal
    return redirect("reservations_staff:detail", public_id=reservation.public_id)


@never_cache
@require_GET
@staff_required
def resource_calendar(request: MunicipalityRequest, slug: str) -> HttpResponse:
    user, municipality = _staff(request)
    resource = selectors.resource_get_for_staff(user=user, municipality=municipality, slug=slug)
    if resource is None:
        raise Http404
    today = timezone.localdate()
    month = calendars.parse_month(request.GET.get("monat")) or calendars.month_start(today)
    by_day = selectors.reservations_of_month(resource=resource, month=month)
    days = {
        day: {"day": day, "reservations": by_day.get(day, [])}
        for day in (month + timedelta(days=n) for n in range((calendars.last_of_month(month) - month).days + 1))
    }
    return render(
        request,
        "reservations/staff/calendar.html",
        {
            "resource": resource,
            "month": calendars.month_weeks(
                month,
                days,
                earliest=calendars.previous_month(month),
                latest=calendars.next_month(month),
            ),
            "weekdays": calendars.weekday_names(),
        },
    )


# --- the one-click decision from the e-mail --------------------------------------------------------------------


def _opened(request: MunicipalityRequest, token: str) -> Opened:
    if request.municipality is None:
        raise Http404
    opened = reservation_from_token(municipality=request.municipality, token=token, purpose="decide")
    if opened.staff is not None and not selectors.may_decide(user=opened.staff, resource=opened.reservation.resource):
        # The link went to someone who is no longer responsible for this resource.
        raise LinkInvalid(_("This link is not valid any more."), code="link_forged")
    return opened


def _decide_page(
    request: MunicipalityRequest, opened: Opened, *, token: str, error: str = "", reason: str = "", status: int = 200
) -> HttpResponse:
    reservation = opened.reservation
    return render(
        request,
        "reservations/staff/decide.html",
        {
            "reservation": reservation,
            "resource": reservation.resource,
            "place": place_text(reservation),
            "fee": euros(reservation.fee),
            "token": token,
            "staff": opened.staff,
            "error": error,
            "reason": reason,
            "lapsed": reservation.expires_at is not None and reservation.expires_at <= timezone.now(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def decide(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        opened = _opened(request, token)
    except LinkInvalid as invalid:
        if invalid.reservation is not None:
            return render(request, "reservations/staff/decided.html", {"reservation": invalid.reservation}, status=410)
        return render(request, "reservations/link_invalid.html", {"error": invalid}, status=404)
    if request.method == "GET":
        return _decide_page(request, opened, token=token)
    choice = request.POST.get("entscheidung")
    reason = request.POST.get(REASON_FIELD, "")
    link_to = "" if opened.staff else opened.reservation.resource.department.email
    try:
        if choice == "bestaetigen":
            reservation = services.reservation_confirm(
                reservation=opened.reservation, actor=opened.staff, via="link", link_to=link_to
            )
        elif choice == "ablehnen":
            reservation = services.reservation_decline(
                reservation=opened.reservation, actor=opened.staff, reason=reason, via="link", link_to=link_to
            )
        else:
            return _decide_page(request, opened, token=token, error=_("Please choose: confirm or decline."), status=422)
    except ReservationError as refusal:
        return _decide_page(request, opened, token=token, error=str(refusal), reason=reason, status=409)
    return render(request, "reservations/staff/decided.html", {"reservation": reservation, "just_now": True})
