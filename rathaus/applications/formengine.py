"""Forms from a service definition: steps, conditions, parsing what a browser sends, German error messages.

The definition's JSON Schema is the single source of validation; the layout only says what is shown where.
Parsing keeps what a person typed even when it is invalid (a number field with "zwölf" stays "zwölf"), so a
page with errors shows everything as it was entered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from jsonschema.exceptions import ValidationError

from rathaus.catalog.formschema import form_validator
from rathaus.core.i18n import localized

ADDRESS_PARTS = ("strasse", "hausnummer", "plz", "ort")
GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def condition_holds(condition: Mapping[str, Any] | None, data: Mapping[str, Any]) -> bool:
    if not condition:
        return True
    if "all" in condition:
        return all(condition_holds(part, data) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, data) for part in condition["any"])
    value = data.get(condition["field"])
    if "equals" in condition:
        return value == condition["equals"]
    if "not_equals" in condition:
        return value != condition["not_equals"]
    return value in condition["in"]


@dataclass
class Field:
    name: str
    widget: str
    label: str
    help: str
    required: bool
    value: Any
    options: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    part_errors: dict[str, list[str]] = field(default_factory=dict)
    max_length: int | None = None
    prefill: str = ""
    condition: dict[str, Any] | None = None
    condition_text: str = ""
    active: bool = True  # False: its condition does not hold now; shown (without JavaScript) but not needed

    @property
    def condition_json(self) -> str:
        return json.dumps(self.condition) if self.condition else ""

    @property
    def autocomplete(self) -> str:
        """The HTML autocomplete token, so browsers and password managers can fill known data."""
        tokens = {
            "given_name": "given-name",
            "family_name": "family-name",
            "birthdate": "bday",
            "email": "email",
            "phone": "tel",
        }
        return tokens.get(self.prefill, "")

    @property
    def html_id(self) -> str:
        return f"feld-{self.name}"

    @property
    def error_id(self) -> str:
        return f"fehler-{self.name}"

    @property
    def is_group(self) -> bool:
        """Rendered as a fieldset with a legend (several inputs), not as one labelled input."""
        return self.widget in {"radio", "checkboxes", "address"}

    @property
    def selected(self) -> set[str]:
        if isinstance(self.value, list):
            return {str(item) for item in self.value}
        return {str(self.value)} if self.value not in (None, "") else set()

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or any(self.part_errors.values()))


@dataclass
class Step:
    id: str
    title: str
    intro: str
    fields: list[Field]

    @property
    def has_files(self) -> bool:
        return any(f.widget == "file" for f in self.fields)


class FormDefinition:
    """The form of one service definition (`data["form"]`)."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        self.schema: dict[str, Any] = form["schema"]
        self.layout: dict[str, Any] = form["layout"]
        self.properties: dict[str, Any] = self.schema["properties"]
        self.validator = form_validator(self.schema)

    # --- structure -------------------------------------------------------------------------------------
    def visible_steps(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [step for step in self.layout["steps"] if condition_holds(step.get("condition"), data)]

    def step(self, step_id: str) -> dict[str, Any] | None:
        return next((step for step in self.layout["steps"] if step["id"] == step_id), None)

    def visible_fields(self, step: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
        return [name for name in step["fields"] if condition_holds(self.layout["fields"][name].get("condition"), data)]

    def visible_names(self, data: Mapping[str, Any]) -> set[str]:
        return {name for step in self.visible_steps(data) for name in self.visible_fields(step, data)}

    def pruned(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """`data` without the answers to fields that are hidden now (they are neither validated nor submitted)."""
        # A hidden field can hide others; repeat until nothing changes.
        current = dict(data)
        while True:
            visible = self.visible_names(current)
            kept = {name: value for name, value in current.items() if name in visible}
            if kept == current:
                return kept
            current = kept

    # --- parsing -----------------------------------------------------------------------------------------
    def parse_step(self, step: Mapping[str, Any], post: Any, data: Mapping[str, Any]) -> dict[str, Any]:
        """New form data: `data` with the answers of this step's fields taken from `post` (a QueryDict).

        Only fields of this step are read; anything else in the request (foreign or invented fields) is ignored.
        """
        result = dict(data)
        for name in step["fields"]:
            widget = self.layout["fields"][name]["widget"]
            if widget == "file":
                continue  # files arrive separately (see the view); the stored upload id stays
            value = self._parse_value(name, widget, post)
            if value is None:
                result.pop(name, None)
            else:
                result[name] = value
        # Conditions inside the step refer to the new answers.
        return result

    def _parse_value(self, name: str, widget: str, post: Any) -> Any:
        prop = self.properties[name]
        if widget == "address":
            parts = {part: post.get(f"{name}__{part}", "").strip() for part in ADDRESS_PARTS}
            return {part: value for part, value in parts.items() if value} or None
        if widget == "checkboxes":
            allowed = prop.get("items", {}).get("enum", [])
            return _match_enum(post.getlist(name), allowed) or None
        if widget == "checkbox":
            return post.get(name) in {"on", "true", "1", "ja"}
        raw = post.get(name, "")
        raw = raw.strip() if isinstance(raw, str) else ""
        if raw == "":
            return None
        if widget in {"select", "radio"} or "enum" in prop:
            matched = _match_enum([raw], prop.get("enum", []))
            return matched[0] if matched else raw
        if prop.get("type") == "integer":
            return int(raw) if re.fullmatch(r"[+-]?\d{1,12}", raw) else raw
        if prop.get("type") == "number":
            candidate = raw.replace(".", "").replace(",", ".") if "," in raw else raw
            try:
                return float(candidate)
            except ValueError:
                return raw
        if widget == "iban":
            return re.sub(r"\s+", "", raw).upper()
        if widget == "date":
            german = GERMAN_DATE.match(raw)
            if german:
                day, month, year = (int(part) for part in german.groups())
                try:
                    return date(year, month, day).isoformat()
                except ValueError:
                    return raw
        return raw

    # --- validation --------------------------------------------------------------------------------------
    def errors(self, data: Mapping[str, Any], only: Iterable[str] | None = None) -> dict[str, dict[str, list[str]]]:
        """German messages per field (and per address part, "" for the field itself) for the visible fields."""
        pruned = self.pruned(data)
        wanted = set(only) if only is not None else None
        visible = self.visible_names(pruned)
        result: dict[str, dict[str, list[str]]] = {}
        for error in self.validator.iter_errors(pruned):
            for name, part, message in self._messages(error):
                if name not in visible or (wanted is not None and name not in wanted):
                    continue
                messages = result.setdefault(name, {}).setdefault(part, [])
                if message not in messages:
                    messages.append(message)
        return result

    def _messages(self, error: ValidationError) -> list[tuple[str, str, str]]:
        path = list(error.absolute_path)
        if error.validator == "required":
            missing = [name for name in error.validator_value if name not in (error.instance or {})]
            if not path:
                return [(name, "", self._required_message(name)) for name in missing]
            return [(str(path[0]), part, _("Please fill in this field.")) for part in missing]
        if error.validator in {"allOf", "if", "then"}:
            return []
        if not path:
            return []
        name = str(path[0])
        part = str(path[1]) if len(path) > 1 and not isinstance(path[1], int) else ""
        return [(name, part, self._message(name, part, error))]

    def _required_message(self, name: str) -> str:
        widget = self.layout["fields"].get(name, {}).get("widget")
        if widget == "file":
            return _("Please upload this document.")
        if widget in {"radio", "select"}:
            return _("Please choose one of the options.")
        if widget == "checkboxes":
            return _("Please choose at least one option.")
        if widget == "checkbox":
            return _("Please confirm this.")
        return _("Please fill in this field.")

    def _message(self, name: str, part: str, error: ValidationError) -> str:
        keyword = error.validator
        limit = error.validator_value
        widget = self.layout["fields"].get(name, {}).get("widget")
        if part == "plz":
            return _("Please enter a postcode of 5 digits.")
        if part == "hausnummer" and keyword == "pattern":
            return _("Please enter a house number such as 12 or 12a.")
        if keyword == "minLength":
            return (
                _("Please fill in this field.")
                if limit <= 1
                else _("Please enter at least %(n)s characters.") % {"n": limit}
            )
        if keyword == "maxLength":
            return _("Please enter at most %(n)s characters.") % {"n": limit}
        if keyword == "const" and limit is True:
            return _("Please confirm this.")
        if keyword in {"enum", "const"}:
            return _("Please choose one of the options.")
        if keyword == "format":
            return {
                "date": _("Please enter a date, for example 31.12.1980."),
                "email": _("Please enter a valid e-mail address, for example name@example.org."),
                "iban": _("This IBAN is not valid. Please check the digits."),
                "upload": _("Please upload this document."),
            }.get(limit, _("Please check this entry."))
        if keyword == "type":
            if limit == "integer":
                return _("Please enter a whole number, for example 3.")
            if limit == "number":
                return _("Please enter a number.")
            return _("Please check this entry.")
        if keyword == "minimum":
            return _("Please enter a number of at least %(n)s.") % {"n": limit}
        if keyword == "maximum":
            return _("Please enter a number of at most %(n)s.") % {"n": limit}
        if keyword == "minItems":
            return _("Please choose at least %(n)s options.") % {"n": limit}
        if keyword == "maxItems":
            return _("Please choose at most %(n)s options.") % {"n": limit}
        if keyword == "pattern":
            if widget == "tel":
                return _("Please enter a phone number, for example 06172 123456.")
            help_text = localized(self.layout["fields"].get(name, {}).get("help"))
            return _("Please check the format of this entry.") + (f" {help_text}" if help_text else "")
        return _("Please check this entry.")

    # --- presentation ------------------------------------------------------------------------------------
    def build_step(
        self, step: Mapping[str, Any], data: Mapping[str, Any], errors: Mapping[str, Mapping[str, list[str]]]
    ) -> Step:
        required = set(self.schema.get("required", []))
        fields = []
        active = set(self.visible_fields(step, data))
        # Without JavaScript every field of the step is on the page; a conditional one says when it is needed,
        # and conditions.js hides it while its condition does not hold.
        for name in step["fields"]:
            hints = self.layout["fields"][name]
            prop = self.properties[name]
            field_errors = errors.get(name, {})
            fields.append(
                Field(
                    name=name,
                    widget=hints["widget"],
                    label=localized(hints["label"]),
                    help=" ".join(
                        part
                        for part in (self.condition_text(hints.get("condition")), localized(hints.get("help")))
                        if part
                    ),
                    required=name in required or self._conditionally_required(name),
                    value=data.get(name),
                    options=[(value, localized(label)) for value, label in hints.get("options", {}).items()],
                    errors=list(field_errors.get("", [])),
                    part_errors={part: list(messages) for part, messages in field_errors.items() if part},
                    max_length=prop.get("maxLength"),
                    prefill=hints.get("prefill", ""),
                    condition=hints.get("condition"),
                    condition_text=self.condition_text(hints.get("condition")),
                    active=name in active,
                )
            )
        return Step(id=step["id"], title=localized(step["title"]), intro=localized(step.get("intro")), fields=fields)

    def condition_text(self, condition: Mapping[str, Any] | None) -> str:
        """The condition in words, e.g. 'Only needed if you chose “Another person” for “Who is the keeper?”'."""
        if not condition:
            return ""
        parts = self._condition_parts(condition)
        return _("Only needed if %(condition)s.") % {"condition": parts}

    def _condition_parts(self, condition: Mapping[str, Any]) -> str:
        if "all" in condition:
            return _(" and ").join(self._condition_parts(part) for part in condition["all"])
        if "any" in condition:
            return _(" or ").join(self._condition_parts(part) for part in condition["any"])
        hints = self.layout["fields"].get(condition["field"], {})
        question = localized(hints.get("label"))
        options = {key: localized(label) for key, label in hints.get("options", {}).items()}

        def shown(value: Any) -> str:
            if value is True:
                return _("yes")
            if value is False:
                return _("no")
            return options.get(str(value), str(value))

        if "not_equals" in condition:
            return _("your answer to “%(question)s” is not “%(value)s”") % {
                "question": question,
                "value": shown(condition["not_equals"]),
            }
        values = condition["in"] if "in" in condition else [condition["equals"]]
        return _("your answer to “%(question)s” is “%(value)s”") % {
            "question": question,
            "value": _("” or “").join(shown(value) for value in values),
        }

    def _conditionally_required(self, name: str) -> bool:
        """Required by an if/then rule: shown only when that rule applies, so it is marked as required."""
        return any(name in rule.get("then", {}).get("required", []) for rule in self.schema.get("allOf", []))

    def summary(self, data: Mapping[str, Any]) -> list[tuple[Step, list[tuple[str, str]]]]:
        """Per visible step: (label, answer as text) for the summary page and the receipt."""
        pruned = self.pruned(data)
        result = []
        for step in self.visible_steps(pruned):
            built = self.build_step(step, pruned, {})
            rows = [
                (f.label, self.display(f, pruned.get(f.name))) for f in built.fields if f.widget != "file" and f.active
            ]
            result.append((built, rows))
        return result

    def display(self, spec: Field, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        labels = dict(spec.options)
        if spec.widget == "checkbox":
            return _("yes") if value else _("no")
        if spec.widget == "checkboxes":
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        if spec.widget in {"radio", "select"}:
            return labels.get(str(value), str(value))
        if spec.widget == "address" and isinstance(value, dict):
            street = f"{value.get('strasse', '')} {value.get('hausnummer', '')}"
            return f"{street}, {value.get('plz', '')} {value.get('ort', '')}"
        if spec.widget == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            year, month, day = value.split("-")
            return f"{day}.{month}.{year}"
        if spec.widget == "iban" and isinstance(value, str):
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return str(value)

    def upload_fields(self) -> list[str]:
        return [name for name, hints in self.layout["fields"].items() if hints["widget"] == "file"]


def _match_enum(raw_values: list[str], allowed: list[Any]) -> list[Any]:
    """The enum values (with their JSON type) that the submitted strings name; unknown strings are dropped."""
    by_text = {str(value): value for value in allowed}
    return [by_text[raw] for raw in raw_values if raw in by_text]
