"""CKAN's dictionaries (package, resource, organization, group, tag) for the Action API.

Field names and shapes follow CKAN 2.10's package_show / organization_show / group_show, so existing clients
(ckanapi, ckanext-harvest, GovData's harvesters) read them without adaptation. Dates are naive UTC ISO strings
as CKAN writes them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from . import urls_of, vocab
from .models import Dataset, Organization, Resource, Tag, Theme

_NAMESPACE = uuid.UUID("5d0e7a52-4c1e-4c8b-9a8e-2f0c6d9b7a11")


def ckan_date(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def group_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"group:{name}"))


def group_name_for_id(value: str) -> str | None:
    return next((name for name in vocab.THEMES if group_id(name) == value), None)


def tag_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"tag:{name}"))


def organization_dict(organization: Organization, *, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": str(organization.pk),
        "name": organization.name,
        "title": organization.title,
        "display_name": organization.title,
        "description": organization.description,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_date(organization.created_at),
        "extras": [
            {"key": "kind", "value": organization.kind},
            {"key": "official_municipality_key", "value": organization.municipality.official_key},
            {"key": "municipality", "value": organization.municipality.slug},
        ],
    }
    count = package_count if package_count is not None else getattr(organization, "package_count", None)
    if count is not None:
        result["package_count"] = count
    return result


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict[str, Any]:
    info = theme.info
    result: dict[str, Any] = {
        "id": group_id(theme.name),
        "name": theme.name,
        "title": str(info.title),
        "display_name": str(info.title),
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "extras": [{"key": "uri", "value": info.iri}],
    }
    count = package_count if package_count is not None else getattr(theme, "package_count", None)
    if count is not None:
        result["package_count"] = count
    return result


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag_id(tag.name),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_dict(resource: Resource, base: str) -> dict[str, Any]:
    fmt = resource.format_info
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "format": fmt.code,
        "mimetype": fmt.media_type,
        "url": urls_of.resource_download(base, resource),
        "url_type": "upload" if resource.is_file else None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "position": resource.position,
        "state": "active",
        "resource_type": None,
        "created": ckan_date(resource.created),
        "last_modified": ckan_date(resource.last_modified),
        "metadata_modified": ckan_date(resource.last_modified),
        "uri": urls_of.resource_uri(base, resource),
    }


def package_dict(dataset: Dataset, base: str) -> dict[str, Any]:
    """The package as package_show returns it. Expects organization, themes, tags and resources prefetched."""
    licence = dataset.licence
    organization = dataset.organization
    municipality = organization.municipality
    tags = sorted(dataset.tags.all(), key=lambda tag: tag.name)
    themes = sorted(dataset.themes.all(), key=lambda theme: theme.name)
    resources = sorted(dataset.resources.all(), key=lambda resource: (resource.position, resource.created))
    extras = [
        {"key": "contributorID", "value": f'["{settings.RATHAUS_OPENDATA_CONTRIBUTOR_ID}"]'}
        if settings.RATHAUS_OPENDATA_CONTRIBUTOR_ID
        else None,
        {"key": "politicalGeocodingURI", "value": vocab.municipality_key_iri(municipality.official_key)},
        {"key": "politicalGeocodingLevelURI", "value": vocab.GEOCODING_LEVEL_MUNICIPALITY},
        {"key": "geocodingText", "value": municipality.name},
        {"key": "frequency", "value": vocab.FREQUENCY_BASE + dataset.frequency},
        {"key": "temporal_start", "value": dataset.temporal_start.isoformat()} if dataset.temporal_start else None,
        {"key": "temporal_end", "value": dataset.temporal_end.isoformat()} if dataset.temporal_end else None,
        {"key": "licenseAttributionByText", "value": attribution(dataset)},
        {"key": "uri", "value": urls_of.dataset_uri(base, dataset)},
        {"key": "generated_by", "value": dataset.generator} if dataset.generator else None,
    ]
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": urls_of.dataset_page(base, dataset),
        "version": None,
        "author": organization.title,
        "author_email": organization.email or None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "license_id": licence.id,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.is_open,
        "metadata_created": ckan_date(dataset.metadata_created),
        "metadata_modified": ckan_date(dataset.metadata_modified),
        "owner_org": str(organization.pk),
        "organization": organization_dict(organization),
        "groups": [group_dict(theme) for theme in themes],
        "tags": [tag_dict(tag) for tag in tags],
        "num_tags": len(tags),
        "resources": [resource_dict(resource, base) for resource in resources],
        "num_resources": len(resources),
        "extras": [extra for extra in extras if extra is not None],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def attribution(dataset: Dataset) -> str:
    """The name users must give under dl-by-de/2.0 (dcatde:licenseAttributionByText)."""
    organization = dataset.organization
    if organization.kind == Organization.Kind.MUNICIPALITY:
        return organization.title
    return (
        organization.title
        if organization.municipality.name in organization.title
        else (f"{organization.municipality.name}, {organization.title}")
    )
