"""The citizen's status lookup (no login) and the Bürgerbüro's page to set statuses and upload the CSV.

The lookup answers only "ready for pickup", "already picked up" or "not ready yet"; an unknown number gets the same
answer as one in production, every lookup is rate-limited per IP address, and a run of numbers that are not ready
(a guessing run) is stopped with HTTP 429. The number is sent by POST, so it stays out of addresses and logs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.analytics.services import event_emit
from rathaus.core.clients import client_ip
from rathaus.core.ratelimit import Limit
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest, municipality_or_404

from . import selectors
from .errors import StatusRefused
from .models import DocumentStatus
from .numbers import NumberInvalid, number_normalise
from .services import status_set, statuses_import
from .status_csv import StatusesInvalid, statuses_parse

# Every lookup counts; so does every answer other than "ready" or "picked up" (unknown and in production alike, so
# the limit itself tells nothing about a number). A citizen needs a handful; a guessing run needs millions.
LOOKUPS = Limit("idstatus_lookup", limit=30, window=3600)
MISSES = Limit("idstatus_miss", limit=10, window=3600)
UPLOAD_MAX_BYTES = 2 * 1024 * 1024


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: MunicipalityRequest) -> HttpResponse:
    municipality = municipality_or_404(request)
    context: dict[str, Any] = {"values": {"nummer": ""}, "errors": {}}
    if request.method == "GET":
        return render(request, "idstatus/lookup.html", context)
    typed = request.POST.get("nummer", "").strip()[:40]
    context["values"]["nummer"] = typed
    ip = client_ip(request)
    if MISSES.exceeded(ip) or not LOOKUPS.consume(ip):
        event_emit(name="id_status_looked_up", municipality=municipality, result="limited")
        context["limited"] = True
        response = render(request, "idstatus/lookup.html", context, status=429)
        response["Retry-After"] = str(LOOKUPS.window)
        return response
    try:
        number = number_normalise(typed)
    except NumberInvalid as invalid:
        MISSES.failure(ip)
        context["errors"]["nummer"] = invalid.message
        event_emit(name="id_status_looked_up", municipality=municipality, result="invalid")
        return render(request, "idstatus/lookup.html", context)
    result = selectors.status_lookup(municipality=municipality, number=number)
    if result == selectors.NOT_READY:
        MISSES.failure(ip)
    event_emit(name="id_status_looked_up", municipality=municipality, result=result)
    context.update(result=result, number=number)
    return render(request, "idstatus/lookup.html", context)


# --- staff ----------------------------------------------------------------------------------------------------


def _staff(request: MunicipalityRequest) -> tuple[User, Municipality]:
    """The logged-in staff member if they may manage statuses here; 404 for everybody else."""
    assert isinstance(request.user, User)
    municipality = municipality_or_404(request)
    if not selectors.can_manage(user=request.user, municipality=municipality):
        raise Http404
    return request.user, municipality


def _staff_page(
    request: MunicipalityRequest,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user, municipality = _staff(request)
    statuses = selectors.statuses_for_staff(user=user, municipality=municipality)
    assert statuses is not None
    counts = selectors.status_counts(municipality=municipality)
    return render(
        request,
        "idstatus/staff.html",
        {
            "statuses": statuses[:100],
            "counts": [(label, counts[code]) for code, label in DocumentStatus.Status.choices],
            "status_choices": DocumentStatus.Status.choices,
            "kind_choices": DocumentStatus.Kind.choices,
            "values": values
            or {"nummer": "", "status": DocumentStatus.Status.READY, "dokument": DocumentStatus.Kind.ID_CARD},
            "errors": errors or {},
        },
        status=status,
    )


@never_cache
@require_GET
@staff_required
def staff_list(request: MunicipalityRequest) -> HttpResponse:
    return _staff_page(request)


@never_cache
@require_POST
@staff_required
def staff_set(request: MunicipalityRequest) -> HttpResponse:
    user, municipality = _staff(request)
    values = {name: request.POST.get(name, "").strip()[:40] for name in ("nummer", "status", "dokument")}
    try:
        record = status_set(
            municipality=municipality,
            number=values["nummer"],
            status=values["status"],
            kind=values["dokument"],
            actor=user,
        )
    except StatusRefused as refused:
        return _staff_page(request, values=values, errors={refused.field or "nummer": refused.message}, status=400)
    messages.success(
        request,
        _("%(kind)s %(hint)s: %(status)s.")
        % {"kind": record.get_kind_display(), "hint": record.number_hint, "status": record.get_status_display()},
    )
    return redirect("idstatus_staff:list")


@never_cache
@require_POST
@staff_required
def staff_import(request: MunicipalityRequest) -> HttpResponse:
    user, municipality = _staff(request)
    upload = request.FILES.get("datei")
    if upload is None:
        return _staff_page(request, errors={"datei": _("Choose the CSV file of the document system.")}, status=400)
    if upload.size is not None and upload.size > UPLOAD_MAX_BYTES:
        return _staff_page(request, errors={"datei": _("The file is larger than 2 MB.")}, status=400)
    try:
        rows = statuses_parse(upload.read())
    except StatusesInvalid as invalid:
        problems = [str(problem) for problem in invalid.problems]
        return _staff_page(request, errors={"datei": _("Nothing was imported."), "problems": problems}, status=400)
    report = statuses_import(municipality=municipality, rows=rows, actor=user)
    messages.success(
        request,
        _("Imported: %(created)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {"created": report.created, "changed": report.changed, "unchanged": report.unchanged},
    )
    return redirect("idstatus_staff:list")
