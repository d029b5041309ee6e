"""Vehicle register plugins. Importing this package registers the shipped plugins ("demo", "none")."""

from . import demo, none
from .base import RegisterUnavailable, VehicleHolder, VehicleRegister
from .registry import plugins, register, vehicle_register_get

__all__ = [
    "RegisterUnavailable",
    "VehicleHolder",
    "VehicleRegister",
    "demo",
    "none",
    "plugins",
    "register",
    "vehicle_register_get",
]
