"""The payment provider interface. A provider is a module with one registered subclass of `Provider`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Protocol
from urllib.parse import urlsplit, urlunsplit

from django.utils.functional import Promise
from django.utils.http import urlencode

if TYPE_CHECKING:
    from rathaus.payments.models import Payment


class WebhookRequest(Protocol):
    """What a webhook handler reads: the raw body and the headers (a Django HttpRequest is one)."""

    @property
    def body(self) -> bytes: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Notification:
    """What a provider says about a payment: verified, in the provider's words translated to ours."""

    event_id: str
    payment_public_id: str
    status: str  # Payment.Status: succeeded, failed or cancelled
    method: str = ""  # Payment.Method, when the provider says how the citizen paid
    reference: str = ""  # the provider's id of the transaction
    amount: Decimal | None = None
    currency: str = "EUR"


class WebhookRejected(Exception):
    """A notification that is not booked. `status` is the HTTP status of the answer, `code` a short reason."""

    status = 400
    code = "rejected"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class SignatureInvalid(WebhookRejected):
    code = "signature_invalid"


class Provider(ABC):
    code: ClassVar[str]
    label: ClassVar[str | Promise]
    methods: ClassVar[tuple[str, ...]]  # Payment.Method values this provider offers
    initial_status: ClassVar[str] = "created"  # status of a payment once start() has sent the browser away

    @abstractmethod
    def start(self, payment: Payment, return_url: str) -> str:
        """Register the payment with the provider; return the URL to send the browser to."""

    @abstractmethod
    def parse_webhook(self, request: WebhookRequest) -> Notification:
        """Verify and read a notification. Raises SignatureInvalid (or another WebhookRejected)."""

    def fetch_result(self, payment: Payment) -> Notification | None:
        """Ask the provider what became of `payment` (used when the browser returns); None when unknown yet."""
        return None


def with_payment_parameter(url: str, payment: Payment) -> str:
    """`url` with ?payment=<public id> added; a query it has is kept, a fragment stays at the end."""
    parts = urlsplit(url)
    parameter = urlencode({"payment": str(payment.public_id)})
    query = f"{parts.query}&{parameter}" if parts.query else parameter
    return urlunsplit(parts._replace(query=query))
