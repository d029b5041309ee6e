"""The dashboard's numbers are rounded as people expect, not cut off."""

from django.utils import translation

from rathaus.analytics.selectors import Trend
from rathaus.analytics.templatetags.analytics_format import amount, cell, percent, trend_text


def test_a_share_is_rounded_half_up_to_one_decimal():
    with translation.override("de"):
        assert percent(2 / 3) == "66,7 %"
        assert percent(1 / 15) == "6,7 %"
        assert percent(13 / 15) == "86,7 %"
        assert percent(0.125) == "12,5 %"
        assert percent(None) == "–"


def test_days_minutes_and_counts_are_rounded():
    with translation.override("de"):
        assert amount(5.66, "days") == "5,7 Tage"
        assert amount(12.349, "minutes") == "12,3 Min."
        assert amount(1234.6) == "1.235"


def test_a_published_float_cell_is_rounded():
    with translation.override("de"):
        assert cell(55.55) == "55,6"
        assert cell(1234) == "1.234"


def test_a_trend_names_the_rounded_change():
    with translation.override("de"):
        assert trend_text(Trend(current=126.0, previous=100.0)).startswith("plus 26 %")
        assert trend_text(Trend(current=0.5, previous=0.3333), "percent").startswith("plus 16,7 Prozentpunkte")
