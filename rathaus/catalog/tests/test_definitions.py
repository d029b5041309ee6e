"""A service definition is validated with errors that name the file, the field and what is wrong."""

import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from rathaus.catalog.definitions import DefinitionInvalid, definition_load, taxonomy_load
from rathaus.catalog.formschema import form_validator, iban_is_valid

EXAMPLE = settings.RATHAUS_SERVICES_DIR / "bewohnerparkausweis.yaml"


@pytest.fixture(scope="module")
def taxonomy():
    return taxonomy_load(settings.RATHAUS_SERVICES_DIR / "taxonomy.yaml")


@pytest.fixture
def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def problems_of(tmp_path: Path, data: dict, taxonomy, name: str = "testleistung.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(DefinitionInvalid) as invalid:
        definition_load(path, taxonomy)
    return [str(problem) for problem in invalid.value.problems]


def test_the_reference_example_is_valid(taxonomy):
    definition = definition_load(EXAMPLE, taxonomy)
    assert definition.key == "bewohnerparkausweis"
    assert len(definition.content_hash) == 64


def test_a_missing_required_field_is_named(tmp_path, example, taxonomy):
    del example["name"]
    assert problems_of(tmp_path, example, taxonomy) == [
        f"{tmp_path / 'testleistung.yaml'}: (file): 'name' is a required property"
    ]


def test_a_wrong_value_is_reported_at_its_path(tmp_path, example, taxonomy):
    example["trust_level"] = "mittel"
    example["fees"][0]["amounts"]["6"] = "20"
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(": trust_level: 'mittel' is not one of" in p for p in problems)
    assert any(": fees[0].amounts.6: '20' does not match" in p for p in problems)


def test_an_unknown_department_or_topic_lists_the_known_codes(tmp_path, example, taxonomy):
    example["department"] = "bauhof"
    example["topics"] = ["verkehr", "raumfahrt"]
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(": department: unknown department 'bauhof'; known: " in p and "strassenverkehr" in p for p in problems)
    assert any(": topics[1]: unknown topic 'raumfahrt'" in p for p in problems)


def test_a_step_naming_a_field_the_schema_lacks_is_refused(tmp_path, example, taxonomy):
    example["form"]["layout"]["steps"][0]["fields"].append("lieblingsfarbe")
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(
        ": form.layout.steps[0].fields[6]: 'lieblingsfarbe' is not a property of form.schema" in p for p in problems
    )


def test_every_field_must_be_placed_in_a_step(tmp_path, example, taxonomy):
    example["form"]["layout"]["steps"][0]["fields"].remove("telefon")
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(": form.schema.properties.telefon: is in no step" in p for p in problems)


def test_a_file_field_needs_an_upload_rule(tmp_path, example, taxonomy):
    example["documents_upload"] = example["documents_upload"][:1]
    problems = problems_of(tmp_path, example, taxonomy)
    assert any("form.layout.fields.ueberlassungserklaerung.widget: a file field needs an entry" in p for p in problems)


def test_a_choice_fee_needs_an_amount_for_every_choice(tmp_path, example, taxonomy):
    del example["fees"][0]["amounts"]["12"]
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(": fees[0].amounts: no amount for the value '12' of 'gueltigkeit'" in p for p in problems)


def test_options_must_label_every_enum_value(tmp_path, example, taxonomy):
    del example["form"]["layout"]["fields"]["halter"]["options"]["firmenwagen"]
    problems = problems_of(tmp_path, example, taxonomy)
    assert any("form.layout.fields.halter.options: no label for the value 'firmenwagen'" in p for p in problems)


def test_a_condition_on_an_impossible_value_is_refused(tmp_path, example, taxonomy):
    example["form"]["layout"]["fields"]["halter_name"]["condition"] = {"field": "halter", "equals": "nachbar"}
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(
        "form.layout.fields.halter_name.condition: 'nachbar' is not a possible value of 'halter'" in p for p in problems
    )


def test_an_invalid_json_schema_is_refused(tmp_path, example, taxonomy):
    example["form"]["schema"]["properties"]["vorname"]["maxLength"] = "hundert"
    problems = problems_of(tmp_path, example, taxonomy)
    assert any("form.schema.properties.vorname.maxLength: not a valid JSON Schema" in p for p in problems)


def test_an_appointment_only_service_has_no_form(tmp_path, example, taxonomy):
    example["access"] = "appointment"
    example["appointment_minutes"] = 20
    problems = problems_of(tmp_path, example, taxonomy)
    assert any(": form: a service with access 'appointment' has no online form" in p for p in problems)


def test_broken_yaml_is_reported_with_line_and_column(tmp_path, taxonomy):
    path = tmp_path / "kaputt.yaml"
    path.write_text("name:\n  de: Test\nsummary: {de: Hallo}}\n")
    with pytest.raises(DefinitionInvalid) as invalid:
        definition_load(path, taxonomy)
    assert "line 3" in str(invalid.value) and "invalid YAML" in str(invalid.value)


def test_a_file_name_that_is_no_valid_key_is_refused(tmp_path, example, taxonomy):
    problems = problems_of(tmp_path, example, taxonomy, name="Bewohner Park.yaml")
    assert any("is not a valid key" in p for p in problems)


class TestTheFormSchema:
    def valid_application(self) -> dict:
        return {
            "vorname": "Erika",
            "nachname": "Mustermann",
            "geburtsdatum": "1964-08-12",
            "anschrift": {"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"},
            "email": "erika.mustermann@example.org",
            "kennzeichen": "MU-EM 64",
            "halter": "selbst",
            "gueltigkeit": "12",
            "kein_stellplatz": True,
            "fahrzeugschein": "upload-1",
        }

    def test_accepts_a_complete_application(self, example):
        errors = list(form_validator(example["form"]["schema"]).iter_errors(self.valid_application()))
        assert errors == []

    def test_requires_the_keepers_name_for_a_company_car(self, example):
        application = self.valid_application() | {"halter": "firmenwagen"}
        messages = [e.message for e in form_validator(example["form"]["schema"]).iter_errors(application)]
        assert "'halter_name' is a required property" in messages

    def test_checks_the_postcode_of_the_shared_address(self, example):
        application = copy.deepcopy(self.valid_application())
        application["anschrift"]["plz"] = "6134"
        assert not form_validator(example["form"]["schema"]).is_valid(application)


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("DE89370400440532013000", True),
        ("GB82WEST12345698765432", True),
        ("DE89 3704 0044 0532 0130 01", False),
        ("DE8937040044053201300", False),
        ("keine IBAN", False),
    ],
)
def test_iban_checksum(iban, valid):
    assert iban_is_valid(iban) is valid
