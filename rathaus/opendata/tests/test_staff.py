"""The back office: who edits which datasets, validation that keeps the input, checked uploads, the audit trail."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rathaus.audit.models import AuditEntry
from rathaus.opendata.models import Dataset, Organization, Resource

pytestmark = [pytest.mark.opendata, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, staff_log_in, musterstadt_admin, demo_datasets) -> Client:
    staff_log_in(client, musterstadt_admin)
    return client


def _form(organization: Organization, **changes) -> dict[str, object]:
    return {
        "title": "Radwege in Musterstadt",
        "name": "",
        "notes": "Alle ausgeschilderten Radwege.",
        "organization": str(organization.pk),
        "themes": ["tran"],
        "tags": "Radverkehr, Mobilität",
        "license_id": "dl-by-de/2.0",
        "contact_name": "Tiefbauamt",
        "contact_email": "tiefbau@musterstadt.example",
        "contact_phone": "",
        "frequency": "ANNUAL",
        "temporal_start": "",
        "temporal_end": "",
        "published": "on",
        **changes,
    }


def test_a_municipality_admin_sees_every_dataset_of_the_municipality_and_none_of_others(admin_client):
    page = admin_client.get("/verwaltung/daten/").content.decode()
    assert "Spielplätze in Musterstadt" in page and "Bewohnerparkzonen in Musterstadt" in page
    assert "Beispielhausen" not in page.split("<main", 1)[1].split("</main>")[0]
    other = Dataset.objects.get(name="beispielhausen-trinkbrunnen")
    assert admin_client.get(f"/verwaltung/daten/{other.pk}/").status_code == 404


def test_a_department_admin_edits_only_the_departments_datasets(client, staff_log_in, traffic_admin, demo_datasets):
    staff_log_in(client, traffic_admin)
    page = client.get("/verwaltung/daten/").content.decode()
    assert "Bewohnerparkzonen in Musterstadt" in page and "Spielplätze in Musterstadt" not in page
    zones = Dataset.objects.get(name="musterstadt-bewohnerparkzonen")
    playgrounds = Dataset.objects.get(name="musterstadt-spielplaetze")
    assert client.get(f"/verwaltung/daten/{zones.pk}/").status_code == 200
    assert client.get(f"/verwaltung/daten/{playgrounds.pk}/").status_code == 404
    form_page = client.get("/verwaltung/daten/neu/").content.decode()
    assert "Straßenverkehrsbehörde" in form_page and 'value="' + str(playgrounds.organization_id) not in form_page


def test_caseworkers_are_refused(client, staff_log_in, caseworker, demo_datasets):
    staff_log_in(client, caseworker)
    assert client.get("/verwaltung/daten/").status_code == 403
    assert client.get("/verwaltung/daten/neu/").status_code == 403


def test_without_a_staff_login_the_back_office_asks_to_log_in(client, demo_datasets):
    response = client.get("/verwaltung/daten/")
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]


def test_another_municipalitys_admin_finds_nothing_of_musterstadt(staff_log_in, beispielhausen_admin, demo_datasets):
    client = Client(HTTP_HOST="beispielhausen.localhost")
    staff_log_in(client, beispielhausen_admin)
    playgrounds = Dataset.objects.get(name="musterstadt-spielplaetze")
    assert client.get(f"/verwaltung/daten/{playgrounds.pk}/").status_code == 404
    resource = playgrounds.resources.first()
    assert client.post(f"/verwaltung/daten/{playgrounds.pk}/ressourcen/{resource.pk}/entfernen/").status_code == 404
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_a_form_with_errors_keeps_everything_typed(admin_client, musterstadt):
    organization = Organization.objects.get(name="musterstadt")
    response = admin_client.post(
        "/verwaltung/daten/neu/",
        _form(
            organization,
            title="",
            contact_email="keine-adresse",
            temporal_start="2026-05-01",
            temporal_end="2026-01-01",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Alle ausgeschilderten Radwege." in page and "Radverkehr, Mobilität" in page and "keine-adresse" in page
    assert re.search(r'value="tran" id="[^"]+" checked', page)
    assert not re.search(r'value="envi" id="[^"]+" checked', page)
    assert not Dataset.objects.filter(title="").exists()


def test_creating_and_changing_a_dataset_is_audited_and_moves_the_modification_date(admin_client):
    organization = Organization.objects.get(name="musterstadt")
    response = admin_client.post("/verwaltung/daten/neu/", _form(organization))
    assert response.status_code == 302
    dataset = Dataset.objects.get(name="radwege-in-musterstadt")
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["Mobilität", "Radverkehr"]
    assert AuditEntry.objects.filter(action="opendata.dataset_created", object_id=str(dataset.pk)).exists()

    modified = dataset.metadata_modified
    unchanged = _form(organization, name=dataset.name, version=str(dataset.version))
    response = admin_client.post(f"/verwaltung/daten/{dataset.pk}/", unchanged, follow=True)
    assert (
        "Es wurde nichts geändert." in response.content.decode() or "Nothing was changed." in response.content.decode()
    )
    dataset.refresh_from_db()
    assert dataset.metadata_modified == modified

    changed = _form(organization, name=dataset.name, version=str(dataset.version), frequency="MONTHLY")
    assert admin_client.post(f"/verwaltung/daten/{dataset.pk}/", changed).status_code == 302
    dataset.refresh_from_db()
    assert dataset.frequency == "MONTHLY" and dataset.metadata_modified > modified
    entry = AuditEntry.objects.get(action="opendata.dataset_changed", object_id=str(dataset.pk))
    assert entry.changes == {"frequency": ["ANNUAL", "MONTHLY"]}


def test_the_edit_form_shows_the_period_so_that_saving_it_unchanged_keeps_it(admin_client):
    organization = Organization.objects.get(name="musterstadt")
    form = _form(organization, temporal_start="2026-05-01", temporal_end="2026-12-31")
    assert admin_client.post("/verwaltung/daten/neu/", form).status_code == 302
    dataset = Dataset.objects.get(name="radwege-in-musterstadt")
    page = admin_client.get(f"/verwaltung/daten/{dataset.pk}/").content.decode()
    # <input type="date"> shows only ISO dates: a localised "01.05.2026" would be an empty field
    assert re.search(r'name="temporal_start" value="2026-05-01"', page)
    assert re.search(r'name="temporal_end" value="2026-12-31"', page)
    shown = {**form, "name": dataset.name, "version": str(dataset.version)}
    admin_client.post(f"/verwaltung/daten/{dataset.pk}/", shown)
    dataset.refresh_from_db()
    assert (dataset.temporal_start.isoformat(), dataset.temporal_end.isoformat()) == ("2026-05-01", "2026-12-31")


def test_a_stale_form_is_refused_with_the_input_kept(admin_client):
    dataset = Dataset.objects.get(name="musterstadt-spielplaetze")
    form = _form(
        dataset.organization, name=dataset.name, title="Spielplätze (neu)", version=str(dataset.version - 1 or 99)
    )
    response = admin_client.post(f"/verwaltung/daten/{dataset.pk}/", form)
    assert response.status_code == 422
    assert "Spielplätze (neu)" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.title == "Spielplätze in Musterstadt"


def test_uploads_are_checked_by_content(admin_client):
    dataset = Dataset.objects.get(name="musterstadt-haushalt-2026")
    before = dataset.resources.count()
    url = f"/verwaltung/daten/{dataset.pk}/dateien/"
    broken = SimpleUploadedFile("kaputt.csv", b"a,b,c\n1,2\n", content_type="text/csv")
    response = admin_client.post(url, {"file_name": "Kaputt", "file_format": "CSV", "file": broken})
    assert response.status_code == 422
    assert "Kaputt" in response.content.decode()
    not_geojson = SimpleUploadedFile("punkte.geojson", json.dumps([1, 2]).encode())
    assert admin_client.post(url, {"file_format": "GeoJSON", "file": not_geojson}).status_code == 422
    assert dataset.resources.count() == before

    good = SimpleUploadedFile("Nachtrag 2026.csv", b"bereich,betrag\nSchulen,1200\n", content_type="text/csv")
    assert admin_client.post(url, {"file_name": "Nachtrag", "file_format": "CSV", "file": good}).status_code == 302
    resource = dataset.resources.get(name="Nachtrag")
    assert resource.filename == "nachtrag-2026.csv" and resource.size == len("bereich,betrag\nSchulen,1200\n")
    assert AuditEntry.objects.filter(action="opendata.resource_added", object_id=str(resource.pk)).exists()
    download = Client().get(f"/daten/{dataset.name}/ressource/{resource.pk}/{resource.filename}")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"bereich,betrag")


def test_links_are_added_and_resources_removed(admin_client):
    dataset = Dataset.objects.get(name="musterstadt-spielplaetze")
    url = f"/verwaltung/daten/{dataset.pk}/links/"
    assert (
        admin_client.post(
            url, {"link_name": "Karte", "link_format": "HTML", "link_url": "javascript:alert(1)"}
        ).status_code
        == 422
    )
    response = admin_client.post(
        url, {"link_name": "Karte", "link_format": "HTML", "link_url": "https://karte.musterstadt.example/"}
    )
    assert response.status_code == 302
    link = dataset.resources.get(name="Karte")
    assert link.url == "https://karte.musterstadt.example/" and not link.is_file
    assert admin_client.post(f"/verwaltung/daten/{dataset.pk}/ressourcen/{link.pk}/entfernen/").status_code == 302
    assert not Resource.objects.filter(pk=link.pk).exists()
    assert AuditEntry.objects.filter(action="opendata.resource_deleted", object_id=str(link.pk)).exists()
