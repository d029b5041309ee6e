"""Reads of the service catalogue, always within one municipality."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from rathaus.core.i18n import localized
from rathaus.core.text import ascii_digits
from rathaus.tenants.models import Department, Municipality

from . import search
from .models import ServiceDefinition, ServiceOffering, Taxon


@dataclass(frozen=True)
class Service:
    """A service as one municipality offers it: the definition with the municipality's overrides applied."""

    key: str
    definition_id: int
    data: dict[str, Any]
    department: Department | None
    taxa: dict[str, str]  # code -> localised name, for topics and life situations of this service
    is_shared: bool

    @property
    def leika(self) -> str:
        return self.data.get("leika", "")

    @property
    def name(self) -> str:
        return localized(self.data["name"])

    @property
    def summary(self) -> str:
        return localized(self.data["summary"])

    @property
    def description_paragraphs(self) -> list[str]:
        text = localized(self.data["description"])
        return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]

    @property
    def topics(self) -> list[str]:
        return self.data["topics"]

    @property
    def life_situations(self) -> list[str]:
        return self.data.get("life_situations", [])

    @property
    def trust_level(self) -> str:
        return self.data["trust_level"]

    @property
    def access(self) -> str:
        return self.data["access"]

    @property
    def is_fully_online(self) -> bool:
        return self.access in (
            ServiceDefinition.Access.ONLINE,
            ServiceDefinition.Access.RESERVATION,
            ServiceDefinition.Access.REPORT,
        )

    @property
    def access_label(self) -> str:
        return str(ServiceDefinition.Access(self.access).label)

    @property
    def fees(self) -> list[dict[str, Any]]:
        return self.data["fees"]

    @property
    def fee_lines(self) -> list[dict[str, Any]]:
        """Fees as lines for people: label and the amount (or range) in euros."""
        lines = []
        for fee in self.fees:
            if fee["type"] == "by_choice":
                amounts = sorted(Decimal(amount) for amount in fee["amounts"].values())
                low, high = amounts[0], amounts[-1]
            else:
                low = high = Decimal(fee["amount"])
            lines.append({"label": localized(fee["label"]), "type": fee["type"], "low": low, "high": high})
        return lines

    @property
    def is_free(self) -> bool:
        """No fee at all. A reservation's fee depends on the place (rathaus.reservations), so it is never "free"."""
        return not self.fees and self.access != ServiceDefinition.Access.RESERVATION

    @property
    def documents_upload(self) -> list[dict[str, Any]]:
        return self.data.get("documents_upload", [])

    @property
    def documents_bring(self) -> list[str]:
        return [localized(text) for text in self.data.get("documents_bring", [])]

    @property
    def legal_basis(self) -> list[dict[str, str]]:
        return self.data["legal_basis"]

    @property
    def processing_time_days(self) -> int:
        return self.data["processing_time_days"]

    @property
    def form_steps(self) -> list[str]:
        form = self.data.get("form")
        return [localized(step["title"]) for step in form["layout"]["steps"]] if form else []

    def search_texts(self) -> dict[str, str]:
        data = self.data
        return {
            "name": " ".join(data["name"].values()),
            "keywords": " ".join(data.get("keywords", [])),
            "taxa": " ".join(self.taxa.values()),
            "summary": localized(data["summary"]),
            "description": localized(data["description"]),
        }


def _taxon_names() -> dict[tuple[str, str], str]:
    return {(taxon.kind, taxon.code): localized(taxon.name) for taxon in Taxon.objects.all()}


def _service(offering: ServiceOffering, taxon_names: dict[tuple[str, str], str]) -> Service:
    definition = offering.definition
    data = {**definition.data, **offering.overrides}
    department = offering.department
    if department is None:
        department = next(
            (d for d in offering.municipality.departments.all() if d.code == definition.department_code), None
        )
    taxa = {code: taxon_names.get((Taxon.Kind.TOPIC, code), code) for code in data["topics"]}
    taxa |= {code: taxon_names.get((Taxon.Kind.LIFE_SITUATION, code), code) for code in data.get("life_situations", [])}
    return Service(
        key=definition.key,
        definition_id=definition.pk,
        data=data,
        department=department,
        taxa=taxa,
        is_shared=definition.owner_id is None,
    )


def _offerings(municipality: Municipality):
    """Enabled offerings: shared definitions, and this municipality's own ones (never another's)."""
    return (
        ServiceOffering.objects.filter(municipality=municipality, enabled=True)
        .filter(Q(definition__owner__isnull=True) | Q(definition__owner=municipality))
        .select_related("definition", "department", "municipality")
        .prefetch_related("municipality__departments")
    )


def service_list(
    *, municipality: Municipality, query: str = "", topic: str = "", life_situation: str = ""
) -> list[Service]:
    """The municipality's services, filtered, ranked by `query` when given, else alphabetical."""
    taxon_names = _taxon_names()
    services = sorted((_service(o, taxon_names) for o in _offerings(municipality)), key=lambda s: s.name.lower())
    if topic:
        services = [service for service in services if topic in service.topics]
    if life_situation:
        services = [service for service in services if life_situation in service.life_situations]
    if query.strip():
        services = search.rank(services, query)
    return services


@dataclass(frozen=True)
class ServiceSummary:
    """What lists and statistics need of a service, read without loading its whole definition."""

    key: str
    name: str
    leika: str
    department_id: int | None
    processing_time_days: int | None


def service_summaries(*, municipality: Municipality) -> list[ServiceSummary]:
    """Key, name (with the municipality's override), LeiKa key, responsible department and promised processing
    time of the municipality's services, alphabetically. A few small columns instead of every definition."""
    departments = {code: pk for code, pk in municipality.departments.values_list("code", "pk")}
    rows = (
        _offerings(municipality)
        .select_related(None)
        .prefetch_related(None)
        .values_list(
            "definition__key",
            "definition__name",
            "overrides__name",
            "definition__leika",
            "department_id",
            "definition__department_code",
            "definition__data__processing_time_days",
        )
    )
    summaries = [
        ServiceSummary(
            key=key,
            name=localized(own_name or name),
            leika=leika,
            department_id=department_id or departments.get(code),
            processing_time_days=int(days) if days is not None else None,
        )
        for key, name, own_name, leika, department_id, code, days in rows
    ]
    return sorted(summaries, key=lambda summary: summary.name.lower())


def service_count(*, municipality: Municipality) -> int:
    return _offerings(municipality).count()


def service_get(*, municipality: Municipality, key: str) -> Service | None:
    """One service of the municipality by key, or by its 14-digit LeiKa key; None if not offered here."""
    condition = Q(definition__key=key)
    if ascii_digits(key) and len(key) == 14:
        condition = Q(definition__leika=key)
    offering = _offerings(municipality).filter(condition).order_by("definition__key").first()
    return _service(offering, _taxon_names()) if offering else None


def taxa_in_use(*, municipality: Municipality) -> dict[str, list[tuple[str, str, int]]]:
    """Per kind (topic, life situation): (code, name, number of services) of the taxa that have services here."""
    counts: dict[tuple[str, str], int] = {}
    offered = _offerings(municipality).select_related(None).prefetch_related(None)
    for data in offered.values_list("definition__data", flat=True):
        for kind, field in ((Taxon.Kind.TOPIC, "topics"), (Taxon.Kind.LIFE_SITUATION, "life_situations")):
            for code in data.get(field, []):
                counts[(kind, code)] = counts.get((kind, code), 0) + 1
    in_use: dict[str, list[tuple[str, str, int]]] = {Taxon.Kind.TOPIC: [], Taxon.Kind.LIFE_SITUATION: []}
    for taxon in Taxon.objects.all():
        if (taxon.kind, taxon.code) in counts:
            in_use[taxon.kind].append((taxon.code, localized(taxon.name), counts[(taxon.kind, taxon.code)]))
    return in_use


def taxon_name(*, kind: str, code: str) -> str | None:
    taxon = Taxon.objects.filter(kind=kind, code=code).first()
    return localized(taxon.name) if taxon else None
