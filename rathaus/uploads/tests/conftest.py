"""Uploads are written to a temporary MEDIA_ROOT; no virus scanner unless a test configures one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.accounts.models import User
from rathaus.accounts.services import user_ensure
from rathaus.conftest import PASSWORD


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.RATHAUS_CLAMD = None
    return root


@pytest.fixture
def otto(db) -> User:
    """Otto Normalverbraucher, another citizen."""
    user, _ = user_ensure(username="otto", email="otto@example.org", password=PASSWORD, first_name="Otto")
    return user


def upload_file(content: bytes, name: str = "nachweis.pdf", claimed: str = "application/pdf") -> SimpleUploadedFile:
    """A file as the browser sends it: name and claimed type are the citizen's, the bytes are what counts."""
    return SimpleUploadedFile(name, content, content_type=claimed)


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int = logging.DEBUG) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]


@pytest.fixture
def upload_log() -> Iterator[Records]:
    """What the uploads app logs (works with `-p no:logging`, unlike caplog)."""
    handler = Records()
    logger = logging.getLogger("rathaus.uploads")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
