"""Postbox test base: submitted applications of two citizens, files on disk, a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.applications.models import Application
from rathaus.catalog.models import ServiceDefinition
from rathaus.tenants.models import Municipality
from rathaus.testing import samples
from rathaus.testing.peers import Mailbox, smtp_server

HOST = "musterstadt.localhost"
OTHER_HOST = "beispielhausen.localhost"
_references = count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every stored file lands under a temporary MEDIA_ROOT; no virus scanner unless a test sets one up."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.RATHAUS_CLAMD = None
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# --- files ------------------------------------------------------------------------------------------------------


def pdf_bytes(text: str = "Nachweis") -> bytes:
    """A small, complete one-page PDF that the content check accepts, showing `text`."""
    return samples.pdf(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))


def png_bytes() -> bytes:
    """A 1x1 PNG."""
    return samples.png()


def submitted_application(municipality: Municipality, applicant: User | None, key: str = "bewohnerparkausweis"):
    """An application as it is after submission (the form itself is the applications app's business)."""
    now = timezone.now()
    return Application.objects.create(
        municipality=municipality,
        definition=ServiceDefinition.objects.get(key=key, owner__isnull=True),
        applicant=applicant,
        guest_email="" if applicant else "gast@example.org",
        status=Application.Status.SUBMITTED,
        data={"vorname": "Geheim", "nachname": "Vertraulich"},
        reference=f"{municipality.slug[:3].upper()}-{now.year}-{next(_references):06d}",
        consent_at=now,
        submitted_at=now,
        trust_level="substanziell",
    )


@pytest.fixture
def erika_application(catalog, musterstadt, erika) -> Application:
    return submitted_application(musterstadt, erika)


@pytest.fixture
def max_application(catalog, musterstadt, max_mustermann) -> Application:
    return submitted_application(musterstadt, max_mustermann, key="anregungen-beschwerden")


def english(client: Client) -> Client:
    """Assertions on page texts use the English msgids (the German catalogue arrives with the lead's merge)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def erika_client(erika, log_in, musterstadt) -> Client:
    client = english(Client(HTTP_HOST=HOST))
    log_in(client, erika, "substanziell")
    return client


@pytest.fixture
def max_client(max_mustermann, log_in, musterstadt) -> Client:
    client = english(Client(HTTP_HOST=HOST))
    log_in(client, max_mustermann, "hoch")
    return client


@pytest.fixture
def replies() -> Iterator[list[tuple[int, int]]]:
    """Every `citizen_replied` signal, as (message pk, reply pk)."""
    from rathaus.postbox.signals import citizen_replied

    received: list[tuple[int, int]] = []

    def receiver(sender, message, reply, **kwargs) -> None:
        received.append((message.pk, reply.pk))

    citizen_replied.connect(receiver, weak=False, dispatch_uid="postbox-test-replies")
    try:
        yield received
    finally:
        citizen_replied.disconnect(dispatch_uid="postbox-test-replies")


# --- SMTP -------------------------------------------------------------------------------------------------------


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend delivers to it."""
    yield from smtp_server(settings)
