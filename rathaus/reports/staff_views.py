"""The back office of the Mängelmelder at /verwaltung/maengel/: list and map of the department's reports, a
report with its status, public note, photos and merging of duplicates, and (municipality admins) the Open311
API keys. Another department's or municipality's reports are a 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.audit.selectors import entries_for_object
from rathaus.core.text import ascii_digits
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest

from . import maps, selectors, services
from .errors import ReportError
from .models import Report, ReportPhoto
from .views import photo_response


def _staff(request: MunicipalityRequest) -> tuple[User, Municipality]:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    return request.user, request.municipality


def _report(request: MunicipalityRequest, pk: int) -> Report:
    user, municipality = _staff(request)
    report = selectors.report_get_for_staff(user=user, municipality=municipality, pk=pk)
    if report is None:
        raise Http404
    return report


def _photo(request: MunicipalityRequest, public_id: UUID) -> ReportPhoto:
    user, municipality = _staff(request)
    photo = selectors.photo_get_for_staff(user=user, municipality=municipality, public_id=public_id)
    if photo is None:
        raise Http404
    return photo


@never_cache
@require_GET
@staff_required
def report_list(request: MunicipalityRequest) -> HttpResponse:
    user, municipality = _staff(request)
    filters = selectors.StaffFilter.from_query(request.GET)
    reports = selectors.reports_for_staff(user=user, municipality=municipality, filters=filters)
    page = Paginator(reports, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "page": page,
        "filters": filters,
        "statuses": Report.Status.choices,
        "categories": selectors.categories_for_staff(user=user, municipality=municipality),
        "query": query.urlencode(),
        "is_admin": selectors.is_municipality_admin(user=user, municipality=municipality),
        "map": maps.map_context(municipality=municipality, reports=list(page.object_list)),
    }
    return maps.with_tiles(render(request, "reports/staff/list.html", context))


def _detail(
    request: MunicipalityRequest, report: Report, *, entered: dict[str, str] | None = None, error: str = "", status=200
) -> HttpResponse:
    user, municipality = _staff(request)
    context: dict[str, Any] = {
        "report": report,
        "photos": list(report.photos.all()),
        "updates": list(report.updates.all()),
        "followers": report.followers.count(),
        "duplicates": list(report.duplicates.all()),
        "statuses": [(value, label) for value, label in Report.Status.choices if value in services.STAFF_STATUSES],
        "candidates": selectors.merge_candidates(user=user, report=report),
        "history": entries_for_object(object_type="report", object_id=str(report.pk)).order_by("sequence"),
        "entered": entered or {},
        "error": error,
        "map": maps.map_context(municipality=municipality, reports=[report]),
    }
    return maps.with_tiles(render(request, "reports/staff/detail.html", context, status=status))


@never_cache
@require_GET
@staff_required
def report_detail(request: MunicipalityRequest, pk: int) -> HttpResponse:
    return _detail(request, _report(request, pk))


@require_POST
@staff_required
def report_status(request: MunicipalityRequest, pk: int) -> HttpResponse:
    user, _municipality = _staff(request)
    report = _report(request, pk)
    entered = {"status": request.POST.get("status", "")[:30], "notiz": request.POST.get("notiz", "")[:5000]}
    try:
        services.report_status_set(report=report, status=entered["status"], note=entered["notiz"], actor=user)
    except ReportError as error:
        return _detail(request, report, entered=entered, error=str(error), status=422)
    messages.success(request, _("Saved. People who asked for updates are told by e-mail."))
    return redirect("reports_staff:detail", pk=report.pk)


@require_POST
@staff_required
def report_merge(request: MunicipalityRequest, pk: int) -> HttpResponse:
    user, municipality = _staff(request)
    report = _report(request, pk)
    text = request.POST.get("original", "").strip().lstrip("#")
    entered = {"original": text[:20], "notiz_merge": request.POST.get("notiz", "")[:5000]}
    original = (
        selectors.report_get_for_staff(user=user, municipality=municipality, pk=int(text))
        if ascii_digits(text) and len(text) < 18
        else None
    )
    if original is None:
        return _detail(
            request, report, entered=entered, error=_("Please choose the report this one duplicates."), status=422
        )
    try:
        services.report_merge(duplicate=report, original=original, actor=user, note=entered["notiz_merge"])
    except ReportError as error:
        return _detail(request, report, entered=entered, error=str(error), status=409)
    messages.success(request, _("Merged into report #%(number)s.") % {"number": original.pk})
    return redirect("reports_staff:detail", pk=original.pk)


@require_POST
@staff_required
def report_visibility(request: MunicipalityRequest, pk: int) -> HttpResponse:
    user, _municipality = _staff(request)
    report = _report(request, pk)
    services.report_visibility_set(report=report, public=request.POST.get("public") == "1", actor=user)
    messages.success(request, _("Saved."))
    return redirect("reports_staff:detail", pk=report.pk)


@never_cache
@require_GET
@staff_required
def photo(request: MunicipalityRequest, public_id: UUID) -> FileResponse:
    return photo_response(_photo(request, public_id), public=False)


@require_POST
@staff_required
def photo_release(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    user, _municipality = _staff(request)
    found = _photo(request, public_id)
    services.photo_release(photo=found, actor=user)
    messages.success(request, _("The photo is now shown publicly."))
    return redirect("reports_staff:detail", pk=found.report_id)


@require_POST
@staff_required
def photo_delete(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    user, _municipality = _staff(request)
    found = _photo(request, public_id)
    report_pk = found.report_id
    services.photo_delete(photo=found, actor=user)
    messages.success(request, _("The photo has been deleted."))
    return redirect("reports_staff:detail", pk=report_pk)


def _admin_only(request: MunicipalityRequest) -> tuple[User, Municipality]:
    user, municipality = _staff(request)
    if not selectors.is_municipality_admin(user=user, municipality=municipality):
        raise Http404
    return user, municipality


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def api_keys(request: MunicipalityRequest) -> HttpResponse:
    """Municipality admins issue keys for Open311 apps; a new key is shown on this answer only, never again."""
    user, municipality = _admin_only(request)
    created = ""
    error = ""
    name = ""
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")[:300]
        try:
            _key, created = services.api_key_create(municipality=municipality, name=name, actor=user)
        except ReportError as refusal:
            error, status = str(refusal), 422
        else:
            name = ""
    context = {
        "keys": selectors.api_key_list(municipality=municipality),
        "created": created,
        "error": error,
        "name": name,
    }
    return render(request, "reports/staff/api_keys.html", context, status=status)


@require_POST
@staff_required
def api_key_revoke(request: MunicipalityRequest, pk: int) -> HttpResponse:
    user, municipality = _admin_only(request)
    key = selectors.api_key_get(municipality=municipality, pk=pk)
    if key is None:
        raise Http404
    services.api_key_revoke(key=key, actor=user)
    messages.success(request, _("The key no longer works."))
    return redirect("reports_staff:api_keys")
