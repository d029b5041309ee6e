"""What other apps listen to. Both are sent once per state change, after the change is committed.

    payment_succeeded(sender=Payment, payment=<Payment>)   the payment is paid
    payment_failed(sender=Payment, payment=<Payment>)      it failed or was cancelled (see payment.status)

It does not matter whether the browser came back or only the provider's webhook arrived.
"""

from django.dispatch import Signal

payment_succeeded = Signal()
payment_failed = Signal()
