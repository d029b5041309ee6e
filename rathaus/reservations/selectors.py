"""Reads of reservations, always within one municipality; staff see the resources of their departments only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from rathaus.accounts.models import StaffRole, User
from rathaus.tenants.models import Municipality

from .availability import aware
from .models import Reservation, Resource

if TYPE_CHECKING:
    from rathaus.payments.models import Payment

DECIDING_ROLES = (StaffRole.Role.CASEWORKER, StaffRole.Role.TEAM_LEAD, StaffRole.Role.DEPARTMENT_ADMIN)


def resource_list(*, municipality: Municipality, kind: str = "", service_key: str = "") -> list[Resource]:
    """Resources that take requests, by kind and name; `kind` and `service_key` narrow the list when given."""
    resources = Resource.objects.filter(municipality=municipality, active=True)
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    if service_key:
        resources = resources.filter(service_key=service_key)
    return list(resources.order_by("kind", "name"))


def resource_get(*, municipality: Municipality, slug: str) -> Resource | None:
    return (
        Resource.objects.filter(municipality=municipality, slug=slug, active=True)
        .select_related("department", "municipality")
        .first()
    )


def reservation_get_for_citizen(*, municipality: Municipality, public_id: UUID | str) -> Reservation | None:
    """A reservation by id within the municipality (for pages that got the id from the citizen's own session)."""
    return (
        Reservation.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("resource", "municipality")
        .first()
    )


def reservation_payment(*, reservation: Reservation) -> Payment | None:
    """The invoice of a confirmed reservation with a fee (in rathaus.payments), or None."""
    from rathaus.payments.selectors import payment_get

    return payment_get(public_id=reservation.payment_id) if reservation.payment_id else None


def refund_due(*, reservation: Reservation, payment: Payment | None) -> bool:
    """A cancelled reservation whose fee had been paid: staff have to arrange the refund."""
    from rathaus.payments.models import PaymentStatus

    paid = payment is not None and payment.status == PaymentStatus.SUCCEEDED
    return reservation.status == Reservation.Status.CANCELLED and paid


# --- staff -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffScope:
    """What a staff member may see: everything of the municipality, or the resources of some departments."""

    everything: bool
    department_ids: frozenset[int]

    def allows(self, resource: Resource) -> bool:
        return self.everything or resource.department_id in self.department_ids


def staff_scope(*, user: User, municipality: Municipality) -> StaffScope:
    roles = list(StaffRole.objects.filter(user=user, municipality=municipality).values_list("role", "department_id"))
    return StaffScope(
        everything=any(role == StaffRole.Role.MUNICIPALITY_ADMIN for role, _department in roles),
        department_ids=frozenset(
            department for role, department in roles if department is not None and role in DECIDING_ROLES
        ),
    )


def may_decide(*, user: User, resource: Resource) -> bool:
    """Staff of the resource's department (caseworker, team lead, department admin) and municipality admins."""
    return staff_scope(user=user, municipality=resource.municipality).allows(resource)


def resources_for_staff(*, user: User, municipality: Municipality) -> list[Resource]:
    scope = staff_scope(user=user, municipality=municipality)
    resources = Resource.objects.filter(municipality=municipality)
    if not scope.everything:
        resources = resources.filter(department_id__in=scope.department_ids)
    return list(resources.select_related("department").order_by("kind", "name"))


def resource_get_for_staff(*, user: User, municipality: Municipality, slug: str) -> Resource | None:
    resource = Resource.objects.filter(municipality=municipality, slug=slug).select_related("department").first()
    return resource if resource is not None and may_decide(user=user, resource=resource) else None


STATUS_FILTERS = ("open", "upcoming", "all", *Reservation.Status.values)


def reservation_list_for_staff(
    *, user: User, municipality: Municipality, status: str = "open", resource: Resource | None = None, now: datetime
) -> QuerySet[Reservation]:
    """Reservations of the staff member's resources. `open` (the default): requests waiting for a decision first,
    soonest first, then the confirmed ones still to come; `upcoming`: everything still to come."""
    scope = staff_scope(user=user, municipality=municipality)
    reservations = Reservation.objects.filter(municipality=municipality).select_related("resource")
    if not scope.everything:
        reservations = reservations.filter(resource__department_id__in=scope.department_ids)
    if resource is not None:
        reservations = reservations.filter(resource=resource)
    if status == "open":
        reservations = reservations.filter(
            Q(status=Reservation.Status.REQUESTED) | Q(status=Reservation.Status.CONFIRMED, end__gt=now)
        )
    elif status == "upcoming":
        reservations = reservations.filter(end__gt=now)
    elif status in Reservation.Status.values:
        reservations = reservations.filter(status=status)
    requested_first = Case(
        When(status=Reservation.Status.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return reservations.order_by(requested_first, "start", "pk")


def reservation_get_for_staff(*, user: User, municipality: Municipality, public_id: UUID) -> Reservation | None:
    """The reservation if the staff member may see it; None for other departments and municipalities."""
    reservation = (
        Reservation.objects.filter(municipality=municipality, public_id=public_id)
        .select_related("resource", "resource__department", "municipality", "decided_by")
        .first()
    )
    if reservation is None or not may_decide(user=user, resource=reservation.resource):
        return None
    return reservation


def reservations_of_month(*, resource: Resource, month: date) -> dict[date, list[Reservation]]:
    """Requested and confirmed reservations of one month per day (for the staff calendar)."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    by_day: dict[date, list[Reservation]] = {}
    for reservation in Reservation.objects.filter(
        resource=resource,
        start__lt=aware(following, time.min),
        end__gt=aware(first, time.min),
        status__in=Reservation.HOLDING,
    ).order_by("start"):
        by_day.setdefault(timezone.localtime(reservation.start).date(), []).append(reservation)
    return by_day


def decision_recipients(*, resource: Resource) -> list[tuple[str, User | None]]:
    """Who is asked to decide a request: every staff member of the resource's department (a personal link each);
    when the department has nobody, its shared address (a link for whoever reads it); failing that, the
    municipality admins."""
    staff = User.objects.filter(
        is_active=True,
        staff_roles__municipality_id=resource.municipality_id,
        staff_roles__department_id=resource.department_id,
        staff_roles__role__in=DECIDING_ROLES,
    ).exclude(email="")
    people = list(staff.distinct().order_by("pk"))
    if people:
        return [(person.email, person) for person in people]
    if resource.department.email:
        return [(resource.department.email, None)]
    admins = User.objects.filter(
        is_active=True,
        staff_roles__municipality_id=resource.municipality_id,
        staff_roles__role=StaffRole.Role.MUNICIPALITY_ADMIN,
    ).exclude(email="")
    return [(person.email, person) for person in admins.distinct().order_by("pk")]
