from rathaus.reservations.demo import reservations_demo_load
from rathaus.reservations.models import OpeningWindow, Resource
from rathaus.tenants.services import department_ensure


def test_the_demo_places_are_loaded_once_in_both_municipalities(musterstadt, beispielhausen):
    for municipality in (musterstadt, beispielhausen):
        department_ensure(municipality=municipality, code="kultur_sport", name="Kultur, Sport und Bäder")
    first = reservations_demo_load(municipality=musterstadt)
    again = reservations_demo_load(municipality=musterstadt)
    assert first == again
    assert [r.name for r in first] == [
        "Grillplatz am Waldsee",
        "Grillplatz im Bürgerpark",
        "Grillhütte am Lindenberg",
        "Bürgersaal im Alten Rathaus",
    ]
    assert {r.department.code for r in first} == {"kultur_sport"}
    assert OpeningWindow.objects.filter(resource__municipality=musterstadt, resource__kind="barbecue").count() == 9
    [hut] = reservations_demo_load(municipality=beispielhausen)
    assert (hut.kind, hut.capacity, str(hut.fee_amount)) == (Resource.Kind.BARBECUE, 50, "60.00")
