"""Collection days from rules and the holiday shift: a collection on or after a holiday in its week moves a day."""

from datetime import date

import pytest

from rathaus.waste.models import Collection, CollectionRule
from rathaus.waste.schedule import holiday_shift, holidays_of, rule_days
from rathaus.waste.services import waste_dates_generate

pytestmark = pytest.mark.reports

HESSE = holidays_of("HE")


@pytest.mark.parametrize(
    ("planned", "actual", "why"),
    [
        (date(2026, 4, 6), date(2026, 4, 7), "Ostermontag: Monday's collection on Tuesday"),
        (date(2026, 4, 10), date(2026, 4, 11), "the whole week after Ostermontag moves, Friday to Saturday"),
        (date(2026, 4, 2), date(2026, 4, 2), "Thursday before Karfreitag stays"),
        (date(2026, 4, 3), date(2026, 4, 4), "Karfreitag to Saturday"),
        (date(2026, 5, 14), date(2026, 5, 15), "Christi Himmelfahrt (Thursday) to Friday"),
        (date(2026, 5, 12), date(2026, 5, 12), "Tuesday before Himmelfahrt stays"),
        (date(2025, 12, 24), date(2025, 12, 24), "Christmas Eve is no public holiday"),
        (date(2025, 12, 25), date(2025, 12, 27), "two holidays: Thursday's collection never lands on the 26th"),
        (date(2025, 12, 26), date(2025, 12, 27), "Friday's at most to Saturday"),
        (date(2026, 6, 9), date(2026, 6, 9), "a week without holidays"),
    ],
)
def test_holiday_shift(planned, actual, why):
    assert holiday_shift(planned, HESSE) == actual, why


def test_a_rule_gives_every_second_tuesday_from_its_first_day():
    days = rule_days(
        first_day=date(2026, 1, 6),
        interval_weeks=2,
        last_day=None,
        start=date(2026, 3, 1),
        end=date(2026, 4, 30),
        is_holiday=HESSE,
    )
    assert [planned for planned, _actual in days] == [
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 31),
        date(2026, 4, 14),
        date(2026, 4, 28),
    ]


def test_generated_days_are_stored_with_their_regular_day(districts, musterstadt):
    CollectionRule.objects.create(
        district=districts["1"], waste_type=musterstadt.waste_types.get(code="rest"), first_day=date(2026, 1, 12)
    )
    report = waste_dates_generate(municipality=musterstadt, year=2026, actor=None)
    assert report.created == 26, "12 January and every second Monday until 28 December"
    easter = Collection.objects.get(district=districts["1"], planned_day=date(2026, 4, 6))
    assert easter.day == date(2026, 4, 7)
    assert Collection.objects.get(day=date(2026, 1, 12)).planned_day is None, "a day not moved has no regular day"
    again = waste_dates_generate(municipality=musterstadt, year=2026, actor=None)
    assert (again.created, again.removed, again.unchanged) == (0, 0, 26), "generating again changes nothing"
