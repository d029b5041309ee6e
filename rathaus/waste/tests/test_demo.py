"""The demo: both municipalities get districts (a split street, umlauts and ß), types and this year's days."""

import pytest
from django.utils import timezone

from rathaus.idstatus.demo import idstatus_demo_load
from rathaus.idstatus.selectors import status_lookup
from rathaus.waste.demo import waste_demo_load
from rathaus.waste.models import Collection, DistrictStreet
from rathaus.waste.selectors import place_resolve, street_is_split

pytestmark = pytest.mark.reports


def test_the_demo_has_a_year_of_days_a_split_street_and_is_idempotent(musterstadt, beispielhausen):
    for municipality in (musterstadt, beispielhausen):
        waste_demo_load(municipality=municipality)
        assert street_is_split(municipality=municipality, key="hauptstr")
        year = timezone.localdate().year
        assert Collection.objects.filter(district__municipality=municipality, day__year=year).count() > 100
    assert DistrictStreet.objects.filter(street__contains="ß").exists()
    assert DistrictStreet.objects.filter(street__contains="ü").exists()
    odd = place_resolve(municipality=beispielhausen, street="Hauptstraße", number="13")
    even = place_resolve(municipality=beispielhausen, street="Hauptstraße", number="14")
    assert (odd.district.code, even.district.code) == ("A", "B"), "odd and even sides in different districts"
    before = Collection.objects.count()
    waste_demo_load(municipality=musterstadt)
    assert Collection.objects.count() == before


def test_the_demo_numbers_can_be_looked_up(musterstadt):
    lines = idstatus_demo_load(municipality=musterstadt)
    assert lines[0].startswith("L01X00T47")
    assert status_lookup(municipality=musterstadt, number="L01X00T47") == "ready"
    assert idstatus_demo_load(municipality=musterstadt) == lines
