"""The dashboard for staff: role-based (department, municipality admin, other municipality), the step funnel with
the step where most people stop, shares, exports, the council report, the opt-ins and the comparison. It reads the
rollups only."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from rathaus.analytics.models import AnalyticsSettings
from rathaus.audit.models import AuditEntry

from .conftest import at, journey, yesterday

pytestmark = pytest.mark.analytics
DASHBOARD = "/verwaltung/statistik/"
FUNNEL = "/verwaltung/statistik/leistung/bewohnerparkausweis/"


@pytest.fixture
def parking_traffic(catalog, musterstadt, emit, roll):
    """Yesterday in Musterstadt: 40 started the Bewohnerparkausweis; 36 got through the person step, 32 the vehicle,
    31 the validity, 12 the proofs (most stop there), 10 sent. Plus logins, a defect-free appointment, a decision."""
    day = yesterday()
    reached = {"person": 36, "fahrzeug": 32, "ausweis": 31, "nachweise": 12}
    for i in range(40):
        steps = [step for step, count in reached.items() if i < count]
        journey(emit, musterstadt, day, f"v{i}", steps, sent=i < 10, method="card" if i < 6 else "invoice")
        if 12 <= i < 30:
            emit(
                musterstadt,
                "field_invalid",
                at(day, 11),
                "bewohnerparkausweis",
                f"v{i}",
                step="nachweise",
                field="fahrzeugschein",
            )
    for i in range(8):
        emit(musterstadt, "login", at(day, 9), login_method="oidc" if i < 6 else "password", trust_level="substanziell")
    for _i in range(6):
        emit(musterstadt, "case_opened", at(day, 12), "bewohnerparkausweis")
    emit(musterstadt, "case_decided", at(day, 15), "bewohnerparkausweis", duration=3 * 3600, on_time=True)
    emit(musterstadt, "appointment_confirmed", at(day, 9), "personalausweis", count=1)
    roll(day)
    return day


def test_the_admin_sees_the_funnel_with_the_step_where_most_people_stop(
    parking_traffic, municipality_admin, staff_client
):
    client = staff_client(municipality_admin)
    response = client.get(FUNNEL, {"zeitraum": "tag", "datum": parking_traffic.isoformat()})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert [(step.code, step.reached) for step in figures.funnel] == [
        ("start", 40),
        ("person", 36),
        ("fahrzeug", 32),
        ("ausweis", 31),
        ("nachweise", 12),
        ("submitted", 10),
    ]
    assert figures.worst_step.code == "nachweise" and figures.worst_step.stopped == 19
    body = response.content.decode()
    assert 'data-worst-step="nachweise"' in body
    assert figures.fields[0].code == "fahrzeugschein" and figures.fields[0].abandoned == 18
    assert re.search(r"<table[^>]*data-table=\"funnel\"", body) and "<caption" in body and 'scope="col"' in body
    assert "<svg" in body and "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_the_overview_shows_shares_and_trends(parking_traffic, municipality_admin, staff_client):
    client = staff_client(municipality_admin)
    response = client.get(DASHBOARD, {"zeitraum": "tag", "datum": parking_traffic.isoformat()})
    overview = response.context["overview"]
    kpis = {kpi.code: kpi.trend for kpi in overview.kpis}
    assert (kpis["starts"].current, kpis["starts"].previous, kpis["starts"].direction) == (40, 0, "up")
    assert kpis["completion"].current == 0.25
    assert kpis["backlog"].current == 6
    assert [(s.code, s.count) for s in overview.payment_methods] == [("card", 6), ("invoice", 4)]
    assert [(s.code, s.count) for s in overview.login_methods] == [("oidc", 6), ("password", 2)]
    assert {s.code: s.count for s in overview.channels} == {"online": 10, "counter": 1}
    assert "Mängelmeldungen" in response.content.decode() or "Defect reports" in response.content.decode()
    assert not overview.has_reports


def test_the_dashboard_reads_only_rollups_with_few_queries(parking_traffic, municipality_admin, staff_client):
    client = staff_client(municipality_admin)
    for url in (DASHBOARD, FUNNEL, "/verwaltung/statistik/export.xlsx", "/verwaltung/statistik/vergleich/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"zeitraum": "jahr"}).status_code == 200
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert "analytics_event" not in sql, url
        assert len(queries) <= 20, (url, len(queries))


def test_a_department_sees_its_services_only(parking_traffic, caseworker, citizens_office_clerk, staff_client):
    traffic = staff_client(caseworker)
    assert traffic.get(FUNNEL).status_code == 200
    overview = traffic.get(DASHBOARD, {"zeitraum": "tag", "datum": parking_traffic.isoformat()}).context["overview"]
    assert {row.key for row in overview.services} == {"bewohnerparkausweis"}
    assert overview.login_methods == []  # logins belong to no department
    office = staff_client(citizens_office_clerk)
    assert office.get(FUNNEL).status_code == 404
    overview = office.get(DASHBOARD, {"zeitraum": "tag", "datum": parking_traffic.isoformat()}).context["overview"]
    assert "bewohnerparkausweis" not in {row.key for row in overview.services}
    assert office.get("/verwaltung/statistik/einstellungen/").status_code == 404


def test_other_municipalities_and_unknown_services_are_not_found(
    parking_traffic, other_admin, municipality_admin, staff_client
):
    assert staff_client(municipality_admin).get("/verwaltung/statistik/leistung/gibt-es-nicht/").status_code == 404
    stranger = staff_client(other_admin, "beispielhausen.localhost")
    # Not staff of Musterstadt: to Musterstadt's staff login, nothing shown.
    assert stranger.get(DASHBOARD, HTTP_HOST="musterstadt.localhost").status_code == 302
    assert stranger.get(FUNNEL, HTTP_HOST="musterstadt.localhost").status_code == 302
    response = stranger.get(DASHBOARD, {"zeitraum": "tag", "datum": parking_traffic.isoformat()})
    assert response.context["overview"].services == []  # Musterstadt's figures are not Beispielhausen's


def test_an_impossible_period_is_explained_not_an_error(parking_traffic, municipality_admin, staff_client):
    client = staff_client(municipality_admin)
    response = client.get(DASHBOARD, {"zeitraum": "frei", "von": "2026-02-01", "bis": "x"})
    assert response.status_code == 200 and response.context["period_error"]
    for query in ({"zeitraum": "tag", "datum": "0001-01-01"}, {"zeitraum": "jahr", "datum": "9999-06-01"}):
        for page in (DASHBOARD, FUNNEL, "/verwaltung/statistik/vergleich/", "/verwaltung/statistik/export.csv"):
            assert client.get(page, query).status_code == 200, (page, query)


def test_csv_and_xlsx_exports_hold_the_services_with_small_numbers_withheld(
    parking_traffic, municipality_admin, staff_client
):
    client = staff_client(municipality_admin)
    query = {"zeitraum": "tag", "datum": parking_traffic.isoformat()}
    response = client.get("/verwaltung/statistik/export.csv", query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    parking = next(row for row in rows if row[0] == "bewohnerparkausweis")
    assert parking[2:6] == ["40", "10", "25", "75"]
    counter = next(row for row in rows if row[0] == "personalausweis")
    assert counter[7] == "< 5"
    assert parking[7] == "0"  # no appointment is shown as none, not withheld with the one of personalausweis
    assert counter[11] == "–"  # no decision in the period: no row of processing times, nothing withheld

    response = client.get("/verwaltung/statistik/export.xlsx", query)
    book = zipfile.ZipFile(io.BytesIO(response.content))
    names = book.namelist()
    assert "xl/worksheets/sheet2.xml" in names
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "Bewohnerparkausweis" in strings and "&lt; 5" in strings
    assert "<v>40</v>" in book.read("xl/worksheets/sheet2.xml").decode()


def test_the_monthly_council_report_is_a_pdf_with_the_figures(parking_traffic, municipality_admin, staff_client):
    client = staff_client(municipality_admin)
    day = parking_traffic
    response = client.get("/verwaltung/statistik/bericht/", {"monat": f"{day.year}-{day.month:02d}"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bewohnerparkausweis" in text and "Musterstadt" in text
    assert client.get("/verwaltung/statistik/bericht/2026-13.pdf").status_code == 404
    assert client.get("/verwaltung/statistik/bericht/9999-12.pdf").status_code == 404
    after = yesterday() + timedelta(days=32)
    assert client.get(f"/verwaltung/statistik/bericht/{after.year}-{after.month:02d}.pdf").status_code == 404
    refused = client.get("/verwaltung/statistik/bericht/", {"monat": f"{after.year}-{after.month:02d}"})
    assert refused.status_code == 200
    assert "noch keine Zahlen" in refused.content.decode() or "No figures" in refused.content.decode()


def test_the_admin_switches_the_opt_ins_on_and_it_is_audited(musterstadt, municipality_admin, caseworker, staff_client):
    client = staff_client(municipality_admin)
    assert client.get("/verwaltung/statistik/einstellungen/").status_code == 200
    assert client.post("/verwaltung/statistik/einstellungen/", {"vergleich": "on"}).status_code == 302
    record = AnalyticsSettings.objects.get(municipality=musterstadt)
    assert (record.compare, record.publish_open_data) == (True, False)
    assert AuditEntry.objects.filter(action="analytics.settings").count() == 1
    assert staff_client(caseworker).post("/verwaltung/statistik/einstellungen/", {"vergleich": "on"}).status_code == 404


def test_the_comparison_shows_only_municipalities_that_take_part(
    catalog, musterstadt, beispielhausen, municipality_admin, other_admin, staff_client, emit, roll
):
    day = yesterday()
    for municipality, starts in ((musterstadt, 100), (beispielhausen, 30)):
        for i in range(starts):
            emit(municipality, "service_started", at(day), "bewohnerparkausweis", f"{municipality.slug}{i}")
    roll(day)
    query = {"zeitraum": "tag", "datum": day.isoformat()}
    client = staff_client(municipality_admin)
    response = client.get("/verwaltung/statistik/vergleich/", query)
    assert response.context["columns"] == [] and "data-not-taking-part" in response.content.decode()

    AnalyticsSettings.objects.create(municipality=musterstadt, compare=True)
    response = client.get("/verwaltung/statistik/vergleich/", query)
    assert [c.municipality.slug for c in response.context["columns"]] == ["musterstadt"]

    AnalyticsSettings.objects.create(municipality=beispielhausen, compare=True)
    response = client.get("/verwaltung/statistik/vergleich/", {**query, "leistung": "bewohnerparkausweis"})
    assert [c.municipality.slug for c in response.context["columns"]] == ["beispielhausen", "musterstadt"]
    started = response.context["rows"][1]
    # 50,000 inhabitants each (test municipalities): 30 and 100 per 50,000 = 0.6 and 2 per 1,000.
    assert started.cells == [(30, 0.6), (100, 2.0)]
    assert (
        staff_client(other_admin, "beispielhausen.localhost").get("/verwaltung/statistik/vergleich/", query).status_code
        == 200
    )


def test_without_figures_the_pages_say_so(catalog, municipality_admin, staff_client):
    client = staff_client(municipality_admin)
    response = client.get(DASHBOARD)
    assert response.status_code == 200 and not response.context["overview"].has_data
    assert client.get(FUNNEL).status_code == 200
    assert client.get("/verwaltung/statistik/export.csv").status_code == 200
    day = yesterday() - timedelta(days=2)
    assert client.get(DASHBOARD, {"zeitraum": "woche", "datum": day.isoformat()}).status_code == 200
