"""The postbox in a real browser: no axe-core violations, and reading and answering work with the keyboard alone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from rathaus.postbox.models import Message
from rathaus.postbox.services import document_store, message_send_to_citizen

from .conftest import pdf_bytes

pytestmark = pytest.mark.browser


def violations_of(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'])})"
        for violation in results.response["violations"]
    ]


@pytest.fixture
def erika_page(page, erika, log_in, live_server, musterstadt):
    """The browser with Erika logged in (the live server's host 127.0.0.1 is the default municipality)."""
    client = Client()
    log_in(client, erika, "substanziell")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


@pytest.fixture
def request_message(erika_application) -> Message:
    letter = document_store(
        municipality=erika_application.municipality,
        name="Anhörung.pdf",
        content=pdf_bytes("Anhoerung"),
        content_type="application/pdf",
    )
    message_send_to_citizen(
        application=erika_application, subject="Ihr Antrag ist eingegangen", body="Guten Tag.", kind="information"
    )
    return message_send_to_citizen(
        application=erika_application,
        subject="Bitte reichen Sie einen Nachweis nach",
        body="Guten Tag,\nuns fehlt die Zulassungsbescheinigung.",
        kind="request_for_information",
        documents=[letter],
    )


def test_the_empty_postbox_has_no_axe_violations(erika_page, musterstadt):
    erika_page.goto("/postfach/")
    assert erika_page.get_by_role("heading", level=1).count() == 1
    assert violations_of(erika_page) == []


def test_the_postbox_and_a_message_have_no_axe_violations(erika_page, request_message):
    erika_page.goto("/postfach/")
    assert erika_page.locator(".postbox-list__unread").count() == 2
    assert violations_of(erika_page) == []
    erika_page.goto(f"/postfach/{request_message.public_id}/")
    assert erika_page.locator("#antwort").count() == 1
    assert violations_of(erika_page) == []


def test_the_error_state_has_no_axe_violations_and_names_the_problem(erika_page, request_message):
    erika_page.goto(f"/postfach/{request_message.public_id}/")
    erika_page.locator(".reply-form button[type=submit]").click()
    assert erika_page.get_by_role("alert").is_visible()
    assert erika_page.locator("#antwort").get_attribute("aria-invalid") == "true"
    assert violations_of(erika_page) == []


def test_a_citizen_reads_downloads_and_answers_with_the_keyboard_only(erika_page, request_message, tmp_path):
    page = erika_page
    page.goto("/postfach/")
    target = f"/postfach/{request_message.public_id}/"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail("the newest message cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")

    document_link = page.locator("a[href^='/postfach/dokumente/']")
    for _ in range(40):
        page.keyboard.press("Tab")
        if document_link.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("the document cannot be reached with Tab")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "Anhörung.pdf"
    assert download.path().read_bytes() == pdf_bytes("Anhoerung")

    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "antwort":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the answer field cannot be reached with Tab")
    page.keyboard.type("Anbei die Bescheinigung.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "dateien"
    proof = tmp_path / "bescheinigung.pdf"
    proof.write_bytes(pdf_bytes("Bescheinigung"))
    page.locator("#dateien").set_input_files(str(proof))  # the file dialog of the operating system is not a page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_selector("[role=status]")
    assert page.locator(".reply-body").inner_text() == "Anbei die Bescheinigung."
    reply = Message.objects.get(in_reply_to=request_message)
    assert [upload.original_name for upload in reply.attachments.all()] == ["bescheinigung.pdf"]
    assert violations_of(page) == []
