"""The case's side of decision letters: what a letter says, gathered from the case, rendered by rathaus.letters."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.applications.formengine import FormDefinition
from rathaus.catalog.fees import fee_lines
from rathaus.core.i18n import localized
from rathaus.letters import LetterData, letter_pdf
from rathaus.workflows import workflow_get

from .facts import case_facts
from .models import Case

# Fields that identify the person: they are in the address window, not in the facts of the decision.
PERSONAL_WIDGETS = {"address", "email", "tel", "date", "file", "checkbox"}
PERSONAL_FIELDS = {"vorname", "nachname", "geburtsdatum", "email", "telefon"}
# Short labels for the letter where the form asks a question ("Wie lange soll der Ausweis gelten?").
SHORT_LABELS = {"gueltigkeit": "Gültigkeit", "kennzeichen": "Kennzeichen"}


def _recipient(case: Case) -> tuple[str, tuple[str, ...]]:
    application = case.application
    data = application.data if application else {}
    address = data.get("anschrift") or {}
    applicant: User | None = application.applicant if application else None
    if not address and applicant is not None and applicant.street:
        address = {
            "strasse": applicant.street,
            "hausnummer": applicant.house_number,
            "plz": applicant.postal_code,
            "ort": applicant.city,
        }
    lines = []
    if address:
        lines = [
            f"{address.get('strasse', '')} {address.get('hausnummer', '')}".strip(),
            f"{address.get('plz', '')} {address.get('ort', '')}".strip(),
        ]
    return case.applicant_name, tuple(line for line in lines if line)


def _details(case: Case) -> dict[str, str]:
    application = case.application
    if application is None:
        return {}
    form = FormDefinition(application.definition.data["form"])
    details: dict[str, str] = {}
    for step, _rows in form.summary(application.data):
        for spec in step.fields:
            if spec.name in PERSONAL_FIELDS or spec.widget in PERSONAL_WIDGETS or not spec.active:
                continue
            value = application.data.get(spec.name)
            if value in (None, "", []):
                continue
            details[SHORT_LABELS.get(spec.name, spec.label)] = form.display(spec, value)
    return details


def decision_letter_pdf(*, case: Case, template: str, inputs: dict[str, Any], actor: User | None) -> bytes:
    """The letter for the decision just taken. Raises rathaus.letters.LetterError when it cannot be written."""
    application = case.application
    definition = application.definition.data if application else {}
    name, address = _recipient(case)
    fee_label = ""
    if case.fee_amount is not None and application is not None:
        lines = fee_lines(definition.get("fees", []), application.data)
        fee_label = ", ".join(localized(fee["label"]) for fee, _amount in lines)
    paid = inputs.get("payment_status") == "paid"
    data = LetterData(
        municipality=case.municipality,
        department=case.department.name,
        reference=case.reference,
        service_key=case.service_key,
        service_name=localized(definition["name"]) if definition else case.service_key,
        recipient_name=name,
        recipient_address=address,
        letter_date=timezone.localdate(),
        received_on=timezone.localdate(application.submitted_at)
        if application and application.submitted_at
        else timezone.localdate(case.created_at),
        caseworker=actor.get_full_name() if actor else "",
        contact_email=case.department.email,
        decision_text=str(inputs.get("decision_letter", "")),
        reason=str(inputs.get("reason_text", "")),
        fee_amount=case.fee_amount if case.fee_amount else None,
        fee_label=fee_label,
        payment_hint=_("The fee has already been paid. Thank you.")
        if paid
        else _("Please pay the fee within one month; you can pay online from your postbox or at the counter."),
        legal_basis=tuple(item["title"] for item in definition.get("legal_basis", [])),
        details=_details(case) if template == "approval" else {},
        question=str(inputs.get("question", "")),
        reply_by=case.waiting_until,
    )
    return letter_pdf(data=data, template=template)


def letter_template_for(*, case: Case, transition: str) -> str | None:
    """The letter a transition would issue (its actions or its target's), or None when it issues none."""
    workflow = workflow_get(case.workflow)
    if transition not in workflow.transitions:
        return None
    for action in workflow.actions_for(transition):
        if action.name == "issue_decision_letter":
            return str(action.params["template"])
    return None


def letter_preview_pdf(*, case: Case, transition: str, inputs: dict[str, Any], actor: User) -> bytes | None:
    """The letter as it would go out if `transition` were taken now with `inputs`; nothing is filed or sent."""
    template = letter_template_for(case=case, transition=transition)
    if template is None:
        return None
    actions = {action.name for action in workflow_get(case.workflow).actions_for(transition)}
    if "request_payment" in actions and case.fee_amount is None and case.application is not None:
        case.fee_amount = case.application.fee_total  # in memory only: the preview shows the fee to come
    return decision_letter_pdf(case=case, template=template, inputs={**case_facts(case), **inputs}, actor=actor)
