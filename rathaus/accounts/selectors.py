"""Reads of accounts and of the login in the current session."""

from __future__ import annotations

from django.http import HttpRequest

from rathaus.tenants.models import Municipality

from . import session as keys
from .models import IdentityProvider, StaffRole, StaffTotp, TrustLevel, User


def trust_level_satisfies(actual: str | None, required: str) -> bool:
    """True when a login at `actual` may use a service that requires `required` (niedrig < substanziell < hoch)."""
    if actual not in TrustLevel.values:
        return False
    return TrustLevel.rank(actual) >= TrustLevel.rank(required)


def session_trust_level(request: HttpRequest) -> str | None:
    """The trust level of the citizen logged in with this request; None when anonymous or logged in as staff."""
    if not request.user.is_authenticated or request.session.get(keys.KIND) != keys.CITIZEN:
        return None
    level = request.session.get(keys.TRUST_LEVEL)
    return level if level in TrustLevel.values else None


def session_login_method(request: HttpRequest) -> str | None:
    if not request.user.is_authenticated:
        return None
    method = request.session.get(keys.METHOD)
    return method if isinstance(method, str) else None


def is_staff_account(user: User) -> bool:
    """Staff accounts log in only at the staff login (with a second factor), never as citizens."""
    return bool(user.is_staff or user.is_superuser or user.staff_roles.exists())


def staff_user_for_request(request: HttpRequest, municipality: Municipality | None) -> User | None:
    """The staff member logged in with password and TOTP who works for `municipality`; otherwise None."""
    user = request.user
    if municipality is None or not user.is_authenticated or request.session.get(keys.KIND) != keys.STAFF:
        return None
    assert isinstance(user, User)
    if not staff_totp_confirmed(user=user):
        return None
    if not StaffRole.objects.filter(user=user, municipality=municipality).exists():
        return None
    return user


def staff_totp_confirmed(*, user: User) -> bool:
    return StaffTotp.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def staff_roles_for(*, user: User, municipality: Municipality) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user=user, municipality=municipality).select_related("department"))


def identity_providers_for(*, municipality: Municipality | None, required_trust_level: str) -> list[IdentityProvider]:
    """The enabled identity providers of `municipality` whose logins can reach `required_trust_level`."""
    if municipality is None:
        return []
    providers = IdentityProvider.objects.filter(municipality=municipality, enabled=True)
    return [
        provider for provider in providers if trust_level_satisfies(provider.highest_trust_level, required_trust_level)
    ]


def identity_provider_get(*, municipality: Municipality | None, slug: str) -> IdentityProvider | None:
    if municipality is None:
        return None
    return IdentityProvider.objects.filter(municipality=municipality, slug=slug, enabled=True).first()
