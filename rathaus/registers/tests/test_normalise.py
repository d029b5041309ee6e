"""How people write streets, house numbers, plates and names: one comparable form for each."""

import pytest

from rathaus.core.addresses import house_numbers, street_and_number, street_key
from rathaus.registers.normalise import (
    PlateInvalid,
    family_name_sort_key,
    family_names_match,
    given_names_match,
    plate_normalise,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "Heidestraße",
        "Heidestrasse",
        "Heidestr.",
        "Heidestr",
        "heidestraße",
        "HEIDESTRASSE",
        "Heide-Straße",
        "Heide Str.",
        "  Heide   straße ",
        "Heidestrase",
    ],
)
def test_street_spellings_have_one_key(spelling):
    assert street_key(spelling) == street_key("Heidestraße") == "heidestr"


def test_umlauts_and_their_transliterations_are_the_same_street():
    assert street_key("Müller-Lüdenscheidt-Straße") == street_key("Mueller Luedenscheidt Str.")
    assert street_key("Schloßstraße") == street_key("Schlossstrasse")
    assert street_key("Am Güterbahnhof") == street_key("am gueterbahnhof")


def test_abbreviations_of_sankt_and_platz():
    assert street_key("Sankt-Anna-Straße") == street_key("St.-Anna-Str.")
    assert street_key("Marktpl.") == street_key("Marktplatz")


def test_a_word_that_only_begins_with_strasse_is_kept():
    assert street_key("Straßenbahnweg") == "strassenbahnweg"
    assert street_key("Astrid-Lindgren-Weg") == "astridlindgrenweg"


def test_numbers_in_street_names_stay():
    assert street_key("Straße des 17. Juni") == street_key("Str. des 17 Juni") == "strdes17juni"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("17", (17,)),
        ("17a", (17,)),
        ("17 A", (17,)),
        ("3-5", (3, 5)),
        ("3 – 5", (3, 5)),
        ("3a-5b", (3, 5)),
        ("17/1", (17,)),
        ("5-5", (5,)),
    ],
)
def test_house_numbers_without_letter_suffixes(text, numbers):
    assert house_numbers(text) == numbers


@pytest.mark.parametrize("text", ["", "a", "siebzehn", "17 ab", "-3"])
def test_what_is_not_a_house_number(text):
    assert house_numbers(text) is None


def test_a_number_typed_into_the_street_field_is_split_off_only_when_the_number_field_is_empty():
    assert street_and_number("Heidestraße 17a", "") == ("Heidestraße", "17a")
    assert street_and_number("Heidestraße", "17") == ("Heidestraße", "17")
    assert street_and_number("Straße des 17. Juni", "4") == ("Straße des 17. Juni", "4")


@pytest.mark.parametrize(
    "spelling",
    ["MS-AB 123", "ms-ab 123", "MS AB123", "MS AB 123", "MS-AB123", "MS - AB - 123", " ms ab 123 ", "MS–AB 123"],
)
def test_plates_have_one_normalised_form(spelling):
    assert plate_normalise(spelling) == "MS-AB 123"


def test_plates_keep_electric_and_historic_suffixes_and_umlaut_districts():
    assert plate_normalise("ms-em 1964 e") == "MS-EM 1964E"
    assert plate_normalise("B-MW 12H") == "B-MW 12H"
    assert plate_normalise("öhr-a 5") == "ÖHR-A 5"


@pytest.mark.parametrize("text", ["", "MSAB123", "MS-ABC 1", "MS-AB 12345", "1234", "MS-AB", "ABCD-A 1"])
def test_what_is_not_a_plate(text):
    with pytest.raises(PlateInvalid):
        plate_normalise(text)


@pytest.mark.parametrize(
    ("registered", "given"),
    [
        ("Mustermann", "mustermann"),
        ("Müller", "Mueller"),
        ("Müller", "Muller"),
        ("Weiß", "Weiss"),
        ("Müller-Lüdenscheidt", "Müller Lüdenscheidt"),
        ("Mustermann", "Dr. Mustermann"),
        ("Hélène", "Helene"),
    ],
)
def test_family_names_match_whatever_the_spelling(registered, given):
    assert family_names_match(registered, given)


@pytest.mark.parametrize(
    ("registered", "given"),
    [("Mustermann", "Musterfrau"), ("Müller-Lüdenscheidt", "Müller"), ("Mueller", "Muller"), ("Mustermann", "")],
)
def test_different_family_names_do_not_match(registered, given):
    assert not family_names_match(registered, given)


@pytest.mark.parametrize(
    ("registered", "given"),
    [
        ("Erika", "erika"),
        ("Erika Maria", "Erika"),
        ("Erika", "Erika Maria"),
        ("Anna Luise", "Luise"),
        ("Hans-Peter", "Hans Peter"),
        ("Jürgen", "Juergen"),
    ],
)
def test_given_names_match_with_further_names_on_either_side(registered, given):
    assert given_names_match(registered, given)


@pytest.mark.parametrize(
    ("registered", "given"), [("Erika", "Erik"), ("Hans-Peter", "Peter"), ("Erika Maria", "Erika Anna"), ("Erika", "")]
)
def test_different_given_names_do_not_match(registered, given):
    assert not given_names_match(registered, given)


def test_family_names_sort_like_din_5007():
    assert family_name_sort_key("Öztürk") == "OZTURK"
    assert family_name_sort_key("Strauß") == "STRAUSS"
    assert family_name_sort_key("von der Heide") == "HEIDE"
    assert family_name_sort_key("van Dijk") == "DIJK"
    assert family_name_sort_key("Meyer-Lansky") == "MEYERLANSKY"
