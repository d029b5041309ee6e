"""Who may see and act on which case: roles per municipality and department (accounts.StaffRole)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rathaus.accounts.models import StaffRole, User
from rathaus.tenants.models import Municipality

from .models import Case

# Workflow role names are the StaffRole codes; "system" is the automation, "citizen" the applicant.


def roles_for_case(*, user: User, case: Case) -> set[str]:
    """The user's roles that apply to this case: municipality-wide ones, and those of the case's department."""
    return set(
        StaffRole.objects.filter(user=user, municipality_id=case.municipality_id)
        .filter(Q(department__isnull=True) | Q(department_id=case.department_id))
        .values_list("role", flat=True)
    )


def visible_cases(*, user: User, municipality: Municipality) -> QuerySet[Case]:
    """Cases of the user's departments; a municipality admin sees all of the municipality, nobody sees others'."""
    roles = StaffRole.objects.filter(user=user, municipality=municipality)
    cases = Case.objects.filter(municipality=municipality)
    if roles.filter(role=StaffRole.Role.MUNICIPALITY_ADMIN).exists():
        return cases
    return cases.filter(department__in=roles.exclude(department__isnull=True).values("department"))
