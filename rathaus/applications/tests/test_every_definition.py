"""Every shipped service definition renders step by step and accepts a complete, valid application.

For each definition a valid answer is made for every visible field (patterns through hypothesis' regex
strategy, minimised so the run is deterministic), sent through the same parsing as a browser's form post,
and the complete data must then have no errors at all.
"""

from functools import lru_cache
from typing import Any

import pytest
from django.conf import settings
from django.http import QueryDict
from hypothesis import find
from hypothesis import strategies as st

from rathaus.applications.formengine import ADDRESS_PARTS, FormDefinition
from rathaus.catalog.definitions import definition_files, definition_load, taxonomy_load

TAXONOMY = taxonomy_load(settings.RATHAUS_SERVICES_DIR / "taxonomy.yaml")
DEFINITIONS = [definition_load(path, TAXONOMY) for path in definition_files(settings.RATHAUS_SERVICES_DIR)]
WITH_FORM = [definition for definition in DEFINITIONS if "form" in definition.data]


@lru_cache
def matching(pattern: str, max_length: int) -> str:
    return find(st.from_regex(pattern, fullmatch=True), lambda text: 0 < len(text) <= max_length)


def answer(prop: dict[str, Any], widget: str) -> Any:
    if "const" in prop:
        return prop["const"]
    if "enum" in prop:
        return prop["enum"][0]
    if prop.get("type") == "array":
        return prop["items"]["enum"][: max(prop.get("minItems", 1), 1)]
    if prop.get("type") == "boolean":
        return True
    if prop.get("type") == "integer":
        return max(prop.get("minimum", 1), 1)
    if prop.get("type") == "number":
        return float(max(prop.get("minimum", 1), 1))
    if widget == "address":
        return {"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"}
    formats = {"date": "2026-05-04", "email": "erika@example.org", "iban": "DE89370400440532013000", "upload": "u1"}
    if prop.get("format") in formats:
        return formats[prop["format"]]
    if "pattern" in prop:
        return matching(prop["pattern"], prop.get("maxLength", 100))
    text = "Beispiel"
    return (text * 10)[: max(prop.get("minLength", 1), min(len(text), prop.get("maxLength", 100)))]


def as_post(form: FormDefinition, names: list[str], data: dict[str, Any]) -> QueryDict:
    """What a browser sends for these fields."""
    post = QueryDict(mutable=True)
    for name in names:
        value, widget = data.get(name), form.layout["fields"][name]["widget"]
        if value is None:
            continue
        if widget == "address":
            for part in ADDRESS_PARTS:
                post[f"{name}__{part}"] = value[part]
        elif widget == "checkboxes":
            post.setlist(name, [str(item) for item in value])
        elif widget == "checkbox":
            if value:
                post[name] = "on"
        else:
            post[name] = str(value)
    return post


def fill(form: FormDefinition) -> dict[str, Any]:
    """Answer every visible field, step by step, the way a citizen goes through the form."""
    data: dict[str, Any] = {}
    visited: list[str] = []
    while step := next((s for s in form.visible_steps(data) if s["id"] not in visited), None):
        visited.append(step["id"])
        answers: dict[str, Any] = {}
        for _round in range(3):  # a field's answer can reveal further fields of the same step
            for name in form.visible_fields(step, {**data, **answers}):
                hints = form.layout["fields"][name]
                answers.setdefault(name, answer(form.properties[name], hints["widget"]))
        data = form.parse_step(step, as_post(form, list(step["fields"]), answers), data)
        for name in step["fields"]:
            if form.layout["fields"][name]["widget"] == "file" and name in answers:
                data[name] = answers[name]
        assert form.errors(data, only=step["fields"]) == {}, f"step {step['id']}"
        form.build_step(step, data, {})  # renders without errors
    return data


@pytest.mark.parametrize("definition", WITH_FORM, ids=[d.key for d in WITH_FORM])
def test_a_complete_application_is_valid(definition):
    form = FormDefinition(definition.data["form"])
    data = fill(form)
    assert form.errors(data) == {}
    assert list(form.validator.iter_errors(form.pruned(data))) == []
    assert form.summary(data), "the summary lists the answers"


@pytest.mark.parametrize("definition", WITH_FORM, ids=[d.key for d in WITH_FORM])
def test_an_empty_application_names_every_missing_required_field(definition):
    form = FormDefinition(definition.data["form"])
    errors = form.errors({})
    required_visible = [
        name for name in definition.data["form"]["schema"].get("required", []) if name in form.visible_names({})
    ]
    assert set(required_visible) <= set(errors)


def test_there_is_a_form_for_every_service_that_is_not_appointment_only():
    # Appointments are booked at /termine/, reservations in the calendar of /reservierungen/, defect reports in
    # the Mängelmelder: none of them has a form.
    without_form = ("appointment", "reservation", "report")
    assert len(WITH_FORM) == len([d for d in DEFINITIONS if d.data["access"] not in without_form]) >= 27
