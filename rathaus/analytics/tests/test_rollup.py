"""Daily rollups: counts per event, service and dimension value, duration histograms, field abandonment per visit;
the same numbers whenever a day is rolled up again; raw events deleted only after their retention and rollup."""

from datetime import timedelta

import pytest

from rathaus.analytics import histogram
from rathaus.analytics.models import DailyCount, DailyDuration, Event, RolledDay
from rathaus.analytics.rollup import pending_days, raw_events_purge
from rathaus.analytics.tasks import analytics_rollup

from .conftest import at, journey, yesterday

pytestmark = pytest.mark.analytics


def cells(**filters):
    return {(c.name, c.service_key, c.dimension, c.value): c.count for c in DailyCount.objects.filter(**filters)}


def test_a_day_becomes_counts_per_event_service_and_dimension(musterstadt, emit, roll):
    day = yesterday()
    journey(emit, musterstadt, day, "v1", ["person", "fahrzeug"], sent=False)
    journey(emit, musterstadt, day, "v2", ["person", "fahrzeug", "ausweis", "nachweise"], sent=True, method="paypal")
    emit(musterstadt, "login", at(day, 9), login_method="oidc", trust_level="hoch")

    result = roll(day)

    counted = cells(day=day, municipality=musterstadt)
    assert result.events == Event.objects.count()
    assert counted[("service_started", "bewohnerparkausweis", "", "")] == 2
    assert counted[("service_started", "bewohnerparkausweis", "guest", "false")] == 2
    assert counted[("step_completed", "bewohnerparkausweis", "step", "fahrzeug")] == 2
    assert counted[("step_completed", "bewohnerparkausweis", "step", "nachweise")] == 1
    assert counted[("application_submitted", "bewohnerparkausweis", "method", "paypal")] == 1
    assert counted[("login", "", "login_method", "oidc")] == 1
    assert counted[("login", "", "trust_level", "hoch")] == 1
    [duration] = DailyDuration.objects.filter(name="application_submitted")
    assert (duration.bucket, duration.count) == (histogram.bucket_of(600), 1)


def test_rolling_a_day_up_again_gives_the_same_rows(musterstadt, emit, roll):
    day = yesterday()
    for i in range(7):
        journey(emit, musterstadt, day, f"v{i}", ["person"], sent=i % 2 == 0, duration=60 * (i + 1))
    roll(day)
    first = (sorted(cells().items()), sorted(DailyDuration.objects.values_list("name", "bucket", "count")))

    roll(day)
    roll(day - timedelta(days=1), day)

    assert (sorted(cells().items()), sorted(DailyDuration.objects.values_list("name", "bucket", "count"))) == first
    assert RolledDay.objects.filter(municipality=musterstadt, day=day).count() == 1


def test_events_count_on_their_local_day(musterstadt, emit, roll):
    day = yesterday()
    emit(
        musterstadt, "login", at(day, 0, 30), login_method="password", trust_level="niedrig"
    )  # 23:30 UTC the day before
    emit(musterstadt, "login", at(day, 23, 59), login_method="password", trust_level="niedrig")
    roll(day - timedelta(days=1), day)
    assert cells(day=day)[("login", "", "", "")] == 2
    assert ("login", "", "", "") not in cells(day=day - timedelta(days=1))


def test_a_visit_that_stops_at_an_error_counts_for_that_field(musterstadt, emit, roll):
    day = yesterday()
    key = "bewohnerparkausweis"
    # v1 stops with an error at the plate; v2 fixes the error and goes on; v3 stops after an error elsewhere was fixed.
    emit(musterstadt, "field_invalid", at(day, 10, 1), key, "v1", step="fahrzeug", field="kennzeichen")
    emit(musterstadt, "field_invalid", at(day, 10, 1), key, "v1", step="fahrzeug", field="halter_name")
    emit(musterstadt, "field_invalid", at(day, 10, 2), key, "v2", step="fahrzeug", field="kennzeichen")
    emit(musterstadt, "step_completed", at(day, 10, 3), key, "v2", step="fahrzeug")
    emit(musterstadt, "field_invalid", at(day, 10, 2), key, "v3", step="person", field="email")
    emit(musterstadt, "step_completed", at(day, 10, 3), key, "v3", step="person")
    emit(musterstadt, "field_invalid", at(day, 10, 4), key, "v4", step="nachweise", field="fahrzeugschein")
    emit(musterstadt, "application_submitted", at(day, 10, 9), key, "v4", method="card", trust_level="hoch")
    roll(day)
    counted = cells(day=day, name="field_abandoned", dimension="field")
    assert counted == {
        ("field_abandoned", key, "field", "kennzeichen"): 1,
        ("field_abandoned", key, "field", "halter_name"): 1,
    }
    assert cells(day=day, name="field_invalid", dimension="field")[("field_invalid", key, "field", "kennzeichen")] == 2


def test_the_daily_task_rolls_up_missed_days_and_deletes_old_raw_events(musterstadt, emit, settings):
    settings.RATHAUS_ANALYTICS_RAW_DAYS = 30
    old, recent = yesterday() - timedelta(days=40), yesterday() - timedelta(days=3)
    emit(musterstadt, "login", at(old), login_method="password", trust_level="niedrig")
    emit(musterstadt, "login", at(recent), login_method="password", trust_level="niedrig")
    assert old in pending_days(municipality=musterstadt, until=yesterday())

    analytics_rollup.call()

    assert cells(day=old)[("login", "", "", "")] == 1
    assert cells(day=recent)[("login", "", "", "")] == 1
    assert list(Event.objects.values_list("occurred_at", flat=True)) == [at(recent)]
    assert pending_days(municipality=musterstadt, until=yesterday()) == [yesterday() - timedelta(days=1), yesterday()]


def test_raw_events_of_a_day_not_rolled_up_are_kept(musterstadt, emit, settings):
    settings.RATHAUS_ANALYTICS_RAW_DAYS = 30
    emit(musterstadt, "login", at(yesterday() - timedelta(days=60)), login_method="oidc", trust_level="hoch")
    assert raw_events_purge() == 0
    assert Event.objects.count() == 1


def test_whole_months_are_read_from_the_monthly_rollups_with_the_same_sums(musterstadt, emit, roll):
    from datetime import date

    from rathaus.analytics.models import MonthlyCount
    from rathaus.analytics.selectors import Scope, spans, totals

    assert spans(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 2, 1), date(2026, 3, 1)),
    )
    assert spans(date(2026, 2, 1), date(2026, 2, 28)) == ([], (date(2026, 2, 1), date(2026, 2, 1)))
    assert spans(date(2026, 2, 3), date(2026, 2, 20)) == ([(date(2026, 2, 3), date(2026, 2, 20))], None)

    last = yesterday()
    first = last - timedelta(days=75)
    day = first
    while day <= last:
        emit(musterstadt, "service_started", at(day), "bewohnerparkausweis", f"v{day}")
        day += timedelta(days=3)
    roll(first, last)
    scope = Scope(municipality=musterstadt, service_keys=None)
    summed = totals(scope=scope, start=first, end=last, names=["service_started"])
    assert summed == {("service_started", "bewohnerparkausweis"): Event.objects.count()}
    month = first.replace(day=28) + timedelta(days=4)
    month = month.replace(day=1)
    in_month = Event.objects.filter(
        occurred_at__gte=at(month, 0), occurred_at__lt=at((month + timedelta(days=32)).replace(day=1), 0)
    ).count()
    assert MonthlyCount.objects.get(day=month, name="service_started", dimension="").count == in_month
    roll(first, last)  # again: the months are rebuilt, not added to
    assert MonthlyCount.objects.get(day=month, name="service_started", dimension="").count == in_month
