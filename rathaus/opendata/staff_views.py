"""Back office (`/verwaltung/daten/`): staff create and edit datasets and their resources.

A municipality admin edits every dataset of the municipality, a department admin those of the department's
organisation (permissions.py); others' datasets are a 404. Forms that fail keep everything typed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.tenants.requests import MunicipalityRequest

from . import permissions, selectors, services
from .errors import OpendataError, StaleVersion
from .forms import DatasetForm, ResourceFileForm, ResourceLinkForm
from .models import Dataset


def _staff(request: MunicipalityRequest) -> User:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    return request.user


def _refused(request: MunicipalityRequest) -> HttpResponse:
    return render(request, "opendata/staff/refused.html", status=403)


def _editor(request: MunicipalityRequest) -> bool:
    assert request.municipality is not None
    return permissions.may_edit_open_data(user=_staff(request), municipality=request.municipality)


def _dataset(request: MunicipalityRequest, dataset_id: UUID) -> Dataset:
    assert request.municipality is not None
    dataset = selectors.staff_dataset_get(
        user=_staff(request), municipality=request.municipality, dataset_id=dataset_id
    )
    if dataset is None:
        raise Http404
    return dataset


def _organizations(request: MunicipalityRequest):
    assert request.municipality is not None
    services.organizations_ensure(municipality=request.municipality)
    return selectors.staff_organizations(user=_staff(request), municipality=request.municipality)


def _input(form: DatasetForm) -> services.DatasetInput:
    data = form.cleaned_data
    return services.DatasetInput(
        title=data["title"],
        name=data["name"],
        notes=data["notes"],
        organization=data["organization"],
        themes=data["themes"],
        tags=data["tags"],
        license_id=data["license_id"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        contact_phone=data["contact_phone"],
        frequency=data["frequency"],
        temporal_start=data["temporal_start"],
        temporal_end=data["temporal_end"],
        published=data["published"],
    )


def _errors_into(form: Form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@never_cache
@require_http_methods(["GET"])
@staff_required
def staff_list(request: MunicipalityRequest) -> HttpResponse:
    if not _editor(request):
        return _refused(request)
    assert request.municipality is not None
    _organizations(request)
    datasets = selectors.staff_datasets(user=_staff(request), municipality=request.municipality)
    return render(request, "opendata/staff/list.html", {"datasets": datasets})


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def staff_create(request: MunicipalityRequest) -> HttpResponse:
    if not _editor(request):
        return _refused(request)
    assert request.municipality is not None
    organizations = _organizations(request)
    initial = {"contact_email": request.municipality.email, "contact_name": request.municipality.name}
    form = DatasetForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(actor=_staff(request), data=_input(form))
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("The dataset was created. Now add its files or links."))
            return redirect("opendata_staff:edit", dataset.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "opendata/staff/form.html", _form_context(form=form), status=status)


def _form_context(*, form: DatasetForm, dataset: Dataset | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "dataset": dataset,
        "file_form": extra.pop("file_form", None) or ResourceFileForm(),
        "link_form": extra.pop("link_form", None) or ResourceLinkForm(),
        "resources": sorted(dataset.resources.all(), key=lambda r: (r.position, r.created)) if dataset else [],
        **extra,
    }


def _edit_form(dataset: Dataset, organizations, data=None) -> DatasetForm:
    initial = {
        **{name: getattr(dataset, name) for name in services.DatasetInput.FIELDS},
        "organization": dataset.organization,
        "themes": [theme.name for theme in dataset.themes.all()],
        "tags": ", ".join(sorted(tag.name for tag in dataset.tags.all())),
        "version": dataset.version,
    }
    return DatasetForm(data, organizations=organizations, initial=initial)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def staff_edit(request: MunicipalityRequest, dataset_id: UUID) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    form = _edit_form(dataset, _organizations(request), request.POST if request.method == "POST" else None)
    error_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.dataset_update(
                actor=_staff(request), dataset=dataset, data=_input(form), version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            _errors_into(form, error)
        except StaleVersion as error:
            error_message = error.message
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
            return redirect("opendata_staff:edit", dataset.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "opendata/staff/form.html",
        _form_context(form=form, dataset=dataset, error_message=error_message),
        status=status,
    )


def _resource_refused(request, dataset, *, file_form=None, link_form=None) -> HttpResponse:
    form = _edit_form(dataset, _organizations(request))
    context = _form_context(form=form, dataset=dataset, file_form=file_form, link_form=link_form)
    return render(request, "opendata/staff/form.html", context, status=422)


@require_POST
@staff_required
def staff_resource_file(request: MunicipalityRequest, dataset_id: UUID) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    form = ResourceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resource_add_file(
                actor=_staff(request),
                dataset=dataset,
                name=form.cleaned_data["file_name"],
                description=form.cleaned_data["file_description"],
                format=form.cleaned_data["file_format"],
                file=form.cleaned_data["file"],
            )
        except OpendataError as error:
            form.add_error("file_format" if error.field == "format" else "file", error.message)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The file was added."))
            return redirect("opendata_staff:edit", dataset.pk)
    return _resource_refused(request, dataset, file_form=form)


@require_POST
@staff_required
def staff_resource_link(request: MunicipalityRequest, dataset_id: UUID) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    form = ResourceLinkForm(request.POST)
    if form.is_valid():
        try:
            services.resource_add_link(
                actor=_staff(request),
                dataset=dataset,
                name=form.cleaned_data["link_name"],
                description=form.cleaned_data["link_description"],
                format=form.cleaned_data["link_format"],
                url=form.cleaned_data["link_url"],
            )
        except (OpendataError, ValidationError) as error:
            form.add_error("link_url", getattr(error, "message", None) or list(getattr(error, "messages", [])))
        else:
            messages.success(request, _("The link was added."))
            return redirect("opendata_staff:edit", dataset.pk)
    return _resource_refused(request, dataset, link_form=form)


@require_POST
@staff_required
def staff_resource_delete(request: MunicipalityRequest, dataset_id: UUID, resource_id: UUID) -> HttpResponse:
    dataset = _dataset(request, dataset_id)
    resource = selectors.resource_of_dataset(dataset=dataset, resource_id=resource_id)
    if resource is None:
        raise Http404
    services.resource_delete(actor=_staff(request), resource=resource)
    messages.success(request, _("The resource was removed."))
    return redirect("opendata_staff:edit", dataset.pk)
