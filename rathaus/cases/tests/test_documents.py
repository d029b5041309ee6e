"""The documents of the case file: filed at the handover, new versions never overwrite, notes stay internal, files
are checked by content, every read is audited, and only the responsible department reaches any of it."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from rathaus.audit.models import AuditEntry
from rathaus.cases import documents
from rathaus.cases.documents import (
    CaseDocumentError,
    case_document_add,
    case_document_new_version,
    case_note_add,
    current_documents,
    document_versions,
)
from rathaus.cases.models import Case, CaseDocument
from rathaus.postbox.services import message_reply, message_send_to_citizen, reply_upload_accept
from rathaus.testing.browser import axe_violations
from rathaus.uploads.models import Upload
from rathaus.uploads.scanners import CLEAN, ScannerUnavailable, ScanResult

from .conftest import HOST, pdf_bytes, png_bytes, stored_files

pytestmark = pytest.mark.cases


def audit_of(case: Case, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="case", object_id=str(case.public_id), action=action))


def akte(case: Case, rest: str = "") -> str:
    return f"/verwaltung/vorgaenge/{case.public_id}/akte/{rest}"


@pytest.fixture
def staff(caseworker, staff_log_in) -> Client:
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    return client


# --- the handover -----------------------------------------------------------------------------------------------


def test_the_handover_files_the_application_and_copies_of_the_proofs(case, submitted):
    filed = current_documents(case)
    assert [(d.kind, d.title) for d in filed] == [
        ("application", "Antrag wie eingereicht (Eingangsbestätigung)"),
        ("upload", "Zulassungsbescheinigung Teil I (Fahrzeugschein)"),
        ("upload", "Bestätigung der Fahrzeughalterin oder des Fahrzeughalters"),
    ]
    receipt, registration, consent = filed
    assert receipt.content_type == "application/pdf" and receipt.file_name == f"Antrag-{case.reference}.pdf"
    assert receipt.file.read().startswith(b"%PDF-")
    upload = Upload.objects.get(public_id=submitted.data["fahrzeugschein"])
    assert registration.file.read() == upload.file.read() and registration.sha256 == upload.sha256
    assert registration.file.name != upload.file.name, "a copy: the case file does not depend on the upload"
    assert consent.file_name == "Erklärung Firma.png" and consent.content_type == "image/png"
    assert all(d.created_by is None and d.version == 1 for d in filed)
    added = audit_of(case, "case.document_add")
    assert [entry.changes["kind"] for entry in added] == ["application", "upload", "upload"]
    assert all(entry.actor is None for entry in added)


def test_the_handover_files_once(case):
    assert documents.case_documents_from_application(case=case) == []
    assert case.documents.count() == 3


# --- versions ---------------------------------------------------------------------------------------------------


def test_a_new_version_is_a_new_row_and_the_old_one_stays_untouched(case, caseworker, media_root):
    first = CaseDocument.objects.get(case=case, title__startswith="Zulassungsbescheinigung")
    before = (first.file.name, first.sha256, first.size, first.file_name, first.created_at)
    first_bytes = first.file.read()
    second = case_document_new_version(
        document=first,
        content=pdf_bytes("Rueckseite"),
        file_name="Rückseite.pdf",
        content_type="application/pdf",
        actor=caseworker,
    )
    third = case_document_new_version(
        document=first, content=png_bytes(), file_name="Foto.png", content_type="image/png", actor=caseworker
    )

    assert (second.lineage, second.version, third.version) == (first.lineage, 2, 3)
    assert second.title == first.title and second.kind == first.kind and second.created_by == caseworker
    first.refresh_from_db()
    assert (first.file.name, first.sha256, first.size, first.file_name, first.created_at) == before
    with first.file.open("rb") as stream:
        assert stream.read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert len({first.file.name, second.file.name, third.file.name}) == 3
    current = {d.lineage: d for d in current_documents(case)}
    assert current[first.lineage].pk == third.pk
    assert [d.version for d in document_versions(first)] == [3, 2, 1]
    assert [d.version for d in document_versions(current[first.lineage])] == [3, 2, 1]
    entries = audit_of(case, "case.document_version")
    assert [(e.changes["version"], e.changes["document"], e.actor) for e in entries] == [
        (2, str(first.lineage), caseworker),
        (3, str(first.lineage), caseworker),
    ]


def test_the_case_file_lists_all_versions_with_a_fixed_number_of_queries(
    case, caseworker, django_assert_max_num_queries
):
    for document in list(case.documents.all()):
        case_document_new_version(
            document=document, content=png_bytes(), file_name="x.png", content_type="image/png", actor=caseworker
        )
    with django_assert_max_num_queries(1):
        listed = [(d, document_versions(d)) for d in current_documents(case)]
    assert [len(versions) for _d, versions in listed] == [2, 2, 2]


# --- checks -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"", "application/pdf", "Die Datei ist leer"),
        (png_bytes(), "application/pdf", "passt nicht zu ihrer Art"),
        (b"<html><script>alert(1)</script></html>", "application/pdf", "passt nicht zu ihrer Art"),
        (pdf_bytes()[:-40], "application/pdf", "beschädigt oder unvollständig"),
        (b"MZ\x90\x00", "application/x-msdownload", "können nicht in der Akte abgelegt werden"),
        (b"\xff\xfe\x00", "text/plain", "kein gültiger UTF-8-Text"),
    ],
)
def test_a_file_is_judged_by_its_content(case, caseworker, media_root, content, content_type, message):
    files_before = stored_files(media_root)
    with pytest.raises(CaseDocumentError) as refusal:
        case_document_add(
            case=case,
            kind="other",
            title="Nachweis",
            content=content,
            file_name="nachweis.pdf",
            content_type=content_type,
            actor=caseworker,
        )
    assert message in str(refusal.value) and refusal.value.field == "file"
    assert case.documents.count() == 3 and stored_files(media_root) == files_before
    assert audit_of(case, "case.document_add")[-1].actor is None  # only the handover's entries


def test_the_size_limit_holds(case, caseworker, settings):
    settings.RATHAUS_CASE_DOCUMENT_MAX_MB = 1
    with pytest.raises(CaseDocumentError, match="größer als 1 MB"):
        case_document_add(
            case=case,
            kind="other",
            title="Groß",
            content=pdf_bytes("x" * 1024 * 1024),
            file_name="gross.pdf",
            content_type="application/pdf",
            actor=caseworker,
        )


def test_a_title_is_needed_and_kept_short(case, caseworker):
    for title, message in (("   ", "Bitte geben Sie einen Titel"), ("x" * 201, "höchstens 200 Zeichen")):
        with pytest.raises(CaseDocumentError, match=message) as refusal:
            case_document_add(
                case=case,
                kind="other",
                title=title,
                content=pdf_bytes(),
                file_name="a.pdf",
                content_type="application/pdf",
                actor=caseworker,
            )
        assert refusal.value.field == "title"


def test_nothing_is_added_to_an_anonymised_case(case, caseworker):
    Case.objects.filter(pk=case.pk).update(anonymised_at="2030-01-01T00:00:00Z")
    with pytest.raises(CaseDocumentError, match="anonymisiert"):
        case_note_add(case=case, text="Noch etwas", actor=caseworker)


# --- notes ------------------------------------------------------------------------------------------------------


def test_a_note_is_text_without_a_file_and_its_text_stays_out_of_the_audit_trail(case, caseworker):
    note = case_note_add(case=case, text="  Anruf von Frau Mustermann: Fahrzeug ist geleast.\r\n  ", actor=caseworker)
    assert note.kind == "note" and not note.file and note.text == "Anruf von Frau Mustermann: Fahrzeug ist geleast."
    assert note.title == "Interner Vermerk" and note.created_by == caseworker
    assert note.sha256 == hashlib.sha256(note.text.encode()).hexdigest()
    [entry] = audit_of(case, "case.note_add")
    assert entry.actor == caseworker and "Mustermann" not in str(entry.changes)


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * 10_001])
def test_an_empty_or_overlong_note_is_refused(case, caseworker, text):
    with pytest.raises(CaseDocumentError) as refusal:
        case_note_add(case=case, text=text, actor=caseworker)
    assert refusal.value.field == "text"
    assert not case.documents.filter(kind="note").exists()


def test_notes_are_never_shown_to_the_citizen(case, submitted, caseworker, erika, log_in):
    case_note_add(case=case, text="Nur intern: Rückruf vereinbart.", actor=caseworker)
    citizen = Client(HTTP_HOST=HOST)
    log_in(citizen, erika, "substanziell")
    for url in (f"/antrag/{submitted.public_id}/", "/meine-antraege/", "/postfach/"):
        response = citizen.get(url)
        assert response.status_code == 200, url
        assert "Rückruf vereinbart" not in response.content.decode(), url


# --- the citizen's answer ---------------------------------------------------------------------------------------


def test_the_answer_from_the_postbox_is_filed_with_its_documents(case, submitted, erika):
    question = message_send_to_citizen(
        application=submitted, subject="Rückfrage", body="Bitte die Rückseite.", kind="request_for_information"
    )
    attachment = reply_upload_accept(
        message=question, user=erika, file=SimpleUploadedFile("rueckseite.pdf", pdf_bytes("Rueckseite"))
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        message_reply(message=question, user=erika, body="Anbei die Rückseite.", uploads=[attachment])
    answer = case.documents.get(kind="message", title="Antwort der antragstellenden Person")
    assert answer.file.read() == "Anbei die Rückseite.".encode() and answer.content_type == "text/plain"
    added = case.documents.get(title="Dokument zur Antwort")
    assert added.kind == "upload" and added.sha256 == attachment.sha256 and added.file_name == "rueckseite.pdf"


# --- staff pages ------------------------------------------------------------------------------------------------


def test_the_case_file_page_lists_documents_and_the_read_is_audited(case, staff, caseworker):
    case_note_add(case=case, text="Vermerk für die Akte", actor=caseworker)
    response = staff.get(akte(case))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zulassungsbescheinigung Teil I (Fahrzeugschein)" in page and "Vermerk für die Akte" in page
    assert "/akte/export/" in page
    [read] = [e for e in audit_of(case, "case.read") if e.actor == caseworker]
    assert read.changes == {"read": "documents"}


def test_the_case_page_includes_the_case_file(case, staff):
    page = staff.get(f"/verwaltung/vorgaenge/{case.public_id}/").content.decode()
    assert 'id="case-documents-title"' in page and "Zulassungsbescheinigung Teil I" in page


def test_staff_add_a_note_and_are_sent_back_to_the_case(case, staff, caseworker):
    response = staff.post(akte(case, "vermerk/"), {"text": "Halterin telefonisch bestätigt."})
    assert response.status_code == 302
    assert response["Location"] == f"/verwaltung/vorgaenge/{case.public_id}/#case-documents-title"
    note = case.documents.get(kind="note")
    assert note.text == "Halterin telefonisch bestätigt." and note.created_by == caseworker
    assert "Der Vermerk wurde der Akte hinzugefügt." in staff.get(response["Location"]).content.decode()


def test_an_empty_note_shows_the_page_again_with_the_message(case, staff):
    response = staff.post(akte(case, "vermerk/"), {"text": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte schreiben Sie den Vermerk." in page and 'aria-invalid="true"' in page
    assert not case.documents.filter(kind="note").exists()


def test_staff_upload_a_document_checked_by_content(case, staff, caseworker):
    response = staff.post(
        akte(case, "dokument/"),
        {
            "title": "Meldebescheinigung (per Post)",
            "kind": "upload",
            "file": SimpleUploadedFile("scan.PDF", pdf_bytes("Meldebescheinigung"), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    filed = case.documents.get(title="Meldebescheinigung (per Post)")
    assert (filed.kind, filed.content_type, filed.file_name, filed.created_by) == (
        "upload",
        "application/pdf",
        "scan.PDF",
        caseworker,
    )
    assert audit_of(case, "case.document_add")[-1].actor == caseworker


def test_a_disguised_file_is_refused_and_the_title_is_kept(case, staff):
    response = staff.post(
        akte(case, "dokument/"),
        {
            "title": "Vollmacht",
            "kind": "other",
            "file": SimpleUploadedFile(
                "vollmacht.pdf", b"<html><body>nope</body></html>", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Abgelegt werden können nur PDF-, JPG-, PNG-, HEIC- und TIFF-Dateien." in page
    assert 'value="Vollmacht"' in page and 'href="#dokument-datei"' in page
    assert not case.documents.filter(title="Vollmacht").exists()


def test_an_upload_without_a_file_or_title_is_refused(case, staff):
    response = staff.post(akte(case, "dokument/"), {"title": "Vollmacht", "kind": "other"})
    assert response.status_code == 400 and "Bitte wählen Sie eine Datei aus." in response.content.decode()
    response = staff.post(
        akte(case, "dokument/"), {"title": "", "kind": "other", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 400 and "Bitte geben Sie einen Titel" in response.content.decode()
    response = staff.post(
        akte(case, "dokument/"), {"title": "Notiz", "kind": "note", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 400 and "welche Art von Dokument" in response.content.decode()
    assert case.documents.count() == 3


class FakeScanner:
    def __init__(self, answer: ScanResult | Exception) -> None:
        self.answer = answer

    def scan(self, stream):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (ScanResult(infected=True, signature="Eicar-Test"), "enthält einen Virus"),
        (ScannerUnavailable("timeout"), "nicht auf Viren geprüft werden"),
    ],
)
def test_staff_uploads_are_virus_checked(case, staff, monkeypatch, answer, message):
    monkeypatch.setattr(documents, "scanner_configured", lambda: FakeScanner(answer))
    response = staff.post(
        akte(case, "dokument/"), {"title": "Scan", "kind": "other", "file": SimpleUploadedFile("scan.pdf", pdf_bytes())}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not case.documents.filter(title="Scan").exists()
    monkeypatch.setattr(documents, "scanner_configured", lambda: FakeScanner(CLEAN))
    staff.post(
        akte(case, "dokument/"), {"title": "Scan", "kind": "other", "file": SimpleUploadedFile("scan.pdf", pdf_bytes())}
    )
    assert case.documents.filter(title="Scan").exists()


def test_staff_upload_a_new_version_and_the_old_stays(case, staff, caseworker):
    first = case.documents.get(title__startswith="Bestätigung")
    response = staff.post(
        akte(case, f"dokument/{first.public_id}/fassung/"), {"file": SimpleUploadedFile("neu.pdf", pdf_bytes("neu"))}
    )
    assert response.status_code == 302
    versions = document_versions(first)
    assert [(v.version, v.content_type) for v in versions] == [(2, "application/pdf"), (1, "image/png")]
    assert versions[1].pk == first.pk and versions[0].created_by == caseworker
    refused = staff.post(
        akte(case, f"dokument/{first.public_id}/fassung/"), {"file": SimpleUploadedFile("leer.pdf", b"")}
    )
    assert refused.status_code == 400
    assert f'id="fassung-{first.lineage}-error"' in refused.content.decode()
    assert len(document_versions(first)) == 2


def test_every_version_can_be_downloaded_and_each_read_is_audited(case, staff, caseworker):
    first = case.documents.get(title__startswith="Zulassungsbescheinigung")
    second = case_document_new_version(
        document=first, content=png_bytes(), file_name="foto.png", content_type="image/png", actor=caseworker
    )
    for version, expected in ((first, pdf_bytes("Fahrzeugschein")), (second, png_bytes())):
        response = staff.get(akte(case, f"dokument/{version.public_id}/"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected
        assert response["Content-Type"] == version.content_type and response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    reads = audit_of(case, "case.document_read")
    assert [(e.actor, e.changes) for e in reads] == [
        (caseworker, {"document": str(first.lineage), "version": 1}),
        (caseworker, {"document": str(first.lineage), "version": 2}),
    ]


def test_a_note_has_no_download_and_documents_of_other_cases_are_not_found(case, staff, caseworker, musterstadt, erika):
    from .conftest import submit_parking_permit

    note = case_note_add(case=case, text="intern", actor=caseworker)
    assert staff.get(akte(case, f"dokument/{note.public_id}/")).status_code == 404
    other = Case.objects.get(application=submit_parking_permit(municipality=musterstadt, user=erika))
    foreign = other.documents.first()
    assert staff.get(akte(case, f"dokument/{foreign.public_id}/")).status_code == 404
    assert (
        staff.post(
            akte(case, f"dokument/{foreign.public_id}/fassung/"), {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}
        ).status_code
        == 404
    )
    assert not audit_of(case, "case.document_read")


def test_another_department_gets_404_on_every_document_url(case, citizens_office_clerk, staff_log_in, media_root):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, citizens_office_clerk)
    document = case.documents.first()
    files_before = stored_files(media_root)
    audit_before = AuditEntry.objects.count()
    for method, url, data in (
        ("get", akte(case), {}),
        ("get", akte(case, f"dokument/{document.public_id}/"), {}),
        ("get", akte(case, "export/"), {}),
        ("post", akte(case, "vermerk/"), {"text": "fremd"}),
        (
            "post",
            akte(case, "dokument/"),
            {"title": "fremd", "kind": "other", "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        ),
        (
            "post",
            akte(case, f"dokument/{document.public_id}/fassung/"),
            {"file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        ),
    ):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert case.documents.count() == 3 and stored_files(media_root) == files_before
    assert AuditEntry.objects.count() == audit_before


def test_the_case_file_is_not_reachable_from_another_municipality_or_without_staff_login(
    case, caseworker, staff_log_in, erika, log_in
):
    staff = Client(HTTP_HOST=HOST)
    staff_log_in(staff, caseworker)
    assert staff.get(akte(case), HTTP_HOST="beispielhausen.localhost").status_code in (302, 404)
    citizen = Client(HTTP_HOST=HOST)
    log_in(citizen, erika, "hoch")
    response = citizen.get(akte(case, f"dokument/{case.documents.first().public_id}/"))
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]


# --- accessibility ----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_case_file_pages_have_no_axe_violations(case, caseworker, staff_log_in, browser, live_server):
    case_note_add(case=case, text="Zeile eins\nZeile zwei", actor=caseworker)
    case_document_new_version(
        document=case.documents.get(kind="application"),
        content=pdf_bytes(),
        file_name="neu.pdf",
        content_type="application/pdf",
        actor=caseworker,
    )
    client = Client()
    staff_log_in(client, caseworker)
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    context.add_cookies(
        [{"name": name, "value": morsel.value, "url": live_server.url} for name, morsel in client.cookies.items()]
    )
    page = context.new_page()
    try:
        page.goto(akte(case))
        assert page.get_by_role("heading", level=1).inner_text() == f"Akte {case.reference}"
        assert axe_violations(page) == []
        page.get_by_role("button", name="Dokument ablegen").click()  # no title, no file: the server says so
        page.wait_for_load_state()
        assert page.get_by_role("alert").is_visible()
        assert axe_violations(page) == []
        page.goto(f"/verwaltung/vorgaenge/{case.public_id}/")
        page.locator("summary", has_text="1 frühere Fassung").click()
        assert axe_violations(page) == []
    finally:
        context.close()
