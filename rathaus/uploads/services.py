"""Writes of uploads: accept a file (size, type by content, virus scan, storage) and discard it.

Check, then do: the file is read once, in bounded chunks, into a spool (memory up to 1 MiB, then a temporary
file); size, type and virus checks all look at those same bytes, and only what passed them is stored through
Django's default storage (local files, or S3-compatible object storage in production).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, BinaryIO, cast

from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from rathaus.analytics.services import event_emit
from rathaus.tenants.models import Municipality

from . import sniffing
from .models import EXTENSIONS, Upload
from .ownership import Owner, account, guest_key
from .scanners import ScannerUnavailable, scanner_configured

logger = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024
MEGABYTE = 1024 * 1024
NAME_LENGTH = 120
ALL_TYPES = (sniffing.PDF, sniffing.JPEG, sniffing.PNG, sniffing.HEIC, sniffing.TIFF)
DEFAULT_MAX_SIZE_MB = 10
# How the types are called in messages: the words people know from file names.
TYPE_NAMES = {
    sniffing.PDF: "PDF",
    sniffing.JPEG: "JPG",
    sniffing.PNG: "PNG",
    sniffing.HEIC: "HEIC",
    sniffing.HEIF: "HEIF",
    sniffing.TIFF: "TIFF",
}


class UploadRejected(Exception):
    """The file was not accepted; str() is the translated message for the citizen, `reason` a short code."""

    class Reason(StrEnum):
        EMPTY = "empty"
        TOO_LARGE = "too_large"
        WRONG_TYPE = "wrong_type"
        DAMAGED = "damaged"
        INFECTED = "infected"
        SCANNER_UNAVAILABLE = "scanner_unavailable"

    def __init__(self, reason: UploadRejected.Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


class UploadNotFound(LookupError):
    """The upload does not exist or does not belong to whoever asked (the two are not told apart)."""


@dataclass(frozen=True)
class UploadRule:
    """What one document of a service definition accepts (services/README.md, "Uploads")."""

    document_id: str
    accept: tuple[str, ...] = ALL_TYPES
    max_size_mb: int = DEFAULT_MAX_SIZE_MB

    @classmethod
    def from_definition(cls, entry: dict[str, Any]) -> UploadRule:
        accept = tuple(entry.get("accept") or ALL_TYPES)
        unknown = [t for t in accept if t not in ALL_TYPES]
        if unknown:
            raise ValueError(f"documents_upload.{entry.get('id')}: unknown types {unknown}")
        max_size_mb = int(entry.get("max_size_mb") or DEFAULT_MAX_SIZE_MB)
        if max_size_mb < 1:
            raise ValueError(f"documents_upload.{entry.get('id')}: max_size_mb must be at least 1")
        return cls(document_id=str(entry["id"]), accept=accept, max_size_mb=max_size_mb)

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * MEGABYTE

    def accepts(self, content_type: str | None) -> bool:
        if content_type == sniffing.HEIF:  # the generic container of HEIC photos
            return sniffing.HEIC in self.accept
        return content_type in self.accept

    def type_names(self) -> str:
        """The accepted types in plain words: "PDF, JPG or PNG" (translated)."""
        names = list(dict.fromkeys(TYPE_NAMES[t] for t in self.accept))
        if len(names) == 1:
            return names[0]
        return _("%(types)s or %(last)s") % {"types": ", ".join(names[:-1]), "last": names[-1]}


def upload_accept(
    *,
    file: UploadedFile,
    rule: UploadRule,
    municipality: Municipality,
    owner: Owner,
    session_key: str,
    service_key: str = "",
) -> Upload:
    """Check `file` against `rule` and store it for `owner` (or, for guests, the session `session_key`).

    Raises UploadRejected with a translated message when the file is empty, too large, not of an accepted
    type (judged by its content, never its name or the browser's claim), damaged, infected, or when the
    configured virus scanner cannot be reached (nothing unchecked is stored then).
    """
    user = account(owner)
    if user is None and not session_key:
        raise ValueError("a guest's upload needs the session key")
    try:
        upload = _accept(file=file, rule=rule, municipality=municipality, user=user, session_key=session_key)
    except UploadRejected as rejection:
        event_emit(
            name="upload_rejected",
            municipality=municipality,
            service_key=service_key,
            reason=rejection.reason.value,
            field=rule.document_id,
            guest=user is None,
        )
        raise
    event_emit(
        name="upload_accepted",
        municipality=municipality,
        service_key=service_key,
        field=rule.document_id,
        guest=user is None,
    )
    return upload


def _accept(*, file: UploadedFile, rule: UploadRule, municipality: Municipality, user: Any, session_key: str) -> Upload:
    with _spooled(file, rule) as (spool, size, sha256):
        if size == 0:
            raise UploadRejected(UploadRejected.Reason.EMPTY, _("The file is empty. Please choose the file again."))
        sniffed = sniffing.sniff(cast(BinaryIO, spool), size)
        if not rule.accepts(sniffed.content_type):
            raise UploadRejected(
                UploadRejected.Reason.WRONG_TYPE,
                _("This type of file cannot be accepted here. Allowed are %(types)s files.")
                % {"types": rule.type_names()},
            )
        if not sniffed.intact:
            raise UploadRejected(
                UploadRejected.Reason.DAMAGED,
                _(
                    "The file seems to be damaged or incomplete. Please check that it opens on your device "
                    "and upload it again."
                ),
            )
        assert sniffed.content_type is not None
        scan_status = _scan(spool, municipality=municipality, document_id=rule.document_id)
        spool.seek(0)
        stored = File(spool, name="upload")
        stored.size = size
        upload = Upload(
            municipality=municipality,
            owner=user,
            session_key="" if user is not None else guest_key(session_key),
            document_id=rule.document_id,
            original_name=display_name(file.name or "", sniffed.content_type),
            content_type=sniffed.content_type,
            size=size,
            sha256=sha256,
            scan_status=scan_status,
        )
        upload.file.save("upload", stored, save=False)
        try:
            with transaction.atomic():
                upload.save()
        except BaseException:
            upload.file.delete(save=False)
            raise
    logger.info(
        "upload %s accepted: %s, %s bytes, %s, %s",
        upload.public_id,
        upload.content_type,
        size,
        upload.scan_status,
        municipality.slug,
    )
    return upload


@contextmanager
def _spooled(file: UploadedFile, rule: UploadRule) -> Iterator[tuple[tempfile.SpooledTemporaryFile[bytes], int, str]]:
    """Copy the upload in bounded chunks, stopping as soon as it exceeds the limit."""
    too_large = UploadRejected(
        UploadRejected.Reason.TOO_LARGE,
        _(
            "The file is larger than %(limit)s MB. Please upload a smaller file (for example a scan with a lower "
            "resolution)."
        )
        % {"limit": rule.max_size_mb},
    )
    if file.size is not None and file.size > rule.max_bytes:
        raise too_large  # the size the upload reports; the bytes are counted below anyway
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        for chunk in file.chunks(chunk_size=READ_CHUNK):
            size += len(chunk)
            if size > rule.max_bytes:
                raise too_large
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        yield spool, size, digest.hexdigest()


def _scan(spool: tempfile.SpooledTemporaryFile[bytes], *, municipality: Municipality, document_id: str) -> str:
    scanner = scanner_configured()
    if scanner is None:
        return Upload.ScanStatus.NOT_SCANNED
    spool.seek(0)
    try:
        result = scanner.scan(cast(BinaryIO, spool))
    except ScannerUnavailable as error:
        logger.error("virus scan failed, upload for %s refused: %s", municipality.slug, error)
        raise UploadRejected(
            UploadRejected.Reason.SCANNER_UNAVAILABLE,
            _("We cannot check files for viruses at the moment, so the file was not accepted. Please try again later."),
        ) from error
    if result.infected:
        logger.warning(
            "infected upload refused: %s (document %s, %s)", result.signature, document_id, municipality.slug
        )
        raise UploadRejected(
            UploadRejected.Reason.INFECTED,
            _(
                "The file contains a virus or other harmful content and was not accepted. "
                "Please check your device and upload a clean copy."
            ),
        )
    return Upload.ScanStatus.CLEAN


def display_name(name: str, content_type: str) -> str:
    """The citizen's file name, made safe to show: no folders, control characters or markup characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        " " if unicodedata.category(char).startswith(("C", "Z")) else char for char in name if char not in '<>:"|?*'
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return _("document") + EXTENSIONS.get(content_type, "")
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:NAME_LENGTH].rstrip()
    return name


@transaction.atomic
def upload_discard(*, upload: Upload, owner: Owner, session_key: str) -> None:
    """Delete the upload and (after the commit) its stored file. Only its owner may; others get UploadNotFound."""
    user = account(owner)
    if user is not None:
        owns = upload.owner_id == user.pk
    else:
        owns = upload.owner_id is None and bool(session_key) and upload.session_key == guest_key(session_key)
    if not owns:
        raise UploadNotFound
    upload.delete()
    logger.info("upload %s discarded", upload.public_id)


@transaction.atomic
def uploads_claim(*, owner: Owner, session_key: str) -> int:
    """Hand the guest uploads of the session `session_key` to `owner`, who just logged in in that session.

    Use the stable key of `guest_session_key(request)` (Django's session key changes at login). Returns how
    many uploads changed hands.
    """
    user = account(owner)
    if user is None or not session_key:
        return 0
    claimed = Upload.objects.filter(owner__isnull=True, session_key=guest_key(session_key)).update(
        owner=user, session_key=""
    )
    if claimed:
        logger.info("%s guest uploads claimed by user %s", claimed, user.pk)
    return claimed
