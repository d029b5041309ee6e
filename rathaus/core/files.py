"""Stored files of citizens: private downloads and deletion that follows the database."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def private_download(file: FieldFile, *, filename: str, content_type: str, label: str) -> FileResponse:
    """Stream `file` as an attachment that browsers neither sniff, cache nor render; 404 if it is missing."""
    try:
        stream = file.storage.open(file.name or "", "rb")
    except OSError:
        logger.exception("the stored file of %s is missing", label)
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_after_commit(file: FieldFile, *, label: str) -> None:
    """Delete the stored file once the deletion of its row is committed (a rollback keeps both)."""
    name = file.name
    if not name:
        return
    storage = file.storage

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the stored file of %s", label)

    transaction.on_commit(delete)
