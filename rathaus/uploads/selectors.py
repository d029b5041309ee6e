"""Reads of uploads, always for the person asking: a user sees only their own, a guest only their session's."""

from __future__ import annotations

from uuid import UUID

from rathaus.tenants.models import Municipality

from .models import Upload
from .ownership import Owner, account, guest_key, guest_session_key

# guest_session_key is re-exported: it is the `session_key` other apps pass for guests.
__all__ = ["guest_session_key", "upload_get_for_owner"]


def upload_get_for_owner(
    *, public_id: UUID | str, owner: Owner, session_key: str, municipality: Municipality | None = None
) -> Upload | None:
    """The upload if it belongs to `owner` (a user) or, for guests, to the session `session_key`; else None.

    With `municipality`, only an upload made in that municipality is found.
    """
    try:
        uuid = public_id if isinstance(public_id, UUID) else UUID(str(public_id))
    except ValueError:
        return None
    uploads = Upload.objects.filter(public_id=uuid)
    if municipality is not None:
        uploads = uploads.filter(municipality=municipality)
    user = account(owner)
    if user is not None:
        uploads = uploads.filter(owner_id=user.pk)
    elif session_key:
        uploads = uploads.filter(owner__isnull=True, session_key=guest_key(session_key))
    else:
        return None
    return uploads.first()
