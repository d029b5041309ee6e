"""The demo: Erika Mustermann's address is in zone A and her car is registered to her; loading twice is harmless."""

from datetime import date

from rathaus.registers.models import DemoVehicleRecord, ParkingZone, ParkingZoneStreet
from rathaus.registers.selectors import parking_zone_for_address, vehicle_holder_of, vehicle_registered_to
from rathaus.registers.services import registers_demo_load

ERIKAS_ADDRESS = {"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"}


def snapshot():
    return (
        sorted(ParkingZone.objects.values_list("pk", "municipality__slug", "code", "name")),
        sorted(ParkingZoneStreet.objects.values_list("pk", "street", "number_from", "number_to", "parity")),
        sorted(DemoVehicleRecord.objects.values_list("pk", "plate", "family_name")),
    )


def test_erika_lives_in_zone_a_and_her_car_is_hers(musterstadt):
    registers_demo_load(municipality=musterstadt)
    zone = parking_zone_for_address(municipality=musterstadt, address=ERIKAS_ADDRESS)
    assert zone is not None and str(zone) == "A Altstadt"
    assert vehicle_registered_to(
        municipality=musterstadt,
        plate="MS-EM 1964",
        family_name="Mustermann",
        given_names="Erika",
        birthdate=date(1964, 8, 12),
    )
    assert not vehicle_registered_to(
        municipality=musterstadt,
        plate="MS-MB 2020",
        family_name="Mustermann",
        given_names="Erika",
        birthdate=date(1964, 8, 12),
    ), "the other car is Max's"


def test_zone_b_has_a_street_split_into_odd_and_even_sides(musterstadt):
    registers_demo_load(municipality=musterstadt)

    def zone(number):
        found = parking_zone_for_address(
            municipality=musterstadt, address={**ERIKAS_ADDRESS, "strasse": "Bahnhofstr.", "hausnummer": number}
        )
        return found.code if found else None

    assert (zone("7"), zone("8"), zone("50")) == ("B", "A", None)
    assert ParkingZone.objects.get(municipality=musterstadt, code="B").streets.count() >= 2


def test_loading_twice_changes_nothing_and_keeps_what_was_changed(musterstadt):
    registers_demo_load(municipality=musterstadt)
    zone_a = ParkingZone.objects.get(municipality=musterstadt, code="A")
    zone_a.streets.filter(street="Kirchgasse").delete()
    DemoVehicleRecord.objects.filter(plate="MS-MB 2020").update(family_name="Beispiel-Neu")
    before = snapshot()

    registers_demo_load(municipality=musterstadt)
    assert snapshot() == before


def test_beispielhausen_gets_its_own_zones_and_vehicles_with_its_postal_code(musterstadt, beispielhausen):
    beispielhausen.postal_code = "63450"
    beispielhausen.save(update_fields=["postal_code"])
    registers_demo_load(municipality=beispielhausen)
    assert list(ParkingZone.objects.filter(municipality=beispielhausen).values_list("code", flat=True)) == ["A", "B"]
    assert not ParkingZone.objects.filter(municipality=musterstadt).exists()
    records = DemoVehicleRecord.objects.filter(municipality=beispielhausen)
    assert records.count() >= 1
    assert {record.postal_code for record in records} == {"63450"}
    holder = vehicle_holder_of(municipality=beispielhausen, plate=records.first().plate)
    assert holder is not None and holder.address["ort"] == "Beispielhausen"
    found = parking_zone_for_address(
        municipality=beispielhausen,
        address={"strasse": "Hauptstr.", "hausnummer": "3", "plz": "63450", "ort": "Beispielhausen"},
    )
    assert found is not None and found.code == "B"
