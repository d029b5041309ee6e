"""Shared for the payment tests: a started sandbox payment, the signals that were sent, signed webhooks."""

import uuid

import pytest
from django.test import Client

from rathaus.payments.models import Payment
from rathaus.payments.signals import payment_failed, payment_succeeded

from .support import start_payment


@pytest.fixture(autouse=True)
def webhook_at_once(settings):
    """The sandbox's webhook is delivered at once, in-process (browser tests set a delay themselves)."""
    settings.RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY = 0


@pytest.fixture
def signals():
    """Every payment_succeeded / payment_failed sent during the test, as (signal, public id, status)."""
    sent: list[tuple[str, uuid.UUID, str]] = []

    def on_succeeded(sender, payment, **kwargs):
        assert sender is Payment
        sent.append(("payment_succeeded", payment.public_id, payment.status))

    def on_failed(sender, payment, **kwargs):
        assert sender is Payment
        sent.append(("payment_failed", payment.public_id, payment.status))

    payment_succeeded.connect(on_succeeded, dispatch_uid="test-payments-succeeded")
    payment_failed.connect(on_failed, dispatch_uid="test-payments-failed")
    yield sent
    payment_succeeded.disconnect(dispatch_uid="test-payments-succeeded")
    payment_failed.disconnect(dispatch_uid="test-payments-failed")


@pytest.fixture
def client_musterstadt() -> Client:
    return Client(HTTP_HOST="musterstadt.localhost")


@pytest.fixture
def sandbox_start(musterstadt):
    """A card payment of 12,50 € in Musterstadt, started: the browser is about to go to the sandbox page."""
    return start_payment(musterstadt)
