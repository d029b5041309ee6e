from datetime import date

from rathaus.core.holidays import easter_sunday, hessen_holidays, public_holiday


def test_easter_and_the_moving_feasts_of_hesse():
    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]
    holidays = hessen_holidays(2026)
    assert holidays[date(2026, 4, 3)] == "Karfreitag"
    assert holidays[date(2026, 6, 4)] == "Fronleichnam"
    assert len(holidays) == 10


def test_only_hesse_is_known():
    assert public_holiday("HE", date(2026, 10, 3)) == "Tag der Deutschen Einheit"
    assert public_holiday("", date(2026, 10, 3)) is None
