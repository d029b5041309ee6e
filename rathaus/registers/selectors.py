"""Facts from registers, for case automation: parking zone of an address, keeper of a vehicle, caseworker areas.

Every function takes the municipality (or a department, which belongs to one): registers are per municipality.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rathaus.accounts.selectors import staff_roles_for
from rathaus.core.addresses import house_numbers, street_and_number, street_key

from .models import CaseworkerArea, ParkingZone, ParkingZoneStreet
from .normalise import PlateInvalid, family_names_match, given_names_match, plate_normalise
from .vehicles.base import VehicleHolder
from .vehicles.registry import vehicle_register_get

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Department, Municipality


def _text(address: Mapping[str, Any], key: str) -> str:
    value = address.get(key)
    return value.strip() if isinstance(value, str) else ""


def parking_zones_for_address(*, municipality: Municipality, address: Mapping[str, Any] | None) -> list[ParkingZone]:
    """Every residents' parking zone the address lies in, by zone code (streets on a zone border may be in two).

    `address` has the shape of application data ({"strasse", "hausnummer", "plz", "ort"}); spelling of the street
    (case, "Str."/"Straße"/"Strasse", ß/ss, hyphens, spaces) and letter suffixes of the number ("17a") do not matter.
    """
    if not isinstance(address, Mapping):
        return []
    street, number = street_and_number(_text(address, "strasse"), _text(address, "hausnummer"))
    key = street_key(street)
    if not key:
        return []
    numbers = house_numbers(number)
    postal_code = _text(address, "plz")
    segments = (
        ParkingZoneStreet.objects.filter(zone__municipality=municipality, street_key=key)
        .select_related("zone")
        .order_by("zone__code", "zone_id", "pk")
    )
    zones: list[ParkingZone] = []
    for segment in segments:
        if segment.postal_code and postal_code and segment.postal_code != postal_code:
            continue
        if segment.covers(numbers) and segment.zone not in zones:
            zones.append(segment.zone)
    return zones


def parking_zone_for_address(*, municipality: Municipality, address: Mapping[str, Any] | None) -> ParkingZone | None:
    """The residents' parking zone the address lies in (the first by zone code), or None."""
    zones = parking_zones_for_address(municipality=municipality, address=address)
    return zones[0] if zones else None


def vehicle_holder_of(*, municipality: Municipality, plate: str) -> VehicleHolder | None:
    """The keeper of the vehicle as the configured register states it; None for no such vehicle or a plate that is
    not one. Raises vehicles.base.RegisterUnavailable when the register gives no answer."""
    try:
        normalised = plate_normalise(plate)
    except PlateInvalid:
        return None
    return vehicle_register_get().holder_of(municipality=municipality, plate=normalised)


def holder_is(holder: VehicleHolder, *, family_name: str, given_names: str, birthdate: date | None) -> bool:
    """True when the keeper is this person: names compared robustly (case, umlaut and ß spellings, further given
    names on either side), the date of birth exactly."""
    return (
        birthdate is not None
        and holder.birthdate == birthdate
        and family_names_match(holder.family_name, family_name)
        and given_names_match(holder.given_names, given_names)
    )


def vehicle_registered_to(
    *, municipality: Municipality, plate: str, family_name: str, given_names: str, birthdate: date | None
) -> bool:
    """True when the vehicle with `plate` is registered to this person; False when it is registered to someone
    else, not registered, or `plate` is no plate.

    Raises vehicles.base.RegisterUnavailable when the register gives no answer: that is not "False", and automation
    must then leave the decision to a person.
    """
    holder = vehicle_holder_of(municipality=municipality, plate=plate)
    if holder is None:
        return False
    return holder_is(holder, family_name=family_name, given_names=given_names, birthdate=birthdate)


def caseworker_areas(*, department: Department) -> list[CaseworkerArea]:
    """The department's areas in the order they are tried (position, then creation)."""
    return list(CaseworkerArea.objects.filter(department=department).select_related("user").order_by("position", "pk"))


def caseworker_for(*, department: Department, address: Mapping[str, Any] | None, family_name: str) -> User | None:
    """The caseworker of the first area (by position) that the applicant's postal code and family name fit.

    Areas of people who are inactive or no longer work in the department are passed over. None when no area
    fits; then the automation assigns some other way (round robin).
    """
    postal_code = _text(address, "plz") if isinstance(address, Mapping) else ""
    for area in caseworker_areas(department=department):
        if not area.fits(postal_code=postal_code, family_name=family_name or ""):
            continue
        if area.user.is_active and any(
            role.department_id == department.pk
            for role in staff_roles_for(user=area.user, municipality=department.municipality)
        ):
            return area.user
    return None
