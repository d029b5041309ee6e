"""Writes of the open data portal: organisations, datasets and resources. Every staff change is audited.

Dates follow CKAN: `metadata_modified` changes when the dataset's metadata or one of its resources changes, and
only then (a save without changes returns early), so harvesters that ask for `modified_since` get only real
changes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_append
from rathaus.core.files import delete_after_commit
from rathaus.tenants.models import Municipality

from . import validation, vocab
from .errors import OpendataError, StaleVersion
from .models import Dataset, Organization, Resource, Tag, Theme

TAG_PATTERN = re.compile(r"^[\w .-]{2,100}$")
RESERVED_NAMES = {"schnittstellen"}  # paths of the portal under /daten/


def slugify_name(text: str, *, limit: int = 100) -> str:
    """A CKAN name from a title: "Bäder in Musterstadt" -> "baeder-in-musterstadt"."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-")


# --- organisations ---------------------------------------------------------------------------------------


@transaction.atomic
def organizations_ensure(*, municipality: Municipality) -> Organization:
    """The municipality's own organisation and one per department (idempotent); returns the municipality's."""
    root, _created = Organization.objects.get_or_create(
        municipality=municipality,
        kind=Organization.Kind.MUNICIPALITY,
        defaults={
            "name": municipality.slug,
            "title": municipality.name,
            "email": municipality.email,
            "website": municipality.website,
        },
    )
    for department in municipality.departments.all():
        Organization.objects.get_or_create(
            department=department,
            defaults={
                "municipality": municipality,
                "kind": Organization.Kind.DEPARTMENT,
                "name": f"{municipality.slug}-{department.code}"[:100],
                "title": f"{municipality.name} – {department.name}",
                "email": department.email,
            },
        )
    return root


# --- datasets --------------------------------------------------------------------------------------------


@dataclass
class DatasetInput:
    """What staff (or a generator) say about a dataset; checked by `dataset_create` / `dataset_update`."""

    title: str
    notes: str
    organization: Organization
    contact_name: str
    contact_email: str
    name: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    license_id: str = vocab.DEFAULT_LICENCE
    contact_phone: str = ""
    frequency: str = "IRREG"
    temporal_start: date | None = None
    temporal_end: date | None = None
    published: bool = False

    FIELDS = (
        "title",
        "notes",
        "name",
        "license_id",
        "contact_name",
        "contact_email",
        "contact_phone",
        "frequency",
        "temporal_start",
        "temporal_end",
        "published",
    )


def tags_clean(tags: list[str]) -> list[str]:
    """Tags trimmed, without duplicates; ValidationError for one with characters CKAN does not allow."""
    cleaned = list(dict.fromkeys(" ".join(tag.split()) for tag in tags if tag.strip()))
    bad = [tag for tag in cleaned if not TAG_PATTERN.match(tag)]
    if bad:
        raise ValidationError(
            {"tags": _("Tags need 2 to 100 letters, digits, spaces, hyphens or dots: %(tag)s") % {"tag": bad[0]}}
        )
    return cleaned


def _check_themes(themes: list[str]) -> list[str]:
    unknown = [theme for theme in themes if theme not in vocab.THEMES]
    if unknown:
        raise ValidationError({"themes": _("Unknown theme: %(theme)s") % {"theme": unknown[0]}})
    return sorted(set(themes))


def search_text(dataset: Dataset) -> str:
    organization = dataset.organization
    parts = [
        dataset.title,
        dataset.notes,
        organization.title,
        organization.municipality.name,
        " ".join(dataset.tags.values_list("name", flat=True)) if dataset.pk else "",
        " ".join(f"{name} {fmt}" for name, fmt in dataset.resources.values_list("name", "format"))
        if dataset.pk
        else "",
    ]
    return " ".join(" ".join(parts).split()).lower()


def facet_values(dataset: Dataset) -> list[str]:
    """The dataset's values of the multi-valued facets as "<facet>:<value>" (see search.LIST_FACET_SQL)."""
    values = [f"groups:{name}" for name in dataset.themes.values_list("name", flat=True)]
    values += [f"tags:{name}" for name in dataset.tags.values_list("name", flat=True)]
    values += [f"res_format:{code}" for code in set(dataset.resources.values_list("format", flat=True))]
    return sorted(values)


def _refresh_search_text(dataset: Dataset) -> None:
    """Keep what search reads beside the row in step: the search text and the facet values."""
    dataset.search_text = search_text(dataset)
    dataset.facet_values = facet_values(dataset)
    Dataset.objects.filter(pk=dataset.pk).update(search_text=dataset.search_text, facet_values=dataset.facet_values)


def _snapshot(dataset: Dataset) -> dict[str, Any]:
    values = {name: getattr(dataset, name) for name in DatasetInput.FIELDS}
    values["organization"] = dataset.organization.name
    values["themes"] = sorted(dataset.themes.values_list("name", flat=True)) if dataset.pk else []
    values["tags"] = sorted(dataset.tags.values_list("name", flat=True)) if dataset.pk else []
    return values


def _apply(dataset: Dataset, data: DatasetInput, *, now: datetime) -> tuple[list[str], list[str]]:
    for name in DatasetInput.FIELDS:
        value = getattr(data, name)
        setattr(dataset, name, value.strip() if isinstance(value, str) else value)
    dataset.organization = data.organization
    if not dataset.name:
        dataset.name = slugify_name(dataset.title) or "datensatz"
    if dataset.name in RESERVED_NAMES:
        raise ValidationError({"name": _("This name is reserved; please choose another one.")})
    themes = _check_themes(data.themes)
    tags = tags_clean(data.tags)
    dataset.full_clean(exclude=["metadata_created", "metadata_modified"] if dataset._state.adding else None)
    return themes, tags


def _relations_set(dataset: Dataset, themes: list[str], tags: list[str]) -> None:
    # get_or_create: the rows come from a migration, but test databases flushed between tests lose them
    dataset.themes.set([Theme.objects.get_or_create(name=name)[0] for name in themes])
    dataset.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in tags])


@transaction.atomic
def dataset_create(*, actor: User | None, data: DatasetInput, generator: str = "", rule: str = "") -> Dataset:
    """A new dataset; ValidationError (per field) when the input is not acceptable."""
    now = timezone.now()
    dataset = Dataset(metadata_created=now, metadata_modified=now, generator=generator)
    themes, tags = _apply(dataset, data, now=now)
    dataset.save(force_insert=True)
    _relations_set(dataset, themes, tags)
    _refresh_search_text(dataset)
    audit_append(
        actor=actor,
        action="opendata.dataset_created",
        object_type="opendata.dataset",
        object_id=str(dataset.pk),
        municipality=dataset.organization.municipality,
        changes={key: [None, value] for key, value in _snapshot(dataset).items()},
        rule=rule,
    )
    return dataset


@transaction.atomic
def dataset_update(
    *, actor: User | None, dataset: Dataset, data: DatasetInput, version: int | None = None, rule: str = ""
) -> bool:
    """Apply `data`; True when something changed (then metadata_modified moves), False when nothing did.

    With `version` (the one the form was opened with) a concurrent change by someone else raises StaleVersion.
    """
    locked = Dataset.objects.select_for_update().select_related("organization__municipality").get(pk=dataset.pk)
    if version is not None and locked.version != version:
        raise StaleVersion(
            _("Someone else has changed this dataset in the meantime. Please check your input and save again."),
            code="stale_version",
        )
    before = _snapshot(locked)
    themes, tags = _apply(locked, data, now=timezone.now())
    after = {name: getattr(locked, name) for name in DatasetInput.FIELDS} | {
        "organization": locked.organization.name,
        "themes": themes,
        "tags": sorted(tags),
    }
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        return False
    locked.metadata_modified = timezone.now()
    locked.version += 1
    locked.save()
    _relations_set(locked, themes, tags)
    _refresh_search_text(locked)
    audit_append(
        actor=actor,
        action="opendata.dataset_changed",
        object_type="opendata.dataset",
        object_id=str(locked.pk),
        municipality=locked.organization.municipality,
        changes=changes,
        rule=rule,
    )
    dataset.refresh_from_db()
    return True


def _touch(dataset: Dataset) -> None:
    """A resource changed: the dataset's metadata_modified and version move, its search text follows."""
    Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=timezone.now())
    dataset.refresh_from_db()
    _refresh_search_text(dataset)


# --- resources -------------------------------------------------------------------------------------------


def _resource_format(format_code: str) -> str:
    fmt = vocab.format_for(format_code)
    if fmt is None:
        raise OpendataError(_("Please choose a format from the list."), code="unknown_format", field="format")
    return fmt.code


def _safe_filename(name: str, fmt: vocab.Format) -> str:
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return (slugify_name(stem, limit=80) or "daten") + fmt.extension


def _next_position(dataset: Dataset) -> int:
    last = dataset.resources.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _resource_audit(
    actor: User | None, resource: Resource, action: str, changes: dict[str, Any], rule: str = ""
) -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type="opendata.resource",
        object_id=str(resource.pk),
        municipality=resource.dataset.organization.municipality,
        changes=changes,
        rule=rule,
    )


@transaction.atomic
def resource_add_file(
    *, actor: User, dataset: Dataset, name: str, format: str, file: UploadedFile, description: str = ""
) -> Resource:
    """An uploaded file as a resource: checked by content for its format (OpendataError if it is not sound)."""
    code = _resource_format(format)
    if code not in vocab.UPLOAD_FORMATS:
        raise OpendataError(
            _("Files of this format cannot be uploaded; please give a link instead."), code="format", field="format"
        )
    checked = validation.content_check(validation.read_limited(file), code)
    return _resource_store(
        actor=actor,
        dataset=dataset,
        name=name or (file.name or ""),
        description=description,
        code=code,
        content=checked.content,
        filename=_safe_filename(file.name or name, vocab.FORMATS[code]),
    )


def _resource_store(
    *, actor: User | None, dataset: Dataset, name: str, description: str, code: str, content: bytes, filename: str
) -> Resource:
    now = timezone.now()
    resource = Resource(
        dataset=dataset,
        name=(name.strip() or filename)[:300],
        description=description.strip(),
        format=code,
        filename=filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        position=_next_position(dataset),
        created=now,
        last_modified=now,
    )
    resource.file.save(filename, ContentFile(content), save=False)
    try:
        resource.full_clean()
        resource.save(force_insert=True)
    except BaseException:
        resource.file.delete(save=False)
        raise
    _touch(dataset)
    _resource_audit(
        actor,
        resource,
        "opendata.resource_added",
        {"name": [None, resource.name], "format": [None, code], "sha256": [None, resource.sha256]},
    )
    return resource


@transaction.atomic
def resource_add_link(
    *, actor: User | None, dataset: Dataset, name: str, format: str, url: str, description: str = ""
) -> Resource:
    code = _resource_format(format)
    now = timezone.now()
    resource = Resource(
        dataset=dataset,
        name=name.strip()[:300],
        description=description.strip(),
        format=code,
        url=url.strip(),
        position=_next_position(dataset),
        created=now,
        last_modified=now,
    )
    resource.full_clean()
    if not resource.url.startswith(("https://", "http://")):
        raise ValidationError({"url": _("Please give a web address starting with https://.")})
    resource.save(force_insert=True)
    _touch(dataset)
    _resource_audit(
        actor, resource, "opendata.resource_added", {"name": [None, resource.name], "url": [None, resource.url]}
    )
    return resource


@transaction.atomic
def resource_delete(*, actor: User, resource: Resource) -> None:
    dataset = resource.dataset
    _resource_audit(actor, resource, "opendata.resource_deleted", {"name": [resource.name, None]})
    if resource.file:
        delete_after_commit(resource.file, label=f"open data resource {resource.pk}")
    resource.delete()
    _touch(dataset)


@transaction.atomic
def resource_replace_content(*, resource: Resource, content: bytes, rule: str) -> bool:
    """Generated resources: new bytes for the same resource (same id and address). False when unchanged."""
    digest = hashlib.sha256(content).hexdigest()
    if digest == resource.sha256:
        return False
    old = resource.file.name
    resource.file.save(resource.filename, ContentFile(content), save=False)
    resource.size = len(content)
    resource.sha256 = digest
    resource.last_modified = timezone.now()
    resource.save(update_fields=["file", "size", "sha256", "last_modified"])
    if old and old != resource.file.name:
        storage, name = resource.file.storage, old
        transaction.on_commit(lambda: storage.delete(name))
    _resource_audit(None, resource, "opendata.resource_regenerated", {"sha256": ["…", digest]}, rule=rule)
    return True


# --- generated datasets ----------------------------------------------------------------------------------


@transaction.atomic
def generated_dataset_refresh(*, municipality: Municipality, generator_key: str) -> str:
    """Regenerate one generated dataset; "created", "changed", "unchanged" or "nothing" (nothing to publish).

    The dataset belongs to the municipality's own organisation and is published at once; its metadata and its
    files are replaced by what the generator produces, and metadata_modified moves only when that differs.
    """
    from .generators import generator

    produced = generator(generator_key)().generate(municipality=municipality)
    if produced is None:
        return "nothing"
    rule = f"opendata.generator.{generator_key}"
    digest = produced.content_hash()
    organization = organizations_ensure(municipality=municipality)
    data = DatasetInput(
        title=produced.title,
        notes=produced.notes,
        organization=organization,
        name=f"{municipality.slug}-{generator_key}"[:100],
        contact_name=municipality.name,
        contact_email=municipality.email or organization.email or "opendata@invalid.example",
        themes=produced.themes,
        tags=produced.tags,
        frequency=produced.frequency,
        temporal_start=produced.temporal_start,
        temporal_end=produced.temporal_end,
        published=True,
    )
    dataset = Dataset.objects.filter(organization=organization, generator=generator_key).first()
    if dataset is not None and dataset.content_hash == digest:
        return "unchanged"
    outcome = "changed"
    if dataset is None:
        dataset = dataset_create(actor=None, data=data, generator=generator_key, rule=rule)
        outcome = "created"
    else:
        dataset_update(actor=None, dataset=dataset, data=data, rule=rule)
    existing = {resource.filename: resource for resource in dataset.resources.all()}
    for produced_file in produced.files:
        resource = existing.pop(produced_file.filename, None)
        if resource is None:
            _resource_store(
                actor=None,
                dataset=dataset,
                name=produced_file.name,
                description=produced_file.description,
                code=_resource_format(produced_file.format),
                content=produced_file.content,
                filename=produced_file.filename,
            )
        else:
            resource_replace_content(resource=resource, content=produced_file.content, rule=rule)
            if (resource.name, resource.description) != (produced_file.name, produced_file.description):
                resource.name, resource.description = produced_file.name, produced_file.description
                resource.save(update_fields=["name", "description"])
    for obsolete in existing.values():
        _resource_audit(None, obsolete, "opendata.resource_deleted", {"name": [obsolete.name, None]}, rule=rule)
        if obsolete.file:
            delete_after_commit(obsolete.file, label=f"open data resource {obsolete.pk}")
        obsolete.delete()
    Dataset.objects.filter(pk=dataset.pk).update(content_hash=digest, metadata_modified=timezone.now())
    _refresh_search_text(dataset)
    return outcome


@transaction.atomic
def resource_add_content(
    *,
    actor: User | None,
    dataset: Dataset,
    name: str,
    format: str,
    filename: str,
    content: bytes,
    description: str = "",
) -> Resource:
    """A file Rathaus (or a module, or the demo) produced itself, checked by content like an upload."""
    code = _resource_format(format)
    checked = validation.content_check(content, code)
    return _resource_store(
        actor=actor,
        dataset=dataset,
        name=name,
        description=description,
        code=code,
        content=checked.content,
        filename=_safe_filename(filename, vocab.FORMATS[code]),
    )
