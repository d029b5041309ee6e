"""GET /api/v1/services and /api/v1/services/{key}: the catalogue of the municipality of the request's host."""

from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema, Status

from rathaus.core.text import NO_NUL_PATTERN
from rathaus.tenants.requests import MunicipalityRequest

from . import selectors
from .selectors import Service

router = Router(tags=["services"])


class Text(Schema):
    de: str
    en: str | None = None


class FeeOut(Schema):
    id: str
    label: Text
    type: str = Field(description="fixed, per_unit (amount times a form field) or by_choice (amount per choice)")
    amount: Decimal | None = None
    field: str | None = None
    amounts: dict[str, Decimal] | None = None


class ServiceSummaryOut(Schema):
    key: str
    leika: str | None = Field(None, description="14-digit LeiKa service key")
    name: Text
    summary: Text
    topics: list[str]
    life_situations: list[str]
    trust_level: str = Field(description="niedrig, substanziell or hoch")
    access: str = Field(description="online, online_with_appointment, appointment, reservation or report")
    url: str


class DocumentOut(Schema):
    id: str
    name: Text
    required: bool
    accept: list[str]
    max_size_mb: int


class LegalBasisOut(Schema):
    title: str
    url: str | None = None


class ServiceOut(ServiceSummaryOut):
    description: Text
    department: str | None
    guests_allowed: bool
    appointment_minutes: int | None = None
    fees: list[FeeOut]
    documents_upload: list[DocumentOut]
    documents_bring: list[Text]
    legal_basis: list[LegalBasisOut]
    processing_time_days: int
    workflow: str | None = Field(None, description="none for reservations and reports, which open no case")
    retention_years: int
    form: dict | None = Field(None, description="JSON Schema (draft 2020-12) of the form and its layout")


class ServiceListOut(Schema):
    count: int
    items: list[ServiceSummaryOut]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[dict]


class ServiceFilter(Schema):
    q: str = Field(
        "", max_length=200, pattern=NO_NUL_PATTERN, description="search words, German stemming and typo tolerance"
    )
    topic: str = Field("", max_length=60, pattern=r"^[a-z0-9_-]*$")
    life_situation: str = Field("", max_length=60, pattern=r"^[a-z0-9_-]*$")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _summary(request: MunicipalityRequest, service: Service) -> dict:
    data = service.data
    return {
        "key": service.key,
        "leika": data.get("leika"),
        "name": data["name"],
        "summary": data["summary"],
        "topics": service.topics,
        "life_situations": service.life_situations,
        "trust_level": service.trust_level,
        "access": service.access,
        "url": request.build_absolute_uri(reverse("catalog:service_detail", args=[service.key])),
    }


def _municipality(request: MunicipalityRequest):
    if request.municipality is None:
        raise Http404("No municipality is set up for this host.")
    return request.municipality


@router.get(
    "",
    response={200: ServiceListOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="List the services of this municipality",
)
def list_services(request: MunicipalityRequest, filters: Query[ServiceFilter]):
    services = selectors.service_list(
        municipality=_municipality(request),
        query=filters.q,
        topic=filters.topic,
        life_situation=filters.life_situation,
    )
    page = services[filters.offset : filters.offset + filters.limit]
    return {"count": len(services), "items": [_summary(request, service) for service in page]}


@router.get(
    "/{key}",
    response={200: ServiceOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One service by key or LeiKa key",
)
def get_service(request: MunicipalityRequest, key: str = Path(..., pattern=NO_NUL_PATTERN)):
    service = selectors.service_get(municipality=_municipality(request), key=key[:60])
    if service is None:
        return Status(404, {"detail": f"Keine Leistung mit dem Schlüssel {key[:60]!r} in dieser Kommune."})
    data = service.data
    return {
        **_summary(request, service),
        "description": data["description"],
        "department": service.department.name if service.department else None,
        "guests_allowed": data.get("guests_allowed", False),
        "appointment_minutes": data.get("appointment_minutes"),
        "fees": data["fees"],
        "documents_upload": service.documents_upload,
        "documents_bring": data.get("documents_bring", []),
        "legal_basis": service.legal_basis,
        "processing_time_days": service.processing_time_days,
        "workflow": data.get("workflow"),
        "retention_years": data["retention_years"],
        "form": data.get("form"),
    }
