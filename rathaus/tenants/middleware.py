from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import municipality_for_host


class MunicipalityMiddleware:
    """Sets `request.municipality` from the host name, so every view works within one municipality."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = municipality_for_host(request.get_host())
        return self.get_response(request)
