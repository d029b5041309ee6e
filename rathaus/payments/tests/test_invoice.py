"""Invoice or payment at the counter: pending until staff book the money."""

import pytest
from django.core.exceptions import PermissionDenied

from rathaus.accounts.models import StaffRole
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.payments.services import PaymentInvalid, payment_cancel, payment_settle_at_counter

from .support import start_payment


def test_staff_settle_an_invoice_and_the_application_hears_of_it_once(
    musterstadt, caseworker, signals, django_capture_on_commit_callbacks
):
    payment = start_payment(musterstadt, method="invoice").payment
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_settle_at_counter(payment=payment, actor=caseworker, reference="Kasse 2, Beleg 4711")
        assert not payment_settle_at_counter(payment=payment, actor=caseworker)
    assert (payment.status, payment.provider_reference) == ("succeeded", "Kasse 2, Beleg 4711")
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]


def test_a_citizen_cannot_settle_an_invoice(musterstadt, erika):
    payment = start_payment(musterstadt, method="invoice").payment
    with pytest.raises(PermissionDenied):
        payment_settle_at_counter(payment=payment, actor=erika)
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_staff_of_another_municipality_cannot_settle_it(musterstadt, beispielhausen):
    stranger, _ = user_ensure(username="anna", email="anna@beispielhausen.example", password="Test-Passwort-2026")
    staff_role_ensure(
        user=stranger,
        municipality=beispielhausen,
        role=StaffRole.Role.CASEWORKER,
        department=beispielhausen.departments.get(code="buergerbuero"),
    )
    payment = start_payment(musterstadt, method="invoice").payment
    with pytest.raises(PermissionDenied):
        payment_settle_at_counter(payment=payment, actor=stranger)


def test_a_card_payment_is_not_settled_by_staff(sandbox_start, caseworker):
    with pytest.raises(PaymentInvalid):
        payment_settle_at_counter(payment=sandbox_start.payment, actor=caseworker)


def test_an_open_invoice_is_cancelled_once_and_can_then_not_be_settled(
    musterstadt, caseworker, signals, django_capture_on_commit_callbacks
):
    payment = start_payment(musterstadt, method="invoice").payment
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_cancel(payment=payment)
        assert not payment_cancel(payment=payment)
    assert payment.status == "cancelled"
    assert signals == [("payment_failed", payment.public_id, "cancelled")]
    assert not payment_settle_at_counter(payment=payment, actor=caseworker)
    payment.refresh_from_db()
    assert payment.status == "cancelled"


def test_a_paid_invoice_is_not_cancelled(musterstadt, caseworker, signals, django_capture_on_commit_callbacks):
    payment = start_payment(musterstadt, method="invoice").payment
    payment_settle_at_counter(payment=payment, actor=caseworker, reference="Kasse 1")
    with django_capture_on_commit_callbacks(execute=True):
        assert not payment_cancel(payment=payment)
    payment.refresh_from_db()
    assert (payment.status, payment.provider_reference) == ("succeeded", "Kasse 1")
    assert signals == []
