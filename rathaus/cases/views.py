"""The back office: the department's inbox and the case file (E-Akte) with its next steps."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rathaus.accounts.models import User
from rathaus.accounts.views import staff_required
from rathaus.applications.formengine import FormDefinition
from rathaus.audit.selectors import entries_for_object
from rathaus.core.i18n import localized
from rathaus.tenants.requests import MunicipalityRequest
from rathaus.workflows import TransitionRefused, workflow_get

from . import selectors, services
from .models import Case
from .permissions import roles_for_case

INPUT_NAMES = ("reason_text", "question", "decision_letter", "department")
INPUT_MAX = 5000


def staff_user(request: MunicipalityRequest) -> User:
    assert isinstance(request.user, User) and request.municipality is not None  # staff_required checked it
    return request.user


def case_for_request(request: MunicipalityRequest, public_id: UUID) -> Case:
    """The case if the logged-in staff member may see it; 404 otherwise (others' cases do not exist for them)."""
    assert request.municipality is not None
    case = selectors.case_get_for_staff(
        user=staff_user(request), municipality=request.municipality, public_id=public_id
    )
    if case is None:
        raise Http404
    return case


@never_cache
@require_GET
@staff_required
def inbox(request: MunicipalityRequest) -> HttpResponse:
    user = staff_user(request)
    assert request.municipality is not None
    filters = selectors.InboxFilter.from_query(request.GET)
    cases = selectors.case_list_for_staff(user=user, municipality=request.municipality, filters=filters)
    page = Paginator(cases, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "cases/inbox.html",
        {
            "page": page,
            "rows": [selectors.InboxRow.of(case) for case in page.object_list],
            "counts": selectors.state_counts(user=user, municipality=request.municipality),
            "services": selectors.services_in_inbox(user=user, municipality=request.municipality),
            "filters": filters,
            "sort_choices": selectors.SORT_CHOICES,
            "query": query.urlencode(),
        },
    )


def _detail_context(
    request: MunicipalityRequest,
    case: Case,
    *,
    entered: dict[str, str] | None = None,
    error: TransitionRefused | services.CaseError | None = None,
) -> dict[str, Any]:
    user = staff_user(request)
    workflow = workflow_get(case.workflow)
    application = case.application
    from .documents import current_documents, document_versions

    context = selectors.case_context(case)  # the payment status: one lookup for the steps and the page
    transitions = workflow.available_transitions(
        state=case.state, roles=roles_for_case(user=user, case=case), context=context
    )
    summary = []
    service_name = case.service_key
    if application is not None:
        summary = FormDefinition(application.definition.data["form"]).summary(application.data)
        service_name = localized(application.definition.data["name"])
    return {
        "case": case,
        "service_name": service_name,
        "state_title": workflow.state(case.state).label,
        "summary": summary,
        "transitions": transitions,
        "departments": case.municipality.departments.exclude(pk=case.department_id).order_by("name"),
        "colleagues": selectors.colleagues_for(case=case),
        "history": selectors.history_rows(
            entries_for_object(object_type="case", object_id=str(case.public_id)).exclude(action__endswith="read")
        ),
        "documents": [(document, document_versions(document)) for document in current_documents(case)],
        "overdue": selectors.is_overdue(case),
        "payment_status": context["payment_status"],
        "entered": entered or {},
        "error": error,
        "entered_elsewhere": _entered_elsewhere(entered or {}, transitions),
    }


INPUT_LABELS = {
    "reason_text": gettext_lazy("Reason"),
    "question": gettext_lazy("Your question to the applicant"),
    "decision_letter": gettext_lazy("Text of the decision letter (optional)"),
}


def _entered_elsewhere(entered: dict[str, str], transitions: list[Any]) -> list[tuple[str, str]]:
    """Texts typed for a step the page no longer offers (refused, or the case moved on): shown so none is lost."""
    if not entered or entered.get("transition") in {t.code for t in transitions}:
        return []
    return [(str(label), entered[name]) for name, label in INPUT_LABELS.items() if entered.get(name, "").strip()]


@never_cache
@require_GET
@staff_required
def case_detail(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    services.case_read_record(case=case, actor=staff_user(request))
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _version(request: MunicipalityRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@require_POST
@staff_required
def case_transition(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    user = staff_user(request)
    case = case_for_request(request, public_id)
    transition = request.POST.get("transition", "")[:60]
    entered = {name: request.POST.get(name, "")[:INPUT_MAX] for name in INPUT_NAMES}
    try:
        case = services.case_transition(
            case=case,
            transition=transition,
            actor=user,
            roles=roles_for_case(user=user, case=case),
            expected_version=_version(request),
            inputs={**entered},
        )
    except (TransitionRefused, services.CaseError) as refusal:
        # Shown on the page with everything the caseworker typed, so nothing is lost.
        status = 409 if isinstance(refusal, services.CaseConflict) else 400
        case.refresh_from_db()
        context = _detail_context(request, case, entered={**entered, "transition": transition}, error=refusal)
        return render(request, "cases/case_detail.html", context, status=status)
    messages.success(
        request,
        _("Done: the case is now “%(state)s”.") % {"state": workflow_get(case.workflow).state(case.state).label},
    )
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
@staff_required
def case_assign(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    user = staff_user(request)
    case = case_for_request(request, public_id)
    choice = request.POST.get("assignee", "")
    assignee = (
        user
        if choice == "me"
        else next((person for person in selectors.colleagues_for(case=case) if str(person.pk) == choice), None)
    )
    if choice and assignee is None:
        messages.error(request, _("Please choose a person of the department."))
        return redirect("cases:detail", public_id=case.public_id)
    try:
        services.case_assign(case=case, assignee=assignee, actor=user, expected_version=_version(request))
    except services.CaseError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The assignment has been saved."))
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
@staff_required
def case_payment_book(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    """The fee was paid by transfer or at the counter: book it; the automation then moves the case on."""
    from rathaus.payments.selectors import payment_for_purpose
    from rathaus.payments.services import PaymentInvalid, payment_settle_at_counter

    user = staff_user(request)
    case = case_for_request(request, public_id)
    payment = payment_for_purpose(purpose=f"application:{case.application.public_id}") if case.application else None
    if payment is None:
        messages.error(request, _("There is no payment to book for this case."))
        return redirect("cases:detail", public_id=case.public_id)
    try:
        payment_settle_at_counter(payment=payment, actor=user, reference=request.POST.get("reference", "")[:100])
    except PaymentInvalid as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment has been booked."))
    return redirect("cases:detail", public_id=case.public_id)


@require_POST
@staff_required
def case_letter_preview(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    """The decision letter as it would go out, before the caseworker releases it; nothing is filed or sent."""
    from rathaus.letters import LetterError

    from .letters import letter_preview_pdf

    user = staff_user(request)
    case = case_for_request(request, public_id)
    transition = request.POST.get("transition", "")[:60]
    entered = {name: request.POST.get(name, "")[:INPUT_MAX] for name in INPUT_NAMES}
    try:
        content = letter_preview_pdf(case=case, transition=transition, inputs=entered, actor=user)
    except LetterError as error:
        context = _detail_context(request, case, entered={**entered, "transition": transition}, error=None)
        context["preview_error"] = str(error)
        return render(request, "cases/case_detail.html", context, status=400)
    if content is None:
        raise Http404
    services.case_read_record(case=case, actor=user, what="letter_preview")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Bescheid-Vorschau-{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
