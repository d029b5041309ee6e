"""Receivers of the uploads app: stored files follow their rows; a guest who logs in keeps their uploads."""

from __future__ import annotations

import logging
from typing import Any

from rathaus.core.files import delete_after_commit

from .models import Upload

logger = logging.getLogger(__name__)


def delete_stored_file(sender: type[Upload], instance: Upload, **kwargs: Any) -> None:
    delete_after_commit(instance.file, label=f"upload {instance.public_id}")


def claim_guest_uploads(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A guest who logs in keeps the files uploaded before: they now belong to the account."""
    from .ownership import guest_session_key
    from .services import uploads_claim

    if request is not None and hasattr(request, "session"):
        uploads_claim(owner=user, session_key=guest_session_key(request))
