"""The Bürgerbüro sets statuses and uploads the document system's CSV; nobody else sees or sets anything."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.idstatus.models import DocumentStatus
from rathaus.idstatus.selectors import status_lookup
from rathaus.idstatus.services import statuses_purge

from .conftest import IN_PRODUCTION, READY

pytestmark = pytest.mark.reports


def test_the_citizens_office_sets_a_status(client, staff_log_in, citizens_office_clerk, statuses, musterstadt):
    staff_log_in(client, citizens_office_clerk)
    page = client.get("/verwaltung/ausweisstatus/").content.decode()
    assert "…T47" in page and READY not in page, "staff see the last characters only"
    response = client.post(
        "/verwaltung/ausweisstatus/setzen/", {"nummer": IN_PRODUCTION, "status": "ready", "dokument": "personalausweis"}
    )
    assert response.status_code == 302
    assert status_lookup(municipality=musterstadt, number=IN_PRODUCTION) == "ready"
    entry = AuditEntry.objects.filter(action="idstatus.status_set").get()
    assert entry.actor_label == citizens_office_clerk.username
    assert IN_PRODUCTION not in str(entry.changes)


def test_a_wrong_number_keeps_what_was_typed(client, staff_log_in, citizens_office_clerk, statuses):
    staff_log_in(client, citizens_office_clerk)
    response = client.post(
        "/verwaltung/ausweisstatus/setzen/", {"nummer": "L01X", "status": "ready", "dokument": "reisepass"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="L01X"' in page and '<option value="reisepass" selected>' in page


def test_the_csv_upload_imports_all_or_nothing(client, staff_log_in, citizens_office_clerk, statuses, musterstadt):
    staff_log_in(client, citizens_office_clerk)
    good = b"nummer;stand;dokument\nL01X00T58;abholbereit;PA\nF4J0R2N71;in Produktion;RP\n"
    response = client.post("/verwaltung/ausweisstatus/import/", {"datei": SimpleUploadedFile("s.csv", good)})
    assert response.status_code == 302
    assert status_lookup(municipality=musterstadt, number="L01X00T58") == "ready"
    assert DocumentStatus.objects.filter(municipality=musterstadt).count() == 4
    bad = b"number,status\nL01X00T58,picked_up\nXYZ,ready\nL01X00T47,lost\n"
    response = client.post("/verwaltung/ausweisstatus/import/", {"datei": SimpleUploadedFile("s.csv", bad)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 3, column number" in page or "Zeile 3, Spalte number" in page
    assert "line 4, column status" in page or "Zeile 4, Spalte status" in page
    assert status_lookup(municipality=musterstadt, number="L01X00T58") == "ready", "nothing was imported"


def test_staff_of_another_municipality_can_neither_see_nor_set(
    staff_log_in, beispielhausen_clerk, statuses, musterstadt
):
    client = Client(HTTP_HOST="beispielhausen.localhost")
    staff_log_in(client, beispielhausen_clerk)
    page = client.get("/verwaltung/ausweisstatus/")
    assert page.status_code == 200 and "…T47" not in page.content.decode(), "their own list has none of Musterstadt's"
    client.post(
        "/verwaltung/ausweisstatus/setzen/", {"nummer": READY, "status": "picked_up", "dokument": "personalausweis"}
    )
    assert status_lookup(municipality=musterstadt, number=READY) == "ready", "a number set there is theirs only"
    there = {"HTTP_HOST": "musterstadt.localhost"}
    response = client.get("/verwaltung/ausweisstatus/", **there)
    assert response.status_code == 302, "at Musterstadt they are nobody: off to the login"
    response = client.post(
        "/verwaltung/ausweisstatus/setzen/",
        {"nummer": READY, "status": "picked_up", "dokument": "personalausweis"},
        **there,
    )
    assert response.status_code == 302
    assert status_lookup(municipality=musterstadt, number=READY) == "ready"


def test_other_departments_do_not_manage_statuses(client, staff_log_in, caseworker, statuses, musterstadt):
    staff_log_in(client, caseworker)  # the road traffic authority
    assert client.get("/verwaltung/ausweisstatus/").status_code == 404
    response = client.post(
        "/verwaltung/ausweisstatus/setzen/", {"nummer": READY, "status": "picked_up", "dokument": "personalausweis"}
    )
    assert response.status_code == 404
    assert status_lookup(municipality=musterstadt, number=READY) == "ready"


def test_the_command_imports_and_names_problems(statuses, musterstadt, tmp_path):
    path = tmp_path / "status.csv"
    path.write_text("number,status,kind\nL01X00T58,picked_up,personalausweis\n")
    out = StringIO()
    call_command("import_id_status", "musterstadt", str(path), stdout=out)
    assert "0 new, 1 changed, 0 unchanged" in out.getvalue()
    path.write_text("number,status\nL01X00T58,ready\nL01X00T58,ready\n")
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\) found; nothing was imported"):
        call_command("import_id_status", "musterstadt", str(path), stdout=StringIO(), stderr=err)
    assert "line 3, column number: The same number as in line 2." in err.getvalue()
    assert status_lookup(municipality=musterstadt, number="L01X00T58") == "picked_up"


def test_statuses_are_forgotten_some_weeks_after_pickup(statuses, musterstadt, settings):
    settings.RATHAUS_ID_STATUS_KEEP_DAYS = 28
    DocumentStatus.objects.filter(number_hint="…T47").update(
        status="picked_up", picked_up_at=timezone.now() - timedelta(days=29)
    )
    DocumentStatus.objects.filter(number_hint="…K63").update(
        status="picked_up", picked_up_at=timezone.now() - timedelta(days=27)
    )
    assert statuses_purge() == 1
    assert sorted(DocumentStatus.objects.values_list("number_hint", flat=True)) == ["…K63", "…T58"]
