"""The fee of a reservation, from the resource's rule: per booking, per (started) hour or per calendar day."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Resource

CENT = Decimal("0.01")


def fee_for(resource: Resource, start: datetime, end: datetime) -> Decimal:
    """What the citizen pays for [start, end). Free resources cost 0."""
    amount = resource.fee_amount
    if resource.fee_unit == Resource.FeeUnit.HOUR:
        hours = math.ceil((end - start).total_seconds() / 3600)
        amount = amount * hours
    elif resource.fee_unit == Resource.FeeUnit.DAY:
        last = timezone.localtime(end - timedelta(microseconds=1)).date()  # ending at midnight: the day before
        amount = amount * ((last - timezone.localtime(start).date()).days + 1)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(amount: Decimal) -> str:
    """'40,00 €' in German, '40.00 €' in English."""
    return f"{formats.number_format(amount, 2)} €"


def fee_rule_text(resource: Resource) -> str:
    """The rule in words, e.g. '40,00 € per day' or 'free of charge'."""
    if resource.is_free_of_charge:
        return _("free of charge")
    units = {
        Resource.FeeUnit.BOOKING: _("%(amount)s per booking"),
        Resource.FeeUnit.HOUR: _("%(amount)s per hour (each hour begun)"),
        Resource.FeeUnit.DAY: _("%(amount)s per day"),
    }
    return units[Resource.FeeUnit(resource.fee_unit)] % {"amount": euros(resource.fee_amount)}
