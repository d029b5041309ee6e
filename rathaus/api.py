"""The JSON API (django-ninja), OpenAPI 3 at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

api = NinjaAPI(
    title="Rathaus API",
    version="1",
    description="Öffentliche Schnittstelle von Rathaus: Leistungskatalog der Kommune (je nach Host-Name).",
    urls_namespace="api-v1",
)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Ungültige Anfrage.", "errors": exc.errors}, status=422)


api.add_router("/services", "rathaus.catalog.api.router")
api.add_router("/cases", "rathaus.cases.api.router")
