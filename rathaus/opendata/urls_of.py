"""Absolute addresses of the portal: the catalogue's base (setting or the request's origin) and the paths."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .models import Dataset, Organization, Resource


def base_url(request: HttpRequest) -> str:
    """RATHAUS_OPENDATA_BASE_URL when set (one URI per dataset whatever host was asked), else the origin asked."""
    return settings.RATHAUS_OPENDATA_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def dataset_page(base: str, dataset: Dataset) -> str:
    return base + reverse("opendata:dataset", args=[dataset.name])


def dataset_uri(base: str, dataset: Dataset) -> str:
    return f"{base}/dataset/{dataset.pk}"


def resource_uri(base: str, resource: Resource) -> str:
    return f"{base}/dataset/{resource.dataset_id}/resource/{resource.pk}"


def organization_uri(base: str, organization: Organization) -> str:
    return f"{base}/organization/{organization.name}"


def resource_download(base: str, resource: Resource) -> str:
    """Where the bytes are: our download address for files, the link itself otherwise."""
    if not resource.is_file:
        return resource.url
    return base + reverse("opendata:download", args=[resource.dataset.name, resource.pk, resource.filename or "daten"])
