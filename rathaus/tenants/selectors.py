"""Reads of municipalities: host mapping and lists."""

from django.conf import settings
from django.db.models import QuerySet

from .models import Department, Municipality


def municipality_for_host(host: str) -> Municipality | None:
    """The municipality served under `host` (port ignored), else the configured default, else None."""
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    hostname = hostname.strip().lower().rstrip(".")
    municipality = Municipality.objects.filter(domains__host=hostname).first()
    if municipality is not None:
        return municipality
    return Municipality.objects.filter(slug=settings.RATHAUS_DEFAULT_MUNICIPALITY).first()


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.all()


def department_for_code(*, municipality: Municipality, code: str) -> Department | None:
    return municipality.departments.filter(code=code).first()
