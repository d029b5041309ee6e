"""Unsent drafts are kept for a configurable time; applicants are reminded by e-mail (with a link only) before."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from rathaus.applications.housekeeping import drafts_expire, drafts_remind
from rathaus.applications.models import Application
from rathaus.applications.services import application_start
from rathaus.catalog.selectors import service_get
from rathaus.testing.peers import smtp_server


@pytest.fixture
def smtp(settings):
    yield from smtp_server(settings)


@pytest.fixture
def draft(catalog, musterstadt, erika):
    service = service_get(municipality=musterstadt, key="bewohnerparkausweis")
    application = application_start(municipality=musterstadt, service=service, user=erika)
    application.data["kennzeichen"] = "MU-EM 64"
    application.save()
    return application


def test_a_new_draft_is_kept_for_the_configured_time(draft, settings):
    assert abs(draft.expires_at - (timezone.now() + timedelta(days=settings.RATHAUS_DRAFT_DAYS))) < timedelta(minutes=1)


def test_the_reminder_is_mailed_once_and_holds_only_a_link(draft, smtp, django_capture_on_commit_callbacks):
    soon = draft.expires_at - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_remind(now=soon) == 1
        assert drafts_remind(now=soon) == 0, "one reminder per draft"
    [message] = smtp.to("erika.mustermann@example.org")
    body = message.get_body(("plain",)).get_content()
    assert "http://musterstadt.localhost/meine-antraege/" in body
    for private in ("Erika", "Mustermann", "MU-EM 64", "Bewohnerparkausweis"):
        assert private not in body and private not in message["Subject"]


def test_no_reminder_before_the_lead_time(draft, smtp):
    assert drafts_remind(now=draft.expires_at - timedelta(days=20)) == 0


def test_an_expired_draft_loses_its_entries_but_stays_counted(draft):
    assert drafts_expire(now=draft.expires_at + timedelta(seconds=1)) == 1
    draft.refresh_from_db()
    assert (draft.status, draft.data) == (Application.Status.EXPIRED, {})


def test_a_submitted_application_never_expires(draft):
    Application.objects.filter(pk=draft.pk).update(status="submitted", reference="MUS-2026-000001", expires_at=None)
    assert drafts_expire(now=timezone.now() + timedelta(days=400)) == 0


def test_the_daily_command_reports_what_it_did(draft, capsys):
    call_command("expire_drafts")
    assert "0 reminders sent, 0 drafts expired." in capsys.readouterr().out
