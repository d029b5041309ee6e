"""The one event function every module calls. Events feed the KPIs and carry no personal data."""

import re

from django.db import transaction
from django.utils import timezone

from rathaus.tenants.models import Municipality

from .models import Event

# Every event name Rathaus emits; a typo is an error, not a silently new KPI.
EVENT_NAMES = frozenset(
    {
        "service_started",
        "step_completed",
        "draft_saved",
        "draft_resumed",
        "upload_accepted",
        "upload_rejected",
        "payment_method_chosen",
        "payment_succeeded",
        "payment_failed",
        "application_submitted",
        "login",
        "registration_completed",
        "postbox_message_sent",
        "postbox_reply_received",
        "case_opened",
        "case_transition",
        "case_decided",
        "case_closed",
        "appointment_booked",
        "appointment_confirmed",
        "appointment_cancelled",
        "appointment_no_show",
        "report_filed",
        "report_supported",
        "report_closed",
        "waste_calendar_subscribed",
        "waste_calendar_pdf",
        "id_status_looked_up",
        "reservation_requested",
        "reservation_confirmed",
        "reservation_declined",
        "reservation_cancelled",
        "reservation_expired",
        "reservation_no_show",
    }
)
# Dimensions are short codes (step ids, methods, trust levels, counts) - never what a person typed.
ALLOWED_DIMENSIONS = frozenset(
    {
        "step",
        "method",
        "trust_level",
        "login_method",
        "provider",
        "reason",
        "count",
        "field",
        "guest",
        "language",
        "category",
        "waste_types",
        "result",
        "kind",
    }
)
_CODE = re.compile(r"^[a-z0-9_.-]{1,60}$")


class EventRejected(ValueError):
    pass


def event_emit(
    *,
    name: str,
    municipality: Municipality,
    service_key: str = "",
    visit: str = "",
    **dimensions: str | int | bool,
) -> None:
    """Record `name` after the surrounding transaction commits (an event of a rolled-back write never happened)."""
    if name not in EVENT_NAMES:
        raise EventRejected(f"unknown event {name!r}")
    for key, value in dimensions.items():
        if key not in ALLOWED_DIMENSIONS:
            raise EventRejected(f"dimension {key!r} is not allowed in events")
        if isinstance(value, str) and not _CODE.match(value):
            raise EventRejected(f"dimension {key!r} must be a short code, not free text")
    occurred_at = timezone.now()
    transaction.on_commit(
        lambda: Event.objects.create(
            name=name,
            occurred_at=occurred_at,
            municipality=municipality,
            service_key=service_key,
            visit=visit,
            dimensions=dimensions,
        )
    )
