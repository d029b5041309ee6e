"""Demo ID document statuses (called by rathaus/core/demo.py), with numbers printed by `make run` to try the lookup.

These serial numbers are made up for the demo; real ones come from the document system.
"""

from __future__ import annotations

from django.db import transaction

from rathaus.tenants.models import Municipality

from .models import DocumentStatus
from .numbers import number_digest, number_hint

# (number, kind, status) per municipality
DEMO_STATUSES: dict[str, list[tuple[str, str, str]]] = {
    "musterstadt": [
        ("L01X00T47", DocumentStatus.Kind.ID_CARD, DocumentStatus.Status.READY),
        ("L01X00T58", DocumentStatus.Kind.ID_CARD, DocumentStatus.Status.IN_PRODUCTION),
        ("C01X00K63", DocumentStatus.Kind.PASSPORT, DocumentStatus.Status.READY),
    ],
    "beispielhausen": [
        ("M7F2H9R31", DocumentStatus.Kind.ID_CARD, DocumentStatus.Status.READY),
        ("F7F2H9R42", DocumentStatus.Kind.PASSPORT, DocumentStatus.Status.IN_PRODUCTION),
    ],
}


@transaction.atomic
def idstatus_demo_load(*, municipality: Municipality) -> list[str]:
    """Idempotent: creates the missing demo statuses; returns lines "number: status" for the demo summary."""
    lines = []
    for number, kind, status in DEMO_STATUSES.get(municipality.slug, []):
        DocumentStatus.objects.get_or_create(
            municipality=municipality,
            number_digest=number_digest(municipality_id=municipality.pk, number=number),
            defaults={"number_hint": number_hint(number), "kind": kind, "status": status},
        )
        lines.append(f"{number} ({DocumentStatus.Kind(kind).label}, {DocumentStatus.Status(status).label})")
    return lines
