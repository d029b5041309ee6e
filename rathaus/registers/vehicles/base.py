"""The vehicle register interface: who is the registered keeper (Halter) of a vehicle?

The real register is the local registration authority's system or the Federal Motor Transport Authority's central
register (KBA, ZFZR); Rathaus reaches it through a plugin. A plugin that cannot answer (not reachable, timed out,
refused) raises RegisterUnavailable, never returns None: None means "no vehicle with this plate", and automation
may act on that, while an unanswered question must leave the case to a person.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality


@dataclass(frozen=True)
class VehicleHolder:
    """The registered keeper of a vehicle, as the register states it.

    `address` has the shape of application data: {"strasse", "hausnummer", "plz", "ort"} (empty when the
    register gives none). A company as keeper has `family_name` set to the company and no birthdate.
    """

    family_name: str
    given_names: str = ""
    birthdate: date | None = None
    address: Mapping[str, str] = field(default_factory=dict, hash=False)


class RegisterUnavailable(Exception):
    """The register gave no answer; nothing may be concluded about the vehicle."""


class VehicleRegister(ABC):
    """A vehicle register plugin. Subclasses are registered with `@register("identifier")` (see registry.py)."""

    identifier: ClassVar[str] = ""

    @abstractmethod
    def holder_of(self, *, municipality: Municipality, plate: str) -> VehicleHolder | None:
        """The keeper of the vehicle with `plate` (normalised, "MS-AB 123") as the register of `municipality`
        knows it, or None when no vehicle has this plate. Raises RegisterUnavailable when there is no answer."""
