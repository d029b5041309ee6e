from __future__ import annotations

import logging
from uuid import UUID

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from rathaus.core.files import private_download
from rathaus.tenants.requests import MunicipalityRequest

from . import selectors
from .models import Upload
from .ownership import guest_session_keys

logger = logging.getLogger(__name__)


def _own_upload(request: MunicipalityRequest, public_id: UUID) -> Upload | None:
    keys = [""] if request.user.is_authenticated else guest_session_keys(request)
    for key in keys:
        upload = selectors.upload_get_for_owner(
            public_id=public_id, owner=request.user, session_key=key, municipality=request.municipality
        )
        if upload is not None:
            return upload
    return None


@require_GET
def upload_download(request: MunicipalityRequest, public_id: UUID) -> FileResponse:
    """The file, to its owner only; everybody else gets the same 404 as for an id that does not exist."""
    if request.municipality is None:
        raise Http404
    upload = _own_upload(request, public_id)
    if upload is None:
        raise Http404
    return private_download(
        upload.file, filename=upload.download_name, content_type=upload.content_type, label=f"upload {upload.public_id}"
    )
