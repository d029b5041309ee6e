"""Receivers of the uploads app: stored files follow their rows; a guest who logs in keeps their uploads."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .models import Upload

logger = logging.getLogger(__name__)


def delete_stored_file(sender: type[Upload], instance: Upload, **kwargs: Any) -> None:
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the stored file of upload %s", instance.public_id)

    transaction.on_commit(delete)


def claim_guest_uploads(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A guest who logs in keeps the files uploaded before: they now belong to the account."""
    from .ownership import guest_session_key
    from .services import uploads_claim

    if request is not None and hasattr(request, "session"):
        uploads_claim(owner=user, session_key=guest_session_key(request))
