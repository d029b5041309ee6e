"""A random visit id that rotates daily, kept in the session: links a visit's events, never a person."""

import secrets

from django.http import HttpRequest
from django.utils import timezone

SESSION_KEY = "rathaus_visit"


def visit_id(request: HttpRequest) -> str:
    today = timezone.localdate().isoformat()
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("day") != today:
        stored = {"day": today, "id": secrets.token_hex(16)}
        request.session[SESSION_KEY] = stored
    return stored["id"]
