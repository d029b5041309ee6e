"""A citizen never opens another citizen's postbox message or document, nor one of another municipality."""

import pytest
from django.test import Client

from rathaus.postbox.models import Message
from rathaus.postbox.selectors import (
    document_get_for_user,
    message_get_for_user,
    messages_for_application,
    messages_for_user,
    unread_count,
)
from rathaus.postbox.services import (
    MessageNotFound,
    document_store,
    message_mark_read,
    message_reply,
    message_send_to_citizen,
)

from .conftest import OTHER_HOST, english, pdf_bytes, submitted_application


@pytest.fixture
def erikas_postbox(erika_application, erika_client, django_capture_on_commit_callbacks):
    """Erika has a request with a document, and another one she answered with a file."""
    municipality = erika_application.municipality
    letter = document_store(
        municipality=municipality, name="Anhörung.pdf", content=pdf_bytes(), content_type="application/pdf"
    )
    request = message_send_to_citizen(
        application=erika_application,
        subject="Anhörung Erika",
        body="Vertraulich",
        kind="request_for_information",
        documents=[letter],
    )
    answered = message_send_to_citizen(
        application=erika_application, subject="Zweite Frage Erika", body="Vertraulich", kind="request_for_information"
    )
    with django_capture_on_commit_callbacks(execute=True):
        erika_client.post(
            f"/postfach/{answered.public_id}/",
            {"antwort": "Meine Antwort", "dateien": [_pdf_upload("erika.pdf")]},
        )
    reply = Message.objects.get(in_reply_to=answered)
    return {"request": request, "answered": answered, "reply": reply, "letter": letter}


def _pdf_upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def every_url(postbox) -> list[str]:
    """Every URL that takes an id of Erika's postbox (and her uploads shown there)."""
    upload = postbox["reply"].attachments.get()
    return [
        f"/postfach/{postbox['request'].public_id}/",
        f"/postfach/{postbox['answered'].public_id}/",
        f"/postfach/{postbox['reply'].public_id}/",
        f"/postfach/dokumente/{postbox['letter'].public_id}/",
        f"/dateien/{upload.public_id}/",
    ]


def test_erika_reaches_all_of_her_own_urls(erikas_postbox, erika_client):
    for url in every_url(erikas_postbox)[:2] + every_url(erikas_postbox)[3:]:
        assert erika_client.get(url).status_code == 200, url


def test_another_citizen_gets_404_for_every_url_and_changes_nothing(
    erikas_postbox, max_client, max_application, replies, django_capture_on_commit_callbacks
):
    for url in every_url(erikas_postbox):
        assert max_client.get(url).status_code == 404, url
        with django_capture_on_commit_callbacks(execute=True):
            posted = max_client.post(url, {"antwort": "Ich bin Max", "dateien": [_pdf_upload("max.pdf")]})
        assert posted.status_code in {404, 405}, url
    request = erikas_postbox["request"]
    request.refresh_from_db()
    assert request.read_at is None, "Max's visits did not mark Erika's message as read"
    assert not request.replies.exists() and replies == []
    page = max_client.get("/postfach/").content.decode()
    assert "Erika" not in page and "Your postbox is empty." in page


def test_the_same_urls_are_404_for_erika_herself_under_another_municipalitys_host(erikas_postbox, erika, log_in):
    elsewhere = english(Client(HTTP_HOST=OTHER_HOST))
    log_in(elsewhere, erika, "hoch")
    for url in every_url(erikas_postbox):
        assert elsewhere.get(url).status_code == 404, url
    assert "Anhörung Erika" not in elsewhere.get("/postfach/").content.decode()


def test_ids_that_do_not_exist_or_are_no_ids_look_the_same(erika_client, erikas_postbox):
    assert erika_client.get("/postfach/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert erika_client.get("/postfach/dokumente/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert erika_client.get("/postfach/kein-uuid/").status_code == 404


def test_the_selectors_and_services_refuse_another_citizen(erikas_postbox, erika, max_mustermann, musterstadt):
    request, letter = erikas_postbox["request"], erikas_postbox["letter"]
    assert list(messages_for_user(user=max_mustermann, municipality=musterstadt)) == []
    assert message_get_for_user(user=max_mustermann, municipality=musterstadt, public_id=request.public_id) is None
    assert document_get_for_user(user=max_mustermann, municipality=musterstadt, public_id=letter.public_id) is None
    assert messages_for_application(user=max_mustermann, application=request.application) == []
    assert unread_count(user=max_mustermann, municipality=musterstadt) == 0
    with pytest.raises(MessageNotFound):
        message_mark_read(message=request, user=max_mustermann)
    with pytest.raises(MessageNotFound):
        message_reply(message=request, user=max_mustermann, body="Max", uploads=[])
    assert message_get_for_user(user=erika, municipality=musterstadt, public_id=request.public_id) == request


def test_a_document_sent_to_erika_stays_hers_even_when_max_gets_a_message_too(
    erikas_postbox, max_client, max_application
):
    message_send_to_citizen(application=max_application, subject="Für Max", body="Hallo", kind="information")
    assert max_client.get(f"/postfach/dokumente/{erikas_postbox['letter'].public_id}/").status_code == 404


def test_a_municipality_sees_only_its_own_messages(catalog, erika, erika_client, beispielhausen, log_in):
    application = submitted_application(beispielhausen, erika)
    message_send_to_citizen(application=application, subject="Aus Beispielhausen", body="Hallo", kind="information")
    assert "Aus Beispielhausen" not in erika_client.get("/postfach/").content.decode()
    there = english(Client(HTTP_HOST=OTHER_HOST))
    log_in(there, erika, "substanziell")
    assert "Aus Beispielhausen" in there.get("/postfach/").content.decode()
