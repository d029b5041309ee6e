"""The citizen's path through a form: begin, steps, check and send, pay, confirmation, "Meine Anträge"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.selectors import session_trust_level, trust_level_satisfies
from rathaus.accounts.views import login_url_for
from rathaus.analytics.visits import visit_id
from rathaus.catalog import selectors as catalog
from rathaus.catalog.fees import fee_lines
from rathaus.core.i18n import localized
from rathaus.payments import selectors as payments
from rathaus.payments.services import payment_start
from rathaus.postbox.selectors import messages_for_application
from rathaus.tenants.requests import MunicipalityRequest
from rathaus.uploads.selectors import guest_session_key, upload_get_for_owner
from rathaus.uploads.services import UploadRejected, UploadRule, upload_accept

from . import selectors
from .formengine import FormDefinition
from .models import Application
from .receipt import receipt_pdf
from .services import (
    ApplicationError,
    application_await_payment,
    application_save_step,
    application_start,
    application_submit,
    draft_lifetime,
)

ACTIONS = {"weiter", "zurueck", "speichern"}


def _service(request: MunicipalityRequest, key: str) -> catalog.Service:
    service = catalog.service_get(municipality=request.municipality, key=key) if request.municipality else None
    if service is None or not service.data.get("form"):
        raise Http404
    return service


def _application(request: MunicipalityRequest, public_id: UUID) -> Application:
    application = selectors.application_get_for_request(
        request=request, municipality=request.municipality, public_id=public_id
    )
    if application is None:
        raise Http404
    return application


def _service_of(request: MunicipalityRequest, application: Application) -> catalog.Service:
    """The service as the municipality offers it now (its fees and texts)."""
    return _service(request, application.definition.key)


def _login_needed(request: MunicipalityRequest, service: catalog.Service, next_url: str) -> HttpResponse | None:
    """A redirect to (step-up) login when this request may not work on the service; else None."""
    if not request.user.is_authenticated:
        if service.data.get("guests_allowed"):
            return None
        return redirect(login_url_for(required_trust_level=service.trust_level, next_url=next_url))
    if trust_level_satisfies(session_trust_level(request), service.trust_level):
        return None
    return redirect(login_url_for(required_trust_level=service.trust_level, next_url=next_url))


def _step_url(application: Application, step_id: str) -> str:
    return reverse("applications:step", args=[application.public_id, step_id])


@require_POST
def application_begin(request: MunicipalityRequest, key: str) -> HttpResponse:
    service = _service(request, key)
    start_page = reverse("catalog:service_start", args=[key])
    if (needed := _login_needed(request, service, start_page)) is not None:
        return needed
    user = request.user if request.user.is_authenticated else None
    assert request.municipality is not None  # _service checked it
    application = application_start(
        municipality=request.municipality, service=service, user=user, visit=visit_id(request)
    )
    if user is None:
        selectors.guest_grant(request=request, application=application)
    return redirect(_step_url(application, application.current_step))


def _stored_uploads(request: MunicipalityRequest, application: Application) -> dict[str, Any]:
    """Upload records by field name for the file fields that hold an upload id."""
    form = FormDefinition(application.definition.data["form"])
    owner = request.user if request.user.is_authenticated else None
    found = {}
    for name in form.upload_fields():
        upload_id = application.data.get(name)
        if upload_id:
            upload = upload_get_for_owner(public_id=upload_id, owner=owner, session_key=guest_session_key(request))
            if upload is not None:
                found[name] = upload
    return found


def _open_draft(
    request: MunicipalityRequest, public_id: UUID
) -> tuple[Application, catalog.Service, FormDefinition] | HttpResponse:
    """A draft the request may work on, its service and form; or where to go instead (status page, login)."""
    application = _application(request, public_id)
    if not application.is_draft:
        return redirect("applications:detail", public_id=application.public_id)
    service = _service_of(request, application)
    if (needed := _login_needed(request, service, request.get_full_path())) is not None:
        return needed
    return application, service, FormDefinition(application.definition.data["form"])


@require_http_methods(["GET", "POST"])
def application_step(request: MunicipalityRequest, public_id: UUID, step_id: str) -> HttpResponse:
    opened = _open_draft(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    application, service, form = opened
    visible = form.visible_steps(application.data)
    step = form.step(step_id)
    if step is None or step not in visible:
        return redirect(_step_url(application, visible[0]["id"]))

    errors: dict[str, dict[str, list[str]]] = {}
    if request.method == "POST":
        action = request.POST.get("aktion", "weiter")
        if action not in ACTIONS:
            action = "speichern"
        new_uploads, upload_errors = _accept_uploads(request, application, service, step["fields"])
        try:
            result = application_save_step(
                application=application,
                step_id=step_id,
                post=request.POST,
                uploads=new_uploads,
                validate=action == "weiter",
                visit=visit_id(request),
            )
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("applications:detail", public_id=application.public_id)
        errors = {**result.errors, **upload_errors}
        if action == "zurueck":
            ids = [s["id"] for s in form.visible_steps(application.data)]
            position = ids.index(step_id) if step_id in ids else 0
            return redirect(_step_url(application, ids[max(position - 1, 0)]))
        if action == "speichern":
            messages.success(request, _("Your entries have been saved. You can continue later."))
            return redirect(_step_url(application, step_id))
        if not errors:
            if result.next_step:
                return redirect(_step_url(application, result.next_step))
            return redirect("applications:review", public_id=application.public_id)
        visible = form.visible_steps(application.data)

    return render(
        request,
        "applications/step.html",
        {
            "application": application,
            "service": service,
            "step": form.build_step(step, application.data, errors),
            "steps": [(s["id"], localized(s["title"])) for s in visible],
            "position": [s["id"] for s in visible].index(step_id) + 1 if step in visible else 1,
            "uploads": _stored_uploads(request, application),
            "upload_rules": {u["id"]: u for u in service.documents_upload},
            "error_count": sum(len(m) for parts in errors.values() for m in parts.values()),
            "resume_url": _resume_url(request, application),
        },
        status=200,
    )


def _accept_uploads(
    request: MunicipalityRequest, application: Application, service: catalog.Service, fields: list[str]
) -> tuple[dict[str, str], dict[str, dict[str, list[str]]]]:
    rules = {entry["id"]: entry for entry in service.documents_upload}
    accepted: dict[str, str] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    owner = request.user if request.user.is_authenticated else None
    for name in fields:
        file = request.FILES.get(name)
        if file is None or name not in rules:
            continue
        try:
            upload = upload_accept(
                file=file,
                rule=UploadRule.from_definition(rules[name]),
                municipality=application.municipality,
                owner=owner,
                session_key=guest_session_key(request),
                service_key=service.key,
            )
        except UploadRejected as rejection:
            errors[name] = {"": [str(rejection)]}
            continue
        accepted[name] = str(upload.public_id)
    return accepted, errors


def _resume_url(request: MunicipalityRequest, application: Application) -> str:
    if application.applicant_id is not None:
        return ""
    token = selectors.resume_token(application)
    return request.build_absolute_uri(reverse("applications:resume", args=[token]))


@require_GET
def application_resume(request: MunicipalityRequest, token: str) -> HttpResponse:
    public_id = selectors.resume_token_application_id(token, max_age_seconds=int(draft_lifetime().total_seconds()))
    if public_id is None or request.municipality is None:
        raise Http404
    application = Application.objects.filter(
        public_id=public_id, municipality=request.municipality, applicant__isnull=True
    ).first()
    if application is None or not application.is_draft:
        raise Http404
    selectors.guest_grant(request=request, application=application)
    return redirect(_step_url(application, application.current_step))


@require_http_methods(["GET", "POST"])
def application_review(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    opened = _open_draft(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    application, service, form = opened
    problems = form.errors(application.data)
    data = form.pruned(application.data)
    lines = fee_lines(service.fees, data)
    total = sum((amount for _fee, amount in lines), start=Decimal("0.00"))
    methods = payments.methods_available(municipality=application.municipality) if total else []
    chosen_method = request.POST.get("zahlungsart", application.payment_method)
    error = ""
    if request.method == "POST":
        consent = request.POST.get("einverstanden") == "on"
        trust_level = session_trust_level(request) or "niedrig"
        try:
            if problems:
                raise ApplicationError(_("Some entries are missing or not valid. Please check the marked steps."))
            if total and chosen_method not in {method.code for method in methods}:
                raise ApplicationError(_("Please choose how you want to pay."))
            if total and chosen_method != "invoice":
                waiting = application_await_payment(
                    application=application, consent=consent, payment_method=chosen_method, trust_level=trust_level
                )
                start = payment_start(
                    municipality=waiting.municipality,
                    purpose=f"application:{waiting.public_id}",
                    amount=total,
                    description=service.name,
                    method=chosen_method,
                    service_key=service.key,
                    return_url=request.build_absolute_uri(reverse("applications:paid", args=[waiting.public_id])),
                )
                return redirect(start.redirect_url)
            submitted = application_submit(
                application=application,
                consent=consent,
                trust_level=trust_level,
                fees=service.fees,
                payment_method=chosen_method if total else "",
                visit=visit_id(request),
            )
        except ApplicationError as failure:
            error = str(failure)
        else:
            return redirect("applications:detail", public_id=submitted.public_id)
    uploads = _stored_uploads(request, application)
    return render(
        request,
        "applications/review.html",
        {
            "application": application,
            "service": service,
            "summary": form.summary(data),
            "problem_steps": {step["id"] for step in form.visible_steps(data) if set(step["fields"]) & set(problems)},
            "uploads": [
                (localized(u["name"]), uploads.get(u["id"])) for u in service.documents_upload if u["id"] in uploads
            ],
            "fee_lines": [(localized(fee["label"]), amount) for fee, amount in lines],
            "total": total,
            "methods": methods,
            "chosen_method": chosen_method,
            "error": error,
        },
        status=422 if error else 200,
    )


@require_GET
def application_paid(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    """Back from the payment provider: submitted when paid, else back to the check page with the reason."""
    application = _application(request, public_id)
    payment = payments.payment_for_purpose(purpose=f"application:{application.public_id}")
    if application.status == Application.Status.SUBMITTED:
        return redirect("applications:detail", public_id=application.public_id)
    if payment is None:
        return redirect("applications:review", public_id=application.public_id)
    if payment.status == "succeeded":
        service = _service_of(request, application)
        submitted = application_submit(
            application=application,
            consent=True,
            trust_level=application.trust_level,
            fees=service.fees,
            payment_method=payment.method or application.payment_method,
            visit=visit_id(request),
        )
        return redirect("applications:detail", public_id=submitted.public_id)
    if payment.status in {"failed", "cancelled"}:
        messages.error(request, _("The payment was not completed. Please choose a payment method and try again."))
        return redirect("applications:review", public_id=application.public_id)
    return render(request, "applications/payment_pending.html", {"application": application})


@require_GET
def application_detail(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    application = _application(request, public_id)
    if application.is_draft:
        return redirect(_step_url(application, application.current_step or "start"))
    form = FormDefinition(application.definition.data["form"])
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "service_name": localized(application.definition.data["name"]),
            "summary": form.summary(application.data),
            "history": application.status_changes.all(),
            "application_messages": messages_for_application(user=request.user, application=application),
        },
    )


@require_GET
def my_applications(request: MunicipalityRequest) -> HttpResponse:
    if not request.user.is_authenticated or request.municipality is None:
        return redirect(login_url_for(required_trust_level="niedrig", next_url=request.get_full_path()))
    applications = list(selectors.applications_for_user(user=request.user, municipality=request.municipality))
    return render(
        request,
        "applications/my_applications.html",
        {
            "drafts": [a for a in applications if a.is_draft],
            "submitted": [a for a in applications if not a.is_draft],
        },
    )


@require_GET
def application_receipt(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    application = _application(request, public_id)
    if application.status != Application.Status.SUBMITTED:
        raise Http404
    service_uploads = {u["id"]: localized(u["name"]) for u in application.definition.data.get("documents_upload", [])}
    names = [
        (service_uploads.get(field, field), upload.original_name)
        for field, upload in _stored_uploads(request, application).items()
    ]
    pdf = receipt_pdf(application=application, upload_names=names)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Eingangsbestaetigung-{application.reference}.pdf"'
    return response
