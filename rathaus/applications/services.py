"""Writes of applications: start, save a step, submit. Every write runs in a transaction and emits events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.catalog.fees import fee_total
from rathaus.catalog.models import ServiceDefinition
from rathaus.catalog.selectors import Service
from rathaus.tenants.models import Municipality

from .formengine import FormDefinition
from .models import Application, ReferenceCounter, StatusChange
from .signals import application_submitted


class ApplicationError(Exception):
    """A request that cannot be carried out; the message is translated and meant for the citizen."""


def draft_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "RATHAUS_DRAFT_DAYS", 30))


def prefill(user: User | None) -> dict[str, Any]:
    """Answers known from the account, by prefill key of the layout (given_name, address, ...)."""
    if user is None:
        return {}
    values: dict[str, Any] = {
        "given_name": user.first_name,
        "family_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "birthdate": user.birthdate.isoformat() if user.birthdate else "",
    }
    address = {"strasse": user.street, "hausnummer": user.house_number, "plz": user.postal_code, "ort": user.city}
    if any(address.values()):
        values["address"] = {part: value for part, value in address.items() if value}
    return {key: value for key, value in values.items() if value}


@transaction.atomic
def application_start(
    *, municipality: Municipality, service: Service, user: User | None, visit: str = ""
) -> Application:
    form = service.data.get("form")
    if not form:
        raise ApplicationError(_("This service has no online form; please book an appointment."))
    definition = ServiceDefinition.objects.get(pk=service.definition_id)
    known = prefill(user)
    data = {
        name: known[hints["prefill"]]
        for name, hints in form["layout"]["fields"].items()
        if hints.get("prefill") in known
    }
    application = Application.objects.create(
        municipality=municipality,
        definition=definition,
        applicant=user,
        data=data,
        current_step=form["layout"]["steps"][0]["id"],
        expires_at=timezone.now() + draft_lifetime(),
    )
    StatusChange.objects.create(application=application, status=Application.Status.DRAFT)
    event_emit(
        name="service_started", municipality=municipality, service_key=service.key, visit=visit, guest=user is None
    )
    return application


@dataclass
class StepResult:
    errors: dict[str, dict[str, list[str]]]
    next_step: str | None


def _form(application: Application) -> FormDefinition:
    return FormDefinition(application.definition.data["form"])


@transaction.atomic
def application_save_step(
    *,
    application: Application,
    step_id: str,
    post: Any,
    uploads: dict[str, str] | None = None,
    validate: bool = True,
    visit: str = "",
) -> StepResult:
    """Store the answers of one step (always: nothing entered is lost) and say what is wrong or where to go next."""
    _lock_draft(application)
    form = _form(application)
    step = form.step(step_id)
    if step is None:
        raise ApplicationError(_("This step does not exist."))
    data = form.parse_step(step, post, application.data)
    for name, upload_id in (uploads or {}).items():
        if name in step["fields"]:
            data[name] = upload_id
    errors = form.errors(data, only=step["fields"]) if validate else {}
    application.data = data
    application.current_step = step_id
    newly_completed = not errors and validate and step_id not in application.completed_steps
    if newly_completed:
        application.completed_steps = [*application.completed_steps, step_id]
    application.expires_at = timezone.now() + draft_lifetime()
    application.save(update_fields=["data", "current_step", "completed_steps", "expires_at", "updated_at"])
    key = application.definition.key
    if errors or not validate:
        event_emit(
            name="draft_saved", municipality=application.municipality, service_key=key, visit=visit, step=step_id
        )
        for name in errors:  # field-level drop-off: which fields stopped the citizen (field ids only, no values)
            event_emit(
                name="field_invalid",
                municipality=application.municipality,
                service_key=key,
                visit=visit,
                step=step_id,
                field=name,
            )
        return StepResult(errors=errors, next_step=None)
    if newly_completed:  # the step funnel counts each application once per step
        event_emit(
            name="step_completed", municipality=application.municipality, service_key=key, visit=visit, step=step_id
        )
    steps = [s["id"] for s in form.visible_steps(data)]
    position = steps.index(step_id) if step_id in steps else -1
    return StepResult(errors={}, next_step=steps[position + 1] if position + 1 < len(steps) else None)


def _lock_draft(application: Application) -> None:
    """Re-read the row under a lock; only drafts can be changed."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_draft:
        raise ApplicationError(_("This application has already been sent and can no longer be changed."))
    application.status = locked.status


def application_problems(*, application: Application) -> dict[str, dict[str, list[str]]]:
    """Everything still wrong or missing in the whole form."""
    return _form(application).errors(application.data)


def application_fee(*, application: Application, fees: list[dict[str, Any]]) -> Any:
    return fee_total(fees, _form(application).pruned(application.data))


def _reference_next(municipality: Municipality) -> str:
    year = timezone.localdate().year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(municipality=municipality, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    prefix = municipality.slug[:3].upper()
    return f"{prefix}-{year}-{counter.last_number:06d}"


@transaction.atomic
def application_submit(
    *,
    application: Application,
    consent: bool,
    trust_level: str,
    fees: list[dict[str, Any]],
    payment_method: str = "",
    visit: str = "",
) -> Application:
    """Submit once. A second call (double click, a late payment notification) returns the submitted application."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status == Application.Status.SUBMITTED:
        return locked
    if not locked.is_draft:
        raise ApplicationError(_("This application can no longer be sent."))
    if not consent and locked.consent_at is None:
        raise ApplicationError(_("Please confirm that your entries are correct and complete."))
    form = _form(locked)
    if form.errors(locked.data):
        raise ApplicationError(_("Some entries are missing or not valid. Please check the marked steps."))
    now = timezone.now()
    locked.data = form.pruned(locked.data)
    locked.fee_total = fee_total(fees, locked.data)
    locked.payment_method = payment_method or locked.payment_method
    locked.trust_level = trust_level or locked.trust_level
    locked.consent_at = locked.consent_at or now
    locked.reference = _reference_next(locked.municipality)
    locked.status = Application.Status.SUBMITTED
    locked.submitted_at = now
    locked.expires_at = None
    locked.save()
    StatusChange.objects.create(application=locked, status=locked.status)
    event_emit(
        name="application_submitted",
        municipality=locked.municipality,
        service_key=locked.definition.key,
        visit=visit,
        method=payment_method or "none",
        trust_level=trust_level or "none",
        duration=int((now - locked.created_at).total_seconds()),  # time to complete, from the draft's start
    )
    transaction.on_commit(lambda: application_submitted.send(sender=Application, application=locked))
    return locked


@transaction.atomic
def application_await_payment(
    *, application: Application, consent: bool, payment_method: str, trust_level: str
) -> Application:
    """Checked and consented, the citizen is now paying: the application waits for the payment's confirmation."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_draft:
        raise ApplicationError(_("This application can no longer be sent."))
    if not consent:
        raise ApplicationError(_("Please confirm that your entries are correct and complete."))
    if _form(locked).errors(locked.data):
        raise ApplicationError(_("Some entries are missing or not valid. Please check the marked steps."))
    locked.consent_at = timezone.now()
    locked.payment_method = payment_method
    locked.trust_level = trust_level
    if locked.status != Application.Status.AWAITING_PAYMENT:
        locked.status = Application.Status.AWAITING_PAYMENT
        StatusChange.objects.create(application=locked, status=locked.status)
    locked.save()
    return locked


def application_status_record(*, application: Application, status: str, note: str) -> None:
    """A step of the case processing, for the citizen's status history ("Meine Anträge"). `note` is what they read."""
    last = application.status_changes.order_by("-at", "-pk").first()
    if last is not None and last.status == status[:30] and last.note == note[:300]:
        return
    StatusChange.objects.create(application=application, status=status[:30], note=note[:300])


@transaction.atomic
def application_erase(*, application: Application) -> int:
    """Delete a submitted application with its answers, its status history and the proofs uploaded for it; the
    stored files follow after the commit. For the end of the retention period: the case module first unlinks the
    case and erases the postbox messages (both protect the application). Returns how many uploads were deleted."""
    import uuid

    from rathaus.uploads.models import Upload

    fields = _form(application).upload_fields() if application.definition.data.get("form") else []
    upload_ids = []
    for name in fields:
        try:
            upload_ids.append(uuid.UUID(str(application.data.get(name))))
        except ValueError:
            continue  # an empty or unknown answer names no upload
    uploads = Upload.objects.filter(public_id__in=upload_ids, municipality_id=application.municipality_id)
    if application.applicant_id is not None:
        uploads = uploads.filter(owner_id=application.applicant_id)
    else:
        uploads = uploads.filter(owner__isnull=True)
    # The uploads app has no erase function for the system yet; deleting the rows removes their files (receiver).
    _total, deleted = uploads.delete()
    application.delete()
    return deleted.get(Upload._meta.label, 0)
