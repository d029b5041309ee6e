"""Datasets Rathaus generates from its own data: the registry, the refresh task and honest modification dates."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.catalog.models import ServiceOffering
from rathaus.catalog.services import offering_update
from rathaus.opendata import tasks
from rathaus.opendata.generators import DatasetGenerator, generators, register
from rathaus.opendata.models import Dataset

pytestmark = [pytest.mark.opendata, pytest.mark.django_db]

KEY = "leistungskatalog"


def _generated(municipality) -> Dataset:
    return Dataset.objects.get(organization__municipality=municipality, generator=KEY)


def _csv_rows(dataset: Dataset) -> list[dict[str, str]]:
    resource = dataset.resources.get(format="CSV")
    with resource.file.open("rb") as stream:
        return list(csv.DictReader(io.StringIO(stream.read().decode())))


def test_the_service_catalogue_generator_is_registered():
    assert KEY in generators()


def test_refresh_publishes_the_service_catalogue_of_every_municipality(catalog, musterstadt, beispielhausen):
    assert tasks.refresh_all(keys=[KEY]) == {"created": 2, "changed": 0, "unchanged": 0, "nothing": 0}
    dataset = _generated(musterstadt)
    assert dataset.published and dataset.frequency == "DAILY"
    rows = _csv_rows(dataset)
    parking = next(row for row in rows if row["schluessel"] == "bewohnerparkausweis")
    assert parking["vollstaendig_online"] in ("ja", "nein")
    assert any(len(row["leika_schluessel"]) == 14 for row in rows)
    assert float(parking["gebuehr_bis_eur"]) > 0
    resource = dataset.resources.get(format="JSON")
    with resource.file.open("rb") as stream:
        assert len(json.loads(stream.read())) == len(rows)
    assert _generated(beispielhausen).name == "beispielhausen-leistungskatalog"


def test_refresh_without_changes_keeps_the_modification_date(catalog, musterstadt):
    tasks.refresh_all(keys=[KEY])
    dataset = _generated(musterstadt)
    past = timezone.now() - timedelta(days=3)
    Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=past)
    resource_ids = sorted(dataset.resources.values_list("pk", flat=True))
    entries = AuditEntry.objects.count()

    assert tasks.refresh_all(keys=[KEY])["unchanged"] == 2

    dataset.refresh_from_db()
    assert dataset.metadata_modified == past
    assert sorted(dataset.resources.values_list("pk", flat=True)) == resource_ids
    assert AuditEntry.objects.count() == entries


def test_a_changed_fee_changes_the_file_and_the_modification_date_but_not_the_addresses(catalog, musterstadt):
    tasks.refresh_all(keys=[KEY])
    dataset = _generated(musterstadt)
    past = timezone.now() - timedelta(days=3)
    Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=past)
    csv_resource = dataset.resources.get(format="CSV")
    offering = ServiceOffering.objects.get(municipality=musterstadt, definition__key="bewohnerparkausweis")
    fees = [{"id": "gebuehr", "label": {"de": "Gebühr"}, "type": "fixed", "amount": "99.00"}]
    offering_update(offering=offering, overrides={"fees": fees})

    assert tasks.refresh_all(keys=[KEY]) == {"created": 0, "changed": 1, "unchanged": 1, "nothing": 0}

    dataset.refresh_from_db()
    assert dataset.metadata_modified > past
    assert dataset.resources.get(format="CSV").pk == csv_resource.pk
    parking = next(row for row in _csv_rows(dataset) if row["schluessel"] == "bewohnerparkausweis")
    assert parking["gebuehr_ab_eur"] == parking["gebuehr_bis_eur"] == "99.00"
    assert AuditEntry.objects.filter(action="opendata.resource_regenerated", rule=f"opendata.generator.{KEY}").exists()


def test_a_municipality_without_services_gets_no_empty_dataset(musterstadt):
    assert tasks.refresh_all(keys=[KEY]) == {"created": 0, "changed": 0, "unchanged": 0, "nothing": 1}
    assert not Dataset.objects.exists()


def test_a_key_cannot_be_registered_twice():
    with pytest.raises(ImproperlyConfigured):

        @register(KEY)
        class Another(DatasetGenerator):
            def generate(self, *, municipality):
                return None


def test_rathaus_daily_runs_the_refresh(catalog, musterstadt, beispielhausen):
    out = io.StringIO()
    call_command("daily", "--now", stdout=out)
    assert "generated_datasets_refresh" in out.getvalue()
    assert Dataset.objects.filter(generator=KEY).count() == 2
