"""The one event function every module calls. Events feed the KPIs and carry no personal data."""

import re

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.tenants.models import Municipality

from .models import AnalyticsSettings, Event

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
        "field_invalid",
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
        # the category code of a defect report, the kind of a reserved place, waste type codes, a lookup's result
        "category",
        "kind",
        "waste_types",
        "result",
        # seconds of a duration (start to submission, submission to decision, report to closing) and whether the
        # promised processing time was kept
        "duration",
        "on_time",
    }
)
_CODE = re.compile(r"^[a-z0-9_.-]{1,60}$")


class EventRejected(ValueError):
    pass


def event_check(*, name: str, dimensions: dict[str, str | int | bool]) -> None:
    """Refuse unknown names, unknown dimensions and anything that is not a short code or a number."""
    if name not in EVENT_NAMES:
        raise EventRejected(f"unknown event {name!r}")
    for key, value in dimensions.items():
        if key not in ALLOWED_DIMENSIONS:
            raise EventRejected(f"dimension {key!r} is not allowed in events")
        if isinstance(value, str) and not _CODE.match(value):
            raise EventRejected(f"dimension {key!r} must be a short code, not free text")
        if not isinstance(value, str | int | bool):
            raise EventRejected(f"dimension {key!r} must be a code, a number or yes/no")


def event_emit(
    *,
    name: str,
    municipality: Municipality,
    service_key: str = "",
    visit: str = "",
    **dimensions: str | int | bool,
) -> None:
    """Record `name` after the surrounding transaction commits (an event of a rolled-back write never happened)."""
    event_check(name=name, dimensions=dimensions)
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


@transaction.atomic
def analytics_settings_update(
    *, municipality: Municipality, compare: bool, publish_open_data: bool, actor: User
) -> AnalyticsSettings:
    """The municipality's opt-ins (comparison, open data), changed by its admin and kept in the audit trail."""
    from rathaus.audit.services import audit_append

    record, _created = AnalyticsSettings.objects.select_for_update().get_or_create(municipality=municipality)
    changes = {
        name: [getattr(record, name), value]
        for name, value in (("compare", compare), ("publish_open_data", publish_open_data))
        if getattr(record, name) != value
    }
    if not changes:
        return record
    record.compare, record.publish_open_data = compare, publish_open_data
    record.save(update_fields=["compare", "publish_open_data", "updated_at"])
    audit_append(
        actor=actor,
        action="analytics.settings",
        object_type="municipality",
        object_id=str(municipality.pk),
        municipality=municipality,
        changes=changes,
    )
    return record
