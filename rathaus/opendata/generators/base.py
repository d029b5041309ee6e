"""The generator interface: a module of Rathaus that publishes its own data as a dataset.

A generator turns what the module knows about one municipality into a dataset description and its files.
The refresh task (tasks.generated_datasets_refresh) calls every registered generator for every municipality and
stores the result; `metadata_modified` moves only when the metadata or a file's bytes differ from the last run
(compared by a hash), so a daily regeneration does not make harvesters fetch everything again.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from rathaus.tenants.models import Municipality


@dataclass(frozen=True)
class GeneratedFile:
    """One resource: `filename` identifies it between runs (same filename = same resource id and address)."""

    name: str
    format: str  # a code of vocab.FORMATS: "CSV", "JSON", "GeoJSON", "ICS", "PDF"
    filename: str
    content: bytes
    description: str = ""


@dataclass(frozen=True)
class GeneratedDataset:
    title: str
    notes: str
    files: list[GeneratedFile]
    themes: list[str] = field(default_factory=list)  # lower-case EU theme codes, e.g. ["gove"]
    tags: list[str] = field(default_factory=list)
    frequency: str = "DAILY"  # a code of vocab.FREQUENCIES
    temporal_start: date | None = None
    temporal_end: date | None = None

    def content_hash(self) -> str:
        """A hash over everything published, to tell a changed dataset from an unchanged one."""
        described = {
            "title": self.title,
            "notes": self.notes,
            "themes": sorted(self.themes),
            "tags": sorted(self.tags),
            "frequency": self.frequency,
            "temporal": [str(self.temporal_start or ""), str(self.temporal_end or "")],
            "files": [
                [f.filename, f.name, f.format, f.description, hashlib.sha256(f.content).hexdigest()] for f in self.files
            ],
        }
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


class DatasetGenerator(ABC):
    """Subclasses are registered with `@register("key")` (registry.py); the key names the dataset
    (`<municipality slug>-<key>`) and is kept in Dataset.generator."""

    key: ClassVar[str] = ""

    @abstractmethod
    def generate(self, *, municipality: Municipality) -> GeneratedDataset | None:
        """The dataset of `municipality`, or None when there is nothing to publish there (yet)."""
