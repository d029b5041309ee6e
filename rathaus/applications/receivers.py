"""A payment confirmed by the provider completes its application, also when the citizen closed the browser."""

from typing import Any

from rathaus.catalog import selectors as catalog

from .models import Application
from .services import application_submit

PURPOSE_PREFIX = "application:"


def complete_paid_application(sender: Any, payment: Any, **kwargs: Any) -> None:
    purpose: str = payment.purpose
    if not purpose.startswith(PURPOSE_PREFIX):
        return
    application = Application.objects.filter(public_id=purpose.removeprefix(PURPOSE_PREFIX)).first()
    if application is None or application.status != Application.Status.AWAITING_PAYMENT:
        return
    service = catalog.service_get(municipality=application.municipality, key=application.definition.key)
    fees = service.fees if service else application.definition.data["fees"]
    application_submit(
        application=application,
        consent=True,
        trust_level=application.trust_level,
        fees=fees,
        payment_method=payment.method or application.payment_method,
    )


def claim_guest_applications(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A guest who logs in keeps the drafts of this browser session: they now belong to the account."""
    from .selectors import GUEST_SESSION_KEY

    session = getattr(request, "session", None)
    granted = session.get(GUEST_SESSION_KEY, []) if session is not None else []
    if granted:
        Application.objects.filter(public_id__in=granted, applicant__isnull=True).update(applicant=user)
