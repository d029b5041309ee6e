"""Shared fixtures of the case tests: files on a temporary disk, real document files, and a submitted application
(with two real uploads) that the handover has turned into a case."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from rathaus.accounts.models import User
from rathaus.applications.models import Application
from rathaus.applications.services import application_start, application_submit
from rathaus.cases.models import Case
from rathaus.catalog.selectors import service_get
from rathaus.tenants.models import Municipality
from rathaus.testing import samples
from rathaus.uploads import sniffing
from rathaus.uploads.models import Upload
from rathaus.uploads.services import UploadRule, upload_accept

HOST = "musterstadt.localhost"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Stored files (uploads, case documents, postbox documents) go to a temporary folder."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def pdf_bytes(text: str = "Nachweis") -> bytes:
    """A small, complete one-page PDF that the content check accepts, showing `text`."""
    return samples.pdf(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))


def png_bytes() -> bytes:
    """A 1x1 PNG."""
    return samples.png()


def citizen_upload(
    *, municipality: Municipality, user: User | None, document_id: str, name: str, content: bytes, session_key: str = ""
) -> Upload:
    rule = UploadRule(document_id=document_id, accept=(sniffing.PDF, sniffing.JPEG, sniffing.PNG))
    return upload_accept(
        file=SimpleUploadedFile(name, content),
        rule=rule,
        municipality=municipality,
        owner=user,
        session_key=session_key,
    )


ANSWERS = {
    "vorname": "Erika",
    "nachname": "Mustermann",
    "geburtsdatum": "1964-08-12",
    "anschrift": {"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"},
    "email": "erika.mustermann@example.org",
    "kennzeichen": "MU-EM 64",
    "fahrzeugart": "pkw",
    # A company car: the parking-zone rule does not decide alone, so the case waits for a person.
    "halter": "firmenwagen",
    "halter_name": "Muster GmbH",
    "gueltigkeit": "12",
    "kein_stellplatz": True,
}


def submit_parking_permit(*, municipality: Municipality, user: User | None) -> Application:
    """Erika's application for a resident parking permit with two proofs, submitted, after the commit."""
    service = service_get(municipality=municipality, key="bewohnerparkausweis")
    assert service is not None
    application = application_start(municipality=municipality, service=service, user=user)
    session_key = "" if user else "guest-session-key-of-the-test-browser-0001"
    registration = citizen_upload(
        municipality=municipality,
        user=user,
        document_id="fahrzeugschein",
        name="Fahrzeugschein.pdf",
        content=pdf_bytes("Fahrzeugschein"),
        session_key=session_key,
    )
    consent = citizen_upload(
        municipality=municipality,
        user=user,
        document_id="ueberlassungserklaerung",
        name="../../Erklärung <Firma>.png",
        content=png_bytes(),
        session_key=session_key,
    )
    application.data = {
        **ANSWERS,
        "fahrzeugschein": str(registration.public_id),
        "ueberlassungserklaerung": str(consent.public_id),
    }
    application.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return application_submit(
            application=application,
            consent=True,
            trust_level="substanziell",
            fees=service.fees,
            payment_method="invoice",
        )


@pytest.fixture
def submitted(catalog, musterstadt, erika) -> Application:
    return submit_parking_permit(municipality=musterstadt, user=erika)


@pytest.fixture
def case(submitted) -> Case:
    """The case the handover opened for Erika's application (in Musterstadt's road traffic authority)."""
    return Case.objects.select_related("municipality", "department", "application").get(application=submitted)
