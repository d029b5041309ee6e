"""JSON Schema (draft 2020-12) of a service definition file; services/README.md explains each field."""

TEXT = {
    "type": "object",
    "required": ["de"],
    "properties": {
        "de": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
}
CODE = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
AMOUNT = {"type": "string", "pattern": r"^[0-9]{1,6}\.[0-9]{2}$"}

FEE = {
    "type": "object",
    "required": ["id", "label", "type"],
    "properties": {
        "id": CODE,
        "label": TEXT,
        "type": {"enum": ["fixed", "per_unit", "by_choice"]},
        "amount": AMOUNT,
        "field": CODE,
        "amounts": {"type": "object", "additionalProperties": AMOUNT, "minProperties": 1},
    },
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"type": {"const": "fixed"}}}, "then": {"required": ["amount"]}},
        {"if": {"properties": {"type": {"const": "per_unit"}}}, "then": {"required": ["amount", "field"]}},
        {"if": {"properties": {"type": {"const": "by_choice"}}}, "then": {"required": ["field", "amounts"]}},
    ],
}
FEES = {"type": "array", "items": FEE}

MIME_TYPES = ["application/pdf", "image/jpeg", "image/png", "image/heic", "image/tiff"]

CONDITION = {
    "type": "object",
    "oneOf": [
        {
            "required": ["field", "equals"],
            "properties": {"field": CODE, "equals": {}},
            "additionalProperties": False,
        },
        {
            "required": ["field", "not_equals"],
            "properties": {"field": CODE, "not_equals": {}},
            "additionalProperties": False,
        },
        {
            "required": ["field", "in"],
            "properties": {"field": CODE, "in": {"type": "array", "minItems": 1}},
            "additionalProperties": False,
        },
        {
            "required": ["all"],
            "properties": {"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}},
            "additionalProperties": False,
        },
        {
            "required": ["any"],
            "properties": {"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}},
            "additionalProperties": False,
        },
    ],
}

WIDGETS = [
    "text",
    "textarea",
    "number",
    "date",
    "email",
    "tel",
    "iban",
    "select",
    "radio",
    "checkboxes",
    "checkbox",
    "address",
    "file",
]
PREFILLS = ["given_name", "family_name", "birthdate", "address", "email", "phone"]

LAYOUT = {
    "type": "object",
    "required": ["steps", "fields"],
    "properties": {
        "steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "title", "fields"],
                "properties": {
                    "id": CODE,
                    "title": TEXT,
                    "intro": TEXT,
                    "fields": {"type": "array", "minItems": 1, "items": CODE},
                    "condition": {"$ref": "#/$defs/condition"},
                },
                "additionalProperties": False,
            },
        },
        "fields": {
            "type": "object",
            "propertyNames": CODE,
            "additionalProperties": {
                "type": "object",
                "required": ["label", "widget"],
                "properties": {
                    "label": TEXT,
                    "help": TEXT,
                    "widget": {"enum": WIDGETS},
                    "prefill": {"enum": PREFILLS},
                    "condition": {"$ref": "#/$defs/condition"},
                    "options": {"type": "object", "additionalProperties": TEXT},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

# Facts automation rules may ask besides the form's fields (computed by rathaus.cases.facts).
AUTOMATION_FACTS = ["payment_status", "address_in_parking_zone", "vehicle_registered_to_applicant"]

# Office-automation of a service: who gets new cases, reminders, and rules that take workflow transitions.
AUTOMATION = {
    "type": "object",
    "properties": {
        "assign": {"enum": ["round_robin", "district"]},
        "remind_days_before_due": {"type": "integer", "minimum": 0, "maximum": 60},
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "in_state", "take"],
                "properties": {
                    "id": CODE,
                    "title": TEXT,
                    "in_state": CODE,
                    "when": {"$ref": "#/$defs/condition"},
                    "take": {"type": "array", "minItems": 1, "items": CODE},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

DEFINITION = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "name",
        "summary",
        "description",
        "department",
        "topics",
        "trust_level",
        "access",
        "fees",
        "legal_basis",
        "processing_time_days",
        "retention_years",
    ],
    "properties": {
        "leika": {"type": "string", "pattern": "^[0-9]{14}$"},
        "name": TEXT,
        "summary": TEXT,
        "description": TEXT,
        "department": CODE,
        "topics": {"type": "array", "minItems": 1, "items": CODE, "uniqueItems": True},
        "life_situations": {"type": "array", "items": CODE, "uniqueItems": True},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 2}},
        "trust_level": {"enum": ["niedrig", "substanziell", "hoch"]},
        "guests_allowed": {"type": "boolean"},
        "access": {"enum": ["online", "online_with_appointment", "appointment", "reservation", "report"]},
        "appointment_minutes": {"type": "integer", "minimum": 5, "maximum": 240},
        "fees": FEES,
        "documents_upload": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "required", "accept", "max_size_mb"],
                "properties": {
                    "id": CODE,
                    "name": TEXT,
                    "hint": TEXT,
                    "required": {"type": "boolean"},
                    "accept": {"type": "array", "minItems": 1, "items": {"enum": MIME_TYPES}},
                    "max_size_mb": {"type": "integer", "minimum": 1, "maximum": 50},
                },
                "additionalProperties": False,
            },
        },
        "documents_bring": {"type": "array", "items": TEXT},
        "legal_basis": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string", "minLength": 3},
                    "url": {"type": "string", "pattern": "^https://"},
                },
                "additionalProperties": False,
            },
        },
        "processing_time_days": {"type": "integer", "minimum": 0, "maximum": 730},
        "workflow": {
            "enum": [
                "simple_approval",
                "approval_with_fee",
                "request_for_information",
                "forward",
                "acknowledge",
                "reservation",
                "appointment_only",
            ]
        },
        "retention_years": {"type": "integer", "minimum": 1, "maximum": 110},
        "automation": AUTOMATION,
        "form": {
            "type": "object",
            "required": ["schema", "layout"],
            "properties": {"schema": {"type": "object"}, "layout": LAYOUT},
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"access": {"const": "appointment"}}},
            "then": {"required": ["appointment_minutes"]},
        },
        # Appointments, reservations (rathaus.reservations: calendar, places, their fees) and reports (the
        # Mängelmelder of rathaus.reports: map, kinds, photos) have no form.
        {
            "if": {"properties": {"access": {"enum": ["appointment", "reservation", "report"]}}},
            "else": {"required": ["form"]},
        },
        # Reservations and reports are handled by their modules and open no case, so they have no workflow.
        {"if": {"properties": {"access": {"enum": ["reservation", "report"]}}}, "else": {"required": ["workflow"]}},
        {
            "if": {"properties": {"access": {"const": "online_with_appointment"}}},
            "then": {"required": ["appointment_minutes"]},
        },
    ],
    "$defs": {"condition": CONDITION},
}

# Offered to every form as `#/$defs/address`, so definitions share one address shape.
ADDRESS_SCHEMA = {
    "type": "object",
    "required": ["strasse", "hausnummer", "plz", "ort"],
    "properties": {
        "strasse": {"type": "string", "minLength": 1, "maxLength": 150},
        "hausnummer": {
            "type": "string",
            "minLength": 1,
            "maxLength": 10,
            "pattern": "^[0-9]+ ?[a-zA-Z]?(-[0-9]+)?$",
        },
        "plz": {"type": "string", "pattern": "^[0-9]{5}$"},
        "ort": {"type": "string", "minLength": 1, "maxLength": 100},
    },
    "additionalProperties": False,
}
