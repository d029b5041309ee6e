"""Writes of the service catalogue: importing definitions, offering them, municipal overrides."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from rathaus.tenants.models import Municipality

from .definition_schema import DEFINITION, FEES, TEXT
from .definitions import (
    TAXONOMY_FILE,
    Definition,
    DefinitionInvalid,
    Problem,
    Taxonomy,
    definition_files,
    definition_load,
    fee_problems,
    taxonomy_load,
)
from .models import ServiceDefinition, ServiceOffering, Taxon


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def definitions_validate(
    path: Path, *, taxonomy_path: Path | None = None, progress: Callable[[int, int, str], None] | None = None
) -> tuple[Taxonomy, list[Definition]]:
    """Validate the taxonomy and every definition under `path`. Raises DefinitionInvalid with all problems."""
    if taxonomy_path is None:
        folder = path if path.is_dir() else path.parent
        taxonomy_path = folder / TAXONOMY_FILE
    if not taxonomy_path.exists():
        raise DefinitionInvalid([Problem(str(taxonomy_path), "", "taxonomy file not found; pass --taxonomy")])
    taxonomy = taxonomy_load(taxonomy_path)
    files = definition_files(path)
    if not files:
        raise DefinitionInvalid([Problem(str(path), "", "no *.yaml service definitions found here")])
    definitions, problems = [], []
    for number, file in enumerate(files, start=1):
        if progress:
            progress(number, len(files), file.name)
        try:
            definitions.append(definition_load(file, taxonomy))
        except DefinitionInvalid as invalid:
            problems += invalid.problems
    if problems:
        raise DefinitionInvalid(problems)
    return taxonomy, definitions


@transaction.atomic
def definitions_import(
    *, taxonomy: Taxonomy, definitions: Iterable[Definition], owner: Municipality | None = None
) -> ImportReport:
    """Store validated definitions. Unchanged files change nothing; municipal overrides are never touched."""
    _taxonomy_store(taxonomy)
    report = ImportReport()
    existing = {d.key: d for d in ServiceDefinition.objects.filter(owner=owner)}
    for definition in definitions:
        data = definition.data
        fields = {
            "leika": data.get("leika", ""),
            "name": data["name"],
            "trust_level": data["trust_level"],
            "access": data["access"],
            "department_code": data["department"],
            "data": data,
            "content_hash": definition.content_hash,
            "source": definition.source,
        }
        current = existing.get(definition.key)
        if current is None:
            created = ServiceDefinition.objects.create(key=definition.key, owner=owner, **fields)
            if owner is not None:
                ServiceOffering.objects.create(municipality=owner, definition=created)
            report.created.append(definition.key)
        elif current.content_hash == definition.content_hash:
            report.unchanged.append(definition.key)
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save(update_fields=[*fields, "updated_at"])
            report.updated.append(definition.key)
    return report


def _taxonomy_store(taxonomy: Taxonomy) -> None:
    for kind, entries in (
        (Taxon.Kind.TOPIC, taxonomy.topics),
        (Taxon.Kind.LIFE_SITUATION, taxonomy.life_situations),
    ):
        for position, (code, name) in enumerate(entries.items()):
            Taxon.objects.update_or_create(kind=kind, code=code, defaults={"name": name, "position": position})


@transaction.atomic
def offerings_enable(*, municipality: Municipality, keys: Iterable[str] | None = None) -> list[str]:
    """Offer shared definitions in `municipality` (all when `keys` is None). Returns the keys newly offered."""
    definitions = ServiceDefinition.objects.filter(owner__isnull=True)
    if keys is not None:
        wanted = set(keys)
        definitions = definitions.filter(key__in=wanted)
        unknown = wanted - set(definitions.values_list("key", flat=True))
        if unknown:
            raise ValidationError(_("Unknown service keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    enabled = []
    for definition in definitions:
        offering, created = ServiceOffering.objects.get_or_create(municipality=municipality, definition=definition)
        if created:
            enabled.append(definition.key)
        elif not offering.enabled:
            offering.enabled = True
            offering.save(update_fields=["enabled", "updated_at"])
            enabled.append(definition.key)
    return enabled


@transaction.atomic
def offerings_add_missing(*, municipality: Municipality, disabled: Iterable[str] = ()) -> list[str]:
    """Create offerings for shared definitions the municipality has no decision on yet; never change existing ones.

    Keys in `disabled` are recorded as not offered. Returns the keys newly offered.
    """
    decided = set(municipality.offerings.values_list("definition_id", flat=True))
    disabled = set(disabled)
    added = []
    for definition in ServiceDefinition.objects.filter(owner__isnull=True).exclude(pk__in=decided):
        enabled = definition.key not in disabled
        ServiceOffering.objects.create(municipality=municipality, definition=definition, enabled=enabled)
        if enabled:
            added.append(definition.key)
    return added


def offering_overrides_check(*, definition: ServiceDefinition, overrides: Any) -> list[str]:
    """Problems with a municipality's overrides, as translated messages (empty when valid)."""
    if not isinstance(overrides, dict):
        return [_("Overrides must be an object with the keys name, summary, description or fees.")]
    problems = []
    for name, value in overrides.items():
        if name not in ServiceOffering.OVERRIDABLE:
            problems.append(
                _("%(name)s cannot be overridden; allowed are: %(allowed)s")
                % {"name": name, "allowed": ", ".join(ServiceOffering.OVERRIDABLE)}
            )
            continue
        schema = FEES if name == "fees" else TEXT
        validator = Draft202012Validator({**schema, "$defs": DEFINITION["$defs"]})
        for error in validator.iter_errors(value):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            problems.append(f"{name}{where}: {error.message}")
        if name == "fees" and not problems:
            properties = (definition.data.get("form") or {}).get("schema", {}).get("properties", {})
            for index, fee in enumerate(value):
                if fee["type"] != "fixed" and not properties:
                    problems.append(
                        _("fees[%(index)s]: this service has no form, so only fixed fees are possible")
                        % {"index": index}
                    )
                    continue
                problems += [
                    f"{where}: {message}" for where, message in fee_problems(f"fees[{index}]", fee, properties)
                ]
    return problems


@transaction.atomic
def offering_update(
    *, offering: ServiceOffering, overrides: dict[str, Any], enabled: bool | None = None
) -> ServiceOffering:
    problems = offering_overrides_check(definition=offering.definition, overrides=overrides)
    if problems:
        raise ValidationError(problems)
    changed = []
    if overrides != offering.overrides:
        offering.overrides = overrides
        changed.append("overrides")
    if enabled is not None and enabled != offering.enabled:
        offering.enabled = enabled
        changed.append("enabled")
    if changed:
        offering.save(update_fields=[*changed, "updated_at"])
    return offering
