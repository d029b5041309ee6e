from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .requests import MunicipalityRequest
from .selectors import municipality_for_host


class MunicipalityMiddleware:
    """Sets `request.municipality` from the host name, so every view works within one municipality."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: MunicipalityRequest) -> HttpResponse:
        # The health check must answer (503) when the database is down, so it does not look anything up.
        is_health_check = request.path == "/health"
        request.municipality = None if is_health_check else municipality_for_host(request.get_host())
        return self.get_response(request)
