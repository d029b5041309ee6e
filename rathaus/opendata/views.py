"""Portal pages (`/daten/`): search with facets, the dataset page with previews and downloads, the API page;
and the machine-readable addresses: the DCAT-AP.de catalogue and each dataset as Turtle, RDF/XML and JSON-LD."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import urlencode
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rathaus.core.files import private_download

from . import dcat, preview, search, selectors, urls_of, vocab
from .errors import SearchParameterError
from .models import Dataset

PAGE_SIZE = 20
# Query parameter of the page -> CKAN facet field.
FACETS = (
    ("organisation", "organization"),
    ("thema", "groups"),
    ("format", "res_format"),
    ("lizenz", "license_id"),
)


def _facet_title(field: str) -> str:
    return str(
        {
            "organization": _("Organisation"),
            "groups": _("Theme"),
            "res_format": _("Format"),
            "license_id": _("Licence"),
        }[field]
    )


def _toggled(query: QueryDict, parameter: str, value: str) -> str:
    """The search address with `value` of `parameter` switched on or off (and back on page 1)."""
    changed = query.copy()
    changed.pop("seite", None)
    values = changed.getlist(parameter)
    changed.setlist(parameter, [v for v in values if v != value] if value in values else [*values, value])
    encoded = changed.urlencode()
    return reverse("opendata:search") + (f"?{encoded}" if encoded else "")


def _label(field: str, item: search.FacetItem) -> str:
    if field == "license_id" and item.name in vocab.LICENCES:
        return vocab.LICENCES[item.name].title
    return item.display_name


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET
    q = (query.get("q") or "").strip()[:200]
    terms = [
        search.Term(field=field, value=value[:100])
        for parameter, field in FACETS
        for value in query.getlist(parameter)
        if value
    ]
    params = search.SearchParams(
        q=q,
        terms=terms,
        rows=PAGE_SIZE,
        sort="score desc, metadata_modified desc" if q else "metadata_modified desc",
        facet_fields=[field for _parameter, field in FACETS],
    )
    try:
        page_number = max(1, int(query.get("seite") or 1))
    except ValueError:
        page_number = 1
    page_number = min(page_number, search.START_MAX // PAGE_SIZE)  # beyond the last page: the last page, below
    params.start = (page_number - 1) * PAGE_SIZE
    found = search.dataset_search(params)
    if found.count and params.start >= found.count:
        page_number = 1 + (found.count - 1) // PAGE_SIZE
        params.start = (page_number - 1) * PAGE_SIZE
        found = search.dataset_search(params)
    pages = Paginator(range(found.count), PAGE_SIZE).get_page(page_number)
    facets = []
    for parameter, field in FACETS:
        chosen = query.getlist(parameter)
        items = [
            {
                "label": _label(field, item),
                "count": item.count,
                "active": item.name in chosen,
                "href": _toggled(query, parameter, item.name),
            }
            for item in found.facets[field]
        ]
        facets.append({"id": parameter, "title": _facet_title(field), "items": items})
    without_page = query.copy()
    without_page.pop("seite", None)
    return render(
        request,
        "opendata/search.html",
        {
            "query": q,
            "count": found.count,
            "datasets": found.datasets,
            "facets": facets,
            "filtered": bool(terms) or bool(q),
            "page": pages,
            "page_query": without_page.urlencode(),
            "hidden_filters": [(parameter, value) for parameter, _f in FACETS for value in query.getlist(parameter)],
        },
    )


def _dataset_or_404(name: str) -> Dataset:
    dataset = selectors.dataset_get(id_or_name=name)
    if dataset is None or dataset.name != name:
        raise Http404
    return dataset


@require_GET
def dataset_view(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_or_404(name)
    base = urls_of.base_url(request)
    resources = sorted(dataset.resources.all(), key=lambda r: (r.position, r.created))
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "themes": [theme.info for theme in dataset.themes.all()],
            "tags": sorted(tag.name for tag in dataset.tags.all()),
            "frequency": vocab.FREQUENCIES.get(dataset.frequency, dataset.frequency),
            "resources": [
                {
                    "resource": resource,
                    "download": urls_of.resource_download(base, resource),
                    "preview": preview.resource_preview(resource),
                }
                for resource in resources
            ],
            "api_url": f"{base}/api/3/action/package_show?{urlencode({'id': dataset.name})}",
            "rdf_base": f"{base}/dataset/{dataset.name}",
        },
    )


@require_GET
def download_view(request: HttpRequest, name: str, resource_id: UUID, filename: str) -> HttpResponseBase:
    dataset = _dataset_or_404(name)
    resource = selectors.resource_of_dataset(dataset=dataset, resource_id=resource_id)
    if resource is None:
        raise Http404
    if not resource.is_file:
        return HttpResponseRedirect(resource.url)
    response = private_download(
        resource.file,
        filename=resource.filename,
        content_type=resource.format_info.media_type,
        label=f"open data resource {resource.pk}",
    )
    response["Cache-Control"] = "public, max-age=300"  # open data: caches may keep it a short while
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def api_view(request: HttpRequest) -> HttpResponse:
    base = urls_of.base_url(request)
    example = selectors.dataset_names(limit=1)
    return render(request, "opendata/api.html", {"base": base, "example": example[0] if example else "beispiel"})


# --- DCAT-AP.de ----------------------------------------------------------------------------------------


def _modified_since(value: str) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise SearchParameterError("modified_since", value)
        moment = datetime.combine(day, time.min)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _rdf(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def catalog_view(request: HttpRequest, extension: str) -> HttpResponse:
    try:
        modified_since = _modified_since((request.GET.get("modified_since") or "").strip())
        page_number = int(request.GET.get("page") or 1)
    except (SearchParameterError, ValueError, OverflowError):
        return _bad_request(
            _("Use page=1, 2, … and modified_since as a date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.")
        )
    if not 1 <= page_number <= search.START_MAX // dcat.PAGE_SIZE:
        return _bad_request(
            _("Use page=1, 2, … and modified_since as a date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.")
        )
    organization = (request.GET.get("organization") or "").strip()
    datasets = selectors.datasets_for_catalog(modified_since=modified_since, organization=organization)
    page = dcat.Page(number=page_number, size=dcat.PAGE_SIZE, total=datasets.count())
    start = (page_number - 1) * page.size
    query = {key: str(request.GET.get(key)) for key in ("modified_since", "organization") if request.GET.get(key)}
    base = urls_of.base_url(request)
    graph = dcat.catalog_graph(
        base=base,
        datasets=list(datasets[start : start + page.size]),
        page=page,
        page_url=f"{base}/catalog.{extension}",
        query=query,
    )
    return _rdf(*dcat.serialize(graph, extension))


@require_GET
def dataset_rdf_view(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    dataset = selectors.dataset_get(id_or_name=name)
    if dataset is None:
        raise Http404
    return _rdf(*dcat.serialize(dcat.dataset_graph(base=urls_of.base_url(request), dataset=dataset), extension))


@require_GET
def dataset_uri_view(request: HttpRequest, dataset_id: UUID) -> HttpResponse:
    """The dataset's URI (as in the catalogue) leads people to its page."""
    dataset = selectors.dataset_get(id_or_name=str(dataset_id))
    if dataset is None:
        raise Http404
    return redirect("opendata:dataset", dataset.name)


@require_GET
def resource_uri_view(request: HttpRequest, dataset_id: UUID, resource_id: UUID) -> HttpResponse:
    resource = selectors.resource_get(id=str(resource_id))
    if resource is None or resource.dataset_id != dataset_id:
        raise Http404
    return HttpResponseRedirect(urls_of.resource_download(urls_of.base_url(request), resource))


@require_GET
def organization_uri_view(request: HttpRequest, name: str) -> HttpResponse:
    organization = selectors.organization_get(id_or_name=name)
    if organization is None:
        raise Http404
    return HttpResponseRedirect(reverse("opendata:search") + "?" + urlencode({"organisation": organization.name}))
