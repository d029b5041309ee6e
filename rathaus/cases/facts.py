"""What the workflow conditions and the automation rules may ask about a case.

`case_facts` is cheap and always computed (payment status). Register facts (parking zone, vehicle register) ask
other systems, so the automation computes only those its rule names (`fact_get`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rathaus.payments.selectors import payment_for_purpose

from .models import Case


class FactUnavailable(Exception):
    """A register could not answer; automation must leave the decision to a person."""


def payment_status(case: Case) -> str:
    """paid, pending (an invoice or a payment in progress), none (nothing to pay or not yet requested)."""
    if case.application is None:
        return "none"
    payment = payment_for_purpose(purpose=f"application:{case.application.public_id}")
    if payment is None:
        return "none"
    return "paid" if payment.status == payment.Status.SUCCEEDED else "pending"


def case_facts(case: Case) -> dict[str, Any]:
    """The context every workflow condition is checked against."""
    return {"payment_status": payment_status(case)}


def address_in_parking_zone(case: Case) -> bool:
    from rathaus.registers.selectors import parking_zone_for_address

    address = case.form_data.get("anschrift")
    return bool(address) and parking_zone_for_address(municipality=case.municipality, address=address) is not None


def vehicle_registered_to_applicant(case: Case) -> bool:
    from rathaus.registers.selectors import vehicle_registered_to
    from rathaus.registers.vehicles.base import RegisterUnavailable

    data = case.form_data
    if not data.get("kennzeichen") or not data.get("geburtsdatum"):
        return False
    try:
        return vehicle_registered_to(
            municipality=case.municipality,
            plate=data["kennzeichen"],
            family_name=data.get("nachname", ""),
            given_names=data.get("vorname", ""),
            birthdate=date.fromisoformat(data["geburtsdatum"]),
        )
    except RegisterUnavailable as error:
        raise FactUnavailable(str(error)) from error


REGISTER_FACTS: dict[str, Callable[[Case], Any]] = {
    "address_in_parking_zone": address_in_parking_zone,
    "vehicle_registered_to_applicant": vehicle_registered_to_applicant,
}


def fact_get(case: Case, name: str) -> Any:
    """A register fact, a case fact, or a field of the application's form data (in this order)."""
    if name in REGISTER_FACTS:
        return REGISTER_FACTS[name](case)
    basic = case_facts(case)
    if name in basic:
        return basic[name]
    return case.form_data.get(name)
