"""Is the vehicle registered to the applicant? Yes, no - or the register cannot say, which is neither."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError
from django.utils import translation

from rathaus.registers.models import DemoVehicleRecord
from rathaus.registers.selectors import vehicle_holder_of, vehicle_registered_to
from rathaus.registers.vehicles import RegisterUnavailable, VehicleHolder, VehicleRegister, demo, register
from rathaus.registers.vehicles.demo import DemoVehicleRegister
from rathaus.registers.vehicles.registry import plugins, vehicle_register_get

ERIKA = {"family_name": "Mustermann", "given_names": "Erika", "birthdate": date(1964, 8, 12)}


@pytest.fixture
def erikas_car(musterstadt) -> DemoVehicleRecord:
    return DemoVehicleRecord.objects.create(
        municipality=musterstadt,
        plate="ms em 1964",
        family_name="Mustermann",
        given_names="Erika Maria",
        birthdate=date(1964, 8, 12),
        street="Heidestraße",
        house_number="17",
        postal_code="61348",
        city="Musterstadt",
    )


def test_the_demo_register_is_the_default_and_says_it_is_a_simulation(settings):
    del settings.RATHAUS_VEHICLE_REGISTER  # not set in settings.py: the default applies
    assert isinstance(vehicle_register_get(), DemoVehicleRegister)
    assert "SIMULATION" in (demo.__doc__ or "")
    with translation.override("de"):
        assert str(DemoVehicleRecord._meta.verbose_name_plural) == "Fahrzeuge (simuliertes Register)"
    with translation.override("en"):
        assert str(DemoVehicleRecord._meta.verbose_name_plural) == "vehicles (simulated register)"


def test_the_setting_chooses_the_plugin_and_an_unknown_one_is_a_configuration_error(settings):
    settings.RATHAUS_VEHICLE_REGISTER = "zfzr"
    with pytest.raises(ImproperlyConfigured, match=r"'zfzr' is not a vehicle register \(known: demo, none"):
        vehicle_register_get()


def test_the_holder_as_the_register_states_it(erikas_car, musterstadt):
    holder = vehicle_holder_of(municipality=musterstadt, plate="MS-EM 1964")
    assert holder == VehicleHolder(
        family_name="Mustermann",
        given_names="Erika Maria",
        birthdate=date(1964, 8, 12),
        address={"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"},
    )


def test_the_plate_is_stored_normalised_and_once_per_municipality(erikas_car, musterstadt, beispielhausen):
    assert erikas_car.plate == "MS-EM 1964"
    with pytest.raises(IntegrityError):
        DemoVehicleRecord.objects.create(municipality=musterstadt, plate="MS EM1964", family_name="Anders")


def test_a_wrong_plate_is_a_validation_error_at_the_field(musterstadt):
    record = DemoVehicleRecord(municipality=musterstadt, plate="MSEM1964", family_name="Mustermann")
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    assert list(raised.value.message_dict) == ["plate"]


@pytest.mark.parametrize(
    "applicant",
    [
        ERIKA,
        {"family_name": "MUSTERMANN", "given_names": "erika", "birthdate": date(1964, 8, 12)},
        {"family_name": "Mustermann", "given_names": "Erika Maria", "birthdate": date(1964, 8, 12)},
        {"family_name": "Mustermann", "given_names": "Maria", "birthdate": date(1964, 8, 12)},
    ],
)
@pytest.mark.parametrize("plate", ["MS-EM 1964", "ms em1964", "MS-EM-1964"])
def test_registered_to_the_applicant(erikas_car, musterstadt, applicant, plate):
    assert vehicle_registered_to(municipality=musterstadt, plate=plate, **applicant) is True


@pytest.mark.parametrize(
    "applicant",
    [
        {**ERIKA, "birthdate": date(1964, 8, 13)},
        {**ERIKA, "birthdate": None},
        {**ERIKA, "family_name": "Musterfrau"},
        {**ERIKA, "given_names": "Max"},
        {**ERIKA, "given_names": ""},
    ],
)
def test_not_registered_to_someone_else(erikas_car, musterstadt, applicant):
    assert vehicle_registered_to(municipality=musterstadt, plate="MS-EM 1964", **applicant) is False


def test_umlaut_and_sharp_s_spellings_of_names_match(musterstadt):
    DemoVehicleRecord.objects.create(
        municipality=musterstadt,
        plate="MS-JW 5",
        family_name="Weiß-Müller",
        given_names="Jürgen",
        birthdate=date(1970, 1, 2),
    )
    assert vehicle_registered_to(
        municipality=musterstadt,
        plate="MS-JW 5",
        family_name="Weiss Mueller",
        given_names="Juergen",
        birthdate=date(1970, 1, 2),
    )


def test_an_unknown_plate_a_non_plate_or_another_municipalitys_vehicle_is_not_registered(
    erikas_car, musterstadt, beispielhausen
):
    assert vehicle_registered_to(municipality=musterstadt, plate="MS-XY 1", **ERIKA) is False
    assert vehicle_registered_to(municipality=musterstadt, plate="kein Kennzeichen", **ERIKA) is False
    assert vehicle_registered_to(municipality=beispielhausen, plate="MS-EM 1964", **ERIKA) is False


def test_a_company_car_without_birthdate_is_not_the_applicants(musterstadt):
    DemoVehicleRecord.objects.create(municipality=musterstadt, plate="MS-FW 100", family_name="Muster GmbH")
    assert vehicle_registered_to(municipality=musterstadt, plate="MS-FW 100", **ERIKA) is False


def test_no_register_connected_is_unavailable_not_false(erikas_car, musterstadt, settings):
    settings.RATHAUS_VEHICLE_REGISTER = "none"
    with pytest.raises(RegisterUnavailable):
        vehicle_registered_to(municipality=musterstadt, plate="MS-EM 1964", **ERIKA)


@pytest.fixture
def broken_register(settings, monkeypatch):
    """A plugin whose register does not answer (a timeout at the registration authority)."""
    from rathaus.registers.vehicles import registry

    monkeypatch.setattr(registry, "_plugins", dict(registry._plugins))

    @register("broken")
    class BrokenRegister(VehicleRegister):
        def holder_of(self, *, municipality, plate):
            raise RegisterUnavailable("timed out")

    settings.RATHAUS_VEHICLE_REGISTER = "broken"
    return BrokenRegister


def test_a_register_that_does_not_answer_raises_register_unavailable(broken_register, musterstadt):
    with pytest.raises(RegisterUnavailable, match="timed out"):
        vehicle_registered_to(municipality=musterstadt, plate="MS-EM 1964", **ERIKA)


def test_plugins_receive_the_normalised_plate(settings, monkeypatch, musterstadt):
    from rathaus.registers.vehicles import registry

    monkeypatch.setattr(registry, "_plugins", dict(registry._plugins))
    asked = []

    @register("recording")
    class RecordingRegister(VehicleRegister):
        def holder_of(self, *, municipality, plate):
            asked.append(plate)
            return None

    settings.RATHAUS_VEHICLE_REGISTER = "recording"
    vehicle_registered_to(municipality=musterstadt, plate=" ms ab123 ", **ERIKA)
    assert asked == ["MS-AB 123"]
    assert plugins()["recording"] is RecordingRegister


def test_a_plugin_identifier_cannot_be_taken_twice():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):

        @register("demo")
        class Another(VehicleRegister):
            def holder_of(self, *, municipality, plate):
                return None
