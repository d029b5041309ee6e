"""The case file as a ZIP archive: every version of every document, the answers, the history, and an index that
validates against its published JSON Schema and whose hashes match the archive's contents."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker

from rathaus.audit.models import AuditEntry
from rathaus.cases.documents import case_document_add, case_document_new_version, case_note_add
from rathaus.cases.export import SCHEMA_PATH, case_export_zip, safe_name
from rathaus.cases.models import Case

from .conftest import HOST, pdf_bytes, png_bytes

pytestmark = pytest.mark.cases

SAFE_PATH = re.compile(r"^[a-z0-9][a-z0-9.-]*(/[a-z0-9][a-z0-9.-]*)*$")
DOCS = Path(__file__).resolve().parents[3] / "docs" / "case-export.md"


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def opened(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


@pytest.fixture
def full_case(case, caseworker) -> Case:
    """The case with a second version of a proof, an internal note and a staff document with a hostile title."""
    proof = case.documents.get(title__startswith="Zulassungsbescheinigung")
    case_document_new_version(
        document=proof, content=png_bytes(), file_name="foto.png", content_type="image/png", actor=caseworker
    )
    case_note_add(case=case, text="Halterin bestätigt.\nRückruf am Montag.", actor=caseworker)
    case_document_add(
        case=case,
        kind="other",
        title="../../etc/passwd <Bescheid> Ü",
        content=pdf_bytes("x"),
        file_name="..\\..\\evil.pdf",
        content_type="application/pdf",
        actor=caseworker,
    )
    return case


def test_the_index_validates_against_the_schema_and_every_hash_matches(full_case, caseworker):
    archive = opened(case_export_zip(case=full_case))
    index = json.loads(archive.read("index.json"))
    errors = sorted(validator().iter_errors(index), key=lambda error: list(error.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []

    assert len(index["documents"]) == full_case.documents.count() == 6
    for entry in index["documents"]:
        content = archive.read(entry["path"])
        assert hashlib.sha256(content).hexdigest() == entry["sha256"] == entry["sha256_at_filing"]
        assert len(content) == entry["size"]
    listed = {entry["path"] for entry in index["documents"]}
    assert set(archive.namelist()) == listed | {"index.json", "antrag.json", "verlauf.json"}


def test_the_index_describes_the_case(full_case):
    index = json.loads(opened(case_export_zip(case=full_case)).read("index.json"))
    described = index["case"]
    assert index["schema_version"] == "1.0"
    assert described["reference"] == full_case.reference and described["public_id"] == str(full_case.public_id)
    assert described["service"] == {
        "key": "bewohnerparkausweis",
        "name": "Bewohnerparkausweis",
        "leika": described["service"]["leika"],
    }
    assert described["municipality"] == {"slug": "musterstadt", "name": "Musterstadt", "official_key": "06434990"}
    assert described["department"] == {"code": "strassenverkehr", "name": "Straßenverkehrsbehörde"}
    assert (described["state"], described["state_title"]) == ("received", "eingegangen")
    assert described["applicant_name"] == "Erika Mustermann"
    assert described["due_on"] == full_case.due_on.isoformat() and described["closed_at"] is None
    assert (index["application"], index["history"]) == ("antrag.json", "verlauf.json")


def test_every_version_of_every_document_is_in_the_archive(full_case, caseworker):
    archive = opened(case_export_zip(case=full_case))
    documents = json.loads(archive.read("index.json"))["documents"]
    proof = [d for d in documents if d["title"].startswith("Zulassungsbescheinigung")]
    assert [(d["version"], d["current"], d["content_type"]) for d in proof] == [
        (1, False, "application/pdf"),
        (2, True, "image/png"),
    ]
    assert proof[0]["lineage"] == proof[1]["lineage"]
    assert archive.read(proof[0]["path"]) == pdf_bytes("Fahrzeugschein")
    assert archive.read(proof[1]["path"]) == png_bytes()
    [note] = [d for d in documents if d["kind"] == "note"]
    assert note["path"].endswith(".txt") and note["file_name"] is None
    assert archive.read(note["path"]).decode() == "Halterin bestätigt.\nRückruf am Montag."
    assert note["created_by"] == {"kind": "user", "name": "Max Sachbearbeiter"}
    receipt = documents[0]
    assert receipt["kind"] == "application" and receipt["created_by"] == {"kind": "system", "name": "System"}


def test_paths_inside_the_archive_are_safe_whatever_the_titles_say(full_case):
    archive = opened(case_export_zip(case=full_case))
    for name in archive.namelist():
        assert SAFE_PATH.match(name), name
        assert ".." not in name and not name.startswith("/") and "\\" not in name
    hostile = next(d for d in json.loads(archive.read("index.json"))["documents"] if d["kind"] == "other")
    assert hostile["path"] == "dokumente/005-etc-passwd-bescheid-ue/v1.pdf"
    assert hostile["title"] == "../../etc/passwd <Bescheid> Ü", "the title itself is kept, as data"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Zulassungsbescheinigung Teil I (Fahrzeugschein)", "zulassungsbescheinigung-teil-i-fahrzeugschein"),
        ("Bestätigung – Größe", "bestaetigung-groesse"),
        ("../../../root", "root"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("…", "dokument"),
        ("日本語", "dokument"),
        ("a" * 100, "a" * 60),
    ],
)
def test_titles_become_harmless_path_segments(title, expected):
    assert safe_name(title) == expected


def test_the_application_and_the_history_are_in_the_archive(full_case, submitted):
    archive = opened(case_export_zip(case=full_case))
    application = json.loads(archive.read("antrag.json"))
    assert application["reference"] == submitted.reference
    assert application["data"]["kennzeichen"] == "MU-EM 64"
    assert application["summary"][0]["step"] == "Ihre Angaben"
    assert {"label": "Vorname", "answer": "Erika"} in application["summary"][0]["answers"]
    history = json.loads(archive.read("verlauf.json"))
    actions = [entry["action"] for entry in history["entries"]]
    assert actions[0] == "case.open" and actions.count("case.document_add") == 4 and "case.note_add" in actions
    stored = AuditEntry.objects.filter(object_id=str(full_case.public_id)).order_by("sequence")
    assert [entry["entry_hash"] for entry in history["entries"]] == [entry.entry_hash for entry in stored]


def test_a_missing_stored_file_is_named_in_the_index_and_the_rest_is_exported(full_case, media_root):
    note_free = full_case.documents.get(kind="application")
    Path(note_free.file.path).unlink()
    archive = opened(case_export_zip(case=full_case))
    index = json.loads(archive.read("index.json"))
    assert list(validator().iter_errors(index)) == []
    missing = next(d for d in index["documents"] if d["kind"] == "application")
    assert missing["path"] is None and missing["sha256"] is None
    assert missing["sha256_at_filing"] == note_free.sha256
    assert len(archive.namelist()) == 3 + 5


def test_the_export_of_an_anonymised_case_still_validates(case):
    from rathaus.cases.retention import retention_apply

    Case.objects.filter(pk=case.pk).update(state="closed", closed_at="2020-01-01T10:00:00Z")
    retention_apply(case=case)
    archive = opened(case_export_zip(case=case))
    index = json.loads(archive.read("index.json"))
    assert list(validator().iter_errors(index)) == []
    assert index["documents"] == [] and index["application"] is None and index["case"]["applicant_name"] == ""
    assert index["case"]["service"]["name"] == "Bewohnerparkausweis"
    assert set(archive.namelist()) == {"index.json", "verlauf.json"}


def test_staff_download_the_archive_and_the_export_is_audited(full_case, caseworker, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    response = client.get(f"/verwaltung/vorgaenge/{full_case.public_id}/akte/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="Akte-{full_case.reference}.zip"'
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    opened(response.content)
    [entry] = AuditEntry.objects.filter(object_id=str(full_case.public_id), action="case.export")
    assert entry.actor == caseworker
    assert entry.changes == {"size": len(response.content), "sha256": hashlib.sha256(response.content).hexdigest()}


def test_the_format_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    for field in [*schema["properties"], *defs["document"]["properties"], *defs["case"]["properties"]]:
        assert f"`{field}`" in text, field
