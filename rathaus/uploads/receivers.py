"""A deleted upload row takes its stored file with it, also when it goes with its owner or municipality."""

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
