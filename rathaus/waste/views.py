"""Citizen pages of the waste calendar (no login): find the street, see the next days and the year, subscribe to the
feed, print the year. Everything works without JavaScript: the search and the subscription are GET forms."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.analytics.services import event_emit
from rathaus.core.addresses import street_and_number
from rathaus.core.clients import client_ip
from rathaus.core.ratelimit import Limit
from rathaus.tenants.requests import MunicipalityRequest, municipality_or_404

from . import selectors
from .models import ReminderSubscription
from .pdf import year_pdf
from .reminders import (
    Purpose,
    ReminderLinkInvalid,
    reminder_confirm,
    reminder_subscribe,
    reminder_unsubscribe,
    subscription_from_token,
)
from .selectors import Place, PlaceError
from .streets import SURE

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _not_found(request: MunicipalityRequest, error: PlaceError) -> HttpResponse:
    return render(request, "waste/not_found.html", {"error": error}, status=404)


def _place(request: MunicipalityRequest, token: str) -> Place | HttpResponse:
    try:
        return selectors.place_from_token(municipality=municipality_or_404(request), token=token)
    except PlaceError as error:
        return _not_found(request, error)


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@require_GET
def start(request: MunicipalityRequest) -> HttpResponse:
    """The street search. A street that is found for sure leads to its page; a split street asks the house number;
    typos are answered with "did you mean"."""
    municipality = municipality_or_404(request)
    typed_street = request.GET.get("strasse", "").strip()[:200]
    typed_number = request.GET.get("hausnummer", "").strip()[:20]
    context: dict[str, Any] = {"values": {"strasse": typed_street, "hausnummer": typed_number}, "errors": {}}
    if "strasse" not in request.GET:
        return render(request, "waste/start.html", context)
    if not typed_street:
        context["errors"]["strasse"] = _("Please enter your street.")
        return render(request, "waste/start.html", context)
    street, number = street_and_number(typed_street, typed_number)
    matches = selectors.street_search(municipality=municipality, query=street)
    if not matches:
        context["errors"]["strasse"] = _(
            "We find no street “%(street)s” in %(municipality)s. Please check the spelling, or enter only the "
            "beginning of the name."
        ) % {"street": street, "municipality": municipality.name}
        return render(request, "waste/start.html", context)
    best = matches[0]
    if best.score < 100 and not (len(matches) == 1 and best.score >= SURE):
        context["suggestions"] = [
            {"name": match.street.name, "url": "?" + urlencode({"strasse": match.street.name, "hausnummer": number})}
            for match in matches
        ]
        return render(request, "waste/start.html", context)
    try:
        place = selectors.place_resolve(municipality=municipality, street=best.street.name, number=number)
    except PlaceError as error:
        context["values"] = {"strasse": best.street.name, "hausnummer": number}
        context["ask_number"] = True
        if error.code == "number_needed" and not number:
            context["number_needed"] = error.message
        else:
            context["errors"][error.field] = error.message
        return render(request, "waste/start.html", context)
    return redirect("waste:place", token=place.token)


@require_GET
def place(request: MunicipalityRequest, token: str) -> HttpResponse:
    found = _place(request, token)
    if isinstance(found, HttpResponse):
        return found
    municipality = municipality_or_404(request)
    today = timezone.localdate()
    dates = selectors.next_collections(municipality=municipality, place=found, today=today)
    return render(
        request,
        "waste/place.html",
        {"place": found, "dates": dates, "today": today, "years": _years(found, today)},
    )


def _years(place: Place, today: date) -> list[int]:
    years = selectors.years_with_collections(place=place)
    return [year for year in years if year >= today.year - 1] or [today.year]


@require_GET
def year(request: MunicipalityRequest, token: str, year: int) -> HttpResponse:
    found = _place(request, token)
    if isinstance(found, HttpResponse):
        return found
    municipality = municipality_or_404(request)
    collections = selectors.year_collections(place=found, year=_year(year))
    return render(
        request,
        "waste/year.html",
        {
            "place": found,
            "year": year,
            "months": selectors.months_of(year, collections),
            "count": len(collections),
            "types": selectors.waste_type_list(municipality=municipality),
            "years": _years(found, timezone.localdate()),
        },
    )


@require_GET
def year_download(request: MunicipalityRequest, token: str, year: int) -> HttpResponse:
    found = _place(request, token)
    if isinstance(found, HttpResponse):
        return found
    municipality = municipality_or_404(request)
    collections = selectors.year_collections(place=found, year=_year(year))
    body = year_pdf(
        municipality=municipality,
        place=found,
        year=year,
        collections=collections,
        types=selectors.waste_type_list(municipality=municipality),
    )
    event_emit(name="waste_calendar_pdf", municipality=municipality)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="abfallkalender-{year}-{found.token}.pdf"'
    return response


def _codes(request: MunicipalityRequest) -> list[str]:
    """Waste type codes from `arten=rest,bio` or `arten=rest&arten=bio`."""
    return [code for value in request.GET.getlist("arten") for code in value.split(",") if code.strip()]


def feed_url(request: MunicipalityRequest, place: Place, *, codes: list[str], reminder: bool) -> str:
    query = {}
    if codes:
        query["arten"] = ",".join(codes)
    if reminder:
        query["erinnerung"] = "1"
    url = request.build_absolute_uri(reverse("waste:feed", args=[place.token]))
    return f"{url}?{urlencode(query, safe=',')}" if query else url


@require_GET
def subscribe(request: MunicipalityRequest, token: str) -> HttpResponse:
    """Choose waste types and the reminder; the answer is the feed's address to copy into a calendar app."""
    found = _place(request, token)
    if isinstance(found, HttpResponse):
        return found
    municipality = municipality_or_404(request)
    types = selectors.waste_types_at(municipality=municipality, place=found)
    chosen = [code for code in _codes(request) if code in {waste_type.code for waste_type in types}]
    reminder = request.GET.get("erinnerung") == "1"
    context: dict[str, Any] = {
        "place": found,
        "types": types,
        "reminder": reminder,
        "errors": {},
        "mail_chosen": [waste_type.code for waste_type in types],
    }
    if "zeigen" not in request.GET:
        context["chosen"] = [waste_type.code for waste_type in types]
        return render(request, "waste/subscribe.html", context)
    context["chosen"] = chosen
    if not chosen:
        context["errors"]["arten"] = _("Please choose at least one waste type.")
        return render(request, "waste/subscribe.html", context)
    all_chosen = set(chosen) == {waste_type.code for waste_type in types}
    url = feed_url(request, found, codes=[] if all_chosen else chosen, reminder=reminder)
    context["feed_url"] = url
    context["webcal_url"] = "webcal://" + url.split("://", 1)[1]
    event_emit(
        name="waste_calendar_subscribed",
        municipality=municipality,
        waste_types=".".join(sorted(chosen)),
        method="ics",
    )
    return render(request, "waste/subscribe.html", context)


def _subscribe_context(request: MunicipalityRequest, place: Place) -> dict[str, Any]:
    types = selectors.waste_types_at(municipality=municipality_or_404(request), place=place)
    codes = [waste_type.code for waste_type in types]
    return {"place": place, "types": types, "chosen": codes, "mail_chosen": codes, "reminder": False, "errors": {}}


REMINDER_MAILS_PER_ADDRESS = Limit("waste_reminder_address", limit=3, window=3600)
REMINDER_MAILS_PER_IP = Limit("waste_reminder_ip", limit=20, window=3600)


@require_POST
def reminder_request(request: MunicipalityRequest, token: str) -> HttpResponse:
    """Ask for e-mail reminders: a mail with a confirmation link goes out; nothing else before it is followed."""
    found = _place(request, token)
    if isinstance(found, HttpResponse):
        return found
    municipality = municipality_or_404(request)
    context = _subscribe_context(request, found)
    email = request.POST.get("email", "").strip()[:254]
    context["email"] = email
    available = {waste_type.code for waste_type in context["types"]}
    codes = [code for code in request.POST.getlist("arten") if code in available]
    context["mail_chosen"] = codes
    try:
        validate_email(email)
    except ValidationError:
        context["errors"]["email"] = _("Please enter an e-mail address such as name@example.org.")
    if not codes:
        context["errors"]["mail_arten"] = _("Please choose at least one waste type.")
    if context["errors"]:
        return render(request, "waste/subscribe.html", context, status=400)
    if not REMINDER_MAILS_PER_IP.consume(client_ip(request)) or not REMINDER_MAILS_PER_ADDRESS.consume(email):
        context["errors"]["email"] = _("We have just sent several e-mails to this address. Please try again later.")
        return render(request, "waste/subscribe.html", context, status=429)
    reminder_subscribe(
        municipality=municipality,
        place=found,
        email=email,
        codes=[] if set(codes) == available else codes,
        language=translation.get_language() or "de",
    )
    text = _("We have sent an e-mail to %(email)s. Please confirm the reminder with the link in it.") % {"email": email}
    return render(request, "waste/reminder_done.html", {"title": _("Please confirm your e-mail address"), "text": text})


def _reminder_link(request: MunicipalityRequest, token: str, purpose: Purpose) -> ReminderSubscription | HttpResponse:
    try:
        return subscription_from_token(municipality=municipality_or_404(request), token=token, purpose=purpose)
    except ReminderLinkInvalid as invalid:
        context = {"title": _("Link not valid"), "text": invalid.message, "error": True}
        return render(request, "waste/reminder_done.html", context, status=404)


@require_http_methods(["GET", "POST"])
def reminder_confirm_view(request: MunicipalityRequest, token: str) -> HttpResponse:
    """A button, not the link itself, confirms: mail scanners that open links must not subscribe anybody."""
    subscription = _reminder_link(request, token, "confirm")
    if isinstance(subscription, HttpResponse):
        return subscription
    if request.method == "GET":
        context = {
            "title": _("Confirm the reminder"),
            "text": _("We will send a reminder to %(email)s the day before collections.")
            % {"email": subscription.email},
            "form_action": request.path,
            "button": _("Confirm reminder"),
        }
        return render(request, "waste/reminder_done.html", context)
    reminder_confirm(subscription=subscription)
    text = _("From now on you get an e-mail the day before collections. Every e-mail has a link to end it.")
    return render(request, "waste/reminder_done.html", {"title": _("Reminder confirmed"), "text": text})


@require_http_methods(["GET", "POST"])
def reminder_unsubscribe_view(request: MunicipalityRequest, token: str) -> HttpResponse:
    subscription = _reminder_link(request, token, "unsubscribe")
    if isinstance(subscription, HttpResponse):
        return subscription
    if request.method == "GET":
        context = {
            "title": _("End the reminder"),
            "text": _("You will get no more reminders at %(email)s.") % {"email": subscription.email},
            "form_action": request.path,
            "button": _("End reminder"),
        }
        return render(request, "waste/reminder_done.html", context)
    reminder_unsubscribe(subscription=subscription)
    text = _("You get no more reminders. We have deleted your e-mail address.")
    return render(request, "waste/reminder_done.html", {"title": _("Reminder ended"), "text": text})


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", content_type="text/plain; charset=utf-8", status=status)


@require_GET
def feed(request: MunicipalityRequest, token: str) -> HttpResponse:
    """The iCalendar feed. Calendar apps poll it: ETag and Last-Modified answer an unchanged feed with 304."""
    municipality = municipality_or_404(request)
    try:
        found = selectors.place_from_token(municipality=municipality, token=token)
        codes = _codes(request)
        types = selectors.waste_types_from_codes(municipality=municipality, codes=codes)
        if not codes:  # all types: those collected at the place, so that the description names no others
            types = selectors.waste_types_at(municipality=municipality, place=found) or types
    except PlaceError as error:
        status = 400 if error.code == "unknown_type" else 404
        where = _("Find your street at %(url)s") % {"url": request.build_absolute_uri(reverse("waste:start"))}
        return _text(f"{error.message}\n{where}", status)
    body, changed = selectors.place_feed(
        municipality=municipality,
        place=found,
        types=types,
        reminder=request.GET.get("erinnerung") == "1",
        today=timezone.localdate(),
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    last_modified = int(changed.timestamp()) if changed else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="abfallkalender-{found.token}.ics"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=3600)
    return response
