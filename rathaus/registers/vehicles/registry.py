"""Vehicle register plugins by identifier, and the one settings.RATHAUS_VEHICLE_REGISTER switches on."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import VehicleRegister

DEFAULT = "demo"
_plugins: dict[str, type[VehicleRegister]] = {}


def register(identifier: str) -> Callable[[type[VehicleRegister]], type[VehicleRegister]]:
    """Class decorator: make a VehicleRegister plugin known under `identifier`."""

    def decorator(cls: type[VehicleRegister]) -> type[VehicleRegister]:
        if identifier in _plugins and _plugins[identifier] is not cls:
            raise ImproperlyConfigured(f"vehicle register {identifier!r} is registered twice")
        cls.identifier = identifier
        _plugins[identifier] = cls
        return cls

    return decorator


def plugins() -> dict[str, type[VehicleRegister]]:
    return dict(_plugins)


def vehicle_register_get() -> VehicleRegister:
    """The plugin named by settings.RATHAUS_VEHICLE_REGISTER (default "demo", the simulation)."""
    identifier: str = getattr(settings, "RATHAUS_VEHICLE_REGISTER", DEFAULT)
    try:
        return _plugins[identifier]()
    except KeyError:
        known = ", ".join(sorted(_plugins)) or "none"
        raise ImproperlyConfigured(
            f"RATHAUS_VEHICLE_REGISTER={identifier!r} is not a vehicle register (known: {known})"
        ) from None
