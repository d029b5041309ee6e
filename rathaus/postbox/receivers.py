"""A deleted document row takes its stored file with it (after the commit, so a rollback keeps both)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .models import Document

logger = logging.getLogger(__name__)


def delete_stored_document(sender: type[Document], instance: Document, **kwargs: Any) -> None:
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete the stored file of document %s", instance.public_id)

    transaction.on_commit(delete)
