"""No vehicle register connected: every question stays unanswered, so automation leaves such cases to a person.

Set RATHAUS_VEHICLE_REGISTER = "none" in production until a real register is connected, so that the simulation
(plugin "demo") never decides anything there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .base import RegisterUnavailable, VehicleHolder, VehicleRegister
from .registry import register

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality


@register("none")
class NoVehicleRegister(VehicleRegister):
    def holder_of(self, *, municipality: Municipality, plate: str) -> VehicleHolder | None:
        raise RegisterUnavailable(_("No vehicle register is connected."))
