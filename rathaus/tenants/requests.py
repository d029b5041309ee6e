from django.http import Http404, HttpRequest

from .models import Municipality


class MunicipalityRequest(HttpRequest):
    """A request after MunicipalityMiddleware: it knows the municipality of its host (None when none is set up)."""

    municipality: Municipality | None


def municipality_or_404(request: MunicipalityRequest) -> Municipality:
    """The request's municipality; a 404 on a host without one (nothing is shown outside a municipality)."""
    if request.municipality is None:
        raise Http404
    return request.municipality
