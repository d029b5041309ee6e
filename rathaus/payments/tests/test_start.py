"""Starting a payment: the methods on offer, what is checked, where the browser goes."""

import uuid
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from rathaus.analytics.models import Event
from rathaus.payments.models import Payment
from rathaus.payments.selectors import methods_available, payment_for_purpose, payment_get
from rathaus.payments.services import PaymentInvalid, payment_start

from .support import RETURN_URL, start_payment


def test_the_methods_on_offer_are_card_paypal_giropay_sepa_and_invoice_each_with_its_provider(musterstadt):
    with translation.override("de"):
        methods = methods_available(municipality=musterstadt)
    assert [(m.code, m.provider) for m in methods] == [
        ("card", "sandbox"),
        ("paypal", "sandbox"),
        ("giropay", "sandbox"),
        ("sepa", "sandbox"),
        ("invoice", "invoice"),
    ]
    assert all(isinstance(method.label, str) and method.label for method in methods)


def test_only_the_enabled_providers_offer_methods(musterstadt, settings):
    settings.RATHAUS_PAYMENT_PROVIDERS = ["invoice"]
    assert [m.code for m in methods_available(municipality=musterstadt)] == ["invoice"]
    with pytest.raises(PaymentInvalid):
        start_payment(musterstadt, method="card")


def test_a_card_payment_sends_the_browser_to_the_sandbox_payment_page(musterstadt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start = start_payment(musterstadt, method="card", amount="12.50")
    payment = start.payment
    assert payment.status == Payment.Status.CREATED
    assert (payment.provider, payment.method, payment.amount, payment.currency) == (
        "sandbox",
        "card",
        Decimal("12.50"),
        "EUR",
    )
    url = urlsplit(start.redirect_url)
    assert url.path == f"/bezahlen/sandbox/{payment.public_id}/"
    assert parse_qs(url.query)["t"], "the page link carries the token that makes the page usable"
    event = Event.objects.get(name="payment_method_chosen")
    assert event.dimensions == {"method": "card", "provider": "sandbox"}
    assert event.service_key == "bewohnerparkausweis"


def test_an_invoice_goes_straight_back_pending_and_counts_as_accepted(musterstadt, signals):
    start = start_payment(musterstadt, method="invoice", return_url="/antraege/1/bezahlt/?schritt=2")
    payment = start.payment
    assert (payment.provider, payment.method, payment.status) == ("invoice", "invoice", "pending")
    assert payment.is_accepted
    assert start.redirect_url == f"/antraege/1/bezahlt/?schritt=2&payment={payment.public_id}"
    assert signals == [], "an invoice is not paid yet"


def test_a_sandbox_payment_is_not_accepted_before_it_is_paid(sandbox_start):
    assert not sandbox_start.payment.is_accepted


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("-0.01"), "amount_negative"),
        (Decimal("-12"), "amount_negative"),
        (Decimal("12.345"), "amount_cents"),
        (Decimal("NaN"), "amount"),
        (Decimal("Infinity"), "amount"),
        (Decimal("100000000"), "amount_too_large"),
        ("12.50", "amount"),
        (12.5, "amount"),
    ],
)
def test_an_impossible_amount_is_refused_with_a_reason_and_nothing_is_stored(musterstadt, amount, code):
    with pytest.raises(PaymentInvalid) as refused:
        payment_start(
            municipality=musterstadt,
            purpose="application:x",
            amount=amount,
            description="Gebühr",
            method="card",
            return_url=RETURN_URL,
        )
    assert refused.value.code == code
    assert str(refused.value.messages[0])
    assert not Payment.objects.exists()


def test_a_free_payment_of_zero_euros_is_possible(musterstadt):
    assert start_payment(musterstadt, method="invoice", amount="0.00").payment.amount == Decimal("0.00")


def test_the_database_itself_refuses_a_negative_amount(musterstadt):
    payment = start_payment(musterstadt).payment
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("-1.00"))


def test_the_database_refuses_an_unknown_status_or_method(musterstadt):
    payment = start_payment(musterstadt).payment
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(status="paid-twice")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(method="bitcoin")


@pytest.mark.parametrize("method", ["bitcoin", "", "INVOICE"])
def test_a_method_that_is_not_offered_is_refused(musterstadt, method):
    with pytest.raises(PaymentInvalid) as refused:
        start_payment(musterstadt, method=method)
    assert refused.value.code == "method"


@pytest.mark.parametrize(
    "return_url",
    ["javascript:alert(1)", "//evil.example/", "/\\evil.example", "ftp://x.example/", "zurueck", "/a\r\nLocation: x"],
)
def test_a_return_address_that_could_lead_elsewhere_is_refused(musterstadt, return_url):
    with pytest.raises(PaymentInvalid) as refused:
        start_payment(musterstadt, return_url=return_url)
    assert refused.value.code == "return_url"


def test_an_absolute_return_address_of_the_portal_is_fine(musterstadt):
    start = start_payment(musterstadt, method="invoice", return_url="http://musterstadt.localhost/antraege/1/")
    assert start.redirect_url.startswith("http://musterstadt.localhost/antraege/1/?payment=")


@pytest.mark.parametrize("description", ["", "   ", "x" * 301])
def test_a_payment_needs_a_description(musterstadt, description):
    with pytest.raises(PaymentInvalid):
        payment_start(
            municipality=musterstadt,
            purpose="application:x",
            amount=Decimal("1.00"),
            description=description,
            method="card",
            return_url=RETURN_URL,
        )


def test_the_latest_payment_for_a_purpose_is_found(musterstadt):
    purpose = f"application:{uuid.uuid4()}"
    kwargs = {"municipality": musterstadt, "purpose": purpose, "description": "Gebühr", "return_url": RETURN_URL}
    first = payment_start(amount=Decimal("5.00"), method="card", **kwargs).payment
    second = payment_start(amount=Decimal("5.00"), method="invoice", **kwargs).payment
    assert payment_for_purpose(purpose=purpose) == second != first
    assert payment_for_purpose(purpose="application:other") is None


def test_a_payment_is_found_by_its_public_id_and_a_malformed_id_finds_nothing(sandbox_start):
    payment = sandbox_start.payment
    assert payment_get(public_id=str(payment.public_id)) == payment
    assert payment_get(public_id=payment.public_id) == payment
    assert payment_get(public_id="kein-uuid") is None
    assert payment_get(public_id=str(uuid.uuid4())) is None
