"""Which residents' parking zone an address lies in, however the applicant typed it."""

import pytest
from django.utils import translation

from rathaus.registers.models import Parity, ParkingZone, ParkingZoneStreet
from rathaus.registers.selectors import parking_zone_for_address, parking_zones_for_address


def address(street: str, number: str, plz: str = "61348", ort: str = "Musterstadt") -> dict[str, str]:
    return {"strasse": street, "hausnummer": number, "plz": plz, "ort": ort}


def zone_with(municipality, code: str, name: str, *streets: dict) -> ParkingZone:
    zone = ParkingZone.objects.create(municipality=municipality, code=code, name=name)
    for street in streets:
        ParkingZoneStreet.objects.create(zone=zone, **street)
    return zone


@pytest.fixture
def altstadt(musterstadt) -> ParkingZone:
    return zone_with(
        musterstadt,
        "A",
        "Altstadt",
        {"street": "Heidestraße"},
        {"street": "Schloßstraße", "number_from": 1, "number_to": 30},
        {"street": "Bahnhofstraße", "number_from": 2, "number_to": 48, "parity": Parity.EVEN},
    )


@pytest.fixture
def bahnhofsviertel(musterstadt) -> ParkingZone:
    return zone_with(
        musterstadt,
        "B",
        "Bahnhofsviertel",
        {"street": "Bahnhofstraße", "number_from": 1, "number_to": 99, "parity": Parity.ODD},
        {"street": "Gartenweg", "number_from": 10},
        {"street": "Am Anger", "number_to": 9},
    )


@pytest.mark.parametrize(
    "street", ["Heidestraße", "Heidestrasse", "Heidestr.", "heidestr", "HEIDE-STRASSE", " Heide  Str "]
)
def test_erikas_street_is_found_however_it_is_spelled(altstadt, musterstadt, street):
    assert parking_zone_for_address(municipality=musterstadt, address=address(street, "17")) == altstadt


def test_a_street_without_range_covers_every_number_even_one_that_cannot_be_read(altstadt, musterstadt):
    for number in ("1", "17a", "250", "3-5", "hinten"):
        assert parking_zone_for_address(municipality=musterstadt, address=address("Heidestraße", number)) == altstadt


def test_a_range_includes_both_ends_and_numbers_with_letter_suffixes(altstadt, musterstadt):
    def zone(number):
        return parking_zone_for_address(municipality=musterstadt, address=address("Schlossstr.", number))

    assert zone("1") == altstadt
    assert zone("30") == altstadt
    assert zone("17a") == altstadt
    assert zone("30 b") == altstadt
    assert zone("31") is None
    assert zone("31a") is None
    assert zone("") is None, "a range needs a number"


def test_a_house_number_range_is_in_the_zone_when_one_of_its_ends_is(altstadt, musterstadt):
    assert parking_zone_for_address(municipality=musterstadt, address=address("Schloßstraße", "29-33")) == altstadt
    assert parking_zone_for_address(municipality=musterstadt, address=address("Schloßstraße", "31-33")) is None


def test_odd_and_even_sides_of_a_street_belong_to_different_zones(altstadt, bahnhofsviertel, musterstadt):
    def zone(number):
        return parking_zone_for_address(municipality=musterstadt, address=address("Bahnhofstraße", number))

    assert zone("7") == bahnhofsviertel
    assert zone("7b") == bahnhofsviertel
    assert zone("8") == altstadt
    assert zone("48") == altstadt
    assert zone("50") is None, "the even side ends at 48"
    assert zone("101") is None, "the odd side ends at 99"


def test_open_ended_ranges(bahnhofsviertel, musterstadt):
    assert parking_zone_for_address(municipality=musterstadt, address=address("Gartenweg", "10")) == bahnhofsviertel
    assert parking_zone_for_address(municipality=musterstadt, address=address("Gartenweg", "999")) == bahnhofsviertel
    assert parking_zone_for_address(municipality=musterstadt, address=address("Gartenweg", "9")) is None
    assert parking_zone_for_address(municipality=musterstadt, address=address("Am Anger", "1")) == bahnhofsviertel
    assert parking_zone_for_address(municipality=musterstadt, address=address("Am Anger", "10")) is None


def test_an_address_outside_every_zone_or_incomplete_has_none(altstadt, musterstadt):
    assert parking_zone_for_address(municipality=musterstadt, address=address("Lindenweg", "3")) is None
    assert parking_zone_for_address(municipality=musterstadt, address={}) is None
    assert parking_zone_for_address(municipality=musterstadt, address=None) is None
    assert parking_zone_for_address(municipality=musterstadt, address={"strasse": 17}) is None
    assert parking_zone_for_address(municipality=musterstadt, address="Heidestraße 17") is None  # type: ignore[arg-type]


def test_a_number_typed_into_the_street_field_counts(altstadt, musterstadt):
    found = parking_zone_for_address(municipality=musterstadt, address=address("Schloßstraße 12", ""))
    assert found == altstadt


def test_zones_of_another_municipality_are_never_found(altstadt, beispielhausen):
    assert parking_zone_for_address(municipality=beispielhausen, address=address("Heidestraße", "17")) is None


def test_a_postal_code_separates_streets_of_the_same_name(musterstadt):
    zone = zone_with(musterstadt, "C", "Nord", {"street": "Hauptstraße", "postal_code": "61350"})
    assert parking_zone_for_address(municipality=musterstadt, address=address("Hauptstraße", "3", "61350")) == zone
    assert parking_zone_for_address(municipality=musterstadt, address=address("Hauptstraße", "3", "61348")) is None


def test_a_street_on_a_zone_border_is_in_both_zones_and_the_first_by_code_wins(musterstadt):
    second = zone_with(musterstadt, "B", "Süd", {"street": "Grenzweg"})
    first = zone_with(musterstadt, "A", "Nord", {"street": "Grenzweg"})
    found = address("Grenzweg", "1")
    assert parking_zones_for_address(municipality=musterstadt, address=found) == [first, second]
    assert parking_zone_for_address(municipality=musterstadt, address=found) == first


def test_the_lookup_is_one_query(altstadt, musterstadt, django_assert_num_queries):
    with django_assert_num_queries(1):
        parking_zone_for_address(municipality=musterstadt, address=address("Heidestraße", "17"))


def test_the_street_is_stored_tidy_and_with_its_key(altstadt):
    street = ParkingZoneStreet.objects.create(zone=altstadt, street="  Neue   Straße ")
    assert (street.street, street.street_key) == ("Neue Straße", "neuestr")
    assert str(street) == "Neue Straße"
    with translation.override("de"):
        assert str(altstadt.streets.get(street="Bahnhofstraße")) == "Bahnhofstraße 2–48, gerade Hausnummern"
