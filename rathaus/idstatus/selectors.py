"""Reads of the ID document status, always within one municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, QuerySet

from rathaus.accounts.models import StaffRole

from .models import DocumentStatus
from .numbers import number_digest

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Municipality

# What a citizen is told. "not_ready" stands for "in production" and for "unknown number" alike, so that the answer
# does not tell whether a number exists.
READY, PICKED_UP, NOT_READY = "ready", "picked_up", "not_ready"


def staff_department_code() -> str:
    return str(settings.RATHAUS_ID_STATUS_DEPARTMENT)


def can_manage(*, user: User, municipality: Municipality) -> bool:
    """Staff of the municipality's Bürgerbüro (any role) and municipality admins set statuses; nobody else."""
    roles = StaffRole.objects.filter(user=user, municipality=municipality)
    return (
        roles.filter(role=StaffRole.Role.MUNICIPALITY_ADMIN).exists()
        or roles.filter(department__code=staff_department_code()).exists()
    )


def status_lookup(*, municipality: Municipality, number: str) -> str:
    """READY, PICKED_UP or NOT_READY for a normalised number (numbers.number_normalise)."""
    status = (
        DocumentStatus.objects.filter(
            municipality=municipality, number_digest=number_digest(municipality_id=municipality.pk, number=number)
        )
        .values_list("status", flat=True)
        .first()
    )
    if status == DocumentStatus.Status.READY:
        return READY
    if status == DocumentStatus.Status.PICKED_UP:
        return PICKED_UP
    return NOT_READY


def status_get(*, municipality: Municipality, number: str) -> DocumentStatus | None:
    return DocumentStatus.objects.filter(
        municipality=municipality, number_digest=number_digest(municipality_id=municipality.pk, number=number)
    ).first()


def statuses_for_staff(*, user: User, municipality: Municipality) -> QuerySet[DocumentStatus] | None:
    """The municipality's statuses, newest first, for staff who may manage them; None for everybody else."""
    if not can_manage(user=user, municipality=municipality):
        return None
    return DocumentStatus.objects.filter(municipality=municipality).order_by("-updated_at", "-pk")


def status_counts(*, municipality: Municipality) -> dict[str, int]:
    counts = dict(
        DocumentStatus.objects.filter(municipality=municipality)
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    return {status: counts.get(status, 0) for status in DocumentStatus.Status.values}


def lookup_offered(*, municipality: Municipality) -> bool:
    """Whether the municipality's Bürgerbüro publishes statuses here (for links to the lookup)."""
    return DocumentStatus.objects.filter(municipality=municipality).exists()
