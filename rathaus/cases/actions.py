"""The actions a workflow names (workflows.ACTIONS), run inside the transaction of the transition that fired them.

A decision letter and the message announcing it travel together: `issue_decision_letter` prepares the letter,
the following `notify_citizen` delivers it; a letter that no notice picked up is delivered on its own at the end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rathaus.accounts.models import User
from rathaus.applications.services import application_status_record
from rathaus.audit.services import audit_append
from rathaus.catalog.fees import fee_total
from rathaus.core.i18n import localized
from rathaus.payments.selectors import payment_for_purpose
from rathaus.payments.services import payment_start
from rathaus.postbox.models import Document, Message
from rathaus.postbox.services import PostboxError, document_store, message_send_to_citizen
from rathaus.workflows import Action, Workflow

from .letters import decision_letter_pdf
from .models import Case, CaseDocument

logger = logging.getLogger(__name__)

NOTICE_SUBJECTS = {
    "in_progress": gettext_noop("Your application is being processed"),
    "decision": gettext_noop("Decision on your application"),
    "payment_received": gettext_noop("Payment received"),
    "forwarded": gettext_noop("Your application has been forwarded"),
    "closed": gettext_noop("Your application is closed"),
}


@dataclass
class Run:
    case: Case
    workflow: Workflow
    inputs: dict[str, Any]
    actor: User | None
    letters: list[Document] = field(default_factory=list)


def _note(run: Run, action: str, changes: dict[str, Any]) -> None:
    audit_append(
        actor=run.actor,
        action=action,
        object_type="case",
        object_id=str(run.case.public_id),
        municipality=run.case.municipality,
        changes=changes,
        rule="" if run.actor else "workflow",
    )


def _send(run: Run, *, subject: str, body: str, kind: str, documents: list[Document], **extra: Any) -> Message | None:
    """Into the applicant's postbox; None when there is none (a guest): the case file then says to send by post."""
    application = run.case.application
    if application is None:
        return None
    try:
        return message_send_to_citizen(
            application=application,
            subject=f"{subject} ({run.case.reference})",
            body=body,
            kind=kind,
            documents=documents,
            **extra,
        )
    except PostboxError:
        _note(run, "case.postbox_unavailable", {"to_send_by_post": subject})
        return None


def notify_citizen(run: Run, params: dict[str, Any]) -> None:
    template = params.get("template", "")
    subject = _(NOTICE_SUBJECTS.get(template, gettext_noop("News about your application")))
    body = run.workflow.citizen_status(run.case.state)
    if run.letters:
        body += "\n\n" + _("The decision letter is attached to this message.")
    if run.inputs.get("reason_text") and not run.letters:
        body += "\n\n" + str(run.inputs["reason_text"])
    kind = "decision" if run.letters else "information"
    _send(run, subject=subject, body=body, kind=kind, documents=run.letters)
    run.letters = []


def issue_decision_letter(run: Run, params: dict[str, Any]) -> None:
    from .documents import case_document_add

    template = params["template"]
    content = decision_letter_pdf(case=run.case, template=template, inputs=run.inputs, actor=run.actor)
    title = _("Decision letter") if template in {"approval", "rejection"} else _("Letter")
    file_name = f"Bescheid-{run.case.reference}.pdf"
    case_document_add(
        case=run.case,
        kind=CaseDocument.Kind.LETTER,
        title=title,
        content=content,
        file_name=file_name,
        content_type="application/pdf",
        actor=run.actor,
    )
    if run.case.application is not None and run.case.application.applicant_id is not None:
        run.letters.append(
            document_store(
                municipality=run.case.municipality, name=file_name, content=content, content_type="application/pdf"
            )
        )


def request_payment(run: Run, params: dict[str, Any]) -> None:
    application = run.case.application
    if application is None:
        return
    amount = application.fee_total
    if amount is None:
        amount = fee_total(application.definition.data.get("fees", []), application.data)
    run.case.fee_amount = amount
    run.case.save(update_fields=["fee_amount"])
    purpose = f"application:{application.public_id}"
    if amount and payment_for_purpose(purpose=purpose) is None:
        # Not paid when applying: an invoice, paid by transfer or at the counter and booked by staff.
        payment_start(
            municipality=run.case.municipality,
            purpose=purpose,
            amount=amount,
            description=localized(application.definition.data["name"]),
            method="invoice",
            return_url=reverse("applications:detail", args=[application.public_id]),
            service_key=run.case.service_key,
        )


def send_request_for_information(run: Run, params: dict[str, Any]) -> None:
    from .documents import case_document_add

    question = str(run.inputs["question"]).strip()
    message = _send(
        run,
        subject=_("A question about your application"),
        body=question,
        kind="request_for_information",
        documents=[],
        reply_due=run.case.waiting_until,
    )
    case_document_add(
        case=run.case,
        kind=CaseDocument.Kind.MESSAGE,
        title=_("Question to the applicant"),
        content=question.encode(),
        file_name="Nachfrage.txt",
        content_type="text/plain",
        actor=run.actor,
    )
    if message is not None:
        run.case.awaiting_message = message.public_id
        run.case.save(update_fields=["awaiting_message"])


def assign_to_department(run: Run, params: dict[str, Any]) -> None:
    code = str(run.inputs["department"])
    department = run.case.municipality.departments.filter(code=code).first()
    if department is None:
        from rathaus.workflows import TransitionRefused

        raise TransitionRefused(
            code=TransitionRefused.MISSING_REQUIREMENT,
            transition="forward",
            state=run.case.state,
            message=_("Please choose the department the case goes to."),
            requirement="department",
        )
    old = run.case.department.code
    run.case.department = department
    run.case.assignee = None
    run.case.save(update_fields=["department", "assignee"])
    _note(run, "case.forward", {"department": [old, department.code]})


def set_deadline(run: Run, params: dict[str, Any]) -> None:
    run.case.waiting_until = timezone.localdate() + timedelta(days=int(params["days"]))
    run.case.save(update_fields=["waiting_until"])


HANDLERS = {
    "notify_citizen": notify_citizen,
    "issue_decision_letter": issue_decision_letter,
    "request_payment": request_payment,
    "send_request_for_information": send_request_for_information,
    "assign_to_department": assign_to_department,
    "set_deadline": set_deadline,
}


def run(*, case: Case, workflow: Workflow, transition: str, inputs: dict[str, Any], actor: User | None) -> None:
    """Run the transition's actions in order; deadlines first, so a question can name its answer date."""
    planned: list[Action] = workflow.actions_for(transition)
    ordered = [a for a in planned if a.name == "set_deadline"] + [a for a in planned if a.name != "set_deadline"]
    state = Run(case=case, workflow=workflow, inputs=inputs, actor=actor)
    for action in ordered:
        HANDLERS[action.name](state, dict(action.params))
    if state.letters:
        notify_citizen(state, {"template": "decision"})
    if case.application is not None:
        application_status_record(
            application=case.application, status=case.state, note=workflow.citizen_status(case.state)
        )
