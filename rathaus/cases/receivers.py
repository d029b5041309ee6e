"""How case processing hears of other modules (connected in apps.py)."""

import logging
from typing import Any

from django.db import transaction

from .models import Case
from .services import CaseError, case_open_for_application, case_resume_after_reply

logger = logging.getLogger(__name__)


def open_case_for_submitted_application(sender: Any, application: Any, **kwargs: Any) -> None:
    # Runs after the citizen's submission is committed: a failure here must not reach the citizen. The
    # application stays visible as "received, waiting for processing" and the error is logged for the operators.
    try:
        case_open_for_application(application=application)
    except CaseError:
        logger.exception("no case could be opened for application %s", application.reference)


def resume_case_after_reply(sender: Any, message: Any, reply: Any, **kwargs: Any) -> None:
    """The citizen answered in the postbox: file the answer in the case and let the case go on."""
    from .documents import case_reply_file

    case = Case.objects.filter(application_id=message.application_id).first()
    if case is None:
        return
    with transaction.atomic():
        case_reply_file(case=case, reply=reply)
        case_resume_after_reply(message_id=message.public_id)


def automate_after_payment(sender: Any, payment: Any, **kwargs: Any) -> None:
    """A fee was paid: the automation may move the case on (close after payment)."""
    from .tasks import case_automate

    purpose: str = payment.purpose
    if not purpose.startswith("application:"):
        return
    case = Case.objects.filter(application__public_id=purpose.removeprefix("application:")).first()
    if case is not None:
        case_automate.enqueue(str(case.public_id))
