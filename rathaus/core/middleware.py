import contextlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

# Everything is served from our own origin; no inline scripts, no third-party hosts.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: CSP and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class LanguageMiddleware:
    """German unless the visitor chose another language with the switch (cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a German town hall speaks
    German first, and English is an explicit choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class ApiJsonErrorsMiddleware:
    """Every error under /api/ is JSON, also those Django answers itself (405, 404 of unknown paths)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            if "Allow" in response:
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


def has_nul_characters(request: HttpRequest, view_kwargs: dict) -> bool:
    """True when the path, a query or form field (name or value) or a URL argument holds a NUL character."""
    values = [request.path, *view_kwargs.values()]
    values += [value for _key, items in request.GET.lists() for value in items] + list(request.GET)
    if request.method == "POST" and request.content_type != "application/json":
        with contextlib.suppress(MultiPartParserError):  # a body that cannot be read: the view answers that itself
            values += [value for _key, items in request.POST.lists() for value in items] + list(request.POST)
    return any("\x00" in value for value in values if isinstance(value, str))


def answers_nul_characters(view: Callable) -> Callable:
    """Mark a view that refuses NUL characters itself, in its protocol's own error format (Open311)."""
    view.answers_nul_characters = True  # type: ignore[attr-defined]
    return view


class NulCharactersMiddleware:
    """PostgreSQL can neither store nor compare text with NUL characters, so a request carrying one in its path,
    query or form fields is refused with 400 before any view looks it up (files in uploads are not affected).
    JSON bodies are the business of the API that reads them (its input schemas refuse NUL in the fields it uses,
    after its own authentication): a NUL in a key the API ignores harms nobody."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if getattr(view_func, "answers_nul_characters", False):
            return None
        if not has_nul_characters(request, view_kwargs):
            return None
        if request.path.startswith("/api/"):
            # The API documents 422 for malformed requests.
            detail = _("The request contains a NUL character, which cannot be processed.")
            return JsonResponse({"detail": detail, "code": "nul_character", "errors": []}, status=422)
        raise BadRequest("NUL character in the request")


def json_has_nul(value: object) -> bool:
    """True when a decoded JSON value holds a NUL character in any string, key or value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(json_has_nul(key) or json_has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(json_has_nul(item) for item in value)
    return False
