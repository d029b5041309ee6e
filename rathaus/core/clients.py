"""Who is asking: the client's IP address, for rate limits (never stored, never put into events)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind the reverse proxy (RATHAUS_BEHIND_PROXY=1) that is the last entry
    of X-Forwarded-For, the one the proxy itself added; entries before it are the client's word and not trusted."""
    if getattr(settings, "RATHAUS_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
