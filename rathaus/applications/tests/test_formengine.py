"""How a step's form post becomes form data, and which German message a citizen sees at which field."""

import pytest
import yaml
from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from rathaus.applications.formengine import FormDefinition, condition_holds


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def form_of(key: str) -> FormDefinition:
    return FormDefinition(yaml.safe_load((settings.RATHAUS_SERVICES_DIR / f"{key}.yaml").read_text())["form"])


def post(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


@pytest.fixture
def parking() -> FormDefinition:
    return form_of("bewohnerparkausweis")


def step(form: FormDefinition, step_id: str) -> dict:
    found = form.step(step_id)
    assert found is not None
    return found


def test_only_the_fields_of_the_posted_step_are_taken(parking):
    data = parking.parse_step(
        step(parking, "person"),
        post(vorname="Erika", gueltigkeit="12", is_admin="1", kennzeichen="MU-X 1"),
        {"gueltigkeit": "6"},
    )
    assert data["vorname"] == "Erika"
    assert data["gueltigkeit"] == "6", "a field of another step cannot be changed from this step"
    assert "is_admin" not in data and "kennzeichen" not in data


def test_a_changed_choice_value_is_kept_but_refused(parking):
    data = parking.parse_step(step(parking, "ausweis"), post(gueltigkeit="24"), {})
    assert data["gueltigkeit"] == "24"
    assert parking.errors(data, only=["gueltigkeit"]) == {
        "gueltigkeit": {"": ["Bitte wählen Sie eine der Möglichkeiten."]}
    }


def test_an_empty_required_field_says_fill_it_in(parking):
    data = parking.parse_step(step(parking, "person"), post(vorname="  "), {})
    assert parking.errors(data, only=["vorname"]) == {"vorname": {"": ["Bitte füllen Sie dieses Feld aus."]}}


def test_a_german_date_is_understood(parking):
    data = parking.parse_step(step(parking, "person"), post(geburtsdatum="12.08.1964"), {})
    assert data["geburtsdatum"] == "1964-08-12"


def test_an_impossible_date_is_kept_as_typed_and_explained(parking):
    data = parking.parse_step(step(parking, "person"), post(geburtsdatum="31.02.1964"), {})
    assert data["geburtsdatum"] == "31.02.1964"
    assert parking.errors(data, only=["geburtsdatum"])["geburtsdatum"][""][0].startswith(
        "Bitte geben Sie ein Datum ein"
    )


def test_address_errors_are_shown_at_the_part(parking):
    data = parking.parse_step(
        step(parking, "person"),
        post(
            anschrift__strasse="Heidestraße",
            anschrift__hausnummer="17",
            anschrift__plz="6134",
            anschrift__ort="Musterstadt",
        ),
        {},
    )
    assert parking.errors(data, only=["anschrift"]) == {
        "anschrift": {"plz": ["Bitte geben Sie eine Postleitzahl mit 5 Ziffern ein."]}
    }


def test_an_unconfirmed_required_checkbox_asks_for_confirmation(parking):
    data = parking.parse_step(step(parking, "fahrzeug"), post(kennzeichen="MU-EM 64", halter="selbst"), {})
    assert parking.errors(data, only=["kein_stellplatz"]) == {"kein_stellplatz": {"": ["Bitte bestätigen Sie dies."]}}


def test_a_hidden_field_is_neither_required_nor_kept(parking):
    company_car = {"halter": "firmenwagen"}
    assert "halter_name" in parking.errors(company_car)
    own_car = parking.parse_step(step(parking, "fahrzeug"), post(halter="selbst", halter_name="Firma X"), {})
    assert "halter_name" not in parking.errors(own_car)
    assert "halter_name" not in parking.pruned(own_car)


def test_a_pattern_error_repeats_the_fields_help(parking):
    data = parking.parse_step(step(parking, "fahrzeug"), post(kennzeichen="12345"), {})
    message = parking.errors(data, only=["kennzeichen"])["kennzeichen"][""][0]
    assert message == "Bitte prüfen Sie das Format der Eingabe. Zum Beispiel: MU-AB 123"


def test_a_number_that_is_not_a_number_stays_as_typed():
    form = form_of("geburtsurkunde")
    count_field = next(
        f["field"]
        for f in yaml.safe_load((settings.RATHAUS_SERVICES_DIR / "geburtsurkunde.yaml").read_text())["fees"]
        if f["type"] == "per_unit"
    )
    step_of_count = next(s for s in form.layout["steps"] if count_field in s["fields"])
    data = form.parse_step(step_of_count, post(**{count_field: "zwei"}), {})
    assert data[count_field] == "zwei"
    assert form.errors(data, only=[count_field])[count_field][""] == [
        "Bitte geben Sie eine ganze Zahl ein, zum Beispiel 3."
    ]
    assert form.parse_step(step_of_count, post(**{count_field: "2"}), {})[count_field] == 2


def test_an_invalid_iban_is_explained():
    form = form_of("hundesteuer-anmeldung")
    iban_field = next(name for name, hints in form.layout["fields"].items() if hints["widget"] == "iban")
    step_of_iban = next(s for s in form.layout["steps"] if iban_field in s["fields"])
    data = form.parse_step(
        step_of_iban, post(zahlungsart="lastschrift", **{iban_field: "DE89 3704 0044 0532 0130 01"}), {}
    )
    assert data[iban_field] == "DE89370400440532013001"
    errors = form.errors(data, only=[iban_field])
    assert errors[iban_field][""] == ["Diese IBAN ist nicht gültig. Bitte prüfen Sie die Ziffern."]


@pytest.mark.parametrize(
    ("condition", "data", "holds"),
    [
        ({"field": "a", "equals": 1}, {"a": 1}, True),
        ({"field": "a", "not_equals": 1}, {"a": 1}, False),
        ({"field": "a", "in": [1, 2]}, {}, False),
        ({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 1, "b": 2}, True),
        ({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"b": 2}, True),
    ],
)
def test_conditions(condition, data, holds):
    assert condition_holds(condition, data) is holds
