from django.http import HttpRequest

from .models import Municipality


class MunicipalityRequest(HttpRequest):
    """A request after MunicipalityMiddleware: it knows the municipality of its host (None when none is set up)."""

    municipality: Municipality | None
