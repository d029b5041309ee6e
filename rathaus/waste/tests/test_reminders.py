"""E-mail reminders: double opt-in by link (a real SMTP server), a mail the day before, unsubscribe by link."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from rathaus.analytics.models import Event
from rathaus.waste.models import ReminderSubscription
from rathaus.waste.reminders import reminders_send

pytestmark = pytest.mark.reports


def path_of(link: str) -> str:
    return urlsplit(link).path


def test_subscribe_confirm_remind_and_unsubscribe(client, imported, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/abfallkalender/hauptstr-12/erinnerung/", {"email": "Erika@Example.org", "arten": ["rest"]}
        )
    assert response.status_code == 200 and "erika@example.org" in response.content.decode().lower()
    [confirmation] = smtp.to("erika@example.org")
    confirm = path_of(smtp.link_in(confirmation))
    day_before = imported["1/rest"][0] - timedelta(days=1)
    assert reminders_send(today=day_before) == 0, "nothing before the address is confirmed"

    assert client.get(confirm).status_code == 200, "following the link only shows a button"
    assert ReminderSubscription.objects.get().confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 200
    [event] = Event.objects.filter(name="waste_calendar_subscribed")
    assert event.dimensions == {"waste_types": "rest", "method": "email"}, "codes only, never the address"
    assert reminders_send(today=day_before) == 1
    assert reminders_send(today=day_before) == 0, "once a day"
    reminder = smtp.to("erika@example.org")[-1]
    assert "Restmüll" in reminder["Subject"]
    text = smtp.text_of(reminder)
    assert "Hauptstraße 12" in text
    bio_day_before = imported["1/bio"][0] - timedelta(days=1)
    assert reminders_send(today=bio_day_before) == 0, "Biomüll was not chosen"

    unsubscribe = path_of(next(link for link in smtp.links_in(reminder) if "/abmelden/" in link))
    assert client.post(unsubscribe).status_code == 200
    assert not ReminderSubscription.objects.exists()
    assert client.post(unsubscribe).status_code == 404, "the link is used up"


def test_a_wrong_address_keeps_what_was_typed(client, imported):
    response = client.post("/abfallkalender/hauptstr-12/erinnerung/", {"email": "erika@", "arten": ["rest"]})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="erika@"' in page and 'id="email-error"' in page
    assert not ReminderSubscription.objects.exists()


def test_a_forged_link_is_refused(client, imported):
    assert client.get("/abfallkalender/erinnerung/nonsense/bestaetigen/").status_code == 404


def test_a_reminder_for_all_types_counts_the_types_collected_at_the_place(
    client, imported, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abfallkalender/hauptstr-12/erinnerung/", {"email": "max@example.org", "arten": ["rest", "bio"]})
    assert ReminderSubscription.objects.get().codes == [], "every type of the place: stored as all"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(smtp.link_in(smtp.to("max@example.org")[0])))
    [event] = Event.objects.filter(name="waste_calendar_subscribed")
    assert event.dimensions == {"waste_types": "bio.rest", "method": "email"}, "not district 2's Papier"
