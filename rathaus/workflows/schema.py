"""JSON Schema (draft 2020-12) of a workflow definition file (rathaus/workflows/definitions/*.yaml).

The schema checks the shape; rathaus.workflows.loader adds the checks a schema cannot express (references
between states and transitions, reachability, known actions and their parameters).
"""

from typing import Any

from rathaus.catalog.definition_schema import CONDITION as FORM_CONDITION

ROLES = ["caseworker", "team_lead", "department_admin", "municipality_admin", "system", "citizen"]
WAITS_FOR = ["citizen", "payment"]
# What the person taking a transition must supply; the case module passes it in the context under this name.
REQUIREMENTS = ["reason_text", "decision_letter", "department", "question"]

CODE = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
TEXT = {
    "type": "object",
    "required": ["de", "en"],
    "properties": {
        "de": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
}

# The same condition language as service forms (rathaus.applications.formengine.condition_holds).
CONDITION: dict[str, Any] = FORM_CONDITION

# A transition's condition: a condition plus the message that says why the transition is refused while it
# does not hold.
GUARD = {
    "type": "object",
    "required": ["when", "message"],
    "properties": {"when": {"$ref": "#/$defs/condition"}, "message": TEXT},
    "additionalProperties": False,
}

# An action: its name and parameters. Which names exist and which parameters each takes is checked by the
# loader against rathaus.workflows.engine.ACTIONS, so that the error can list the known names.
ACTION = {
    "type": "object",
    "required": ["action"],
    "properties": {"action": CODE},
    "additionalProperties": {"type": ["string", "integer", "boolean"]},
}

STATE = {
    "type": "object",
    "required": ["title", "final", "citizen_status"],
    "properties": {
        "title": TEXT,
        "final": {"type": "boolean"},
        "citizen_status": TEXT,
        "waits_for": {"enum": [*WAITS_FOR, None]},
        "on_entry": {"type": "array", "items": ACTION},
    },
    "additionalProperties": False,
}

TRANSITION = {
    "type": "object",
    "required": ["from", "to", "title", "roles"],
    "properties": {
        "from": {"type": "array", "minItems": 1, "items": CODE, "uniqueItems": True},
        "to": CODE,
        "title": TEXT,
        "decision": {"type": "boolean"},
        "roles": {"type": "array", "minItems": 1, "items": {"enum": ROLES}, "uniqueItems": True},
        "conditions": {"type": "array", "items": GUARD},
        "requires": {"type": "array", "items": {"enum": REQUIREMENTS}, "uniqueItems": True},
        "on_taken": {"type": "array", "items": ACTION},
    },
    "additionalProperties": False,
}

WORKFLOW = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "title", "initial", "states", "transitions"],
    "properties": {
        "name": CODE,
        "title": TEXT,
        "description": TEXT,
        "initial": CODE,
        "states": {"type": "object", "minProperties": 1, "propertyNames": CODE, "additionalProperties": STATE},
        "transitions": {"type": "object", "propertyNames": CODE, "additionalProperties": TRANSITION},
    },
    "additionalProperties": False,
    "$defs": {"condition": CONDITION},
}
