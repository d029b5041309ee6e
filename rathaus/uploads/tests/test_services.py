"""Accepting an upload: checked by content and size, stored through Django's storage, refused with a reason."""

import hashlib
import io
import logging
import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation

from rathaus.analytics.models import Event
from rathaus.testing import samples
from rathaus.uploads import services
from rathaus.uploads.models import Upload
from rathaus.uploads.scanners import plugin
from rathaus.uploads.services import UploadNotFound, UploadRejected, UploadRule, upload_accept, upload_discard

from .conftest import stored_files, upload_file

PROOF = UploadRule.from_definition(
    {
        "id": "nachweis",
        "name": {"de": "Nachweis"},
        "required": True,
        "accept": ["application/pdf", "image/jpeg", "image/png"],
        "max_size_mb": 10,
    }
)
PDF_ONLY = UploadRule(document_id="vollmacht", accept=("application/pdf",), max_size_mb=2)
PHOTO = UploadRule(document_id="foto", accept=("image/jpeg", "image/png", "image/heic"), max_size_mb=5)


def accept(
    content: bytes,
    *,
    rule=PROOF,
    name="nachweis.pdf",
    claimed="application/pdf",
    owner=None,
    municipality=None,
    session_key="gast-sitzung",
):
    return upload_accept(
        file=upload_file(content, name, claimed),
        rule=rule,
        municipality=municipality,
        owner=owner,
        session_key=session_key,
    )


def rejection(content: bytes, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as raised, translation.override("en"):
        accept(content, **kwargs)
    return raised.value


def test_a_rule_is_built_from_the_definition_entry():
    expected = UploadRule(document_id="nachweis", accept=("application/pdf", "image/jpeg", "image/png"), max_size_mb=10)
    assert expected == PROOF
    assert PROOF.max_bytes == 10 * 1024 * 1024
    with pytest.raises(ValueError, match="unknown types"):
        UploadRule.from_definition({"id": "x", "accept": ["text/html"], "max_size_mb": 1})


def test_the_allowed_types_are_named_in_plain_words():
    with translation.override("en"):
        assert PROOF.type_names() == "PDF, JPG or PNG"
        assert PDF_ONLY.type_names() == "PDF"
        assert PHOTO.type_names() == "JPG, PNG or HEIC"


def test_an_accepted_file_is_written_through_the_storage_with_its_facts(erika, musterstadt, media_root):
    content = samples.pdf()
    upload = accept(content, owner=erika, municipality=musterstadt, name="Meldebestätigung Müller.pdf")

    upload.refresh_from_db()
    assert upload.owner == erika
    assert upload.session_key == ""
    assert upload.municipality == musterstadt
    assert upload.document_id == "nachweis"
    assert upload.original_name == "Meldebestätigung Müller.pdf"
    assert upload.content_type == "application/pdf"
    assert upload.size == len(content)
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.scan_status == Upload.ScanStatus.NOT_SCANNED
    [path] = stored_files(media_root)
    assert path.read_bytes() == content
    assert path == media_root / upload.file.name


def test_the_stored_path_is_random_and_holds_nothing_the_citizen_typed(erika, musterstadt, media_root):
    first = accept(samples.pdf(), owner=erika, municipality=musterstadt, name="geheim.pdf")
    second = accept(samples.pdf(), owner=erika, municipality=musterstadt, name="geheim.pdf")

    for upload in (first, second):
        assert "geheim" not in upload.file.name
        assert upload.file.name.startswith(f"uploads/{musterstadt.pk}/")
        assert upload.file.name.endswith(".pdf")
        assert len(upload.file.name.rsplit("/", 1)[1]) >= 40  # 32 random bytes, base64
    assert first.file.name != second.file.name
    assert first.public_id != second.public_id


def test_a_guest_upload_belongs_to_a_hash_of_the_session_key(musterstadt):
    upload = accept(
        samples.png(),
        name="foto.png",
        claimed="image/png",
        municipality=musterstadt,
        session_key="k3y-of-the-guest-session",
    )
    assert upload.owner is None
    assert upload.session_key
    assert "k3y-of-the-guest-session" not in upload.session_key


def test_a_guest_upload_without_a_session_is_a_programming_error(musterstadt):
    with pytest.raises(ValueError, match="session key"):
        accept(samples.pdf(), municipality=musterstadt, session_key="")


# The type is what the bytes are: names and the browser's claimed type are ignored.


@pytest.mark.parametrize(
    ("content", "name", "claimed"),
    [
        (samples.HTML, "antrag.pdf", "application/pdf"),
        (samples.EXE, "scan.pdf", "application/pdf"),
        (samples.EXE, "foto.jpg", "image/jpeg"),
        (samples.ZIP, "unterlagen.pdf", "application/pdf"),
        (b"\x00\x01\x02garbage" * 100, "foto.png", "image/png"),
        (samples.tiff(), "scan.pdf", "application/pdf"),  # a real TIFF, but the rule does not accept TIFF
    ],
    ids=["html-as-pdf", "exe-as-pdf", "exe-as-jpg", "zip-as-pdf", "garbage-as-png", "tiff-not-accepted"],
)
def test_disguised_files_are_refused_with_the_allowed_types(content, name, claimed, musterstadt, media_root):
    refused = rejection(content, name=name, claimed=claimed, municipality=musterstadt)
    assert refused.reason == UploadRejected.Reason.WRONG_TYPE
    assert str(refused) == "This type of file cannot be accepted here. Allowed are PDF, JPG or PNG files."
    assert stored_files(media_root) == []
    assert not Upload.objects.exists()


def test_a_png_claiming_to_be_a_pdf_is_refused_where_only_pdf_is_allowed(musterstadt):
    refused = rejection(
        samples.png(), name="vollmacht.pdf", claimed="application/pdf", rule=PDF_ONLY, municipality=musterstadt
    )
    assert refused.reason == UploadRejected.Reason.WRONG_TYPE
    assert "Allowed are PDF files" in str(refused)


def test_a_png_named_pdf_is_stored_as_what_it_is_where_png_is_allowed(musterstadt):
    upload = accept(samples.png(), name="ausweis.pdf", claimed="application/pdf", municipality=musterstadt)
    assert upload.content_type == "image/png"
    assert upload.file.name.endswith(".png")
    assert upload.download_name == "ausweis.png"


def test_a_heif_photo_counts_as_heic(musterstadt):
    upload = accept(
        samples.heic(major=b"mif1", compatible=(b"mif1",)),
        rule=PHOTO,
        name="IMG_0001.HEIC",
        claimed="image/heic",
        municipality=musterstadt,
    )
    assert upload.content_type == "image/heif"


@pytest.mark.parametrize(
    "content",
    [samples.pdf()[:-40], samples.pdf(padding=4000)[:2000], samples.png()[:-12], samples.jpeg()[:-2]],
    ids=["pdf-no-eof", "pdf-half", "png-no-iend", "jpeg-no-eoi"],
)
def test_truncated_files_are_refused_as_damaged(content, musterstadt, media_root):
    refused = rejection(content, municipality=musterstadt)
    assert refused.reason == UploadRejected.Reason.DAMAGED
    assert "damaged or incomplete" in str(refused)
    assert stored_files(media_root) == []


def test_an_empty_file_is_refused(musterstadt):
    refused = rejection(b"", municipality=musterstadt)
    assert refused.reason == UploadRejected.Reason.EMPTY
    assert str(refused) == "The file is empty. Please choose the file again."


def test_a_file_over_the_limit_is_refused_and_names_the_limit(musterstadt, media_root):
    too_big = samples.pdf(padding=2 * 1024 * 1024)
    refused = rejection(too_big, rule=PDF_ONLY, municipality=musterstadt)
    assert refused.reason == UploadRejected.Reason.TOO_LARGE
    assert "larger than 2 MB" in str(refused)
    assert stored_files(media_root) == []


def test_a_file_exactly_at_the_limit_is_accepted(musterstadt):
    padding = PDF_ONLY.max_bytes - len(samples.pdf())
    while len(content := samples.pdf(padding=padding)) != PDF_ONLY.max_bytes:
        padding -= len(content) - PDF_ONLY.max_bytes  # the offsets in the PDF grow by a few digits
    assert accept(content, rule=PDF_ONLY, municipality=musterstadt).size == PDF_ONLY.max_bytes


class EndlessStream(io.RawIOBase):
    """A file that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.delivered = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\x00" * len(buffer)
        self.delivered += len(buffer)
        return len(buffer)


def test_an_oversized_file_is_refused_without_reading_it_all_even_when_it_lies_about_its_size(musterstadt):
    stream = EndlessStream()
    lying = UploadedFile(file=stream, name="klein.pdf", content_type="application/pdf", size=100)

    with pytest.raises(UploadRejected) as raised:
        upload_accept(file=lying, rule=PDF_ONLY, municipality=musterstadt, owner=None, session_key="gast")

    assert raised.value.reason == UploadRejected.Reason.TOO_LARGE
    assert stream.delivered <= PDF_ONLY.max_bytes + services.READ_CHUNK


def test_a_file_reporting_a_size_over_the_limit_is_refused_before_reading(musterstadt):
    stream = EndlessStream()
    honest = UploadedFile(file=stream, name="gross.pdf", content_type="application/pdf", size=3 * 1024 * 1024)
    with pytest.raises(UploadRejected):
        upload_accept(file=honest, rule=PDF_ONLY, municipality=musterstadt, owner=None, session_key="gast")
    assert stream.delivered == 0


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Erika\\Desktop\\Mietvertrag.pdf", "Mietvertrag.pdf"),
        ('<img src=x onerror="alert(1)">.pdf', "img src=x onerror=alert(1).pdf"),
        ("Ausweis\r\nSet-Cookie: x=1.pdf", "Ausweis Set-Cookie x=1.pdf"),
        ("Scan\u202egpj.pdf", "Scan gpj.pdf"),  # right-to-left override
        ("  .pdf  ", "pdf"),
        ("...", "document.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_the_original_name_is_made_safe_for_display(given, shown):
    with translation.override("en"):
        assert services.display_name(given, "application/pdf") == shown


# Fail closed: a configured scanner that does not answer means no upload.


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("where", ["socket", "tcp"])
def test_an_unreachable_scanner_refuses_the_upload_and_logs_it(
    where, settings, tmp_path, musterstadt, media_root, upload_log
):
    if where == "socket":
        settings.RATHAUS_CLAMD = {"socket": str(tmp_path / "clamd.sock"), "timeout": 2}
    else:
        settings.RATHAUS_CLAMD = {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2}

    refused = rejection(samples.pdf(), municipality=musterstadt)

    assert refused.reason == UploadRejected.Reason.SCANNER_UNAVAILABLE
    assert "Please try again later" in str(refused)
    assert stored_files(media_root) == []
    assert not Upload.objects.exists()
    assert any("not reachable" in message for message in upload_log.messages(logging.ERROR))


@pytest.mark.parametrize(
    "options",
    [{}, {"socket": "/run/clamd.sock", "host": "clamav"}, {"host": "clamav", "port": 0}, {"socket": "/x", "tls": 1}],
)
def test_wrong_scanner_settings_are_reported(options):
    with pytest.raises(ImproperlyConfigured):
        plugin("clamd").from_options(options)


# Discarding, and the events for the KPIs.


def test_the_owner_discards_an_upload_and_its_file(erika, musterstadt, media_root, django_capture_on_commit_callbacks):
    upload = accept(samples.pdf(), owner=erika, municipality=musterstadt)
    with django_capture_on_commit_callbacks(execute=True):
        upload_discard(upload=upload, owner=erika, session_key="")
    assert not Upload.objects.exists()
    assert stored_files(media_root) == []


def test_nobody_else_discards_an_upload(erika, otto, musterstadt, media_root, django_capture_on_commit_callbacks):
    upload = accept(samples.pdf(), owner=erika, municipality=musterstadt)
    guest_upload = accept(samples.pdf(), municipality=musterstadt, session_key="sitzung-a")
    with django_capture_on_commit_callbacks(execute=True):
        for owner, session_key, target in [
            (otto, "", upload),
            (None, "sitzung-a", upload),
            (None, "sitzung-b", guest_upload),
            (erika, "sitzung-a", guest_upload),  # a logged-in user does not own guest uploads
            (None, "", guest_upload),
        ]:
            with pytest.raises(UploadNotFound):
                upload_discard(upload=target, owner=owner, session_key=session_key)
    assert Upload.objects.count() == 2
    assert len(stored_files(media_root)) == 2
    upload_discard(upload=guest_upload, owner=None, session_key="sitzung-a")
    assert Upload.objects.count() == 1


def test_deleting_a_user_removes_their_stored_files(erika, musterstadt, media_root, django_capture_on_commit_callbacks):
    accept(samples.pdf(), owner=erika, municipality=musterstadt)
    with django_capture_on_commit_callbacks(execute=True):
        erika.delete()
    assert stored_files(media_root) == []


def test_uploads_emit_privacy_safe_events(erika, musterstadt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload_accept(
            file=upload_file(samples.pdf(), "Erika Mustermann.pdf"),
            rule=PROOF,
            municipality=musterstadt,
            owner=erika,
            session_key="",
            service_key="bewohnerparkausweis",
        )
        with pytest.raises(UploadRejected):
            upload_accept(
                file=upload_file(samples.HTML, "Erika.pdf"),
                rule=PROOF,
                municipality=musterstadt,
                owner=None,
                session_key="gast",
                service_key="bewohnerparkausweis",
            )
    events = {event.name: event for event in Event.objects.all()}
    assert events["upload_accepted"].dimensions == {"field": "nachweis", "guest": False}
    assert events["upload_rejected"].dimensions == {"reason": "wrong_type", "field": "nachweis", "guest": True}
    assert events["upload_rejected"].service_key == "bewohnerparkausweis"
    assert "Erika" not in str([e.dimensions for e in events.values()])
