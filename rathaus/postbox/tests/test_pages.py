"""The citizen reads the postbox, downloads documents and answers a request with text and files."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from pypdf import PdfReader

from rathaus.postbox.models import Message
from rathaus.postbox.selectors import messages_for_application
from rathaus.postbox.services import document_store, message_send_to_citizen
from rathaus.uploads.models import Upload

from .conftest import HOST, english, pdf_bytes, png_bytes, stored_files


def send(application, kind="request_for_information", **extra) -> Message:
    return message_send_to_citizen(
        application=application,
        subject=extra.pop("subject", "Bitte reichen Sie einen Nachweis nach"),
        body=extra.pop("body", "Sehr geehrte Frau Mustermann,\nuns fehlt die Zulassungsbescheinigung."),
        kind=kind,
        **extra,
    )


def url(message: Message) -> str:
    return f"/postfach/{message.public_id}/"


def a_file(content: bytes, name: str, claimed: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=claimed)


def test_visitors_who_are_not_logged_in_are_sent_to_log_in(erika_application):
    message = send(erika_application)
    client = Client(HTTP_HOST=HOST)
    for path in ("/postfach/", url(message), f"/postfach/dokumente/{message.public_id}/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/anmelden/?next=%2Fpostfach%2F"), response["Location"]


def test_the_postbox_lists_newest_first_and_marks_what_is_unread(erika_application, erika_client):
    first = send(erika_application, kind="information", subject="Ihr Antrag ist eingegangen")
    second = send(erika_application, subject="Bitte reichen Sie einen Nachweis nach")
    page = erika_client.get("/postfach/").content.decode()
    assert page.index(second.subject) < page.index(first.subject), "newest first"
    assert page.count("Unread:") == 2
    assert 'data-unread="2"' in page
    assert erika_client.get(url(first)).status_code == 200
    page = erika_client.get("/postfach/").content.decode()
    assert page.count("Unread:") == 1 and 'data-unread="1"' in page
    first.refresh_from_db()
    assert first.read_at is not None


def test_the_message_page_shows_text_documents_and_the_application(erika_application, erika_client):
    letter = document_store(
        municipality=erika_application.municipality,
        name="Anhörung.pdf",
        content=pdf_bytes(),
        content_type="application/pdf",
    )
    message = send(erika_application, documents=[letter], body="Zeile eins\n<script>alert(1)</script>")
    page = erika_client.get(url(message)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert f'href="/postfach/dokumente/{letter.public_id}/"' in page and "Anhörung.pdf" in page
    assert f'href="/antrag/{erika_application.public_id}/"' in page
    assert 'name="antwort"' in page and 'type="file"' in page and "multiple" in page


def test_a_document_is_downloaded_as_an_attachment_that_browsers_do_not_sniff(erika_application, erika_client):
    from weasyprint import HTML

    content = HTML(string="<h1>Bescheid</h1><p>Ihr Antrag wird bewilligt. Gebühr: 30,00 €</p>").write_pdf()
    letter = document_store(
        municipality=erika_application.municipality,
        name="Bescheid.pdf",
        content=content,
        content_type="application/pdf",
    )
    send(erika_application, kind="decision", documents=[letter])
    response = erika_client.get(f"/postfach/dokumente/{letter.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Bescheid.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == content
    assert "Ihr Antrag wird bewilligt" in PdfReader(io.BytesIO(body)).pages[0].extract_text()


def test_a_citizen_answers_with_text_and_files_stored_on_disk(
    erika_application, erika, erika_client, replies, media_root, django_capture_on_commit_callbacks
):
    message = send(erika_application)
    with django_capture_on_commit_callbacks(execute=True):
        response = erika_client.post(
            url(message),
            {
                "antwort": "Anbei die Zulassungsbescheinigung.",
                "dateien": [a_file(pdf_bytes(), "zulassung.pdf"), a_file(png_bytes(), "foto.png", "image/png")],
            },
        )
    assert response.status_code == 302 and response["Location"] == url(message)
    (reply,) = Message.objects.filter(in_reply_to=message)
    assert reply.body == "Anbei die Zulassungsbescheinigung."
    uploads = sorted(reply.attachments.all(), key=lambda upload: upload.original_name)
    assert [(u.original_name, u.content_type, u.owner) for u in uploads] == [
        ("foto.png", "image/png", erika),
        ("zulassung.pdf", "application/pdf", erika),
    ]
    on_disk = {path.read_bytes() for path in stored_files(media_root)}
    assert on_disk == {pdf_bytes(), png_bytes()}
    assert replies == [(message.pk, reply.pk)], "the case module hears of it once"
    page = erika_client.get(url(message)).content.decode()
    assert "Thank you, your answer has been sent." in page
    assert "Anbei die Zulassungsbescheinigung." in page
    assert f'href="/dateien/{uploads[0].public_id}/"' in page
    assert 'name="antwort"' not in page, "a request is answered once"
    with django_capture_on_commit_callbacks(execute=True):
        again = erika_client.post(url(message), {"antwort": "Noch einmal"})
    assert again.status_code == 409
    assert "You have already answered this message." in again.content.decode()
    assert Message.objects.filter(in_reply_to=message).count() == 1
    assert replies == [(message.pk, reply.pk)]


def test_an_answer_is_refused_where_none_was_asked_for(erika_application, erika_client, replies):
    message = send(erika_application, kind="information")
    page = erika_client.get(url(message)).content.decode()
    assert 'name="antwort"' not in page
    response = erika_client.post(url(message), {"antwort": "Danke!", "dateien": [a_file(pdf_bytes(), "x.pdf")]})
    assert response.status_code == 409
    assert "This message does not ask for an answer." in response.content.decode()
    assert not Message.objects.filter(direction="from_citizen").exists()
    assert not Upload.objects.exists(), "no file is stored for an answer that cannot be sent"
    assert replies == []


def test_errors_are_shown_at_the_field_and_nothing_entered_is_lost(erika_application, erika_client, media_root):
    message = send(erika_application)
    text = "Hier ist mein Nachweis – mit Umlauten: äöü"
    response = erika_client.post(
        url(message),
        {
            "antwort": text,
            "dateien": [
                a_file(pdf_bytes(), "bescheinigung.pdf"),
                a_file(b"<html><script>alert(1)</script></html>", "rechnung.pdf", "application/pdf"),
            ],
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f">{text}</textarea>" in page, "the text typed is kept"
    assert re.search(r'<p class="kern-error" id="dateien-error">rechnung\.pdf: This type of file', page)
    assert 'aria-describedby="dateien-hint dateien-error" aria-invalid="true"' in page
    assert 'href="#dateien"' in page, "the error summary links to the field"
    kept = Upload.objects.get(original_name="bescheinigung.pdf")
    assert f'name="beibehalten" value="{kept.public_id}" checked' in page, "the accepted file is not asked for again"
    assert not Message.objects.filter(direction="from_citizen").exists()

    response = erika_client.post(url(message), {"antwort": text, "beibehalten": [str(kept.public_id)]})
    assert response.status_code == 302
    (reply,) = Message.objects.filter(in_reply_to=message)
    assert list(reply.attachments.all()) == [kept]


def test_an_empty_or_too_long_answer_is_refused_at_the_text_field(erika_application, erika_client):
    message = send(erika_application)
    response = erika_client.post(url(message), {"antwort": "   "})
    assert response.status_code == 422
    page = response.content.decode()
    assert '<p class="kern-error" id="antwort-error">Please write an answer or add a document.' in page
    long_text = "a" * 5001
    response = erika_client.post(url(message), {"antwort": long_text})
    assert response.status_code == 422
    assert long_text in response.content.decode()
    assert not Message.objects.filter(direction="from_citizen").exists()


def test_files_of_another_citizen_cannot_be_smuggled_into_an_answer(
    erika_application, erika_client, max_client, max_application
):
    max_message = send(max_application)
    max_client.post(url(max_message), {"dateien": [a_file(pdf_bytes(), "max.pdf")], "antwort": "x" * 5001})
    max_upload = Upload.objects.get(original_name="max.pdf")
    message = send(erika_application)
    response = erika_client.post(url(message), {"antwort": "Meins", "beibehalten": [str(max_upload.public_id)]})
    assert response.status_code == 302
    (reply,) = Message.objects.filter(in_reply_to=message)
    assert list(reply.attachments.all()) == []


def test_the_include_lists_an_applications_messages_for_the_detail_page(erika_application, erika, rf):
    message = send(erika_application)
    request = rf.get("/")
    request.user = erika
    html = render_to_string(
        "postbox/application_messages.html",
        {"application_messages": messages_for_application(user=erika, application=erika_application), "user": erika},
        request=request,
    )
    assert f'href="/postfach/{message.public_id}/"' in html and message.subject in html
    assert "please answer" in html


@pytest.mark.parametrize("path", ["/postfach/", "/postfach/00000000-0000-0000-0000-000000000000/"])
def test_staff_sessions_are_not_citizens(path, erika_application, caseworker):
    client = english(Client(HTTP_HOST=HOST))
    client.force_login(caseworker)  # logged in, but not as a citizen: no trust level in the session
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
