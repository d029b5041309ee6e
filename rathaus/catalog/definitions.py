"""Reading and validating service definition files (services/*.yaml).

`definition_load` returns the parsed definition or raises DefinitionInvalid with every problem found,
each naming the file, the field path inside it and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match

from .definition_schema import AUTOMATION_FACTS, DEFINITION
from .formschema import form_schema

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
TAXONOMY_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field or '(file)'}: {self.message}"


class DefinitionInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Taxonomy:
    departments: dict[str, dict[str, str]]
    topics: dict[str, dict[str, str]]
    life_situations: dict[str, dict[str, str]]


@dataclass
class Definition:
    key: str
    data: dict[str, Any]
    source: str
    content_hash: str = field(default="")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise DefinitionInvalid([Problem(str(path), "", f"not UTF-8 text ({error.reason})")]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionInvalid([Problem(str(path), where, f"invalid YAML: {problem}")]) from error


def taxonomy_load(path: Path) -> Taxonomy:
    data = _read_yaml(path)
    problems = []
    if not isinstance(data, dict):
        raise DefinitionInvalid(
            [Problem(str(path), "", "expected a mapping with departments, topics, life_situations")]
        )
    for section in ("departments", "topics", "life_situations"):
        entries = data.get(section)
        if not isinstance(entries, dict) or not entries:
            problems.append(Problem(str(path), section, "expected a non-empty mapping of code: {de: ..., en: ...}"))
            continue
        for code, names in entries.items():
            if not isinstance(names, dict) or not isinstance(names.get("de"), str):
                problems.append(Problem(str(path), f"{section}.{code}", "needs a German name under 'de'"))
    if problems:
        raise DefinitionInvalid(problems)
    return Taxonomy(data["departments"], data["topics"], data["life_situations"])


def _format_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_problems(file: str, data: Any) -> list[Problem]:
    validator = Draft202012Validator(DEFINITION)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        # For "one of several shapes" errors, the closest shape says more than the summary.
        detail: ValidationError = best_match(error.context) if error.context else error
        problems.append(Problem(file, _format_path(detail.absolute_path), detail.message))
    return problems


def definition_load(path: Path, taxonomy: Taxonomy) -> Definition:
    """Parse and validate one definition file. Raises DefinitionInvalid listing every problem."""
    file = str(path)
    key = path.stem
    problems: list[Problem] = []
    if not KEY_PATTERN.match(key):
        problems.append(Problem(file, "", f"file name {key!r} is not a valid key (a-z, 0-9 and '-', 3-60 chars)"))
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionInvalid([*problems, Problem(file, "", "expected a mapping of fields (see services/README.md)")])
    problems += _schema_problems(file, data)
    if not problems:
        problems += [Problem(file, where, message) for where, message in _semantic_problems(data, taxonomy)]
    if problems:
        raise DefinitionInvalid(problems)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return Definition(key=key, data=data, source=file, content_hash=hashlib.sha256(canonical.encode()).hexdigest())


def _semantic_problems(data: dict[str, Any], taxonomy: Taxonomy) -> Iterator[tuple[str, str]]:
    """Checks the meta-schema cannot express: references between parts of the definition."""
    if data["department"] not in taxonomy.departments:
        yield (
            "department",
            f"unknown department {data['department']!r}; known: {', '.join(sorted(taxonomy.departments))}",
        )
    for index, topic in enumerate(data["topics"]):
        if topic not in taxonomy.topics:
            yield f"topics[{index}]", f"unknown topic {topic!r}; known: {', '.join(sorted(taxonomy.topics))}"
    for index, situation in enumerate(data.get("life_situations", [])):
        if situation not in taxonomy.life_situations:
            yield f"life_situations[{index}]", f"unknown life situation {situation!r}"
    fee_ids = [fee["id"] for fee in data["fees"]]
    for duplicate in {fee_id for fee_id in fee_ids if fee_ids.count(fee_id) > 1}:
        yield "fees", f"fee id {duplicate!r} is used more than once"
    uploads = {upload["id"]: upload for upload in data.get("documents_upload", [])}
    if data["access"] in ("report", "reservation") and "workflow" in data:
        yield "workflow", f"a service with access {data['access']!r} opens no case; remove 'workflow'"
    if data["access"] == "report":
        if "form" in data:
            yield (
                "form",
                "a service with access 'report' is reported in the Mängelmelder (rathaus.reports); remove 'form'",
            )
        if data["fees"]:
            yield "fees", "reporting a problem is free; use 'fees: []'"
        if uploads:
            yield "documents_upload", "the Mängelmelder takes its own photos; remove documents_upload"
        return
    if data["access"] == "reservation":
        if "form" in data:
            yield "form", "a service with access 'reservation' is requested in the reservation calendar; remove 'form'"
        if data["fees"]:
            yield "fees", "a reservation's fee is set per place (rathaus.reservations); use 'fees: []'"
        if uploads:
            yield "documents_upload", "without a form nothing can be uploaded; use documents_bring"
        return
    if data["access"] == "appointment":
        if "form" in data:
            yield "form", "a service with access 'appointment' has no online form; remove 'form'"
        if data["fees"] and any(fee["type"] != "fixed" for fee in data["fees"]):
            yield "fees", "without a form, only fixed fees are possible"
        if uploads:
            yield "documents_upload", "without a form nothing can be uploaded; use documents_bring"
        return
    yield from _form_problems(data["form"], data["fees"], uploads)
    if "automation" in data:
        yield from _automation_problems(data["automation"], data["workflow"], data["form"]["schema"]["properties"])


def _automation_problems(
    automation: dict[str, Any], workflow_name: str, properties: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """Rules must name states and transitions of the service's workflow that the system may take, in order."""
    from rathaus.workflows import workflow_get

    workflow = workflow_get(workflow_name)
    facts: dict[str, Any] = {name: {} for name in AUTOMATION_FACTS}
    for index, rule in enumerate(automation.get("rules", [])):
        where = f"automation.rules[{index}]"
        state = rule["in_state"]
        if state not in workflow.states:
            yield f"{where}.in_state", f"{state!r} is not a state of workflow {workflow_name!r}"
            continue
        for step, code in enumerate(rule["take"]):
            transition = workflow.transitions.get(code)
            if transition is None or state not in transition.sources:
                yield f"{where}.take[{step}]", f"{code!r} cannot be taken in state {state!r} of {workflow_name!r}"
                break
            if "system" not in transition.roles:
                yield f"{where}.take[{step}]", f"the system may not take {code!r} in {workflow_name!r}"
                break
            state = transition.target
        if "when" in rule:
            yield from _condition_problems(rule["when"], {**facts, **properties}, f"{where}.when")


def _form_problems(
    form: dict[str, Any], fees: list[dict[str, Any]], uploads: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, str]]:
    schema = form["schema"]
    try:
        Draft202012Validator.check_schema(form_schema(schema))
    except SchemaError as error:
        yield (
            f"form.schema.{_format_path(error.absolute_path)}".rstrip("."),
            f"not a valid JSON Schema: {error.message}",
        )
        return
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict) or not schema["properties"]:
        yield "form.schema", "must be {type: object} with at least one property"
        return
    if "$defs" in schema and "address" in schema["$defs"]:
        yield "form.schema.$defs.address", "is provided by Rathaus; do not define it"
    properties: dict[str, Any] = schema["properties"]
    for index, name in enumerate(schema.get("required", [])):
        if name not in properties:
            yield f"form.schema.required[{index}]", f"{name!r} is not a property of the form"

    layout = form["layout"]
    placed: dict[str, str] = {}
    step_ids: set[str] = set()
    for step_index, step in enumerate(layout["steps"]):
        where = f"form.layout.steps[{step_index}]"
        if step["id"] in step_ids:
            yield f"{where}.id", f"step id {step['id']!r} is used twice"
        step_ids.add(step["id"])
        for field_index, name in enumerate(step["fields"]):
            if name not in properties:
                yield f"{where}.fields[{field_index}]", f"{name!r} is not a property of form.schema"
            elif name in placed:
                yield f"{where}.fields[{field_index}]", f"{name!r} is already in step {placed[name]!r}"
            else:
                placed[name] = step["id"]
        if "condition" in step:
            yield from _condition_problems(step["condition"], properties, f"{where}.condition")
    for name in properties:
        if name not in placed:
            yield f"form.schema.properties.{name}", "is in no step of form.layout.steps"
        if name not in layout["fields"]:
            yield f"form.schema.properties.{name}", "has no entry in form.layout.fields"
    for name, hints in layout["fields"].items():
        where = f"form.layout.fields.{name}"
        if name not in properties:
            yield where, f"{name!r} is not a property of form.schema"
            continue
        yield from _widget_problems(where, hints, properties[name], uploads, name)
        if "condition" in hints:
            yield from _condition_problems(hints["condition"], properties, f"{where}.condition")
    for upload_id in uploads:
        if layout["fields"].get(upload_id, {}).get("widget") != "file":
            yield f"documents_upload.{upload_id}", "needs a form field of the same name with widget 'file'"
    for index, fee in enumerate(fees):
        yield from fee_problems(f"fees[{index}]", fee, properties)


def _enum_values(prop: dict[str, Any]) -> list[Any] | None:
    if "enum" in prop:
        return prop["enum"]
    if "const" in prop:
        return [prop["const"]]
    items = prop.get("items")
    if prop.get("type") == "array" and isinstance(items, dict) and "enum" in items:
        return items["enum"]
    return None


def _widget_problems(
    where: str, hints: dict[str, Any], prop: dict[str, Any], uploads: dict[str, Any], name: str
) -> Iterator[tuple[str, str]]:
    widget = hints["widget"]
    expected = {
        "date": ("format", "date"),
        "email": ("format", "email"),
        "iban": ("format", "iban"),
        "file": ("format", "upload"),
        "checkbox": ("type", "boolean"),
        "checkboxes": ("type", "array"),
        "address": ("$ref", "#/$defs/address"),
    }
    if widget in expected:
        keyword, value = expected[widget]
        if prop.get(keyword) != value:
            yield (
                f"{where}.widget",
                f"widget {widget!r} needs {keyword}: {value!r} in form.schema.properties.{name}",
            )
    if widget == "number" and prop.get("type") not in {"integer", "number"}:
        yield (
            f"{where}.widget",
            f"widget 'number' needs type integer or number in form.schema.properties.{name}",
        )
    if widget == "file" and name not in uploads:
        yield f"{where}.widget", f"a file field needs an entry with id {name!r} in documents_upload"
    if widget in {"select", "radio", "checkboxes"}:
        values = _enum_values(prop)
        if values is None:
            yield f"{where}.widget", f"widget {widget!r} needs an enum in form.schema.properties.{name}"
            return
        options = hints.get("options", {})
        for value in values:
            if str(value) not in options:
                yield f"{where}.options", f"no label for the value {value!r}"
        for option in options:
            if option not in {str(value) for value in values}:
                yield f"{where}.options.{option}", "is not a value of the field's enum"
    elif "options" in hints:
        yield f"{where}.options", f"options are only for select, radio and checkboxes, not {widget!r}"


def _condition_problems(condition: dict[str, Any], properties: dict[str, Any], where: str) -> Iterator[tuple[str, str]]:
    for combinator in ("all", "any"):
        if combinator in condition:
            for index, part in enumerate(condition[combinator]):
                yield from _condition_problems(part, properties, f"{where}.{combinator}[{index}]")
            return
    name = condition["field"]
    if name not in properties:
        yield f"{where}.field", f"{name!r} is not a property of form.schema"
        return
    allowed = _enum_values(properties[name])
    if allowed is None and properties[name].get("type") == "boolean":
        allowed = [True, False]
    if allowed is None:
        return
    compared = condition.get("in") or [condition.get("equals", condition.get("not_equals"))]
    for value in compared:
        if value not in allowed:
            yield where, f"{value!r} is not a possible value of {name!r} ({allowed!r})"


def fee_problems(where: str, fee: dict[str, Any], properties: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if fee["type"] == "fixed":
        return
    name = fee["field"]
    if name not in properties:
        yield f"{where}.field", f"{name!r} is not a property of form.schema"
        return
    if fee["type"] == "per_unit" and properties[name].get("type") != "integer":
        yield f"{where}.field", f"a per_unit fee needs an integer field; {name!r} is not"
    if fee["type"] == "by_choice":
        values = properties[name].get("enum")
        if values is None:
            yield f"{where}.field", f"a by_choice fee needs a field with an enum; {name!r} has none"
            return
        for value in values:
            if str(value) not in fee["amounts"]:
                yield f"{where}.amounts", f"no amount for the value {value!r} of {name!r}"
        for choice in fee["amounts"]:
            if choice not in {str(value) for value in values}:
                yield f"{where}.amounts.{choice}", f"is not a value of {name!r}"


def definition_files(path: Path) -> list[Path]:
    """The definition files under `path` (a file or a folder), sorted; the taxonomy is not one."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.yaml") if p.name != TAXONOMY_FILE)
