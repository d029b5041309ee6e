"""Who an upload belongs to: a user account, or (for guests) the browser session it was made in."""

from __future__ import annotations

import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SESSION_FIELD = "rathaus.uploads.guest"

Owner = AbstractBaseUser | AnonymousUser | None


def account(owner: Owner) -> AbstractBaseUser | None:
    """The user account, or None for guests (an AnonymousUser counts as a guest)."""
    if owner is None or not owner.is_authenticated:
        return None
    assert isinstance(owner, AbstractBaseUser)
    return owner


def guest_key(session_key: str) -> str:
    """What is stored for a guest: a keyed hash of the session key, never the key itself."""
    if not session_key:
        return ""
    return salted_hmac("rathaus.uploads.guest", session_key, algorithm="sha256").hexdigest()


def guest_session_key(request: HttpRequest) -> str:
    """The key that makes a guest the owner of their uploads: random, kept in the session data.

    Unlike Django's session key it survives the key change at login, so `uploads_claim` can hand a guest's
    uploads to the account they log in with. Pass it as `session_key` to the services and selectors.
    """
    key = request.session.get(SESSION_FIELD)
    if not isinstance(key, str) or len(key) < 32:
        key = secrets.token_urlsafe(32)
        request.session[SESSION_FIELD] = key
    return key


def guest_session_keys(request: HttpRequest) -> list[str]:
    """Every key that can own this session's guest uploads (the stable key and Django's session key)."""
    keys = [key for key in (request.session.get(SESSION_FIELD), request.session.session_key) if key]
    return [str(key) for key in keys]
