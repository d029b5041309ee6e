from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rathaus.tenants.requests import MunicipalityRequest

from . import selectors
from .models import Taxon

MAX_QUERY_LENGTH = 200


@require_GET
def service_list(request: MunicipalityRequest) -> HttpResponse:
    municipality = request.municipality
    if municipality is None:
        raise Http404
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    topic = request.GET.get("thema", "")
    life_situation = request.GET.get("lebenslage", "")
    services = selectors.service_list(
        municipality=municipality, query=query, topic=topic, life_situation=life_situation
    )
    taxa = selectors.taxa_in_use(municipality=municipality)
    return render(
        request,
        "catalog/service_list.html",
        {
            "services": services,
            "query": query,
            "topic": topic,
            "life_situation": life_situation,
            "topics": taxa[Taxon.Kind.TOPIC],
            "life_situations": taxa[Taxon.Kind.LIFE_SITUATION],
            "filtered": bool(query or topic or life_situation),
        },
    )


def _service_or_404(request: MunicipalityRequest, key: str) -> selectors.Service:
    municipality = request.municipality
    service = selectors.service_get(municipality=municipality, key=key) if municipality else None
    if service is None:
        raise Http404
    return service


@require_GET
def service_detail(request: MunicipalityRequest, key: str) -> HttpResponse:
    from rathaus.appointments.selectors import offered_at_an_office

    service = _service_or_404(request, key)
    assert request.municipality is not None  # else the service would have been a 404
    # A service done online may also be done at the counter, for those who prefer to come in person.
    at_the_counter = service.access == "online" and offered_at_an_office(
        municipality=request.municipality, service_key=service.key
    )
    return render(request, "catalog/service_detail.html", {"service": service, "at_the_counter": at_the_counter})


@require_GET
def service_start(request: MunicipalityRequest, key: str) -> HttpResponse:
    """ "Before you start": the steps, what to have at hand, which login is needed."""
    return render(request, "catalog/service_start.html", {"service": _service_or_404(request, key)})
