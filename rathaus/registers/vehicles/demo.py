"""SIMULATION: a vehicle register backed by the table DemoVehicleRecord, for the demo and for tests.

It answers like a real register would, from entries an operator or `registers_demo_load` put there. It is not a
registration authority's data; in production connect a real register (RATHAUS_VEHICLE_REGISTER) or set "none".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import DemoVehicleRecord
from .base import VehicleHolder, VehicleRegister
from .registry import register

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality


@register("demo")
class DemoVehicleRegister(VehicleRegister):
    """The simulated register: one table per installation, entries per municipality."""

    def holder_of(self, *, municipality: Municipality, plate: str) -> VehicleHolder | None:
        record = DemoVehicleRecord.objects.filter(municipality=municipality, plate=plate).first()
        if record is None:
            return None
        return VehicleHolder(
            family_name=record.family_name,
            given_names=record.given_names,
            birthdate=record.birthdate,
            address={
                "strasse": record.street,
                "hausnummer": record.house_number,
                "plz": record.postal_code,
                "ort": record.city,
            },
        )
