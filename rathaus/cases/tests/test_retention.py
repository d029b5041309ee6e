"""Retention: once a closed case has been kept for its service's retention_years, its personal data and files go;
the case row stays, anonymised, for statistics. A dry run changes nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, TestCase

from rathaus.applications.models import Application, StatusChange
from rathaus.audit.models import AuditEntry
from rathaus.audit.verify import audit_verify
from rathaus.cases.documents import case_note_add
from rathaus.cases.models import Case, CaseDocument
from rathaus.cases.retention import retention_apply, retention_candidates, retention_run, years_before
from rathaus.cases.services import case_transition
from rathaus.payments.models import Payment
from rathaus.postbox.models import Document, Message
from rathaus.postbox.services import message_reply, reply_upload_accept
from rathaus.uploads.models import Upload

from .conftest import HOST, pdf_bytes, stored_files, submit_parking_permit

pytestmark = pytest.mark.cases
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2030, 6, 15)


def close(case: Case, on: date) -> Case:
    """Mark the case closed on `on` (the workflow's way there is tested elsewhere)."""
    Case.objects.filter(pk=case.pk).update(
        state="closed", closed_at=datetime(on.year, on.month, on.day, 11, tzinfo=BERLIN)
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def processed(case, caseworker, erika) -> Case:
    """Erika's case after real work: a question answered with a document, a note, the approval with its letter."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        case = case_transition(
            case=case, transition="start", actor=caseworker, roles={"caseworker"}, expected_version=case.version
        )
        case = case_transition(
            case=case,
            transition="request_information",
            actor=caseworker,
            roles={"caseworker"},
            expected_version=case.version,
            inputs={"question": "Bitte die Rückseite senden."},
        )
    question = Message.objects.get(application=case.application, kind="request_for_information")
    attachment = reply_upload_accept(
        message=question, user=erika, file=SimpleUploadedFile("rueckseite.pdf", pdf_bytes("Rueckseite"))
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        message_reply(message=question, user=erika, body="Anbei.", uploads=[attachment])
    case.refresh_from_db()
    case_note_add(case=case, text="Firmenwagen der Muster GmbH, Überlassung liegt vor.", actor=caseworker)
    with TestCase.captureOnCommitCallbacks(execute=True):
        case = case_transition(
            case=case, transition="approve", actor=caseworker, roles={"caseworker"}, expected_version=case.version
        )
    return case


# --- which cases are due ----------------------------------------------------------------------------------------


def test_a_closed_case_is_due_once_its_retention_period_has_passed(case):
    # bewohnerparkausweis keeps closed cases for 3 years
    close(case, date(2027, 6, 14))
    assert [c.case for c in retention_candidates(today=TODAY)] == [case]
    [candidate] = retention_candidates(today=TODAY)
    assert (candidate.retention_years, candidate.closed_on) == (3, date(2027, 6, 14))
    close(case, date(2027, 6, 15))
    assert retention_candidates(today=TODAY) == [], "exactly three years ago is not more than three years"
    close(case, date(2029, 1, 1))
    assert retention_candidates(today=TODAY) == []


def test_open_and_anonymised_cases_are_never_due(case):
    assert retention_candidates(today=TODAY) == []
    Case.objects.filter(pk=case.pk).update(
        closed_at=datetime(2020, 1, 1, tzinfo=BERLIN), anonymised_at=datetime(2024, 1, 1, tzinfo=BERLIN)
    )
    assert retention_candidates(today=TODAY) == []


def test_the_period_follows_each_service(catalog, musterstadt, erika, case):
    from rathaus.catalog.models import ServiceDefinition

    definition = ServiceDefinition.objects.get(key="bewohnerparkausweis", owner__isnull=True)
    definition.data = {**definition.data, "retention_years": 10}
    definition.save(update_fields=["data"])
    close(case, date(2025, 1, 1))
    assert retention_candidates(today=TODAY) == []
    assert [c.retention_years for c in retention_candidates(today=date(2035, 1, 2))] == [10]


def test_years_before_handles_the_leap_day():
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert years_before(date(2030, 6, 15), 3) == date(2027, 6, 15)


# --- the dry run ------------------------------------------------------------------------------------------------


def test_the_dry_run_lists_what_would_go_and_changes_nothing(processed, media_root):
    case = close(processed, date(2020, 3, 2))
    files = stored_files(media_root)
    rows = (
        CaseDocument.objects.count(),
        Application.objects.count(),
        Upload.objects.count(),
        Message.objects.count(),
        Document.objects.count(),
        AuditEntry.objects.count(),
    )
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("retention", "--dry-run", stdout=out)
    assert f"{case.reference}\tbewohnerparkausweis\tclosed on 2020-03-02\tretention 3 years" in out.getvalue()
    assert "1 cases would be anonymised (dry run: nothing was changed)." in out.getvalue()
    assert stored_files(media_root) == files
    assert rows == (
        CaseDocument.objects.count(),
        Application.objects.count(),
        Upload.objects.count(),
        Message.objects.count(),
        Document.objects.count(),
        AuditEntry.objects.count(),
    )
    case.refresh_from_db()
    assert case.anonymised_at is None and case.applicant_name == "Erika Mustermann"


# --- anonymisation ----------------------------------------------------------------------------------------------


def test_retention_removes_the_personal_data_and_the_files_and_keeps_the_statistics_row(processed, media_root):
    case = close(processed, date(2020, 3, 2))
    application = case.application
    payment = Payment.objects.get(purpose=f"application:{application.public_id}")
    assert stored_files(media_root), "letters, proofs, answers and the receipt are on disk"
    assert Message.objects.filter(application=application).count() >= 3
    kept = {
        field: getattr(case, field)
        for field in (
            "public_id",
            "reference",
            "service_key",
            "department_id",
            "municipality_id",
            "workflow",
            "state",
            "created_at",
            "due_on",
            "decided_at",
            "closed_at",
            "fee_amount",
        )
    }

    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("retention", stdout=out)

    case.refresh_from_db()
    assert {field: getattr(case, field) for field in kept} == kept
    assert case.anonymised_at is not None and case.applicant_name == "" and case.application is None
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not StatusChange.objects.filter(application_id=application.pk).exists()
    assert not Message.objects.filter(application_id=application.pk).exists()
    assert not Document.objects.exists() and not Upload.objects.exists()
    assert stored_files(media_root) == [], "every stored file of the case is deleted from disk"
    payment.refresh_from_db()
    assert payment.amount == kept["fee_amount"], "payments stay for bookkeeping"
    assert f"{case.reference}: anonymised (" in out.getvalue() and "1 cases anonymised, 0 failed." in out.getvalue()

    [entry] = AuditEntry.objects.filter(object_id=str(case.public_id), action="case.anonymise")
    assert entry.actor is None and entry.rule == "retention"
    assert entry.changes["application"] == "erased" and entry.changes["documents"] == case_documents_before(entry)
    assert audit_verify().ok, "the audit trail is untouched and its chain still holds"


def case_documents_before(entry: AuditEntry) -> int:
    """How many documents the case file held: one audit entry was written for each."""
    return AuditEntry.objects.filter(
        object_id=entry.object_id,
        sequence__lt=entry.sequence,
        action__in=["case.document_add", "case.document_version", "case.note_add"],
    ).count()


def test_the_audit_trail_of_the_case_file_holds_no_titles_or_note_texts(processed):
    entries = AuditEntry.objects.filter(
        object_id=str(processed.public_id), action__in=["case.document_add", "case.document_version", "case.note_add"]
    )
    assert entries.count() >= 6
    text = " ".join(str(entry.changes) for entry in entries)
    for personal in ("Mustermann", "Muster GmbH", "Erika", "Rückseite", "Fahrzeugschein", ".pdf"):
        assert personal not in text


def test_the_anonymised_case_still_opens_in_the_back_office(processed, caseworker, staff_log_in):
    case = close(processed, date(2020, 3, 2))
    retention_apply(case=case)
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    page = client.get(f"/verwaltung/vorgaenge/{case.public_id}/")
    assert page.status_code == 200
    assert "Erika" not in page.content.decode() and "Die Akte enthält keine Dokumente." in page.content.decode()
    assert client.post(f"/verwaltung/vorgaenge/{case.public_id}/akte/vermerk/", {"text": "x"}).status_code == 400


def test_a_guests_application_and_uploads_are_erased_too(catalog, musterstadt, media_root):
    application = submit_parking_permit(municipality=musterstadt, user=None)
    case = close(Case.objects.get(application=application), date(2020, 1, 1))
    assert Upload.objects.filter(owner__isnull=True).count() == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        erasure = retention_apply(case=case)
    assert erasure is not None and (erasure.uploads, erasure.messages, erasure.application) == (2, 0, True)
    assert not Upload.objects.exists() and stored_files(media_root) == []


def test_other_applications_of_the_same_citizen_are_untouched(case, musterstadt, erika):
    later = submit_parking_permit(municipality=musterstadt, user=erika)
    later_case = Case.objects.get(application=later)
    close(case, date(2020, 1, 1))
    assert retention_run(today=TODAY) == 1
    later_case.refresh_from_db()
    assert later_case.application == later and later_case.documents.count() == 3
    assert Upload.objects.filter(public_id=later.data["fahrzeugschein"]).exists()


def test_a_second_run_finds_nothing_and_an_open_case_is_refused(case, musterstadt, erika):
    close(case, date(2020, 1, 1))
    assert retention_run(today=TODAY) == 1
    assert retention_run(today=TODAY) == 0
    assert retention_apply(case=case) is None
    open_case = Case.objects.get(application=submit_parking_permit(municipality=musterstadt, user=erika))
    with pytest.raises(ValueError, match="not closed"):
        retention_apply(case=open_case)
    assert open_case.documents.count() == 3


def test_a_failing_case_is_reported_and_the_others_go_on(case, musterstadt, erika, monkeypatch):
    from rathaus.cases import retention

    other = Case.objects.get(application=submit_parking_permit(municipality=musterstadt, user=erika))
    close(case, date(2020, 1, 1))
    close(other, date(2020, 2, 1))
    original = retention.retention_apply

    def flaky(*, case, actor=None):
        if case.pk == other.pk:
            raise RuntimeError("storage unavailable")
        return original(case=case, actor=actor)

    monkeypatch.setattr(retention, "retention_apply", flaky)
    reported = []
    assert retention_run(today=TODAY, progress=lambda c, e, error: reported.append((c.case.pk, error))) == 1
    assert [(pk, type(error).__name__ if error else None) for pk, error in reported] == [
        (case.pk, None),
        (other.pk, "RuntimeError"),
    ]
    other.refresh_from_db()
    assert other.anonymised_at is None and other.applicant_name == "Erika Mustermann"


def test_the_scheduled_task_runs_retention(case):
    from rathaus.cases.tasks import case_retention_run

    close(case, date(2000, 1, 1))
    result = case_retention_run.enqueue()
    assert result.return_value == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None


def test_the_command_without_due_cases_says_so(db):
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert out.getvalue().strip() == "0 cases anonymised, 0 failed."
    call_command("retention", "--dry-run", stdout=out)
    assert "0 cases would be anonymised" in out.getvalue()


def test_closed_on_uses_the_local_date():
    from rathaus.cases.retention import RetentionCandidate

    late_evening = Case(closed_at=datetime(2027, 6, 14, 22, 30, tzinfo=ZoneInfo("UTC")))  # 00:30 in Berlin
    assert RetentionCandidate(case=late_evening, retention_years=3).closed_on == date(2027, 6, 15)
