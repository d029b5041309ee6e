"""Writes of municipalities, their departments and host names."""

from typing import Any

from django.db import transaction

from .models import Department, Domain, Municipality


@transaction.atomic
def municipality_ensure(*, slug: str, defaults: dict[str, Any]) -> tuple[Municipality, bool]:
    """Create the municipality `slug` unless it exists; an existing one is left exactly as it is."""
    existing = Municipality.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    municipality = Municipality(slug=slug, **defaults)
    municipality.full_clean()
    municipality.save()
    return municipality, True


@transaction.atomic
def department_ensure(*, municipality: Municipality, code: str, name: str, email: str = "") -> Department:
    department, _created = Department.objects.get_or_create(
        municipality=municipality, code=code, defaults={"name": name, "email": email}
    )
    return department


@transaction.atomic
def domain_ensure(*, municipality: Municipality, host: str, is_primary: bool = False) -> Domain:
    domain = Domain.objects.filter(host=host.lower()).first()
    if domain is None:
        domain = Domain(municipality=municipality, host=host, is_primary=is_primary)
        domain.full_clean()
        domain.save()
    return domain
