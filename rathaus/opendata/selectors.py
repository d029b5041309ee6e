"""Reads of the open data portal.

The public reads (CKAN API, DCAT catalogue, portal pages) cover the published datasets of the whole
installation: organisations are the municipalities (and their departments and companies), so a cooperation of
cities has one portal and one catalogue for GovData. Staff reads are limited to their municipality and role.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from rathaus.accounts.models import User
from rathaus.tenants.models import Municipality

from . import permissions
from .models import Dataset, Organization, Resource, Tag, Theme
from .search import published


def _id_or_name(value: str) -> Q:
    try:
        return Q(id=uuid.UUID(str(value)))
    except ValueError:
        return Q(name=value)


def _full(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("organization__municipality", "organization__department").prefetch_related(
        "themes", "tags", "resources"
    )


def dataset_get(*, id_or_name: str) -> Dataset | None:
    """A published dataset by its id or name."""
    if not id_or_name:
        return None
    return _full(published().filter(_id_or_name(id_or_name))).first()


def dataset_names(*, limit: int | None = None, offset: int = 0) -> list[str]:
    names = published().order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


def datasets_for_catalog(*, modified_since: datetime | None = None, organization: str = "") -> QuerySet[Dataset]:
    """Published datasets for the DCAT catalogue in a stable order (oldest change first, then id)."""
    datasets = published()
    if modified_since is not None:
        datasets = datasets.filter(metadata_modified__gte=modified_since)
    if organization:
        datasets = datasets.filter(organization__name=organization)
    return _full(datasets.order_by("metadata_modified", "id"))


def organizations_with_counts() -> QuerySet[Organization]:
    """Organisations with the number of their published datasets (organisations without any included)."""
    return Organization.objects.select_related("municipality", "department").annotate(
        package_count=Count("datasets", filter=Q(datasets__published=True))
    )


def organizations_public() -> QuerySet[Organization]:
    """What organization_list shows: the municipalities, and other organisations once they publish something."""
    return organizations_with_counts().filter(Q(kind=Organization.Kind.MUNICIPALITY) | Q(package_count__gt=0))


def organization_get(*, id_or_name: str) -> Organization | None:
    if not id_or_name:
        return None
    return organizations_with_counts().filter(_id_or_name(id_or_name)).first()


def organization_datasets(*, organization: Organization, limit: int = 1000) -> list[Dataset]:
    return list(_full(published().filter(organization=organization).order_by("name"))[:limit])


def themes_with_counts() -> QuerySet[Theme]:
    return Theme.objects.annotate(package_count=Count("datasets", filter=Q(datasets__published=True)))


def theme_get(*, id_or_name: str) -> Theme | None:
    from .ckan import group_name_for_id

    name = group_name_for_id(id_or_name) or id_or_name.lower()
    return themes_with_counts().filter(name=name).first()


def theme_datasets(*, theme: Theme, limit: int = 1000) -> list[Dataset]:
    return list(_full(published().filter(themes=theme).order_by("name"))[:limit])


def tags_in_use(*, query: str = "") -> QuerySet[Tag]:
    tags = Tag.objects.filter(datasets__published=True).distinct()
    if query:
        tags = tags.filter(name__icontains=query)
    return tags.order_by("name")


def resource_get(*, id: str) -> Resource | None:
    try:
        resource_id = uuid.UUID(str(id))
    except ValueError:
        return None
    return (
        Resource.objects.filter(id=resource_id, dataset__published=True)
        .select_related("dataset__organization__municipality")
        .first()
    )


def resource_of_dataset(*, dataset: Dataset, resource_id: uuid.UUID) -> Resource | None:
    return dataset.resources.filter(id=resource_id).first()


# --- staff -------------------------------------------------------------------------------------------------


def staff_datasets(*, user: User, municipality: Municipality) -> QuerySet[Dataset]:
    return (
        permissions.datasets_editable(user=user, municipality=municipality)
        .select_related("organization")
        .annotate(resource_count=Count("resources"))
        .order_by("title")
    )


def staff_dataset_get(*, user: User, municipality: Municipality, dataset_id: uuid.UUID) -> Dataset | None:
    """The dataset if this staff member may edit it; None otherwise (others' datasets do not exist for them)."""
    return _full(permissions.datasets_editable(user=user, municipality=municipality).filter(id=dataset_id)).first()


def staff_organizations(*, user: User, municipality: Municipality) -> QuerySet[Organization]:
    return permissions.organizations_editable(user=user, municipality=municipality).order_by("kind", "title")


def municipality_organization(*, municipality: Municipality) -> Organization | None:
    return Organization.objects.filter(municipality=municipality, kind=Organization.Kind.MUNICIPALITY).first()
