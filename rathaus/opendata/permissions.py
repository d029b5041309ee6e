"""Who may edit which datasets: a municipality admin all of the municipality's, a department admin those of the
department's organisation. Everyone else (caseworkers, team leads, other municipalities) none."""

from __future__ import annotations

from django.db.models import QuerySet

from rathaus.accounts.models import StaffRole, User
from rathaus.tenants.models import Municipality

from .models import Dataset, Organization

EDITOR_ROLES = (StaffRole.Role.MUNICIPALITY_ADMIN, StaffRole.Role.DEPARTMENT_ADMIN)


def organizations_editable(*, user: User, municipality: Municipality) -> QuerySet[Organization]:
    roles = StaffRole.objects.filter(user=user, municipality=municipality)
    organizations = Organization.objects.filter(municipality=municipality)
    if roles.filter(role=StaffRole.Role.MUNICIPALITY_ADMIN).exists():
        return organizations
    departments = roles.filter(role=StaffRole.Role.DEPARTMENT_ADMIN).values("department")
    return organizations.filter(department__in=departments)


def datasets_editable(*, user: User, municipality: Municipality) -> QuerySet[Dataset]:
    return Dataset.objects.filter(organization__in=organizations_editable(user=user, municipality=municipality))


def may_edit_open_data(*, user: User, municipality: Municipality) -> bool:
    return StaffRole.objects.filter(user=user, municipality=municipality, role__in=EDITOR_ROLES).exists()
