"""Who takes a case: the first caseworker area (by position) that the applicant's postal code and family name fit."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.accounts.models import StaffRole
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.registers.models import CaseworkerArea
from rathaus.registers.selectors import caseworker_for


def address(plz: str) -> dict[str, str]:
    return {"strasse": "Heidestraße", "hausnummer": "17", "plz": plz, "ort": "Musterstadt"}


@pytest.fixture
def traffic(musterstadt):
    return musterstadt.departments.get(code="strassenverkehr")


@pytest.fixture
def colleague(musterstadt, traffic):
    """Clara Kollegin, a second caseworker at the road traffic authority."""
    user, _ = user_ensure(
        username="clara",
        email="clara@musterstadt.example",
        password="Test-Passwort-2026",
        first_name="Clara",
        last_name="Kollegin",
    )
    staff_role_ensure(user=user, municipality=musterstadt, role=StaffRole.Role.CASEWORKER, department=traffic)
    return user


def area(department, user, *, position=0, postal_codes="", initials=("", "")) -> CaseworkerArea:
    made = CaseworkerArea(
        department=department,
        user=user,
        position=position,
        postal_codes=postal_codes,
        initials_from=initials[0],
        initials_to=initials[1],
    )
    made.full_clean()
    made.save()
    return made


def test_by_postal_code(traffic, caseworker, colleague):
    area(traffic, caseworker, postal_codes="61348, 61350")
    area(traffic, colleague, position=1, postal_codes="61352")
    assert caseworker_for(department=traffic, address=address("61348"), family_name="Mustermann") == caseworker
    assert caseworker_for(department=traffic, address=address("61350"), family_name="Mustermann") == caseworker
    assert caseworker_for(department=traffic, address=address("61352"), family_name="Mustermann") == colleague
    assert caseworker_for(department=traffic, address=address("10115"), family_name="Mustermann") is None
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") is None


def test_by_initials_of_the_family_name(traffic, caseworker, colleague):
    area(traffic, caseworker, initials=("A", "K"))
    area(traffic, colleague, position=1, initials=("L", "Z"))
    assert caseworker_for(department=traffic, address=None, family_name="Adler") == caseworker
    assert caseworker_for(department=traffic, address=None, family_name="Kuhn") == caseworker, "K is included"
    assert caseworker_for(department=traffic, address=None, family_name="Lange") == colleague
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") == colleague
    assert caseworker_for(department=traffic, address=None, family_name="Ärger") == caseworker, "Ä sorts as A"
    assert caseworker_for(department=traffic, address=None, family_name="von Zabel") == colleague, "von is ignored"
    assert caseworker_for(department=traffic, address=None, family_name="") is None


def test_ranges_of_several_letters_as_in_sch(traffic, caseworker, colleague):
    area(traffic, caseworker, initials=("A", "Sch"))
    area(traffic, colleague, position=1, initials=("Sci", "Z"))
    assert caseworker_for(department=traffic, address=None, family_name="Schulz") == caseworker
    assert caseworker_for(department=traffic, address=None, family_name="Schmidt") == caseworker
    assert caseworker_for(department=traffic, address=None, family_name="Seidel") == colleague
    assert caseworker_for(department=traffic, address=None, family_name="Scott") == colleague


def test_postal_code_and_initials_together(traffic, caseworker, colleague):
    area(traffic, caseworker, postal_codes="61348", initials=("A", "K"))
    area(traffic, colleague, position=1, postal_codes="61348", initials=("L", "Z"))
    assert caseworker_for(department=traffic, address=address("61348"), family_name="Becker") == caseworker
    assert caseworker_for(department=traffic, address=address("61348"), family_name="Mustermann") == colleague
    assert caseworker_for(department=traffic, address=address("61350"), family_name="Becker") is None


def test_the_first_area_by_position_wins_and_a_catch_all_comes_last(traffic, caseworker, colleague):
    area(traffic, colleague, position=10)  # everything else
    area(traffic, caseworker, position=1, postal_codes="61348")
    assert caseworker_for(department=traffic, address=address("61348"), family_name="Mustermann") == caseworker
    assert caseworker_for(department=traffic, address=address("61350"), family_name="Mustermann") == colleague


def test_equal_positions_are_tried_in_the_order_they_were_made(traffic, caseworker, colleague):
    area(traffic, colleague)
    area(traffic, caseworker)
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") == colleague


def test_areas_of_another_department_do_not_count(musterstadt, traffic, citizens_office_clerk):
    area(musterstadt.departments.get(code="buergerbuero"), citizens_office_clerk)
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") is None


def test_people_who_left_or_moved_to_another_department_are_passed_over(traffic, caseworker, colleague):
    area(traffic, caseworker)
    area(traffic, colleague, position=1)
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") == colleague
    colleague.staff_roles.all().delete()
    assert caseworker_for(department=traffic, address=None, family_name="Mustermann") is None


def test_the_lookup_takes_few_queries(traffic, caseworker, colleague, django_assert_max_num_queries):
    for position in range(5):
        area(traffic, colleague, position=position, postal_codes="10115")
    area(traffic, caseworker, position=9)
    with django_assert_max_num_queries(3):
        assert caseworker_for(department=traffic, address=address("61348"), family_name="Mustermann") == caseworker


def test_areas_are_checked_and_tidied(traffic, caseworker):
    made = area(traffic, caseworker, postal_codes="61348;61350 ,", initials=("ä", "sch"))
    assert (made.postal_codes, made.initials_from, made.initials_to) == ("61348, 61350", "A", "Sch")
    assert made.postal_codes_list == ["61348", "61350"]
    for postal_codes, initials, field in [
        ("6134", ("", ""), "postal_codes"),
        ("", ("A", ""), "initials_to"),
        ("", ("", "K"), "initials_from"),
        ("", ("L", "K"), "initials_to"),
        ("", ("A1", "K"), "initials_from"),
    ]:
        with pytest.raises(ValidationError) as raised:
            area(traffic, caseworker, postal_codes=postal_codes, initials=initials)
        assert field in raised.value.message_dict, (postal_codes, initials)
