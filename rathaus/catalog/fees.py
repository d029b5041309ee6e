"""What a service costs for given form data, from the fee rules of its definition."""

from decimal import Decimal
from typing import Any


def fee_lines(fees: list[dict[str, Any]], data: dict[str, Any]) -> list[tuple[dict[str, Any], Decimal]]:
    """Each fee item with the amount it comes to for `data` (0 where its form field is not answered)."""
    lines = []
    for fee in fees:
        if fee["type"] == "fixed":
            amount = Decimal(fee["amount"])
        elif fee["type"] == "per_unit":
            units = data.get(fee["field"])
            amount = Decimal(fee["amount"]) * units if isinstance(units, int) and units > 0 else Decimal("0.00")
        else:
            choice = data.get(fee["field"])
            amount = Decimal(fee["amounts"].get(str(choice), "0.00")) if choice is not None else Decimal("0.00")
        lines.append((fee, amount.quantize(Decimal("0.01"))))
    return lines


def fee_total(fees: list[dict[str, Any]], data: dict[str, Any]) -> Decimal:
    return sum((amount for _fee, amount in fee_lines(fees, data)), Decimal("0.00"))
