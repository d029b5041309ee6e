"""The administration writes to a citizen's postbox; the e-mail notice holds nothing but a link."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.analytics.models import Event
from rathaus.postbox.models import Message
from rathaus.postbox.selectors import messages_for_application, unread_count
from rathaus.postbox.services import (
    MessageNotFound,
    PostboxError,
    document_store,
    message_mark_read,
    message_reply,
    message_send_to_citizen,
)
from rathaus.tenants.services import domain_ensure

from .conftest import pdf_bytes, stored_files, submitted_application


def send(application, **overrides) -> Message:
    values = {
        "application": application,
        "subject": "Fehlende Unterlagen zu Ihrem Antrag",
        "body": "Sehr geehrte Frau Mustermann,\nbitte reichen Sie die Zulassungsbescheinigung nach.",
        "kind": "request_for_information",
    } | overrides
    return message_send_to_citizen(**values)


def test_a_message_is_stored_and_the_applicant_is_told_by_mail_with_only_a_link(
    erika_application, erika, smtp, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        message = send(erika_application, reply_due=due)
    assert (message.recipient, message.municipality, message.direction) == (
        erika,
        erika_application.municipality,
        "to_citizen",
    )
    assert message.reply_requested, "a request for information always asks for an answer"
    assert message.reply_due == due
    (mail,) = smtp.to(erika.email)
    text = smtp.text_of(mail)
    assert smtp.links_in(mail) == [f"http://musterstadt.localhost/postfach/{message.public_id}/"]
    visible = (mail["Subject"] + "\n" + text).lower()
    for secret in (
        message.subject,
        "Fehlende Unterlagen",
        "Zulassungsbescheinigung",
        erika_application.reference,
        "Erika",
        "Mustermann",
        "Bewohnerparkausweis",
        "Geheim",
    ):
        assert secret.lower() not in visible, secret
    message.refresh_from_db()
    assert message.notified_at is not None
    assert Event.objects.filter(name="postbox_message_sent", service_key="bewohnerparkausweis").count() == 1


def test_the_link_uses_the_primary_host_name_and_https_when_configured(
    erika_application, erika, smtp, settings, django_capture_on_commit_callbacks
):
    settings.RATHAUS_HTTPS = True
    domain_ensure(municipality=erika_application.municipality, host="service.musterstadt.de", is_primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = send(erika_application, kind="information")
    (mail,) = smtp.to(erika.email)
    assert smtp.links_in(mail) == [f"https://service.musterstadt.de/postfach/{message.public_id}/"]


def test_nothing_is_stored_or_mailed_when_the_callers_transaction_rolls_back(
    erika_application, smtp, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send(erika_application)
        raise RuntimeError("the case module failed after sending")
    assert callbacks == []
    assert not Message.objects.exists()
    assert smtp.messages == []


def test_a_mail_server_that_is_down_loses_no_message(erika_application, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        message = send(erika_application)
    message.refresh_from_db()
    assert message.notified_at is None
    assert unread_count(user=erika_application.applicant, municipality=erika_application.municipality) == 1


def test_guests_have_no_postbox(catalog, musterstadt, smtp, django_capture_on_commit_callbacks):
    guest_application = submitted_application(musterstadt, None)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PostboxError) as refused:
        send(guest_application)
    assert "without a user account" in str(refused.value)
    assert not Message.objects.exists()
    assert smtp.messages == []


def test_drafts_get_no_messages(erika_application):
    erika_application.status = "draft"
    erika_application.reference = ""
    erika_application.save()
    with pytest.raises(PostboxError):
        send(erika_application)


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"kind": "reply"}, "unknown kind"),
        ({"kind": "information", "reply_due": timezone.localdate()}, "reply_due"),
        ({"reply_due": timezone.localdate() - timedelta(days=1)}, "past"),
        ({"subject": "   "}, "subject"),
        ({"body": "\n"}, "body"),
    ],
)
def test_a_wrong_call_is_a_programming_error(erika_application, overrides, complaint):
    with pytest.raises(ValueError, match=complaint):
        send(erika_application, **overrides)


def test_documents_of_another_municipality_cannot_be_attached(erika_application, beispielhausen):
    foreign = document_store(
        municipality=beispielhausen, name="Bescheid.pdf", content=pdf_bytes(), content_type="application/pdf"
    )
    with pytest.raises(ValueError, match="another municipality"):
        send(erika_application, documents=[foreign])


def test_a_document_is_stored_under_a_path_nobody_can_guess(
    musterstadt, media_root, django_capture_on_commit_callbacks
):
    content = pdf_bytes("Bescheid")
    document = document_store(
        municipality=musterstadt, name="../../Bescheid <Erika>.pdf", content=content, content_type="application/pdf"
    )
    assert re.fullmatch(rf"postbox/{musterstadt.pk}/[A-Za-z0-9_-]{{43}}\.pdf", document.file.name)
    (stored,) = stored_files(media_root)
    assert stored.read_bytes() == content
    assert (document.name, document.size, document.sha256) == (
        "Bescheid Erika.pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert stored_files(media_root) == [], "the file goes with its record"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"<html><script>alert(1)</script>", "application/pdf"), (b"%PDF-1.4", "text/html"), (b"", "application/pdf")],
)
def test_a_document_must_be_what_it_claims(musterstadt, media_root, content, content_type):
    with pytest.raises(ValueError):
        document_store(municipality=musterstadt, name="x.pdf", content=content, content_type=content_type)
    assert stored_files(media_root) == []


def test_reading_marks_once_and_only_for_the_recipient(erika_application, erika, max_mustermann):
    message = send(erika_application, kind="information")
    with pytest.raises(MessageNotFound):
        message_mark_read(message=message, user=max_mustermann)
    first = message_mark_read(message=message, user=erika).read_at
    assert first is not None
    assert message_mark_read(message=message, user=erika).read_at == first
    assert unread_count(user=erika, municipality=erika_application.municipality) == 0


def test_only_the_recipient_answers_and_only_when_asked(erika_application, erika, max_mustermann):
    information = send(erika_application, kind="information")
    with pytest.raises(PostboxError, match="does not ask for an answer"):
        message_reply(message=information, user=erika, body="Danke", uploads=[])
    request = send(erika_application)
    with pytest.raises(MessageNotFound):
        message_reply(message=request, user=max_mustermann, body="Ich war es nicht", uploads=[])
    with pytest.raises(PostboxError, match="write an answer or add a document"):
        message_reply(message=request, user=erika, body="   ", uploads=[])
    assert not Message.objects.filter(direction="from_citizen").exists()


def test_a_request_is_answered_once_and_the_signal_follows_the_commit(
    erika_application, erika, replies, django_capture_on_commit_callbacks
):
    request = send(erika_application)
    with django_capture_on_commit_callbacks(execute=True):
        reply = message_reply(message=request, user=erika, body="Anbei die Bescheinigung.", uploads=[])
        assert replies == [], "the case module hears of the answer only after the commit"
    assert replies == [(request.pk, reply.pk)]
    assert (reply.direction, reply.kind, reply.in_reply_to, reply.recipient) == (
        "from_citizen",
        "reply",
        request,
        erika,
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PostboxError, match="already answered"):
        message_reply(message=request, user=erika, body="Noch einmal", uploads=[])
    assert replies == [(request.pk, reply.pk)]
    request.refresh_from_db()
    assert request.read_at is not None, "answering a message means it has been read"


def test_the_database_refuses_a_second_answer_and_inconsistent_rows(erika_application, erika):
    request = send(erika_application)
    message_reply(message=request, user=erika, body="Erste Antwort", uploads=[])
    base = {
        "municipality": erika_application.municipality,
        "application": erika_application,
        "recipient": erika,
        "subject": "x",
    }
    for fields in (
        {"direction": "from_citizen", "kind": "reply", "in_reply_to": request},  # a second answer
        {"direction": "from_citizen", "kind": "decision", "in_reply_to": request},
        {"direction": "to_citizen", "kind": "request_for_information", "reply_requested": False},
        {"direction": "to_citizen", "kind": "information", "reply_due": timezone.localdate()},
        {"direction": "from_citizen", "kind": "reply"},  # a reply to nothing
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(**base, **fields)


def test_the_messages_of_an_application_are_its_applicants_only(erika_application, erika, max_mustermann):
    older = send(erika_application, kind="information", subject="Eingang bestätigt")
    newer = send(erika_application, kind="decision", subject="Bescheid")
    assert messages_for_application(user=erika, application=erika_application) == [newer, older]
    assert messages_for_application(user=max_mustermann, application=erika_application) == []


def test_links_in_mails_lead_to_the_municipality_and_to_the_demo_port(musterstadt, settings):
    from rathaus.postbox.services import site_url

    settings.RATHAUS_SITE_PORT = ""
    assert site_url(musterstadt) == "http://musterstadt.localhost"
    settings.RATHAUS_SITE_PORT = "8000"  # what `make run` sets, so the links in the console's mails work
    assert site_url(musterstadt) == "http://musterstadt.localhost:8000"
    settings.RATHAUS_HTTPS = True
    settings.RATHAUS_SITE_PORT = ""
    assert site_url(musterstadt) == "https://musterstadt.localhost"
