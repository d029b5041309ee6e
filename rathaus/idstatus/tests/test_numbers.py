"""Serial numbers of German ID documents: 9 characters of digits and consonants, an optional ICAO check digit."""

import pytest

from rathaus.idstatus.numbers import NumberInvalid, check_digit, number_digest, number_normalise

pytestmark = pytest.mark.reports


@pytest.mark.parametrize(
    "typed", ["L01X00T47", "l01x00t47", " L01X 00T47 ", "L01-X00-T47", "LO1XOOT47", "L0IX00T47", "lOiXooT47"]
)
def test_usual_spellings_are_one_number(typed):
    assert number_normalise(typed) == "L01X00T47"


def test_a_tenth_character_must_be_the_check_digit():
    digit = check_digit("L01X00T47")
    assert number_normalise(f"L01X00T47{digit}") == "L01X00T47"
    with pytest.raises(NumberInvalid, match="letzte Ziffer"):
        number_normalise(f"L01X00T47{(digit + 1) % 10}")


def test_the_icao_check_digit():
    # ICAO Doc 9303 part 3, the specimen document number L898902C3 has check digit 6.
    assert check_digit("L898902C3") == 6


@pytest.mark.parametrize("typed", ["", "12345", "A01X00T47", "L01X00T4", "L01X00T47AB", "L01B00T47", "L01X00T4Ä"])
def test_other_input_is_refused(typed):
    with pytest.raises(NumberInvalid):
        number_normalise(typed)


def test_the_stored_form_is_keyed_and_per_municipality(settings):
    first = number_digest(municipality_id=1, number="L01X00T47")
    assert "L01X00T47" not in first and len(first) == 64
    assert number_digest(municipality_id=2, number="L01X00T47") != first
    settings.RATHAUS_ID_STATUS_KEY = "another key"
    assert number_digest(municipality_id=1, number="L01X00T47") != first
