"""`rathaus generate_events`: realistic synthetic traffic, the same for the same seed, written in bulk and rolled
up; the demo gets a year of it once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rathaus.analytics.demo import analytics_demo_load
from rathaus.analytics.generator import rows_for
from rathaus.analytics.models import AnalyticsSettings, DailyCount, Event, RolledDay
from rathaus.analytics.periods import Period
from rathaus.analytics.selectors import Scope, service_figures, service_for_scope
from rathaus.analytics.services import event_check

from .conftest import yesterday

pytestmark = pytest.mark.analytics


def test_the_same_seed_gives_the_same_events(catalog, musterstadt, beispielhausen):
    def sample(seed: int):
        rows = rows_for(
            municipalities=[musterstadt, beispielhausen],
            count=3000,
            start=yesterday() - timedelta(days=30),
            end=yesterday(),
            seed=seed,
        )
        return list(rows)

    first = sample(7)
    assert first == sample(7)
    assert first != sample(8)
    assert len(first) == 3000
    assert {row[2] for row in first} == {musterstadt.pk, beispielhausen.pk}
    for name, _at, _m, _key, _visit, dimensions in first:
        event_check(name=name, dimensions=dimensions)  # names and codes as event_emit accepts them


def test_the_command_writes_rolls_up_and_shows_progress(catalog, musterstadt, beispielhausen):
    out = StringIO()
    call_command("generate_events", "4000", "--municipality", "musterstadt", "--days", "60", "--seed", "3", stdout=out)
    assert Event.objects.filter(municipality=musterstadt).count() == 4000
    assert not Event.objects.filter(municipality=beispielhausen).exists()
    assert "100 %" in out.getvalue() and "4,000 / 4,000 events" in out.getvalue()
    first = yesterday() - timedelta(days=59)
    assert DailyCount.objects.filter(municipality=musterstadt, day__lt=first).count() == 0
    assert DailyCount.objects.filter(municipality=musterstadt, name="service_started").exists()
    with pytest.raises(CommandError, match="No municipality"):
        call_command("generate_events", "10", "--municipality", "nirgendwo", stdout=StringIO())


def test_the_bewohnerparkausweis_loses_most_people_at_the_proofs(catalog, musterstadt):
    call_command("generate_events", "30000", "--municipality", "musterstadt", "--days", "90", stdout=StringIO())
    scope = Scope(municipality=musterstadt, service_keys=None)
    service = service_for_scope(scope=scope, key="bewohnerparkausweis")
    figures = service_figures(
        scope=scope, service=service, period=Period("frei", yesterday() - timedelta(89), yesterday())
    )
    assert figures.worst_step is not None and figures.worst_step.code == "nachweise"
    assert figures.payment_methods and figures.trust_levels
    assert figures.fields[0].code == "fahrzeugschein"


def test_the_demo_loads_a_year_once_and_opts_in(catalog, musterstadt):
    assert analytics_demo_load(municipality=musterstadt) > 0
    count = Event.objects.count()
    assert analytics_demo_load(municipality=musterstadt) == 0
    assert Event.objects.count() == count
    assert RolledDay.objects.filter(municipality=musterstadt).count() == 365
    first = DailyCount.objects.filter(municipality=musterstadt).order_by("day").first()
    assert first is not None and first.day < yesterday() - timedelta(days=300)
    settings = AnalyticsSettings.objects.get(municipality=musterstadt)
    assert settings.compare and settings.publish_open_data
