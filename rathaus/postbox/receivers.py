"""A deleted document row takes its stored file with it (after the commit, so a rollback keeps both)."""

from __future__ import annotations

import logging
from typing import Any

from rathaus.core.files import delete_after_commit

from .models import Document

logger = logging.getLogger(__name__)


def delete_stored_document(sender: type[Document], instance: Document, **kwargs: Any) -> None:
    delete_after_commit(instance.file, label=f"postbox document {instance.public_id}")
