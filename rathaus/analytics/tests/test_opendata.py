"""The KPI dataset for the open data portal: CSV and JSON valid against the published JSON Schema, small numbers
withheld, only for municipalities that opt in, metadata that says "Kennzahlen" / "KPI"."""

import csv
import io
from datetime import timedelta

import jsonschema
import pytest

from rathaus.analytics import opendata
from rathaus.analytics.models import AnalyticsSettings

from .conftest import at, journey, yesterday

pytestmark = pytest.mark.analytics


@pytest.fixture
def month_of_traffic(catalog, musterstadt, emit, roll):
    day = yesterday()
    for i in range(30):
        journey(
            emit, musterstadt, day, f"v{i}", ["person", "fahrzeug"], sent=i < 12, method="card" if i < 9 else "sepa"
        )
    for i in range(3):
        emit(musterstadt, "service_started", at(day), "meldebescheinigung", f"m{i}")
    for i in range(20):
        emit(musterstadt, "service_started", at(day), "anmeldung-wohnsitz", f"a{i}")
    roll(day)
    return day


def rows_by(rows, **match):
    return [row for row in rows if all(row[key] == value for key, value in match.items())]


def test_the_json_is_valid_against_the_schema_and_withholds_small_numbers(musterstadt, month_of_traffic):
    document = opendata.kpi_dataset_json(musterstadt)
    validator = jsonschema.Draft202012Validator(
        opendata.kpi_dataset_schema(), format_checker=jsonschema.FormatChecker()
    )
    validator.validate(document)
    rows = document["daten"]
    parking = rows_by(rows, leistung="bewohnerparkausweis", kennzahl="begonnen")
    assert parking[-1]["wert"] == 30
    assert rows_by(rows, leistung="bewohnerparkausweis", kennzahl="abschlussquote")[-1]["wert"] == 40.0
    small = rows_by(rows, leistung="meldebescheinigung", kennzahl="begonnen")[-1]
    assert small["wert"] is None and small["zurueckgehalten"] is True
    # 53 started in all; the 20 of the Anmeldung are withheld too, or 53 - 30 - 20 would give the 3 back.
    assert rows_by(rows, leistung=None, kennzahl="begonnen")[-1]["wert"] == 53
    anmeldung = rows_by(rows, leistung="anmeldung-wohnsitz", kennzahl="begonnen")[-1]
    assert anmeldung["wert"] is None and anmeldung["leika"] == "99115005104000"
    methods = {row["merkmal"]: row["wert"] for row in rows_by(rows, kennzahl="zahlungsart")}
    assert methods == {"card": 9, "sepa": None} or methods == {"card": None, "sepa": None}
    assert document["mindestfallzahl"] == 5


def test_the_csv_has_the_documented_columns_and_shows_withheld_values(musterstadt, month_of_traffic):
    text = opendata.kpi_dataset_csv(musterstadt)
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == [column["name"] for column in opendata.kpi_dataset_columns()]
    withheld = [row for row in reader if row["zurueckgehalten"] == "true"]
    assert withheld and {row["wert"] for row in withheld} == {"< 5"}


def test_only_municipalities_that_opt_in_are_published_and_titles_say_kpi(musterstadt, beispielhausen):
    assert opendata.kpi_datasets() == []
    AnalyticsSettings.objects.create(municipality=beispielhausen, publish_open_data=True, compare=False)
    AnalyticsSettings.objects.create(municipality=musterstadt, publish_open_data=False, compare=True)
    assert opendata.kpi_datasets() == [beispielhausen]
    assert opendata.kpi_dataset_available(beispielhausen) and not opendata.kpi_dataset_available(musterstadt)
    metadata = opendata.kpi_dataset_metadata(beispielhausen)
    assert "Kennzahlen" in metadata["title"] and "KPI" in metadata["title"]
    assert {"KPI", "Kennzahlen"} <= set(metadata["tags"])
    assert metadata["accrual_periodicity"].endswith("/DAILY")
    assert metadata["temporal_end"] == yesterday().isoformat()
    assert metadata["temporal_start"] <= (yesterday() - timedelta(days=365)).isoformat()
    assert {d["format"] for d in metadata["distributions"]} == {"CSV", "JSON"}
