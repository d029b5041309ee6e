"""Periods (day, week, month, year, custom range) and their previous period; trends between them."""

from datetime import date, timedelta

import pytest

from rathaus.analytics.periods import PeriodInvalid, last_complete_day, period_from_query, period_of
from rathaus.analytics.selectors import Kpi, Trend

pytestmark = pytest.mark.analytics


def test_each_kind_of_period_has_the_one_before():
    assert (period_of("tag", date(2025, 3, 5)).previous().start) == date(2025, 3, 4)
    week = period_of("woche", date(2025, 3, 5))  # a Wednesday
    assert (week.start, week.end) == (date(2025, 3, 3), date(2025, 3, 9))
    assert (week.previous().start, week.previous().end) == (date(2025, 2, 24), date(2025, 3, 2))
    march = period_of("monat", date(2025, 3, 5))
    assert (march.start, march.end) == (date(2025, 3, 1), date(2025, 3, 31))
    assert (march.previous().start, march.previous().end) == (date(2025, 2, 1), date(2025, 2, 28))
    november = period_of("monat", date(2025, 11, 5))
    assert (november.previous().start, november.previous().end) == (date(2025, 10, 1), date(2025, 10, 31))
    year = period_of("jahr", date(2024, 6, 1))
    assert (year.previous().start, year.previous().end) == (date(2023, 1, 1), date(2023, 12, 31))
    custom = period_of("frei", date(2025, 1, 10), date(2025, 1, 19))
    assert (custom.previous().start, custom.previous().end) == (date(2024, 12, 31), date(2025, 1, 9))


def test_a_running_period_ends_yesterday_and_compares_with_as_many_days_before():
    yesterday = last_complete_day()
    month = period_of("monat", yesterday)
    assert month.end == yesterday
    previous = month.previous()
    assert previous.start.day == 1 and previous.start.month != month.start.month
    if (yesterday + timedelta(days=1)).day == 1:  # yesterday closed the month: the whole month before
        assert (previous.end + timedelta(days=1)).day == 1
    else:
        assert previous.days == month.days or (previous.end + timedelta(days=1)).day == 1


def test_the_query_chooses_the_period_and_refuses_nonsense():
    period = period_from_query({"zeitraum": "frei", "von": "2025-01-01", "bis": "2025-01-31"})
    assert period.days == 31
    assert period_from_query({}).kind == "monat"
    for query in (
        {"zeitraum": "frei", "von": "2025-02-01", "bis": "2025-01-01"},
        {"zeitraum": "frei", "von": "kaputt", "bis": "2025-01-01"},
        {"zeitraum": "jahrhundert"},
        {"zeitraum": "frei", "von": "2015-01-01", "bis": "2025-01-01"},
        {"zeitraum": "tag", "datum": "2025-13-01"},
        # the edges of the calendar, where the period before or after would be no date
        {"zeitraum": "tag", "datum": "0001-01-01"},
        {"zeitraum": "woche", "datum": "0001-01-01"},
        {"zeitraum": "monat", "datum": "9999-12-31"},
        {"zeitraum": "jahr", "datum": "9999-06-01"},
        {"zeitraum": "frei", "von": "0001-01-01", "bis": "0001-01-31"},
        # a period without figures yet
        {"zeitraum": "tag", "datum": (last_complete_day() + timedelta(days=1)).isoformat()},
    ):
        with pytest.raises(PeriodInvalid):
            period_from_query(query)
    assert period_of("tag", last_complete_day() - timedelta(days=400)).days == 1


def test_trends_say_up_down_or_same():
    assert (Trend(120, 100).direction, round(Trend(120, 100).change or 0)) == ("up", 20)
    assert Trend(80, 100).direction == "down"
    assert Trend(100, 100).direction == "same"
    assert Trend(5, None).direction == "none" and Trend(5, 0).change is None


def test_a_trend_is_judged_by_what_the_figure_means_not_by_its_direction():
    assert Kpi("processing", "", Trend(2.3, 1.9), "days").judgement == "bad"
    assert Kpi("backlog", "", Trend(54, 63)).judgement == "good"
    assert Kpi("completion", "", Trend(0.7, 0.6), "percent").judgement == "good"
    assert Kpi("abandonment", "", Trend(0.4, 0.3), "percent").judgement == "bad"
    assert Kpi("starts", "", Trend(362, 412)).judgement == "neutral"
    assert Kpi("processing", "", Trend(2.0, 2.0), "days").judgement == "neutral"
