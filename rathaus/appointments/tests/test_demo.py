from rathaus.appointments.demo import appointments_demo_load
from rathaus.appointments.models import Counter, LocationService, OpeningHours


def test_the_demo_office_is_loaded_once(catalog, musterstadt):
    first = appointments_demo_load(municipality=musterstadt)
    again = appointments_demo_load(municipality=musterstadt)
    assert first == again and first.name == "Bürgerbüro im Rathaus"
    assert Counter.objects.filter(location=first).count() == 2
    assert OpeningHours.objects.filter(location=first, weekday=3).count() == 2  # Thursday, long
    minutes = dict(LocationService.objects.filter(location=first).values_list("service_key", "minutes"))
    assert minutes["personalausweis"] == 20 and minutes["reisepass"] == 20
    assert "bewohnerparkausweis" not in minutes


def test_the_demo_has_confirmed_appointments_for_the_desk_once(catalog, musterstadt):
    from rathaus.appointments.demo import appointments_demo_bookings_load
    from rathaus.appointments.models import Booking

    location = appointments_demo_load(municipality=musterstadt)
    assert not Booking.objects.exists()  # the office alone, as the tests use it
    appointments_demo_bookings_load(location=location)
    appointments_demo_bookings_load(location=location)
    bookings = list(Booking.objects.filter(status=Booking.Status.CONFIRMED))
    assert [b.name for b in bookings] == ["Erika Mustermann", "Max Mustermann", "Gisela Beispiel"]
    assert len({b.start.date() for b in bookings}) == 1
