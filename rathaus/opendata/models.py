"""Datasets, their resources (distributions), organisations (municipalities, departments, companies) and tags.

The CKAN names are the public identifiers: an organisation's and a dataset's `name` are unique in the whole
installation, because the CKAN API and the DCAT-AP.de catalogue show the datasets of every municipality of the
installation (see README.md, "Open data").
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import vocab

# CKAN's rule for names: 2-100 characters, lower-case letters, digits, "-" and "_".
name_validator = RegexValidator(
    r"^[a-z0-9_-]{2,100}$",
    _("Use 2 to 100 characters: lower-case letters (no umlauts), digits, hyphens and underscores."),
)


class Organization(models.Model):
    """Who publishes: the municipality itself, one of its departments, or a municipal company."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        DEPARTMENT = "department", _("department")
        COMPANY = "company", _("municipal company")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="opendata_organizations"
    )
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="opendata_organizations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name in addresses"), max_length=100, unique=True, validators=[name_validator])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publishing organisation")
        verbose_name_plural = _("publishing organisations")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind="municipality"),
                name="opendata_one_municipality_organization",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=models.Q(department__isnull=False),
                name="opendata_one_organization_per_department",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """An EU data theme (a CKAN group); the rows mirror vocab.THEMES (created by a migration)."""

    name = models.CharField(max_length=10, primary_key=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(vocab.THEMES[self.name].title) if self.name in vocab.THEMES else self.name

    @property
    def info(self) -> vocab.Theme:
        return vocab.THEMES[self.name]


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A dataset (CKAN package, dcat:Dataset). Only published ones are public."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name in addresses"), max_length=100, unique=True, validators=[name_validator])
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("description"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="datasets")
    themes = models.ManyToManyField(Theme, related_name="datasets", blank=True)
    tags = models.ManyToManyField(Tag, related_name="datasets", blank=True)
    license_id = models.CharField(
        _("licence"),
        max_length=40,
        default=vocab.DEFAULT_LICENCE,
        choices=[(k, v.title) for k, v in vocab.LICENCES.items()],
    )
    contact_name = models.CharField(_("contact point"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=20, default="IRREG", choices=list(vocab.FREQUENCIES.items())
    )
    temporal_start = models.DateField(_("covers the time from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers the time until"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    # Set by the generator that keeps this dataset up to date (empty for datasets staff maintain by hand).
    generator = models.CharField(max_length=60, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    metadata_created = models.DateTimeField()
    metadata_modified = models.DateTimeField(db_index=True)
    # Title, description, tags, organisation and resource names as one text; PostgreSQL indexes it as a
    # German tsvector (migration 0002), SQLite searches it with LIKE.
    search_text = models.TextField(blank=True, editable=False)
    # The dataset's values of the multi-valued facets, ["groups:envi", "res_format:CSV", "tags:Wasser", ...], kept
    # beside the row so that facet counts read only the matched rows (no joins over the relation tables).
    facet_values = models.JSONField(default=list, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "generator"],
                condition=~models.Q(generator=""),
                name="opendata_one_generated_dataset_per_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(temporal_start__isnull=True)
                | models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__lte=models.F("temporal_end")),
                name="opendata_temporal_order",
            ),
        ]
        indexes = [models.Index(fields=["published", "metadata_modified"], name="opendata_published_modified")]

    def __str__(self) -> str:
        return self.title

    @property
    def licence(self) -> vocab.Licence:
        return vocab.LICENCES.get(self.license_id) or vocab.LICENCES[vocab.DEFAULT_LICENCE]


def resource_path(instance: Resource, filename: str) -> str:
    return f"opendata/{instance.dataset_id}/{instance.id}/{filename}"


class Resource(models.Model):
    """A resource (dcat:Distribution): an uploaded or generated file, or a link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=[(code, code) for code in vocab.FORMATS])
    file = models.FileField(upload_to=resource_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    url = models.URLField(_("address (link)"), max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    created = models.DateTimeField()
    last_modified = models.DateTimeField()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["dataset", "position", "created"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="opendata_resource_file_or_link",
            ),
        ]
        indexes = [
            # filtering by format (fq=res_format:CSV), and the format facet over a set of datasets
            models.Index(fields=["format", "dataset"], name="opendata_resource_format"),
            models.Index(fields=["dataset", "format"], name="opendata_resource_ds_format"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def format_info(self) -> vocab.Format:
        return vocab.FORMATS[self.format]
